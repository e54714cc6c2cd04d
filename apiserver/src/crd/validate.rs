//! The checks kube-apiserver's CRD strategy makes before storing a CRD (a subset of upstream's
//! `ValidateCustomResourceDefinition`: the ones that decide whether the CRD can be served),
//! and its defaulting.

use serde_json::{Value, json};

use super::convert;
use crate::definition::ResourceDefinition;
use crate::registry::validation::validate_label;
use crate::status::{FieldError, go_quote};

/// The annotation a CRD in a `*.k8s.io` / `*.kubernetes.io` group must carry.
const APPROVAL: &str = "api-approved.kubernetes.io";

/// What upstream defaults on a v1 CRD: `conversion.strategy: None`, and in `names`
/// `singular` and `listKind`.
pub(crate) fn default(obj: &mut Value) {
    let Some(Value::Object(spec)) = obj.get_mut("spec") else {
        return;
    };
    if !spec.contains_key("conversion") {
        spec.insert("conversion".to_owned(), json!({"strategy": "None"}));
    }
    if let Some(Value::Object(names)) = spec.get_mut("names") {
        let kind = names
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        if !kind.is_empty() {
            let empty = |v: Option<&Value>| v.and_then(Value::as_str).is_none_or(str::is_empty);
            if empty(names.get("singular")) {
                names.insert("singular".to_owned(), json!(kind.to_lowercase()));
            }
            if empty(names.get("listKind")) {
                names.insert("listKind".to_owned(), json!(format!("{kind}List")));
            }
        }
    }
}

/// The CRD strategy's checks when `def` is the CRD kind (`old`: the stored CRD an update
/// replaces); nothing for other kinds.
pub(crate) fn admit(def: &ResourceDefinition, old: Option<&Value>, obj: &Value) -> Vec<FieldError> {
    if !super::is_crd_kind(def) {
        return Vec::new();
    }
    let mut errors = validate(obj);
    if let Some(old) = old {
        errors.extend(validate_update(old, obj));
    }
    errors
}

