//! CustomResourceDefinitions through kube's client: creating one serves its kinds (discovery,
//! CRUD, subresources, printer columns, deprecation warnings), the server checks it as
//! upstream does, deleting it takes its kinds and objects away; and the builder's
//! `crds_from_dir` / `crd`.

mod common;

use common::*;
use http::Request;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, DeleteParams, DynamicObject, Patch, PatchParams, PostParams};
use kube::discovery::Discovery;
use kube_codegen_apiserver::ApiServer;
use serde_json::{Value, json};

const GADGETS: &str = "gadgets.crd.example.io";

fn gadget_crd(name: &str) -> CustomResourceDefinition {
    serde_json::from_value(json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": name},
        "spec": {
            "group": "crd.example.io",
            "scope": "Namespaced",
            "names": {"plural": "gadgets", "kind": "Gadget", "shortNames": ["gd"], "categories": ["all"]},
            "versions": [
                {"name": "v1", "served": true, "storage": true,
                 "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                     "spec": {"type": "object", "description": "What the gadget should be.", "properties": {
                         "size": {"type": "integer", "description": "How big the gadget is."},
                         "replicas": {"type": "integer"}}},
                     "status": {"type": "object", "properties": {"replicas": {"type": "integer"}}}}}},
                 "subresources": {"status": {}, "scale": {"specReplicasPath": ".spec.replicas", "statusReplicasPath": ".status.replicas"}},
                 "additionalPrinterColumns": [{"name": "Size", "type": "integer", "jsonPath": ".spec.size"}]},
                {"name": "v1beta1", "served": true, "storage": false, "deprecated": true,
                 "deprecationWarning": "crd.example.io/v1beta1 Gadget is going away",
                 "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}
            ]
        }
    }))
    .expect("a CRD")
}

fn gadgets(client: &kube::Client, version: &str) -> Api<DynamicObject> {
    Api::namespaced_with(
        client.clone(),
        "default",
        &resource("crd.example.io", version, "Gadget", "gadgets"),
    )
}

fn gadget(name: &str, size: i64) -> DynamicObject {
    DynamicObject::new(name, &resource("crd.example.io", "v1", "Gadget", "gadgets"))
        .data(json!({"spec": {"size": size, "replicas": 1}}))
}

/// A raw GET through the in-process service: status, `Warning` header, JSON body.
async fn raw_get(server: &ApiServer, path: &str, accept: &str) -> (u16, Option<String>, Value) {
    let request = Request::get(path)
        .header("accept", accept)
        .body(http_body_util::Empty::<bytes::Bytes>::new())
        .expect("request");
    let response = server.service().handle(request).await;
    let status = response.status().as_u16();
    let warning = response
        .headers()
        .get("warning")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("body")
        .to_bytes();
    (
        status,
        warning,
        serde_json::from_slice(&body).unwrap_or(Value::Null),
    )
}

fn condition<'a>(crd: &'a CustomResourceDefinition, type_: &str) -> Option<&'a str> {
    crd.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == type_)
        .map(|c| c.status.as_str())
}

