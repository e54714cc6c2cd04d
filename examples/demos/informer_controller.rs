//! The controller of `cargo run --example informer`: a small reconciler built the way client-go
//! controllers are, on the GENERATED informers and listers of `widgets-api`
//! (`widgets_client::InformerFactory`), the runtime's work queue and the generated clientset.
//!
//! It marks every Widget `Ready` (status condition plus `observedGeneration`), against the
//! in-memory API server whose first lists of widgets fail with 500: the informer must sync on
//! its own after backing off, with no other event to wake it. Each step checks what happened;
//! [`run`] returns them all, and stops at the first that did not behave.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{DeleteParams, Patch, PatchParams, PostParams};
use kube_codegen_apiserver::{ApiServer, Fault, Verb};
use kube_codegen_runtime::informer::{Handler, Selector, WorkQueue, key_of};
use serde_json::json;
use widgets_api::widgets::v1::{Color, ConditionStatus, Widget, WidgetSpec};
use widgets_client::{Clientset, InformerFactory};

use crate::clientset_scenario::Step;

/// The namespace the controller's widgets live in.
pub const NAMESPACE: &str = "default";

/// How many of the first lists of widgets the server fails.
pub const FAILED_LISTS: usize = 2;

/// The most the scenario waits for the controller to converge.
const CONVERGE: Duration = Duration::from_secs(30);

fn widget(name: &str) -> Widget {
    Widget {
        metadata: ObjectMeta {
            name: Some(name.to_owned()),
            namespace: Some(NAMESPACE.to_owned()),
            ..ObjectMeta::default()
        },
        spec: WidgetSpec {
            color: Color::Green,
            ..WidgetSpec::default()
        },
        status: None,
    }
}

