//! The scenario of `cargo run --example informer`, as a test.

use kube_codegen_demos::example_kinds::example_server;
use kube_codegen_demos::informer_controller;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_informer_controller_converges_after_failed_lists() {
    let server = example_server();
    let steps = informer_controller::run(&server).await;
    let failed: Vec<String> = steps
        .iter()
        .filter(|s| !s.passed())
        .map(ToString::to_string)
        .collect();
    assert!(failed.is_empty(), "{failed:#?}");
    assert_eq!(steps.len(), 5, "{steps:#?}");
}
