//! Built-in kinds served from k8s-openapi's types, opt in per server: typed `kube::Api`
//! access, leader election over a `Lease`, protobuf bodies and answers (what kubectl's
//! typed commands use), and bodies without apiVersion/kind (what the Python client sends),
//! including through the official Python client when it is installed.

mod common;

use std::path::PathBuf;

use common::*;
use http::Request;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};
use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Secret};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime;
use kube::api::{Api, ObjectMeta, PostParams};
use kube_codegen_apiserver::{ApiServer, BuiltinKind};
use serde_json::{Value, json};

fn server() -> ApiServer {
    server_builder().builtin_kinds(BuiltinKind::ALL).build()
}

fn meta(name: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.to_owned()),
        ..ObjectMeta::default()
    }
}

#[tokio::test]
async fn typed_clients_use_built_in_kinds() {
    let env = Env::with_server(server(), Transport::InProcess).await;
    let configmaps: Api<ConfigMap> = Api::namespaced(env.client.clone(), "default");
    let cm = ConfigMap {
        metadata: meta("settings"),
        data: Some([("mode".to_owned(), "fast".to_owned())].into()),
        ..ConfigMap::default()
    };
    configmaps
        .create(&PostParams::default(), &cm)
        .await
        .expect("create configmap");
    let got = configmaps.get("settings").await.expect("get");
    assert_eq!(
        got.data.and_then(|d| d.get("mode").cloned()).as_deref(),
        Some("fast")
    );

    let secrets: Api<Secret> = Api::namespaced(env.client.clone(), "default");
    let secret = Secret {
        metadata: meta("token"),
        string_data: Some([("k".to_owned(), "v".to_owned())].into()),
        ..Secret::default()
    };
    let stored = secrets
        .create(&PostParams::default(), &secret)
        .await
        .expect("create secret");
    assert_eq!(stored.type_.as_deref(), Some("Opaque"));
    assert_eq!(
        stored.data.and_then(|d| d.get("k").cloned()).map(|b| b.0),
        Some(b"v".to_vec()),
        "stringData is merged into data"
    );
    assert!(stored.string_data.is_none());

    let deployments: Api<Deployment> = Api::namespaced(env.client.clone(), "default");
    let deployment: Deployment = serde_json::from_value(json!({
        "metadata": {"name": "web"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}
    }))
    .expect("deployment");
    deployments
        .create(&PostParams::default(), &deployment)
        .await
        .expect("create deployment");
    let scale = deployments.get_scale("web").await.expect("scale");
    assert_eq!(scale.spec.and_then(|s| s.replicas), Some(1));
}

/// One round of client-go's leader election: take the Lease when it is free or expired,
/// renew it when it is ours; a stale resourceVersion loses (409) to whoever wrote first.
async fn try_acquire(leases: &Api<Lease>, me: &str, now: i64) -> bool {
    let duration = 15;
    let time = |seconds: i64| MicroTime(jiff::Timestamp::from_second(seconds).expect("timestamp"));
    let spec = LeaseSpec {
        holder_identity: Some(me.to_owned()),
        lease_duration_seconds: Some(duration),
        acquire_time: Some(time(now)),
        renew_time: Some(time(now)),
        ..LeaseSpec::default()
    };
    match leases
        .get_opt("controller-leader")
        .await
        .expect("get lease")
    {
        None => {
            let lease = Lease {
                metadata: meta("controller-leader"),
                spec: Some(spec),
            };
            leases.create(&PostParams::default(), &lease).await.is_ok()
        }
        Some(mut current) => {
            let held = current.spec.clone().unwrap_or_default();
            let renewed = held.renew_time.map(|t| t.0.as_second()).unwrap_or(0);
            let expired = renewed + i64::from(held.lease_duration_seconds.unwrap_or(0)) < now;
            if held.holder_identity.as_deref() != Some(me) && !expired {
                return false;
            }
            current.spec = Some(spec);
            leases
                .replace("controller-leader", &PostParams::default(), &current)
                .await
                .is_ok()
        }
    }
}

