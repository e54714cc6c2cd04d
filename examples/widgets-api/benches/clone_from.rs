//! Generated `clone_from` into a warm value versus a fresh `clone`, on a Pod-sized object
//! (about a hundred heap allocations: labels, annotations, parts with attributes, conditions).
//! Target: `clone_from` at least 3x faster. Run: `cargo bench -p widgets-api`.

use std::collections::{BTreeMap, HashMap};
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use widgets_api::widgets::v1::{
    Color, Condition, ConditionStatus, Part, Quantity, Range, Widget, WidgetSpec, WidgetStatus,
};

fn map(prefix: &str, n: usize) -> BTreeMap<String, String> {
    (0..n)
        .map(|i| {
            (
                format!("{prefix}.example.io/key-{i}"),
                format!("value-{prefix}-{i}"),
            )
        })
        .collect()
}

fn pod_sized(generation: i64) -> Widget {
    Widget {
        metadata: ObjectMeta {
            name: Some("frontend-7d9c6b8f5-x2x7k".into()),
            namespace: Some("production".into()),
            labels: Some(map("label", 10)),
            annotations: Some(map("annotation", 5)),
            resource_version: Some(format!("{}", 1000 + generation)),
            generation: Some(generation),
            ..ObjectMeta::default()
        },
        spec: WidgetSpec {
            color: Color::Named {
                name: "teal".into(),
                palette: Some("web".into()),
            },
            size: Some(Quantity("512Mi".into())),
            labels: map("selector", 6),
            parts: (0..8)
                .map(|i| Part {
                    name: format!("container-{i}"),
                    count: i,
                    attributes: (0..3)
                        .map(|j| {
                            (
                                format!("env-{j}"),
                                vec![format!("a-{i}-{j}"), format!("b-{i}-{j}")],
                            )
                        })
                        .collect::<HashMap<_, _>>(),
                })
                .collect(),
            replicas: Some(Range { min: 1, max: 10 }),
            inner: None,
        },
        status: Some(WidgetStatus {
            conditions: ["Ready", "Scheduled", "Initialized", "ContainersReady"]
                .into_iter()
                .map(|t| Condition {
                    r#type: t.into(),
                    status: ConditionStatus::True,
                    reason: Some(format!("{t}Reason")),
                    message: Some(format!("{t} at generation {generation}")),
                })
                .collect(),
            observed_generation: Some(generation),
        }),
    }
}

fn clone_versus_clone_from(c: &mut Criterion) {
    let source = pod_sized(2);
    let mut group = c.benchmark_group("pod-sized widget");
    group.bench_function("clone (fresh)", |b| {
        b.iter(|| black_box(black_box(&source).clone()))
    });
    let mut warm = pod_sized(1);
    group.bench_function("clone_from (warm)", |b| {
        b.iter(|| {
            warm.clone_from(black_box(&source));
            black_box(&warm);
        })
    });
    group.finish();
}

criterion_group!(benches, clone_versus_clone_from);
criterion_main!(benches);
