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

scenarios!(
    reapplying_the_same_configuration_is_a_no_op,
    finalizers_are_a_set_between_managers,
    owner_references_are_a_map_keyed_by_uid,
    updates_and_patches_take_ownership_from_appliers,
    a_create_owns_what_it_sets,
    a_resource_version_in_an_apply_is_a_precondition,
);

/// A Widget apply configuration; a `null` spec is left out.
fn config(name: &str, metadata: Value, spec: Value) -> Value {
    let mut metadata = metadata;
    metadata["name"] = json!(name);
    let mut config = json!({
        "apiVersion": "widgets.example.io/v1",
        "kind": "Widget",
        "metadata": metadata,
    });
    if !spec.is_null() {
        config["spec"] = spec;
    }
    config
}

/// The `fieldsV1` of `manager`'s entry.
fn fields_of(obj: &DynamicObject, manager: &str) -> Value {
    managed_fields(obj)
        .into_iter()
        .find(|e| e["manager"] == manager)
        .map(|e| e["fieldsV1"].clone())
        .unwrap_or_else(|| panic!("no entry for {manager} in {:?}", managed_fields(obj)))
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

async fn finalizers_are_a_set_between_managers(env: Env) {
    let api = widgets(&env.client, "default");
    let alice = config("w", json!({"finalizers": ["a.example.io/x"]}), Value::Null);
    let bob = config("w", json!({"finalizers": ["b.example.io/y"]}), Value::Null);
    apply(&api, "alice", &alice).await;
    let both = apply(&api, "bob", &bob).await;
    assert_eq!(
        both.metadata.finalizers,
        Some(vec![
            "a.example.io/x".to_owned(),
            "b.example.io/y".to_owned()
        ]),
        "different finalizers are no conflict"
    );
    assert_eq!(
        fields_of(&both, "alice"),
        json!({"f:metadata": {"f:finalizers": {"v:\"a.example.io/x\"": {}}}})
    );
    assert_eq!(
        fields_of(&both, "bob"),
        json!({"f:metadata": {"f:finalizers": {"v:\"b.example.io/y\"": {}}}})
    );

    // Forcing takes nothing from alice: nothing of hers is contested.
    let forced = api
        .patch("w", &PatchParams::apply("bob").force(), &Patch::Apply(&bob))
        .await
        .expect("forced apply");
    assert_eq!(forced.metadata.finalizers, both.metadata.finalizers);

    // Both own one finalizer: a third manager applying it shares it.
    let carol = config("w", json!({"finalizers": ["a.example.io/x"]}), Value::Null);
    apply(&api, "carol", &carol).await;

    // alice gives hers up: carol still holds it. carol too: it goes, bob's stays.
    let released = apply(&api, "alice", &config("w", json!({}), Value::Null)).await;
    assert_eq!(released.metadata.finalizers, both.metadata.finalizers);
    let released = apply(&api, "carol", &config("w", json!({}), Value::Null)).await;
    assert_eq!(
        released.metadata.finalizers,
        Some(vec!["b.example.io/y".to_owned()])
    );
}

fn owner(uid: &str, name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "name": name, "uid": uid})
}

async fn owner_references_are_a_map_keyed_by_uid(env: Env) {
    let api = widgets(&env.client, "default");
    let alice = config(
        "w",
        json!({"ownerReferences": [owner("u1", "one")]}),
        Value::Null,
    );
    let bob = config(
        "w",
        json!({"ownerReferences": [owner("u2", "two")]}),
        Value::Null,
    );
    apply(&api, "alice", &alice).await;
    let both = apply(&api, "bob", &bob).await;
    let uids: Vec<String> = both
        .metadata
        .owner_references
        .iter()
        .flatten()
        .map(|o| o.uid.clone())
        .collect();
    assert_eq!(uids, vec!["u1", "u2"], "entries with different uids merge");
    assert_eq!(
        fields_of(&both, "alice"),
        json!({"f:metadata": {"f:ownerReferences": {"k:{\"uid\":\"u1\"}": {
            ".": {}, "f:apiVersion": {}, "f:kind": {}, "f:name": {}, "f:uid": {},
        }}}})
    );

    // Entries are owned field by field: changing bob's entry is a conflict with bob.
    let takeover = config(
        "w",
        json!({"ownerReferences": [owner("u1", "one"), owner("u2", "renamed")]}),
        Value::Null,
    );
    let conflict = api_error(
        api.patch("w", &PatchParams::apply("alice"), &Patch::Apply(&takeover))
            .await,
    );
    assert_eq!((conflict.code, conflict.reason.as_str()), (409, "Conflict"));
    assert_eq!(
        conflict.message,
        "Apply failed with 1 conflict: conflict with \"bob\": .metadata.ownerReferences[uid=\"u2\"].name"
    );

    // alice drops her entry: bob's stays.
    let dropped = apply(&api, "alice", &config("w", json!({}), Value::Null)).await;
    let uids: Vec<String> = dropped
        .metadata
        .owner_references
        .iter()
        .flatten()
        .map(|o| o.uid.clone())
        .collect();
    assert_eq!(uids, vec!["u2"]);
}

