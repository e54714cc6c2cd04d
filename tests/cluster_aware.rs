//! The generated kcp cluster-aware clientset, informers and listers of `widgets-api` against
//! the in-memory API server, with three logical clusters holding same-named objects.
//!
//! Waits are bounded by `GUARD` (hang guards only: every awaited event is already due).

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{DeleteParams, ListParams, PostParams, WatchEvent, WatchParams};
use kube_codegen_apiserver::{ApiServer, Fault, Verb};
use kube_codegen_runtime::cluster::{ClusterPath, LogicalClusterExt};
use kube_codegen_runtime::informer::cluster::ClusterHandler;
use kube_codegen_runtime::informer::{Handler, Selector};
use widgets_api::widgets::v1::{Widget, WidgetSpec};
use widgets_client::{ClusterClientset, ClusterInformerFactory};

const GUARD: Duration = Duration::from_secs(60);
const CLUSTERS: [&str; 3] = ["root:a", "root:b", "root:org:c"];

fn server() -> ApiServer {
    ApiServer::builder()
        .register_all(widgets_api::widgets::v1::RESOURCES)
        .build()
}

fn path(cluster: &str) -> ClusterPath {
    ClusterPath::new(cluster).expect("a valid cluster path")
}

async fn guarded<F: Future>(what: &str, fut: F) -> F::Output {
    match tokio::time::timeout(GUARD, fut).await {
        Ok(out) => out,
        Err(_) => panic!("{what}: nothing within {GUARD:?}"),
    }
}

async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    guarded(what, async {
        while !done() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
}

/// A widget whose label says which cluster it was written to, so a leak shows.
fn widget(name: &str, written_to: &str) -> Widget {
    Widget {
        metadata: ObjectMeta {
            name: Some(name.to_owned()),
            labels: Some(BTreeMap::from([(
                "written-to".to_owned(),
                written_to.replace(':', "."),
            )])),
            ..ObjectMeta::default()
        },
        spec: WidgetSpec::default(),
        status: None,
    }
}

fn written_to(w: &Widget) -> String {
    w.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get("written-to"))
        .map(|v| v.replace('.', ":"))
        .unwrap_or_default()
}

/// Creates `names` in namespace `default` of every cluster.
async fn populate(clientset: &ClusterClientset, names: &[&str]) {
    for cluster in CLUSTERS {
        let widgets = clientset
            .cluster(&path(cluster))
            .widgets_v1()
            .widgets("default");
        for name in names {
            widgets
                .create(&PostParams::default(), &widget(name, cluster))
                .await
                .expect("create");
        }
    }
}

#[tokio::test]
async fn a_cluster_sees_only_its_own_objects() {
    let server = server();
    let clientset = ClusterClientset::new(server.client());
    populate(&clientset, &["shared"]).await;

    for cluster in CLUSTERS {
        let widgets = clientset
            .cluster(&path(cluster))
            .widgets_v1()
            .widgets("default");
        let got = widgets.get("shared").await.expect("get");
        assert_eq!(written_to(&got), cluster);
        assert_eq!(got.logical_cluster(), Some(path(cluster)));
        let listed = widgets.list(&ListParams::default()).await.expect("list");
        assert_eq!(listed.items.len(), 1, "{cluster} lists only its own");
    }

    // A write through one cluster never shows in another.
    let a = clientset
        .cluster(&path("root:a"))
        .widgets_v1()
        .widgets("default");
    a.create(&PostParams::default(), &widget("only-in-a", "root:a"))
        .await
        .expect("create");
    a.delete("shared", &DeleteParams::default())
        .await
        .expect("delete");
    let b = clientset
        .cluster(&path("root:b"))
        .widgets_v1()
        .widgets("default");
    assert!(b.get_opt("only-in-a").await.expect("get").is_none());
    let still = b.get("shared").await.expect("b keeps its own");
    assert_eq!(written_to(&still), "root:b");
}

