//! Protocol details clients notice: the `Table` kubectl prints, metadata-only answers (kube's
//! `list_metadata`, `get_metadata`, `metadata_watcher`), 406, YAML, `remainingItemCount`, a
//! watch from a future resourceVersion, namespaces that terminate in the background, and
//! an HTTP listener that drops stalled connections.

mod common;

use std::time::Duration;

use common::*;
use futures::{StreamExt, TryStreamExt};
use http::Request;
use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, DeleteParams, ListParams, ObjectMeta, PostParams, WatchEvent, WatchParams};
use kube::runtime::{WatchStreamExt, watcher};
use kube_codegen_apiserver::{PrinterColumn, ResourceDefinition};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const KUBECTL_ACCEPT: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

async fn get_with_accept(env: &Env, path: &str, accept: &str) -> (u16, String, Vec<u8>) {
    let request = Request::get(path)
        .header("accept", accept)
        .body(Vec::new())
        .expect("request");
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

fn column_names(table: &Value) -> Vec<String> {
    table["columnDefinitions"]
        .as_array()
        .map(|c| {
            c.iter()
                .filter_map(|c| c["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn tables_metadata_yaml_and_406() {
    let server = server_builder()
        .register(
            ResourceDefinition::new(GROUP, "v1", "Sized", "sizeds")
                .with_printer_column(PrinterColumn::new("Size", "integer", ".spec.size"))
                .with_printer_column(PrinterColumn::new(
                    "Age",
                    "date",
                    ".metadata.creationTimestamp",
                )),
        )
        .build();
    let env = Env::with_server(server, Transport::Http).await;
    let api = widgets(&env.client, "default");
    for name in ["a", "b"] {
        api.create(&PostParams::default(), &widget(name, json!({"size": 1})))
            .await
            .expect("create");
    }
    let collection = "/apis/widgets.example.io/v1/namespaces/default/widgets";

    let (code, _, body) = get_with_accept(&env, collection, KUBECTL_ACCEPT).await;
    assert_eq!(code, 200);
    let table: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(
        (table["apiVersion"].as_str(), table["kind"].as_str()),
        (Some("meta.k8s.io/v1"), Some("Table"))
    );
    assert_eq!(column_names(&table), vec!["Name", "Age"]);
    assert_eq!(table["columnDefinitions"][1]["type"], "date");
    assert_eq!(table["rows"][0]["cells"][0], "a");
    assert_eq!(table["rows"][0]["object"]["kind"], "PartialObjectMetadata");
    assert_eq!(table["rows"][0]["object"]["metadata"]["name"], "a");
    assert!(table["metadata"]["resourceVersion"].is_string());
    // One object as a Table, with the whole object when asked.
    let (_, _, body) = get_with_accept(
        &env,
        &format!("{collection}/b?includeObject=Object"),
        KUBECTL_ACCEPT,
    )
    .await;
    let one: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(one["rows"].as_array().map(Vec::len), Some(1));
    assert_eq!(one["rows"][0]["object"]["spec"]["size"], 1);

    // Printer columns of the definition.
    let sized = Api::<kube::api::DynamicObject>::namespaced_with(
        env.client.clone(),
        "default",
        &resource(GROUP, "v1", "Sized", "sizeds"),
    );
    let obj: kube::api::DynamicObject = serde_json::from_value(json!({
        "apiVersion": "widgets.example.io/v1", "kind": "Sized", "metadata": {"name": "s"}, "spec": {"size": 7}
    }))
    .expect("object");
    sized
        .create(&PostParams::default(), &obj)
        .await
        .expect("create sized");
    let (_, _, body) = get_with_accept(
        &env,
        "/apis/widgets.example.io/v1/namespaces/default/sizeds",
        KUBECTL_ACCEPT,
    )
    .await;
    let table: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(column_names(&table), vec!["Name", "Size", "Age"]);
    assert_eq!(table["rows"][0]["cells"][1], 7);

    // Metadata only, the way kube asks for it.
    let metadata = api
        .list_metadata(&ListParams::default())
        .await
        .expect("list_metadata");
    let names: Vec<_> = metadata
        .items
        .iter()
        .filter_map(|m| m.metadata.name.clone())
        .collect();
    assert_eq!(names, vec!["a", "b"]);
    assert_eq!(
        metadata.items[0].types.as_ref().map(|t| t.kind.as_str()),
        Some("PartialObjectMetadata")
    );
    let one = api.get_metadata("b").await.expect("get_metadata");
    assert_eq!(one.metadata.name.as_deref(), Some("b"));
    let (_, _, body) = get_with_accept(
        &env,
        &format!("{collection}/b"),
        "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1",
    )
    .await;
    let raw: Value = serde_json::from_slice(&body).expect("json");
    assert!(raw.get("spec").is_none(), "metadata only: {raw}");

    // YAML when asked; 406 for what the server cannot produce.
    let (code, content_type, body) =
        get_with_accept(&env, &format!("{collection}/a"), "application/yaml").await;
    assert_eq!((code, content_type.as_str()), (200, "application/yaml"));
    assert!(String::from_utf8_lossy(&body).contains("kind: Widget"));
    let (code, _, body) =
        get_with_accept(&env, &format!("{collection}/a"), "application/xml").await;
    let status: Value = serde_json::from_slice(&body).expect("status");
    assert_eq!(code, 406);
    assert_eq!(status["reason"], "NotAcceptable");
    assert_eq!(
        status["message"],
        "only the following media types are accepted: application/json, application/yaml"
    );
}

#[tokio::test]
async fn metadata_watcher_sees_namespaces() {
    let env = Env::new(Transport::InProcess).await;
    let namespaces: Api<Namespace> = Api::all(env.client.clone());
    // kube 5's form of `metadata_watcher` (which it deprecates for this): a watcher over
    // `Api<PartialObjectMeta<K>>`, which makes metadata-only list and watch requests.
    let metadata_api: Api<kube::core::PartialObjectMeta<Namespace>> = Api::all(env.client.clone());
    let stream = watcher(metadata_api, watcher::Config::default())
        .applied_objects()
        .boxed();
    let mut stream = stream;
    let ns = Namespace {
        metadata: ObjectMeta {
            name: Some("team".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    namespaces
        .create(&PostParams::default(), &ns)
        .await
        .expect("create");
    loop {
        let seen = within(10, stream.try_next())
            .await
            .expect("event")
            .expect("open");
        if seen.metadata.name.as_deref() == Some("team") {
            break;
        }
    }
}

#[tokio::test]
async fn limited_lists_count_what_remains() {
    let env = Env::new(Transport::InProcess).await;
    let api = widgets(&env.client, "default");
    for i in 0..5 {
        let w = with_labels(widget(&format!("w{i}"), json!({})), &[("app", "web")]);
        api.create(&PostParams::default(), &w)
            .await
            .expect("create");
    }
    let page = api
        .list(&ListParams::default().limit(2))
        .await
        .expect("list");
    assert_eq!(page.metadata.remaining_item_count, Some(3));
    let next = api
        .list(
            &ListParams::default()
                .limit(2)
                .continue_token(page.metadata.continue_.as_deref().unwrap_or("")),
        )
        .await
        .expect("next page");
    assert_eq!(next.metadata.remaining_item_count, Some(1));
    // With a selector upstream cannot count (etcd counts keys), so it says nothing.
    let selected = api
        .list(&ListParams::default().limit(2).labels("app=web"))
        .await
        .expect("list");
    assert_eq!(selected.metadata.remaining_item_count, None);
    assert!(selected.metadata.continue_.is_some());
}

#[tokio::test]
async fn a_watch_from_the_future_waits_then_fails_as_upstream() {
    let server = server_builder()
        .future_watch_wait(Duration::from_millis(300))
        .build();
    let env = Env::with_server(server, Transport::InProcess).await;
    let api = widgets(&env.client, "default");
    // The first request creates the cluster's namespaces; the version after it is current.
    api.list(&ListParams::default()).await.expect("list");
    let now = env.server.resource_version();

    let far = (now + 100).to_string();
    let mut events = api
        .watch(&WatchParams::default(), &far)
        .await
        .expect("watch")
        .boxed();
    match within(10, events.try_next()).await.expect("event") {
        Some(WatchEvent::Error(e)) => {
            assert_eq!(e.code, 504);
            assert_eq!(e.reason, "Timeout");
            assert_eq!(
                e.message,
                format!(
                    "Timeout: Too large resource version: {}, current: {now}",
                    now + 100
                )
            );
        }
        other => panic!("expected the ERROR event, got {other:?}"),
    }

    // A list from the future waits as well, then answers 504; one reached meanwhile is
    // served.
    let err = api_error(
        api.list(
            &ListParams::default()
                .at(&far)
                .matching(kube::api::VersionMatch::NotOlderThan),
        )
        .await,
    );
    assert_eq!((err.code, err.reason.as_str()), (504, "Timeout"));
    let soon = (now + 1).to_string();
    let writer = {
        let api = api.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            api.create(&PostParams::default(), &widget("early", json!({})))
                .await
        })
    };
    let listed = api
        .list(
            &ListParams::default()
                .at(&soon)
                .matching(kube::api::VersionMatch::NotOlderThan),
        )
        .await
        .expect("a version reached within the wait is served");
    assert_eq!(listed.items.len(), 1);
    writer.await.expect("join").expect("create");
    api.delete("early", &DeleteParams::default())
        .await
        .expect("delete");
    let now = env.server.resource_version();

    // A version reached within the wait is an ordinary watch.
    let next = (now + 1).to_string();
    let mut events = api
        .watch(&WatchParams::default(), &next)
        .await
        .expect("watch")
        .boxed();
    api.create(&PostParams::default(), &widget("a", json!({})))
        .await
        .expect("create");
    api.create(&PostParams::default(), &widget("b", json!({})))
        .await
        .expect("create");
    match within(10, events.try_next()).await.expect("event") {
        Some(WatchEvent::Added(o)) => assert_eq!(o.metadata.name.as_deref(), Some("b")),
        other => panic!("expected b's ADDED (a's is the version watched from), got {other:?}"),
    }
}

#[tokio::test]
async fn namespaces_terminate_then_go() {
    let env = Env::new(Transport::InProcess).await;
    let namespaces: Api<Namespace> = Api::all(env.client.clone());
    let ns = Namespace {
        metadata: ObjectMeta {
            name: Some("empty".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    namespaces
        .create(&PostParams::default(), &ns)
        .await
        .expect("create");
    let answer = namespaces
        .delete("empty", &DeleteParams::default())
        .await
        .expect("delete");
    let terminating = answer.left().expect("the namespace, terminating");
    assert_eq!(
        terminating.status.and_then(|s| s.phase).as_deref(),
        Some("Terminating")
    );
    assert!(
        namespaces.get_opt("empty").await.expect("get").is_some(),
        "still there for a moment"
    );
    let mut gone = false;
    for _ in 0..100 {
        if namespaces.get_opt("empty").await.expect("get").is_none() {
            gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(gone);
}

#[tokio::test]
async fn stalled_connections_are_dropped() {
    let server = server_builder()
        .read_timeouts(Duration::from_millis(300), Duration::from_millis(300))
        .build();
    let http = server
        .serve_http(([127, 0, 0, 1], 0).into())
        .await
        .expect("listen");

    // Headers that never finish: the connection is closed.
    let mut stalled = tokio::net::TcpStream::connect(http.local_addr())
        .await
        .expect("connect");
    stalled
        .write_all(b"GET /version HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    let mut buf = [0u8; 256];
    let read = within(10, stalled.read(&mut buf)).await;
    assert!(
        matches!(read, Ok(0) | Err(_)),
        "the connection stayed open: {read:?}"
    );

    // A body that never finishes: 504, as kube-apiserver's request timeout answers.
    let mut slow = tokio::net::TcpStream::connect(http.local_addr())
        .await
        .expect("connect");
    slow.write_all(
        b"POST /apis/widgets.example.io/v1/namespaces/default/widgets HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"apiVersion\"",
    )
    .await
    .expect("write");
    let mut answer = Vec::new();
    let mut chunk = [0u8; 1024];
    while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = within(10, slow.read(&mut chunk)).await.expect("read");
        if n == 0 {
            break;
        }
        answer.extend_from_slice(chunk.get(..n).unwrap_or_default());
    }
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 504"), "{text}");
    http.shutdown().await;
}
