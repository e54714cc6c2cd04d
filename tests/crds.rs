//! Generated CustomResourceDefinitions: the marker fixture's CRD matches its golden file byte
//! for byte, and every generated CRD (the fixture's and the examples') is a valid
//! `apiextensions.k8s.io/v1` CustomResourceDefinition as k8s-openapi reads it, losing nothing.

use std::path::{Path, PathBuf};

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate is in the repository")
        .to_path_buf()
}

#[test]
fn every_marker_golden_crd() {
    let fixture = repo().join("tests/crd-markers");
    let tree = kube_codegen::source::read_tree(&fixture).expect("read the fixture");
    let model = match kube_codegen::model::build(&tree) {
        Ok(model) => model,
        Err(errors) => panic!("the fixture is invalid: {errors:?}"),
    };
    assert_eq!(model.crds.len(), 1, "one kind, one CRD");
    let tags = kube_codegen::normalize::default_tags();
    let planned = kube_codegen::generate::generate(&model, &tags).expect("generate");
    let crds: Vec<_> = planned
        .iter()
        .filter(|f| f.path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    assert_eq!(crds.len(), 1);
    for file in crds {
        expectorate::assert_contents(&file.path, &file.contents);
    }
}

fn generated_crds() -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for dir in ["examples/widgets-api/crds", "tests/crd-markers/crds"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join(dir))
            .expect("the CRD directory exists")
            .map(|e| e.expect("a directory entry").path())
            .collect();
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path).expect("read the CRD");
            out.push((path, text));
        }
    }
    assert!(
        out.len() >= 6,
        "expected the examples' five CRDs and the fixture's"
    );
    out
}

/// `value` with every number as a float.
fn floats(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Number(n) => n.as_f64().map_or(Value::Null, Value::from),
        Value::Array(items) => Value::Array(items.into_iter().map(floats).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, floats(v))).collect()),
        other => other,
    }
}

#[test]
fn generated_crds_deserialize_into_k8s_openapi_without_loss() {
    for (path, text) in generated_crds() {
        let as_json: serde_json::Value = serde_saphyr::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not YAML: {e}", path.display()));
        let crd: CustomResourceDefinition = serde_json::from_value(as_json.clone())
            .unwrap_or_else(|e| panic!("{} is not a CRD: {e}", path.display()));
        // Every key survives the typed form: nothing was misspelt or misplaced.
        // (k8s-openapi holds `minimum` and `maximum` as floats: numbers compare as such.)
        let back = serde_json::to_value(&crd).expect("serialize");
        assert_eq!(
            floats(back),
            floats(as_json),
            "{} loses fields as a CRD",
            path.display()
        );

        let spec = &crd.spec;
        assert_eq!(
            crd.metadata.name.as_deref(),
            Some(format!("{}.{}", spec.names.plural, spec.group).as_str())
        );
        assert_eq!(
            spec.versions.iter().filter(|v| v.storage).count(),
            1,
            "{}: exactly one storage version",
            path.display()
        );
        for version in &spec.versions {
            let schema = version
                .schema
                .as_ref()
                .and_then(|s| s.open_api_v3_schema.as_ref())
                .unwrap_or_else(|| panic!("{} {} has no schema", path.display(), version.name));
            assert_eq!(schema.type_.as_deref(), Some("object"));
            let properties = schema.properties.as_ref().expect("root properties");
            for field in ["apiVersion", "kind", "metadata", "spec"] {
                assert!(
                    properties.contains_key(field),
                    "{} lacks {field}",
                    path.display()
                );
            }
        }
    }
}