#[tokio::test]
async fn leader_election_over_a_lease() {
    let env = Env::with_server(server(), Transport::Http).await;
    let leases: Api<Lease> = Api::namespaced(env.client.clone(), "kube-system");
    let t0 = jiff::Timestamp::now().as_second();
    assert!(
        try_acquire(&leases, "a", t0).await,
        "a takes the free lease"
    );
    assert!(
        !try_acquire(&leases, "b", t0 + 1).await,
        "b waits while a holds it"
    );
    assert!(try_acquire(&leases, "a", t0 + 5).await, "a renews");
    // A write from a stale read is a conflict, so only one of two racers wins.
    let stale = leases.get("controller-leader").await.expect("get");
    assert!(try_acquire(&leases, "a", t0 + 10).await);
    let err = api_error(
        leases
            .replace("controller-leader", &PostParams::default(), &stale)
            .await,
    );
    assert_eq!(err.code, 409);
    // a stops renewing; once the lease expires b takes over.
    assert!(!try_acquire(&leases, "b", t0 + 20).await, "not expired yet");
    assert!(
        try_acquire(&leases, "b", t0 + 30).await,
        "b takes the expired lease"
    );
    let lease = leases.get("controller-leader").await.expect("get");
    assert_eq!(
        lease.spec.and_then(|s| s.holder_identity).as_deref(),
        Some("b")
    );
}

async fn raw(env: &Env, request: Request<Vec<u8>>) -> (u16, String, Vec<u8>) {
    let response = within(30, env.client.send(request.map(Into::into)))
        .await
        .expect("send");
    let code = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    (code, content_type, body)
}

/// `k8s\0` + runtime.Unknown{typeMeta{apiVersion, kind}, raw}, as client-go writes it.
fn protobuf_body(api_version: &str, kind: &str, raw: Vec<u8>) -> Vec<u8> {
    use k8s_pb::apimachinery::pkg::runtime::{TypeMeta, Unknown};
    use prost::Message;
    let envelope = Unknown {
        type_meta: Some(TypeMeta {
            api_version: Some(api_version.to_owned()),
            kind: Some(kind.to_owned()),
        }),
        raw: Some(raw),
        content_encoding: Some(String::new()),
        content_type: Some(String::new()),
    };
    let mut body = b"k8s\0".to_vec();
    body.extend(envelope.encode_to_vec());
    body
}

#[tokio::test]
async fn protobuf_in_and_out_and_bodies_without_type() {
    use k8s_pb::api::core::v1 as pb;
    use prost::Message;
    let env = Env::with_server(server(), Transport::Http).await;
    let cm = pb::ConfigMap {
        metadata: Some(k8s_pb::apimachinery::pkg::apis::meta::v1::ObjectMeta {
            name: Some("proto".to_owned()),
            ..Default::default()
        }),
        data: [("a".to_owned(), "b".to_owned())].into(),
        ..Default::default()
    };
    let request = Request::post("/api/v1/namespaces/default/configmaps")
        .header("content-type", "application/vnd.kubernetes.protobuf")
        .header("accept", "application/vnd.kubernetes.protobuf, */*")
        .body(protobuf_body("v1", "ConfigMap", cm.encode_to_vec()))
        .expect("request");
    let (code, content_type, body) = raw(&env, request).await;
    assert_eq!(code, 201, "{}", String::from_utf8_lossy(&body));
    assert_eq!(content_type, "application/vnd.kubernetes.protobuf");
    let inner = body.strip_prefix(b"k8s\0").expect("magic");
    let envelope = k8s_pb::apimachinery::pkg::runtime::Unknown::decode(inner).expect("envelope");
    assert_eq!(
        envelope.type_meta.and_then(|t| t.kind).as_deref(),
        Some("ConfigMap")
    );
    let answered =
        pb::ConfigMap::decode(envelope.raw.unwrap_or_default().as_slice()).expect("configmap");
    let answered_meta = answered.metadata.unwrap_or_default();
    assert_eq!(answered_meta.name.as_deref(), Some("proto"));
    assert!(answered_meta.uid.is_some() && answered_meta.creation_timestamp.is_some());
    assert_eq!(answered.data.get("a").map(String::as_str), Some("b"));

    // JSON when JSON is asked for; protobuf is not a custom resource's media type.
    let request = Request::get("/api/v1/namespaces/default/configmaps/proto")
        .header("accept", "application/json")
        .body(Vec::new())
        .expect("request");
    let (_, content_type, body) = raw(&env, request).await;
    assert_eq!(content_type, "application/json");
    let json: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(json["data"]["a"], "b");
    let request = Request::post("/apis/widgets.example.io/v1/namespaces/default/widgets")
        .header("content-type", "application/vnd.kubernetes.protobuf")
        .body(protobuf_body("widgets.example.io/v1", "Widget", Vec::new()))
        .expect("request");
    assert_eq!(raw(&env, request).await.0, 415);

    // A built-in kind's typed URL takes a body without apiVersion and kind.
    let request = Request::post("/api/v1/namespaces")
        .header("content-type", "application/json")
        .body(
            json!({"metadata": {"name": "untyped"}})
                .to_string()
                .into_bytes(),
        )
        .expect("request");
    let (code, _, body) = raw(&env, request).await;
    assert_eq!(code, 201, "{}", String::from_utf8_lossy(&body));
    let created: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(
        (created["apiVersion"].as_str(), created["kind"].as_str()),
        (Some("v1"), Some("Namespace"))
    );
    // A custom resource still needs both.
    let request = Request::post("/apis/widgets.example.io/v1/namespaces/default/widgets")
        .header("content-type", "application/json")
        .body(
            json!({"metadata": {"name": "untyped"}})
                .to_string()
                .into_bytes(),
        )
        .expect("request");
    assert_eq!(raw(&env, request).await.0, 400);
}

