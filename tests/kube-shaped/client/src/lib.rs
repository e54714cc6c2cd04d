//! The clientset of the Kubernetes-shaped fixture, written by `cargo xtask codegen`.

#[rustfmt::skip]
pub mod clientset;
#[rustfmt::skip]
pub mod informers;

pub use clientset::Clientset;
pub use informers::InformerFactory;
