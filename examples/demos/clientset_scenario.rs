//! The scenario of `cargo run --example clientset`: every kind of call a controller makes,
//! through the GENERATED typed clientset of `widgets-api` (`widgets_client::Clientset`).
//!
//! It runs against whatever `kube::Client` the clientset holds: the in-memory API server
//! in-process, the same server over loopback HTTP through a kubeconfig, or a real cluster with
//! the example CRDs installed. Each step checks what the server answered and reports what it
//! saw; [`run`] stops at the first step that did not behave as expected and then cleans up.

use std::fmt;
use std::path::Path;
use std::time::Duration;

use futures::StreamExt;
use futures::stream::BoxStream;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{
    DeleteParams, ListParams, Patch, PatchParams, PostParams, WatchEvent, WatchParams,
};
use kube_codegen_runtime::either::Either;
use kube_codegen_runtime::json_patch;
use serde_json::json;
use widgets_api::fleet::v1::{Ship, ShipSpec};
use widgets_api::widgets::v1::{
    Color, Condition, ConditionStatus, Gadget, GadgetSpec, Part, Quantity, Range, Widget,
    WidgetSpec, WidgetStatus,
};
use widgets_client::Clientset;

/// The field manager of the scenario's server-side applies.
pub const FIELD_MANAGER: &str = "kube-codegen-demo";

/// The label every object of one run carries (`kube-codegen-demo=<suffix>`).
pub const RUN_LABEL: &str = "kube-codegen-demo";

/// The writes between create and delete that change the Widget, each one MODIFIED event:
/// update, update_status, merge patch, JSON patch, apply, patch_status, apply_status (the
/// stale update is refused and changes nothing).
const CHANGES: usize = 7;

/// How long the scenario waits for watch events before calling the step failed.
const WATCH_WAIT: Duration = Duration::from_secs(20);

/// One step of the scenario and what came of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// What the step does (`"create Widget"`).
    pub name: String,
    /// What the server answered when it behaved as expected, or what went wrong.
    pub outcome: Result<String, String>,
}

impl Step {
    /// `true` when the step behaved as expected.
    pub fn passed(&self) -> bool {
        self.outcome.is_ok()
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.outcome {
            Ok(detail) => write!(f, "ok    {}: {detail}", self.name),
            Err(problem) => write!(f, "FAIL  {}: {problem}", self.name),
        }
    }
}

/// Everything one run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The steps in the order they ran; the last one is the failure, if any.
    pub steps: Vec<Step>,
}

impl Report {
    /// `true` when every step behaved as expected (and at least one ran).
    pub fn passed(&self) -> bool {
        !self.steps.is_empty() && self.steps.iter().all(Step::passed)
    }

    /// The steps that did not behave as expected.
    pub fn failures(&self) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(|s| !s.passed())
    }
}

/// A `kube::Client` from the kubeconfig at `path` (its current context), as
/// `cargo run --example clientset -- --kubeconfig PATH` uses it.
pub async fn client_from_kubeconfig(path: &Path) -> Result<kube::Client, String> {
    let kubeconfig = kube::config::Kubeconfig::read_from(path)
        .map_err(|e| format!("reading kubeconfig {}: {e}", path.display()))?;
    let config = kube::Config::from_custom_kubeconfig(
        kubeconfig,
        &kube::config::KubeConfigOptions::default(),
    )
    .await
    .map_err(|e| format!("loading kubeconfig {}: {e}", path.display()))?;
    kube::Client::try_from(config).map_err(|e| format!("building a client: {e}"))
}

type StepResult<T> = Result<(T, String), String>;

/// Records steps and reports each one as it finishes.
struct Recorder<'a> {
    report: Report,
    on_step: &'a mut dyn FnMut(&Step),
}

impl Recorder<'_> {
    /// Runs one step; `None` when it failed (the failure is recorded).
    async fn step<T>(
        &mut self,
        name: &str,
        step: impl Future<Output = StepResult<T>>,
    ) -> Option<T> {
        let (value, outcome) = match step.await {
            Ok((value, detail)) => (Some(value), Ok(detail)),
            Err(problem) => (None, Err(problem)),
        };
        let step = Step {
            name: name.to_owned(),
            outcome,
        };
        (self.on_step)(&step);
        self.report.steps.push(step);
        value
    }
}

