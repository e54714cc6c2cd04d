//! Retries of the GENERATED clientset against the in-memory API server with injected faults.
//!
//! Every test runs on a paused tokio clock: backoff sleeps advance virtual time only, so the
//! tests run instantly and can tell "slept" from "did not sleep" exactly. The server is
//! in-process (no sockets), so nothing waits on real time. Requests are counted by a tower
//! layer in front of the server's service.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt;
use http::{Method, Request};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{
    DeleteParams, ListParams, Patch, PatchParams, PostParams, WatchEvent, WatchParams,
};
use kube_codegen_apiserver::{ApiServer, Fault, Verb};
use kube_codegen_runtime::client::ClientsetConfig;
use kube_codegen_runtime::retry::{ErrorClass, RetryPolicy, classify, retry_on_conflict};
use serde_json::json;
use tokio::time::Instant;
use widgets_api::fleet::v1::{Ship, ShipSpec};
use widgets_api::widgets::v1::{Color, Widget, WidgetSpec};
use widgets_client::Clientset;

/// Requests seen by the server: (method, path and query).
#[derive(Clone, Debug, Default)]
struct Log(Arc<Mutex<Vec<(Method, String)>>>);

impl Log {
    fn record<B>(&self, req: &Request<B>) {
        let target = req
            .uri()
            .path_and_query()
            .map(ToString::to_string)
            .unwrap_or_default();
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((req.method().clone(), target));
    }

    /// How many requests had this method and a path ending in `suffix` (query ignored).
    fn count(&self, method: &Method, suffix: &str) -> usize {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .filter(|(m, target)| {
                m == method
                    && target
                        .split('?')
                        .next()
                        .is_some_and(|p| p.ends_with(suffix))
            })
            .count()
    }

    fn clear(&self) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}

fn server() -> ApiServer {
    ApiServer::builder()
        .register_all(widgets_api::widgets::v1::RESOURCES)
        .register_all(widgets_api::fleet::v1::RESOURCES)
        .build()
}

/// A `kube::Client` over the in-process server whose requests are logged.
fn logged_client(server: &ApiServer) -> (kube::Client, Log) {
    let log = Log::default();
    let recorder = log.clone();
    let service = tower::ServiceBuilder::new()
        .map_request(move |req: Request<kube::client::Body>| {
            recorder.record(&req);
            req
        })
        .service(server.service());
    (kube::Client::new(service, "default"), log)
}

fn widget(name: &str) -> Widget {
    Widget {
        metadata: ObjectMeta {
            name: Some(name.to_owned()),
            ..ObjectMeta::default()
        },
        spec: WidgetSpec::default(),
        status: None,
    }
}

fn code(err: &kube::Error) -> u16 {
    match err {
        kube::Error::Api(status) => status.code,
        other => panic!("want an API status, got {other}"),
    }
}

const ONE: &str = "/namespaces/default/widgets/w";
const COLLECTION: &str = "/namespaces/default/widgets";

/// Sets up a server with widget `w`, and a clientset (default config) over a logged client.
async fn with_widget() -> (ApiServer, Clientset, Log) {
    let server = server();
    let (client, log) = logged_client(&server);
    let cs = Clientset::new(client);
    cs.widgets_v1()
        .widgets("default")
        .create(&PostParams::default(), &widget("w"))
        .await
        .expect("create");
    log.clear();
    (server, cs, log)
}

#[tokio::test(start_paused = true)]
async fn get_is_retried_through_503_until_it_succeeds() {
    let (server, cs, log) = with_widget().await;
    server.faults().inject(
        Fault::error(503)
            .on(Verb::Get)
            .for_resource("widgets")
            .times(2),
    );
    let start = Instant::now();
    let got = cs
        .widgets_v1()
        .widgets("default")
        .get("w")
        .await
        .expect("get");
    assert_eq!(got.metadata.name.as_deref(), Some("w"));
    assert_eq!(server.faults().armed(), 0, "both injected 503s were served");
    assert_eq!(log.count(&Method::GET, ONE), 3, "two 503s, then the answer");
    assert!(
        start.elapsed() > Duration::ZERO,
        "it backed off between attempts"
    );
}