fn as_manager(manager: &str) -> PatchParams {
    PatchParams {
        field_manager: Some(manager.to_owned()),
        ..PatchParams::default()
    }
}

/// Summaries of the managedFields entries: (manager, operation, fieldsV1).
fn entries(obj: &DynamicObject) -> Vec<(String, String, Value)> {
    managed_fields(obj)
        .into_iter()
        .map(|e| {
            assert!(e["time"].is_string(), "every entry has a time: {e}");
            (
                e["manager"].as_str().unwrap_or_default().to_owned(),
                e["operation"].as_str().unwrap_or_default().to_owned(),
                e["fieldsV1"].clone(),
            )
        })
        .collect()
}

async fn updates_and_patches_take_ownership_from_appliers(env: Env) {
    let api = widgets(&env.client, "default");
    let alice = config("w", json!({}), json!({"size": 1, "color": "red"}));
    apply(&api, "alice", &alice).await;

    // A merge patch changes an applied field: the patcher owns it now, under an Update entry.
    let patched = api
        .patch(
            "w",
            &as_manager("editor"),
            &Patch::Merge(json!({"spec": {"size": 2}})),
        )
        .await
        .expect("merge patch");
    assert_eq!(
        entries(&patched),
        vec![
            (
                "alice".to_owned(),
                "Apply".to_owned(),
                json!({"f:spec": {"f:color": {}}})
            ),
            (
                "editor".to_owned(),
                "Update".to_owned(),
                json!({"f:spec": {"f:size": {}}})
            ),
        ]
    );
    let editor = managed_fields(&patched)
        .into_iter()
        .find(|e| e["manager"] == "editor")
        .expect("editor entry");
    assert_eq!(editor["apiVersion"], "widgets.example.io/v1");

    // alice applies her configuration again: the patched field is a conflict naming the writer.
    let conflict = api_error(
        api.patch("w", &PatchParams::apply("alice"), &Patch::Apply(&alice))
            .await,
    );
    assert_eq!((conflict.code, conflict.reason.as_str()), (409, "Conflict"));
    assert_eq!(
        conflict.message,
        "Apply failed with 1 conflict: conflict with \"editor\" using widgets.example.io/v1: .spec.size"
    );
    let causes = conflict.details.map(|d| d.causes).unwrap_or_default();
    assert_eq!(causes.len(), 1);
    assert_eq!(causes[0].field, ".spec.size");
    assert_eq!(causes[0].reason, "FieldManagerConflict");

    // A JSON patch and a PUT take over too; conflicts list every writer.
    api.patch(
        "w",
        &as_manager("jsonpatcher"),
        &Patch::Json::<()>(
            serde_json::from_value(
                json!([{"op": "replace", "path": "/spec/color", "value": "blue"}]),
            )
            .expect("patch"),
        ),
    )
    .await
    .expect("json patch");
    let mut current = api.get("w").await.expect("get");
    current.data["spec"]["size"] = json!(3);
    api.replace(
        "w",
        &PostParams {
            field_manager: Some("replacer".to_owned()),
            ..PostParams::default()
        },
        &current,
    )
    .await
    .expect("replace");
    let conflict = api_error(
        api.patch("w", &PatchParams::apply("alice"), &Patch::Apply(&alice))
            .await,
    );
    assert_eq!(
        conflict.message,
        "Apply failed with 2 conflicts: conflicts with \"jsonpatcher\" using widgets.example.io/v1:\n- .spec.color\nconflicts with \"replacer\" using widgets.example.io/v1:\n- .spec.size"
    );

    // A patch that changes nothing takes nothing.
    let unchanged = api
        .patch(
            "w",
            &as_manager("bystander"),
            &Patch::Merge(json!({"spec": {"size": 3}})),
        )
        .await
        .expect("no-op patch");
    assert!(entries(&unchanged).iter().all(|(m, _, _)| m != "bystander"));
    assert_eq!(rv(&unchanged), rv(&api.get("w").await.expect("get")));

    // Forcing takes everything back; writers left owning nothing lose their entries.
    let forced = api
        .patch(
            "w",
            &PatchParams::apply("alice").force(),
            &Patch::Apply(&alice),
        )
        .await
        .expect("forced apply");
    assert_eq!(forced.data["spec"], json!({"size": 1, "color": "red"}));
    let managers: Vec<String> = entries(&forced).into_iter().map(|(m, _, _)| m).collect();
    assert_eq!(managers, vec!["alice"]);

    // Without fieldManager the writer is named after its User-Agent, as upstream; kube's
    // client sends none, so its entry has no manager at all.
    let anonymous = api
        .patch(
            "w",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"extra": true}})),
        )
        .await
        .expect("patch");
    let entry = managed_fields(&anonymous)
        .into_iter()
        .find(|e| e["operation"] == "Update")
        .expect("update entry");
    assert!(entry.get("manager").is_none(), "{entry}");
    if let Some(http) = &env.http {
        let mut config = http.config();
        config.headers.push((
            http::header::USER_AGENT,
            http::HeaderValue::from_static("my-controller/1.2.3 (linux/amd64) kube-rs"),
        ));
        let client = kube::Client::try_from(config).expect("client");
        let named = widgets(&client, "default")
            .patch(
                "w",
                &PatchParams::default(),
                &Patch::Merge(json!({"spec": {"extra": false}})),
            )
            .await
            .expect("patch");
        assert!(
            entries(&named)
                .iter()
                .any(|(m, op, _)| m == "my-controller" && op == "Update"),
            "{:?}",
            entries(&named)
        );
    }
}

