//! Golden fixtures. `shapes::v1` holds every shape the deep-copy generator handles;
//! `clients::v1` every `+genclient` marker combination and `core::v1` a core-group package, for
//! the registration golden files (their `zz_generated.rs`) and the clientset golden file
//! (`client/src/clientset.rs`). All are compared by `tests/golden.rs`, compiled here, and
//! exercised by this crate's tests.
//!
//! Generated code must be clean under pedantic clippy, so adopters with pedantic workspaces
//! need no allow of their own; the lint level is set here rather than in `Cargo.toml`, where
//! `[lints] workspace = true` admits no addition. CI's `-D warnings` makes it an error.
#![warn(clippy::pedantic)]

pub mod clients;
pub mod core;
pub mod shapes;
