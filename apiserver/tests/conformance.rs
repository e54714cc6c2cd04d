//! Conformance-style scenarios, each run twice: in-process (tower service) and over loopback
//! HTTP, both through `kube::Api`.

mod common;

use common::*;
use futures::{StreamExt, TryStreamExt};
use kube::api::{
    Api, DeleteParams, DynamicObject, ListParams, Patch, PatchParams, PostParams, Preconditions,
    WatchEvent, WatchParams,
};
use kube::core::ObjectMeta;
use kube::discovery::{Discovery, Scope};
use serde_json::{Value, json};

macro_rules! conformance {
    ($($scenario:ident),* $(,)?) => {
        mod in_process {
            $(#[tokio::test] async fn $scenario() { super::$scenario(super::Env::new(super::Transport::InProcess).await).await })*
        }
        mod over_http {
            $(#[tokio::test] async fn $scenario() { super::$scenario(super::Env::new(super::Transport::Http).await).await })*
        }
    };
}

conformance!(
    discovery_reports_groups_versions_scope_and_subresources,
    create_sets_server_fields_and_get_returns_it,
    create_errors_follow_upstream,
    list_filters_pages_and_spans_namespaces,
    update_uses_optimistic_concurrency_and_generation,
    status_subresource_separates_spec_and_status,
    patch_merge_json_and_strategic,
    server_side_apply_creates_merges_and_conflicts,
    finalizers_hold_deletion_until_removed,
    delete_preconditions_and_collection,
    scale_subresource_reads_and_writes_replicas,
    versions_share_storage,
    namespaces_exist_and_cascade,
    watch_streams_changes_from_a_version,
    watch_reports_expired_history,
    streaming_list_ends_initial_events_with_bookmark,
    logical_clusters_are_isolated_and_wildcard_lists_annotate,
);

async fn discovery_reports_groups_versions_scope_and_subresources(env: Env) {
    let version = env.client.apiserver_version().await.expect("version");
    assert_eq!(version.major, "1");
    let discovery = Discovery::new(env.client.clone())
        .run()
        .await
        .expect("discovery");
    let group = discovery.get(GROUP).expect("widgets group");
    assert_eq!(group.preferred_version(), Some("v1"));
    let versions: Vec<&str> = group.versions().collect();
    assert_eq!(versions, vec!["v1", "v1beta1"]);
    let (widget, caps) = group
        .recommended_resources()
        .into_iter()
        .find(|(r, _)| r.kind == "Widget")
        .expect("Widget");
    assert_eq!(widget.plural, "widgets");
    assert_eq!(caps.scope, Scope::Namespaced);
    assert!(caps.subresources.iter().any(|(r, _)| r.plural == "status"));
    let (_, gadget_caps) = group
        .recommended_resources()
        .into_iter()
        .find(|(r, _)| r.kind == "Gadget")
        .expect("Gadget");
    assert_eq!(gadget_caps.scope, Scope::Cluster);
    let core = discovery.get("").expect("core group");
    assert!(
        core.recommended_resources()
            .iter()
            .any(|(r, _)| r.plural == "namespaces")
    );

    // Short names and verbs as the raw document reports them.
    let list: Value = raw_get(&env, "/apis/widgets.example.io/v1").await;
    let entry = list["resources"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["name"] == "widgets"))
        .cloned();
    let entry = entry.expect("widgets entry");
    assert_eq!(entry["shortNames"], json!(["wd"]));
    assert!(
        entry["verbs"]
            .as_array()
            .is_some_and(|v| v.contains(&json!("deletecollection")))
    );
    let unknown = api_error(
        env.client
            .request::<Value>(
                http::Request::get("/apis/nope.example.io/v1")
                    .body(Vec::new())
                    .expect("request"),
            )
            .await,
    );
    assert_eq!(unknown.code, 404);
}

async fn raw_get(env: &Env, path: &str) -> Value {
    env.client
        .request::<Value>(http::Request::get(path).body(Vec::new()).expect("request"))
        .await
        .expect("raw get")
}

async fn create_sets_server_fields_and_get_returns_it(env: Env) {
    let api = widgets(&env.client, "default");
    let created = api
        .create(&PostParams::default(), &widget("w1", json!({"size": 1})))
        .await
        .expect("create");
    let meta = &created.metadata;
    assert!(meta.uid.as_deref().is_some_and(|u| u.len() == 36));
    assert!(meta.creation_timestamp.is_some());
    assert_eq!(meta.generation, Some(1));
    assert_eq!(meta.namespace.as_deref(), Some("default"));
    let rv: u64 = meta
        .resource_version
        .as_deref()
        .and_then(|r| r.parse().ok())
        .expect("numeric rv");
    let second = api
        .create(&PostParams::default(), &widget("w2", json!({})))
        .await
        .expect("create");
    let rv2: u64 = second
        .metadata
        .resource_version
        .as_deref()
        .and_then(|r| r.parse().ok())
        .expect("rv");
    assert!(rv2 > rv, "one monotonic counter");

    let got = api.get("w1").await.expect("get");
    assert_eq!(got.data["spec"]["size"], 1);
    assert_eq!(got.types.as_ref().map(|t| t.kind.as_str()), Some("Widget"));

    let missing = api_error(api.get("nope").await);
    assert_eq!(missing.code, 404);
    assert_eq!(missing.reason, "NotFound");
    let details = missing.details.expect("details");
    assert_eq!(details.name, "nope");
    assert_eq!(details.group, GROUP);
    assert_eq!(details.kind, "widgets");
    assert!(api.get_opt("nope").await.expect("get_opt").is_none());
}

async fn create_errors_follow_upstream(env: Env) {
    let api = widgets(&env.client, "default");
    api.create(&PostParams::default(), &widget("taken", json!({})))
        .await
        .expect("create");
    let exists = api_error(
        api.create(&PostParams::default(), &widget("taken", json!({})))
            .await,
    );
    assert_eq!(
        (exists.code, exists.reason.as_str()),
        (409, "AlreadyExists")
    );

    let mut nameless = widget("", json!({}));
    nameless.metadata.name = None;
    let invalid = api_error(api.create(&PostParams::default(), &nameless).await);
    assert_eq!((invalid.code, invalid.reason.as_str()), (422, "Invalid"));
    assert!(
        invalid.message.contains("metadata.name: Required value"),
        "{}",
        invalid.message
    );

    let mut generated = nameless.clone();
    generated.metadata.generate_name = Some("gen-".to_owned());
    let made = api
        .create(&PostParams::default(), &generated)
        .await
        .expect("generateName");
    let name = made.metadata.name.expect("generated name");
    assert!(name.starts_with("gen-") && name.len() == 9, "{name}");

    let bad_name = api_error(
        api.create(&PostParams::default(), &widget("Not_Valid", json!({})))
            .await,
    );
    assert_eq!(bad_name.code, 422);

    let elsewhere = widgets(&env.client, "no-such-namespace");
    let missing_ns = api_error(
        elsewhere
            .create(&PostParams::default(), &widget("w", json!({})))
            .await,
    );
    assert_eq!(missing_ns.code, 404);
    assert!(
        missing_ns
            .message
            .contains("namespaces \"no-such-namespace\" not found"),
        "{}",
        missing_ns.message
    );

    let mut wrong_version = widget("w", json!({}));
    wrong_version.types = Some(kube::core::TypeMeta {
        api_version: "widgets.example.io/v9".to_owned(),
        kind: "Widget".to_owned(),
    });
    let mismatch = api_error(api.create(&PostParams::default(), &wrong_version).await);
    assert_eq!(mismatch.code, 400);

    let mut other_ns = widget("w", json!({}));
    other_ns.metadata.namespace = Some("kube-system".to_owned());
    let ns_mismatch = api_error(api.create(&PostParams::default(), &other_ns).await);
    assert_eq!(ns_mismatch.code, 400);

    let dry = api
        .create(
            &PostParams {
                dry_run: true,
                ..Default::default()
            },
            &widget("dry", json!({})),
        )
        .await
        .expect("dry run");
    assert_eq!(dry.metadata.name.as_deref(), Some("dry"));
    assert!(
        api.get_opt("dry").await.expect("get").is_none(),
        "dry run stores nothing"
    );
}

async fn list_filters_pages_and_spans_namespaces(env: Env) {
    let namespaces: Api<k8s_openapi::api::core::v1::Namespace> = Api::all(env.client.clone());
    let ns = k8s_openapi::api::core::v1::Namespace {
        metadata: ObjectMeta {
            name: Some("other".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    namespaces
        .create(&PostParams::default(), &ns)
        .await
        .expect("namespace");
    let api = widgets(&env.client, "default");
    let objects = [
        ("a", "web", "front"),
        ("b", "web", "back"),
        ("c", "db", "back"),
        ("d", "cache", ""),
    ];
    for (name, app, tier) in objects {
        let mut labels = vec![("app", app)];
        if !tier.is_empty() {
            labels.push(("tier", tier));
        }
        api.create(
            &PostParams::default(),
            &with_labels(widget(name, json!({})), &labels),
        )
        .await
        .expect("create");
    }
    widgets(&env.client, "other")
        .create(
            &PostParams::default(),
            &with_labels(widget("e", json!({})), &[("app", "web")]),
        )
        .await
        .expect("create in other");

    async fn names(api: &Api<DynamicObject>, lp: &ListParams) -> Vec<String> {
        api.list(lp)
            .await
            .expect("list")
            .items
            .into_iter()
            .filter_map(|o| o.metadata.name)
            .collect()
    }
    let cases: [(&str, &[&str]); 8] = [
        ("app=web", &["a", "b"]),
        ("app==web", &["a", "b"]),
        ("app!=web", &["c", "d"]),
        ("app in (web,db)", &["a", "b", "c"]),
        ("app notin (web)", &["c", "d"]),
        ("tier", &["a", "b", "c"]),
        ("!tier", &["d"]),
        ("app=web,tier=back", &["b"]),
    ];
    for (selector, expected) in cases {
        assert_eq!(
            names(&api, &ListParams::default().labels(selector)).await,
            expected,
            "{selector}"
        );
    }
    assert_eq!(
        names(&api, &ListParams::default().fields("metadata.name=c")).await,
        vec!["c"]
    );
    assert_eq!(
        names(&api, &ListParams::default().fields("metadata.name!=c")).await,
        vec!["a", "b", "d"]
    );
    let bad = api_error(api.list(&ListParams::default().labels("app in web")).await);
    assert_eq!(bad.code, 400);
    let unsupported = api_error(api.list(&ListParams::default().fields("spec.size=1")).await);
    assert_eq!(unsupported.code, 400);

    let all: Api<DynamicObject> = Api::all_with(env.client.clone(), &widget_resource());
    assert_eq!(
        names(&all, &ListParams::default().labels("app=web")).await,
        vec!["a", "b", "e"]
    );
    assert_eq!(
        names(
            &all,
            &ListParams::default().fields("metadata.namespace=other")
        )
        .await,
        vec!["e"]
    );

    // Paging: 2 + 2 + 1 with a stable list resourceVersion.
    let first = all
        .list(&ListParams::default().limit(2))
        .await
        .expect("page 1");
    assert_eq!(first.items.len(), 2);
    let list_rv = first.metadata.resource_version.clone().expect("list rv");
    let mut seen: Vec<String> = first
        .items
        .iter()
        .filter_map(|o| o.metadata.name.clone())
        .collect();
    let mut token = first.metadata.continue_.clone();
    let mut pages = 1;
    while let Some(t) = token.filter(|t| !t.is_empty()) {
        let page = all
            .list(&ListParams::default().limit(2).continue_token(&t))
            .await
            .expect("page");
        assert_eq!(
            page.metadata.resource_version.as_deref(),
            Some(list_rv.as_str())
        );
        seen.extend(page.items.iter().filter_map(|o| o.metadata.name.clone()));
        token = page.metadata.continue_.clone();
        pages += 1;
        assert!(pages < 10, "paging must end");
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, vec!["a", "b", "c", "d", "e"]);
    let garbage = api_error(
        all.list(&ListParams::default().continue_token("not-a-token"))
            .await,
    );
    assert_eq!(garbage.code, 400);
}

async fn update_uses_optimistic_concurrency_and_generation(env: Env) {
    let api = widgets(&env.client, "default");
    let created = api
        .create(&PostParams::default(), &widget("w", json!({"size": 1})))
        .await
        .expect("create");

    let mut labelled = created.clone();
    labelled.metadata.labels = Some([("x".to_owned(), "y".to_owned())].into());
    let after_labels = api
        .replace("w", &PostParams::default(), &labelled)
        .await
        .expect("replace");
    assert_eq!(
        after_labels.metadata.generation,
        Some(1),
        "metadata changes do not bump generation"
    );

    let mut bigger = after_labels.clone();
    bigger.data["spec"]["size"] = json!(2);
    let after_spec = api
        .replace("w", &PostParams::default(), &bigger)
        .await
        .expect("replace");
    assert_eq!(after_spec.metadata.generation, Some(2));

    // `created` carries the first resourceVersion: stale now.
    let stale = api_error(api.replace("w", &PostParams::default(), &created).await);
    assert_eq!((stale.code, stale.reason.as_str()), (409, "Conflict"));
    assert!(stale.message.contains("the object has been modified"));

    let unchanged = api
        .replace("w", &PostParams::default(), &after_spec)
        .await
        .expect("no-op");
    assert_eq!(
        unchanged.metadata.resource_version, after_spec.metadata.resource_version,
        "no-op keeps rv"
    );

    let mut no_rv = after_spec.clone();
    no_rv.metadata.resource_version = None;
    let invalid = api_error(api.replace("w", &PostParams::default(), &no_rv).await);
    assert_eq!(invalid.code, 422);

    let missing = api_error(
        api.replace("ghost", &PostParams::default(), &widget("ghost", json!({})))
            .await,
    );
    assert_eq!(missing.code, 404);
    let renamed = api_error(
        api.replace("w", &PostParams::default(), &widget("other", json!({})))
            .await,
    );
    assert_eq!(renamed.code, 400);
}

async fn status_subresource_separates_spec_and_status(env: Env) {
    let api = widgets(&env.client, "default");
    let mut w = widget("w", json!({"size": 1}));
    w.data["status"] = json!({"ready": true});
    let created = api
        .create(&PostParams::default(), &w)
        .await
        .expect("create");
    assert!(
        created.data.get("status").is_none(),
        "create cannot set status"
    );

    let mut with_status = created.clone();
    with_status.data["status"] = json!({"ready": true});
    with_status.data["spec"]["size"] = json!(5);
    let after = api
        .replace_status("w", &PostParams::default(), &with_status)
        .await
        .expect("status");
    assert_eq!(after.data["status"]["ready"], true);
    assert_eq!(
        after.data["spec"]["size"], 1,
        "status endpoint ignores spec"
    );
    assert_eq!(after.metadata.generation, Some(1));

    let mut main = after.clone();
    main.data["status"] = json!({"ready": false});
    let after_main = api
        .replace("w", &PostParams::default(), &main)
        .await
        .expect("replace");
    assert_eq!(
        after_main.data["status"]["ready"], true,
        "main endpoint ignores status"
    );

    let patched = api
        .patch_status(
            "w",
            &PatchParams::default(),
            &Patch::Merge(json!({"status": {"phase": "Up"}})),
        )
        .await
        .expect("patch status");
    assert_eq!(patched.data["status"]["phase"], "Up");
    assert_eq!(patched.data["status"]["ready"], true);
    let got = api.get_status("w").await.expect("get status");
    assert_eq!(got.data["status"]["phase"], "Up");
}

async fn patch_merge_json_and_strategic(env: Env) {
    let api = widgets(&env.client, "default");
    api.create(
        &PostParams::default(),
        &widget("w", json!({"size": 1, "color": "red"})),
    )
    .await
    .expect("create");
    let merged = api
        .patch(
            "w",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"size": 2, "color": null}})),
        )
        .await
        .expect("merge");
    assert_eq!(merged.data["spec"], json!({"size": 2}));
    assert_eq!(merged.metadata.generation, Some(2));

    let ops: json_patch::Patch = serde_json::from_value(json!([
        {"op": "add", "path": "/spec/shape", "value": "round"},
        {"op": "replace", "path": "/spec/size", "value": 3},
    ]))
    .expect("patch doc");
    let patched = api
        .patch("w", &PatchParams::default(), &Patch::<()>::Json(ops))
        .await
        .expect("json patch");
    assert_eq!(patched.data["spec"], json!({"size": 3, "shape": "round"}));

    let failing: json_patch::Patch =
        serde_json::from_value(json!([{"op": "test", "path": "/spec/size", "value": 99}]))
            .expect("patch doc");
    let failed = api_error(
        api.patch("w", &PatchParams::default(), &Patch::<()>::Json(failing))
            .await,
    );
    assert_eq!(failed.code, 422);

    let strategic = api_error(
        api.patch(
            "w",
            &PatchParams::default(),
            &Patch::Strategic(json!({"spec": {"size": 4}})),
        )
        .await,
    );
    assert_eq!(
        (strategic.code, strategic.reason.as_str()),
        (415, "UnsupportedMediaType")
    );

    let stale_rv = api_error(
        api.patch(
            "w",
            &PatchParams::default(),
            &Patch::Merge(json!({"metadata": {"resourceVersion": "1"}, "spec": {"size": 9}})),
        )
        .await,
    );
    assert_eq!(stale_rv.code, 409);
    let missing = api_error(
        api.patch("ghost", &PatchParams::default(), &Patch::Merge(json!({})))
            .await,
    );
    assert_eq!(missing.code, 404);
}

