//! kcp logical clusters through the GENERATED cluster-aware clientset, informers and listers
//! of `widgets-api`, against the in-memory API server.
//!
//! ```text
//! cargo run --example cluster_aware
//! ```
//!
//! Creates widgets in three clusters, reads them back per cluster and across all of them, runs
//! a cluster-aware informer and lister, and prints per-cluster counts. The exit code is 0 only
//! when every step behaved as expected; otherwise 1, after printing what failed.

use std::process::ExitCode;

use kube_codegen_demos::cluster_aware_scenario;
use kube_codegen_demos::example_kinds::example_server;

#[tokio::main]
async fn main() -> ExitCode {
    let server = example_server();
    let steps = cluster_aware_scenario::run(&server).await;
    for step in &steps {
        println!("{step}");
    }
    if steps.len() == 6 && steps.iter().all(|s| s.passed()) {
        println!("cluster_aware: all {} steps behaved", steps.len());
        ExitCode::SUCCESS
    } else {
        eprintln!("cluster_aware: a step did not behave (see above)");
        ExitCode::FAILURE
    }
}
