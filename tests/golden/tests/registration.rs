//! The golden registration of `clients.golden.example.io/v1` and the core `v1`: the `RESOURCES`
//! table, `kube_core::Resource`, and the wire form of kinds with and without a status.

use std::collections::BTreeMap;

use kube_codegen_golden::clients::v1 as clients;
use kube_codegen_golden::core::v1 as core_v1;
use kube_codegen_runtime::ResourceInfo;
use kube_codegen_runtime::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube_codegen_runtime::kube_core::{ClusterResourceScope, NamespaceResourceScope, Resource};
use serde_json::json;

/// (plural, singular, namespaced, status, scale) per kind.
type Row = (&'static str, &'static str, bool, bool, bool);

fn table(resources: &[ResourceInfo]) -> BTreeMap<&'static str, Row> {
    resources
        .iter()
        .map(|r| {
            (
                r.kind,
                (r.plural, r.singular, r.namespaced, r.status, r.scale),
            )
        })
        .collect()
}

#[test]
fn every_marker_combination_registers_as_intended() {
    let expected: BTreeMap<&str, Row> = BTreeMap::from([
        ("Widget", ("widgets", "widget", true, true, false)),
        ("Galaxy", ("galaxies", "galaxy", false, true, false)),
        // `+genclient:noStatus` on a type with a status field: no status subresource.
        ("Lamp", ("lamps", "lamp", true, false, false)),
        // No status field.
        ("Policy", ("policies", "policy", true, false, false)),
        // Verb markers shape the client, not the resource: the status subresource stays.
        ("Tombstone", ("tombstones", "tombstone", true, true, false)),
        ("Archive", ("archives", "archive", true, true, false)),
        ("Ledger", ("ledgers", "ledger", true, true, false)),
        ("Vault", ("vaults", "vault", true, true, false)),
        // `+resourceName=mice`; the singular still comes from the kind.
        ("Mouse", ("mice", "mouse", true, false, false)),
        // A `+genclient:method=` on the `scale` subresource registers it.
        ("Fleet", ("fleets", "fleet", true, true, true)),
        // Defined in a submodule file of the version module.
        ("Gizmo", ("gizmos", "gizmo", false, false, false)),
        ("Probe", ("probes", "probe", false, false, false)),
        // No verbs and no methods: no client, but registered.
        ("Shade", ("shades", "shade", true, false, false)),
        ("Auditor", ("auditors", "auditor", true, false, false)),
    ]);
    assert_eq!(table(clients::RESOURCES), expected);
    assert_eq!(
        clients::RESOURCES.len(),
        expected.len(),
        "a kind is listed twice"
    );
    for r in clients::RESOURCES {
        assert_eq!(
            (r.group, r.version),
            ("clients.golden.example.io", "v1"),
            "{}",
            r.kind
        );
        assert_eq!(r.api_version(), "clients.golden.example.io/v1");
        assert!(r.short_names.is_empty(), "{}", r.kind);
    }
    assert_eq!(clients::GROUP, "clients.golden.example.io");
    assert_eq!(clients::VERSION, "v1");
    assert_eq!(clients::API_VERSION, "clients.golden.example.io/v1");
}

#[test]
fn the_core_group_has_an_empty_group_and_a_bare_api_version() {
    assert_eq!(core_v1::GROUP, "");
    assert_eq!(core_v1::VERSION, "v1");
    assert_eq!(core_v1::API_VERSION, "v1");
    assert_eq!(
        table(core_v1::RESOURCES),
        BTreeMap::from([("Beacon", ("beacons", "beacon", true, true, false))])
    );
    assert_eq!(core_v1::RESOURCES[0].api_version(), "v1");

    assert_eq!(core_v1::Beacon::group(&()), "");
    assert_eq!(core_v1::Beacon::api_version(&()), "v1");
    assert_eq!(
        core_v1::Beacon::url_path(&(), Some("ns")),
        "/api/v1/namespaces/ns/beacons"
    );
}

#[test]
fn resource_impls_name_group_version_kind_and_plural() {
    assert_eq!(clients::Widget::kind(&()), "Widget");
    assert_eq!(clients::Widget::group(&()), "clients.golden.example.io");
    assert_eq!(clients::Widget::version(&()), "v1");
    assert_eq!(
        clients::Widget::api_version(&()),
        "clients.golden.example.io/v1"
    );
    assert_eq!(clients::Widget::plural(&()), "widgets");
    assert_eq!(clients::Galaxy::plural(&()), "galaxies");
    assert_eq!(clients::Policy::plural(&()), "policies");
    assert_eq!(clients::Mouse::plural(&()), "mice");
    assert_eq!(clients::Gizmo::plural(&()), "gizmos");

    assert_eq!(
        clients::Widget::url_path(&(), Some("team-a")),
        "/apis/clients.golden.example.io/v1/namespaces/team-a/widgets"
    );
    assert_eq!(
        clients::Widget::url_path(&(), None),
        "/apis/clients.golden.example.io/v1/widgets"
    );
    assert_eq!(
        clients::Mouse::url_path(&(), Some("lab")),
        "/apis/clients.golden.example.io/v1/namespaces/lab/mice"
    );
    assert_eq!(
        clients::Galaxy::url_path(&(), None),
        "/apis/clients.golden.example.io/v1/galaxies"
    );
    assert_eq!(
        clients::Gizmo::url_path(&(), None),
        "/apis/clients.golden.example.io/v1/gizmos"
    );
}