/// `Err(message)` unless `condition` holds.
fn check(condition: bool, message: impl FnOnce() -> String) -> Result<(), String> {
    if condition { Ok(()) } else { Err(message()) }
}

/// Describes a failed call.
fn call(what: &str) -> impl FnOnce(kube::Error) -> String + '_ {
    move |e| format!("{what} failed: {e}{}", hint(&e))
}

fn hint(err: &kube::Error) -> &'static str {
    match err {
        kube::Error::Api(status) if status.code == 404 && status.reason == "NotFound" => "",
        kube::Error::Api(status) if status.code == 404 => {
            " (is the CustomResourceDefinition of this kind installed?)"
        }
        _ => "",
    }
}

fn rv(meta: &ObjectMeta) -> &str {
    meta.resource_version.as_deref().unwrap_or("<none>")
}

/// The names one run uses.
#[derive(Clone, Debug)]
struct Names {
    widget: String,
    ship: String,
    gadget: String,
    selector: String,
}

impl Names {
    fn new(suffix: &str) -> Self {
        Names {
            widget: format!("demo-widget-{suffix}"),
            ship: format!("demo-ship-{suffix}"),
            gadget: format!("demo-gadget-{suffix}"),
            selector: format!("{RUN_LABEL}={suffix}"),
        }
    }
}

fn run_labels(suffix: &str) -> std::collections::BTreeMap<String, String> {
    [(RUN_LABEL.to_owned(), suffix.to_owned())].into()
}

/// Runs the scenario in `namespace` through `clientset`, calling `on_step` after every step.
///
/// `suffix` makes the object names and the run label unique (use a fresh one per run against
/// a shared cluster). Returns at the first failed step, after deleting whatever it created.
pub async fn run(
    clientset: &Clientset,
    namespace: &str,
    suffix: &str,
    on_step: &mut dyn FnMut(&Step),
) -> Report {
    let names = Names::new(suffix);
    let mut rec = Recorder {
        report: Report::default(),
        on_step,
    };
    let completed = steps(clientset, namespace, suffix, &names, &mut rec).await;
    if completed.is_none() {
        clean_up(clientset, namespace, &names).await;
    }
    rec.report
}

/// Best-effort removal of what a failed run may have left behind.
async fn clean_up(clientset: &Clientset, namespace: &str, names: &Names) {
    let dp = DeleteParams::default();
    let _ = clientset
        .widgets_v1()
        .widgets(namespace)
        .delete(&names.widget, &dp)
        .await;
    let _ = clientset
        .fleet_v1()
        .ships(namespace)
        .delete(&names.ship, &dp)
        .await;
    let _ = clientset
        .widgets_v1()
        .gadgets()
        .delete(&names.gadget, &dp)
        .await;
}

type WidgetEvents = BoxStream<'static, Result<WatchEvent<Widget>, kube::Error>>;