async fn server_side_apply_creates_merges_and_conflicts(env: Env) {
    let api = widgets(&env.client, "default");
    let config = |spec: Value| json!({"apiVersion": "widgets.example.io/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": spec});
    let created = api
        .patch(
            "w",
            &PatchParams::apply("alice"),
            &Patch::Apply(config(json!({"size": 1, "color": "red"}))),
        )
        .await
        .expect("apply creates");
    assert_eq!(created.data["spec"], json!({"size": 1, "color": "red"}));
    let managers: Vec<String> = created
        .metadata
        .managed_fields
        .unwrap_or_default()
        .into_iter()
        .filter_map(|m| m.manager)
        .collect();
    assert_eq!(managers, vec!["alice"]);

    let conflict = api_error(
        api.patch(
            "w",
            &PatchParams::apply("bob"),
            &Patch::Apply(config(json!({"size": 2}))),
        )
        .await,
    );
    assert_eq!(conflict.code, 409);
    assert!(
        conflict.message.contains("conflict with \"alice\""),
        "{}",
        conflict.message
    );

    let forced = api
        .patch(
            "w",
            &PatchParams::apply("bob").force(),
            &Patch::Apply(config(json!({"size": 2}))),
        )
        .await
        .expect("forced apply");
    assert_eq!(forced.data["spec"]["size"], 2);

    // alice drops `color` from her configuration: the field goes away.
    let dropped = api
        .patch(
            "w",
            &PatchParams::apply("alice"),
            &Patch::Apply(config(json!({"size": 2}))),
        )
        .await
        .expect("apply");
    assert_eq!(dropped.data["spec"], json!({"size": 2}));

    let no_manager = api_error(
        api.patch(
            "w",
            &PatchParams::default(),
            &Patch::Apply(config(json!({"size": 3}))),
        )
        .await,
    );
    assert_eq!(no_manager.code, 422);
}