async fn a_create_owns_what_it_sets(env: Env) {
    let api = widgets(&env.client, "default");
    let created = api
        .create(
            &PostParams {
                field_manager: Some("creator".to_owned()),
                ..PostParams::default()
            },
            &with_labels(widget("w", json!({"size": 1})), &[("app", "web")]),
        )
        .await
        .expect("create");
    assert_eq!(
        entries(&created),
        vec![(
            "creator".to_owned(),
            "Update".to_owned(),
            json!({
                "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
                "f:spec": {".": {}, "f:size": {}},
            })
        )]
    );
    let conflict = api_error(
        api.patch(
            "w",
            &PatchParams::apply("alice"),
            &Patch::Apply(config("w", json!({}), json!({"size": 2}))),
        )
        .await,
    );
    assert!(
        conflict
            .message
            .ends_with("conflict with \"creator\" using widgets.example.io/v1: .spec.size"),
        "{}",
        conflict.message
    );
    // Applying the value the object already has is shared ownership, no conflict.
    apply(&api, "alice", &config("w", json!({}), json!({"size": 1}))).await;
}

async fn a_resource_version_in_an_apply_is_a_precondition(env: Env) {
    let api = widgets(&env.client, "default");
    let first = apply(&api, "alice", &config("w", json!({}), json!({"size": 1}))).await;
    let moved = api
        .patch(
            "w",
            &as_manager("editor"),
            &Patch::Merge(json!({"spec": {"color": "red"}})),
        )
        .await
        .expect("patch");
    assert_ne!(rv(&moved), rv(&first));

    let stale = config(
        "w",
        json!({"resourceVersion": rv(&first)}),
        json!({"size": 2}),
    );
    let conflict = api_error(
        api.patch("w", &PatchParams::apply("alice"), &Patch::Apply(&stale))
            .await,
    );
    assert_eq!((conflict.code, conflict.reason.as_str()), (409, "Conflict"));
    assert_eq!(
        conflict.message,
        "Operation cannot be fulfilled on widgets.widgets.example.io \"w\": the object has been modified; please apply your changes to the latest version and try again"
    );
    let unchanged = api.get("w").await.expect("get");
    assert_eq!(rv(&unchanged), rv(&moved));
    assert_eq!(unchanged.data["spec"]["size"], 1);

    let fresh = config(
        "w",
        json!({"resourceVersion": rv(&moved)}),
        json!({"size": 2}),
    );
    let applied = apply(&api, "alice", &fresh).await;
    assert_eq!(applied.data["spec"]["size"], 2);
    assert!(
        managed_fields(&applied)
            .iter()
            .all(|e| !e["fieldsV1"].to_string().contains("resourceVersion")),
        "resourceVersion is never owned"
    );
}
