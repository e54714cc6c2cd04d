//! Structural schemas enforced on writes, as kube-apiserver enforces a CRD's: pruning (with
//! `fieldValidation`), defaulting, validation worded as upstream, and server-side apply
//! merging lists by the schema's list types.

mod common;

use common::*;
use http::Request;
use kube::api::{Api, DynamicObject, Patch, PatchParams, PostParams};
use kube_codegen_apiserver::{ApiServer, ResourceDefinition};
use serde_json::{Value, json};

fn gizmo_schema() -> Value {
    json!({"type": "object", "properties": {
        "spec": {"type": "object", "required": ["size"], "properties": {
            "size": {"type": "integer", "minimum": 0},
            "mode": {"type": "string", "enum": ["fast", "slow"], "default": "fast"},
            "tags": {"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "set"},
            "ports": {"type": "array", "x-kubernetes-list-type": "map",
                "x-kubernetes-list-map-keys": ["name"],
                "items": {"type": "object", "required": ["name"], "properties": {
                    "name": {"type": "string"}, "port": {"type": "integer"}}}},
            "selector": {"type": "object", "x-kubernetes-map-type": "atomic",
                "additionalProperties": {"type": "string"}},
        }},
        "status": {"type": "object", "properties": {
            "conditions": {"type": "array", "x-kubernetes-list-type": "map",
                "x-kubernetes-list-map-keys": ["type"],
                "items": {"type": "object", "required": ["type", "status"], "properties": {
                    "type": {"type": "string"}, "status": {"type": "string"},
                    "reason": {"type": "string"}}}},
        }},
    }})
}

fn server() -> ApiServer {
    ApiServer::builder()
        .register(
            ResourceDefinition::new(GROUP, "v1", "Gizmo", "gizmos").with_schema(gizmo_schema()),
        )
        .build()
}

fn gizmos(client: &kube::Client) -> Api<DynamicObject> {
    Api::namespaced_with(
        client.clone(),
        "default",
        &resource(GROUP, "v1", "Gizmo", "gizmos"),
    )
}

fn gizmo(name: &str, spec: Value) -> DynamicObject {
    DynamicObject::new(name, &resource(GROUP, "v1", "Gizmo", "gizmos")).data(json!({"spec": spec}))
}

/// A raw request straight to the service, for the response's headers.
async fn raw(
    server: &ApiServer,
    method: &str,
    uri: &str,
    content_type: &str,
    body: Value,
) -> (u16, Vec<String>, Value) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", content_type)
        .body(http_body_util::Full::new(bytes::Bytes::from(
            body.to_string(),
        )))
        .expect("request");
    let response = within(30, server.service().handle(request)).await;
    let code = response.status().as_u16();
    let warnings = response
        .headers()
        .get_all("warning")
        .iter()
        .map(|v| v.to_str().unwrap_or("").to_owned())
        .collect();
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("body")
        .to_bytes();
    (
        code,
        warnings,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

const COLLECTION: &str = "/apis/widgets.example.io/v1/namespaces/default/gizmos";

#[tokio::test]
async fn violations_are_one_422_with_upstream_wording() {
    let server = server();
    let api = gizmos(&server.client());
    let err = api_error(
        within(
            30,
            api.create(
                &PostParams::default(),
                &gizmo("g", json!({"size": -1, "mode": "warp"})),
            ),
        )
        .await,
    );
    assert_eq!(err.code, 422);
    assert_eq!(err.reason, "Invalid");
    assert_eq!(
        err.message,
        r#"Gizmo.widgets.example.io "g" is invalid: [spec.mode: Unsupported value: "warp": supported values: "fast", "slow", spec.size: Invalid value: -1: spec.size in body should be greater than or equal to 0]"#
    );
    let causes = err.details.map(|d| d.causes).unwrap_or_default();
    assert_eq!(causes.len(), 2);
    assert_eq!(causes[1].field, "spec.size");
    assert_eq!(causes[1].reason, "FieldValueInvalid");

    let err = api_error(
        within(
            30,
            api.create(&PostParams::default(), &gizmo("g", json!({}))),
        )
        .await,
    );
    assert_eq!(
        err.message,
        r#"Gizmo.widgets.example.io "g" is invalid: spec.size: Required value"#
    );

    // Updates and patches are validated too.
    within(
        30,
        api.create(&PostParams::default(), &gizmo("g", json!({"size": 1}))),
    )
    .await
    .expect("create");
    let patch = Patch::Merge(json!({"spec": {"size": "big"}}));
    let err = api_error(within(30, api.patch("g", &PatchParams::default(), &patch)).await);
    assert_eq!(
        err.message,
        r#"Gizmo.widgets.example.io "g" is invalid: spec.size: Invalid value: "string": spec.size in body must be of type integer: "string""#
    );
    let mut current = within(30, api.get("g")).await.expect("get");
    current.data["spec"]["tags"] = json!(["a", "a"]);
    let err = api_error(within(30, api.replace("g", &PostParams::default(), &current)).await);
    assert_eq!(
        err.message,
        r#"Gizmo.widgets.example.io "g" is invalid: spec.tags[1]: Duplicate value: "a""#
    );
}

#[tokio::test]
async fn defaults_are_applied_and_unknown_fields_pruned_with_warnings() {
    let server = server();
    let body = json!({"apiVersion": "widgets.example.io/v1", "kind": "Gizmo",
        "metadata": {"name": "g"}, "spec": {"size": 1, "foo": 1, "ports": [{"name": "a", "bar": 2}]}, "extra": 1});
    let (code, warnings, stored) = raw(
        &server,
        "POST",
        COLLECTION,
        "application/json",
        body.clone(),
    )
    .await;
    assert_eq!(code, 201, "{stored}");
    assert_eq!(
        warnings,
        vec![
            r#"299 - "unknown field \"extra\"""#,
            r#"299 - "unknown field \"spec.foo\"""#,
            r#"299 - "unknown field \"spec.ports[0].bar\"""#,
        ]
    );
    assert_eq!(
        stored["spec"],
        json!({"size": 1, "mode": "fast", "ports": [{"name": "a"}]})
    );
    assert!(stored.get("extra").is_none());

    // Ignore prunes silently; Strict refuses, as upstream's strict decoder.
    let renamed = |name: &str| {
        let mut b = body.clone();
        b["metadata"]["name"] = json!(name);
        b
    };
    let (code, warnings, _) = raw(
        &server,
        "POST",
        &format!("{COLLECTION}?fieldValidation=Ignore"),
        "application/json",
        renamed("i"),
    )
    .await;
    assert_eq!((code, warnings.len()), (201, 0));
    let (code, _, status) = raw(
        &server,
        "POST",
        &format!("{COLLECTION}?fieldValidation=Strict"),
        "application/json",
        renamed("s"),
    )
    .await;
    assert_eq!(code, 400);
    assert_eq!(status["reason"], "BadRequest");
    assert_eq!(
        status["message"],
        r#"Gizmo in version "v1" cannot be handled as a Gizmo: strict decoding error: unknown field "extra", unknown field "spec.foo", unknown field "spec.ports[0].bar""#
    );

    // A null for a defaulted, non-nullable field is defaulted.
    let (code, _, patched) = raw(
        &server,
        "PATCH",
        &format!("{COLLECTION}/g"),
        "application/merge-patch+json",
        json!({"spec": {"mode": null}}),
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(patched["spec"]["mode"], "fast");

    // Apply with an unknown field under Strict: the field manager's wording.
    let (code, _, status) = raw(
        &server,
        "PATCH",
        &format!("{COLLECTION}/g?fieldManager=m&fieldValidation=Strict"),
        "application/apply-patch+yaml",
        json!({"apiVersion": "widgets.example.io/v1", "kind": "Gizmo", "metadata": {"name": "g"}, "spec": {"size": 2, "foo": 1}}),
    )
    .await;
    assert_eq!(code, 400);
    assert_eq!(
        status["message"],
        "failed to create typed patch object (widgets.example.io/v1, Kind=Gizmo): .spec.foo: field not declared in schema"
    );
}

fn apply_params(manager: &str) -> PatchParams {
    PatchParams::apply(manager)
}

#[tokio::test]
async fn apply_merges_lists_and_maps_by_the_schema() {
    let server = server();
    let api = gizmos(&server.client());
    let config = |spec: Value| json!({"apiVersion": "widgets.example.io/v1", "kind": "Gizmo", "metadata": {"name": "g"}, "spec": spec});
    let first = config(
        json!({"size": 1, "tags": ["a"], "ports": [{"name": "http", "port": 80}],
        "selector": {"app": "x", "tier": "web"}}),
    );
    within(
        30,
        api.patch("g", &apply_params("one"), &Patch::Apply(&first)),
    )
    .await
    .expect("apply one");
    let second = config(
        json!({"tags": ["b"], "ports": [{"name": "https", "port": 443}],
        "selector": {"app": "y"}}),
    );
    let merged = within(
        30,
        api.patch("g", &apply_params("two").force(), &Patch::Apply(&second)),
    )
    .await
    .expect("apply two");
    // Sets and keyed lists merge item by item; the atomic map is replaced whole.
    assert_eq!(merged.data["spec"]["tags"], json!(["a", "b"]));
    assert_eq!(
        merged.data["spec"]["ports"],
        json!([{"name": "http", "port": 80}, {"name": "https", "port": 443}])
    );
    assert_eq!(merged.data["spec"]["selector"], json!({"app": "y"}));
    // `one` gave up its selector (the atomic map was taken over whole), not its items.
    let managed = merged.metadata.managed_fields.unwrap_or_default();
    let fields_of = |manager: &str| {
        managed
            .iter()
            .find(|m| m.manager.as_deref() == Some(manager))
            .and_then(|m| m.fields_v1.as_ref())
            .map(|f| f.0.clone())
            .unwrap_or(Value::Null)
    };
    assert_eq!(fields_of("two")["f:spec"]["f:selector"], json!({}));
    assert_eq!(fields_of("one")["f:spec"]["f:tags"], json!({"v:\"a\"": {}}));
    assert!(fields_of("one")["f:spec"].get("f:selector").is_none());
    assert!(
        fields_of("one")["f:spec"]["f:ports"]
            .get("k:{\"name\":\"http\"}")
            .is_some()
    );
}

#[tokio::test]
async fn status_conditions_applied_by_two_managers_merge_by_type() {
    let server = server();
    let api = gizmos(&server.client());
    within(
        30,
        api.create(&PostParams::default(), &gizmo("g", json!({"size": 1}))),
    )
    .await
    .expect("create");
    let condition = |type_: &str, status: &str| {
        json!({"apiVersion": "widgets.example.io/v1", "kind": "Gizmo", "metadata": {"name": "g"},
            "status": {"conditions": [{"type": type_, "status": status}]}})
    };
    within(
        30,
        api.patch(
            "g",
            &apply_params("a"),
            &Patch::Apply(condition("Ready", "True")),
        ),
    )
    .await
    .expect("a");
    let got = within(
        30,
        api.patch(
            "g",
            &apply_params("b"),
            &Patch::Apply(condition("Synced", "False")),
        ),
    )
    .await
    .expect("b");
    assert_eq!(
        got.data["status"]["conditions"],
        json!([{"type": "Ready", "status": "True"}, {"type": "Synced", "status": "False"}])
    );
    // Each manager owns its entry: changing the other's is a conflict.
    let err = api_error(
        within(
            30,
            api.patch(
                "g",
                &apply_params("b"),
                &Patch::Apply(condition("Ready", "False")),
            ),
        )
        .await,
    );
    assert_eq!(err.code, 409);
}

#[tokio::test]
async fn cel_rules_are_enforced_with_old_self_on_updates() {
    let schema = json!({"type": "object", "properties": {"spec": {
        "type": "object",
        "x-kubernetes-validations": [
            {"rule": "self.min <= self.max", "message": "min must not exceed max"},
            {"rule": "self.class == oldSelf.class", "message": "class is immutable"},
        ],
        "properties": {"min": {"type": "integer"}, "max": {"type": "integer"}, "class": {"type": "string"}},
    }}});
    let server = ApiServer::builder()
        .register(ResourceDefinition::new(GROUP, "v1", "Gizmo", "gizmos").with_schema(schema))
        .build();
    let api = gizmos(&server.client());
    let err = api_error(
        within(
            30,
            api.create(
                &PostParams::default(),
                &gizmo("g", json!({"min": 2, "max": 1, "class": "a"})),
            ),
        )
        .await,
    );
    assert_eq!(
        err.message,
        r#"Gizmo.widgets.example.io "g" is invalid: spec: Invalid value: "object": min must not exceed max"#
    );
    // The transition rule is skipped on create, and holds on updates that keep the class.
    within(
        30,
        api.create(
            &PostParams::default(),
            &gizmo("g", json!({"min": 1, "max": 2, "class": "a"})),
        ),
    )
    .await
    .expect("create");
    within(
        30,
        api.patch(
            "g",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"max": 3}})),
        ),
    )
    .await
    .expect("patch keeping the class");
    let err = api_error(
        within(
            30,
            api.patch(
                "g",
                &PatchParams::default(),
                &Patch::Merge(json!({"spec": {"class": "b"}})),
            ),
        )
        .await,
    );
    assert_eq!(
        err.message,
        r#"Gizmo.widgets.example.io "g" is invalid: spec: Invalid value: "object": class is immutable"#
    );
}

#[tokio::test]
async fn objects_stored_before_a_default_are_defaulted_on_read() {
    let def = ResourceDefinition::new(GROUP, "v1", "Gizmo", "gizmos");
    let server = ApiServer::builder().register(def.clone()).build();
    let api = gizmos(&server.client());
    within(
        30,
        api.create(&PostParams::default(), &gizmo("g", json!({"size": 1}))),
    )
    .await
    .expect("create");
    server.register(def.with_schema(gizmo_schema()));
    let got = within(30, api.get("g")).await.expect("get");
    assert_eq!(got.data["spec"], json!({"size": 1, "mode": "fast"}));
}