#[tokio::test]
async fn creating_a_crd_serves_its_kinds_and_deleting_it_removes_them() {
    let env = Env::new(Transport::InProcess).await;
    let crds: Api<CustomResourceDefinition> = Api::all(env.client.clone());
    crds.create(&PostParams::default(), &gadget_crd(GADGETS))
        .await
        .expect("create CRD");

    let stored = crds.get(GADGETS).await.expect("get CRD");
    assert_eq!(condition(&stored, "Established"), Some("True"));
    assert_eq!(condition(&stored, "NamesAccepted"), Some("True"));
    let accepted = stored
        .status
        .as_ref()
        .and_then(|s| s.accepted_names.clone());
    assert_eq!(
        accepted.map(|n| (n.plural, n.singular, n.list_kind)),
        Some((
            "gadgets".to_owned(),
            Some("gadget".to_owned()),
            Some("GadgetList".to_owned())
        ))
    );
    assert_eq!(
        stored.spec.names.singular.as_deref(),
        Some("gadget"),
        "defaulted"
    );

    // Discovery serves the new group at once, both versions, the CRD kind itself too.
    let discovery = Discovery::new(env.client.clone())
        .run()
        .await
        .expect("discovery");
    let group = discovery
        .get("crd.example.io")
        .expect("the CRD's group is discovered");
    assert_eq!(group.preferred_version(), Some("v1"));
    let (found, caps) = group
        .recommended_resources()
        .into_iter()
        .find(|(r, _)| r.plural == "gadgets")
        .expect("gadgets discovered");
    assert_eq!(found.kind, "Gadget");
    assert!(caps.subresources.iter().any(|(r, _)| r.plural == "scale"));
    assert!(discovery.get("apiextensions.k8s.io").is_some());
    assert!(discovery.get(GROUP).is_some(), "registered kinds coexist");

    // CRUD, status and scale of the new kind.
    let api = gadgets(&env.client, "v1");
    api.create(&PostParams::default(), &gadget("g1", 3))
        .await
        .expect("create a gadget");
    let scale = api.get_scale("g1").await.expect("scale subresource");
    assert_eq!(scale.spec.and_then(|s| s.replicas), Some(1));
    api.patch_status(
        "g1",
        &PatchParams::default(),
        &Patch::Merge(json!({"status": {"replicas": 1}})),
    )
    .await
    .expect("status subresource");

    // Printer columns in the Table form kubectl asks for.
    let (code, _, table) = raw_get(
        &env.server,
        "/apis/crd.example.io/v1/namespaces/default/gadgets",
        "application/json;as=Table;v=v1;g=meta.k8s.io",
    )
    .await;
    assert_eq!(code, 200);
    let headers: Vec<&str> = table["columnDefinitions"]
        .as_array()
        .map(|c| c.iter().filter_map(|c| c["name"].as_str()).collect())
        .unwrap_or_default();
    assert!(headers.contains(&"Size"), "{table}");
    assert_eq!(table["rows"][0]["cells"][1], 3, "{table}");

    // The deprecated version warns, with the CRD's text; v1 does not.
    let (code, warning, _) = raw_get(
        &env.server,
        "/apis/crd.example.io/v1beta1/namespaces/default/gadgets/g1",
        "application/json",
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(
        warning.as_deref(),
        Some("299 - \"crd.example.io/v1beta1 Gadget is going away\"")
    );
    let (_, warning, _) = raw_get(
        &env.server,
        "/apis/crd.example.io/v1/namespaces/default/gadgets/g1",
        "application/json",
    )
    .await;
    assert_eq!(warning, None);

    crds.delete(GADGETS, &DeleteParams::default())
        .await
        .expect("delete CRD");
    let err = api_error(api.get("g1").await);
    assert_eq!(err.code, 404);
    let (code, _, _) = raw_get(&env.server, "/apis/crd.example.io", "application/json").await;
    assert_eq!(code, 404, "the group is gone from discovery");
    assert!(
        env.server
            .definitions()
            .iter()
            .all(|d| d.group != "crd.example.io")
    );

    // Re-created, the kind starts empty: the objects went with the CRD.
    crds.create(&PostParams::default(), &gadget_crd(GADGETS))
        .await
        .expect("re-create CRD");
    let list = api.list(&Default::default()).await.expect("list gadgets");
    assert!(list.items.is_empty());
    // Registered kinds were never touched.
    widgets(&env.client, "default")
        .list(&Default::default())
        .await
        .expect("registered kinds still served");
}

#[tokio::test]
async fn server_side_apply_and_updates_of_a_crd_change_what_is_served() {
    let env = Env::new(Transport::InProcess).await;
    let crds: Api<CustomResourceDefinition> = Api::all(env.client.clone());
    let mut crd = gadget_crd(GADGETS);
    crd.spec.versions.truncate(1);
    crds.patch(
        GADGETS,
        &PatchParams::apply("test"),
        &Patch::Apply(serde_json::to_value(&crd).expect("json")),
    )
    .await
    .expect("apply CRD");
    assert!(
        env.server
            .definitions()
            .iter()
            .any(|d| d.group == "crd.example.io" && d.version == "v1" && d.status)
    );
    // A second version, with the status subresource off.
    let mut v2 = crd.spec.versions[0].clone();
    v2.name = "v2".to_owned();
    v2.storage = false;
    v2.subresources = None;
    crd.spec.versions.push(v2);
    crds.patch(
        GADGETS,
        &PatchParams::apply("test"),
        &Patch::Apply(serde_json::to_value(&crd).expect("json")),
    )
    .await
    .expect("re-apply CRD");
    let served: Vec<(String, bool)> = env
        .server
        .definitions()
        .into_iter()
        .filter(|d| d.group == "crd.example.io")
        .map(|d| (d.version, d.status))
        .collect();
    assert_eq!(
        served,
        vec![("v1".to_owned(), true), ("v2".to_owned(), false)]
    );
    gadgets(&env.client, "v2")
        .create(
            &PostParams::default(),
            &DynamicObject::new("g1", &resource("crd.example.io", "v2", "Gadget", "gadgets")),
        )
        .await
        .expect("create at v2");

    // An established CRD keeps its scope; its served versions stay as they were.
    let mut cluster = crd.clone();
    cluster.spec.scope = "Cluster".to_owned();
    let err = api_error(
        crds.patch(
            GADGETS,
            &PatchParams::apply("test"),
            &Patch::Apply(serde_json::to_value(&cluster).expect("json")),
        )
        .await,
    );
    assert_eq!(err.code, 422);
    assert!(
        err.message
            .contains("spec.scope: Invalid value: \"Cluster\": field is immutable"),
        "{}",
        err.message
    );
    assert!(
        env.server
            .definitions()
            .iter()
            .filter(|d| d.group == "crd.example.io")
            .all(|d| d.namespaced)
    );
    // v2 was never the storage version (not in storedVersions): it may go.
    crd.spec.versions.truncate(1);
    crds.patch(
        GADGETS,
        &PatchParams::apply("test"),
        &Patch::Apply(serde_json::to_value(&crd).expect("json")),
    )
    .await
    .expect("v2 was never the storage version");
    assert!(
        env.server
            .definitions()
            .iter()
            .all(|d| !(d.group == "crd.example.io" && d.version == "v2"))
    );
    gadgets(&env.client, "v1")
        .get("g1")
        .await
        .expect("the objects stay: v1 serves the same storage");

    // No version served: the kind is not served, but its objects are kept for when it is.
    crd.spec.versions[0].served = false;
    let apply = |crd: &CustomResourceDefinition| {
        let body = serde_json::to_value(crd).expect("json");
        let crds = crds.clone();
        async move {
            crds.patch(GADGETS, &PatchParams::apply("test"), &Patch::Apply(body))
                .await
                .expect("apply CRD")
        }
    };
    apply(&crd).await;
    assert_eq!(
        api_error(gadgets(&env.client, "v1").get("g1").await).code,
        404
    );
    assert!(
        env.server
            .definitions()
            .iter()
            .all(|d| d.group != "crd.example.io")
    );
    crd.spec.versions[0].served = true;
    apply(&crd).await;
    gadgets(&env.client, "v1")
        .get("g1")
        .await
        .expect("served again, with its objects");
}

#[tokio::test]
async fn invalid_crds_are_refused_with_causes() {
    let env = Env::new(Transport::InProcess).await;
    let crds: Api<CustomResourceDefinition> = Api::all(env.client.clone());
    let mut crd = gadget_crd("gadgets.wrong.io");
    crd.spec.versions[1].storage = true;
    let err = api_error(crds.create(&PostParams::default(), &crd).await);
    assert_eq!((err.code, err.reason.as_str()), (422, "Invalid"));
    let causes: Vec<String> = err
        .details
        .map(|d| d.causes)
        .unwrap_or_default()
        .into_iter()
        .map(|c| format!("{}: {}", c.field, c.message))
        .collect();
    assert_eq!(causes.len(), 2, "{causes:?}");
    assert_eq!(
        causes[0],
        "metadata.name: Invalid value: \"gadgets.wrong.io\": must be spec.names.plural+\".\"+spec.group"
    );
    assert!(
        causes[1].starts_with("spec.versions: Invalid value:")
            && causes[1].ends_with("must have exactly one version marked as storage version"),
        "{causes:?}"
    );
    let mut crd = gadget_crd(GADGETS);
    crd.spec.versions.clear();
    assert_eq!(
        api_error(crds.create(&PostParams::default(), &crd).await).code,
        422
    );
    assert!(
        env.server
            .definitions()
            .iter()
            .all(|d| d.group != "crd.example.io")
    );

    // An update is checked too, and a refused one leaves the served kinds as they were.
    crds.create(&PostParams::default(), &gadget_crd(GADGETS))
        .await
        .expect("create CRD");
    let err = api_error(
        crds.patch(
            GADGETS,
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"scope": "Galaxy"}})),
        )
        .await,
    );
    assert_eq!(err.code, 422);
    assert!(
        env.server
            .definitions()
            .iter()
            .any(|d| d.group == "crd.example.io")
    );
}

