//! kube-runtime's `finalizer()` helper, run by a kube `Controller` against the server, through
//! a whole cycle: the finalizer is added (a JSON patch opening with `test` of `null` on the
//! absent `/metadata/finalizers`), the object is deleted, cleanup runs, the finalizer is
//! removed (`test` + `remove`) and the object is gone. In-process and over HTTP.

mod common;

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use common::*;
use futures::StreamExt;
use kube::api::{DeleteParams, DynamicObject, PostParams};
use kube::runtime::controller::{Action, Controller};
use kube::runtime::finalizer::{self, Event, finalizer};
use kube::runtime::watcher;
use serde_json::json;
use tokio::sync::mpsc;

const FINALIZER: &str = "widgets.example.io/cleanup";

struct Context {
    client: kube::Client,
    /// What the reconciler saw, in order: `apply w`, `cleanup w`, or `error …`.
    seen: mpsc::UnboundedSender<String>,
}

async fn reconcile(
    obj: Arc<DynamicObject>,
    ctx: Arc<Context>,
) -> Result<Action, finalizer::Error<Infallible>> {
    let api = widgets(&ctx.client, "default");
    finalizer(&api, FINALIZER, obj, |event| async move {
        let seen = match &event {
            Event::Apply(o) => format!("apply {}", o.metadata.name.as_deref().unwrap_or("")),
            Event::Cleanup(o) => format!("cleanup {}", o.metadata.name.as_deref().unwrap_or("")),
        };
        let _ = ctx.seen.send(seen);
        Ok(Action::await_change())
    })
    .await
}

fn error_policy(
    _obj: Arc<DynamicObject>,
    err: &finalizer::Error<Infallible>,
    ctx: Arc<Context>,
) -> Action {
    let _ = ctx.seen.send(format!("error {err:?}"));
    Action::requeue(Duration::from_millis(200))
}

async fn next_seen(seen: &mut mpsc::UnboundedReceiver<String>) -> String {
    within(20, seen.recv()).await.expect("the controller runs")
}

async fn finalizer_cycle(transport: Transport) {
    let env = Env::new(transport).await;
    let (tx, mut seen) = mpsc::unbounded_channel();
    let ctx = Arc::new(Context {
        client: env.client.clone(),
        seen: tx,
    });
    let api = widgets(&env.client, "default");
    let controller = tokio::spawn(
        Controller::new_with(api.clone(), watcher::Config::default(), widget_resource())
            .run(reconcile, error_policy, ctx)
            .for_each(|_| async {}),
    );

    api.create(&PostParams::default(), &widget("w", json!({"size": 1})))
        .await
        .expect("create");
    // The first reconcile only adds the finalizer; the change it makes brings the second.
    assert_eq!(next_seen(&mut seen).await, "apply w");
    let held = api.get("w").await.expect("get");
    assert_eq!(held.metadata.finalizers, Some(vec![FINALIZER.to_owned()]));

    let deleting = api
        .delete("w", &DeleteParams::default())
        .await
        .expect("delete");
    assert!(
        deleting.left().is_some(),
        "the finalizer holds the object while it is deleted"
    );
    assert_eq!(next_seen(&mut seen).await, "cleanup w");

    let mut gone = false;
    for _ in 0..200 {
        if api.get_opt("w").await.expect("get").is_none() {
            gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(gone, "removing the finalizer finishes the deletion");
    controller.abort();
    seen.close();
    while let Ok(extra) = seen.try_recv() {
        assert!(!extra.starts_with("error"), "{extra}");
    }
}

#[tokio::test]
async fn finalizer_helper_runs_a_full_cycle_in_process() {
    finalizer_cycle(Transport::InProcess).await;
}

#[tokio::test]
async fn finalizer_helper_runs_a_full_cycle_over_http() {
    finalizer_cycle(Transport::Http).await;
}
