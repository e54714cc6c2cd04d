//! Writes a planned CRD as `apiextensions.k8s.io/v1` YAML.
//!
//! The document is built as JSON with keys in sorted order at every level (the order
//! controller-gen writes) and serialized by serde-saphyr, a maintained YAML serializer, rather
//! than by hand: YAML's quoting rules are where hand-written emitters go wrong.

use serde_json::{Map, Value, json};

use crate::model::crd::{Crd, CrdVersion};
use crate::normalize::YAML_HEADER;

/// The file's contents, header included.
pub fn generate(crd: &Crd) -> Result<String, String> {
    let document = sorted(document(crd));
    let yaml = serde_saphyr::to_string(&document)
        .map_err(|e| format!("internal error: the CRD does not serialize as YAML: {e}"))?;
    Ok(format!("{YAML_HEADER}---\n{yaml}"))
}

fn document(crd: &Crd) -> Value {
    let mut names = json!({
        "kind": crd.kind,
        "listKind": format!("{}List", crd.kind),
        "plural": crd.plural,
        "singular": crd.singular,
    });
    if !crd.short_names.is_empty() {
        names["shortNames"] = json!(crd.short_names);
    }
    if !crd.categories.is_empty() {
        names["categories"] = json!(crd.categories);
    }
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": { "name": crd.name() },
        "spec": {
            "group": crd.group,
            "names": names,
            "scope": if crd.namespaced { "Namespaced" } else { "Cluster" },
            "versions": crd.versions.iter().map(version).collect::<Vec<_>>(),
        },
    })
}

fn version(v: &CrdVersion) -> Value {
    let mut out = json!({
        "name": v.name,
        "served": v.served,
        "storage": v.storage,
        "schema": { "openAPIV3Schema": v.schema },
    });
    if let Some(warning) = &v.deprecated {
        out["deprecated"] = json!(true);
        if let Some(w) = warning {
            out["deprecationWarning"] = json!(w);
        }
    }
    let mut subresources = Map::new();
    if v.status {
        subresources.insert("status".to_owned(), json!({}));
    }
    if let Some(scale) = &v.scale {
        let mut s = json!({
            "specReplicasPath": scale.spec_replicas_path,
            "statusReplicasPath": scale.status_replicas_path,
        });
        if let Some(selector) = &scale.label_selector_path {
            s["labelSelectorPath"] = json!(selector);
        }
        subresources.insert("scale".to_owned(), s);
    }
    if !subresources.is_empty() {
        out["subresources"] = Value::Object(subresources);
    }
    if !v.printer_columns.is_empty() {
        let columns: Vec<Value> = v
            .printer_columns
            .iter()
            .map(|c| {
                let mut column =
                    json!({ "name": c.name, "type": c.type_, "jsonPath": c.json_path });
                if let Some(d) = &c.description {
                    column["description"] = json!(d);
                }
                if let Some(f) = &c.format {
                    column["format"] = json!(f);
                }
                if let Some(p) = c.priority {
                    column["priority"] = json!(p);
                }
                column
            })
            .collect();
        out["additionalPrinterColumns"] = Value::Array(columns);
    }
    out
}

/// `value` with every object's keys inserted in sorted order, whichever map serde_json was
/// built with (its `preserve_order` feature may be on through another crate).
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}
