//! kube-codegen: Kubernetes-style code generation for Rust API types.
//!
//! The pipeline flows one way: read files → parse sources and marker comments → build a
//! validated API model → generate planned files (pure, no I/O) → emit (write-if-changed, or diff
//! for `--check`).

pub mod diagnostic;
pub mod normalize;

pub use diagnostic::{Diagnostic, Position};
