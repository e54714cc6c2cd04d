//! `ResourceClient` against a fake API: a tower service answering canned JSON, recording every
//! request, plugged into a real `kube::Client`.

use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::autoscaling::v1::{Scale, ScaleSpec};
use k8s_openapi::api::core::v1::{ConfigMap, Namespace};
use kube::api::{
    DeleteParams, ListParams, Patch, PatchParams, PostParams, WatchEvent, WatchParams,
};
use kube::client::Body;
use kube_codegen_runtime::client::{ClientsetConfig, ResourceClient};
use kube_codegen_runtime::either::Either;
use kube_codegen_runtime::retry::{ErrorClass, Jitter, RetryPolicy, classify};
use serde_json::{Value, json};
use tokio::time::Instant;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// One request as the fake API saw it.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    /// Path and query.
    uri: String,
    content_type: String,
    body: Value,
}

impl Seen {
    fn path(&self) -> &str {
        self.uri.split('?').next().unwrap_or_default()
    }
}

/// What the fake API answers.
enum Reply {
    Json(u16, Value),
    /// Newline-delimited JSON, as a watch streams it.
    Lines(Vec<Value>),
    /// The connection breaks before any response.
    Broken(io::ErrorKind),
}

type Log = Arc<Mutex<Vec<Seen>>>;

/// A `kube::Client` whose every request is recorded and answered by `route`.
fn fake_client(
    route: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static,
) -> (kube::Client, Log) {
    let log: Log = Arc::default();
    let route = Arc::new(route);
    let service_log = Arc::clone(&log);
    let service = tower::service_fn(move |req: http::Request<Body>| {
        let (log, route) = (Arc::clone(&service_log), Arc::clone(&route));
        async move {
            let (parts, body) = req.into_parts();
            let bytes = body.collect_bytes().await?;
            let seen = Seen {
                method: parts.method.to_string(),
                uri: parts.uri.to_string(),
                content_type: parts
                    .headers
                    .get(http::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned(),
                body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            };
            let n = {
                let mut log = log.lock().expect("not poisoned");
                log.push(seen.clone());
                log.len()
            };
            let (code, body) = match route(&seen, n) {
                Reply::Json(code, value) => (code, value.to_string()),
                Reply::Lines(values) => (200, values.iter().map(|v| format!("{v}\n")).collect()),
                Reply::Broken(kind) => return Err(BoxError::from(io::Error::from(kind))),
            };
            let response = http::Response::builder()
                .status(code)
                .header(http::header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.into_bytes()))?;
            Ok::<_, BoxError>(response)
        }
    });
    (kube::Client::new(service, "default"), log)
}

fn seen(log: &Log) -> Vec<Seen> {
    log.lock().expect("not poisoned").clone()
}

fn config_map(name: &str) -> Value {
    json!({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": { "name": name, "namespace": "ns1", "resourceVersion": "7" },
        "data": { "k": "v" },
    })
}

fn status(code: u16, reason: &str) -> Value {
    json!({ "kind": "Status", "apiVersion": "v1", "status": "Failure", "code": code, "reason": reason, "message": reason })
}

/// Exact delays: 100 ms, then 200 ms, …, 4 attempts.
fn exact_reads() -> ClientsetConfig {
    ClientsetConfig::default().with_read_policy(
        RetryPolicy::default_reads()
            .with_initial_delay(Duration::from_millis(100))
            .with_max_attempts(4)
            .with_jitter(Jitter::None),
    )
}

fn config_maps(client: kube::Client) -> ResourceClient<ConfigMap> {
    ResourceClient::namespaced(client, "ns1", exact_reads())
}

#[tokio::test]
async fn scopes_address_the_right_urls() {
    let (client, log) = fake_client(|req, _| match req.path() {
        "/api/v1/namespaces/ns1/configmaps/cm1" => Reply::Json(200, config_map("cm1")),
        "/api/v1/namespaces/team-a" => Reply::Json(
            200,
            json!({ "apiVersion": "v1", "kind": "Namespace", "metadata": { "name": "team-a" } }),
        ),
        "/api/v1/configmaps" => Reply::Json(
            200,
            json!({ "apiVersion": "v1", "kind": "ConfigMapList", "metadata": {},
                    "items": [config_map("a"), config_map("b")] }),
        ),
        _ => Reply::Json(404, status(404, "NotFound")),
    });
    let cms = config_maps(client.clone());
    assert_eq!(cms.namespace(), Some("ns1"));
    let cm = cms.get("cm1").await.expect("found");
    assert_eq!(cm.data.expect("data")["k"], "v");

    let namespaces = ResourceClient::<Namespace>::cluster(client.clone(), exact_reads());
    assert_eq!(namespaces.namespace(), None);
    let ns = namespaces.get("team-a").await.expect("found");
    assert_eq!(ns.metadata.name.as_deref(), Some("team-a"));

    let everywhere = ResourceClient::<ConfigMap>::all_namespaces(client, exact_reads());
    let list = everywhere
        .list(&ListParams::default())
        .await
        .expect("listed");
    let names: Vec<_> = list
        .items
        .iter()
        .filter_map(|c| c.metadata.name.as_deref())
        .collect();
    assert_eq!(names, ["a", "b"]);

    let methods: Vec<_> = seen(&log).iter().map(|s| s.method.clone()).collect();
    assert_eq!(methods, ["GET", "GET", "GET"]);
}

