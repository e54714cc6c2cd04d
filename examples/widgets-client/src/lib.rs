//! The typed clientset, listers and informers of `widgets-api`, ordinary and kcp
//! cluster-aware.
//!
//! `widgets-api/Cargo.toml` names the files' home:
//!
//! ```toml
//! [package.metadata.kube-codegen]
//! clientset = "../widgets-client/src/clientset.rs"
//! informers = "../widgets-client/src/informers.rs"
//! cluster-aware = true
//! ```
//!
//! and `cargo xtask codegen` writes them (`cluster-aware` adds `cluster_clientset.rs` and
//! `cluster_informers.rs` beside the others). The API crate itself stays client-free.

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
