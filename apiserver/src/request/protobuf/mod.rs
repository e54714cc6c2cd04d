//! `application/vnd.kubernetes.protobuf` for built-in kinds: the `k8s\0` magic, a
//! `runtime.Unknown` envelope naming apiVersion and kind, and the kind's message inside.
//! kubectl's typed commands (`create namespace|configmap|secret|serviceaccount|service|
//! deployment`, `run`) send their object this way and ask for the answer this way.
//!
//! The messages are `k8s-pb`'s: kube-rs's maintained prost bindings of the Kubernetes
//! `generated.proto` files, chosen over a hand-written codec so field numbers and wire types
//! come from upstream's own definitions. k8s-pb has no JSON mapping (and no serde), while
//! the server holds objects as JSON, so each kind served over protobuf needs the mapping
//! between its message and its JSON: written by hand below for the first four kinds, and
//! as field tables (`kinds.rs`, read by `wire.rs`) for the rest. Kinds without one are JSON
//! only (a protobuf body for them is 415, and negotiation answers them in JSON).

use std::collections::BTreeMap;

use bytes::Bytes;
use k8s_openapi::ByteString;
use k8s_pb::api::core::v1 as core;
use k8s_pb::apimachinery::pkg::apis::meta::v1 as meta;
use k8s_pb::apimachinery::pkg::runtime::{TypeMeta, Unknown};
use prost::Message;
use serde_json::{Map, Value, json};

use crate::status::ApiError;

/// The media type.
pub(crate) const MEDIA_TYPE: &str = "application/vnd.kubernetes.protobuf";

/// Every protobuf body starts with these four bytes.
const MAGIC: &[u8] = b"k8s\0";

mod kinds;
mod wire;

use wire::Wire;

/// How one kind travels: its message from and to the JSON the server holds.
struct Codec {
    api_version: &'static str,
    kind: &'static str,
    to_json: fn(&[u8]) -> Result<Value, ApiError>,
    from_json: fn(&Value) -> Option<Vec<u8>>,
}

/// A kind mapped through [`wire`]'s tables.
const fn table<T: Message + Default + Wire>(
    api_version: &'static str,
    kind: &'static str,
) -> Codec {
    Codec {
        api_version,
        kind,
        to_json: table_to_json::<T>,
        from_json: table_from_json::<T>,
    }
}

/// A core/v1 kind mapped by the hand-written functions below.
macro_rules! by_hand {
    ($kind:literal, $message:ty, $to_json:ident, $from_json:ident) => {
        Codec {
            api_version: "v1",
            kind: $kind,
            to_json: |raw| Ok($to_json(<$message>::decode(raw).map_err(bad)?)),
            from_json: |obj| Some($from_json(obj).encode_to_vec()),
        }
    };
}

/// The kinds with a mapping; the first four are written by hand below.
const CODECS: &[Codec] = &[
    by_hand!(
        "Namespace",
        core::Namespace,
        namespace_to_json,
        namespace_from_json
    ),
    by_hand!(
        "ConfigMap",
        core::ConfigMap,
        config_map_to_json,
        config_map_from_json
    ),
    by_hand!("Secret", core::Secret, secret_to_json, secret_from_json),
    by_hand!(
        "ServiceAccount",
        core::ServiceAccount,
        service_account_to_json,
        service_account_from_json
    ),
    table::<core::Service>("v1", "Service"),
    table::<k8s_pb::api::apps::v1::Deployment>("apps/v1", "Deployment"),
    table::<k8s_pb::api::coordination::v1::Lease>("coordination.k8s.io/v1", "Lease"),
    table::<core::Event>("v1", "Event"),
    table::<k8s_pb::api::events::v1::Event>("events.k8s.io/v1", "Event"),
    table::<core::Pod>("v1", "Pod"),
];

fn codec(api_version: &str, kind: &str) -> Option<&'static Codec> {
    CODECS
        .iter()
        .find(|c| c.api_version == api_version && c.kind == kind)
}

/// A body setting a field the table does not map is refused (415, naming the field) rather
/// than stored without it.
fn table_to_json<T: Message + Default + Wire>(raw: &[u8]) -> Result<Value, ApiError> {
    T::decode(raw).map_err(bad)?.write().map_err(|field| {
        ApiError::unsupported_media_type(format!(
            "the protobuf body sets {field}, which this server maps only in JSON: send the object as application/json"
        ))
    })
}