/// A Python that has the official client (`python3-kubernetes`, which `.ci/run` installs).
fn python_with_client() -> Option<PathBuf> {
    ["/usr/bin/python3", "python3"]
        .into_iter()
        .map(PathBuf::from)
        .find(|python| {
            std::process::Command::new(python)
                .args(["-c", "import kubernetes"])
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

const PYTHON_SCRIPT: &str = r#"
import json, sys
from kubernetes import client, config
config.load_kube_config(config_file=sys.argv[1])
v1 = client.CoreV1Api()
ns = v1.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name="py")))
cm = v1.create_namespaced_config_map("py", client.V1ConfigMap(
    metadata=client.V1ObjectMeta(name="settings"), data={"mode": "fast"}))
read = v1.read_namespaced_config_map("settings", "py")
names = sorted(n.metadata.name for n in v1.list_namespace().items)
try:
    v1.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name="py")))
    conflict = None
except client.exceptions.ApiException as e:
    conflict = e.status
print(json.dumps({"phase": ns.status.phase, "data": read.data, "uid": bool(cm.metadata.uid),
                  "namespaces": names, "conflict": conflict}))
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_client_creates_namespaces_and_configmaps() {
    let Some(python) = python_with_client() else {
        println!(
            "SKIPPED the_python_client_creates_namespaces_and_configmaps: no python3 with the kubernetes client (.ci/run installs python3-kubernetes)"
        );
        return;
    };
    let env = Env::with_server(server(), Transport::Http).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let kubeconfig = dir.path().join("kubeconfig");
    env.http
        .as_ref()
        .expect("http")
        .write_kubeconfig(&kubeconfig)
        .expect("kubeconfig");
    let output = within(
        60,
        tokio::process::Command::new(&python)
            .arg("-c")
            .arg(PYTHON_SCRIPT)
            .arg(&kubeconfig)
            .kill_on_drop(true)
            .output(),
    )
    .await
    .expect("run python");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(result["phase"], "Active");
    assert_eq!(result["data"], json!({"mode": "fast"}));
    assert_eq!(result["uid"], true);
    assert_eq!(result["conflict"], 409);
    assert!(
        result["namespaces"]
            .as_array()
            .is_some_and(|n| n.contains(&json!("py")))
    );
    let namespaces: Api<Namespace> = Api::all(env.client.clone());
    assert!(namespaces.get_opt("py").await.expect("get").is_some());
}

/// POSTs `raw` (a `kind` message) as protobuf, asking for protobuf back; the answer's
/// message bytes, or the failing code and body.
async fn post_protobuf(
    env: &Env,
    path: &str,
    api_version: &str,
    kind: &str,
    raw_message: Vec<u8>,
) -> Result<Vec<u8>, (u16, String)> {
    use prost::Message;
    let request = Request::post(path)
        .header("content-type", "application/vnd.kubernetes.protobuf")
        .header(
            "accept",
            "application/vnd.kubernetes.protobuf, application/json",
        )
        .body(protobuf_body(api_version, kind, raw_message))
        .expect("request");
    let (code, content_type, body) = raw(env, request).await;
    if code != 201 || content_type != "application/vnd.kubernetes.protobuf" {
        return Err((code, String::from_utf8_lossy(&body).into_owned()));
    }
    let inner = body.strip_prefix(b"k8s\0").expect("magic");
    let envelope = k8s_pb::apimachinery::pkg::runtime::Unknown::decode(inner).expect("envelope");
    Ok(envelope.raw.unwrap_or_default())
}