async fn finalizers_hold_deletion_until_removed(env: Env) {
    let api = widgets(&env.client, "default");
    let mut w = widget("w", json!({}));
    w.metadata.finalizers = Some(vec!["example.io/cleanup".to_owned()]);
    api.create(&PostParams::default(), &w)
        .await
        .expect("create");
    let deleting = api
        .delete("w", &DeleteParams::default())
        .await
        .expect("delete");
    let obj = deleting
        .left()
        .expect("object still there while finalizing");
    assert!(obj.metadata.deletion_timestamp.is_some());
    assert_eq!(obj.metadata.generation, Some(2));
    let still = api.get("w").await.expect("still readable");
    assert!(still.metadata.deletion_timestamp.is_some());

    let add = api_error(
        api.patch(
            "w",
            &PatchParams::default(),
            &Patch::Merge(json!({"metadata": {"finalizers": ["example.io/cleanup", "new"]}})),
        )
        .await,
    );
    assert_eq!(add.code, 422, "no new finalizers while deleting");

    api.patch(
        "w",
        &PatchParams::default(),
        &Patch::Merge(json!({"metadata": {"finalizers": null}})),
    )
    .await
    .expect("remove finalizer");
    assert!(
        api.get_opt("w").await.expect("get").is_none(),
        "gone once finalizers are removed"
    );

    api.create(&PostParams::default(), &widget("plain", json!({})))
        .await
        .expect("create");
    let gone = api
        .delete("plain", &DeleteParams::default())
        .await
        .expect("delete");
    assert!(
        gone.is_right(),
        "immediate deletion answers with a Success Status"
    );
}

