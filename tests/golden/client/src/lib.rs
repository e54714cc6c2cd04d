//! The clientset golden file. `kube-codegen-golden/Cargo.toml` names `src/clientset.rs` as its
//! clientset's home; `cargo xtask codegen` writes it, `tests/golden.rs` compares it, and the
//! compile-fail tests (`tests/compile_fail.rs`) prove the verbs markers remove are absent, and
//! that the cluster-aware clientset (`cluster-aware = true`) has no write across clusters.
//!
//! Pedantic clippy, as in `kube-codegen-golden`: generated clients must pass it too.
#![warn(clippy::pedantic)]

#[rustfmt::skip]
pub mod clientset;
#[rustfmt::skip]
pub mod informers;
#[rustfmt::skip]
pub mod cluster_clientset;
#[rustfmt::skip]
pub mod cluster_informers;

pub use clientset::Clientset;
pub use cluster_clientset::ClusterClientset;
pub use cluster_informers::ClusterInformerFactory;
pub use informers::InformerFactory;
