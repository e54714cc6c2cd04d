//! The GENERATED typed clientset of `widgets-api` (`widgets_client::Clientset`) against the
//! in-memory API server: every verb the markers leave on every kind, the wire form of the
//! generated serde impls, `kube::Api` over the generated `Resource` impls, and the generated
//! `RESOURCES` lists.
//!
//! Watches are bounded by timeouts (hang guards only: every event is already due).

use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;

use futures::StreamExt;
use futures::stream::BoxStream;
use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{
    Api, DeleteParams, ListParams, Patch, PatchParams, PostParams, WatchEvent, WatchParams,
};
use kube_codegen_apiserver::ApiServer;
use kube_codegen_runtime::ResourceInfo;
use kube_codegen_runtime::either::Either;
use kube_codegen_runtime::json_patch;
use serde_json::{Value, json};
use widgets_api::fleet::v1::{Harbor, HarborSpec, HarborStatus, Ship, ShipSpec, ShipStatus};
use widgets_api::widgets::v1::{
    Color, Condition, ConditionStatus, Gadget, GadgetSpec, GadgetStatus, Part, Quantity, Range,
    Widget, WidgetClass, WidgetClassSpec, WidgetSpec, WidgetStatus,
};
use widgets_api::widgets::{v1alpha1, v1beta1};
use widgets_client::Clientset;

const GUARD: Duration = Duration::from_secs(30);

/// Every generated `RESOURCES` list of widgets-api.
fn all_resources() -> impl Iterator<Item = &'static ResourceInfo> {
    [
        widgets_api::widgets::v1::RESOURCES,
        v1beta1::RESOURCES,
        v1alpha1::RESOURCES,
        widgets_api::fleet::v1::RESOURCES,
    ]
    .into_iter()
    .flatten()
}

fn server() -> ApiServer {
    ApiServer::builder().register_all(all_resources()).build()
}

/// Fails the test instead of hanging when a future never completes.
async fn guarded<F: Future>(what: &str, fut: F) -> F::Output {
    match tokio::time::timeout(GUARD, fut).await {
        Ok(out) => out,
        Err(_) => panic!("{what}: nothing within {GUARD:?}"),
    }
}

fn meta(name: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.to_owned()),
        ..ObjectMeta::default()
    }
}

fn labelled(name: &str, labels: &[(&str, &str)]) -> ObjectMeta {
    ObjectMeta {
        labels: Some(
            labels
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        ),
        ..meta(name)
    }
}

fn widget(name: &str, labels: &[(&str, &str)]) -> Widget {
    Widget {
        metadata: labelled(name, labels),
        spec: WidgetSpec {
            color: Color::Red,
            size: Some(Quantity("1".into())),
            ..WidgetSpec::default()
        },
        status: None,
    }
}

fn ready(observed: i64) -> WidgetStatus {
    WidgetStatus {
        conditions: vec![Condition {
            r#type: "Ready".into(),
            status: ConditionStatus::True,
            reason: None,
            message: None,
        }],
        observed_generation: Some(observed),
    }
}

fn api_status(err: kube::Error) -> Box<kube::core::Status> {
    match err {
        kube::Error::Api(status) => status,
        other => panic!("want an API status, got {other}"),
    }
}

fn names<K: kube::Resource>(items: &[K]) -> Vec<String> {
    let mut names: Vec<String> = items.iter().filter_map(|o| o.meta().name.clone()).collect();
    names.sort();
    names
}

async fn create_namespace(server: &ApiServer, name: &str) {
    let namespaces: Api<Namespace> = Api::all(server.client());
    let ns = Namespace {
        metadata: meta(name),
        ..Namespace::default()
    };
    namespaces
        .create(&PostParams::default(), &ns)
        .await
        .expect("create namespace");
}

type Events<K> = BoxStream<'static, Result<WatchEvent<K>, kube::Error>>;

/// The next `n` non-bookmark events as (type, name).
async fn next_events<K: kube::Resource>(events: &mut Events<K>, n: usize) -> Vec<(String, String)> {
    let mut seen = Vec::new();
    while seen.len() < n {
        let event = guarded("watch event", events.next())
            .await
            .expect("the watch stays open")
            .expect("a well-formed typed event");
        let (kind, obj) = match event {
            WatchEvent::Added(o) => ("ADDED", o),
            WatchEvent::Modified(o) => ("MODIFIED", o),
            WatchEvent::Deleted(o) => ("DELETED", o),
            WatchEvent::Bookmark(_) => continue,
            WatchEvent::Error(status) => panic!("watch ERROR {status:?}"),
        };
        seen.push((kind.to_owned(), obj.meta().name.clone().unwrap_or_default()));
    }
    seen
}

fn ev(kind: &str, name: &str) -> (String, String) {
    (kind.to_owned(), name.to_owned())
}

// ---------------------------------------------------------------------------------------------
// Generated registration data and wire form
// ---------------------------------------------------------------------------------------------

#[test]
fn resources_list_exactly_the_kinds_with_plural_scope_status_and_scale() {
    type Row = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        bool,
        bool,
        bool,
    );
    let rows: Vec<Row> = all_resources()
        .map(|r| {
            (
                r.group,
                r.version,
                r.kind,
                r.plural,
                r.namespaced,
                r.status,
                r.scale,
            )
        })
        .collect();
    let w = "widgets.example.io";
    let f = "fleet.example.io";
    assert_eq!(
        rows,
        [
            (w, "v1", "Widget", "widgets", true, true, false),
            (w, "v1", "Gadget", "gadgets", false, true, false),
            (w, "v1", "WidgetClass", "widgetclasses", false, false, false),
            (w, "v1beta1", "Widget", "widgets", true, true, false),
            // noStatus
            (w, "v1alpha1", "Widget", "widgets", true, false, false),
            // custom methods GetScale/UpdateScale on the scale subresource
            (f, "v1", "Ship", "ships", true, true, true),
            (f, "v1", "Harbor", "harbors", false, true, false),
        ]
    );
    let singulars: Vec<&str> = all_resources().map(|r| r.singular).collect();
    assert_eq!(
        singulars,
        [
            "widget",
            "gadget",
            "widgetclass",
            "widget",
            "widget",
            "ship",
            "harbor"
        ]
    );
    let short_names: Vec<&[&str]> = all_resources().map(|r| r.short_names).collect();
    assert_eq!(short_names[0], ["wd"], "+shortNames=wd on v1 Widget");
    assert!(short_names[1..].iter().all(|s| s.is_empty()));
    assert_eq!(widgets_api::widgets::v1::GROUP, w);
    assert_eq!(widgets_api::widgets::v1::VERSION, "v1");
    assert_eq!(
        widgets_api::widgets::v1::API_VERSION,
        "widgets.example.io/v1"
    );
    assert_eq!(v1alpha1::API_VERSION, "widgets.example.io/v1alpha1");
    assert_eq!(widgets_api::fleet::v1::API_VERSION, "fleet.example.io/v1");
    for info in all_resources() {
        assert_eq!(
            info.api_version(),
            format!("{}/{}", info.group, info.version)
        );
    }
}

