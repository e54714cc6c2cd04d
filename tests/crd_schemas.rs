//! The generated CRD schemas accept what the generated serde writes: arbitrary values of the
//! example's types (within what their markers declare: list map keys unique, bounds kept) go
//! through the in-memory API server registered from the generated `RESOURCES`, whose entries
//! carry the generated CRDs, and come back unchanged: no 422 from validation, nothing pruned.

use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{Api, PostParams};
use kube_codegen_apiserver::ApiServer;
use proptest::prelude::*;
use widgets_api::fleet::v1::{Cargo, CrewMember, Ship, ShipSpec, ShipStatus};
use widgets_api::widgets::v1::{
    Color, Condition, ConditionStatus, Part, Quantity, Range, Widget, WidgetSpec, WidgetStatus,
};

fn color() -> impl Strategy<Value = Color> {
    prop_oneof![
        Just(Color::Red),
        Just(Color::Green),
        (any::<u8>(), any::<u8>(), any::<u8>()).prop_map(|(r, g, b)| Color::Rgb(r, g, b)),
        (".*", proptest::option::of(".*"))
            .prop_map(|(name, palette)| Color::Named { name, palette }),
    ]
}

/// Parts with unique, non-empty names (`+listType=map`, `+listMapKey=name`, `MinLength=1`)
/// and at most 1000 of each (`Maximum=1000`).
fn parts() -> impl Strategy<Value = Vec<Part>> {
    proptest::collection::btree_map(
        ".+",
        (
            0..=1000u32,
            proptest::collection::hash_map(".*", proptest::collection::vec(".*", 0..3), 0..3),
        ),
        0..4,
    )
    .prop_map(|parts| {
        parts
            .into_iter()
            .map(|(name, (count, attributes))| Part {
                name,
                count,
                attributes,
            })
            .collect()
    })
}

/// `min <= max` (the CEL rule on `replicas`).
fn replicas() -> impl Strategy<Value = Option<Range<i32>>> {
    proptest::option::of((any::<i32>(), any::<i32>()).prop_map(|(a, b)| Range {
        min: a.min(b),
        max: a.max(b),
    }))
}

fn spec(inner: Option<WidgetSpec>) -> impl Strategy<Value = WidgetSpec> {
    (
        color(),
        proptest::option::of(".*".prop_map(Quantity)),
        proptest::collection::btree_map(".*", ".*", 0..4),
        parts(),
        replicas(),
    )
        .prop_map(move |(color, size, labels, parts, replicas)| WidgetSpec {
            color,
            size,
            labels,
            parts,
            replicas,
            inner: inner.clone().map(Box::new),
        })
}

fn widget_spec() -> impl Strategy<Value = WidgetSpec> {
    // One level of `inner` (stored unchecked) is enough to see it kept.
    prop_oneof![
        spec(None),
        spec(None).prop_flat_map(|inner| spec(Some(inner)))
    ]
}

/// Conditions with unique types (`+listType=map`, `+listMapKey=type`).
fn widget_status() -> impl Strategy<Value = WidgetStatus> {
    let status = prop_oneof![
        Just(ConditionStatus::True),
        Just(ConditionStatus::False),
        Just(ConditionStatus::Unknown)
    ];
    (
        proptest::collection::btree_map(
            ".*",
            (
                status,
                proptest::option::of(".*"),
                proptest::option::of(".*"),
            ),
            0..4,
        ),
        proptest::option::of(any::<i64>()),
    )
        .prop_map(|(conditions, observed_generation)| WidgetStatus {
            conditions: conditions
                .into_iter()
                .map(|(r#type, (status, reason, message))| Condition {
                    r#type,
                    status,
                    reason,
                    message,
                })
                .collect(),
            observed_generation,
        })
}

fn ship() -> impl Strategy<Value = (ShipSpec, ShipStatus)> {
    let finite = -1.0e300..1.0e300f64;
    (
        any::<i32>(),
        proptest::collection::vec(
            (".*", ".*").prop_map(|(name, role)| CrewMember { name, role }),
            0..3,
        ),
        proptest::collection::hash_map(".*", cargo(), 0..3),
        any::<i32>(),
        proptest::option::of((finite.clone(), finite)),
    )
        .prop_map(|(replicas, crew, cargo, observed, position)| {
            (
                ShipSpec {
                    replicas,
                    crew,
                    cargo,
                },
                ShipStatus {
                    replicas: observed,
                    position,
                },
            )
        })
}

