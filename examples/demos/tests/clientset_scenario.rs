//! The scenario of `cargo run --example clientset`, run by the tests: in-process, and over
//! loopback HTTP through a kubeconfig file as `--kubeconfig PATH` loads it.

use std::time::Duration;

use kube_codegen_demos::clientset_scenario::{self, Report, Step, client_from_kubeconfig};
use kube_codegen_demos::example_kinds::example_server;
use widgets_client::Clientset;

/// A hang guard only: the scenario takes milliseconds.
const GUARD: Duration = Duration::from_secs(120);

async fn run(clientset: &Clientset, namespace: &str) -> Report {
    let mut lines = Vec::new();
    let mut record = |step: &Step| lines.push(step.to_string());
    let report = tokio::time::timeout(
        GUARD,
        clientset_scenario::run(clientset, namespace, "test", &mut record),
    )
    .await
    .expect("the scenario finishes");
    for line in &lines {
        println!("{line}");
    }
    report
}

fn assert_passed(report: &Report) {
    let failures: Vec<String> = report.failures().map(ToString::to_string).collect();
    assert!(failures.is_empty(), "failed steps: {failures:#?}");
    assert_eq!(report.steps.len(), 17, "every step ran");
}

#[tokio::test]
async fn scenario_passes_in_process() {
    let server = example_server();
    let report = run(&Clientset::new(server.client()), "default").await;
    assert_passed(&report);
}

#[tokio::test]
async fn scenario_passes_over_http_through_a_written_kubeconfig() {
    let server = example_server();
    let http = server
        .serve_http("127.0.0.1:0".parse().expect("loopback address"))
        .await
        .expect("serve on loopback");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("kubeconfig");
    http.write_kubeconfig(&path).expect("write kubeconfig");

    let client = client_from_kubeconfig(&path)
        .await
        .expect("client from the written kubeconfig");
    assert_eq!(client.default_namespace(), "default");
    let report = run(&Clientset::new(client), "default").await;
    assert_passed(&report);
    http.shutdown().await;
}

#[tokio::test]
async fn scenario_reports_a_misbehaving_server_as_a_failed_step() {
    // A server that does not serve Ship: the scale step must fail, and the run must say so
    // and stop there after cleaning up.
    let server = kube_codegen_apiserver::ApiServer::builder()
        .register_all(widgets_api::widgets::v1::RESOURCES)
        .build();
    let clientset = Clientset::new(server.client());
    let report = run(&clientset, "default").await;
    assert!(!report.passed());
    let failed: Vec<&Step> = report.failures().collect();
    assert_eq!(failed.len(), 1, "{failed:#?}");
    assert_eq!(
        failed[0].name,
        "scale subresource: get_scale / update_scale"
    );
    assert!(
        report.steps.last() == Some(failed[0]),
        "the run stops at the failed step"
    );
    let widgets = clientset.widgets_v1().widgets("default");
    assert_eq!(
        widgets.get_opt("demo-widget-test").await.expect("get_opt"),
        None,
        "a failed run deletes what it created"
    );
}

#[tokio::test]
async fn a_missing_kubeconfig_is_a_readable_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nope");
    let Err(err) = client_from_kubeconfig(&path).await else {
        panic!("a client from a kubeconfig that does not exist");
    };
    assert!(err.contains("nope"), "{err}");
}