#[test]
fn generated_resource_impls_agree_with_resources() {
    use kube::Resource;
    fn facts<K: Resource<DynamicType = ()>>() -> (String, String, String, String) {
        (
            K::api_version(&()).into(),
            K::kind(&()).into(),
            K::plural(&()).into(),
            K::url_path(&(), Some("ns")),
        )
    }
    fn cluster_path<K: Resource<DynamicType = (), Scope = kube::core::ClusterResourceScope>>()
    -> String {
        K::url_path(&(), None)
    }
    assert_eq!(
        facts::<Widget>(),
        (
            "widgets.example.io/v1".into(),
            "Widget".into(),
            "widgets".into(),
            "/apis/widgets.example.io/v1/namespaces/ns/widgets".into()
        )
    );
    // Cluster-scoped kinds (the bound checks the generated Scope).
    assert_eq!(
        cluster_path::<Gadget>(),
        "/apis/widgets.example.io/v1/gadgets"
    );
    assert_eq!(
        cluster_path::<WidgetClass>(),
        "/apis/widgets.example.io/v1/widgetclasses"
    );
    assert_eq!(
        cluster_path::<Harbor>(),
        "/apis/fleet.example.io/v1/harbors"
    );
    assert_eq!(
        facts::<Ship>().3,
        "/apis/fleet.example.io/v1/namespaces/ns/ships".to_owned()
    );
    assert_eq!(
        facts::<v1alpha1::Widget>().0,
        "widgets.example.io/v1alpha1".to_owned()
    );
}

#[test]
fn widget_serializes_with_api_version_kind_camel_case_and_no_absent_status() {
    let mut w = widget("w", &[("app", "demo")]);
    w.spec.replicas = Some(Range { min: 1, max: 2 });
    let value = serde_json::to_value(&w).expect("serialize");
    assert_eq!(
        value,
        json!({
            "apiVersion": "widgets.example.io/v1",
            "kind": "Widget",
            "metadata": {"name": "w", "labels": {"app": "demo"}},
            "spec": {
                "color": "red",
                "size": "1",
                "labels": {},
                "parts": [],
                "replicas": {"min": 1, "max": 2},
            },
        })
    );
    assert!(value.get("status").is_none(), "status: None is omitted");

    w.status = Some(ready(3));
    let value = serde_json::to_value(&w).expect("serialize");
    assert_eq!(
        value["status"],
        json!({"conditions": [{"type": "Ready", "status": "True"}], "observedGeneration": 3})
    );
    let back: Widget = serde_json::from_value(value).expect("deserialize");
    assert_eq!(back, w);

    // Gadget: camelCase in the spec too.
    let g = Gadget {
        metadata: meta("g"),
        spec: GadgetSpec {
            widget_selector: [("app".to_owned(), "demo".to_owned())].into(),
            ..GadgetSpec::default()
        },
        status: None,
    };
    let value = serde_json::to_value(&g).expect("serialize");
    assert_eq!(value["kind"], "Gadget");
    assert_eq!(value["spec"]["widgetSelector"], json!({"app": "demo"}));
}

#[test]
fn widget_deserializes_from_server_json() {
    let json = json!({
        "apiVersion": "widgets.example.io/v1",
        "kind": "Widget",
        "metadata": {"name": "w", "namespace": "default", "resourceVersion": "7", "generation": 2},
        "spec": {"color": {"rgb": [1, 2, 3]}, "parts": [{"name": "p", "count": 2}]},
        "status": {"observedGeneration": 2},
    });
    let w: Widget = serde_json::from_value(json).expect("deserialize");
    assert_eq!(w.metadata.resource_version.as_deref(), Some("7"));
    assert_eq!(w.spec.color, Color::Rgb(1, 2, 3));
    assert_eq!(w.spec.parts[0].count, 2);
    assert_eq!(w.spec.size, None);
    assert_eq!(
        w.status.expect("status").observed_generation,
        Some(2),
        "observedGeneration read from camelCase"
    );
    // A missing status is None.
    let w: Widget = serde_json::from_value(json!({
        "apiVersion": "widgets.example.io/v1", "kind": "Widget",
        "metadata": {"name": "w"}, "spec": {"color": "green"},
    }))
    .expect("deserialize");
    assert_eq!(w.status, None);
}

