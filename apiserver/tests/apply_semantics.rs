//! Server-side apply and field ownership as kube-apiserver has them, driven through kube's
//! client (`Api::patch` with `Patch::Apply`, merge and JSON patches, `Api::replace`), each
//! scenario in-process and over loopback HTTP.

mod common;

use common::*;
use futures::{StreamExt, TryStreamExt};
use kube::api::{Api, DynamicObject, Patch, PatchParams, PostParams, WatchEvent, WatchParams};
use serde_json::{Value, json};

macro_rules! scenarios {
    ($($scenario:ident),* $(,)?) => {
        mod in_process {
            $(#[tokio::test] async fn $scenario() { super::$scenario(super::Env::new(super::Transport::InProcess).await).await })*
        }
        mod over_http {
            $(#[tokio::test] async fn $scenario() { super::$scenario(super::Env::new(super::Transport::Http).await).await })*
        }
    };
}

scenarios!(reapplying_the_same_configuration_is_a_no_op,);

fn config(name: &str, metadata: Value, spec: Value) -> Value {
    let mut metadata = metadata;
    metadata["name"] = json!(name);
    json!({
        "apiVersion": "widgets.example.io/v1",
        "kind": "Widget",
        "metadata": metadata,
        "spec": spec,
    })
}

async fn apply(api: &Api<DynamicObject>, manager: &str, config: &Value) -> DynamicObject {
    let name = config["metadata"]["name"].as_str().unwrap_or_default();
    api.patch(name, &PatchParams::apply(manager), &Patch::Apply(config))
        .await
        .unwrap_or_else(|e| panic!("{manager} applies {config}: {e}"))
}

fn rv(obj: &DynamicObject) -> String {
    obj.metadata
        .resource_version
        .clone()
        .expect("resourceVersion")
}

/// The managedFields entries as JSON, for comparing and reading `fieldsV1`.
fn managed_fields(obj: &DynamicObject) -> Vec<Value> {
    obj.metadata
        .managed_fields
        .iter()
        .flatten()
        .map(|entry| serde_json::to_value(entry).expect("entry as JSON"))
        .collect()
}

/// The first non-bookmark event of a watch.
async fn next_change(
    stream: &mut (impl futures::Stream<Item = kube::Result<WatchEvent<DynamicObject>>> + Unpin),
) -> WatchEvent<DynamicObject> {
    for _ in 0..100 {
        match within(10, stream.try_next())
            .await
            .expect("watch event")
            .expect("stream open")
        {
            WatchEvent::Bookmark(_) => continue,
            other => return other,
        }
    }
    panic!("only bookmarks");
}

async fn reapplying_the_same_configuration_is_a_no_op(env: Env) {
    let api = widgets(&env.client, "default");
    let cfg = config(
        "w",
        json!({"labels": {"app": "web"}, "finalizers": ["example.io/keep"]}),
        json!({"size": 1, "nested": {"color": "red"}}),
    );
    let first = apply(&api, "controller", &cfg).await;
    let mut watch = api
        .watch(&WatchParams::default().timeout(30), &rv(&first))
        .await
        .expect("watch")
        .boxed();

    let second = apply(&api, "controller", &cfg).await;
    assert_eq!(rv(&second), rv(&first), "no new resourceVersion");
    assert_eq!(
        managed_fields(&second),
        managed_fields(&first),
        "managedFields (times included) untouched"
    );
    assert_eq!(rv(&api.get("w").await.expect("get")), rv(&first));

    // Something else happens: it must be the watch's next event, with nothing before it.
    api.create(&PostParams::default(), &widget("marker", json!({})))
        .await
        .expect("create marker");
    match next_change(&mut watch).await {
        WatchEvent::Added(o) => assert_eq!(o.metadata.name.as_deref(), Some("marker")),
        other => panic!("the re-apply sent an event: {other:?}"),
    }

    // A changed configuration still writes.
    let changed = apply(
        &api,
        "controller",
        &config("w", json!({}), json!({"size": 2})),
    )
    .await;
    assert_ne!(rv(&changed), rv(&first));
    match next_change(&mut watch).await {
        WatchEvent::Modified(o) => assert_eq!(o.data["spec"], json!({"size": 2})),
        other => panic!("expected MODIFIED, got {other:?}"),
    }
}
