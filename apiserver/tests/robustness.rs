//! Faults, bad input, concurrent writers, and kube's watcher across dropped watches and 410s.

mod common;

use std::time::{Duration, Instant};

use bytes::Bytes;
use common::*;
use futures::{StreamExt, TryStreamExt};
use http::{Method, Request};
use kube::api::{
    Api, DynamicObject, ListParams, Patch, PatchParams, PostParams, WatchEvent, WatchParams,
};
use kube::runtime::{WatchStreamExt, reflector, watcher};
use kube_codegen_apiserver::{Fault, Verb};
use serde_json::{Value, json};

// ---------------------------------------------------------------- faults

async fn injected_errors_reach_the_client(env: Env) {
    let api = widgets(&env.client, "default");
    api.create(&PostParams::default(), &widget("w", json!({})))
        .await
        .expect("create");
    let faults = env.server.faults();

    faults.inject(
        Fault::error(503)
            .on(Verb::Get)
            .for_resource("widgets")
            .times(1),
    );
    assert_eq!(api_error(api.get("w").await).code, 503);
    api.get("w").await.expect("fault used up");

    faults.inject(Fault::too_many_requests(7).on(Verb::List).times(1));
    let throttled = api_error(api.list(&ListParams::default()).await);
    assert_eq!(
        (throttled.code, throttled.reason.as_str()),
        (429, "TooManyRequests")
    );
    assert_eq!(throttled.details.map(|d| d.retry_after_seconds), Some(7));

    faults.inject(Fault::error(429).on(Verb::Get).times(1));
    let response = env
        .client
        .send(
            Request::get("/apis/widgets.example.io/v1/namespaces/default/widgets/w")
                .body(Vec::new().into())
                .expect("req"),
        )
        .await
        .expect("send");
    assert_eq!(response.status().as_u16(), 429);
    assert_eq!(
        response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("1")
    );

    faults.inject(Fault::error(500).on(Verb::Create).times(1));
    assert_eq!(
        api_error(
            api.create(&PostParams::default(), &widget("x", json!({})))
                .await
        )
        .code,
        500
    );
    faults.inject(Fault::error(409).on(Verb::Patch).times(1));
    let conflict = api_error(
        api.patch("w", &PatchParams::default(), &Patch::Merge(json!({})))
            .await,
    );
    assert_eq!((conflict.code, conflict.reason.as_str()), (409, "Conflict"));

    // Faults for another resource or verb do not fire.
    faults.inject(Fault::error(500).for_resource("gadgets"));
    api.get("w").await.expect("other resource unaffected");
    faults.clear();
    assert_eq!(faults.armed(), 0);

    let delay = Duration::from_millis(50);
    faults.inject(Fault::latency(delay).on(Verb::Get).times(1));
    let started = Instant::now();
    api.get("w").await.expect("delayed get");
    assert!(
        started.elapsed() >= delay,
        "latency is at least the injected delay"
    );

    // kube's default HTTP client retries 503 by itself: the fault is consumed, the call succeeds.
    if let Some(http) = &env.http {
        let retrying = widgets(&http.client().expect("default client"), "default");
        faults.inject(Fault::error(503).on(Verb::Get).times(1));
        retrying.get("w").await.expect("retried past the 503");
        assert_eq!(faults.armed(), 0);
    }
}

async fn watches_close_after_n_events(env: Env) {
    let api = widgets(&env.client, "default");
    for name in ["a", "b", "c", "d"] {
        api.create(&PostParams::default(), &widget(name, json!({})))
            .await
            .expect("create");
    }
    env.server
        .faults()
        .inject(Fault::close_watch_after(2).times(1));
    let mut stream = api
        .watch(&WatchParams::default().timeout(60), "0")
        .await
        .expect("watch")
        .boxed();
    let mut events = 0;
    while let Some(event) = within(30, stream.try_next()).await.expect("event") {
        assert!(matches!(event, WatchEvent::Added(_)));
        events += 1;
        assert!(events <= 2, "closed after 2 events");
    }
    assert_eq!(events, 2);
}

