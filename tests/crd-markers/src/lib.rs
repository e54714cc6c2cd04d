//! A kind that uses every CRD marker kube-codegen reads, and every serde form its schemas
//! follow. `cargo xtask codegen` writes `crds/markers.example.io_gizmos.yaml`.

pub mod markers;