async fn delete_preconditions_and_collection(env: Env) {
    let api = widgets(&env.client, "default");
    let w = api
        .create(&PostParams::default(), &widget("w", json!({})))
        .await
        .expect("create");
    let wrong_uid = DeleteParams {
        preconditions: Some(Preconditions {
            uid: Some("nope".into()),
            resource_version: None,
        }),
        ..Default::default()
    };
    assert_eq!(api_error(api.delete("w", &wrong_uid).await).code, 409);
    let wrong_rv = DeleteParams {
        preconditions: Some(Preconditions {
            uid: None,
            resource_version: Some("1".into()),
        }),
        ..Default::default()
    };
    assert_eq!(api_error(api.delete("w", &wrong_rv).await).code, 409);
    let right = DeleteParams {
        preconditions: Some(Preconditions {
            uid: w.metadata.uid.clone(),
            resource_version: w.metadata.resource_version.clone(),
        }),
        ..Default::default()
    };
    api.delete("w", &right)
        .await
        .expect("delete with matching preconditions");
    assert_eq!(
        api_error(api.delete("w", &DeleteParams::default()).await).code,
        404
    );

    for (name, app) in [("a", "x"), ("b", "x"), ("c", "y")] {
        api.create(
            &PostParams::default(),
            &with_labels(widget(name, json!({})), &[("app", app)]),
        )
        .await
        .expect("create");
    }
    let deleted = api
        .delete_collection(
            &DeleteParams::default(),
            &ListParams::default().labels("app=x"),
        )
        .await
        .expect("deletecollection");
    let names: Vec<String> = deleted
        .left()
        .expect("list")
        .items
        .into_iter()
        .filter_map(|o| o.metadata.name)
        .collect();
    assert_eq!(names, vec!["a", "b"]);
    let left: Vec<String> = api
        .list(&ListParams::default())
        .await
        .expect("list")
        .items
        .into_iter()
        .filter_map(|o| o.metadata.name)
        .collect();
    assert_eq!(left, vec!["c"]);
}