// ---------------------------------------------------------------- bad input

async fn send(
    env: &Env,
    method: Method,
    path: &str,
    content_type: Option<&str>,
    body: impl Into<Bytes>,
) -> (u16, Value) {
    let mut builder = Request::builder().method(method).uri(path);
    if let Some(ct) = content_type {
        builder = builder.header("content-type", ct);
    }
    let body: Bytes = body.into();
    let request = builder.body(body.to_vec().into()).expect("request");
    let response = within(30, env.client.send(request)).await.expect("send");
    let code = response.status().as_u16();
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("body")
        .to_bytes();
    (code, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

fn assert_status(answer: &(u16, Value), code: u16, reason: &str) {
    assert_eq!(answer.0, code, "{}", answer.1);
    assert_eq!(answer.1["kind"], "Status", "{}", answer.1);
    assert_eq!(answer.1["code"], code);
    assert_eq!(answer.1["reason"], reason);
}

const COLLECTION: &str = "/apis/widgets.example.io/v1/namespaces/default/widgets";

async fn bad_input_gets_upstream_status_codes(env: Env) {
    let json = Some("application/json");
    assert_status(
        &send(&env, Method::POST, COLLECTION, json, "{not json").await,
        400,
        "BadRequest",
    );
    assert_status(
        &send(&env, Method::POST, COLLECTION, json, "[1,2]").await,
        400,
        "BadRequest",
    );
    assert_status(
        &send(
            &env,
            Method::POST,
            COLLECTION,
            json,
            r#"{"metadata":{"name":"x"}}"#,
        )
        .await,
        400,
        "BadRequest",
    );
    assert_status(
        &send(
            &env,
            Method::POST,
            COLLECTION,
            Some("text/plain"),
            r#"{"apiVersion":"widgets.example.io/v1","kind":"Widget","metadata":{"name":"x"}}"#,
        )
        .await,
        415,
        "UnsupportedMediaType",
    );
    let huge = format!(
        r#"{{"apiVersion":"widgets.example.io/v1","kind":"Widget","metadata":{{"name":"big"}},"spec":{{"blob":"{}"}}}}"#,
        "x".repeat(4096)
    );
    assert_status(
        &send(&env, Method::POST, COLLECTION, json, huge).await,
        413,
        "RequestEntityTooLarge",
    );
    assert_status(
        &send(
            &env,
            Method::GET,
            "/apis/widgets.example.io/v1/namespaces/default/nothings",
            None,
            "",
        )
        .await,
        404,
        "NotFound",
    );
    assert_status(
        &send(&env, Method::GET, "/apis/unknown.io/v1/things", None, "").await,
        404,
        "NotFound",
    );
    assert_status(
        &send(&env, Method::GET, "/definitely/not/an/api", None, "").await,
        404,
        "NotFound",
    );
    assert_status(
        &send(&env, Method::PUT, COLLECTION, json, "{}").await,
        405,
        "MethodNotAllowed",
    );
    assert_status(
        &send(
            &env,
            Method::GET,
            &format!("{COLLECTION}?limit=abc"),
            None,
            "",
        )
        .await,
        400,
        "BadRequest",
    );
    assert_status(
        &send(
            &env,
            Method::GET,
            &format!("{COLLECTION}?resourceVersion=abc"),
            None,
            "",
        )
        .await,
        400,
        "BadRequest",
    );
    assert_status(
        &send(
            &env,
            Method::GET,
            &format!("{COLLECTION}?labelSelector=a%20in"),
            None,
            "",
        )
        .await,
        400,
        "BadRequest",
    );
    assert_status(
        &send(
            &env,
            Method::GET,
            "/apis/widgets.example.io/v1/namespaces/default/gadgets",
            None,
            "",
        )
        .await,
        404,
        "NotFound",
    );

    let api = widgets(&env.client, "default");
    api.create(&PostParams::default(), &widget("w", json!({})))
        .await
        .expect("create");
    let item = format!("{COLLECTION}/w");
    assert_status(
        &send(&env, Method::PATCH, &item, Some("application/xml"), "{}").await,
        415,
        "UnsupportedMediaType",
    );
    assert_status(
        &send(
            &env,
            Method::PATCH,
            &item,
            Some("application/merge-patch+json"),
            "{oops",
        )
        .await,
        400,
        "BadRequest",
    );
    assert_status(
        &send(
            &env,
            Method::PATCH,
            &item,
            Some("application/json-patch+json"),
            "{}",
        )
        .await,
        400,
        "BadRequest",
    );
    assert_status(
        &send(&env, Method::DELETE, &item, json, "{bad").await,
        400,
        "BadRequest",
    );

    // Junk never panics or hangs the server: every answer is a well-formed response.
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let bodies: [&[u8]; 6] = [
        b"",
        b"\xff\xfe\x00",
        b"null",
        b"{\"metadata\":7}",
        deep.as_bytes(),
        b"{\"apiVersion\":1}",
    ];
    let paths = [
        COLLECTION,
        item.as_str(),
        "/api/v1/namespaces/%zz",
        "/apis/widgets.example.io/v1/namespaces/default/widgets/w/nope",
        "/clusters/*/api/v1/namespaces",
        "/clusters//apis",
    ];
    let content_types = [
        None,
        Some("application/json"),
        Some("application/apply-patch+yaml"),
        Some("application/json-patch+json"),
    ];
    for path in paths {
        for method in [
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ] {
            for body in bodies {
                for ct in content_types {
                    let (code, value) = send(&env, method.clone(), path, ct, body.to_vec()).await;
                    assert!((200..600).contains(&code));
                    if code >= 400 {
                        assert_eq!(value["kind"], "Status", "{method} {path}: {value}");
                    }
                }
            }
        }
    }
    // The server is still healthy.
    api.list(&ListParams::default())
        .await
        .expect("still serving");
    api.create(&PostParams::default(), &widget("after-junk", json!({})))
        .await
        .expect("still writable");
}

// ---------------------------------------------------------------- concurrency

async fn concurrent_read_modify_write_loses_no_update(env: Env) {
    const TASKS: usize = 32;
    const INCREMENTS: usize = 8;
    const OBJECTS: usize = 4;
    let api = widgets(&env.client, "default");
    for i in 0..OBJECTS {
        api.create(
            &PostParams::default(),
            &widget(&format!("counter-{i}"), json!({"count": 0})),
        )
        .await
        .expect("create");
    }
    let mut tasks = Vec::new();
    for t in 0..TASKS {
        let api = api.clone();
        tasks.push(tokio::spawn(async move {
            let name = format!("counter-{}", t % OBJECTS);
            let mut conflicts = 0usize;
            for _ in 0..INCREMENTS {
                for attempt in 0.. {
                    assert!(attempt < 10_000, "read-modify-write never converged");
                    let mut current = api.get(&name).await.expect("get");
                    let count = current.data["spec"]["count"].as_i64().expect("count");
                    current.data["spec"]["count"] = json!(count + 1);
                    match api.replace(&name, &PostParams::default(), &current).await {
                        Ok(_) => break,
                        Err(kube::Error::Api(s)) if s.code == 409 => conflicts += 1,
                        Err(e) => panic!("unexpected error: {e}"),
                    }
                }
            }
            conflicts
        }));
    }
    let mut conflicts = 0;
    for task in tasks {
        conflicts += within(300, task).await.expect("task");
    }
    for i in 0..OBJECTS {
        let obj = api.get(&format!("counter-{i}")).await.expect("get");
        let expected = (TASKS / OBJECTS * INCREMENTS) as i64;
        assert_eq!(
            obj.data["spec"]["count"], expected,
            "counter-{i} lost updates ({conflicts} conflicts reported)"
        );
        assert_eq!(obj.metadata.generation, Some(expected + 1));
    }
}

// ---------------------------------------------------------------- kube's watcher

async fn watcher_stays_consistent_across_drops_and_410(env: Env, config: watcher::Config) {
    let api = widgets(&env.client, "default");
    let writer = reflector::store::Writer::new(widget_resource());
    let reader = writer.as_reader();
    // Every watch (re)connection is cut after a few events, five times over.
    env.server
        .faults()
        .inject(Fault::close_watch_after(3).for_resource("widgets").times(5));
    let all: Api<DynamicObject> = Api::all_with(env.client.clone(), &widget_resource());
    let stream = reflector(writer, watcher(all, config)).default_backoff();
    let consumer = tokio::spawn(async move {
        stream.for_each(|_| futures::future::ready(())).await;
    });

    for i in 0..30 {
        let name = format!("w{i}");
        api.create(&PostParams::default(), &widget(&name, json!({"n": i})))
            .await
            .expect("create");
        if i % 3 == 0 {
            api.patch(
                &name,
                &PatchParams::default(),
                &Patch::Merge(json!({"spec": {"n": i * 10}})),
            )
            .await
            .expect("patch");
        }
        if i % 4 == 0 {
            api.delete(&name, &kube::api::DeleteParams::default())
                .await
                .expect("delete");
        }
        if i % 7 == 0 {
            // Watches resuming from before this point get 410 Expired and must relist.
            env.server.compact();
        }
        if i % 5 == 0 {
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
    }

    // Keep changing things until every scripted cut has hit a live watch.
    within(120, async {
        let mut i = 0;
        while env.server.faults().armed() > 0 {
            api.create(
                &PostParams::default(),
                &widget(&format!("extra{i}"), json!({})),
            )
            .await
            .expect("create");
            i += 1;
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;

    let expected = {
        let mut items: Vec<(String, String)> = api
            .list(&ListParams::default())
            .await
            .expect("list")
            .items
            .into_iter()
            .map(|o| {
                (
                    o.metadata.name.unwrap_or_default(),
                    o.metadata.resource_version.unwrap_or_default(),
                )
            })
            .collect();
        items.sort();
        items
    };
    within(120, async {
        loop {
            let mut cached: Vec<(String, String)> = reader
                .state()
                .iter()
                .map(|o| {
                    (
                        o.metadata.name.clone().unwrap_or_default(),
                        o.metadata.resource_version.clone().unwrap_or_default(),
                    )
                })
                .collect();
            cached.sort();
            if cached == expected {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    consumer.abort();
}

// ---------------------------------------------------------------- runners

fn small_body_server() -> kube_codegen_apiserver::ApiServer {
    server_builder().max_body_bytes(2048).build()
}

macro_rules! both_transports {
    ($name:ident, $scenario:expr, $server:expr) => {
        mod $name {
            use super::*;
            #[tokio::test]
            async fn in_process() {
                $scenario(Env::with_server($server, Transport::InProcess).await).await
            }
            #[tokio::test]
            async fn over_http() {
                $scenario(Env::with_server($server, Transport::Http).await).await
            }
        }
    };
}

both_transports!(
    injected_errors,
    injected_errors_reach_the_client,
    server_builder().build()
);
both_transports!(
    watch_cut,
    watches_close_after_n_events,
    server_builder().build()
);
both_transports!(
    bad_input,
    bad_input_gets_upstream_status_codes,
    small_body_server()
);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_two_writers_in_process() {
    concurrent_read_modify_write_loses_no_update(Env::new(Transport::InProcess).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_two_writers_over_http() {
    concurrent_read_modify_write_loses_no_update(Env::new(Transport::Http).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watcher_list_watch_converges() {
    watcher_stays_consistent_across_drops_and_410(
        Env::new(Transport::InProcess).await,
        watcher::Config::default(),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watcher_streaming_list_converges() {
    watcher_stays_consistent_across_drops_and_410(
        Env::new(Transport::InProcess).await,
        watcher::Config::default().streaming_lists(),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watcher_over_http_converges() {
    watcher_stays_consistent_across_drops_and_410(
        Env::new(Transport::Http).await,
        watcher::Config::default(),
    )
    .await;
}
