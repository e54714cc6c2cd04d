//! A tree shaped like the Kubernetes API, to prove that what `cargo xtask codegen` accepts
//! compiles: `meta::v1` defines its own `ObjectMeta` (as apimachinery does), `core::v1` is the
//! core group, `apps` lives in a private module and is re-exported, and the types use generics
//! with where-clauses, tuple newtypes over foreign types, data enums, aliases and renamed
//! imports.

pub mod batch;
pub mod core;
pub mod custom;
pub mod meta;
mod stable;

pub use stable::apps;