async fn scale_subresource_reads_and_writes_replicas(env: Env) {
    let ships: Api<DynamicObject> = Api::namespaced_with(
        env.client.clone(),
        "default",
        &resource("fleet.example.io", "v1", "Ship", "ships"),
    );
    let ship = DynamicObject::new("s", &resource("fleet.example.io", "v1", "Ship", "ships"))
        .data(json!({"spec": {"replicas": 2}}));
    ships
        .create(&PostParams::default(), &ship)
        .await
        .expect("create");
    ships
        .patch_status(
            "s",
            &PatchParams::default(),
            &Patch::Merge(json!({"status": {"replicas": 1}})),
        )
        .await
        .expect("status");
    let scale = ships.get_scale("s").await.expect("scale");
    assert_eq!(scale.spec.and_then(|s| s.replicas), Some(2));
    assert_eq!(scale.status.map(|s| s.replicas), Some(1));
    let scaled = ships
        .patch_scale(
            "s",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"replicas": 5}})),
        )
        .await
        .expect("patch scale");
    assert_eq!(scaled.spec.and_then(|s| s.replicas), Some(5));
    let got = ships.get("s").await.expect("get");
    assert_eq!(got.data["spec"]["replicas"], 5);
    assert_eq!(got.metadata.generation, Some(2));
    let no_scale = api_error(widgets(&env.client, "default").get_scale("s").await);
    assert_eq!(no_scale.code, 404);
}