fn cargo() -> impl Strategy<Value = Cargo> {
    prop_oneof![
        any::<u32>().prop_map(|count| Cargo::Containers { count }),
        ".*".prop_map(Cargo::Bulk),
        Just(Cargo::Empty),
    ]
}

struct Fixture {
    runtime: tokio::runtime::Runtime,
    server: ApiServer,
}

fn fixture() -> Fixture {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let server = ApiServer::builder()
        .register_all(
            widgets_api::widgets::v1::RESOURCES
                .iter()
                .chain(widgets_api::fleet::v1::RESOURCES),
        )
        .build();
    runtime.block_on(async {
        let namespaces: Api<Namespace> = Api::all(server.client());
        let ns = Namespace {
            metadata: ObjectMeta {
                name: Some("props".to_owned()),
                ..ObjectMeta::default()
            },
            ..Namespace::default()
        };
        namespaces
            .create(&PostParams::default(), &ns)
            .await
            .expect("create the namespace");
    });
    Fixture { runtime, server }
}

fn meta(name: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.to_owned()),
        ..ObjectMeta::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn widgets_round_trip_through_their_schema(spec in widget_spec(), status in widget_status()) {
        thread_local!(static FIXTURE: Fixture = fixture());
        FIXTURE.with(|f| f.runtime.block_on(async {
            let api: Api<Widget> = Api::namespaced(f.server.client(), "props");
            let name = format!("w-{}", f.server.resource_version());
            let widget = Widget { metadata: meta(&name), spec, status: None };
            let created = api.create(&PostParams::default(), &widget).await
                .unwrap_or_else(|e| panic!("the schema refuses {}: {e}", serde_json::to_string(&widget.spec).unwrap_or_default()));
            assert_eq!(created.spec, widget.spec, "the server changed the spec");
            let mut with_status = created;
            with_status.status = Some(status);
            let updated = api.replace_status(&name, &PostParams::default(), &with_status).await
                .unwrap_or_else(|e| panic!("the schema refuses the status {:?}: {e}", with_status.status));
            assert_eq!(updated.status, with_status.status, "the server changed the status");
            assert_eq!(api.get(&name).await.expect("get").spec, widget.spec);
        }));
    }

    #[test]
    fn ships_round_trip_through_their_schema((spec, status) in ship()) {
        thread_local!(static FIXTURE: Fixture = fixture());
        FIXTURE.with(|f| f.runtime.block_on(async {
            let api: Api<Ship> = Api::namespaced(f.server.client(), "props");
            let name = format!("s-{}", f.server.resource_version());
            let ship = Ship { metadata: meta(&name), spec, status: None };
            let created = api.create(&PostParams::default(), &ship).await
                .unwrap_or_else(|e| panic!("the schema refuses {:?}: {e}", ship.spec));
            assert_eq!(created.spec, ship.spec, "the server changed the spec");
            let mut with_status = created;
            with_status.status = Some(status);
            let updated = api.replace_status(&name, &PostParams::default(), &with_status).await
                .unwrap_or_else(|e| panic!("the schema refuses the status {:?}: {e}", with_status.status));
            assert_eq!(updated.status, with_status.status, "the server changed the status");
        }));
    }
}

#[test]
fn generated_registration_carries_each_kinds_crd() {
    let widget = widgets_api::widgets::v1::RESOURCES
        .iter()
        .find(|r| r.kind == "Widget")
        .expect("Widget is registered");
    let crd = widget.crd.expect("the example writes CRDs");
    assert!(crd.contains("name: widgets.widgets.example.io"), "{crd}");
    // The server's record of the kind is completed from it.
    let def = kube_codegen_apiserver::ResourceDefinition::from(widget);
    let columns: Vec<&str> = def
        .printer_columns
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(columns, ["Color", "Observed"]);
    assert_eq!(def.categories, ["all", "widgets"]);
    let schema = def.schema.expect("the CRD's schema");
    assert_eq!(
        schema.pointer("/properties/spec/properties/parts/x-kubernetes-list-type"),
        Some(&serde_json::json!("map"))
    );
    let ship = widgets_api::fleet::v1::RESOURCES
        .iter()
        .find(|r| r.kind == "Ship")
        .expect("Ship is registered");
    let scale = kube_codegen_apiserver::ResourceDefinition::from(ship).scale;
    assert_eq!(
        scale.map(|s| s.spec_replicas_path),
        Some(".spec.replicas".to_owned())
    );
}