#[tokio::test]
async fn the_wildcard_lists_and_watches_every_cluster_with_its_name() {
    let server = server();
    let clientset = ClusterClientset::new(server.client());
    populate(&clientset, &["w1", "w2"]).await;

    let across = clientset.widgets_v1().widgets();
    let listed = across.list(&ListParams::default()).await.expect("list");
    let mut seen: Vec<(String, String)> = listed
        .items
        .iter()
        .map(|w| {
            let cluster = w.logical_cluster().expect("every object names its cluster");
            assert_eq!(cluster.as_str(), written_to(w));
            (
                cluster.to_string(),
                w.metadata.name.clone().unwrap_or_default(),
            )
        })
        .collect();
    seen.sort();
    let mut expected: Vec<(String, String)> = CLUSTERS
        .iter()
        .flat_map(|c| {
            [
                (c.to_string(), "w1".to_owned()),
                (c.to_string(), "w2".to_owned()),
            ]
        })
        .collect();
    expected.sort();
    assert_eq!(seen, expected);

    let version = listed.metadata.resource_version.clone().unwrap_or_default();
    let mut events = across
        .watch(&WatchParams::default(), &version)
        .await
        .expect("watch");
    clientset
        .cluster(&path("root:org:c"))
        .widgets_v1()
        .widgets("default")
        .create(&PostParams::default(), &widget("late", "root:org:c"))
        .await
        .expect("create");
    let event = guarded("the wildcard watch event", events.next())
        .await
        .expect("an event")
        .expect("not an error");
    let WatchEvent::Added(added) = event else {
        panic!("expected an add, got {event:?}");
    };
    assert_eq!(added.metadata.name.as_deref(), Some("late"));
    assert_eq!(added.logical_cluster(), Some(path("root:org:c")));
}

#[tokio::test]
async fn cluster_listers_answer_per_cluster_from_one_watch() {
    let server = server();
    let clientset = ClusterClientset::new(server.client());
    populate(&clientset, &["w1", "w2"]).await;
    clientset
        .cluster(&path("root:b"))
        .widgets_v1()
        .widgets("default")
        .create(&PostParams::default(), &widget("w3", "root:b"))
        .await
        .expect("create");

    let factory = ClusterInformerFactory::new(&clientset);
    let widgets = factory.widgets_v1().widgets();
    // Asking through a cluster's view shares the informer: no second watch.
    let view = factory.cluster(&path("root:a"));
    let view_lister = view.widgets_v1().widgets().lister();
    factory.start();
    let report = factory.wait_for_cache_sync(GUARD).await;
    assert!(report.all_synced(), "{report:?}");
    assert_eq!(report.synced.len(), 1, "one informer for the kind");

    let lister = widgets.lister();
    assert_eq!(lister.clusters(), CLUSTERS);
    assert_eq!(lister.list(&Selector::default()).len(), 7);
    for (cluster, count) in [("root:a", 2), ("root:b", 3), ("root:org:c", 2)] {
        let one = lister.cluster(&path(cluster));
        assert_eq!(one.list(&Selector::default()).len(), count, "{cluster}");
        let got = one.widgets("default").get("w1").expect("cached");
        assert_eq!(written_to(&got), cluster);
        let missing = one.widgets("default").get("nope").expect_err("absent");
        assert_eq!(
            missing.to_string(),
            "widgets.widgets.example.io \"nope\" not found"
        );
    }
    assert!(
        lister
            .cluster(&path("root:a"))
            .widgets("default")
            .get("w3")
            .is_err()
    );
    // The view's lister is the ordinary generated lister, confined to its cluster.
    let names: Vec<String> = view_lister
        .widgets("default")
        .list(&Selector::default())
        .iter()
        .map(|w| {
            format!(
                "{}@{}",
                w.metadata.name.clone().unwrap_or_default(),
                written_to(w)
            )
        })
        .collect();
    assert_eq!(names, ["w1@root:a", "w2@root:a"]);
    factory.shutdown().await;
}

#[tokio::test]
async fn handlers_are_told_the_cluster_and_views_see_only_theirs() {
    let server = server();
    let clientset = ClusterClientset::new(server.client());
    let factory = ClusterInformerFactory::new(&clientset);
    let informer = factory.widgets_v1().widgets().informer().clone();
    let all: Arc<Mutex<Vec<String>>> = Arc::default();
    let recorded = Arc::clone(&all);
    informer.add_handler(
        ClusterHandler::new().on_add(move |cluster, w: &Arc<Widget>, _| {
            recorded.lock().expect("not poisoned").push(format!(
                "{cluster} {}",
                w.metadata.name.clone().unwrap_or_default()
            ));
        }),
    );
    let in_b: Arc<Mutex<Vec<String>>> = Arc::default();
    let recorded = Arc::clone(&in_b);
    informer
        .cluster(&path("root:b"))
        .add_handler(Handler::new().on_add(move |w: &Arc<Widget>, _| {
            recorded.lock().expect("not poisoned").push(written_to(w));
        }));
    factory.start();
    populate(&clientset, &["w"]).await;
    eventually("every add", || all.lock().expect("not poisoned").len() == 3).await;
    let mut seen = all.lock().expect("not poisoned").clone();
    seen.sort();
    assert_eq!(seen, ["root:a w", "root:b w", "root:org:c w"]);
    assert_eq!(*in_b.lock().expect("not poisoned"), ["root:b"]);
    factory.shutdown().await;
}

