//! What a CRD object means for the server: one [`ResourceDefinition`] per served version.

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::{
    CustomResourceDefinition, CustomResourceDefinitionNames,
};
use serde_json::{Value, json};

use crate::definition::{PrinterColumn, ResourceDefinition, ScaleSpec};

/// The object as k8s-openapi's type. Stored objects carry no `apiVersion`/`kind`; they are
/// put in first.
pub(crate) fn parse(obj: &Value) -> Result<CustomResourceDefinition, String> {
    let mut typed = obj.clone();
    if let Value::Object(map) = &mut typed {
        map.insert(
            "apiVersion".to_owned(),
            json!(format!("{}/{}", super::GROUP, super::VERSION)),
        );
        map.insert("kind".to_owned(), json!(super::KIND));
    }
    serde_json::from_value(typed).map_err(|e| e.to_string())
}

/// The names a CRD's kinds are served under, defaulted as upstream defaults them
/// (`singular`: the lower-cased kind; `listKind`: `<Kind>List`).
pub(crate) fn accepted_names(
    names: &CustomResourceDefinitionNames,
) -> CustomResourceDefinitionNames {
    let mut accepted = names.clone();
    if accepted.singular.as_deref().unwrap_or("").is_empty() {
        accepted.singular = Some(names.kind.to_lowercase());
    }
    if accepted.list_kind.as_deref().unwrap_or("").is_empty() {
        accepted.list_kind = Some(format!("{}List", names.kind));
    }
    accepted
}

/// The definitions of the CRD's served versions, in the CRD's order. `obj` is the stored
/// (JSON) object: schemas are taken from it as they are, not through the typed form.
pub(crate) fn definitions(obj: &Value) -> Result<Vec<ResourceDefinition>, String> {
    let crd = parse(obj)?;
    let spec = &crd.spec;
    let names = accepted_names(&spec.names);
    let raw_versions = obj
        .pointer("/spec/versions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut out = Vec::new();
    for (version, raw) in spec.versions.iter().zip(raw_versions.iter()) {
        if !version.served {
            continue;
        }
        let mut def =
            ResourceDefinition::new(&spec.group, &version.name, &names.kind, &names.plural)
                .with_singular(names.singular.as_deref().unwrap_or(""));
        if spec.scope == "Cluster" {
            def = def.cluster_scoped();
        }
        for short in names.short_names.iter().flatten() {
            def = def.with_short_name(short);
        }
        for category in names.categories.iter().flatten() {
            def = def.with_category(category);
        }
        if let Some(sub) = &version.subresources {
            if sub.status.is_some() {
                def = def.with_status();
            }
            if let Some(scale) = &sub.scale {
                def = def.with_scale(ScaleSpec {
                    spec_replicas_path: scale.spec_replicas_path.clone(),
                    status_replicas_path: scale.status_replicas_path.clone(),
                    label_selector_path: scale.label_selector_path.clone(),
                });
            }
        }
        for column in version.additional_printer_columns.iter().flatten() {
            let mut printer = PrinterColumn::new(&column.name, &column.type_, &column.json_path)
                .with_priority(column.priority.unwrap_or(0));
            printer.description = column.description.clone().unwrap_or_default();
            printer.format = column.format.clone().unwrap_or_default();
            def = def.with_printer_column(printer);
        }
        if let Some(schema) = raw.pointer("/schema/openAPIV3Schema") {
            def = def.with_schema(schema.clone());
        }
        if version.deprecated == Some(true) {
            // kube-apiserver's default text when the CRD gives none.
            let text = version
                .deprecation_warning
                .clone()
                .filter(|w| !w.is_empty())
                .unwrap_or_else(|| {
                    format!(
                        "{}/{} {} is deprecated",
                        spec.group, version.name, names.kind
                    )
                });
            def = def.with_deprecation_warning(&text);
        }
        out.push(def);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widgets() -> Value {
        json!({
            "metadata": {"name": "widgets.example.io"},
            "spec": {
                "group": "example.io",
                "scope": "Namespaced",
                "names": {"plural": "widgets", "kind": "Widget", "shortNames": ["wd"], "categories": ["all"]},
                "versions": [
                    {"name": "v1", "served": true, "storage": true,
                     "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}},
                     "subresources": {"status": {}, "scale": {"specReplicasPath": ".spec.replicas", "statusReplicasPath": ".status.replicas", "labelSelectorPath": ".status.selector"}},
                     "additionalPrinterColumns": [{"name": "Size", "type": "integer", "jsonPath": ".spec.size", "description": "how big", "priority": 1}]},
                    {"name": "v1beta1", "served": true, "storage": false, "deprecated": true,
                     "schema": {"openAPIV3Schema": {"type": "object"}}},
                    {"name": "v1alpha1", "served": false, "storage": false,
                     "schema": {"openAPIV3Schema": {"type": "object"}}}
                ]
            }
        })
    }

    #[test]
    fn every_served_version_becomes_a_definition() {
        let defs = definitions(&widgets()).unwrap_or_default();
        assert_eq!(defs.len(), 2, "v1alpha1 is not served");
        let v1 = &defs[0];
        assert_eq!(v1.api_version(), "example.io/v1");
        assert_eq!(
            (v1.singular.as_str(), v1.namespaced, v1.status),
            ("widget", true, true)
        );
        assert_eq!(v1.short_names, vec!["wd".to_owned()]);
        assert_eq!(v1.categories, vec!["all".to_owned()]);
        assert_eq!(
            v1.scale
                .as_ref()
                .and_then(|s| s.label_selector_path.as_deref()),
            Some(".status.selector")
        );
        assert_eq!(v1.printer_columns[0].description, "how big");
        assert_eq!(v1.printer_columns[0].priority, 1);
        assert_eq!(
            v1.schema,
            Some(json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true}))
        );
        assert_eq!(v1.deprecation_warning, None);
        assert_eq!(
            defs[1].deprecation_warning.as_deref(),
            Some("example.io/v1beta1 Widget is deprecated")
        );
        assert!(!defs[1].status && defs[1].printer_columns.is_empty());
    }
}
