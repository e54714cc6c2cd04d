//! Prints in-process request throughput (get, list, update) and watch fan-out latency to 100
//! watchers. `cargo bench -p kube-codegen-apiserver`; runs in well under a minute.
//!
//! Figures, not assertions: the numbers depend on the machine.

use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use kube::api::{Api, ApiResource, DynamicObject, ListParams, PostParams, WatchEvent, WatchParams};
use kube_codegen_apiserver::{ApiServer, ResourceDefinition};
use serde_json::json;

const OPS: usize = 20_000;
const LIST_OBJECTS: usize = 100;
const WATCHERS: usize = 100;
const FANOUT_ROUNDS: usize = 20;

fn resource() -> ApiResource {
    ApiResource {
        group: "bench.example.io".into(),
        version: "v1".into(),
        api_version: "bench.example.io/v1".into(),
        kind: "Item".into(),
        plural: "items".into(),
    }
}

fn item(name: &str) -> DynamicObject {
    DynamicObject::new(name, &resource()).data(json!({"spec": {"n": 0}}))
}

fn report(what: &str, ops: usize, elapsed: Duration) {
    let per_sec = ops as f64 / elapsed.as_secs_f64();
    println!(
        "{what:<28} {per_sec:>10.0} req/s  ({ops} requests in {:.2?})",
        elapsed
    );
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).copied().unwrap_or_default()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = ApiServer::builder()
        .register(ResourceDefinition::new(
            "bench.example.io",
            "v1",
            "Item",
            "items",
        ))
        .build();
    let api: Api<DynamicObject> = Api::namespaced_with(server.client(), "default", &resource());
    for i in 0..LIST_OBJECTS {
        api.create(&PostParams::default(), &item(&format!("item-{i}")))
            .await?;
    }

    let started = Instant::now();
    for i in 0..OPS {
        api.get(&format!("item-{}", i % LIST_OBJECTS)).await?;
    }
    report("get", OPS, started.elapsed());

    let lists = OPS / 10;
    let started = Instant::now();
    for _ in 0..lists {
        api.list(&ListParams::default()).await?;
    }
    report(
        &format!("list ({LIST_OBJECTS} objects)"),
        lists,
        started.elapsed(),
    );

    let mut current = api.get("item-0").await?;
    let started = Instant::now();
    for n in 0..OPS {
        current.data["spec"]["n"] = json!(n);
        current = api
            .replace("item-0", &PostParams::default(), &current)
            .await?;
    }
    report("update", OPS, started.elapsed());

    // Watch fan-out: WATCHERS watches on one object; each round changes it once and measures
    // how long until every watcher has the event.
    let from = api
        .get("item-1")
        .await?
        .metadata
        .resource_version
        .unwrap_or_default();
    let mut receivers = Vec::new();
    for _ in 0..WATCHERS {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<Instant>();
        let mut stream = api
            .watch(
                &WatchParams::default()
                    .fields("metadata.name=item-1")
                    .timeout(120),
                &from,
            )
            .await?
            .boxed();
        tokio::spawn(async move {
            while let Ok(Some(event)) = stream.try_next().await {
                if let WatchEvent::Modified(_) = event
                    && tx.send(Instant::now()).is_err()
                {
                    return;
                }
            }
        });
        receivers.push(rx);
    }
    let mut latencies = Vec::with_capacity(WATCHERS * FANOUT_ROUNDS);
    let mut obj = api.get("item-1").await?;
    for round in 0..FANOUT_ROUNDS {
        obj.data["spec"]["n"] = json!(round + 1);
        let sent = Instant::now();
        obj = api.replace("item-1", &PostParams::default(), &obj).await?;
        for rx in &mut receivers {
            let seen = tokio::time::timeout(Duration::from_secs(30), rx.recv())
                .await?
                .ok_or("watcher ended")?;
            latencies.push(seen.saturating_duration_since(sent));
        }
    }
    latencies.sort();
    println!(
        "watch fan-out to {WATCHERS} watchers: p50 {:.2?}, p99 {:.2?}, max {:.2?} (update to delivery, {FANOUT_ROUNDS} rounds)",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or_default()
    );
    Ok(())
}
