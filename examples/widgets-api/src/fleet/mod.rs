//! The `fleet.example.io` API group.

pub mod v1;
