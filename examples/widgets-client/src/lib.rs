//! The typed clientset, listers and informers of `widgets-api`.
//!
//! `widgets-api/Cargo.toml` names the files' home:
//!
//! ```toml
//! [package.metadata.kube-codegen]
//! clientset = "../widgets-client/src/clientset.rs"
//! informers = "../widgets-client/src/informers.rs"
//! ```
//!
//! and `cargo xtask codegen` writes them. The API crate itself stays client-free.

#[rustfmt::skip]
pub mod clientset;
#[rustfmt::skip]
pub mod informers;

pub use clientset::Clientset;
pub use informers::InformerFactory;