async fn steps(
    clientset: &Clientset,
    namespace: &str,
    suffix: &str,
    names: &Names,
    rec: &mut Recorder<'_>,
) -> Option<()> {
    let widgets = clientset.widgets_v1().widgets(namespace);
    let pp = PostParams::default();
    let by_run = ListParams::default().labels(&names.selector);

    // Watch first, from the resourceVersion of a list: the events of every later step queue up
    // on the stream and are checked at the end.
    let events: WidgetEvents = rec
        .step(
            "list, then watch Widgets from the list's resourceVersion",
            async {
                let list = widgets.list(&by_run).await.map_err(call("list"))?;
                check(list.items.is_empty(), || {
                    format!(
                        "{} objects already carry {}",
                        list.items.len(),
                        names.selector
                    )
                })?;
                let from = list.metadata.resource_version.unwrap_or_default();
                let wp = WatchParams::default()
                    .fields(&format!("metadata.name={}", names.widget))
                    .timeout(120);
                let stream = widgets.watch(&wp, &from).await.map_err(call("watch"))?;
                Ok((stream, format!("watching from resourceVersion {from}")))
            },
        )
        .await?;

    let wanted = Widget {
        metadata: ObjectMeta {
            name: Some(names.widget.clone()),
            labels: Some(run_labels(suffix)),
            ..ObjectMeta::default()
        },
        spec: WidgetSpec {
            color: Color::Red,
            size: Some(Quantity("2".into())),
            ..WidgetSpec::default()
        },
        status: Some(WidgetStatus {
            observed_generation: Some(99),
            ..WidgetStatus::default()
        }),
    };
    let created = rec
        .step("create Widget", async {
            let created = widgets.create(&pp, &wanted).await.map_err(call("create"))?;
            let meta = &created.metadata;
            check(
                meta.uid.is_some() && meta.resource_version.is_some(),
                || format!("no uid or resourceVersion in {meta:?}"),
            )?;
            check(meta.generation == Some(1), || {
                format!("generation {:?}, want 1", meta.generation)
            })?;
            check(created.spec == wanted.spec, || {
                format!("spec changed on create: {:?}", created.spec)
            })?;
            check(created.status.is_none(), || {
                format!(
                    "status {:?} kept on create (the status subresource should drop it)",
                    created.status
                )
            })?;
            let detail = format!(
                "{namespace}/{} uid {} resourceVersion {} generation 1; status dropped",
                names.widget,
                meta.uid.as_deref().unwrap_or_default(),
                rv(meta)
            );
            Ok((created, detail))
        })
        .await?;

    rec.step("get and get_opt", async {
        let got = widgets.get(&names.widget).await.map_err(call("get"))?;
        check(got == created, || {
            format!("get returned {got:?}, created {created:?}")
        })?;
        let missing = format!("{}-missing", names.widget);
        let none = widgets.get_opt(&missing).await.map_err(call("get_opt"))?;
        check(none.is_none(), || {
            format!("get_opt({missing}) found {none:?}")
        })?;
        Ok((
            (),
            format!(
                "read back {}; get_opt of a missing name is None",
                names.widget
            ),
        ))
    })
    .await?;

    rec.step(
        "list by label, in the namespace and in all namespaces",
        async {
            let list = widgets.list(&by_run).await.map_err(call("list"))?;
            let listed: Vec<_> = list
                .items
                .iter()
                .filter_map(|w| w.metadata.name.clone())
                .collect();
            check(listed == [names.widget.clone()], || {
                format!("list {} returned {listed:?}", names.selector)
            })?;
            let all = clientset
                .widgets_v1()
                .widgets_all_namespaces()
                .list(&by_run)
                .await
                .map_err(call("list in all namespaces"))?;
            check(
                all.items.iter().any(|w| {
                    w.metadata.name == created.metadata.name
                        && w.metadata.namespace.as_deref() == Some(namespace)
                }),
                || format!("all-namespaces list lacks {namespace}/{}", names.widget),
            )?;
            Ok((
                (),
                format!(
                    "{} selects [{}] here and across namespaces",
                    names.selector, names.widget
                ),
            ))
        },
    )
    .await?;

    let updated = rec
        .step("update spec", async {
            let mut changed = created.clone();
            changed.spec.color = Color::Green;
            let updated = widgets
                .update(&pp, &changed)
                .await
                .map_err(call("update"))?;
            check(updated.spec.color == Color::Green, || {
                format!("color {:?} after update", updated.spec.color)
            })?;
            check(updated.metadata.generation == Some(2), || {
                format!(
                    "generation {:?} after a spec change, want 2",
                    updated.metadata.generation
                )
            })?;
            let detail = format!(
                "color Green, generation 2, resourceVersion {} -> {}",
                rv(&created.metadata),
                rv(&updated.metadata)
            );
            Ok((updated, detail))
        })
        .await?;

    rec.step(
        "update with a stale resourceVersion is a 409 Conflict",
        async {
            let mut stale = created.clone();
            stale.spec.color = Color::Named {
                name: "stale".into(),
                palette: None,
            };
            match widgets.update(&pp, &stale).await {
                Err(kube::Error::Api(status)) if status.is_conflict() => {
                    Ok(((), format!("409 {}: {}", status.reason, status.message)))
                }
                Err(e) => Err(format!("want 409 Conflict, got {e}")),
                Ok(w) => Err(format!("stale update succeeded: {w:?}")),
            }
        },
    )
    .await?;

    let with_status = rec
        .step("update_status changes status only", async {
            let mut obj = updated.clone();
            obj.status = Some(WidgetStatus {
                conditions: vec![Condition {
                    r#type: "Ready".into(),
                    status: ConditionStatus::True,
                    reason: Some("Demo".into()),
                    message: None,
                }],
                observed_generation: updated.metadata.generation,
            });
            obj.spec.color = Color::Red; // ignored by the status endpoint
            let got = widgets
                .update_status(&pp, &obj)
                .await
                .map_err(call("update_status"))?;
            check(got.status == obj.status, || {
                format!("status {:?}", got.status)
            })?;
            check(got.spec == updated.spec, || {
                format!("spec changed through /status: {:?}", got.spec)
            })?;
            check(
                got.metadata.generation == updated.metadata.generation,
                || "generation bumped by a status update".to_owned(),
            )?;
            Ok((
                got,
                "status Ready=True; spec and generation untouched".to_owned(),
            ))
        })
        .await?;

    rec.step("patch (JSON merge patch)", async {
        let patch = Patch::Merge(json!({
            "metadata": {"annotations": {"example.io/step": "merge"}},
            "spec": {"parts": [{"name": "bolt", "count": 4}]},
        }));
        let got = widgets
            .patch(&names.widget, &PatchParams::default(), &patch)
            .await
            .map_err(call("merge patch"))?;
        let annotation = got
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get("example.io/step"));
        check(annotation.map(String::as_str) == Some("merge"), || {
            format!("annotations {:?}", got.metadata.annotations)
        })?;
        check(
            got.spec.parts
                == [Part {
                    name: "bolt".into(),
                    count: 4,
                    ..Part::default()
                }],
            || format!("parts {:?}", got.spec.parts),
        )?;
        check(got.status == with_status.status, || {
            format!("status changed by a main-resource patch: {:?}", got.status)
        })?;
        Ok(((), "annotation set, parts = [bolt x4]".to_owned()))
    })
    .await?;

    rec.step("patch (JSON patch)", async {
        let ops: json_patch::Patch = serde_json::from_value(json!([
            {"op": "test", "path": "/spec/parts/0/name", "value": "bolt"},
            {"op": "replace", "path": "/spec/parts/0/count", "value": 5},
        ]))
        .map_err(|e| format!("building the JSON patch: {e}"))?;
        let got = widgets
            .patch(
                &names.widget,
                &PatchParams::default(),
                &Patch::Json::<()>(ops),
            )
            .await
            .map_err(call("JSON patch"))?;
        check(got.spec.parts.first().map(|p| p.count) == Some(5), || {
            format!("parts {:?}", got.spec.parts)
        })?;
        Ok(((), "test + replace: bolt count 4 -> 5".to_owned()))
    })
    .await?;

    rec.step("apply (server-side apply)", async {
        let config = json!({
            "apiVersion": widgets_api::widgets::v1::API_VERSION,
            "kind": "Widget",
            "metadata": {"name": names.widget, "namespace": namespace},
            "spec": {"color": "green", "replicas": {"min": 1, "max": 3}},
        });
        let got = widgets
            .apply(&names.widget, &config, FIELD_MANAGER, false)
            .await
            .map_err(call("apply"))?;
        check(got.spec.replicas == Some(Range { min: 1, max: 3 }), || {
            format!("replicas {:?}", got.spec.replicas)
        })?;
        check(got.spec.parts.len() == 1, || {
            format!(
                "apply dropped fields it does not own: parts {:?}",
                got.spec.parts
            )
        })?;
        Ok((
            (),
            format!("{FIELD_MANAGER} set replicas 1..3, other fields kept"),
        ))
    })
    .await?;

    rec.step("patch_status (JSON merge patch)", async {
        let patch = Patch::Merge(json!({
            "status": {"conditions": [{"type": "Ready", "status": "False", "reason": "Patched"}]}
        }));
        let got = widgets
            .patch_status(&names.widget, &PatchParams::default(), &patch)
            .await
            .map_err(call("patch_status"))?;
        let condition = got.status.as_ref().and_then(|s| s.conditions.first());
        check(
            condition.is_some_and(|c| c.status == ConditionStatus::False),
            || format!("status {:?}", got.status),
        )?;
        Ok(((), "Ready=False".to_owned()))
    })
    .await?;

    let generation = rec
        .step("apply_status (server-side apply on /status)", async {
            let current = widgets.get(&names.widget).await.map_err(call("get"))?;
            let generation = current.metadata.generation.unwrap_or_default();
            let config = json!({
                "apiVersion": widgets_api::widgets::v1::API_VERSION,
                "kind": "Widget",
                "metadata": {"name": names.widget, "namespace": namespace},
                "status": {"observedGeneration": generation},
            });
            let got = widgets
                .apply_status(&names.widget, &config, FIELD_MANAGER, true)
                .await
                .map_err(call("apply_status"))?;
            let status = got.status.unwrap_or_default();
            check(status.observed_generation == Some(generation), || {
                format!(
                    "observedGeneration {:?}, want {generation}",
                    status.observed_generation
                )
            })?;
            check(status.conditions.len() == 1, || {
                format!(
                    "conditions {:?} (owned by no apply manager, must stay)",
                    status.conditions
                )
            })?;
            Ok((generation, format!("observedGeneration {generation}")))
        })
        .await?;

    let ships = clientset.fleet_v1().ships(namespace);
    rec.step("scale subresource: get_scale / update_scale", async {
        let ship = Ship {
            metadata: ObjectMeta {
                name: Some(names.ship.clone()),
                labels: Some(run_labels(suffix)),
                ..ObjectMeta::default()
            },
            spec: ShipSpec {
                replicas: 1,
                ..ShipSpec::default()
            },
            status: None,
        };
        ships
            .create(&pp, &ship)
            .await
            .map_err(call("create Ship"))?;
        let mut scale = ships
            .get_scale(&names.ship)
            .await
            .map_err(call("get_scale"))?;
        let replicas = scale.spec.as_ref().and_then(|s| s.replicas);
        check(replicas == Some(1), || {
            format!("scale spec.replicas {replicas:?}, want 1")
        })?;
        scale.spec.get_or_insert_with(Default::default).replicas = Some(3);
        let scaled = ships
            .update_scale(&names.ship, &pp, &scale)
            .await
            .map_err(call("update_scale"))?;
        let replicas = scaled.spec.as_ref().and_then(|s| s.replicas);
        check(replicas == Some(3), || {
            format!("update_scale answered replicas {replicas:?}")
        })?;
        let ship = ships.get(&names.ship).await.map_err(call("get Ship"))?;
        check(ship.spec.replicas == 3, || {
            format!(
                "ship spec.replicas {} after scaling to 3",
                ship.spec.replicas
            )
        })?;
        Ok((
            (),
            format!("{} scaled 1 -> 3 (spec.replicas follows)", names.ship),
        ))
    })
    .await?;

    rec.step(
        "cluster-scoped Gadget: create, get, delete (no namespace)",
        async {
            let gadgets = clientset.widgets_v1().gadgets();
            let gadget = Gadget {
                metadata: ObjectMeta {
                    name: Some(names.gadget.clone()),
                    labels: Some(run_labels(suffix)),
                    ..ObjectMeta::default()
                },
                spec: GadgetSpec {
                    widget_selector: run_labels(suffix),
                    ..GadgetSpec::default()
                },
                status: None,
            };
            let created = gadgets
                .create(&pp, &gadget)
                .await
                .map_err(call("create Gadget"))?;
            check(created.metadata.namespace.is_none(), || {
                format!(
                    "cluster-scoped Gadget got namespace {:?}",
                    created.metadata.namespace
                )
            })?;
            let got = gadgets
                .get(&names.gadget)
                .await
                .map_err(call("get Gadget"))?;
            check(got.spec == gadget.spec, || format!("spec {:?}", got.spec))?;
            gadgets
                .delete(&names.gadget, &DeleteParams::default())
                .await
                .map_err(call("delete Gadget"))?;
            Ok(((), format!("{} created and deleted", names.gadget)))
        },
    )
    .await?;

    rec.step("delete Widget", async {
        let answer = widgets
            .delete(&names.widget, &DeleteParams::default())
            .await
            .map_err(call("delete"))?;
        let how = match answer {
            Either::Left(_) => "the object",
            Either::Right(_) => "a Success status",
        };
        let gone = widgets
            .get_opt(&names.widget)
            .await
            .map_err(call("get_opt"))?;
        check(gone.is_none(), || {
            format!("{} still there after delete", names.widget)
        })?;
        Ok(((), format!("answered with {how}; get_opt is None")))
    })
    .await?;

    rec.step("watch delivered typed ADDED, MODIFIED..., DELETED", async {
        let seen = collect_until_deleted(events, &names.widget).await?;
        check(seen.first().map(String::as_str) == Some("ADDED"), || {
            format!("events {seen:?}: want ADDED first")
        })?;
        check(seen.last().map(String::as_str) == Some("DELETED"), || {
            format!("events {seen:?}: want DELETED last")
        })?;
        let modified = seen.iter().filter(|e| *e == "MODIFIED").count();
        check(modified + 2 == seen.len() && modified == CHANGES, || {
            format!("events {seen:?}: want {CHANGES} MODIFIED between, one per change")
        })?;
        Ok((
            (),
            format!("ADDED, {modified} x MODIFIED, DELETED (generation reached {generation})"),
        ))
    })
    .await?;

    rec.step("delete_collection by label", async {
        let answer = ships
            .delete_collection(&DeleteParams::default(), &by_run)
            .await
            .map_err(call("delete_collection"))?;
        let left = ships.list(&by_run).await.map_err(call("list Ships"))?;
        check(left.items.is_empty(), || {
            format!("{} ships left after delete_collection", left.items.len())
        })?;
        let detail = match answer {
            Either::Left(list) => format!("deleted {} ship(s)", list.items.len()),
            Either::Right(status) => format!("answered with a Status: {}", status.message),
        };
        Ok(((), format!("{detail}; none left with {}", names.selector)))
    })
    .await?;

    Some(())
}