// ---------------------------------------------------------------------------------------------
// Widget (namespaced, status): every verb
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn widget_create_get_get_opt_and_list_by_label_and_across_namespaces() {
    let server = server();
    create_namespace(&server, "team-a").await;
    let cs = Clientset::new(server.client());
    let v1 = cs.widgets_v1();
    let pp = PostParams::default();

    let mut with_status = widget("a", &[("app", "x"), ("tier", "front")]);
    with_status.status = Some(ready(9));
    let created = v1
        .widgets("default")
        .create(&pp, &with_status)
        .await
        .expect("create a");
    assert_eq!(created.metadata.namespace.as_deref(), Some("default"));
    assert_eq!(created.metadata.generation, Some(1));
    assert!(created.metadata.uid.is_some());
    assert!(created.metadata.resource_version.is_some());
    assert_eq!(created.spec, with_status.spec);
    assert_eq!(created.status, None, "status is dropped on create");

    v1.widgets("default")
        .create(&pp, &widget("b", &[("app", "y")]))
        .await
        .expect("create b");
    v1.widgets("team-a")
        .create(&pp, &widget("c", &[("app", "x")]))
        .await
        .expect("create c");

    let dup = v1
        .widgets("default")
        .create(&pp, &widget("a", &[]))
        .await
        .expect_err("a exists");
    assert!(api_status(dup).is_already_exists());

    let got = v1.widgets("default").get("a").await.expect("get");
    assert_eq!(got, created);
    assert_eq!(
        v1.widgets("default").get_opt("a").await.expect("get_opt"),
        Some(created)
    );
    assert_eq!(
        v1.widgets("default").get_opt("zzz").await.expect("get_opt"),
        None
    );
    assert_eq!(
        v1.widgets("team-a").get_opt("a").await.expect("get_opt"),
        None
    );
    let missing = v1.widgets("default").get("zzz").await.expect_err("missing");
    assert!(api_status(missing).is_not_found());

    let all = v1
        .widgets("default")
        .list(&ListParams::default())
        .await
        .expect("list");
    assert_eq!(names(&all.items), ["a", "b"]);
    let x = ListParams::default().labels("app=x");
    let here = v1.widgets("default").list(&x).await.expect("list app=x");
    assert_eq!(names(&here.items), ["a"]);
    let everywhere = v1
        .widgets_all_namespaces()
        .list(&x)
        .await
        .expect("list all ns");
    assert_eq!(names(&everywhere.items), ["a", "c"]);
    let front = ListParams::default().labels("app in (x,y),tier!=front");
    let set = v1
        .widgets_all_namespaces()
        .list(&front)
        .await
        .expect("set selector");
    assert_eq!(names(&set.items), ["b", "c"]);
    assert!(
        all.metadata.resource_version.is_some(),
        "lists carry a resourceVersion"
    );
}

#[tokio::test]
async fn widget_update_bumps_generation_and_a_stale_resource_version_is_a_conflict() {
    let server = server();
    let widgets = Clientset::new(server.client())
        .widgets_v1()
        .widgets("default");
    let pp = PostParams::default();
    let created = widgets
        .create(&pp, &widget("w", &[]))
        .await
        .expect("create");

    let mut changed = created.clone();
    changed.spec.color = Color::Green;
    changed.status = Some(ready(1)); // the main endpoint ignores status
    let updated = widgets.update(&pp, &changed).await.expect("update");
    assert_eq!(updated.spec.color, Color::Green);
    assert_eq!(updated.metadata.generation, Some(2));
    assert_eq!(updated.status, None, "update does not write status");
    assert_ne!(
        updated.metadata.resource_version,
        created.metadata.resource_version
    );

    // `created` carries the old resourceVersion.
    let mut stale = created.clone();
    stale.spec.color = Color::Rgb(0, 0, 0);
    let err = widgets.update(&pp, &stale).await.expect_err("stale");
    let status = api_status(err);
    assert!(status.is_conflict(), "{status:?}");
    assert_eq!(status.code, 409);
    assert_eq!(
        widgets.get("w").await.expect("get").spec.color,
        Color::Green
    );
}

#[tokio::test]
async fn widget_update_status_and_patch_status_change_status_only() {
    let server = server();
    let widgets = Clientset::new(server.client())
        .widgets_v1()
        .widgets("default");
    let pp = PostParams::default();
    let created = widgets
        .create(&pp, &widget("w", &[]))
        .await
        .expect("create");

    let mut obj = created.clone();
    obj.status = Some(ready(1));
    obj.spec.color = Color::Green; // ignored by /status
    let got = widgets
        .update_status(&pp, &obj)
        .await
        .expect("update_status");
    assert_eq!(got.status, Some(ready(1)));
    assert_eq!(got.spec, created.spec, "spec unchanged through /status");
    assert_eq!(
        got.metadata.generation,
        Some(1),
        "status does not bump generation"
    );

    let patch =
        Patch::Merge(json!({"status": {"observedGeneration": 5}, "spec": {"color": "green"}}));
    let got = widgets
        .patch_status("w", &PatchParams::default(), &patch)
        .await
        .expect("patch_status");
    let status = got.status.expect("status");
    assert_eq!(status.observed_generation, Some(5));
    assert_eq!(status.conditions.len(), 1, "merge keeps the conditions");
    assert_eq!(got.spec.color, Color::Red, "patch_status ignores spec");
}

#[tokio::test]
async fn widget_patch_merge_json_and_server_side_apply() {
    let server = server();
    let widgets = Clientset::new(server.client())
        .widgets_v1()
        .widgets("default");
    widgets
        .create(&PostParams::default(), &widget("w", &[]))
        .await
        .expect("create");

    // JSON merge patch.
    let merged = widgets
        .patch(
            "w",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"parts": [{"name": "bolt", "count": 2}], "size": null}})),
        )
        .await
        .expect("merge patch");
    assert_eq!(
        merged.spec.parts,
        [Part {
            name: "bolt".into(),
            count: 2,
            ..Part::default()
        }]
    );
    assert_eq!(merged.spec.size, None, "null removes the field");
    assert_eq!(merged.metadata.generation, Some(2));

    // JSON patch.
    let ops: json_patch::Patch = serde_json::from_value(json!([
        {"op": "add", "path": "/spec/labels", "value": {"k": "v"}},
        {"op": "replace", "path": "/spec/parts/0/count", "value": 7},
    ]))
    .expect("json patch");
    let patched = widgets
        .patch("w", &PatchParams::default(), &Patch::Json::<()>(ops))
        .await
        .expect("json patch");
    assert_eq!(patched.spec.parts[0].count, 7);
    assert_eq!(
        patched.spec.labels,
        BTreeMap::from([("k".into(), "v".into())])
    );

    // A JSON patch whose test fails is refused and changes nothing.
    let failing: json_patch::Patch = serde_json::from_value(json!([
        {"op": "test", "path": "/spec/parts/0/count", "value": 1},
        {"op": "replace", "path": "/spec/parts/0/count", "value": 99},
    ]))
    .expect("json patch");
    let err = widgets
        .patch("w", &PatchParams::default(), &Patch::Json::<()>(failing))
        .await
        .expect_err("test op fails");
    assert_eq!(api_status(err).code, 422);
    assert_eq!(widgets.get("w").await.expect("get").spec.parts[0].count, 7);

    // Server-side apply through `apply`: a partial configuration as JSON.
    let config = json!({
        "apiVersion": "widgets.example.io/v1", "kind": "Widget",
        "metadata": {"name": "w"},
        "spec": {"replicas": {"min": 1, "max": 4}},
    });
    let applied = widgets
        .apply("w", &config, "mgr-a", false)
        .await
        .expect("apply");
    assert_eq!(applied.spec.replicas, Some(Range { min: 1, max: 4 }));
    assert_eq!(
        applied.spec.parts[0].count, 7,
        "fields the manager does not own stay"
    );

    // Another manager changing a field mgr-a owns: 409 without force, taken over with force.
    let other = json!({
        "apiVersion": "widgets.example.io/v1", "kind": "Widget",
        "metadata": {"name": "w"},
        "spec": {"replicas": {"min": 2, "max": 4}},
    });
    let err = widgets
        .apply("w", &other, "mgr-b", false)
        .await
        .expect_err("conflict");
    assert!(api_status(err).is_conflict());
    let forced = widgets
        .apply("w", &other, "mgr-b", true)
        .await
        .expect("force");
    assert_eq!(forced.spec.replicas, Some(Range { min: 2, max: 4 }));

    // `patch` with Patch::Apply is the same verb spelled out; a typed, whole object applies too.
    let mut whole = forced.clone();
    whole.metadata = meta("w");
    whole.status = None;
    whole.spec.color = Color::Green;
    let typed = widgets
        .patch(
            "w",
            &PatchParams::apply("mgr-b").force(),
            &Patch::Apply(&whole),
        )
        .await
        .expect("typed apply");
    assert_eq!(typed.spec.color, Color::Green);
}

