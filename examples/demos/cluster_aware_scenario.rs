//! The scenario of `cargo run --example cluster_aware`: kcp logical clusters through the
//! GENERATED cluster-aware clientset and informers of `widgets-api`
//! (`widgets_client::{ClusterClientset, ClusterInformerFactory}`), against the in-memory API
//! server, which serves `/clusters/<path>/` and the `/clusters/*/` wildcard as kcp does.
//!
//! Three clusters hold widgets, one of them (`shared`) with the same name in each. Each step
//! checks what happened; [`run`] returns them all and stops at the first that did not behave.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{ListParams, PostParams};
use kube_codegen_apiserver::ApiServer;
use kube_codegen_runtime::cluster::{ClusterPath, LogicalClusterExt};
use kube_codegen_runtime::informer::Selector;
use kube_codegen_runtime::informer::cluster::ClusterHandler;
use widgets_api::widgets::v1::{Widget, WidgetSpec};
use widgets_client::{ClusterClientset, ClusterInformerFactory};

use crate::clientset_scenario::Step;

/// The logical clusters and how many widgets each gets (`shared` included).
pub const CLUSTERS: [(&str, usize); 3] = [
    ("root:acme", 3),
    ("root:globex", 2),
    ("root:org:initech", 4),
];

const NAMESPACE: &str = "default";
const SYNC: Duration = Duration::from_secs(30);

fn widget(name: &str, cluster: &str) -> Widget {
    Widget {
        metadata: ObjectMeta {
            name: Some(name.to_owned()),
            labels: Some(BTreeMap::from([(
                "home".to_owned(),
                cluster.replace(':', "."),
            )])),
            ..ObjectMeta::default()
        },
        spec: WidgetSpec::default(),
        status: None,
    }
}

fn home(w: &Widget) -> String {
    w.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get("home"))
        .map(|h| h.replace('.', ":"))
        .unwrap_or_default()
}

fn path(cluster: &str) -> Result<ClusterPath, String> {
    ClusterPath::new(cluster).map_err(|e| e.to_string())
}

