//! Deep-copy shapes (no group, no client: only the deep-copy generator writes here).

pub mod v1;
