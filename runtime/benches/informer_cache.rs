//! The informer cache against kube-runtime's reflector `Store`, side by side on the same
//! objects: 100,000 ConfigMaps in 1,000 namespaces. Prints figures; asserts nothing.
//!
//! ```text
//! cargo bench -p kube-codegen-runtime --features informer --bench informer_cache
//! ```
//!
//! - initial list: a full list (`Init`, `InitApply` × N, `InitDone`) stored;
//! - event throughput: updates through the cache to one handler, the median of five rounds
//!   (ours: the informer's own handler task; kube's store has no handlers, so a closure called after each
//!   `apply_watcher_event`, as a `reflector(…).for_each(…)` consumer would be);
//! - list-by-namespace: one namespace's 100 objects (ours: the namespace index; kube:
//!   filtering `Store::state()`, its only way);
//! - get by key; memory per cached object (resident-set growth while the cache fills).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::ConfigMap;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::runtime::reflector::{ObjectRef, store::Writer};
use kube::runtime::watcher::Event;
use kube_codegen_runtime::informer::{Handler, Selector, SharedInformer};

const OBJECTS: usize = 100_000;
const NAMESPACES: usize = 1_000;
const ROUNDS: usize = 200;
const UPDATE_ROUNDS: usize = 5;

fn config_map(i: usize, version: usize) -> ConfigMap {
    ConfigMap {
        metadata: ObjectMeta {
            name: Some(format!("config-{i}")),
            namespace: Some(format!("ns-{}", i % NAMESPACES)),
            resource_version: Some(version.to_string()),
            uid: Some(format!("00000000-0000-0000-0000-{i:012}")),
            labels: Some(BTreeMap::from([
                ("app".to_owned(), format!("app-{}", i % 10)),
                ("tier".to_owned(), "backend".to_owned()),
            ])),
            ..ObjectMeta::default()
        },
        data: Some(BTreeMap::from([(
            "config.yaml".to_owned(),
            format!("replicas: {}\nimage: registry/app:{i}\n", i % 5),
        )])),
        ..ConfigMap::default()
    }
}

/// Resident memory now, from `/proc/self/statm` (0 where it cannot be read).
fn resident_bytes() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<usize>().ok())
        .map_or(0, |pages| pages * 4096)
}

fn median(mut durations: Vec<Duration>) -> Duration {
    durations.sort_unstable();
    durations[durations.len() / 2]
}

fn per_op(elapsed: Duration, ops: usize) -> String {
    let ns = elapsed.as_nanos() as f64 / ops as f64;
    if ns >= 1_000.0 {
        format!("{:.2} µs", ns / 1_000.0)
    } else {
        format!("{ns:.0} ns")
    }
}