/// 300 writes spread over the clusters while every watch is cut after 5 events and the history
/// is compacted (410 on resume, so relists): the cache ends equal to a fresh wildcard list.
#[tokio::test]
async fn informers_stay_consistent_across_watch_drops_and_compaction() {
    let server = server();
    server
        .faults()
        .inject(Fault::close_watch_after(5).on(Verb::Watch));
    let clientset = ClusterClientset::new(server.client());
    let factory = ClusterInformerFactory::new(&clientset);
    let widgets = factory.widgets_v1().widgets();
    factory.start();
    assert!(factory.wait_for_cache_sync(GUARD).await.all_synced());
    for i in 0..300usize {
        let cluster = CLUSTERS[i % 3];
        let api = clientset
            .cluster(&path(cluster))
            .widgets_v1()
            .widgets("default");
        let name = format!("w{}", i % 17);
        match api.get_opt(&name).await.expect("get") {
            Some(_) if i % 5 == 0 => {
                api.delete(&name, &DeleteParams::default())
                    .await
                    .expect("delete");
            }
            Some(mut existing) => {
                existing.spec.labels.insert("i".to_owned(), i.to_string());
                api.update(&PostParams::default(), &existing)
                    .await
                    .expect("update");
            }
            None => {
                api.create(&PostParams::default(), &widget(&name, cluster))
                    .await
                    .expect("create");
            }
        }
        if i % 41 == 0 {
            server.compact();
        }
    }
    let listed = clientset
        .widgets_v1()
        .widgets()
        .list(&ListParams::default())
        .await
        .expect("list");
    let fresh: BTreeMap<String, String> = listed
        .items
        .iter()
        .map(|w| {
            (
                format!(
                    "{}|default/{}",
                    w.logical_cluster_name().unwrap_or_default(),
                    w.metadata.name.clone().unwrap_or_default()
                ),
                w.metadata.resource_version.clone().unwrap_or_default(),
            )
        })
        .collect();
    let cache = Arc::clone(widgets.informer().informer().cache());
    eventually("the cache to catch up", || {
        let cached: BTreeMap<String, String> = cache
            .list()
            .iter()
            .map(|w| {
                (
                    cache.key_of(w),
                    w.metadata.resource_version.clone().unwrap_or_default(),
                )
            })
            .collect();
        cached == fresh
    })
    .await;
    factory.shutdown().await;
}

/// Cluster-scoped kinds are keyed `<cluster>|<name>`: the same name in two clusters is two
/// objects, each cluster's lister gets its own, and the wildcard lists both.
#[tokio::test]
async fn cluster_scoped_kinds_are_keyed_by_cluster_and_name() {
    use widgets_api::widgets::v1::{Gadget, GadgetSpec};
    let server = server();
    let clientset = ClusterClientset::new(server.client());
    for cluster in ["root:a", "root:b"] {
        let gadget = Gadget {
            metadata: ObjectMeta {
                name: Some("g".to_owned()),
                labels: Some(BTreeMap::from([(
                    "written-to".to_owned(),
                    cluster.replace(':', "."),
                )])),
                ..ObjectMeta::default()
            },
            spec: GadgetSpec::default(),
            status: None,
        };
        clientset
            .cluster(&path(cluster))
            .widgets_v1()
            .gadgets()
            .create(&PostParams::default(), &gadget)
            .await
            .expect("create");
    }
    let listed = clientset
        .widgets_v1()
        .gadgets()
        .list(&ListParams::default())
        .await
        .expect("list");
    assert_eq!(listed.items.len(), 2);

    let factory = ClusterInformerFactory::new(&clientset);
    let gadgets = factory.widgets_v1().gadgets();
    factory.start();
    assert!(factory.wait_for_cache_sync(GUARD).await.all_synced());
    assert_eq!(
        gadgets.informer().informer().cache().keys(),
        ["root:a|g", "root:b|g"]
    );
    for cluster in ["root:a", "root:b"] {
        let got = gadgets
            .lister()
            .cluster(&path(cluster))
            .get("g")
            .expect("cached");
        let label = got
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get("written-to"))
            .cloned();
        assert_eq!(label, Some(cluster.replace(':', ".")));
    }
    assert!(
        gadgets
            .lister()
            .cluster(&path("root:org:c"))
            .get("g")
            .is_err()
    );
    factory.shutdown().await;
}