/// Reads typed events for `name` until its DELETED, returning their types in order.
async fn collect_until_deleted(
    mut events: WidgetEvents,
    name: &str,
) -> Result<Vec<String>, String> {
    let mut seen = Vec::new();
    let outcome = tokio::time::timeout(WATCH_WAIT, async {
        while let Some(event) = events.next().await {
            let (kind, widget) = match event.map_err(|e| format!("watch stream: {e}"))? {
                WatchEvent::Added(w) => ("ADDED", w),
                WatchEvent::Modified(w) => ("MODIFIED", w),
                WatchEvent::Deleted(w) => ("DELETED", w),
                WatchEvent::Bookmark(_) => continue,
                WatchEvent::Error(status) => {
                    return Err(format!(
                        "watch ERROR event: {} {}",
                        status.code, status.message
                    ));
                }
            };
            if widget.metadata.name.as_deref() != Some(name) {
                return Err(format!(
                    "event for {:?}, watching {name}",
                    widget.metadata.name
                ));
            }
            seen.push(kind.to_owned());
            if kind == "DELETED" {
                return Ok(());
            }
        }
        Err("the watch ended before DELETED".to_owned())
    })
    .await;
    match outcome {
        Ok(Ok(())) => Ok(seen),
        Ok(Err(problem)) => Err(format!("{problem} (after {seen:?})")),
        Err(_) => Err(format!(
            "no DELETED event within {}s (after {seen:?})",
            WATCH_WAIT.as_secs()
        )),
    }
}