/// What an update may not change (upstream's `validateCustomResourceDefinitionSpecUpdate`):
/// group and plural never, scope and kind once established (they shape the storage), and
/// every version in `status.storedVersions` must stay in `spec.versions`.
fn validate_update(old: &Value, new: &Value) -> Vec<FieldError> {
    let text = |obj: &Value, pointer: &str| {
        obj.pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let established = old
        .pointer("/status/conditions")
        .and_then(Value::as_array)
        .is_some_and(|c| {
            c.iter()
                .any(|c| c["type"] == "Established" && c["status"] == "True")
        });
    let mut immutable = vec![
        ("spec.group", "/spec/group"),
        ("spec.names.plural", "/spec/names/plural"),
    ];
    if established {
        immutable.push(("spec.scope", "/spec/scope"));
        immutable.push(("spec.names.kind", "/spec/names/kind"));
    }
    // Upstream checks scope and kind before group and plural.
    immutable.sort_by_key(|(field, _)| match *field {
        "spec.scope" => 0,
        "spec.names.kind" => 1,
        "spec.group" => 2,
        _ => 3,
    });
    let mut errors = Vec::new();
    for (field, pointer) in immutable {
        let now = text(new, pointer);
        if now != text(old, pointer) {
            errors.push(FieldError::invalid(field, &now, "field is immutable"));
        }
    }
    let versions: Vec<String> = new
        .pointer("/spec/versions")
        .and_then(Value::as_array)
        .map(|v| {
            v.iter()
                .filter_map(|v| v["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let stored = new
        .pointer("/status/storedVersions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (i, version) in stored.iter().enumerate() {
        let version = version.as_str().unwrap_or("");
        if !versions.iter().any(|v| v == version) {
            errors.push(FieldError::invalid(
                &format!("status.storedVersions[{i}]"),
                version,
                "must appear in spec.versions",
            ));
        }
    }
    errors
}

/// The reasons `obj` (a CRD about to be stored) cannot be served; empty when it can.
pub(crate) fn validate(obj: &Value) -> Vec<FieldError> {
    let crd = match convert::parse(obj) {
        Ok(crd) => crd,
        // A body that is not a CRD at all (a missing `spec.group`, a string for a list).
        Err(e) => return vec![FieldError::invalid_repr("spec", "{...}", &e)],
    };
    let spec = &crd.spec;
    let mut errors = Vec::new();
    let name = crd.metadata.name.as_deref().unwrap_or("");
    let protected = spec.group == "k8s.io"
        || spec.group.ends_with(".k8s.io")
        || spec.group == "kubernetes.io"
        || spec.group.ends_with(".kubernetes.io");
    let approved = crd
        .metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key(APPROVAL));
    if protected && !approved {
        errors.push(FieldError::required(
            &format!("metadata.annotations[{APPROVAL}]"),
            &format!("protected groups must have approval annotation \"{APPROVAL}\", see https://github.com/kubernetes/enhancements/pull/1111"),
        ));
    }
    if spec.group.is_empty() {
        errors.push(FieldError::required("spec.group", ""));
    } else if !spec.group.contains('.') {
        errors.push(FieldError::invalid(
            "spec.group",
            &spec.group,
            "should be a domain with at least one dot",
        ));
    }
    let names = &spec.names;
    if names.plural.is_empty() {
        errors.push(FieldError::required("spec.names.plural", ""));
    } else {
        errors.extend(validate_label("spec.names.plural", &names.plural));
    }
    if let Some(singular) = names.singular.as_deref().filter(|s| !s.is_empty()) {
        errors.extend(validate_label("spec.names.singular", singular));
    }
    if names.kind.is_empty() {
        errors.push(FieldError::required("spec.names.kind", ""));
    }
    for (i, short) in names.short_names.iter().flatten().enumerate() {
        errors.extend(validate_label(
            &format!("spec.names.shortNames[{i}]"),
            short,
        ));
    }
    if !name.is_empty() && name != format!("{}.{}", names.plural, spec.group) {
        errors.push(FieldError::invalid(
            "metadata.name",
            name,
            "must be spec.names.plural+\".\"+spec.group",
        ));
    }
    if spec.scope != "Cluster" && spec.scope != "Namespaced" {
        errors.push(FieldError::not_supported(
            "spec.scope",
            &go_quote(&spec.scope),
            &["Cluster", "Namespaced"],
        ));
    }
    errors.extend(versions(obj, &crd.spec.versions));
    errors
}

fn versions(
    obj: &Value,
    versions: &[k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinitionVersion],
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    // Upstream prints the versions with Go's `%#v`; the JSON says the same.
    let repr = obj
        .pointer("/spec/versions")
        .map(Value::to_string)
        .unwrap_or_else(|| "null".to_owned());
    if versions.is_empty() {
        errors.push(FieldError::invalid_repr(
            "spec.versions",
            &repr,
            "must have exactly one version marked as storage version",
        ));
        return errors;
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, version) in versions.iter().enumerate() {
        let path = format!("spec.versions[{i}]");
        errors.extend(validate_label(&format!("{path}.name"), &version.name));
        if seen.contains(&version.name.as_str()) {
            errors.push(FieldError::invalid_repr(
                "spec.versions",
                &repr,
                "must contain unique version names",
            ));
        }
        seen.push(&version.name);
        let schema_path = format!("{path}.schema.openAPIV3Schema");
        match obj.pointer(&format!("/spec/versions/{i}/schema/openAPIV3Schema")) {
            None | Some(Value::Null) => {
                errors.push(FieldError::required(&schema_path, "schemas are required"));
            }
            Some(schema) => match schema.get("type").and_then(Value::as_str) {
                None | Some("") => errors.push(FieldError::required(
                    &format!("{schema_path}.type"),
                    "must not be empty at the root",
                )),
                Some("object") => {}
                Some(other) => errors.push(FieldError::invalid(
                    &format!("{schema_path}.type"),
                    other,
                    "must be object at the root",
                )),
            },
        }
    }
    let storage = versions.iter().filter(|v| v.storage).count();
    if storage != 1 {
        errors.push(FieldError::invalid_repr(
            "spec.versions",
            &repr,
            "must have exactly one version marked as storage version",
        ));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crd(name: &str, versions: Value) -> Value {
        json!({
            "metadata": {"name": name},
            "spec": {
                "group": "example.io",
                "scope": "Namespaced",
                "names": {"plural": "widgets", "kind": "Widget"},
                "versions": versions,
            }
        })
    }

    fn v(name: &str, storage: bool) -> Value {
        json!({"name": name, "served": true, "storage": storage,
               "schema": {"openAPIV3Schema": {"type": "object"}}})
    }

    fn fields(errors: &[FieldError]) -> Vec<String> {
        errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect()
    }

    #[test]
    fn a_well_formed_crd_passes() {
        assert_eq!(
            fields(&validate(&crd(
                "widgets.example.io",
                json!([v("v1", true), v("v2", false)])
            ))),
            Vec::<String>::new()
        );
    }

    #[test]
    fn name_storage_and_schema_are_checked() {
        let errors = fields(&validate(&crd("widgets", json!([v("v1", false)]))));
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(
            errors[0],
            "metadata.name: Invalid value: \"widgets\": must be spec.names.plural+\".\"+spec.group"
        );
        assert!(errors[1].ends_with("must have exactly one version marked as storage version"));
        let errors = fields(&validate(&crd("widgets.example.io", json!([]))));
        assert_eq!(errors.len(), 1);
        let mut no_schema = v("v1", true);
        no_schema["schema"] = Value::Null;
        let errors = fields(&validate(&crd("widgets.example.io", json!([no_schema]))));
        assert_eq!(
            errors,
            vec!["spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required"]
        );
        let mut bad_scope = crd("widgets.example.io", json!([v("v1", true)]));
        bad_scope["spec"]["scope"] = json!("Galaxy");
        assert_eq!(
            fields(&validate(&bad_scope)),
            vec![
                "spec.scope: Unsupported value: \"Galaxy\": supported values: \"Cluster\", \"Namespaced\""
            ]
        );
    }

    #[test]
    fn updates_keep_group_plural_and_once_established_scope() {
        let mut old = crd("widgets.example.io", json!([v("v1", true), v("v2", false)]));
        old["status"] = json!({
            "conditions": [{"type": "Established", "status": "True"}],
            "storedVersions": ["v1", "v2"],
        });
        let mut new = old.clone();
        new["spec"]["scope"] = json!("Cluster");
        new["spec"]["versions"] = json!([v("v1", true)]);
        assert_eq!(
            fields(&validate_update(&old, &new)),
            vec![
                "spec.scope: Invalid value: \"Cluster\": field is immutable",
                "status.storedVersions[1]: Invalid value: \"v2\": must appear in spec.versions",
            ]
        );
        old["status"] = json!({});
        let mut renamed = old.clone();
        renamed["spec"]["scope"] = json!("Cluster");
        renamed["spec"]["group"] = json!("other.io");
        assert_eq!(
            fields(&validate_update(&old, &renamed)),
            vec!["spec.group: Invalid value: \"other.io\": field is immutable"]
        );
    }

    #[test]
    fn protected_groups_need_approval() {
        let mut obj = crd("widgets.apps.k8s.io", json!([v("v1", true)]));
        obj["spec"]["group"] = json!("apps.k8s.io");
        assert_eq!(
            fields(&validate(&obj)),
            vec![
                "metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval annotation \"api-approved.kubernetes.io\", see https://github.com/kubernetes/enhancements/pull/1111"
            ]
        );
        obj["metadata"]["annotations"] =
            json!({"api-approved.kubernetes.io": "unapproved, testing only"});
        assert!(validate(&obj).is_empty());
    }

    #[test]
    fn defaults_fill_names_and_conversion() {
        let mut obj = crd("widgets.example.io", json!([v("v1", true)]));
        default(&mut obj);
        assert_eq!(obj["spec"]["names"]["singular"], "widget");
        assert_eq!(obj["spec"]["names"]["listKind"], "WidgetList");
        assert_eq!(obj["spec"]["conversion"]["strategy"], "None");
    }
}