#[tokio::test(start_paused = true)]
async fn not_found_is_one_request_and_no_waiting() {
    let (client, log) = fake_client(|_, _| Reply::Json(404, status(404, "NotFound")));
    let cms = config_maps(client);
    let start = Instant::now();
    let err = cms.get("missing").await.expect_err("not found");
    assert!(matches!(&err, kube::Error::Api(s) if s.is_not_found()));
    assert_eq!(cms.get_opt("missing").await.expect("an answer"), None);
    assert_eq!(seen(&log).len(), 2, "one request per call");
    assert_eq!(start.elapsed(), Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn reads_are_retried_through_unavailable_and_broken_connections() {
    let (client, log) = fake_client(|_, n| match n {
        1 => Reply::Json(503, status(503, "ServiceUnavailable")),
        2 => Reply::Broken(io::ErrorKind::ConnectionReset),
        _ => Reply::Json(200, config_map("cm1")),
    });
    let start = Instant::now();
    let cm = config_maps(client).get("cm1").await.expect("third try");
    assert_eq!(cm.metadata.name.as_deref(), Some("cm1"));
    assert_eq!(seen(&log).len(), 3);
    assert_eq!(
        start.elapsed(),
        Duration::from_millis(300),
        "100 ms, then 200 ms"
    );
}

#[tokio::test(start_paused = true)]
async fn a_broken_connection_surfaces_as_a_retryable_service_error() {
    let (client, log) = fake_client(|_, _| Reply::Broken(io::ErrorKind::ConnectionReset));
    let cms = ResourceClient::<ConfigMap>::namespaced(client, "ns1", ClientsetConfig::no_retries());
    let err = cms.get("cm1").await.expect_err("broken");
    assert!(matches!(err, kube::Error::Service(_)), "{err:?}");
    assert_eq!(classify(&err), ErrorClass::Retry { after: None });
    assert_eq!(seen(&log).len(), 1);
}

#[tokio::test(start_paused = true)]
async fn writes_are_not_retried() {
    let (client, log) = fake_client(|_, _| Reply::Json(503, status(503, "ServiceUnavailable")));
    let cms = config_maps(client);
    let start = Instant::now();
    let cm: ConfigMap = serde_json::from_value(config_map("cm1")).expect("a ConfigMap");
    cms.create(&PostParams::default(), &cm)
        .await
        .expect_err("503");
    cms.update(&PostParams::default(), &cm)
        .await
        .expect_err("503");
    cms.delete("cm1", &DeleteParams::default())
        .await
        .expect_err("503");
    cms.patch("cm1", &PatchParams::default(), &Patch::Merge(json!({})))
        .await
        .expect_err("503");
    assert_eq!(seen(&log).len(), 4, "one request per write");
    assert_eq!(start.elapsed(), Duration::ZERO);
}

#[tokio::test]
async fn writes_send_the_right_verbs_paths_and_bodies() {
    let (client, log) = fake_client(|req, _| match (req.method.as_str(), req.path()) {
        ("DELETE", "/api/v1/namespaces/ns1/configmaps/cm1") => Reply::Json(
            200,
            json!({ "kind": "Status", "apiVersion": "v1", "status": "Success", "code": 200 }),
        ),
        ("DELETE", "/api/v1/namespaces/ns1/configmaps") => Reply::Json(
            200,
            json!({ "apiVersion": "v1", "kind": "ConfigMapList", "metadata": {}, "items": [config_map("a")] }),
        ),
        // Echo writes back, as the server does.
        (_, path) if path.starts_with("/api/v1/namespaces/ns1/configmaps") => {
            let mut obj = config_map("cm1");
            if req.body.get("data").is_some() {
                obj["data"] = req.body["data"].clone();
            }
            Reply::Json(200, obj)
        }
        _ => Reply::Json(404, status(404, "NotFound")),
    });
    let cms = config_maps(client);
    let mut cm: ConfigMap = serde_json::from_value(config_map("cm1")).expect("a ConfigMap");
    cm.data = Some([("k".to_owned(), "new".to_owned())].into());
    let pp = PostParams::default();

    let created = cms.create(&pp, &cm).await.expect("created");
    assert_eq!(created.data.as_ref().expect("data")["k"], "new");
    cms.update(&pp, &cm).await.expect("updated");
    cms.update_status(&pp, &cm).await.expect("status updated");
    cms.patch(
        "cm1",
        &PatchParams::default(),
        &Patch::Merge(json!({ "data": { "k": "m" } })),
    )
    .await
    .expect("merge-patched");
    let ops: json_patch::Patch =
        serde_json::from_value(json!([{ "op": "replace", "path": "/data/k", "value": "j" }]))
            .expect("a JSON patch");
    cms.patch("cm1", &PatchParams::default(), &Patch::Json::<()>(ops))
        .await
        .expect("json-patched");
    cms.apply(
        "cm1",
        &json!({ "apiVersion": "v1", "kind": "ConfigMap" }),
        "tester",
        true,
    )
    .await
    .expect("applied");
    cms.apply_status("cm1", &cm, "tester", false)
        .await
        .expect("status applied");
    let deleted = cms
        .delete("cm1", &DeleteParams::default())
        .await
        .expect("deleted");
    assert!(matches!(deleted, Either::Right(_)), "{deleted:?}");
    let collection = cms
        .delete_collection(
            &DeleteParams::default(),
            &ListParams::default().labels("app=x"),
        )
        .await
        .expect("deleted");
    assert!(matches!(collection, Either::Left(ref list) if list.items.len() == 1));

    let seen = seen(&log);
    let calls: Vec<_> = seen
        .iter()
        .map(|s| format!("{} {} {}", s.method, s.uri, s.content_type))
        .collect();
    let base = "/api/v1/namespaces/ns1/configmaps";
    assert_eq!(
        calls,
        [
            format!("POST {base}? application/json"),
            format!("PUT {base}/cm1? application/json"),
            format!("PUT {base}/cm1/status? application/json"),
            format!("PATCH {base}/cm1? application/merge-patch+json"),
            format!("PATCH {base}/cm1? application/json-patch+json"),
            format!(
                "PATCH {base}/cm1?&force=true&fieldManager=tester application/apply-patch+yaml"
            ),
            format!("PATCH {base}/cm1/status?&fieldManager=tester application/apply-patch+yaml"),
            format!("DELETE {base}/cm1? application/json"),
            format!("DELETE {base}?&labelSelector=app%3Dx application/json"),
        ],
    );
    assert_eq!(seen[1].body["data"]["k"], "new", "update sends the object");
    assert_eq!(
        seen[4].body[0]["op"], "replace",
        "JSON patch sends the operations"
    );
}

#[tokio::test]
async fn update_without_a_name_is_refused_before_any_request() {
    let (client, log) = fake_client(|_, _| Reply::Json(200, config_map("cm1")));
    let err = config_maps(client)
        .update(&PostParams::default(), &ConfigMap::default())
        .await
        .expect_err("no name");
    assert!(matches!(err, kube::Error::BuildRequest(_)), "{err:?}");
    assert_eq!(classify(&err), ErrorClass::Answer);
    assert!(seen(&log).is_empty());
}

#[tokio::test(start_paused = true)]
async fn watch_starts_through_the_read_policy_and_streams_typed_events() {
    let (client, log) = fake_client(|_, n| match n {
        1 => Reply::Json(429, status(429, "TooManyRequests")),
        _ => Reply::Lines(vec![
            json!({ "type": "ADDED", "object": config_map("a") }),
            json!({ "type": "MODIFIED", "object": config_map("a") }),
            json!({ "type": "ERROR", "object": status(410, "Expired") }),
        ]),
    });
    let start = Instant::now();
    let events: Vec<_> = config_maps(client)
        .watch(&WatchParams::default(), "0")
        .await
        .expect("started")
        .collect()
        .await;
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(1),
        "the 429 default wait"
    );
    let kinds: Vec<_> = events
        .iter()
        .map(|e| match e {
            Ok(WatchEvent::Added(_)) => "added",
            Ok(WatchEvent::Modified(_)) => "modified",
            Ok(WatchEvent::Error(e)) if e.code == 410 => "gone",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["added", "modified", "gone"]);
    let seen = seen(&log);
    assert_eq!(seen.len(), 2);
    assert!(seen[1].uri.contains("watch=true"), "{}", seen[1].uri);
    assert!(seen[1].uri.contains("resourceVersion=0"), "{}", seen[1].uri);
}

fn scale_json(replicas: i32) -> Value {
    json!({
        "apiVersion": "autoscaling/v1", "kind": "Scale",
        "metadata": { "name": "web", "namespace": "ns1" },
        "spec": { "replicas": replicas },
        "status": { "replicas": replicas, "selector": "app=web" },
    })
}

#[tokio::test]
async fn scale_subresource_reads_and_writes_typed_scale() {
    let (client, log) = fake_client(|req, _| match (req.method.as_str(), req.path()) {
        ("GET", "/apis/apps/v1/namespaces/ns1/deployments/web/scale") => {
            Reply::Json(200, scale_json(3))
        }
        ("PUT", "/apis/apps/v1/namespaces/ns1/deployments/web/scale") => Reply::Json(
            200,
            scale_json(
                req.body["spec"]["replicas"]
                    .as_i64()
                    .map_or(-1, |r| r as i32),
            ),
        ),
        _ => Reply::Json(404, status(404, "NotFound")),
    });
    let deployments = ResourceClient::<Deployment>::namespaced(client, "ns1", exact_reads());

    let scale = deployments.get_scale("web").await.expect("scale");
    assert_eq!(scale.spec.as_ref().and_then(|s| s.replicas), Some(3));
    let generic: Scale = deployments
        .get_subresource("web", "scale")
        .await
        .expect("scale");
    assert_eq!(generic, scale);

    let wanted = Scale {
        metadata: scale.metadata.clone(),
        spec: Some(ScaleSpec { replicas: Some(5) }),
        status: None,
    };
    let pp = PostParams::default();
    let updated = deployments
        .update_scale("web", &pp, &wanted)
        .await
        .expect("scaled");
    assert_eq!(updated.spec.and_then(|s| s.replicas), Some(5));
    let wanted = Scale {
        spec: Some(ScaleSpec { replicas: Some(7) }),
        ..wanted
    };
    let updated: Scale = deployments
        .update_subresource("web", "scale", &pp, &wanted)
        .await
        .expect("scaled");
    assert_eq!(updated.status.map(|s| s.replicas), Some(7));

    let err = deployments
        .get_subresource::<Scale>("absent", "scale")
        .await
        .expect_err("not found");
    assert_eq!(classify(&err), ErrorClass::Answer);
    assert_eq!(
        seen(&log).len(),
        5,
        "NotFound on a subresource is not retried"
    );
}

/// Generated clients are used from spawned tasks, so their futures must be `Send`.
#[tokio::test]
async fn client_futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let (client, _) = fake_client(|_, _| Reply::Json(404, status(404, "NotFound")));
    let cms = config_maps(client);
    let cm = ConfigMap::default();
    let (pp, lp, wp) = (
        PostParams::default(),
        ListParams::default(),
        WatchParams::default(),
    );
    assert_send(&cms.get("a"));
    assert_send(&cms.list(&lp));
    assert_send(&cms.watch(&wp, "0"));
    assert_send(&cms.update(&pp, &cm));
    assert_send(&cms.apply("a", &cm, "m", false));
    assert_send(&cms.get_subresource::<Scale>("a", "scale"));
    assert_send(&cms.update_subresource::<Scale, Scale>("a", "scale", &pp, &Scale::default()));
}

#[tokio::test(start_paused = true)]
async fn a_per_call_policy_can_wait_for_an_object_to_appear() {
    let (client, log) = fake_client(|_, n| match n {
        1 | 2 | 4 => Reply::Json(404, status(404, "NotFound")),
        _ => Reply::Json(200, config_map("late")),
    });
    let cms = config_maps(client);
    let patient =
        cms.config()
            .clone()
            .with_read_policy(
                cms.config()
                    .read_policy()
                    .clone()
                    .with_classifier(|e| match e {
                        kube::Error::Api(s) if s.is_not_found() => {
                            ErrorClass::Retry { after: None }
                        }
                        other => classify(other),
                    }),
            );
    let cm = cms.with_config(patient).get("late").await.expect("appears");
    assert_eq!(cm.metadata.name.as_deref(), Some("late"));
    assert_eq!(seen(&log).len(), 3);

    // The original client still takes NotFound as an answer.
    cms.get("late").await.expect_err("NotFound");
    assert_eq!(seen(&log).len(), 4);
}
