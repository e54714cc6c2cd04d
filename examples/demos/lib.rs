//! Example programs live beside this file as `[[example]]` targets; what they share lives
//! here, so tests can run it too.
//!
//! - [`example_kinds`]: the kinds the example API server serves (generated `RESOURCES`).
//! - [`clientset_scenario`]: the scenario of `cargo run --example clientset`.
//! - [`informer_controller`]: the controller of `cargo run --example informer`.
//! - [`cluster_aware_scenario`]: the scenario of `cargo run --example cluster_aware`.

pub mod clientset_scenario;
pub mod cluster_aware_scenario;
pub mod example_kinds;
pub mod informer_controller;