/// `None` (the caller answers in JSON) when the object holds a field the table lacks.
fn table_from_json<T: Message + Wire>(obj: &Value) -> Option<Vec<u8>> {
    let mut body = obj.clone();
    if let Value::Object(map) = &mut body {
        map.remove("apiVersion");
        map.remove("kind");
    }
    T::read(&body).ok().map(|m| m.encode_to_vec())
}

/// Whether `kind` of `api_version` can be read and written as protobuf.
pub(crate) fn supports(api_version: &str, kind: &str) -> bool {
    codec(api_version, kind).is_some()
}

fn bad(why: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request(format!("failed to decode protobuf body: {why}"))
}

/// A protobuf body as the JSON object it stands for (apiVersion and kind from the envelope).
pub(crate) fn decode(body: &[u8]) -> Result<Value, ApiError> {
    let inner = body
        .strip_prefix(MAGIC)
        .ok_or_else(|| bad("the body does not start with the protobuf magic"))?;
    let unknown = Unknown::decode(inner).map_err(bad)?;
    let type_meta = unknown.type_meta.unwrap_or_default();
    let api_version = type_meta.api_version.unwrap_or_default();
    let kind = type_meta.kind.unwrap_or_default();
    let raw = unknown.raw.unwrap_or_default();
    let Some(codec) = codec(&api_version, &kind) else {
        return Err(ApiError::unsupported_media_type(format!(
            "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (no protobuf form of {api_version} {kind})"
        )));
    };
    let mut obj = (codec.to_json)(&raw)?;
    if let Value::Object(map) = &mut obj {
        map.insert("apiVersion".to_owned(), json!(api_version));
        map.insert("kind".to_owned(), json!(kind));
    }
    Ok(obj)
}

/// An object (with apiVersion and kind) as a protobuf body; `None` for kinds without a
/// mapping, or objects holding a field it lacks (the caller answers in JSON then).
pub(crate) fn encode(obj: &Value) -> Option<Bytes> {
    let api_version = obj.get("apiVersion")?.as_str()?;
    let kind = obj.get("kind")?.as_str()?;
    let raw = (codec(api_version, kind)?.from_json)(obj)?;
    let envelope = Unknown {
        type_meta: Some(TypeMeta {
            api_version: Some(api_version.to_owned()),
            kind: Some(kind.to_owned()),
        }),
        raw: Some(raw),
        content_encoding: Some(String::new()),
        content_type: Some(String::new()),
    };
    let mut out = MAGIC.to_vec();
    out.extend(envelope.encode_to_vec());
    Some(Bytes::from(out))
}

// ---------------------------------------------------------------- JSON access

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn flag(v: &Value, key: &str) -> Option<bool> {
    v.get(key).and_then(Value::as_bool)
}

fn number(v: &Value, key: &str) -> Option<i64> {
    v.get(key).and_then(Value::as_i64)
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn items<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    v.get(key).and_then(Value::as_array).into_iter().flatten()
}