fn manifest_dir(files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    dir
}

fn crd_yaml(plural: &str, kind: &str) -> String {
    format!(
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: {plural}.files.example.io\nspec:\n  group: files.example.io\n  scope: Cluster\n  names:\n    plural: {plural}\n    kind: {kind}\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        type: object\n"
    )
}

#[tokio::test]
async fn crds_from_dir_serves_every_manifest() {
    let dir = manifest_dir(&[
        (
            "both.yaml",
            format!(
                "{}---\n{}",
                crd_yaml("alphas", "Alpha"),
                crd_yaml("betas", "Beta")
            ),
        ),
        ("gammas.yml", crd_yaml("gammas", "Gamma")),
        (
            "deltas.json",
            serde_json::to_string(
                &serde_saphyr::from_str::<Value>(&crd_yaml("deltas", "Delta")).expect("yaml"),
            )
            .expect("json"),
        ),
        ("README.md", "not a manifest".to_owned()),
    ]);
    let server = ApiServer::builder()
        .crds_from_dir(dir.path())
        .expect("load CRDs")
        .crd(&gadget_crd(GADGETS))
        .expect("one more CRD")
        .build();
    let mut plurals: Vec<String> = server
        .definitions()
        .into_iter()
        .filter(|d| d.group.ends_with("example.io"))
        .map(|d| d.plural)
        .collect();
    plurals.sort();
    assert_eq!(
        plurals,
        ["alphas", "betas", "deltas", "gadgets", "gadgets", "gammas"]
    );
    let client = server.client();
    let crds: Api<CustomResourceDefinition> = Api::all(client.clone());
    let stored = crds
        .get("alphas.files.example.io")
        .await
        .expect("stored CRD");
    assert_eq!(condition(&stored, "Established"), Some("True"));
    let alphas: Api<DynamicObject> = Api::all_with(
        client,
        &resource("files.example.io", "v1", "Alpha", "alphas"),
    );
    alphas
        .create(
            &PostParams::default(),
            &DynamicObject::new("a1", &resource("files.example.io", "v1", "Alpha", "alphas")),
        )
        .await
        .expect("create an Alpha");
}

