//! The clientset and informers of the Kubernetes-shaped fixture (ordinary and kcp
//! cluster-aware), written by `cargo xtask codegen`.

#[rustfmt::skip]
pub mod clientset;
#[rustfmt::skip]
pub mod informers;
#[rustfmt::skip]
pub mod cluster_clientset;
#[rustfmt::skip]
pub mod cluster_informers;

pub use clientset::Clientset;
pub use informers::InformerFactory;