fn string_map(v: &Value, key: &str) -> BTreeMap<String, String> {
    v.get(key)
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

/// A JSON map of base64 strings (Secret `data`, ConfigMap `binaryData`) as bytes.
fn bytes_map(v: &Value, key: &str) -> BTreeMap<String, Vec<u8>> {
    v.get(key)
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| {
                    serde_json::from_value::<ByteString>(v.clone())
                        .ok()
                        .map(|b| (k.clone(), b.0))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Sets `key` unless the value is empty (JSON `omitempty`).
fn put(map: &mut Map<String, Value>, key: &str, value: Value) {
    let empty = match &value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    };
    if !empty {
        map.insert(key.to_owned(), value);
    }
}

fn put_strings(map: &mut Map<String, Value>, key: &str, values: BTreeMap<String, String>) {
    put(map, key, json!(values));
}

fn put_bytes(map: &mut Map<String, Value>, key: &str, values: BTreeMap<String, Vec<u8>>) {
    let encoded: Map<String, Value> = values
        .into_iter()
        .map(|(k, v)| {
            (
                k,
                serde_json::to_value(ByteString(v)).unwrap_or(Value::Null),
            )
        })
        .collect();
    put(map, key, Value::Object(encoded));
}

// ---------------------------------------------------------------- meta types

fn time_from_json(value: Option<&str>) -> Option<meta::Time> {
    let t: jiff::Timestamp = value?.parse().ok()?;
    Some(meta::Time {
        seconds: Some(t.as_second()),
        nanos: Some(t.subsec_nanosecond()),
    })
}

/// Go marshals the zero time as an empty message: no time, not 1970.
fn time_to_json(time: Option<meta::Time>) -> Value {
    time.filter(|t| t.seconds.unwrap_or(0) != 0 || t.nanos.unwrap_or(0) != 0)
        .and_then(|t| jiff::Timestamp::from_second(t.seconds.unwrap_or(0)).ok())
        .map(|t| json!(t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()))
        .unwrap_or(Value::Null)
}

fn object_meta_from_json(obj: &Value) -> meta::ObjectMeta {
    let empty = json!({});
    let m = obj.get("metadata").unwrap_or(&empty);
    meta::ObjectMeta {
        name: text(m, "name"),
        generate_name: text(m, "generateName"),
        namespace: text(m, "namespace"),
        self_link: text(m, "selfLink"),
        uid: text(m, "uid"),
        resource_version: text(m, "resourceVersion"),
        generation: number(m, "generation"),
        creation_timestamp: time_from_json(m.get("creationTimestamp").and_then(Value::as_str)),
        deletion_timestamp: time_from_json(m.get("deletionTimestamp").and_then(Value::as_str)),
        deletion_grace_period_seconds: number(m, "deletionGracePeriodSeconds"),
        labels: string_map(m, "labels"),
        annotations: string_map(m, "annotations"),
        owner_references: items(m, "ownerReferences")
            .map(|r| meta::OwnerReference {
                api_version: text(r, "apiVersion"),
                kind: text(r, "kind"),
                name: text(r, "name"),
                uid: text(r, "uid"),
                controller: flag(r, "controller"),
                block_owner_deletion: flag(r, "blockOwnerDeletion"),
            })
            .collect(),
        finalizers: strings(m, "finalizers"),
        managed_fields: items(m, "managedFields")
            .map(|e| meta::ManagedFieldsEntry {
                manager: text(e, "manager"),
                operation: text(e, "operation"),
                api_version: text(e, "apiVersion"),
                time: time_from_json(e.get("time").and_then(Value::as_str)),
                fields_type: text(e, "fieldsType"),
                fields_v1: e.get("fieldsV1").map(|f| meta::FieldsV1 {
                    raw: Some(f.to_string().into_bytes()),
                }),
                subresource: text(e, "subresource"),
            })
            .collect(),
    }
}

fn object_meta_to_json(m: meta::ObjectMeta) -> Value {
    let mut out = Map::new();
    put(&mut out, "name", json!(m.name));
    put(&mut out, "generateName", json!(m.generate_name));
    put(&mut out, "namespace", json!(m.namespace));
    put(&mut out, "selfLink", json!(m.self_link));
    put(&mut out, "uid", json!(m.uid));
    put(&mut out, "resourceVersion", json!(m.resource_version));
    if let Some(g) = m.generation.filter(|g| *g != 0) {
        out.insert("generation".to_owned(), json!(g));
    }
    put(
        &mut out,
        "creationTimestamp",
        time_to_json(m.creation_timestamp),
    );
    put(
        &mut out,
        "deletionTimestamp",
        time_to_json(m.deletion_timestamp),
    );
    if let Some(s) = m.deletion_grace_period_seconds {
        out.insert("deletionGracePeriodSeconds".to_owned(), json!(s));
    }
    put_strings(&mut out, "labels", m.labels);
    put_strings(&mut out, "annotations", m.annotations);
    let owners: Vec<Value> = m
        .owner_references
        .into_iter()
        .map(|r| {
            let mut o = Map::new();
            put(&mut o, "apiVersion", json!(r.api_version));
            put(&mut o, "kind", json!(r.kind));
            put(&mut o, "name", json!(r.name));
            put(&mut o, "uid", json!(r.uid));
            if let Some(c) = r.controller {
                o.insert("controller".to_owned(), json!(c));
            }
            if let Some(b) = r.block_owner_deletion {
                o.insert("blockOwnerDeletion".to_owned(), json!(b));
            }
            Value::Object(o)
        })
        .collect();
    put(&mut out, "ownerReferences", json!(owners));
    put(&mut out, "finalizers", json!(m.finalizers));
    let managed: Vec<Value> = m
        .managed_fields
        .into_iter()
        .map(|e| {
            let mut o = Map::new();
            put(&mut o, "manager", json!(e.manager));
            put(&mut o, "operation", json!(e.operation));
            put(&mut o, "apiVersion", json!(e.api_version));
            put(&mut o, "time", time_to_json(e.time));
            put(&mut o, "fieldsType", json!(e.fields_type));
            if let Some(raw) = e.fields_v1.and_then(|f| f.raw) {
                let fields = serde_json::from_slice(&raw).unwrap_or_else(|_| json!({}));
                o.insert("fieldsV1".to_owned(), fields);
            }
            put(&mut o, "subresource", json!(e.subresource));
            Value::Object(o)
        })
        .collect();
    put(&mut out, "managedFields", json!(managed));
    Value::Object(out)
}

fn with_metadata(m: Option<meta::ObjectMeta>) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert(
        "metadata".to_owned(),
        object_meta_to_json(m.unwrap_or_default()),
    );
    out
}

fn section<'a>(obj: &'a Value, key: &str) -> &'a Value {
    static EMPTY: Value = Value::Null;
    obj.get(key).unwrap_or(&EMPTY)
}