#[test]
fn crds_from_dir_names_the_bad_file() {
    let dir = manifest_dir(&[
        ("a-good.yaml", crd_yaml("alphas", "Alpha")),
        (
            "b-bad.yaml",
            format!(
                "{}---\n{}",
                crd_yaml("betas", "Beta"),
                crd_yaml("betas", "Beta").replace("storage: true", "storage: false")
            ),
        ),
    ]);
    let err = ApiServer::builder()
        .crds_from_dir(dir.path())
        .expect_err("b-bad.yaml is refused");
    assert_eq!(err.path(), Some(dir.path().join("b-bad.yaml").as_path()));
    assert_eq!(err.document(), Some(2));
    assert!(
        err.to_string()
            .ends_with("must have exactly one version marked as storage version"),
        "{err}"
    );

    let dir = manifest_dir(&[("broken.yaml", "apiVersion: [unclosed\n".to_owned())]);
    let err = ApiServer::builder()
        .crds_from_dir(dir.path())
        .expect_err("broken YAML");
    assert_eq!(err.path(), Some(dir.path().join("broken.yaml").as_path()));
    assert!(err.to_string().contains("invalid YAML"), "{err}");

    let dir = manifest_dir(&[(
        "cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n".to_owned(),
    )]);
    let err = ApiServer::builder()
        .crds_from_dir(dir.path())
        .expect_err("not a CRD");
    assert!(
        err.to_string()
            .contains("not a apiextensions.k8s.io/v1 CustomResourceDefinition"),
        "{err}"
    );

    let dir = manifest_dir(&[
        ("one.yaml", crd_yaml("alphas", "Alpha")),
        ("two.yaml", crd_yaml("alphas", "Alpha")),
    ]);
    let err = ApiServer::builder()
        .crds_from_dir(dir.path())
        .expect_err("a CRD twice");
    assert_eq!(err.path(), Some(dir.path().join("two.yaml").as_path()));
    assert!(
        err.to_string().contains("is already defined by ")
            && err.to_string().contains("one.yaml (document 1)"),
        "{err}"
    );

    let err = ApiServer::builder()
        .crds_from_dir(dir.path().join("missing"))
        .expect_err("no such directory");
    assert!(
        err.to_string().contains("cannot read the directory"),
        "{err}"
    );
}