#[tokio::test]
async fn widget_apply_creates_and_apply_status_writes_status_only() {
    let server = server();
    let widgets = Clientset::new(server.client())
        .widgets_v1()
        .widgets("default");

    let config = json!({
        "apiVersion": "widgets.example.io/v1", "kind": "Widget",
        "metadata": {"name": "fresh", "labels": {"via": "apply"}},
        "spec": {"color": "green"},
    });
    let created = widgets
        .apply("fresh", &config, "mgr", false)
        .await
        .expect("apply creates");
    assert_eq!(created.metadata.generation, Some(1));
    assert_eq!(created.spec.color, Color::Green);

    let status = json!({
        "apiVersion": "widgets.example.io/v1", "kind": "Widget",
        "metadata": {"name": "fresh"},
        "status": {"observedGeneration": 1},
        "spec": {"color": "red"},
    });
    let got = widgets
        .apply_status("fresh", &status, "mgr", true)
        .await
        .expect("apply_status");
    assert_eq!(got.status.map(|s| s.observed_generation), Some(Some(1)));
    assert_eq!(got.spec.color, Color::Green, "apply_status ignores spec");
}

#[tokio::test]
async fn widget_delete_and_delete_collection() {
    let server = server();
    let widgets = Clientset::new(server.client())
        .widgets_v1()
        .widgets("default");
    let pp = PostParams::default();
    for (name, app) in [("a", "x"), ("b", "x"), ("c", "y")] {
        widgets
            .create(&pp, &widget(name, &[("app", app)]))
            .await
            .expect("create");
    }

    let deleted = widgets
        .delete("c", &DeleteParams::default())
        .await
        .expect("delete");
    assert!(
        matches!(deleted, Either::Right(ref s) if s.is_success()),
        "{deleted:?}"
    );
    assert_eq!(widgets.get_opt("c").await.expect("get_opt"), None);
    let again = widgets
        .delete("c", &DeleteParams::default())
        .await
        .expect_err("already gone");
    assert!(api_status(again).is_not_found());

    // A finalizer keeps the object, marked for deletion.
    let mut held = widget("held", &[]);
    held.metadata.finalizers = Some(vec!["example.io/hold".into()]);
    widgets.create(&pp, &held).await.expect("create held");
    let pending = widgets
        .delete("held", &DeleteParams::default())
        .await
        .expect("delete held");
    let Either::Left(obj) = pending else {
        panic!("a finalizer keeps the object: {pending:?}");
    };
    assert!(obj.metadata.deletion_timestamp.is_some());
    widgets
        .patch(
            "held",
            &PatchParams::default(),
            &Patch::Merge(json!({"metadata": {"finalizers": null}})),
        )
        .await
        .expect("remove finalizer");
    assert_eq!(widgets.get_opt("held").await.expect("get_opt"), None);

    let removed = widgets
        .delete_collection(
            &DeleteParams::default(),
            &ListParams::default().labels("app=x"),
        )
        .await
        .expect("delete_collection");
    match removed {
        Either::Left(list) => assert_eq!(names(&list.items), ["a", "b"]),
        Either::Right(status) => panic!("want the deleted items, got {status:?}"),
    }
    let left = widgets.list(&ListParams::default()).await.expect("list");
    assert!(left.items.is_empty(), "{:?}", names(&left.items));
}