fn counts(counts: &BTreeMap<String, usize>) -> String {
    counts
        .iter()
        .map(|(cluster, n)| format!("{cluster}={n}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn expected_counts() -> BTreeMap<String, usize> {
    CLUSTERS
        .iter()
        .map(|(c, n)| ((*c).to_owned(), *n))
        .collect()
}

fn step(name: &str, outcome: Result<String, String>) -> Step {
    Step {
        name: name.to_owned(),
        outcome,
    }
}

/// Runs every step against `server` (which must serve `widgets.example.io/v1`).
pub async fn run(server: &ApiServer) -> Vec<Step> {
    let clientset = ClusterClientset::new(server.client());
    let factory = ClusterInformerFactory::new(&clientset);
    // Asked for before start, so start runs it; one watch across every cluster.
    let widgets = factory.widgets_v1().widgets();
    let told: Arc<Mutex<BTreeMap<String, usize>>> = Arc::default();
    let recorder = Arc::clone(&told);
    widgets.informer().add_handler(ClusterHandler::new().on_add(
        move |cluster, _: &Arc<Widget>, _| {
            *recorder
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .entry(cluster.to_owned())
                .or_default() += 1;
        },
    ));

    let checks: [(&str, Check); 6] = [
        ("create widgets in three clusters", Check::Create),
        ("isolation between clusters", Check::Isolation),
        ("list across every cluster", Check::Wildcard),
        ("cluster-aware informer and lister", Check::Informer),
        ("handlers told each object's cluster", Check::Handlers),
        ("reject a malformed cluster path", Check::BadPath),
    ];
    let mut steps = Vec::new();
    for (name, check) in checks {
        let outcome = match check {
            Check::Create => create(&clientset).await,
            Check::Isolation => isolation(&clientset).await,
            Check::Wildcard => wildcard(&clientset).await,
            Check::Informer => informer(&factory).await,
            Check::Handlers => handlers(&told).await,
            Check::BadPath => bad_path(),
        };
        let failed = outcome.is_err();
        steps.push(step(name, outcome));
        if failed {
            break;
        }
    }
    factory.shutdown().await;
    steps
}

#[derive(Clone, Copy)]
enum Check {
    Create,
    Isolation,
    Wildcard,
    Informer,
    Handlers,
    BadPath,
}

async fn create(clientset: &ClusterClientset) -> Result<String, String> {
    let mut created = 0;
    for (cluster, n) in CLUSTERS {
        let widgets = clientset
            .cluster(&path(cluster)?)
            .widgets_v1()
            .widgets(NAMESPACE);
        widgets
            .create(&PostParams::default(), &widget("shared", cluster))
            .await
            .map_err(|e| format!("{cluster}: {e}"))?;
        for i in 1..n {
            widgets
                .create(&PostParams::default(), &widget(&format!("w{i}"), cluster))
                .await
                .map_err(|e| format!("{cluster}: {e}"))?;
        }
        created += n;
    }
    Ok(format!("{created} widgets, `shared` in each cluster"))
}

async fn isolation(clientset: &ClusterClientset) -> Result<String, String> {
    let mut homes = Vec::new();
    for (cluster, n) in CLUSTERS {
        let widgets = clientset
            .cluster(&path(cluster)?)
            .widgets_v1()
            .widgets(NAMESPACE);
        let shared = widgets.get("shared").await.map_err(|e| e.to_string())?;
        if home(&shared) != cluster {
            return Err(format!(
                "{cluster}'s `shared` was written to {}",
                home(&shared)
            ));
        }
        let listed = widgets
            .list(&ListParams::default())
            .await
            .map_err(|e| e.to_string())?;
        if listed.items.len() != n {
            return Err(format!(
                "{cluster} lists {} widgets, not {n}",
                listed.items.len()
            ));
        }
        homes.push(format!("{cluster} reads its own"));
    }
    Ok(homes.join(", "))
}

async fn wildcard(clientset: &ClusterClientset) -> Result<String, String> {
    let listed = clientset
        .widgets_v1()
        .widgets()
        .list(&ListParams::default())
        .await
        .map_err(|e| e.to_string())?;
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for w in &listed.items {
        let cluster = w
            .logical_cluster()
            .ok_or_else(|| format!("{:?} names no cluster", w.metadata.name))?;
        if cluster.as_str() != home(w) {
            return Err(format!("a widget of {} says {cluster}", home(w)));
        }
        *seen.entry(cluster.to_string()).or_default() += 1;
    }
    if seen != expected_counts() {
        return Err(format!("saw {}", counts(&seen)));
    }
    Ok(format!("{} widgets: {}", listed.items.len(), counts(&seen)))
}

async fn informer(factory: &ClusterInformerFactory) -> Result<String, String> {
    factory.start();
    let report = factory.wait_for_cache_sync(SYNC).await;
    if !report.all_synced() {
        return Err(format!("not synced: {report:?}"));
    }
    // Every cluster's view asks the same informer: the factory runs one, hence one watch.
    if report.synced.len() != 1 {
        return Err(format!("{} informers for one kind", report.synced.len()));
    }
    let lister = factory.widgets_v1().widgets().lister();
    let mut per_cluster = BTreeMap::new();
    for (cluster, _) in CLUSTERS {
        let one = lister.cluster(&path(cluster)?);
        per_cluster.insert(cluster.to_owned(), one.list(&Selector::default()).len());
        let shared = one
            .widgets(NAMESPACE)
            .get("shared")
            .map_err(|e| e.to_string())?;
        if home(&shared) != cluster {
            return Err(format!(
                "{cluster}'s lister answered {}'s `shared`",
                home(&shared)
            ));
        }
    }
    if per_cluster != expected_counts() {
        return Err(format!("listers count {}", counts(&per_cluster)));
    }
    // A cluster's view of the factory is the ordinary one, over the same cache.
    let (first, n) = CLUSTERS[0];
    let view = factory
        .cluster(&path(first)?)
        .widgets_v1()
        .widgets()
        .lister()
        .widgets(NAMESPACE)
        .list(&Selector::default())
        .len();
    if view != n {
        return Err(format!("the {first} view lists {view}, not {n}"));
    }
    Ok(format!("one watch; per cluster {}", counts(&per_cluster)))
}

async fn handlers(told: &Arc<Mutex<BTreeMap<String, usize>>>) -> Result<String, String> {
    let expected = expected_counts();
    let deadline = tokio::time::Instant::now() + SYNC;
    loop {
        let seen = told
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        if seen == expected {
            return Ok(format!("adds per cluster {}", counts(&seen)));
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(format!("adds per cluster {}", counts(&seen)));
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn bad_path() -> Result<String, String> {
    match ClusterPath::new("root:Org") {
        Ok(p) => Err(format!("`{p}` was accepted")),
        Err(e) => Ok(e.to_string()),
    }
}
