//! The runtime's shared informers, factory and listers against the in-memory API server, over
//! the generated `widgets-api` kinds: handler delivery across watch drops and compaction, sync
//! retry after failed lists, factory sharing, start and shutdown.
//!
//! Waits are bounded by `GUARD` (hang guards only: every awaited event is already due).

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PostParams};
use kube_codegen_apiserver::{ApiServer, Fault, Verb};
use kube_codegen_runtime::informer::{Handler, SharedInformer, SharedInformerFactory, SyncError};
use serde_json::json;
use widgets_api::widgets::v1::{Color, Gadget, GadgetSpec, Widget, WidgetSpec};

const GUARD: Duration = Duration::from_secs(60);

fn server() -> ApiServer {
    ApiServer::builder()
        .register_all(widgets_api::widgets::v1::RESOURCES)
        .build()
}

async fn guarded<F: Future>(what: &str, fut: F) -> F::Output {
    match tokio::time::timeout(GUARD, fut).await {
        Ok(out) => out,
        Err(_) => panic!("{what}: nothing within {GUARD:?}"),
    }
}

/// Polls `done` until it holds (every 10 ms), failing the test after `GUARD`.
async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    guarded(what, async {
        while !done() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
}

fn widget(namespace: &str, name: &str, labels: &[(&str, &str)]) -> Widget {
    Widget {
        metadata: ObjectMeta {
            name: Some(name.to_owned()),
            namespace: Some(namespace.to_owned()),
            labels: Some(
                labels
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect::<BTreeMap<_, _>>(),
            ),
            ..ObjectMeta::default()
        },
        spec: WidgetSpec {
            color: Color::Red,
            ..WidgetSpec::default()
        },
        status: None,
    }
}

fn gadget(name: &str) -> Gadget {
    Gadget {
        metadata: ObjectMeta {
            name: Some(name.to_owned()),
            ..ObjectMeta::default()
        },
        spec: GadgetSpec::default(),
        status: None,
    }
}

async fn create_namespaces(server: &ApiServer, names: &[&str]) {
    let namespaces: Api<Namespace> = Api::all(server.client());
    for name in names {
        let namespace = Namespace {
            metadata: ObjectMeta {
                name: Some((*name).to_owned()),
                ..ObjectMeta::default()
            },
            ..Namespace::default()
        };
        namespaces
            .create(&PostParams::default(), &namespace)
            .await
            .expect("namespace");
    }
}

fn name_of(w: &Widget) -> String {
    w.metadata.name.clone().unwrap_or_default()
}

fn rv_of(w: &Widget) -> String {
    w.metadata.resource_version.clone().unwrap_or_default()
}

/// What a handler saw, in order: `add NAME@RV`, `update NAME RV->RV`, `delete NAME@RV`.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

impl Recorder {
    fn handler(&self) -> Handler<Widget> {
        let (add, update, delete) = (self.clone(), self.clone(), self.clone());
        Handler::new()
            .on_add(move |w, _| add.push(format!("add {}@{}", name_of(w), rv_of(w))))
            .on_update(move |old, new| {
                update.push(format!(
                    "update {} {}->{}",
                    name_of(new),
                    rv_of(old),
                    rv_of(new)
                ));
            })
            .on_delete(move |w| delete.push(format!("delete {}@{}", name_of(w), rv_of(w))))
    }

    fn push(&self, event: String) {
        self.0.lock().expect("not poisoned").push(event);
    }

    fn events(&self) -> Vec<String> {
        self.0.lock().expect("not poisoned").clone()
    }

    /// Replays the events, checking each is possible (no add of a present object, no update
    /// or delete of an absent one, updates continue from the last version seen), and returns
    /// the state they lead to: name → resourceVersion.
    fn replay(&self) -> BTreeMap<String, String> {
        let mut state = BTreeMap::new();
        for event in self.events() {
            let words: Vec<&str> = event.split([' ', '@']).collect();
            match words.as_slice() {
                ["add", name, rv] => {
                    let before = state.insert((*name).to_owned(), (*rv).to_owned());
                    assert!(before.is_none(), "{event}: already present");
                }
                ["update", name, versions] => {
                    let (old, new) = versions.split_once("->").expect("old->new");
                    let current = state.get_mut(*name).expect("update of an absent object");
                    assert_eq!(current, old, "{event}: not from the last version seen");
                    assert!(
                        new.parse::<u64>().ok() > old.parse::<u64>().ok(),
                        "{event}: versions go back"
                    );
                    *current = new.to_owned();
                }
                ["delete", name, _] => {
                    assert!(
                        state.remove(*name).is_some(),
                        "{event}: delete of an absent object"
                    );
                }
                _ => panic!("unexpected event {event}"),
            }
        }
        state
    }
}

async fn listed(api: &Api<Widget>) -> BTreeMap<String, String> {
    api.list(&ListParams::default())
        .await
        .expect("list")
        .items
        .iter()
        .map(|w| (name_of(w), rv_of(w)))
        .collect()
}

fn cached(informer: &SharedInformer<Widget>) -> BTreeMap<String, String> {
    informer
        .cache()
        .list()
        .iter()
        .map(|w| (name_of(w), rv_of(w)))
        .collect()
}

/// Writes `writes` creates, label patches and deletes over 40 names, returning the events a
/// handler must see for them, in order.
async fn churn(api: &Api<Widget>, writes: usize, mut between: impl FnMut(usize)) -> Vec<String> {
    let mut expected = Vec::new();
    let mut current: BTreeMap<String, String> = BTreeMap::new();
    for i in 0..writes {
        between(i);
        let name = format!("w{}", i % 40);
        match current.get(&name).cloned() {
            None => {
                let created = api
                    .create(&PostParams::default(), &widget("default", &name, &[]))
                    .await
                    .expect("create");
                expected.push(format!("add {name}@{}", rv_of(&created)));
                current.insert(name, rv_of(&created));
            }
            Some(_) if i % 7 == 3 => {
                api.delete(&name, &DeleteParams::default())
                    .await
                    .expect("delete");
                expected.push(format!("delete {name}@"));
                current.remove(&name);
            }
            Some(old) => {
                let patch = json!({"metadata": {"labels": {"write": i.to_string()}}});
                let patched = api
                    .patch(&name, &PatchParams::default(), &Patch::Merge(&patch))
                    .await
                    .expect("patch");
                expected.push(format!("update {name} {old}->{}", rv_of(&patched)));
                current.insert(name, rv_of(&patched));
            }
        }
    }
    expected
}

/// Deletes carry the server's final resourceVersion, which a writer cannot know in advance:
/// compare them by name only.
fn without_delete_versions(events: Vec<String>) -> Vec<String> {
    events
        .into_iter()
        .map(|e| match e.split_once('@') {
            Some((head, _)) if e.starts_with("delete ") => format!("{head}@"),
            _ => e,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handlers_see_every_change_once_and_in_order_across_watch_drops() {
    let server = server();
    // Every watch is cut after 7 events (bookmarks included): ~150 reconnects below, each
    // resuming from the last resourceVersion seen.
    server
        .faults()
        .inject(Fault::close_watch_after(7).on(Verb::Watch));
    let factory = SharedInformerFactory::new(server.client());
    let informer = factory.informer_for::<Widget>();
    let recorder = Recorder::default();
    let registration = informer.add_handler(recorder.handler());
    factory.start();
    let report = guarded("sync", factory.wait_for_cache_sync(GUARD)).await;
    assert!(report.all_synced(), "{report}");
    eventually("handler synced", || registration.has_synced()).await;

    let api: Api<Widget> = Api::namespaced(server.client(), "default");
    let expected = churn(&api, 1_000, |_| {}).await;
    let want = expected.len();
    eventually("every event delivered", || recorder.events().len() >= want).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(without_delete_versions(recorder.events()), expected);
    assert_eq!(recorder.replay(), listed(&api).await);
    assert_eq!(cached(&informer), listed(&api).await);
    factory.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relists_after_compaction_keep_handlers_consistent_with_the_server() {
    let server = server();
    server
        .faults()
        .inject(Fault::close_watch_after(11).on(Verb::Watch));
    let factory = SharedInformerFactory::new(server.client());
    let informer = factory.informer_for::<Widget>();
    let recorder = Recorder::default();
    informer.add_handler(recorder.handler());
    let relists = Arc::new(Mutex::new(0));
    let seen = Arc::clone(&relists);
    informer.on_watch_error(move |e: &SyncError| {
        if e.code == Some(410) || e.message.contains("410") {
            *seen.lock().expect("not poisoned") += 1;
        }
    });
    factory.start();
    assert!(
        guarded("sync", factory.wait_for_cache_sync(GUARD))
            .await
            .all_synced()
    );

    let api: Api<Widget> = Api::namespaced(server.client(), "default");
    churn(&api, 1_000, |i| {
        if i % 97 == 0 {
            server.compact();
        }
    })
    .await;
    let fresh = listed(&api).await;
    eventually("cache caught up", || cached(&informer) == fresh).await;
    eventually("handlers caught up", || recorder.replay() == fresh).await;
    factory.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delete_during_a_watch_outage_arrives_as_a_delete_with_the_last_known_state() {
    let server = server();
    let api: Api<Widget> = Api::namespaced(server.client(), "default");
    let before = api
        .create(&PostParams::default(), &widget("default", "doomed", &[]))
        .await
        .expect("create");
    // Watches end after their first event; the next watch fails once, and the informer backs
    // off: the outage.
    server
        .faults()
        .inject(Fault::close_watch_after(1).on(Verb::Watch).times(1));
    server
        .faults()
        .inject(Fault::error(503).on(Verb::Watch).times(1));
    let informer = SharedInformerFactory::new(server.client()).informer_for::<Widget>();
    let recorder = Recorder::default();
    informer.add_handler(recorder.handler());
    let failed = Arc::new(Mutex::new(false));
    let flag = Arc::clone(&failed);
    informer.on_watch_error(move |_| *flag.lock().expect("not poisoned") = true);
    informer.start();
    assert!(informer.wait_for_cache_sync(GUARD).await);
    // Any event ends the first watch.
    api.create(&PostParams::default(), &widget("default", "trigger", &[]))
        .await
        .expect("create");
    eventually("the watch failed", || *failed.lock().expect("not poisoned")).await;

    api.delete("doomed", &DeleteParams::default())
        .await
        .expect("delete");
    // History is gone: the informer's resume gets 410 and relists.
    server.compact();
    eventually("the delete arrived", || {
        recorder
            .events()
            .iter()
            .any(|e| e.starts_with("delete doomed"))
    })
    .await;
    assert!(
        recorder
            .events()
            .contains(&format!("delete doomed@{}", rv_of(&before))),
        "{:?}",
        recorder.events()
    );
    assert_eq!(cached(&informer), listed(&api).await);
    informer.shutdown().await;
}

/// Times of the informer's failures, on tokio's (paused) clock.
fn failure_times(
    informer: &SharedInformer<Widget>,
) -> Arc<Mutex<Vec<(tokio::time::Instant, SyncError)>>> {
    let times = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&times);
    informer.on_watch_error(move |e| {
        sink.lock()
            .expect("not poisoned")
            .push((tokio::time::Instant::now(), e.clone()));
    });
    times
}

async fn retries_on_its_own_after_failed_lists(code: u16) {
    let server = server();
    server
        .faults()
        .inject(Fault::error(code).on(Verb::List).times(4));
    let informer = SharedInformerFactory::new(server.client()).informer_for::<Widget>();
    let failures = failure_times(&informer);
    let started = tokio::time::Instant::now();
    informer.start();
    // No write, no other event: only the informer's own retries can get it synced.
    assert!(informer.wait_for_cache_sync(Duration::from_secs(120)).await);
    assert!(informer.last_sync_error().is_none(), "cleared once synced");

    let failures = failures.lock().expect("not poisoned").clone();
    assert_eq!(failures.len(), 4, "{failures:?}");
    let mut last = started;
    let mut gaps = Vec::new();
    for (n, (at, error)) in failures.iter().enumerate() {
        assert_eq!(error.code, Some(code), "{error}");
        assert_eq!(error.attempts, u32::try_from(n + 1).expect("small"));
        assert!(error.message.contains("initial object list"), "{error}");
        assert!(error.message.contains(&format!(": {code} ")), "{error}");
        gaps.push(at.duration_since(last));
        last = *at;
    }
    // Each retry waited what its error announced: 800 ms doubling, plus jitter, capped.
    let waits: Vec<Duration> = failures.iter().map(|(_, e)| e.retry_in).collect();
    for (n, wait) in waits.iter().enumerate() {
        let floor = Duration::from_millis(800) * 2u32.pow(u32::try_from(n).expect("small"));
        assert!(*wait >= floor, "wait {n}: {wait:?} < {floor:?}");
        assert!(
            *wait <= floor * 2 + Duration::from_millis(800),
            "wait {n}: {wait:?}"
        );
        assert!(*wait <= Duration::from_secs(31), "capped: {wait:?}");
    }
    for (n, gap) in gaps.iter().enumerate().skip(1) {
        assert!(
            *gap >= waits[n - 1],
            "attempt {n} came before its backoff: {gap:?}"
        );
    }
    let synced_after = started.elapsed();
    let total: Duration = waits.iter().sum();
    assert!(synced_after >= total, "{synced_after:?} < {total:?}");
    assert!(
        synced_after <= total + Duration::from_secs(5),
        "{synced_after:?}"
    );
    informer.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn a_sync_failing_with_500_retries_on_its_own_with_growing_bounded_delays() {
    retries_on_its_own_after_failed_lists(500).await;
}

#[tokio::test(start_paused = true)]
async fn a_sync_failing_with_403_retries_on_its_own_with_growing_bounded_delays() {
    retries_on_its_own_after_failed_lists(403).await;
}

#[tokio::test(start_paused = true)]
async fn wait_for_cache_sync_reports_what_did_not_sync_with_its_error_and_keeps_its_timeout() {
    let server = server();
    server
        .faults()
        .inject(Fault::error(403).on(Verb::List).for_resource("widgets"));
    let factory = SharedInformerFactory::new(server.client());
    let widgets = factory.informer_for::<Widget>();
    factory.informer_for::<Gadget>();
    factory.start();
    let started = tokio::time::Instant::now();
    let report = factory.wait_for_cache_sync(Duration::from_secs(5)).await;
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(5) && waited < Duration::from_secs(6),
        "{waited:?}"
    );
    assert!(report.is_synced("Gadget"), "{report}");
    assert!(!report.all_synced());
    let (resource, error) = &report.not_synced[0];
    assert_eq!(resource.to_string(), "widgets.example.io/v1 Widget");
    let error = error.as_ref().expect("the last error");
    assert_eq!(error.code, Some(403));
    assert!(
        report
            .to_string()
            .contains("not synced: widgets.example.io/v1 Widget"),
        "{report}"
    );
    assert!(!widgets.has_synced());
    assert_eq!(widgets.last_sync_error().map(|e| e.code), Some(Some(403)));
    factory.shutdown().await;
}

/// A client over `server` that logs every request as `METHOD path?query`.
fn logging_client(server: &ApiServer) -> (kube::Client, Arc<Mutex<Vec<String>>>) {
    let log = Arc::new(Mutex::new(Vec::new()));
    let service = server.service();
    let seen = Arc::clone(&log);
    let logging = tower::service_fn(move |request: http::Request<kube::client::Body>| {
        seen.lock()
            .expect("not poisoned")
            .push(format!("{} {}", request.method(), request.uri()));
        let service = service.clone();
        async move { Ok::<_, Infallible>(service.handle(request).await) }
    });
    (kube::Client::new(logging, "default"), log)
}

fn lists_of(log: &Mutex<Vec<String>>, plural: &str) -> usize {
    log.lock()
        .expect("not poisoned")
        .iter()
        .filter(|r| {
            r.starts_with("GET ") && r.contains(&format!("/{plural}?")) && !r.contains("watch=true")
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_factory_shares_informers_starts_idempotently_and_shutdown_ends_every_task() {
    let server = server();
    let (client, log) = logging_client(&server);
    let api: Api<Gadget> = Api::all(server.client());
    // After the clients exist: each `kube::Client` runs a buffer task of its own.
    let metrics = tokio::runtime::Handle::current().metrics();
    let tasks_before = metrics.num_alive_tasks();
    let factory = SharedInformerFactory::new(client);
    let first = factory.informer_for::<Widget>();
    let second = factory.informer_for::<Widget>();
    assert!(
        Arc::ptr_eq(first.cache(), second.cache()),
        "one informer per kind"
    );
    let registration = second.add_handler(Handler::new());
    factory.start();
    factory.start();
    assert!(
        guarded("sync", factory.wait_for_cache_sync(GUARD))
            .await
            .all_synced()
    );
    assert_eq!(lists_of(&log, "widgets"), 1, "started once");

    // Requested after start: not running until the next start.
    let gadgets = factory.informer_for::<Gadget>();
    assert!(!gadgets.is_started());
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(lists_of(&log, "gadgets"), 0);
    factory.start();
    assert!(
        guarded("sync", factory.wait_for_cache_sync(GUARD))
            .await
            .all_synced()
    );
    assert_eq!(lists_of(&log, "gadgets"), 1);
    assert_eq!(lists_of(&log, "widgets"), 1, "not started again");
    assert!(registration.has_synced());

    let generic = factory
        .for_resource(&kube::core::GroupVersionResource::gvr(
            "widgets.example.io",
            "v1",
            "gadgets",
        ))
        .expect("requested kind");
    api.create(&PostParams::default(), &gadget("g1"))
        .await
        .expect("create");
    eventually("gadget cached", || generic.keys() == ["g1"]).await;
    assert_eq!(
        generic.get("g1").and_then(|v| v.pointer("/kind").cloned()),
        Some(json!("Gadget"))
    );
    assert!(generic.typed::<Gadget>().is_some());
    assert!(generic.typed::<Widget>().is_none());
    assert!(
        factory
            .for_resource(&kube::core::GroupVersionResource::gvr("x", "v1", "things"))
            .is_none()
    );

    assert!(metrics.num_alive_tasks() > tasks_before);
    factory.shutdown().await;
    // The informers' and handlers' tasks have ended; the server's watch tasks end as soon as
    // they see their client gone.
    eventually("every task ended", || {
        metrics.num_alive_tasks() == tasks_before
    })
    .await;
}

#[tokio::test(start_paused = true)]
async fn late_handlers_get_the_cache_as_adds_and_resync_replays_updates_without_the_server() {
    let server = server();
    let api: Api<Widget> = Api::namespaced(server.client(), "default");
    for name in ["a", "b"] {
        api.create(&PostParams::default(), &widget("default", name, &[]))
            .await
            .expect("create");
    }
    let (client, log) = logging_client(&server);
    let factory = SharedInformerFactory::builder(client)
        .default_resync(Duration::from_secs(30))
        .build();
    let informer = factory.informer_for::<Widget>();
    factory.start();
    assert!(informer.wait_for_cache_sync(GUARD).await);

    let initial = Arc::new(Mutex::new(Vec::new()));
    let updates = Arc::new(Mutex::new(Vec::new()));
    let (seen_initial, seen_updates) = (Arc::clone(&initial), Arc::clone(&updates));
    let late = informer.add_handler(
        Handler::new()
            .on_add(move |w: &Arc<Widget>, initial| {
                seen_initial
                    .lock()
                    .expect("not poisoned")
                    .push((name_of(w), initial));
            })
            .on_update(move |old, new| {
                assert!(Arc::ptr_eq(old, new), "a resync replays the cached object");
                seen_updates
                    .lock()
                    .expect("not poisoned")
                    .push(name_of(new));
            }),
    );
    late.wait_synced().await;
    assert_eq!(
        *initial.lock().expect("not poisoned"),
        [("a".to_owned(), true), ("b".to_owned(), true)]
    );
    let requests = log.lock().expect("not poisoned").len();
    tokio::time::sleep(Duration::from_secs(31)).await;
    eventually("resync", || {
        updates.lock().expect("not poisoned").len() >= 2
    })
    .await;
    assert_eq!(*updates.lock().expect("not poisoned"), ["a", "b"]);
    let lists = log.lock().expect("not poisoned")[requests..]
        .iter()
        .filter(|r| !r.contains("watch=true"))
        .count();
    assert_eq!(lists, 0, "a resync calls no server");
    factory.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn factory_options_scope_select_and_transform_what_is_cached() {
    let server = server();
    create_namespaces(&server, &["a", "b"]).await;
    let apply = PatchParams::apply("test-manager");
    for (namespace, name, app) in [("a", "web", "web"), ("a", "db", "db"), ("b", "web2", "web")] {
        let api: Api<Widget> = Api::namespaced(server.client(), namespace);
        let body = serde_json::to_value(widget(namespace, name, &[("app", app)])).expect("json");
        let applied = api
            .patch(name, &apply, &Patch::Apply(&body))
            .await
            .expect("apply");
        assert!(
            applied.metadata.managed_fields.is_some(),
            "the server tracks managers"
        );
    }
    let factory = SharedInformerFactory::builder(server.client())
        .namespace("a")
        .tweak_list_params(|config| config.labels("app=web"))
        .strip_managed_fields()
        .build();
    let informer = factory.informer_for::<Widget>();
    factory.start();
    assert!(
        guarded("sync", factory.wait_for_cache_sync(GUARD))
            .await
            .all_synced()
    );
    let lister = informer.lister();
    let all = lister.list(&Default::default());
    assert_eq!(all.iter().map(|w| name_of(w)).collect::<Vec<_>>(), ["web"]);
    assert!(
        all[0].metadata.managed_fields.is_none(),
        "transformed before caching"
    );
    assert!(
        lister.namespace("a").get("db").is_err(),
        "filtered by the label selector"
    );
    factory.shutdown().await;
}

/// The GENERATED informers of `widgets-api` (`widgets_client::InformerFactory`), built from the
/// generated clientset.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_informers_and_listers_answer_per_namespace_and_cluster_wide() {
    let server = server();
    create_namespaces(&server, &["a", "b"]).await;
    let clientset = widgets_client::Clientset::new(server.client());
    let v1 = clientset.widgets_v1();
    for (namespace, name) in [("a", "w1"), ("a", "w2"), ("b", "w1")] {
        v1.widgets(namespace)
            .create(
                &PostParams::default(),
                &widget(namespace, name, &[("ns", namespace)]),
            )
            .await
            .expect("create");
    }
    v1.gadgets()
        .create(&PostParams::default(), &gadget("g1"))
        .await
        .expect("create");

    let factory = widgets_client::InformerFactory::new(&clientset);
    let widgets = factory.widgets_v1().widgets();
    let gadgets = factory.widgets_v1().gadgets();
    assert!(
        Arc::ptr_eq(
            widgets.informer().cache(),
            factory.widgets_v1().widgets().informer().cache()
        ),
        "asking twice gives the same informer"
    );
    factory.start();
    let report = guarded("sync", factory.wait_for_cache_sync(GUARD)).await;
    assert!(
        report.is_synced("Widget") && report.is_synced("Gadget"),
        "{report}"
    );

    let lister = widgets.lister();
    let everything = kube_codegen_runtime::informer::Selector::default();
    assert_eq!(lister.list(&everything).len(), 3);
    let in_a = lister.widgets("a").list(&everything);
    assert_eq!(
        in_a.iter().map(|w| name_of(w)).collect::<Vec<_>>(),
        ["w1", "w2"]
    );
    let w1 = lister.widgets("b").get("w1").expect("cached");
    assert_eq!(w1.metadata.namespace.as_deref(), Some("b"));
    let missing = lister.widgets("b").get("w2").expect_err("not in b");
    assert_eq!(
        missing.to_string(),
        "widgets.widgets.example.io \"w2\" not found"
    );
    let by_label: kube_codegen_runtime::informer::Selector =
        kube_codegen_runtime::informer::Expression::Equal("ns".into(), "b".into()).into();
    assert_eq!(lister.list(&by_label).len(), 1);
    assert_eq!(
        gadgets
            .lister()
            .get("g1")
            .expect("cached")
            .metadata
            .name
            .as_deref(),
        Some("g1")
    );

    // A write through the clientset reaches the lister through the watch.
    v1.widgets("b")
        .create(&PostParams::default(), &widget("b", "w3", &[]))
        .await
        .expect("create");
    eventually("watched", || lister.widgets("b").get("w3").is_ok()).await;
    factory.shutdown().await;
}
