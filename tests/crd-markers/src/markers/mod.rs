//! The `markers.example.io` group.

pub mod v1;