#[tokio::test]
async fn widget_watch_streams_typed_added_modified_deleted() {
    let server = server();
    create_namespace(&server, "team-a").await;
    let v1 = Clientset::new(server.client()).widgets_v1();
    let widgets = v1.widgets("default");
    let pp = PostParams::default();

    let from = widgets
        .list(&ListParams::default())
        .await
        .expect("list")
        .metadata
        .resource_version
        .expect("list resourceVersion");
    let mut events = widgets
        .watch(&WatchParams::default().timeout(60), &from)
        .await
        .expect("watch");
    let mut everywhere = v1
        .widgets_all_namespaces()
        .watch(&WatchParams::default().labels("app=x").timeout(60), &from)
        .await
        .expect("watch all namespaces");

    let created = widgets
        .create(&pp, &widget("w", &[("app", "x")]))
        .await
        .expect("create");
    let mut changed = created.clone();
    changed.spec.color = Color::Green;
    widgets.update(&pp, &changed).await.expect("update");
    v1.widgets("team-a")
        .create(&pp, &widget("elsewhere", &[("app", "x")]))
        .await
        .expect("create elsewhere");
    widgets
        .delete("w", &DeleteParams::default())
        .await
        .expect("delete");

    assert_eq!(
        next_events(&mut events, 3).await,
        [ev("ADDED", "w"), ev("MODIFIED", "w"), ev("DELETED", "w")]
    );
    assert_eq!(
        next_events(&mut everywhere, 4).await,
        [
            ev("ADDED", "w"),
            ev("MODIFIED", "w"),
            ev("ADDED", "elsewhere"),
            ev("DELETED", "w")
        ]
    );

    // The typed object of a MODIFIED event is the stored Widget.
    let mut again = widgets
        .watch(&WatchParams::default().timeout(60), &from)
        .await
        .expect("watch from history");
    let mut typed = Vec::new();
    while typed.len() < 2 {
        match guarded("event", again.next())
            .await
            .expect("open")
            .expect("event")
        {
            WatchEvent::Added(w) | WatchEvent::Modified(w) => typed.push(w),
            WatchEvent::Bookmark(_) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(typed[0].spec.color, Color::Red);
    assert_eq!(typed[1].spec.color, Color::Green);
    assert_eq!(typed[1].metadata.generation, Some(2));
}

// ---------------------------------------------------------------------------------------------
// The other kinds: Gadget (cluster, status), WidgetClass (cluster, no status), Ship (scale),
// Harbor (read-only), and the older versions of Widget
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn gadget_is_cluster_scoped_with_every_verb() {
    let server = server();
    let gadgets = Clientset::new(server.client()).widgets_v1().gadgets();
    let pp = PostParams::default();
    let mut events = gadgets
        .watch(&WatchParams::default().timeout(60), "0")
        .await
        .expect("watch");

    let g = Gadget {
        metadata: labelled("g", &[("kind", "gadget")]),
        spec: GadgetSpec {
            widget_selector: [("app".to_owned(), "x".to_owned())].into(),
            ..GadgetSpec::default()
        },
        status: Some(GadgetStatus { matched: 9 }),
    };
    let created = gadgets.create(&pp, &g).await.expect("create");
    assert_eq!(created.metadata.namespace, None, "cluster-scoped");
    assert_eq!(created.status, None, "status dropped on create");
    assert_eq!(gadgets.get("g").await.expect("get"), created);
    assert_eq!(gadgets.get_opt("nope").await.expect("get_opt"), None);
    let listed = gadgets
        .list(&ListParams::default().labels("kind=gadget"))
        .await
        .expect("list");
    assert_eq!(names(&listed.items), ["g"]);

    let mut changed = created.clone();
    changed
        .spec
        .widget_selector
        .insert("tier".into(), "front".into());
    let updated = gadgets.update(&pp, &changed).await.expect("update");
    assert_eq!(updated.metadata.generation, Some(2));

    let mut with_status = updated.clone();
    with_status.status = Some(GadgetStatus { matched: 2 });
    let got = gadgets
        .update_status(&pp, &with_status)
        .await
        .expect("update_status");
    assert_eq!(got.status, Some(GadgetStatus { matched: 2 }));

    let got = gadgets
        .patch_status(
            "g",
            &PatchParams::default(),
            &Patch::Merge(json!({"status": {"matched": 3}})),
        )
        .await
        .expect("patch_status");
    assert_eq!(got.status, Some(GadgetStatus { matched: 3 }));

    let got = gadgets
        .patch(
            "g",
            &PatchParams::default(),
            &Patch::Merge(json!({"metadata": {"labels": {"patched": "yes"}}})),
        )
        .await
        .expect("patch");
    assert_eq!(got.metadata.labels.expect("labels")["patched"], "yes");

    let config = json!({"apiVersion": "widgets.example.io/v1", "kind": "Gadget",
        "metadata": {"name": "g2"}, "spec": {"widgetSelector": {}}});
    gadgets
        .apply("g2", &config, "mgr", false)
        .await
        .expect("apply");
    let status = json!({"apiVersion": "widgets.example.io/v1", "kind": "Gadget",
        "metadata": {"name": "g2"}, "status": {"matched": 1}});
    let got = gadgets
        .apply_status("g2", &status, "mgr", false)
        .await
        .expect("apply_status");
    assert_eq!(got.status, Some(GadgetStatus { matched: 1 }));

    gadgets
        .delete("g", &DeleteParams::default())
        .await
        .expect("delete");
    let removed = gadgets
        .delete_collection(&DeleteParams::default(), &ListParams::default())
        .await
        .expect("delete_collection");
    assert!(
        matches!(removed, Either::Left(ref l) if names(&l.items) == ["g2"]),
        "{removed:?}"
    );

    let seen = next_events(&mut events, 9).await;
    let kinds: Vec<&str> = seen.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "ADDED", "MODIFIED", "MODIFIED", "MODIFIED", "MODIFIED", "ADDED", "MODIFIED",
            "DELETED", "DELETED"
        ]
    );
}

#[tokio::test]
async fn widget_class_is_cluster_scoped_without_status() {
    let server = server();
    let classes = Clientset::new(server.client())
        .widgets_v1()
        .widget_classes();
    let pp = PostParams::default();
    let wc = WidgetClass {
        metadata: meta("standard"),
        spec: WidgetClassSpec {
            controller: "example.io/widgets".into(),
            ..WidgetClassSpec::default()
        },
    };
    let created = classes.create(&pp, &wc).await.expect("create");
    assert_eq!(created.metadata.namespace, None);
    let mut changed = created.clone();
    changed
        .spec
        .parameters
        .insert("speed".into(), "fast".into());
    let updated = classes.update(&pp, &changed).await.expect("update");
    assert_eq!(updated.spec.parameters["speed"], "fast");
    let patched = classes
        .patch(
            "standard",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"controller": "other"}})),
        )
        .await
        .expect("patch");
    assert_eq!(patched.spec.controller, "other");
    let config = json!({"apiVersion": "widgets.example.io/v1", "kind": "WidgetClass",
        "metadata": {"name": "premium"}, "spec": {"controller": "example.io/premium"}});
    classes
        .apply("premium", &config, "mgr", false)
        .await
        .expect("apply");
    let listed = classes.list(&ListParams::default()).await.expect("list");
    assert_eq!(names(&listed.items), ["premium", "standard"]);
    assert_eq!(
        classes.get("premium").await.expect("get").spec.controller,
        "example.io/premium"
    );
    classes
        .delete("standard", &DeleteParams::default())
        .await
        .expect("delete");
    assert_eq!(classes.get_opt("standard").await.expect("get_opt"), None);

    // Without a status subresource, /status is not served.
    let api: Api<WidgetClass> = Api::all(server.client());
    let err = api
        .patch_status("premium", &PatchParams::default(), &Patch::Merge(json!({})))
        .await
        .expect_err("no status subresource");
    assert_eq!(api_status(err).code, 404);
}