/// Whether the cached widget is marked ready for its current generation.
fn is_ready(w: &Widget) -> bool {
    let Some(status) = &w.status else {
        return false;
    };
    status.observed_generation == w.metadata.generation
        && status
            .conditions
            .iter()
            .any(|c| c.r#type == "Ready" && c.status == ConditionStatus::True)
}

/// What the reconciler did, shared with the scenario's checks.
#[derive(Clone, Debug, Default)]
pub struct Reconciled {
    /// Keys whose status the reconciler wrote.
    pub marked: Arc<Mutex<BTreeSet<String>>>,
    /// Keys it found deleted.
    pub gone: Arc<Mutex<BTreeSet<String>>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One reconcile of `key` (`namespace/name`): read the lister, write status if not ready.
async fn reconcile(
    key: &str,
    informers: &InformerFactory,
    clientset: &Clientset,
    done: &Reconciled,
) -> Result<(), kube::Error> {
    let (namespace, name) = key.split_once('/').unwrap_or((NAMESPACE, key));
    let lister = informers.widgets_v1().widgets().lister();
    let cached = match lister.widgets(namespace).get(name) {
        Ok(cached) => cached,
        Err(_) => {
            lock(&done.gone).insert(key.to_owned());
            return Ok(());
        }
    };
    if is_ready(&cached) {
        return Ok(());
    }
    // The cached object is shared and read-only: send a patch, never mutate it.
    let status = json!({"status": {
        "conditions": [{"type": "Ready", "status": "True", "reason": "Reconciled"}],
        "observedGeneration": cached.metadata.generation,
    }});
    clientset
        .widgets_v1()
        .widgets(namespace)
        .patch_status(name, &PatchParams::default(), &Patch::Merge(&status))
        .await?;
    lock(&done.marked).insert(key.to_owned());
    Ok(())
}

/// Runs workers until the queue shuts down: reconcile, then forget or requeue rate-limited.
async fn worker(
    queue: WorkQueue<String>,
    informers: InformerFactory,
    clientset: Clientset,
    done: Reconciled,
) {
    while let Some(key) = queue.get().await {
        match reconcile(&key, &informers, &clientset, &done).await {
            Ok(()) => queue.forget(&key),
            Err(_) => queue.add_rate_limited(key.clone()),
        }
        queue.done(&key);
    }
}

fn step(name: &str, outcome: Result<String, String>) -> Step {
    Step {
        name: name.to_owned(),
        outcome,
    }
}

/// Waits until `done` holds, polling the (local) cache every 20 ms.
async fn until(mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + CONVERGE;
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    done()
}

/// The whole scenario against a fresh in-memory server; returns every step run.
pub async fn run(server: &ApiServer) -> Vec<Step> {
    let mut steps = Vec::new();
    server.faults().inject(
        Fault::error(500)
            .on(Verb::List)
            .for_resource("widgets")
            .times(FAILED_LISTS),
    );
    let clientset = Clientset::new(server.client());
    let widgets = clientset.widgets_v1().widgets(NAMESPACE);
    for name in ["alpha", "beta", "gamma"] {
        if let Err(e) = widgets.create(&PostParams::default(), &widget(name)).await {
            steps.push(step("create widgets", Err(e.to_string())));
            return steps;
        }
    }
    steps.push(step(
        "create widgets",
        Ok("alpha, beta, gamma in `default`".to_owned()),
    ));

    let informers = InformerFactory::new(&clientset);
    let informer = informers.widgets_v1().widgets();
    let queue: WorkQueue<String> = WorkQueue::new();
    let enqueue = |queue: &WorkQueue<String>, w: &Widget| {
        queue.add(key_of(
            w.metadata.namespace.as_deref(),
            w.metadata.name.as_deref().unwrap_or_default(),
        ));
    };
    let (on_add, on_update, on_delete) = (queue.clone(), queue.clone(), queue.clone());
    let handler = informer.informer().add_handler(
        Handler::new()
            .on_add(move |w: &Arc<Widget>, _| enqueue(&on_add, w))
            .on_update(move |_, w| enqueue(&on_update, w))
            .on_delete(move |w| enqueue(&on_delete, w)),
    );
    let failures = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&failures);
    informer
        .informer()
        .on_watch_error(move |e| lock(&seen).push(e.to_string()));
    informers.start();

    let started = Instant::now();
    let report = informers.wait_for_cache_sync(CONVERGE).await;
    let retried = lock(&failures).clone();
    steps.push(step(
        "sync after failed lists",
        if report.all_synced() && retried.len() == FAILED_LISTS {
            Ok(format!(
                "{report} in {:.1} s, after {} failed lists retried on their own ({})",
                started.elapsed().as_secs_f64(),
                retried.len(),
                retried.first().map(String::as_str).unwrap_or_default()
            ))
        } else {
            Err(format!("{report}; failures seen: {retried:?}"))
        },
    ));
    if !steps.iter().all(Step::passed) {
        return steps;
    }

    let done = Reconciled::default();
    let workers: Vec<_> = (0..2)
        .map(|_| {
            tokio::spawn(worker(
                queue.clone(),
                informers.clone(),
                clientset.clone(),
                done.clone(),
            ))
        })
        .collect();

    let lister = informer.lister();
    let all_ready = |expected: usize| {
        let cached = lister.widgets(NAMESPACE).list(&Selector::default());
        cached.len() == expected && cached.iter().all(|w| is_ready(w))
    };
    let converged = until(|| all_ready(3)).await;
    steps.push(step(
        "reconcile the initial widgets",
        if converged && handler.has_synced() {
            Ok(format!("marked ready: {:?}", lock(&done.marked)))
        } else {
            Err(format!("not all ready; marked {:?}", lock(&done.marked)))
        },
    ));

    let mut writes = Ok(());
    for name in ["delta", "epsilon"] {
        if let Err(e) = widgets.create(&PostParams::default(), &widget(name)).await {
            writes = Err(e.to_string());
        }
    }
    if let Err(e) = widgets.delete("beta", &DeleteParams::default()).await {
        writes = Err(e.to_string());
    }
    let converged = writes.is_ok() && until(|| all_ready(4)).await;
    let gone_key = key_of(Some(NAMESPACE), "beta");
    let saw_delete = until(|| lock(&done.gone).contains(&gone_key)).await;
    steps.push(step(
        "reconcile creates and a delete",
        match (writes, converged && saw_delete) {
            (Err(e), _) => Err(e),
            (Ok(()), true) => Ok(format!(
                "4 widgets ready, `{gone_key}` seen gone; status writes: {}",
                lock(&done.marked).len()
            )),
            (Ok(()), false) => Err(format!(
                "marked {:?}, gone {:?}",
                lock(&done.marked),
                lock(&done.gone)
            )),
        },
    ));

    queue.shutdown_with_drain().await;
    for w in workers {
        let _ = w.await;
    }
    informers.shutdown().await;
    steps.push(step(
        "shut down",
        Ok("work queue drained, informers stopped".to_owned()),
    ));
    steps
}
