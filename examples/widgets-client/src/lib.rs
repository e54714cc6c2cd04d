//! The typed clientset of `widgets-api`.
//!
//! `widgets-api/Cargo.toml` names this file as its clientset's home:
//!
//! ```toml
//! [package.metadata.kube-codegen]
//! clientset = "../widgets-client/src/clientset.rs"
//! ```
//!
//! and `cargo xtask codegen` writes it. The API crate itself stays client-free.

#[rustfmt::skip]
pub mod clientset;

pub use clientset::Clientset;