fn row(what: &str, ours: &str, kube: &str, ratio: f64) {
    println!("{what:<34} {ours:>14} {kube:>14} {ratio:>9.1}x");
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    println!(
        "{OBJECTS} ConfigMaps in {NAMESPACES} namespaces; ours = kube-codegen-runtime informer, kube = kube-runtime reflector Store"
    );
    println!(
        "{:<34} {:>14} {:>14} {:>10}",
        "", "ours", "kube", "kube/ours"
    );

    // Initial list, and memory while it fills.
    let before = resident_bytes();
    let started = Instant::now();
    let informer: SharedInformer<ConfigMap> = SharedInformer::new(kube::Api::all(
        // Never started: fed by hand, so no request is ever made.
        kube::Client::new(
            tower::service_fn(|_req: http::Request<kube::client::Body>| async {
                Err::<http::Response<kube::client::Body>, std::io::Error>(std::io::Error::other(
                    "unused",
                ))
            }),
            "default",
        ),
    ));
    informer.handle_event(Event::Init);
    for i in 0..OBJECTS {
        informer.handle_event(Event::InitApply(config_map(i, 1)));
    }
    informer.handle_event(Event::InitDone);
    let ours_list = started.elapsed();
    let ours_memory = resident_bytes().saturating_sub(before) / OBJECTS;

    let before = resident_bytes();
    let started = Instant::now();
    let mut writer: Writer<ConfigMap> = Writer::default();
    let store = writer.as_reader();
    writer.apply_watcher_event(&Event::Init);
    for i in 0..OBJECTS {
        writer.apply_watcher_event(&Event::InitApply(config_map(i, 1)));
    }
    writer.apply_watcher_event(&Event::InitDone);
    let kube_list = started.elapsed();
    let kube_memory = resident_bytes().saturating_sub(before) / OBJECTS;
    row(
        "initial list (all objects)",
        &format!("{:.0} ms", ours_list.as_secs_f64() * 1e3),
        &format!("{:.0} ms", kube_list.as_secs_f64() * 1e3),
        kube_list.as_secs_f64() / ours_list.as_secs_f64(),
    );

    // Event throughput to one handler: a few rounds of updates to every object, ours and
    // kube's alternating so both see the same machine load; the median round is printed.
    let handled = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&handled);
    let registration = informer.add_handler(Handler::new().on_update(move |_, _| {
        counter.fetch_add(1, Ordering::Relaxed);
    }));
    // The handler first receives the cache as adds; let those through before timing.
    registration.wait_synced().await;
    let mut ours_rounds = Vec::new();
    let mut kube_rounds = Vec::new();
    for round in 1..=UPDATE_ROUNDS {
        let version = round + 1;
        let updates: Vec<ConfigMap> = (0..OBJECTS).map(|i| config_map(i, version)).collect();
        let started = Instant::now();
        let feeder = informer.clone();
        tokio::spawn(async move {
            for object in updates {
                feeder.handle_event(Event::Apply(object));
                tokio::task::coop::consume_budget().await;
            }
        })
        .await
        .expect("the feeding task ends");
        while handled.load(Ordering::Relaxed) < OBJECTS * round {
            tokio::task::yield_now().await;
        }
        ours_rounds.push(started.elapsed());

        let updates: Vec<ConfigMap> = (0..OBJECTS).map(|i| config_map(i, version)).collect();
        let started = Instant::now();
        let (returned, kube_handled) = tokio::spawn(async move {
            let mut handled = 0usize;
            for object in updates {
                let event = Event::Apply(object);
                writer.apply_watcher_event(&event);
                if let Event::Apply(o) = &event {
                    handled += usize::from(o.metadata.name.is_some());
                }
                tokio::task::coop::consume_budget().await;
            }
            (writer, handled)
        })
        .await
        .expect("the feeding task ends");
        writer = returned;
        kube_rounds.push(started.elapsed());
        assert_eq!(kube_handled, OBJECTS);
    }
    let ours_events = median(ours_rounds);
    let kube_events = median(kube_rounds);
    let rate = |d: Duration| format!("{:.0}k/s", OBJECTS as f64 / d.as_secs_f64() / 1e3);
    row(
        "updates through to one handler",
        &rate(ours_events),
        &rate(kube_events),
        kube_events.as_secs_f64() / ours_events.as_secs_f64(),
    );

    // List one namespace.
    let lister = informer.lister();
    let all = Selector::default();
    let started = Instant::now();
    let mut seen = 0;
    for round in 0..ROUNDS {
        seen += lister
            .namespace(&format!("ns-{}", round % NAMESPACES))
            .list(&all)
            .len();
    }
    let ours_ns = started.elapsed();
    assert_eq!(seen, ROUNDS * OBJECTS / NAMESPACES);
    let started = Instant::now();
    let mut seen = 0;
    for round in 0..ROUNDS {
        let namespace = format!("ns-{}", round % NAMESPACES);
        seen += store
            .state()
            .into_iter()
            .filter(|o| o.metadata.namespace.as_deref() == Some(namespace.as_str()))
            .count();
    }
    let kube_ns = started.elapsed();
    assert_eq!(seen, ROUNDS * OBJECTS / NAMESPACES);
    row(
        "list one namespace (100 objects)",
        &per_op(ours_ns, ROUNDS),
        &per_op(kube_ns, ROUNDS),
        kube_ns.as_secs_f64() / ours_ns.as_secs_f64(),
    );

    // Get by key.
    let keys: Vec<(String, String)> = (0..OBJECTS)
        .step_by(7)
        .map(|i| (format!("ns-{}", i % NAMESPACES), format!("config-{i}")))
        .collect();
    let cache = informer.cache();
    let started = Instant::now();
    let found = keys
        .iter()
        .filter(|(ns, name)| cache.get(&format!("{ns}/{name}")).is_some())
        .count();
    let ours_get = started.elapsed();
    assert_eq!(found, keys.len());
    let started = Instant::now();
    let found = keys
        .iter()
        .filter(|(ns, name)| store.get(&ObjectRef::new(name).within(ns)).is_some())
        .count();
    let kube_get = started.elapsed();
    assert_eq!(found, keys.len());
    row(
        "get by key",
        &per_op(ours_get, keys.len()),
        &per_op(kube_get, keys.len()),
        kube_get.as_secs_f64() / ours_get.as_secs_f64(),
    );
    row(
        "memory per cached object",
        &format!("{ours_memory} B"),
        &format!("{kube_memory} B"),
        kube_memory as f64 / ours_memory.max(1) as f64,
    );
    informer.shutdown().await;
}