#[tokio::test]
async fn leases_events_and_pods_over_protobuf() {
    use k8s_pb::api::coordination::v1 as coordination;
    use k8s_pb::api::core::v1 as core;
    use k8s_pb::api::events::v1 as events;
    use k8s_pb::apimachinery::pkg::apis::meta::v1 as pbmeta;
    use prost::Message;
    let env = Env::with_server(server(), Transport::Http).await;
    let named = |name: &str| {
        Some(pbmeta::ObjectMeta {
            name: Some(name.to_owned()),
            ..Default::default()
        })
    };
    let renew = Some(pbmeta::MicroTime {
        seconds: Some(1_714_557_600),
        nanos: Some(123_456_000),
    });

    let lease = coordination::Lease {
        metadata: named("leader"),
        spec: Some(coordination::LeaseSpec {
            holder_identity: Some("me".to_owned()),
            lease_duration_seconds: Some(15),
            renew_time: renew,
            ..Default::default()
        }),
    };
    let answer = post_protobuf(
        &env,
        "/apis/coordination.k8s.io/v1/namespaces/default/leases",
        "coordination.k8s.io/v1",
        "Lease",
        lease.encode_to_vec(),
    )
    .await
    .expect("lease created");
    let answer = coordination::Lease::decode(answer.as_slice()).expect("lease");
    assert_eq!(answer.spec, lease.spec);
    assert!(answer.metadata.and_then(|m| m.uid).is_some());
    let stored: Lease = Api::namespaced(env.client.clone(), "default")
        .get("leader")
        .await
        .expect("get lease");
    let spec = stored.spec.unwrap_or_default();
    assert_eq!(spec.holder_identity.as_deref(), Some("me"));
    assert_eq!(
        spec.renew_time.map(|t| t.0.to_string()),
        Some("2024-05-01T10:00:00.123456Z".to_owned())
    );

    let reference = Some(core::ObjectReference {
        kind: Some("Pod".to_owned()),
        name: Some("p".to_owned()),
        namespace: Some("default".to_owned()),
        ..Default::default()
    });
    let event = core::Event {
        metadata: named("e1"),
        involved_object: reference.clone(),
        reason: Some("Started".to_owned()),
        message: Some("started".to_owned()),
        count: Some(2),
        r#type: Some("Normal".to_owned()),
        ..Default::default()
    };
    let answer = post_protobuf(
        &env,
        "/api/v1/namespaces/default/events",
        "v1",
        "Event",
        event.encode_to_vec(),
    )
    .await
    .expect("event created");
    let answer = core::Event::decode(answer.as_slice()).expect("event");
    assert_eq!(
        (answer.involved_object, answer.reason, answer.count),
        (reference.clone(), event.reason, Some(2))
    );

    let event = events::Event {
        metadata: named("e2"),
        event_time: renew,
        reporting_controller: Some("c".to_owned()),
        reporting_instance: Some("i".to_owned()),
        action: Some("Pull".to_owned()),
        reason: Some("Pulled".to_owned()),
        regarding: reference,
        note: Some("pulled".to_owned()),
        r#type: Some("Normal".to_owned()),
        ..Default::default()
    };
    let answer = post_protobuf(
        &env,
        "/apis/events.k8s.io/v1/namespaces/default/events",
        "events.k8s.io/v1",
        "Event",
        event.encode_to_vec(),
    )
    .await
    .expect("events.k8s.io event created");
    let answer = events::Event::decode(answer.as_slice()).expect("event");
    assert_eq!(
        (answer.event_time, answer.regarding, answer.note),
        (event.event_time, event.regarding, event.note)
    );

    // A field the mapping lacks is refused by name, not dropped.
    let pod = core::Pod {
        metadata: named("p"),
        spec: Some(core::PodSpec {
            containers: vec![core::Container {
                name: Some("c".to_owned()),
                image: Some("nginx".to_owned()),
                ..Default::default()
            }],
            volumes: vec![core::Volume {
                name: Some("v".to_owned()),
                ..Default::default()
            }],
            ..Default::default()
        }),
        status: None,
    };
    let refused = post_protobuf(
        &env,
        "/api/v1/namespaces/default/pods",
        "v1",
        "Pod",
        pod.encode_to_vec(),
    )
    .await
    .expect_err("volumes have no mapping");
    assert_eq!(refused.0, 415, "{}", refused.1);
    assert!(refused.1.contains("spec.volumes"), "{}", refused.1);

    // The same Pod written as JSON is stored whole, and answered in JSON even to a client
    // preferring protobuf, since protobuf would drop its volumes.
    let request = Request::post("/api/v1/namespaces/default/pods")
        .header("content-type", "application/json")
        .body(
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                   "spec": {"containers": [{"name": "c", "image": "nginx"}],
                            "volumes": [{"name": "v", "emptyDir": {}}]}})
            .to_string()
            .into_bytes(),
        )
        .expect("request");
    assert_eq!(raw(&env, request).await.0, 201);
    let request = Request::get("/api/v1/namespaces/default/pods/p")
        .header(
            "accept",
            "application/vnd.kubernetes.protobuf, application/json",
        )
        .body(Vec::new())
        .expect("request");
    let (code, content_type, body) = raw(&env, request).await;
    assert_eq!((code, content_type.as_str()), (200, "application/json"));
    let pod: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(
        pod["spec"]["volumes"],
        json!([{"name": "v", "emptyDir": {}}])
    );
}
