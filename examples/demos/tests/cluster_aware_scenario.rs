//! The scenario of `cargo run --example cluster_aware`, as a test.

use kube_codegen_demos::cluster_aware_scenario;
use kube_codegen_demos::example_kinds::example_server;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_cluster_aware_step_behaves() {
    let server = example_server();
    let steps = cluster_aware_scenario::run(&server).await;
    let failed: Vec<String> = steps
        .iter()
        .filter(|s| !s.passed())
        .map(ToString::to_string)
        .collect();
    assert!(failed.is_empty(), "{failed:#?}");
    assert_eq!(steps.len(), 6, "{steps:#?}");
}