// ---------------------------------------------------------------- kinds

fn namespace_from_json(obj: &Value) -> core::Namespace {
    let spec = section(obj, "spec");
    let status = section(obj, "status");
    core::Namespace {
        metadata: Some(object_meta_from_json(obj)),
        spec: Some(core::NamespaceSpec {
            finalizers: strings(spec, "finalizers"),
        }),
        status: Some(core::NamespaceStatus {
            phase: text(status, "phase"),
            conditions: items(status, "conditions")
                .map(|c| core::NamespaceCondition {
                    r#type: text(c, "type"),
                    status: text(c, "status"),
                    last_transition_time: time_from_json(
                        c.get("lastTransitionTime").and_then(Value::as_str),
                    ),
                    reason: text(c, "reason"),
                    message: text(c, "message"),
                })
                .collect(),
        }),
    }
}

fn namespace_to_json(ns: core::Namespace) -> Value {
    let mut out = with_metadata(ns.metadata);
    let mut spec = Map::new();
    put(
        &mut spec,
        "finalizers",
        json!(ns.spec.map(|s| s.finalizers).unwrap_or_default()),
    );
    out.insert("spec".to_owned(), Value::Object(spec));
    let mut status = Map::new();
    if let Some(s) = ns.status {
        put(&mut status, "phase", json!(s.phase));
        let conditions: Vec<Value> = s
            .conditions
            .into_iter()
            .map(|c| {
                let mut o = Map::new();
                put(&mut o, "type", json!(c.r#type));
                put(&mut o, "status", json!(c.status));
                put(
                    &mut o,
                    "lastTransitionTime",
                    time_to_json(c.last_transition_time),
                );
                put(&mut o, "reason", json!(c.reason));
                put(&mut o, "message", json!(c.message));
                Value::Object(o)
            })
            .collect();
        put(&mut status, "conditions", json!(conditions));
    }
    out.insert("status".to_owned(), Value::Object(status));
    Value::Object(out)
}

fn config_map_from_json(obj: &Value) -> core::ConfigMap {
    core::ConfigMap {
        metadata: Some(object_meta_from_json(obj)),
        immutable: flag(obj, "immutable"),
        data: string_map(obj, "data"),
        binary_data: bytes_map(obj, "binaryData"),
    }
}

fn config_map_to_json(cm: core::ConfigMap) -> Value {
    let mut out = with_metadata(cm.metadata);
    if let Some(i) = cm.immutable {
        out.insert("immutable".to_owned(), json!(i));
    }
    put_strings(&mut out, "data", cm.data);
    put_bytes(&mut out, "binaryData", cm.binary_data);
    Value::Object(out)
}

fn secret_from_json(obj: &Value) -> core::Secret {
    core::Secret {
        metadata: Some(object_meta_from_json(obj)),
        immutable: flag(obj, "immutable"),
        data: bytes_map(obj, "data"),
        string_data: string_map(obj, "stringData"),
        r#type: text(obj, "type"),
    }
}

fn secret_to_json(secret: core::Secret) -> Value {
    let mut out = with_metadata(secret.metadata);
    if let Some(i) = secret.immutable {
        out.insert("immutable".to_owned(), json!(i));
    }
    put_bytes(&mut out, "data", secret.data);
    put_strings(&mut out, "stringData", secret.string_data);
    put(&mut out, "type", json!(secret.r#type));
    Value::Object(out)
}

fn service_account_from_json(obj: &Value) -> core::ServiceAccount {
    core::ServiceAccount {
        metadata: Some(object_meta_from_json(obj)),
        secrets: items(obj, "secrets")
            .map(|r| core::ObjectReference {
                kind: text(r, "kind"),
                namespace: text(r, "namespace"),
                name: text(r, "name"),
                uid: text(r, "uid"),
                api_version: text(r, "apiVersion"),
                resource_version: text(r, "resourceVersion"),
                field_path: text(r, "fieldPath"),
            })
            .collect(),
        image_pull_secrets: items(obj, "imagePullSecrets")
            .map(|r| core::LocalObjectReference {
                name: text(r, "name"),
            })
            .collect(),
        automount_service_account_token: flag(obj, "automountServiceAccountToken"),
    }
}

fn service_account_to_json(sa: core::ServiceAccount) -> Value {
    let mut out = with_metadata(sa.metadata);
    let secrets: Vec<Value> = sa
        .secrets
        .into_iter()
        .map(|r| {
            let mut o = Map::new();
            put(&mut o, "kind", json!(r.kind));
            put(&mut o, "namespace", json!(r.namespace));
            put(&mut o, "name", json!(r.name));
            put(&mut o, "uid", json!(r.uid));
            put(&mut o, "apiVersion", json!(r.api_version));
            put(&mut o, "resourceVersion", json!(r.resource_version));
            put(&mut o, "fieldPath", json!(r.field_path));
            Value::Object(o)
        })
        .collect();
    put(&mut out, "secrets", json!(secrets));
    let pulls: Vec<Value> = sa
        .image_pull_secrets
        .into_iter()
        .map(|r| json!({"name": r.name.unwrap_or_default()}))
        .collect();
    put(&mut out, "imagePullSecrets", json!(pulls));
    if let Some(a) = sa.automount_service_account_token {
        out.insert("automountServiceAccountToken".to_owned(), json!(a));
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_round_trip_through_protobuf() {
        let secret = json!({
            "apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": "s", "namespace": "default", "labels": {"a": "b"},
                         "creationTimestamp": "2024-05-01T10:00:00Z", "resourceVersion": "7",
                         "managedFields": [{"manager": "m", "operation": "Update", "apiVersion": "v1",
                                            "time": "2024-05-01T10:00:00Z", "fieldsType": "FieldsV1",
                                            "fieldsV1": {"f:data": {}}}]},
            "data": {"k": "dmFsdWU="},
            "type": "Opaque",
        });
        let bytes = encode(&secret).unwrap_or_default();
        assert!(bytes.starts_with(MAGIC));
        assert_eq!(decode(&bytes).ok(), Some(secret));
        let ns = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "x"},
                        "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}});
        assert_eq!(encode(&ns).and_then(|b| decode(&b).ok()), Some(ns));
        assert!(encode(&json!({"apiVersion": "v1", "kind": "Binding"})).is_none());
        assert_eq!(decode(b"nope").map_err(|e| e.code), Err(400));
    }

    fn round_trips(obj: Value) {
        let bytes = encode(&obj).unwrap_or_default();
        assert!(bytes.starts_with(MAGIC), "no protobuf form of {obj}");
        assert_eq!(decode(&bytes).ok(), Some(obj));
    }

    const META: &str = r#"{"name": "x", "namespace": "default", "uid": "u", "resourceVersion": "3",
        "generation": 2, "creationTimestamp": "2024-05-01T10:00:00Z", "labels": {"app": "x"}}"#;

    fn meta() -> Value {
        serde_json::from_str(META).unwrap_or_default()
    }

    #[test]
    fn service_round_trips() {
        round_trips(json!({
            "apiVersion": "v1", "kind": "Service", "metadata": meta(),
            "spec": {"type": "NodePort", "selector": {"app": "x"}, "clusterIP": "10.0.0.1",
                     "ports": [{"name": "80-80", "protocol": "TCP", "port": 80,
                                "targetPort": 80, "nodePort": 30080},
                               {"port": 443, "targetPort": "https"}],
                     "sessionAffinity": "None"},
            "status": {"loadBalancer": {"ingress": [{"ip": "1.2.3.4"}]}},
        }));
    }

    fn pod_spec() -> Value {
        json!({
            "containers": [{"name": "nginx", "image": "nginx",
                            "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                            "env": [{"name": "A", "value": "b"}],
                            "resources": {"limits": {"cpu": "500m"}, "requests": {"memory": "64Mi"}},
                            "imagePullPolicy": "Always"}],
            "restartPolicy": "Always", "dnsPolicy": "ClusterFirst",
            "terminationGracePeriodSeconds": 30,
        })
    }

    #[test]
    fn deployment_round_trips() {
        round_trips(json!({
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta(),
            "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "x"}},
                     "template": {"metadata": {"labels": {"app": "x"}}, "spec": pod_spec()},
                     "strategy": {"type": "RollingUpdate",
                                  "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}}},
            "status": {"observedGeneration": 2, "replicas": 3, "readyReplicas": 1,
                       "conditions": [{"type": "Available", "status": "True",
                                       "lastUpdateTime": "2024-05-01T10:00:00Z"}]},
        }));
    }

    #[test]
    fn lease_and_events_round_trip() {
        round_trips(json!({
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": meta(),
            "spec": {"holderIdentity": "me", "leaseDurationSeconds": 15, "leaseTransitions": 0,
                     "renewTime": "2024-05-01T10:00:00.123456Z"},
        }));
        round_trips(json!({
            "apiVersion": "v1", "kind": "Event", "metadata": meta(),
            "involvedObject": {"kind": "Pod", "name": "p", "namespace": "default"},
            "reason": "Started", "message": "m", "source": {"component": "kubelet"},
            "firstTimestamp": "2024-05-01T10:00:00Z", "count": 2, "type": "Normal",
        }));
        round_trips(json!({
            "apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": meta(),
            "eventTime": "2024-05-01T10:00:00.000001Z", "reportingController": "c",
            "reportingInstance": "i", "action": "Pull", "reason": "Pulled", "note": "n",
            "regarding": {"kind": "Pod", "name": "p"}, "type": "Normal",
            "series": {"count": 2, "lastObservedTime": "2024-05-01T10:00:01.000000Z"},
        }));
    }

    #[test]
    fn pod_round_trips() {
        round_trips(json!({
            "apiVersion": "v1", "kind": "Pod", "metadata": meta(), "spec": pod_spec(),
            "status": {"phase": "Pending", "podIP": "10.1.0.1", "podIPs": [{"ip": "10.1.0.1"}],
                       "startTime": "2024-05-01T10:00:00Z", "qosClass": "Burstable",
                       "conditions": [{"type": "Ready", "status": "False"}]},
        }));
    }

    #[test]
    fn unmapped_fields_are_refused_not_dropped() {
        use k8s_pb::api::core::v1 as pb;
        // A protobuf body setting a field without a mapping: 415 naming it.
        let pod = pb::Pod {
            spec: Some(pb::PodSpec {
                volumes: vec![pb::Volume::default()],
                ..Default::default()
            }),
            ..Default::default()
        };
        let mut body = MAGIC.to_vec();
        body.extend(
            Unknown {
                type_meta: Some(TypeMeta {
                    api_version: Some("v1".to_owned()),
                    kind: Some("Pod".to_owned()),
                }),
                raw: Some(pod.encode_to_vec()),
                ..Default::default()
            }
            .encode_to_vec(),
        );
        let refused = decode(&body).err();
        assert_eq!(refused.as_ref().map(|e| e.code), Some(415));
        assert!(
            refused.is_some_and(|e| e.message.contains("spec.volumes")),
            "names the field"
        );
        // A stored object holding such a field has no protobuf form (answered in JSON).
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                         "spec": {"containers": [], "volumes": [{"name": "v"}]}});
        assert!(encode(&pod).is_none());
        // An empty value carries nothing to lose.
        let pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                         "spec": {"securityContext": {}}});
        assert!(encode(&pod).is_some());
    }
}
