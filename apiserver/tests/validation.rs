//! Validation kube-apiserver does and clients rely on: object metadata (labels, annotations,
//! ownerReferences, managedFields, uid), a version on create, the body limit, and the
//! options of each verb. Each answer is checked word for word against upstream's.

mod common;

use common::*;
use http::{Method, Request};
use kube::api::{Patch, PatchParams, PostParams};
use kube_codegen_apiserver::ApiServer;
use serde_json::{Value, json};

const COLLECTION: &str = "/apis/widgets.example.io/v1/namespaces/default/widgets";

/// A raw request through the kube client (for options kube itself refuses to send).
async fn send(
    env: &Env,
    method: Method,
    path: &str,
    content_type: &str,
    body: Value,
) -> (u16, Value) {
    let body = if body.is_null() {
        Vec::new()
    } else {
        body.to_string().into_bytes()
    };
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", content_type)
        .body(body)
        .expect("request");
    let response = within(30, env.client.send(request.map(Into::into)))
        .await
        .expect("send");
    let code = response.status().as_u16();
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("body")
        .to_bytes();
    (code, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

fn widget_json(name: &str, metadata: Value) -> Value {
    let mut obj = json!({"apiVersion": "widgets.example.io/v1", "kind": "Widget", "metadata": {"name": name}});
    if let (Some(m), Value::Object(extra)) = (obj["metadata"].as_object_mut(), metadata) {
        m.extend(extra);
    }
    obj
}

/// The 422 message of creating a widget with this extra metadata.
async fn create_invalid(env: &Env, name: &str, metadata: Value) -> String {
    let api = widgets(&env.client, "default");
    let obj: kube::api::DynamicObject =
        serde_json::from_value(widget_json(name, metadata)).expect("object");
    let status = api_error(api.create(&PostParams::default(), &obj).await);
    assert_eq!(
        (status.code, status.reason.as_str()),
        (422, "Invalid"),
        "{status:?}"
    );
    status.message
}

const QUALIFIED: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

#[tokio::test]
async fn labels_annotations_and_owner_references_are_validated_on_create() {
    let env = Env::new(Transport::InProcess).await;
    assert_eq!(
        create_invalid(&env, "w", json!({"labels": {"bad key": "v"}})).await,
        format!(
            "Widget.widgets.example.io \"w\" is invalid: metadata.labels: Invalid value: \"bad key\": {QUALIFIED}"
        )
    );
    assert_eq!(
        create_invalid(&env, "w", json!({"labels": {"app": "-web"}})).await,
        "Widget.widgets.example.io \"w\" is invalid: metadata.labels: Invalid value: \"-web\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
    );
    assert_eq!(
        create_invalid(
            &env,
            "w",
            json!({"annotations": {"example.com/ok": "x", "not ok": "y"}})
        )
        .await,
        format!(
            "Widget.widgets.example.io \"w\" is invalid: metadata.annotations: Invalid value: \"not ok\": {QUALIFIED}"
        )
    );
    let huge = "x".repeat(256 * 1024);
    assert_eq!(
        create_invalid(&env, "w", json!({"annotations": {"big": huge}})).await,
        "Widget.widgets.example.io \"w\" is invalid: metadata.annotations: Too long: must have at most 262144 bytes"
    );
    let message = create_invalid(
        &env,
        "w",
        json!({"ownerReferences": [{"apiVersion": "v1", "kind": "ConfigMap", "name": "", "uid": ""}]}),
    )
    .await;
    assert_eq!(
        message,
        "Widget.widgets.example.io \"w\" is invalid: [metadata.ownerReferences.name: Invalid value: \"\": name must not be empty, metadata.ownerReferences.uid: Invalid value: \"\": uid must not be empty]"
    );
    // Nothing was stored by any of them.
    assert!(
        widgets(&env.client, "default")
            .get_opt("w")
            .await
            .expect("get")
            .is_none()
    );
    // Valid metadata of every kind passes.
    let api = widgets(&env.client, "default");
    let ok: kube::api::DynamicObject = serde_json::from_value(widget_json(
        "ok",
        json!({"labels": {"example.com/app": "web_1"}, "annotations": {"Example.com/Note": "any text at all"},
               "ownerReferences": [{"apiVersion": "v1", "kind": "ConfigMap", "name": "cm", "uid": "u-1"}]}),
    ))
    .expect("object");
    api.create(&PostParams::default(), &ok)
        .await
        .expect("valid metadata");
}

#[tokio::test]
async fn updates_validate_metadata_and_keep_the_uid() {
    let env = Env::new(Transport::InProcess).await;
    let api = widgets(&env.client, "default");
    let created = api
        .create(&PostParams::default(), &widget("w", json!({"size": 1})))
        .await
        .expect("create");
    let uid = created.metadata.uid.clone().expect("uid");

    let status = api_error(
        api.patch(
            "w",
            &PatchParams::default(),
            &Patch::Merge(json!({"metadata": {"uid": "another"}})),
        )
        .await,
    );
    assert_eq!(status.code, 422);
    assert_eq!(
        status.message,
        "Widget.widgets.example.io \"w\" is invalid: metadata.uid: Invalid value: \"another\": field is immutable"
    );
    let status = api_error(
        api.patch(
            "w",
            &PatchParams::default(),
            &Patch::Merge(json!({"metadata": {"labels": {"a/b/c": "x"}}})),
        )
        .await,
    );
    assert_eq!(status.code, 422);
    assert!(
        status.message.contains(
            "metadata.labels: Invalid value: \"a/b/c\": a qualified name must consist of"
        ),
        "{}",
        status.message
    );

    // A PUT without a uid keeps the stored one.
    let mut replacement = api.get("w").await.expect("get");
    replacement.metadata.uid = None;
    let replaced = api
        .replace("w", &PostParams::default(), &replacement)
        .await
        .expect("replace");
    assert_eq!(replaced.metadata.uid.as_deref(), Some(uid.as_str()));

    // managedFields a client writes must be well formed.
    let mut edited = api.get("w").await.expect("get");
    let mut entry = edited
        .metadata
        .managed_fields
        .clone()
        .unwrap_or_default()
        .remove(0);
    entry.operation = Some("Foo".to_owned());
    edited.metadata.managed_fields = Some(vec![entry]);
    let status = api_error(api.replace("w", &PostParams::default(), &edited).await);
    assert_eq!(status.code, 422);
    assert_eq!(
        status.message,
        "Widget.widgets.example.io \"w\" is invalid: metadata.managedFields[0].operation: Invalid value: \"Foo\": must be `Apply` or `Update`"
    );
    let after = api.get("w").await.expect("get");
    assert_eq!(
        after.metadata.resource_version, replaced.metadata.resource_version,
        "nothing written"
    );
}

#[tokio::test]
async fn a_version_on_create_is_refused_as_upstream_does() {
    let env = Env::new(Transport::InProcess).await;
    let (code, status) = send(
        &env,
        Method::POST,
        COLLECTION,
        "application/json",
        widget_json("w", json!({"resourceVersion": "42"})),
    )
    .await;
    // etcd's storage error, which kube-apiserver passes on untranslated: 500, no reason.
    assert_eq!(code, 500, "{status}");
    assert_eq!(
        status["message"],
        "resourceVersion should not be set on objects to be created"
    );
    assert!(status.get("reason").is_none(), "{status}");
    // A version upstream cannot parse, or 0, is ignored.
    let (code, _) = send(
        &env,
        Method::POST,
        COLLECTION,
        "application/json",
        widget_json("w", json!({"resourceVersion": "0"})),
    )
    .await;
    assert_eq!(code, 201);
}

#[tokio::test]
async fn bodies_over_three_mebibytes_are_413() {
    let env = Env::with_server(
        ApiServer::builder().register(&WIDGET_V1).build(),
        Transport::Http,
    )
    .await;
    let body = json!({"apiVersion": "widgets.example.io/v1", "kind": "Widget", "metadata": {"name": "big"},
                      "spec": {"blob": "x".repeat(3 * 1024 * 1024)}});
    let (code, status) = send(&env, Method::POST, COLLECTION, "application/json", body).await;
    assert_eq!(code, 413);
    assert_eq!(status["reason"], "RequestEntityTooLarge");
    assert_eq!(
        status["message"],
        "Request entity too large: limit is 3145728"
    );
}

#[tokio::test]
async fn bad_options_are_refused_before_anything_happens() {
    let env = Env::new(Transport::InProcess).await;
    let api = widgets(&env.client, "default");
    let item = format!("{COLLECTION}/w");

    // dryRun=Foo: refused, and nothing is written.
    let (code, status) = send(
        &env,
        Method::POST,
        &format!("{COLLECTION}?dryRun=Foo"),
        "application/json",
        widget_json("w", json!({})),
    )
    .await;
    assert_eq!(code, 422, "{status}");
    assert_eq!(
        status["message"],
        "CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"Foo\"}: supported values: \"All\""
    );
    assert!(
        api.get_opt("w").await.expect("get").is_none(),
        "dryRun=Foo wrote the object"
    );

    api.create(&PostParams::default(), &widget("w", json!({"size": 1})))
        .await
        .expect("create");
    let (code, status) = send(
        &env,
        Method::PATCH,
        &format!("{item}?force=true"),
        "application/merge-patch+json",
        json!({"spec": {"size": 2}}),
    )
    .await;
    assert_eq!(code, 422);
    assert_eq!(
        status["message"],
        "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch"
    );
    let (code, status) = send(
        &env,
        Method::PATCH,
        &format!("{item}?dryRun=Foo"),
        "application/merge-patch+json",
        json!({"spec": {"size": 3}}),
    )
    .await;
    assert_eq!(code, 422);
    assert!(status["message"].as_str().is_some_and(|m| {
        m.starts_with("PatchOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value")
    }));

    let manager = "m".repeat(129);
    let (code, status) = send(
        &env,
        Method::PUT,
        &format!("{item}?fieldManager={manager}"),
        "application/json",
        json!({}),
    )
    .await;
    assert_eq!(code, 422);
    assert_eq!(
        status["message"],
        "UpdateOptions.meta.k8s.io \"\" is invalid: fieldManager: Too long: must have at most 128 bytes"
    );

    let (code, status) = send(
        &env,
        Method::DELETE,
        &item,
        "application/json",
        json!({"propagationPolicy": "Foo"}),
    )
    .await;
    assert_eq!(code, 422);
    assert_eq!(
        status["message"],
        "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"Foo\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\""
    );
    let (code, _) = send(
        &env,
        Method::DELETE,
        &format!("{item}?dryRun=Foo"),
        "application/json",
        Value::Null,
    )
    .await;
    assert_eq!(code, 422);
    assert_eq!(
        api.get("w").await.expect("still there").spec_size(),
        Some(1)
    );

    let (code, status) = send(
        &env,
        Method::GET,
        &format!("{COLLECTION}?continue=abc&resourceVersion=5"),
        "application/json",
        Value::Null,
    )
    .await;
    assert_eq!(code, 400);
    assert_eq!(
        status["message"],
        "specifying resource version is not allowed when using continue"
    );
    let (code, status) = send(
        &env,
        Method::GET,
        &format!("{COLLECTION}?resourceVersionMatch=NotOlderThan"),
        "application/json",
        Value::Null,
    )
    .await;
    assert_eq!(code, 422);
    assert_eq!(
        status["message"],
        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"
    );
}

trait SpecSize {
    fn spec_size(&self) -> Option<i64>;
}

impl SpecSize for kube::api::DynamicObject {
    fn spec_size(&self) -> Option<i64> {
        self.data["spec"]["size"].as_i64()
    }
}
