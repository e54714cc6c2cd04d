//! The clientset golden file. `kube-codegen-golden/Cargo.toml` names `src/clientset.rs` as its
//! clientset's home; `cargo xtask codegen` writes it, `tests/golden.rs` compares it, and the
//! compile-fail tests (`tests/compile_fail.rs`) prove the verbs markers remove are absent.

#[rustfmt::skip]
pub mod clientset;
#[rustfmt::skip]
pub mod informers;

pub use clientset::Clientset;
pub use informers::InformerFactory;
