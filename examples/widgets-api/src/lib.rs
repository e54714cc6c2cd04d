//! An example API crate in the shape kube-codegen expects.
//!
//! - `widgets.example.io`: versions `v1alpha1` (a `<version>.rs` module), `v1beta1` and `v1`
//!   (`mod.rs` modules; `v1` keeps some types in a submodule).
//! - `fleet.example.io`: version `v1`, with per-type deep-copy opt-in instead of a package-wide
//!   one.
//!
//! Each version module declares `#[rustfmt::skip] mod zz_generated;` (and re-exports its registration
//! with `pub use zz_generated::*;`), which `cargo xtask codegen`
//! writes and `cargo xtask codegen --check` keeps honest.

pub mod fleet;
pub mod widgets;