/// The name of a kind's `Resource::Scope` type (what `kube::Api::namespaced` requires).
fn scope_of<K: Resource<DynamicType = ()>>() -> &'static str
where
    K::Scope: Scope,
{
    <K::Scope as Scope>::NAME
}

trait Scope {
    const NAME: &'static str;
}

impl Scope for NamespaceResourceScope {
    const NAME: &'static str = "namespaced";
}

impl Scope for ClusterResourceScope {
    const NAME: &'static str = "cluster";
}

#[test]
fn scopes_follow_non_namespaced() {
    assert_eq!(scope_of::<clients::Widget>(), "namespaced");
    assert_eq!(scope_of::<clients::Mouse>(), "namespaced");
    assert_eq!(scope_of::<clients::Galaxy>(), "cluster");
    assert_eq!(scope_of::<clients::Gizmo>(), "cluster");
    assert_eq!(scope_of::<core_v1::Beacon>(), "namespaced");
}

#[test]
fn meta_and_meta_mut_reach_the_metadata_field() {
    let mut widget = clients::Widget::default();
    widget.meta_mut().name = Some("w".to_owned());
    assert_eq!(widget.metadata.name.as_deref(), Some("w"));
    assert_eq!(widget.meta().name.as_deref(), Some("w"));
}

fn meta(name: &str) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.to_owned()),
        namespace: Some("ns".to_owned()),
        ..ObjectMeta::default()
    }
}

#[test]
fn a_kind_with_status_serializes_with_api_version_kind_and_camel_case_fields() {
    let widget = clients::Widget {
        metadata: meta("w"),
        spec: clients::WidgetSpec {
            color: "red".to_owned(),
            labels: BTreeMap::from([("k".to_owned(), "v".to_owned())]),
        },
        status: Some(clients::WidgetStatus {
            observed_generation: Some(3),
            ready: true,
        }),
    };
    let value = serde_json::to_value(&widget).expect("serialize");
    assert_eq!(
        value,
        json!({
            "apiVersion": "clients.golden.example.io/v1",
            "kind": "Widget",
            "metadata": {"name": "w", "namespace": "ns"},
            "spec": {"color": "red", "labels": {"k": "v"}},
            "status": {"observedGeneration": 3, "ready": true},
        })
    );
    // `apiVersion` and `kind` come first on the wire.
    let text = serde_json::to_string(&widget).expect("serialize");
    assert!(
        text.starts_with(r#"{"apiVersion":"clients.golden.example.io/v1","kind":"Widget","#),
        "{text}"
    );
    let back: clients::Widget = serde_json::from_value(value).expect("deserialize");
    assert_eq!(back, widget);
}

#[test]
fn a_none_status_is_omitted_and_an_absent_one_reads_as_none() {
    let widget = clients::Widget {
        metadata: meta("w"),
        ..clients::Widget::default()
    };
    let value = serde_json::to_value(&widget).expect("serialize");
    let object = value.as_object().expect("an object");
    assert!(!object.contains_key("status"), "{value}");
    let back: clients::Widget = serde_json::from_value(json!({
        "apiVersion": "clients.golden.example.io/v1",
        "kind": "Widget",
        "metadata": {"name": "w", "namespace": "ns"},
        "spec": {"color": ""},
    }))
    .expect("deserialize");
    assert_eq!(back, widget);
}

#[test]
fn a_kind_without_a_status_field_has_exactly_its_fields_on_the_wire() {
    let policy = clients::Policy {
        metadata: meta("p"),
        spec: clients::PolicySpec {
            rules: vec!["allow".to_owned()],
        },
    };
    let value = serde_json::to_value(&policy).expect("serialize");
    assert_eq!(
        value,
        json!({
            "apiVersion": "clients.golden.example.io/v1",
            "kind": "Policy",
            "metadata": {"name": "p", "namespace": "ns"},
            "spec": {"rules": ["allow"]},
        })
    );
    let back: clients::Policy = serde_json::from_value(value).expect("deserialize");
    assert_eq!(back, policy);
}

#[test]
fn the_core_group_writes_a_bare_api_version() {
    let beacon = core_v1::Beacon {
        metadata: meta("b"),
        spec: core_v1::BeaconSpec { frequency: 7 },
        status: None,
    };
    assert_eq!(
        serde_json::to_value(&beacon).expect("serialize"),
        json!({
            "apiVersion": "v1",
            "kind": "Beacon",
            "metadata": {"name": "b", "namespace": "ns"},
            "spec": {"frequency": 7},
        })
    );
}

#[test]
fn a_missing_metadata_reads_as_empty_but_a_missing_spec_is_an_error() {
    let gizmo: clients::Gizmo =
        serde_json::from_value(json!({"spec": {"gears": 2}})).expect("deserialize");
    assert_eq!(gizmo.metadata, ObjectMeta::default());
    assert_eq!(gizmo.spec.gears, 2);
    let err = serde_json::from_value::<clients::Gizmo>(json!({"metadata": {}}))
        .expect_err("spec is required");
    assert!(err.to_string().contains("spec"), "{err}");
}