fn ship(name: &str, replicas: i32) -> Ship {
    Ship {
        metadata: labelled(name, &[("fleet", "blue")]),
        spec: ShipSpec {
            replicas,
            ..ShipSpec::default()
        },
        status: None,
    }
}

#[tokio::test]
async fn ship_scale_subresource_and_status_verbs() {
    let server = server();
    let fleet = Clientset::new(server.client()).fleet_v1();
    let ships = fleet.ships("default");
    let pp = PostParams::default();
    let created = ships.create(&pp, &ship("s", 2)).await.expect("create");

    let mut with_status = created.clone();
    with_status.status = Some(ShipStatus {
        replicas: 1,
        position: Some((1.5, -2.0)),
    });
    ships
        .update_status(&pp, &with_status)
        .await
        .expect("update_status");

    let scale = ships.get_scale("s").await.expect("get_scale");
    assert_eq!(scale.metadata.name.as_deref(), Some("s"));
    assert_eq!(scale.spec.as_ref().and_then(|s| s.replicas), Some(2));
    assert_eq!(scale.status.as_ref().map(|s| s.replicas), Some(1));

    let mut wanted = scale.clone();
    wanted.spec.get_or_insert_with(Default::default).replicas = Some(5);
    let scaled = ships
        .update_scale("s", &pp, &wanted)
        .await
        .expect("update_scale");
    assert_eq!(scaled.spec.and_then(|s| s.replicas), Some(5));
    let after = ships.get("s").await.expect("get");
    assert_eq!(after.spec.replicas, 5, "scale writes spec.replicas");
    assert_eq!(after.status.as_ref().map(|s| s.replicas), Some(1));
    assert_eq!(after.metadata.generation, Some(2));

    // A stale scale (old resourceVersion) is a conflict, like any update.
    let err = ships
        .update_scale("s", &pp, &wanted)
        .await
        .expect_err("stale scale");
    assert!(api_status(err).is_conflict());
    let err = ships.get_scale("nope").await.expect_err("missing");
    assert!(api_status(err).is_not_found());

    let got = ships
        .patch_status(
            "s",
            &PatchParams::default(),
            &Patch::Merge(json!({"status": {"replicas": 5}})),
        )
        .await
        .expect("patch_status");
    assert_eq!(got.status.map(|s| s.replicas), Some(5));
    let listed = fleet
        .ships_all_namespaces()
        .list(&ListParams::default().labels("fleet=blue"))
        .await
        .expect("list all namespaces");
    assert_eq!(names(&listed.items), ["s"]);
}

#[tokio::test]
async fn harbor_is_read_only_and_readable_through_the_clientset() {
    let server = server();
    // The clientset has no create for Harbor (+genclient:readonly); kube::Api has.
    let api: Api<Harbor> = Api::all(server.client());
    let h = Harbor {
        metadata: labelled("north", &[("sea", "cold")]),
        spec: HarborSpec { berths: 12 },
        status: None,
    };
    let from = server.resource_version().to_string();
    api.create(&PostParams::default(), &h)
        .await
        .expect("create via kube::Api");
    let mut with_status = api.get("north").await.expect("get");
    with_status.status = Some(HarborStatus { occupied: 3 });
    api.replace_status("north", &PostParams::default(), &with_status)
        .await
        .expect("status via kube::Api");

    let harbors = Clientset::new(server.client()).fleet_v1().harbors();
    let got = harbors.get("north").await.expect("get");
    assert_eq!(got.metadata.namespace, None);
    assert_eq!(got.spec.berths, 12);
    assert_eq!(got.status, Some(HarborStatus { occupied: 3 }));
    assert_eq!(harbors.get_opt("south").await.expect("get_opt"), None);
    let listed = harbors
        .list(&ListParams::default().labels("sea=cold"))
        .await
        .expect("list");
    assert_eq!(names(&listed.items), ["north"]);
    let mut events = harbors
        .watch(&WatchParams::default().timeout(60), &from)
        .await
        .expect("watch");
    assert_eq!(
        next_events(&mut events, 2).await,
        [ev("ADDED", "north"), ev("MODIFIED", "north")]
    );
}

