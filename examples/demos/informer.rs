//! A small controller on the GENERATED informers, listers and work queue of `widgets-api`,
//! against the in-memory API server whose first lists fail (the informer syncs on its own).
//!
//! ```text
//! cargo run --example informer
//! ```
//!
//! Every step is printed with what happened. The exit code is 0 only when every step behaved
//! as expected; otherwise 1, after printing what failed.

use std::process::ExitCode;

use kube_codegen_demos::example_kinds::example_server;
use kube_codegen_demos::informer_controller;

#[tokio::main]
async fn main() -> ExitCode {
    let server = example_server();
    let steps = informer_controller::run(&server).await;
    for step in &steps {
        println!("{step}");
    }
    if steps.iter().all(|s| s.passed()) {
        println!("informer: all {} steps behaved", steps.len());
        ExitCode::SUCCESS
    } else {
        eprintln!("informer: a step did not behave (see above)");
        ExitCode::FAILURE
    }
}
