//! The clientset of the Kubernetes-shaped fixture, written by `cargo xtask codegen`.

#[rustfmt::skip]
pub mod clientset;

pub use clientset::Clientset;
