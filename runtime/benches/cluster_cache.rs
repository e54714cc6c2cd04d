//! The cluster-aware informer cache: listing one logical cluster's objects through the cluster
//! index versus filtering the whole cache, on 100 clusters × 1,000 ConfigMaps. Prints figures;
//! asserts nothing.
//!
//! ```text
//! cargo bench -p kube-codegen-runtime --features informer --bench cluster_cache
//! ```

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::ConfigMap;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::runtime::watcher::Event;
use kube_codegen_runtime::cluster::{CLUSTER_ANNOTATION, ClusterPath, LogicalClusterExt};
use kube_codegen_runtime::informer::Selector;
use kube_codegen_runtime::informer::cluster::ClusterInformerFactory;

const CLUSTERS: usize = 100;
const PER_CLUSTER: usize = 1_000;
const ROUNDS: usize = 200;

fn cluster_name(c: usize) -> String {
    format!("root:org:ws-{c}")
}

fn config_map(cluster: usize, i: usize) -> ConfigMap {
    ConfigMap {
        metadata: ObjectMeta {
            name: Some(format!("config-{i}")),
            namespace: Some(format!("ns-{}", i % 10)),
            resource_version: Some("1".to_owned()),
            annotations: Some(BTreeMap::from([(
                CLUSTER_ANNOTATION.to_owned(),
                cluster_name(cluster),
            )])),
            ..ObjectMeta::default()
        },
        data: Some(BTreeMap::from([("k".to_owned(), format!("v{i}"))])),
        ..ConfigMap::default()
    }
}

fn per_op(elapsed: Duration, ops: usize) -> String {
    let ns = elapsed.as_nanos() as f64 / ops as f64;
    if ns >= 1_000_000.0 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.2} µs", ns / 1e3)
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // Never started: fed by hand, so no request is ever made.
    let client = kube::Client::new(
        tower::service_fn(|_req: http::Request<kube::client::Body>| async {
            Err::<http::Response<kube::client::Body>, std::io::Error>(std::io::Error::other(
                "unused",
            ))
        }),
        "default",
    );
    let factory = ClusterInformerFactory::new(client);
    let informer = factory.informer_for::<ConfigMap>();
    let shared = informer.informer();
    shared.handle_event(Event::Init);
    for cluster in 0..CLUSTERS {
        for i in 0..PER_CLUSTER {
            shared.handle_event(Event::InitApply(config_map(cluster, i)));
        }
    }
    shared.handle_event(Event::InitDone);
    let lister = informer.lister();
    let all = Selector::default();
    let paths: Vec<ClusterPath> = (0..CLUSTERS)
        .map(|c| ClusterPath::new(&cluster_name(c)).expect("valid"))
        .collect();

    let started = Instant::now();
    let mut seen = 0;
    for round in 0..ROUNDS {
        seen += lister.cluster(&paths[round % CLUSTERS]).list(&all).len();
    }
    let indexed = started.elapsed();
    assert_eq!(seen, ROUNDS * PER_CLUSTER);

    let cache = shared.cache();
    let started = Instant::now();
    let mut seen = 0;
    for round in 0..ROUNDS / 10 {
        let wanted = paths[round % CLUSTERS].as_str();
        seen += cache
            .list()
            .into_iter()
            .filter(|o| o.logical_cluster_name() == Some(wanted))
            .count();
    }
    let filtered = started.elapsed();
    assert_eq!(seen, ROUNDS / 10 * PER_CLUSTER);

    println!(
        "{CLUSTERS} logical clusters x {PER_CLUSTER} ConfigMaps; list one cluster's {PER_CLUSTER} objects"
    );
    println!(
        "{:<36} {:>12}",
        "cluster index (lister.cluster(p))",
        per_op(indexed, ROUNDS)
    );
    println!(
        "{:<36} {:>12}",
        "filtering the whole cache",
        per_op(filtered, ROUNDS / 10)
    );
    println!(
        "{:<36} {:>11.1}x",
        "filter / index",
        (filtered.as_secs_f64() / (ROUNDS / 10) as f64) / (indexed.as_secs_f64() / ROUNDS as f64)
    );
    factory.shutdown().await;
}