#[tokio::test]
async fn openapi_publishes_the_crd_schemas() {
    let env = Env::new(Transport::InProcess).await;
    let crds: Api<CustomResourceDefinition> = Api::all(env.client.clone());
    crds.create(&PostParams::default(), &gadget_crd(GADGETS))
        .await
        .expect("create CRD");

    let (code, _, v2) = raw_get(&env.server, "/openapi/v2", "application/json").await;
    assert_eq!(code, 200);
    let gadget = &v2["definitions"]["io.example.crd.v1.Gadget"];
    assert_eq!(
        gadget["x-kubernetes-group-version-kind"],
        json!([{"group": "crd.example.io", "kind": "Gadget", "version": "v1"}])
    );
    assert_eq!(
        gadget["properties"]["spec"]["properties"]["size"]["description"],
        "How big the gadget is."
    );
    assert_eq!(
        gadget["properties"]["metadata"]["$ref"],
        "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
    );
    // Registered kinds without a schema are published permissive.
    assert_eq!(
        v2["definitions"]["io.example.widgets.v1.Widget"]["x-kubernetes-preserve-unknown-fields"],
        true
    );

    let (code, _, index) = raw_get(&env.server, "/openapi/v3", "application/json").await;
    assert_eq!(code, 200);
    let url = index["paths"]["apis/crd.example.io/v1"]["serverRelativeURL"]
        .as_str()
        .expect("the CRD's group-version is indexed")
        .to_owned();
    assert!(
        url.starts_with("/openapi/v3/apis/crd.example.io/v1?hash="),
        "{url}"
    );
    let (code, _, doc) = raw_get(&env.server, &url, "application/json").await;
    assert_eq!(code, 200);
    assert_eq!(doc["openapi"], "3.0.0");
    assert_eq!(
        doc["components"]["schemas"]["io.example.crd.v1.Gadget"]["properties"]["spec"]["description"],
        "What the gadget should be."
    );
    let item = &doc["paths"]["/apis/crd.example.io/v1/namespaces/{namespace}/gadgets/{name}"];
    assert_eq!(
        item["get"]["x-kubernetes-group-version-kind"]["kind"],
        "Gadget"
    );

    // A changed CRD changes the document and its hash; a deleted one leaves the index.
    let mut changed = gadget_crd(GADGETS);
    changed.metadata.resource_version = crds
        .get(GADGETS)
        .await
        .expect("get")
        .metadata
        .resource_version;
    changed.spec.versions[0].additional_printer_columns = None;
    if let Some(schema) = changed.spec.versions[0]
        .schema
        .as_mut()
        .and_then(|s| s.open_api_v3_schema.as_mut())
    {
        schema.description = Some("Gadgets, revised.".to_owned());
    }
    crds.replace(GADGETS, &PostParams::default(), &changed)
        .await
        .expect("replace CRD");
    let (_, _, index) = raw_get(&env.server, "/openapi/v3", "application/json").await;
    let new_url = index["paths"]["apis/crd.example.io/v1"]["serverRelativeURL"]
        .as_str()
        .unwrap_or("")
        .to_owned();
    assert_ne!(new_url, url);
    let (_, _, doc) = raw_get(&env.server, &new_url, "application/json").await;
    assert_eq!(
        doc["components"]["schemas"]["io.example.crd.v1.Gadget"]["description"],
        "Gadgets, revised."
    );
    crds.delete(GADGETS, &DeleteParams::default())
        .await
        .expect("delete CRD");
    let (_, _, index) = raw_get(&env.server, "/openapi/v3", "application/json").await;
    assert!(index["paths"]["apis/crd.example.io/v1"].is_null());
    let (code, _, _) = raw_get(
        &env.server,
        "/openapi/v3/apis/crd.example.io/v1",
        "application/json",
    )
    .await;
    assert_eq!(code, 404);
}