// v1alpha1 is deprecated at the workspace's target release (its accessors say so); reading
// and writing it is still the point here.
#[allow(deprecated)]
#[tokio::test]
async fn widget_versions_share_one_storage() {
    let server = server();
    let cs = Clientset::new(server.client());
    let pp = PostParams::default();
    let v1_widgets = cs.widgets_v1().widgets("default");
    let beta = cs.widgets_v1beta1().widgets("default");
    let alpha = cs.widgets_v1alpha1().widgets("default");

    let from = server.resource_version().to_string();
    let mut beta_events = beta
        .watch(&WatchParams::default().timeout(60), &from)
        .await
        .expect("watch v1beta1");

    // Written as v1, read as v1beta1 and v1alpha1 (no conversion: the same JSON, relabelled;
    // so only fields whose shape all three versions share: v1's `size` is a quantity string,
    // v1beta1's an integer).
    let mut w = widget("w", &[("app", "x")]);
    w.spec.size = None;
    let created = v1_widgets.create(&pp, &w).await.expect("create v1");
    let as_beta = beta.get("w").await.expect("get v1beta1");
    assert_eq!(as_beta.spec.color, "red");
    assert_eq!(as_beta.metadata.uid, created.metadata.uid);
    assert_eq!(
        as_beta.metadata.resource_version,
        created.metadata.resource_version
    );
    let as_alpha = alpha.get("w").await.expect("get v1alpha1");
    assert_eq!(as_alpha.spec.color, "red");
    assert_eq!(as_alpha.metadata.uid, created.metadata.uid);
    // Served at the requested version.
    let raw: Api<kube::api::DynamicObject> = Api::namespaced_with(
        server.client(),
        "default",
        &kube::api::ApiResource::erase::<v1alpha1::Widget>(&()),
    );
    let dynamic = raw.get("w").await.expect("dynamic get");
    assert_eq!(
        dynamic.types.map(|t| t.api_version),
        Some("widgets.example.io/v1alpha1".to_owned())
    );

    // Written as v1alpha1, listed as v1.
    let old = v1alpha1::Widget {
        metadata: labelled("old", &[("app", "x")]),
        spec: v1alpha1::WidgetSpec {
            color: "green".into(),
        },
    };
    alpha.create(&pp, &old).await.expect("create v1alpha1");
    let listed = v1_widgets
        .list(&ListParams::default().labels("app=x"))
        .await
        .expect("list v1");
    assert_eq!(names(&listed.items), ["old", "w"]);
    let as_v1 = v1_widgets.get("old").await.expect("get v1");
    assert_eq!(as_v1.spec.color, Color::Green);

    // v1beta1 has its own status shape on the shared object.
    let mut b = beta.get("w").await.expect("get v1beta1");
    b.status = Some(v1beta1::WidgetStatus { ready: true });
    let b = beta
        .update_status(&pp, &b)
        .await
        .expect("update_status v1beta1");
    assert_eq!(b.status, Some(v1beta1::WidgetStatus { ready: true }));
    let raw_status = raw.get("w").await.expect("dynamic get").data["status"].clone();
    assert_eq!(raw_status, json!({"ready": true}));

    // Every write is an event for watchers of any version.
    assert_eq!(
        next_events(&mut beta_events, 3).await,
        [ev("ADDED", "w"), ev("ADDED", "old"), ev("MODIFIED", "w")]
    );

    // Subresources are per version, as in a CRD: v1alpha1 (+genclient:noStatus) has no status
    // subresource, so its update replaces the whole stored object, and its type has no status
    // to send. A v1alpha1 client therefore drops the status other versions wrote.
    let a = alpha.get("w").await.expect("get v1alpha1");
    alpha.update(&pp, &a).await.expect("update v1alpha1");
    assert_eq!(beta.get("w").await.expect("get v1beta1").status, None);

    // Deleting through one version deletes the one object.
    alpha
        .delete("w", &DeleteParams::default())
        .await
        .expect("delete v1alpha1");
    assert_eq!(v1_widgets.get_opt("w").await.expect("get_opt v1"), None);
    assert_eq!(beta.get_opt("w").await.expect("get_opt v1beta1"), None);
}

#[tokio::test]
async fn discovery_serves_every_version_with_v1_preferred() {
    let server = server();
    let client = server.client();
    let groups = client.list_api_groups().await.expect("groups");
    let widgets = groups
        .groups
        .iter()
        .find(|g| g.name == "widgets.example.io")
        .expect("widgets group");
    let versions: Vec<&str> = widgets
        .versions
        .iter()
        .map(|v| v.version.as_str())
        .collect();
    assert_eq!(versions, ["v1", "v1beta1", "v1alpha1"]);
    assert_eq!(
        widgets
            .preferred_version
            .as_ref()
            .map(|v| v.version.as_str()),
        Some("v1")
    );

    let resources = |list: k8s_openapi::apimachinery::pkg::apis::meta::v1::APIResourceList| {
        let mut names: Vec<String> = list.resources.into_iter().map(|r| r.name).collect();
        names.sort();
        names
    };
    let v1 = client
        .list_api_group_resources("widgets.example.io/v1")
        .await
        .expect("v1 resources");
    assert_eq!(
        resources(v1),
        [
            "gadgets",
            "gadgets/status",
            "widgetclasses",
            "widgets",
            "widgets/status"
        ]
    );
    let alpha = client
        .list_api_group_resources("widgets.example.io/v1alpha1")
        .await
        .expect("v1alpha1 resources");
    assert_eq!(
        resources(alpha),
        ["widgets"],
        "v1alpha1 has no status subresource"
    );
    let fleet = client
        .list_api_group_resources("fleet.example.io/v1")
        .await
        .expect("fleet resources");
    assert_eq!(
        resources(fleet),
        [
            "harbors",
            "harbors/status",
            "ships",
            "ships/scale",
            "ships/status"
        ]
    );
}

#[allow(deprecated)] // v1alpha1 is deprecated at the workspace's target release
#[tokio::test]
async fn v1alpha1_widget_without_status_subresource_has_its_verbs() {
    let server = server();
    let alpha = Clientset::new(server.client())
        .widgets_v1alpha1()
        .widgets("default");
    let pp = PostParams::default();
    let w = v1alpha1::Widget {
        metadata: meta("a"),
        spec: v1alpha1::WidgetSpec {
            color: "red".into(),
        },
    };
    let created = alpha.create(&pp, &w).await.expect("create");
    let mut changed = created.clone();
    changed.spec.color = "blue".into();
    let updated = alpha.update(&pp, &changed).await.expect("update");
    assert_eq!(updated.spec.color, "blue");
    let patched = alpha
        .patch(
            "a",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"color": "teal"}})),
        )
        .await
        .expect("patch");
    assert_eq!(patched.spec.color, "teal");
    let config = json!({"apiVersion": "widgets.example.io/v1alpha1", "kind": "Widget",
        "metadata": {"name": "b"}, "spec": {"color": "white"}});
    alpha
        .apply("b", &config, "mgr", false)
        .await
        .expect("apply");
    let listed = alpha.list(&ListParams::default()).await.expect("list");
    assert_eq!(names(&listed.items), ["a", "b"]);
    alpha
        .delete_collection(&DeleteParams::default(), &ListParams::default())
        .await
        .expect("delete_collection");
    assert_eq!(alpha.get_opt("a").await.expect("get_opt"), None);
}

