//! Golden fixtures. `shapes::v1` holds every shape the deep-copy generator handles; its
//! `zz_generated.rs` is the deep-copy golden file (compared by `tests/golden.rs`) and is
//! compiled and exercised here.

pub mod shapes;
