//! The Cluster API CRD-migration shape (cluster-api#11978): look up 500 CRDs one after
//! another, 90 % of which do not exist yet, against a server that fails 5 % of requests with
//! 503. Compares the default read policy (NotFound is an answer) with retrying everything (what
//! clusterctl did).
//!
//! The fake server answers after a simulated 5 ms latency and every backoff really sleeps, but
//! on a paused tokio clock: the printed "simulated time" is what the run would take against a
//! real server, while the run itself takes well under a second. Both policies use seeded jitter
//! and the server a seeded fault stream, so the figures are reproducible.
//!
//! "failed" counts lookups that ended in an error instead of found/absent: under
//! retry-everything a NotFound lookup spends all 9 attempts, and when the last one draws a 503
//! the caller gets the 503, so more time buys a worse answer.
//!
//! Run: `cargo bench -p kube-codegen-runtime --features client --bench crd_migration`

use std::sync::{Arc, Mutex};
use std::time::Duration;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::client::Body;
use kube_codegen_runtime::client::{ClientsetConfig, ResourceClient};
use kube_codegen_runtime::retry::{Jitter, RetryPolicy};
use serde_json::{Value, json};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const LOOKUPS: usize = 500;
/// One CRD in ten exists; the other 90 % are new in the upgrade.
const EXISTING_EVERY: usize = 10;
const FAULT_RATE: f64 = 0.05;
const LATENCY: Duration = Duration::from_millis(5);
const SEED: u64 = 11978;

/// What one run did.
#[derive(Debug, Default)]
struct Outcome {
    simulated: Duration,
    real: Duration,
    requests: usize,
    injected_503s: usize,
    found: usize,
    not_found: usize,
    failed: usize,
}

#[derive(Default)]
struct ServerStats {
    requests: usize,
    injected_503s: usize,
}

fn crd_name(i: usize) -> String {
    format!("thing{i}s.example.io")
}

fn crd(name: &str) -> Value {
    json!({
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": { "name": name },
        "spec": {
            "group": "example.io", "scope": "Namespaced",
            "names": { "kind": "Thing", "plural": "things" },
            "versions": [{ "name": "v1", "served": true, "storage": true }],
        },
    })
}

fn status(code: u16, reason: &str) -> Value {
    json!({ "kind": "Status", "apiVersion": "v1", "status": "Failure", "code": code, "reason": reason })
}

/// A `kube::Client` over a fake server holding every tenth CRD, with latency and 503s.
fn fake_server(stats: Arc<Mutex<ServerStats>>) -> kube::Client {
    let faults = Arc::new(Mutex::new(fastrand::Rng::with_seed(SEED)));
    let service = tower::service_fn(move |req: http::Request<Body>| {
        let (stats, faults) = (Arc::clone(&stats), Arc::clone(&faults));
        async move {
            tokio::time::sleep(LATENCY).await;
            let fault = faults.lock().map_err(|_| "poisoned")?.f64() < FAULT_RATE;
            let mut stats = stats.lock().map_err(|_| "poisoned")?;
            stats.requests += 1;
            let name = req.uri().path().rsplit('/').next().unwrap_or_default();
            let index = name
                .strip_prefix("thing")
                .and_then(|rest| rest.strip_suffix("s.example.io"))
                .and_then(|n| n.parse::<usize>().ok());
            let (code, body) = if fault {
                stats.injected_503s += 1;
                (503, status(503, "ServiceUnavailable"))
            } else if index.is_some_and(|i| i % EXISTING_EVERY == 0) {
                (200, crd(name))
            } else {
                (404, status(404, "NotFound"))
            };
            let response = http::Response::builder()
                .status(code)
                .header(http::header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string().into_bytes()))?;
            Ok::<_, BoxError>(response)
        }
    });
    kube::Client::new(service, "default")
}

/// Looks every CRD up once, in order, as clusterctl's migration does.
fn run(read_policy: RetryPolicy) -> Result<Outcome, BoxError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()?;
    let real_start = std::time::Instant::now();
    let mut outcome = runtime.block_on(async {
        let stats = Arc::new(Mutex::new(ServerStats::default()));
        let client = fake_server(Arc::clone(&stats));
        let crds = ResourceClient::<CustomResourceDefinition>::cluster(
            client,
            ClientsetConfig::default().with_read_policy(read_policy),
        );
        let mut outcome = Outcome::default();
        let start = tokio::time::Instant::now();
        for i in 0..LOOKUPS {
            match crds.get_opt(&crd_name(i)).await {
                Ok(Some(_)) => outcome.found += 1,
                Ok(None) => outcome.not_found += 1,
                Err(_) => outcome.failed += 1,
            }
        }
        outcome.simulated = start.elapsed();
        let stats = stats.lock().map_err(|_| "poisoned")?;
        outcome.requests = stats.requests;
        outcome.injected_503s = stats.injected_503s;
        Ok::<_, BoxError>(outcome)
    })?;
    outcome.real = real_start.elapsed();
    Ok(outcome)
}

fn main() -> Result<(), BoxError> {
    println!(
        "CRD migration: {LOOKUPS} sequential lookups, {}% NotFound, {}% injected 503s, {} ms latency",
        100 - 100 / EXISTING_EVERY,
        FAULT_RATE * 100.0,
        LATENCY.as_millis()
    );
    println!(
        "{:<18} {:>14} {:>10} {:>9} {:>6} {:>6} {:>10} {:>7} {:>9}",
        "policy",
        "simulated time",
        "requests",
        "503s",
        "found",
        "absent",
        "failed",
        "real",
        "per call"
    );
    let policies = [
        ("default_reads", RetryPolicy::default_reads()),
        ("retry_everything", RetryPolicy::retry_everything()),
    ];
    for (name, policy) in policies {
        let o = run(policy.with_jitter(Jitter::Seeded(SEED)))?;
        let per_call = o.simulated / u32::try_from(LOOKUPS)?;
        println!(
            "{name:<18} {:>13.1}s {:>10} {:>9} {:>6} {:>6} {:>10} {:>6}ms {:>7.1}ms",
            o.simulated.as_secs_f64(),
            o.requests,
            o.injected_503s,
            o.found,
            o.not_found,
            o.failed,
            o.real.as_millis(),
            per_call.as_secs_f64() * 1000.0,
        );
    }
    println!(
        "simulated time: virtual time on a paused tokio clock (latency and backoff sleeps), i.e. \
         the wall time against a real server; real: this process's wall time."
    );
    Ok(())
}