// ---------------------------------------------------------------------------------------------
// kube::Api directly, over the generated Resource + serde impls
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn kube_api_works_with_the_generated_resource_and_serde_impls() {
    let server = server();
    let widgets: Api<Widget> = Api::namespaced(server.client(), "default");
    let pp = PostParams::default();
    let created = widgets
        .create(&pp, &widget("w", &[("app", "x")]))
        .await
        .expect("create");
    assert_eq!(created.metadata.generation, Some(1));

    let mut with_status = created.clone();
    with_status.status = Some(ready(1));
    let got = widgets
        .replace_status("w", &pp, &with_status)
        .await
        .expect("replace_status");
    assert_eq!(got.status, Some(ready(1)));

    let listed = widgets
        .list(&ListParams::default().labels("app=x"))
        .await
        .expect("list");
    assert_eq!(names(&listed.items), ["w"]);

    // What kube::Api wrote, the generated clientset reads, and the other way round.
    let cs = Clientset::new(server.client());
    assert_eq!(
        cs.widgets_v1()
            .widgets("default")
            .get("w")
            .await
            .expect("get"),
        got
    );
    cs.widgets_v1()
        .widgets("default")
        .patch(
            "w",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"color": "green"}})),
        )
        .await
        .expect("patch");
    assert_eq!(
        widgets.get("w").await.expect("get").spec.color,
        Color::Green
    );

    let ships: Api<Ship> = Api::namespaced(server.client(), "default");
    ships.create(&pp, &ship("s", 1)).await.expect("create ship");
    let scale = ships.get_scale("s").await.expect("kube get_scale");
    assert_eq!(scale.spec.and_then(|s| s.replicas), Some(1));

    let gadgets: Api<Gadget> = Api::all(server.client());
    let g = Gadget {
        metadata: meta("g"),
        ..Gadget::default()
    };
    gadgets.create(&pp, &g).await.expect("create gadget");
    let raw: Value =
        serde_json::to_value(gadgets.get("g").await.expect("get gadget")).expect("serialize");
    assert_eq!(raw["apiVersion"], "widgets.example.io/v1");
    assert_eq!(raw["kind"], "Gadget");
    let removed = widgets
        .delete("w", &DeleteParams::default())
        .await
        .expect("delete");
    assert!(removed.is_right());
}

/// What `kube::runtime::watcher` yields, as (event, name): `Init`/`InitDone` carry no object.
fn watcher_event<K: kube::Resource>(event: kube::runtime::watcher::Event<K>) -> (String, String) {
    use kube::runtime::watcher::Event;
    let name = |o: &K| o.meta().name.clone().unwrap_or_default();
    match event {
        Event::Init => ("Init".into(), String::new()),
        Event::InitApply(o) => ("InitApply".into(), name(&o)),
        Event::InitDone => ("InitDone".into(), String::new()),
        Event::Apply(o) => ("Apply".into(), name(&o)),
        Event::Delete(o) => ("Delete".into(), name(&o)),
    }
}

/// The next `n` events of a `kube::runtime::watcher` stream.
async fn next_watcher_events<K, S>(events: &mut S, n: usize) -> Vec<(String, String)>
where
    K: kube::Resource,
    S: futures::Stream<
            Item = Result<kube::runtime::watcher::Event<K>, kube::runtime::watcher::Error>,
        > + Unpin,
{
    let mut seen = Vec::with_capacity(n);
    while seen.len() < n {
        let event = guarded("watcher event", events.next())
            .await
            .expect("the watcher goes on")
            .expect("no watcher error");
        seen.push(watcher_event(event));
    }
    seen
}

/// `.api()` of a typed client is the `kube::Api` that `kube::runtime` takes: a watcher over it
/// lists and then follows exactly the client's scope (one namespace, every namespace, the
/// cluster), and a `Controller` over it reconciles the namespace's objects.
#[tokio::test]
async fn a_typed_clients_api_drives_kube_runtime_watcher() {
    use kube::runtime::watcher;

    let server = server();
    create_namespace(&server, "team").await;
    create_namespace(&server, "other").await;
    let clientset = Clientset::new(server.client());
    let pp = PostParams::default();
    let widgets = clientset.widgets_v1().widgets("team");
    widgets
        .create(&pp, &widget("before", &[]))
        .await
        .expect("create before");

    let mut in_default = watcher(widgets.api(), watcher::Config::default()).boxed();
    let mut everywhere = watcher(
        clientset.widgets_v1().widgets_all_namespaces().api(),
        watcher::Config::default(),
    )
    .boxed();
    let initial = [("Init", ""), ("InitApply", "before"), ("InitDone", "")]
        .map(|(e, n)| (e.to_owned(), n.to_owned()));
    assert_eq!(next_watcher_events(&mut in_default, 3).await, initial);
    assert_eq!(next_watcher_events(&mut everywhere, 3).await, initial);

    // A widget in another namespace reaches only the all-namespaces watcher; one here, both.
    clientset
        .widgets_v1()
        .widgets("other")
        .create(&pp, &widget("elsewhere", &[]))
        .await
        .expect("create elsewhere");
    widgets
        .create(&pp, &widget("after", &[]))
        .await
        .expect("create after");
    widgets
        .delete("before", &DeleteParams::default())
        .await
        .expect("delete before");
    let apply = |n: &str| ("Apply".to_owned(), n.to_owned());
    let delete = |n: &str| ("Delete".to_owned(), n.to_owned());
    assert_eq!(
        next_watcher_events(&mut in_default, 2).await,
        [apply("after"), delete("before")]
    );
    assert_eq!(
        next_watcher_events(&mut everywhere, 3).await,
        [apply("elsewhere"), apply("after"), delete("before")]
    );

    // A `Controller` over the same `Api` reconciles what is left in the namespace.
    let reconciled = kube::runtime::Controller::new(widgets.api(), watcher::Config::default())
        .run(
            |_: std::sync::Arc<Widget>, _: std::sync::Arc<()>| async {
                Ok::<_, kube::Error>(kube::runtime::controller::Action::await_change())
            },
            |_, _, _| kube::runtime::controller::Action::await_change(),
            std::sync::Arc::new(()),
        )
        .map(|result| result.map(|(object, _)| object.name))
        .take(1)
        .collect::<Vec<_>>();
    let reconciled: Vec<String> = guarded("a reconcile", reconciled)
        .await
        .into_iter()
        .map(|r| r.expect("reconciled"))
        .collect();
    assert_eq!(reconciled, ["after"]);

    // A cluster-scoped kind's client: the same.
    let gadgets = clientset.widgets_v1().gadgets();
    let mut gadget_events = watcher(gadgets.api(), watcher::Config::default()).boxed();
    assert_eq!(
        next_watcher_events(&mut gadget_events, 2).await,
        [
            ("Init".to_owned(), String::new()),
            ("InitDone".to_owned(), String::new())
        ]
    );
    let g = Gadget {
        metadata: meta("g"),
        ..Gadget::default()
    };
    gadgets.create(&pp, &g).await.expect("create gadget");
    assert_eq!(
        next_watcher_events(&mut gadget_events, 1).await,
        [apply("g")]
    );
}