#[tokio::test(start_paused = true)]
async fn get_is_retried_through_429_after_the_retry_after_delay() {
    let (server, cs, log) = with_widget().await;
    server.faults().inject(
        Fault::too_many_requests(2)
            .on(Verb::Get)
            .for_resource("widgets")
            .times(2),
    );
    let start = Instant::now();
    cs.widgets_v1()
        .widgets("default")
        .get("w")
        .await
        .expect("get");
    assert_eq!(server.faults().armed(), 0);
    assert_eq!(log.count(&Method::GET, ONE), 3);
    // Retry-After is a floor on each sleep: two sleeps of at least 2 s of virtual time.
    assert!(
        start.elapsed() >= Duration::from_secs(4),
        "slept {:?}",
        start.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn list_watch_start_and_scale_reads_are_retried_too() {
    let (server, cs, log) = with_widget().await;
    let widgets = cs.widgets_v1().widgets("default");
    server.faults().inject(
        Fault::error(503)
            .on(Verb::List)
            .for_resource("widgets")
            .times(1),
    );
    let list = widgets.list(&ListParams::default()).await.expect("list");
    assert_eq!(list.items.len(), 1);
    assert_eq!(log.count(&Method::GET, COLLECTION), 2);

    server.faults().inject(
        Fault::error(500)
            .on(Verb::Watch)
            .for_resource("widgets")
            .times(1),
    );
    let mut events = widgets
        .watch(&WatchParams::default().timeout(30), "0")
        .await
        .expect("watch starts after a retry");
    assert_eq!(server.faults().armed(), 0);
    let first = tokio::time::timeout(Duration::from_secs(30), events.next())
        .await
        .expect("an event")
        .expect("stream open")
        .expect("typed event");
    assert!(matches!(first, WatchEvent::Added(ref w) if w.metadata.name.as_deref() == Some("w")));

    let ships = cs.fleet_v1().ships("default");
    let ship = Ship {
        metadata: ObjectMeta {
            name: Some("s".into()),
            ..ObjectMeta::default()
        },
        spec: ShipSpec {
            replicas: 2,
            ..ShipSpec::default()
        },
        status: None,
    };
    ships
        .create(&PostParams::default(), &ship)
        .await
        .expect("create ship");
    server.faults().inject(
        Fault::error(504)
            .on(Verb::Get)
            .for_resource("ships")
            .times(1),
    );
    let scale = ships.get_scale("s").await.expect("get_scale after a retry");
    assert_eq!(scale.spec.and_then(|s| s.replicas), Some(2));
    assert_eq!(log.count(&Method::GET, "/ships/s/scale"), 2);
}

#[tokio::test(start_paused = true)]
async fn not_found_returns_at_once_without_sleeping() {
    let server = server();
    let (client, log) = logged_client(&server);
    let widgets = Clientset::new(client).widgets_v1().widgets("default");
    let start = Instant::now();
    let err = widgets.get("missing").await.expect_err("not found");
    assert_eq!(code(&err), 404);
    assert_eq!(classify(&err), ErrorClass::Answer);
    assert_eq!(widgets.get_opt("missing").await.expect("get_opt"), None);
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "NotFound is an answer: the virtual clock never advanced"
    );
    assert_eq!(
        log.count(&Method::GET, "/widgets/missing"),
        2,
        "one request per call"
    );
}

#[tokio::test(start_paused = true)]
async fn retrying_everything_would_have_slept_on_not_found() {
    // The contrast that makes the test above meaningful: clusterctl's old policy retries a
    // NotFound to exhaustion (cluster-api#11978).
    let server = server();
    let (client, log) = logged_client(&server);
    let config = ClientsetConfig::default().with_read_policy(RetryPolicy::retry_everything());
    let widgets = Clientset::with_config(client, config)
        .widgets_v1()
        .widgets("default");
    let start = Instant::now();
    let err = widgets.get("missing").await.expect_err("still not found");
    assert_eq!(code(&err), 404);
    assert_eq!(log.count(&Method::GET, "/widgets/missing"), 9);
    assert!(start.elapsed() > Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn a_conflict_on_update_is_not_retried_by_the_clientset() {
    let (server, cs, log) = with_widget().await;
    let widgets = cs.widgets_v1().widgets("default");
    let stale = widgets.get("w").await.expect("get");
    let mut fresh = stale.clone();
    fresh.spec.color = Color::Green;
    widgets
        .update(&PostParams::default(), &fresh)
        .await
        .expect("update");
    log.clear();

    let start = Instant::now();
    let err = widgets
        .update(&PostParams::default(), &stale)
        .await
        .expect_err("stale");
    assert_eq!(code(&err), 409);
    assert_eq!(classify(&err), ErrorClass::Conflict);
    assert_eq!(log.count(&Method::PUT, ONE), 1, "one attempt");
    assert_eq!(start.elapsed(), Duration::ZERO);

    // An injected 409 is not retried either.
    server.faults().inject(
        Fault::error(409)
            .on(Verb::Update)
            .for_resource("widgets")
            .times(1),
    );
    let current = widgets.get("w").await.expect("get");
    let err = widgets
        .update(&PostParams::default(), &current)
        .await
        .expect_err("injected conflict");
    assert_eq!(code(&err), 409);
    assert_eq!(log.count(&Method::PUT, ONE), 2);
}

#[tokio::test(start_paused = true)]
async fn retry_on_conflict_reruns_get_modify_update_until_it_succeeds() {
    let (server, cs, log) = with_widget().await;
    let widgets = cs.widgets_v1().widgets("default");
    server.faults().inject(
        Fault::error(409)
            .on(Verb::Update)
            .for_resource("widgets")
            .times(2),
    );

    let mut runs = 0;
    let policy = RetryPolicy::default_conflicts();
    let updated = retry_on_conflict(&policy, || {
        runs += 1;
        let widgets = widgets.clone();
        async move {
            let mut w = widgets.get("w").await?;
            // (Named: the CRD's schema wants a non-empty part name.)
            w.spec.parts.push(widgets_api::widgets::v1::Part {
                name: "bolt".to_owned(),
                ..Default::default()
            });
            widgets.update(&PostParams::default(), &w).await
        }
    })
    .await
    .expect("third run succeeds");
    assert_eq!(runs, 3);
    assert_eq!(
        updated.spec.parts.len(),
        1,
        "only the successful run's change landed"
    );
    assert_eq!(log.count(&Method::GET, ONE), 3, "every run reads afresh");
    assert_eq!(log.count(&Method::PUT, ONE), 3);

    // A real conflict from a concurrent writer, cleared by rereading.
    let mut first = true;
    let updated = retry_on_conflict(&policy, || {
        let widgets = widgets.clone();
        let race = std::mem::take(&mut first);
        async move {
            let mut w = widgets.get("w").await?;
            if race {
                // Someone else writes between our read and our update.
                widgets
                    .patch(
                        "w",
                        &PatchParams::default(),
                        &Patch::Merge(json!({"metadata": {"labels": {"other": "writer"}}})),
                    )
                    .await?;
            }
            w.spec.color = Color::Green;
            widgets.update(&PostParams::default(), &w).await
        }
    })
    .await
    .expect("second run succeeds");
    assert_eq!(updated.spec.color, Color::Green);
    assert_eq!(
        updated.metadata.labels.expect("labels")["other"],
        "writer",
        "the other writer's change survives"
    );

    // Any other error ends it at once.
    let err = retry_on_conflict(&policy, || {
        let widgets = widgets.clone();
        async move { widgets.get("missing").await }
    })
    .await
    .expect_err("not found");
    assert_eq!(code(&err), 404);
}

#[tokio::test(start_paused = true)]
async fn writes_are_not_retried_on_503_by_default() {
    let (server, cs, log) = with_widget().await;
    let widgets = cs.widgets_v1().widgets("default");
    let pp = PostParams::default();
    for verb in [Verb::Create, Verb::Update, Verb::Patch, Verb::Delete] {
        server
            .faults()
            .inject(Fault::error(503).on(verb).for_resource("widgets").times(1));
    }
    let start = Instant::now();

    let err = widgets.create(&pp, &widget("new")).await.expect_err("503");
    assert_eq!(code(&err), 503);
    assert!(
        classify(&err).is_retryable(),
        "a read would have retried it"
    );
    assert_eq!(log.count(&Method::POST, COLLECTION), 1);

    let current = widgets.get("w").await.expect("get");
    let err = widgets.update(&pp, &current).await.expect_err("503");
    assert_eq!(code(&err), 503);
    assert_eq!(log.count(&Method::PUT, ONE), 1);

    let err = widgets
        .patch("w", &PatchParams::default(), &Patch::Merge(json!({})))
        .await
        .expect_err("503");
    assert_eq!(code(&err), 503);
    assert_eq!(log.count(&Method::PATCH, ONE), 1);

    let err = widgets
        .delete("w", &DeleteParams::default())
        .await
        .expect_err("503");
    assert_eq!(code(&err), 503);
    assert_eq!(log.count(&Method::DELETE, ONE), 1);

    assert_eq!(server.faults().armed(), 0);
    assert_eq!(start.elapsed(), Duration::ZERO, "no write slept");
    // The object is intact and the next write goes through.
    widgets
        .delete("w", &DeleteParams::default())
        .await
        .expect("delete");
}

#[tokio::test(start_paused = true)]
async fn a_clientset_can_turn_read_retries_off() {
    let (server, _cs, _log) = with_widget().await;
    let (client, log) = logged_client(&server);
    let config = ClientsetConfig::default().with_read_policy(RetryPolicy::none());
    let strict = Clientset::with_config(client.clone(), config);
    server.faults().inject(
        Fault::error(503)
            .on(Verb::Get)
            .for_resource("widgets")
            .times(1),
    );
    let err = strict
        .widgets_v1()
        .widgets("default")
        .get("w")
        .await
        .expect_err("not retried");
    assert_eq!(code(&err), 503);
    assert_eq!(log.count(&Method::GET, ONE), 1);

    // The default clientset on the same client retries the same fault away.
    server.faults().inject(
        Fault::error(503)
            .on(Verb::Get)
            .for_resource("widgets")
            .times(1),
    );
    Clientset::new(client)
        .widgets_v1()
        .widgets("default")
        .get("w")
        .await
        .expect("retried");
    assert_eq!(log.count(&Method::GET, ONE), 3);
}

#[tokio::test(start_paused = true)]
async fn a_clientset_can_opt_writes_into_retries() {
    let (server, _cs, _log) = with_widget().await;
    let (client, log) = logged_client(&server);
    let config = ClientsetConfig::default().with_write_policy(RetryPolicy::default_reads());
    let widgets = Clientset::with_config(client, config)
        .widgets_v1()
        .widgets("default");
    server.faults().inject(
        Fault::error(503)
            .on(Verb::Create)
            .for_resource("widgets")
            .times(2),
    );
    widgets
        .create(&PostParams::default(), &widget("again"))
        .await
        .expect("third attempt creates");
    assert_eq!(log.count(&Method::POST, COLLECTION), 3);
}