async fn versions_share_storage(env: Env) {
    let v1 = widgets(&env.client, "default");
    let beta_resource = resource(GROUP, "v1beta1", "Widget", "widgets");
    let beta: Api<DynamicObject> =
        Api::namespaced_with(env.client.clone(), "default", &beta_resource);
    v1.create(&PostParams::default(), &widget("w", json!({"size": 1})))
        .await
        .expect("create v1");
    let seen = beta.get("w").await.expect("same object at v1beta1");
    assert_eq!(
        seen.types.map(|t| t.api_version),
        Some("widgets.example.io/v1beta1".to_owned())
    );
    assert_eq!(seen.data["spec"]["size"], 1);
}

async fn namespaces_exist_and_cascade(env: Env) {
    use k8s_openapi::api::core::v1::Namespace;
    let namespaces: Api<Namespace> = Api::all(env.client.clone());
    let default = namespaces.get("default").await.expect("default namespace");
    assert_eq!(
        default.status.and_then(|s| s.phase).as_deref(),
        Some("Active")
    );
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
        .expect("create ns");
    let api = widgets(&env.client, "team");
    api.create(&PostParams::default(), &widget("plain", json!({})))
        .await
        .expect("create");
    let mut held = widget("held", json!({}));
    held.metadata.finalizers = Some(vec!["x/y".into()]);
    api.create(&PostParams::default(), &held)
        .await
        .expect("create");

    namespaces
        .delete("team", &DeleteParams::default())
        .await
        .expect("delete ns");
    let terminating = namespaces.get("team").await.expect("still terminating");
    assert_eq!(
        terminating.status.and_then(|s| s.phase).as_deref(),
        Some("Terminating")
    );
    // The content goes shortly after, as upstream's namespace controller removes it.
    let mut gone = false;
    for _ in 0..100 {
        if api.get_opt("plain").await.expect("get").is_none() {
            gone = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(gone, "the namespace's content was never deleted");
    let refused = api_error(
        api.create(&PostParams::default(), &widget("late", json!({})))
            .await,
    );
    assert_eq!(refused.code, 403);

    api.patch(
        "held",
        &PatchParams::default(),
        &Patch::Merge(json!({"metadata": {"finalizers": null}})),
    )
    .await
    .expect("release");
    let mut emptied = false;
    for _ in 0..100 {
        if namespaces.get_opt("team").await.expect("get").is_none() {
            emptied = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(emptied, "namespace goes when emptied");
}

async fn next_event(
    stream: &mut (impl futures::Stream<Item = kube::Result<WatchEvent<DynamicObject>>> + Unpin),
) -> WatchEvent<DynamicObject> {
    within(10, stream.try_next())
        .await
        .expect("watch event")
        .expect("stream open")
}

/// Next event that is not a bookmark.
async fn next_change(
    stream: &mut (impl futures::Stream<Item = kube::Result<WatchEvent<DynamicObject>>> + Unpin),
) -> WatchEvent<DynamicObject> {
    for _ in 0..100 {
        match next_event(stream).await {
            WatchEvent::Bookmark(_) => continue,
            other => return other,
        }
    }
    panic!("only bookmarks");
}

async fn watch_streams_changes_from_a_version(env: Env) {
    let api = widgets(&env.client, "default");
    let existing = api
        .create(&PostParams::default(), &widget("before", json!({})))
        .await
        .expect("create");
    let from = existing.metadata.resource_version.clone().expect("rv");
    let mut stream = api
        .watch(&WatchParams::default().timeout(30), &from)
        .await
        .expect("watch")
        .boxed();
    api.create(&PostParams::default(), &widget("w", json!({"size": 1})))
        .await
        .expect("create");
    api.patch(
        "w",
        &PatchParams::default(),
        &Patch::Merge(json!({"spec": {"size": 2}})),
    )
    .await
    .expect("patch");
    api.delete("w", &DeleteParams::default())
        .await
        .expect("delete");
    match next_change(&mut stream).await {
        WatchEvent::Added(o) => assert_eq!(o.metadata.name.as_deref(), Some("w")),
        other => panic!("expected ADDED, got {other:?}"),
    }
    match next_change(&mut stream).await {
        WatchEvent::Modified(o) => assert_eq!(o.data["spec"]["size"], 2),
        other => panic!("expected MODIFIED, got {other:?}"),
    }
    match next_change(&mut stream).await {
        WatchEvent::Deleted(o) => assert_eq!(o.metadata.name.as_deref(), Some("w")),
        other => panic!("expected DELETED, got {other:?}"),
    }

    // Bookmarks when asked for.
    let mut marked = api
        .watch(
            &WatchParams {
                bookmarks: true,
                ..WatchParams::default()
            }
            .timeout(30),
            &from,
        )
        .await
        .expect("watch")
        .boxed();
    let mut saw_bookmark = false;
    for _ in 0..10 {
        if let WatchEvent::Bookmark(b) = next_event(&mut marked).await {
            assert!(!b.metadata.resource_version.is_empty());
            saw_bookmark = true;
            break;
        }
    }
    assert!(saw_bookmark);

    // A label-selected watch sees an object leave its selection as DELETED.
    let now = api
        .list(&ListParams::default())
        .await
        .expect("list")
        .metadata
        .resource_version
        .expect("rv");
    let mut selected = api
        .watch(&WatchParams::default().labels("app=web").timeout(30), &now)
        .await
        .expect("watch")
        .boxed();
    api.create(
        &PostParams::default(),
        &with_labels(widget("s", json!({})), &[("app", "web")]),
    )
    .await
    .expect("create");
    api.patch(
        "s",
        &PatchParams::default(),
        &Patch::Merge(json!({"metadata": {"labels": {"app": "db"}}})),
    )
    .await
    .expect("relabel");
    assert!(matches!(
        next_change(&mut selected).await,
        WatchEvent::Added(_)
    ));
    assert!(matches!(
        next_change(&mut selected).await,
        WatchEvent::Deleted(_)
    ));

    // Timeout ends the stream.
    let mut short = api
        .watch(&WatchParams::default().timeout(1), &now)
        .await
        .expect("watch")
        .boxed();
    let mut ended = false;
    for _ in 0..100 {
        match within(10, short.try_next()).await {
            Ok(None) => {
                ended = true;
                break;
            }
            Ok(Some(_)) => continue,
            Err(e) => panic!("watch failed: {e}"),
        }
    }
    assert!(ended, "timeoutSeconds closes the watch");
}

async fn watch_reports_expired_history(env: Env) {
    let api = widgets(&env.client, "default");
    let first = api
        .create(&PostParams::default(), &widget("a", json!({})))
        .await
        .expect("create");
    api.create(&PostParams::default(), &widget("b", json!({})))
        .await
        .expect("create");
    env.server.compact();
    let from = first.metadata.resource_version.expect("rv");
    let mut stream = api
        .watch(&WatchParams::default(), &from)
        .await
        .expect("watch")
        .boxed();
    match next_event(&mut stream).await {
        WatchEvent::Error(e) => {
            assert_eq!(e.code, 410);
            assert_eq!(e.reason, "Expired");
        }
        other => panic!("expected ERROR 410, got {other:?}"),
    }
}

async fn streaming_list_ends_initial_events_with_bookmark(env: Env) {
    let api = widgets(&env.client, "default");
    for name in ["a", "b"] {
        api.create(&PostParams::default(), &widget(name, json!({})))
            .await
            .expect("create");
    }
    let mut stream = api
        .watch(&WatchParams::streaming_lists().timeout(30), "")
        .await
        .expect("watch")
        .boxed();
    let mut added = Vec::new();
    loop {
        match next_event(&mut stream).await {
            WatchEvent::Added(o) => added.push(o.metadata.name.unwrap_or_default()),
            WatchEvent::Bookmark(b) => {
                assert!(
                    b.metadata
                        .annotations
                        .contains_key("k8s.io/initial-events-end")
                );
                break;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(added, vec!["a", "b"]);
    api.create(&PostParams::default(), &widget("c", json!({})))
        .await
        .expect("create");
    assert!(
        matches!(next_change(&mut stream).await, WatchEvent::Added(o) if o.metadata.name.as_deref() == Some("c"))
    );

    // sendInitialEvents without resourceVersionMatch=NotOlderThan is invalid.
    let invalid = env
        .client
        .request::<Value>(
            http::Request::get("/apis/widgets.example.io/v1/namespaces/default/widgets?watch=true&sendInitialEvents=true")
                .body(Vec::new())
                .expect("request"),
        )
        .await;
    assert_eq!(api_error(invalid).code, 422);
}

async fn logical_clusters_are_isolated_and_wildcard_lists_annotate(env: Env) {
    let team_a = widgets(&env.cluster_client("root:team-a"), "default");
    let team_b = widgets(&env.cluster_client("root:team-b"), "default");
    team_a
        .create(&PostParams::default(), &widget("w", json!({"owner": "a"})))
        .await
        .expect("create in a");
    assert!(
        team_b.get_opt("w").await.expect("get in b").is_none(),
        "clusters are isolated"
    );
    team_b
        .create(&PostParams::default(), &widget("w", json!({"owner": "b"})))
        .await
        .expect("create in b");
    let in_a = team_a.get("w").await.expect("get in a");
    assert_eq!(
        in_a.annotations().get("kcp.io/cluster").map(String::as_str),
        Some("root:team-a")
    );

    use kube::ResourceExt;
    let everywhere: Api<DynamicObject> = Api::all_with(env.cluster_client("*"), &widget_resource());
    let listed = everywhere
        .list(&ListParams::default())
        .await
        .expect("wildcard list");
    let mut clusters: Vec<String> = listed
        .items
        .iter()
        .filter_map(|o| o.annotations().get("kcp.io/cluster").cloned())
        .collect();
    clusters.sort();
    assert_eq!(clusters, vec!["root:team-a", "root:team-b"]);
    let write = api_error(
        Api::<DynamicObject>::namespaced_with(
            env.cluster_client("*"),
            "default",
            &widget_resource(),
        )
        .create(&PostParams::default(), &widget("x", json!({})))
        .await,
    );
    assert_eq!(write.code, 405, "no writes through the wildcard");

    let now = listed.metadata.resource_version.expect("rv");
    let mut stream = everywhere
        .watch(&WatchParams::default().timeout(30), &now)
        .await
        .expect("watch")
        .boxed();
    team_b
        .delete("w", &DeleteParams::default())
        .await
        .expect("delete");
    match next_change(&mut stream).await {
        WatchEvent::Deleted(o) => {
            assert_eq!(
                o.annotations().get("kcp.io/cluster").map(String::as_str),
                Some("root:team-b")
            )
        }
        other => panic!("expected DELETED, got {other:?}"),
    }
    // The unprefixed API is its own (root) cluster.
    assert!(
        widgets(&env.client, "default")
            .get_opt("w")
            .await
            .expect("get")
            .is_none()
    );
}
