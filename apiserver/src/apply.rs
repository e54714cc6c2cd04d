//! Server-side apply, simplified.
//!
//! Each `Apply` manager owns the set of leaf fields of its last applied configuration, recorded
//! in `metadata.managedFields` as `FieldsV1`. Applying again:
//! 1. fails with 409 Conflict when a field it sets is owned by another apply manager with a
//!    different value (unless `force=true`, which takes the field over);
//! 2. removes fields the manager owned before but no longer sets (when nobody else owns them);
//! 3. merges the configuration in: maps recursively, lists and scalars replaced whole.
//!
//! Simplifications (documented in the README): lists are atomic (no `listType=map` merge
//! keys); `Update` operations (PUT/PATCH) do not take field ownership.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::meta;
use crate::status::ApiError;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::StatusCause;

type FieldPath = Vec<String>;

/// Metadata fields an apply configuration may own; the rest of `metadata` is identity or
/// server-managed.
const OWNABLE_METADATA: [&str; 4] = ["labels", "annotations", "finalizers", "ownerReferences"];

fn collect_leaves(value: &Value, prefix: &mut FieldPath, out: &mut BTreeSet<FieldPath>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                prefix.push(k.clone());
                collect_leaves(v, prefix, out);
                prefix.pop();
            }
        }
        _ => {
            out.insert(prefix.clone());
        }
    }
}

/// The fields an applied configuration sets.
fn owned_fields(config: &Value) -> BTreeSet<FieldPath> {
    let mut out = BTreeSet::new();
    let Value::Object(root) = config else {
        return out;
    };
    for (key, value) in root {
        match key.as_str() {
            "apiVersion" | "kind" => {}
            "metadata" => {
                if let Value::Object(m) = value {
                    for field in OWNABLE_METADATA {
                        if let Some(v) = m.get(field) {
                            collect_leaves(
                                v,
                                &mut vec!["metadata".to_owned(), field.to_owned()],
                                &mut out,
                            );
                        }
                    }
                }
            }
            _ => collect_leaves(value, &mut vec![key.clone()], &mut out),
        }
    }
    out
}

/// `FieldsV1` form: `{"f:spec": {"f:replicas": {}}}`.
fn encode(fields: &BTreeSet<FieldPath>) -> Value {
    let mut root = Map::new();
    for path in fields {
        let mut node = &mut root;
        for part in path {
            let entry = node
                .entry(format!("f:{part}"))
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            let Value::Object(next) = entry else { break };
            node = next;
        }
    }
    Value::Object(root)
}

fn decode(value: &Value, prefix: &mut FieldPath, out: &mut BTreeSet<FieldPath>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                if let Some(field) = k.strip_prefix("f:") {
                    prefix.push(field.to_owned());
                    decode(v, prefix, out);
                    prefix.pop();
                }
            }
        }
        _ if !prefix.is_empty() => {
            out.insert(prefix.clone());
        }
        _ => {}
    }
}

fn get<'a>(obj: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(obj, |v, p| v.get(p))
}

fn remove(obj: &mut Value, path: &[String]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut current = obj;
    for p in parents {
        match current.get_mut(p) {
            Some(next) => current = next,
            None => return,
        }
    }
    if let Value::Object(map) = current {
        map.remove(last);
    }
}

/// Maps merge recursively; anything else in `config` replaces what `target` has.
fn deep_merge(target: &mut Value, config: &Value) {
    match (target, config) {
        (Value::Object(t), Value::Object(c)) => {
            for (k, v) in c {
                match t.get_mut(k) {
                    Some(existing) if existing.is_object() && v.is_object() => {
                        deep_merge(existing, v)
                    }
                    _ => {
                        t.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (t, c) => *t = c.clone(),
    }
}

#[derive(Debug)]
struct Entry {
    raw: Value,
    manager: String,
    is_apply: bool,
    subresource: String,
    fields: BTreeSet<FieldPath>,
}

fn entries(obj: &Value) -> Vec<Entry> {
    obj.pointer("/metadata/managedFields")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|raw| {
                    let mut fields = BTreeSet::new();
                    if let Some(f) = raw.get("fieldsV1") {
                        decode(f, &mut Vec::new(), &mut fields);
                    }
                    Entry {
                        raw: raw.clone(),
                        manager: raw
                            .get("manager")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_owned(),
                        is_apply: raw.get("operation").and_then(Value::as_str) == Some("Apply"),
                        subresource: raw
                            .get("subresource")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_owned(),
                        fields,
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// What identifies the object in a conflict message.
pub(crate) struct Target<'a> {
    pub group: &'a str,
    pub plural: &'a str,
    pub name: &'a str,
    pub api_version: &'a str,
    pub subresource: &'a str,
}

/// Applies `config` for `manager` onto `live` (or onto nothing, for a create) and returns the
/// merged object with updated `managedFields`.
pub(crate) fn apply(
    live: Option<&Value>,
    config: &Value,
    manager: &str,
    force: bool,
    target: &Target<'_>,
) -> Result<Value, ApiError> {
    let mut result = live.cloned().unwrap_or_else(|| json!({}));
    let mut managers = live.map(entries).unwrap_or_default();
    let new_fields = owned_fields(config);
    let previous: BTreeSet<FieldPath> = managers
        .iter()
        .filter(|e| e.is_apply && e.manager == manager && e.subresource == target.subresource)
        .flat_map(|e| e.fields.iter().cloned())
        .collect();

    let mut conflicts: Vec<(String, FieldPath)> = Vec::new();
    for other in managers
        .iter_mut()
        .filter(|e| e.is_apply && !(e.manager == manager && e.subresource == target.subresource))
    {
        let contested: Vec<FieldPath> = new_fields
            .iter()
            .filter(|p| other.fields.contains(*p))
            .filter(|p| live.and_then(|l| get(l, p)) != get(config, p))
            .cloned()
            .collect();
        if force {
            for p in &contested {
                other.fields.remove(p);
            }
        } else {
            conflicts.extend(contested.into_iter().map(|p| (other.manager.clone(), p)));
        }
    }
    if !conflicts.is_empty() {
        let describe =
            |(m, p): &(String, FieldPath)| format!("conflict with \"{m}\": .{}", p.join("."));
        let lines: Vec<String> = conflicts.iter().map(describe).collect();
        let mut err = ApiError::conflict(target.group, target.plural, target.name, "");
        err.message = format!(
            "Apply failed with {} conflict{}: {}",
            conflicts.len(),
            if conflicts.len() == 1 { "" } else { "s" },
            lines.join("\n")
        );
        if let Some(details) = err.details.as_mut() {
            details.causes = Some(
                conflicts
                    .iter()
                    .map(|(m, p)| StatusCause {
                        reason: Some("FieldManagerConflict".to_owned()),
                        message: Some(format!("conflict with \"{m}\"")),
                        field: Some(format!(".{}", p.join("."))),
                    })
                    .collect(),
            );
        }
        return Err(err);
    }

    let still_owned: BTreeSet<&FieldPath> = managers
        .iter()
        .filter(|e| !(e.manager == manager && e.subresource == target.subresource))
        .flat_map(|e| e.fields.iter())
        .collect();
    for dropped in previous.difference(&new_fields) {
        if !still_owned.contains(dropped) {
            remove(&mut result, dropped);
        }
    }
    deep_merge(&mut result, config);

    let mut managed: Vec<Value> = managers
        .into_iter()
        .filter(|e| !(e.is_apply && e.manager == manager && e.subresource == target.subresource))
        .filter(|e| !e.is_apply || !e.fields.is_empty())
        .map(|mut e| {
            if e.is_apply {
                e.raw["fieldsV1"] = encode(&e.fields);
            }
            e.raw
        })
        .collect();
    let mut entry = json!({
        "manager": manager,
        "operation": "Apply",
        "apiVersion": target.api_version,
        "time": meta::now_timestamp(),
        "fieldsType": "FieldsV1",
        "fieldsV1": encode(&new_fields),
    });
    if !target.subresource.is_empty() {
        entry["subresource"] = json!(target.subresource);
    }
    managed.push(entry);
    meta::set_meta(&mut result, "managedFields", Value::Array(managed));
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> Target<'static> {
        Target {
            group: "g",
            plural: "things",
            name: "t",
            api_version: "g/v1",
            subresource: "",
        }
    }

    #[test]
    fn apply_merges_and_records_ownership() {
        let live = json!({"metadata": {"name": "t"}, "spec": {"a": 1, "b": 2}});
        let out = apply(
            Some(&live),
            &json!({"spec": {"a": 5}}),
            "m1",
            false,
            &target(),
        );
        let out = out.unwrap_or_default();
        assert_eq!(out["spec"], json!({"a": 5, "b": 2}));
        assert_eq!(
            out["metadata"]["managedFields"][0]["fieldsV1"],
            json!({"f:spec": {"f:a": {}}})
        );
    }

    #[test]
    fn dropping_a_field_from_the_config_removes_it() {
        let first = apply(
            None,
            &json!({"spec": {"a": 1, "b": 2}}),
            "m1",
            false,
            &target(),
        )
        .unwrap_or_default();
        let second = apply(
            Some(&first),
            &json!({"spec": {"a": 1}}),
            "m1",
            false,
            &target(),
        )
        .unwrap_or_default();
        assert_eq!(second["spec"], json!({"a": 1}));
    }

    #[test]
    fn another_manager_conflicts_unless_forced() {
        let first =
            apply(None, &json!({"spec": {"a": 1}}), "m1", false, &target()).unwrap_or_default();
        let conflict = apply(
            Some(&first),
            &json!({"spec": {"a": 2}}),
            "m2",
            false,
            &target(),
        );
        let err = conflict.err();
        assert_eq!(err.as_ref().map(|e| e.code), Some(409));
        assert!(err.is_some_and(|e| e.message.contains("conflict with \"m1\": .spec.a")));
        let same_value = apply(
            Some(&first),
            &json!({"spec": {"a": 1}}),
            "m2",
            false,
            &target(),
        );
        assert!(
            same_value.is_ok(),
            "agreeing on a value is shared ownership, not a conflict"
        );
        let forced = apply(
            Some(&first),
            &json!({"spec": {"a": 2}}),
            "m2",
            true,
            &target(),
        )
        .unwrap_or_default();
        assert_eq!(forced["spec"]["a"], 2);
        let managers: Vec<&str> = forced["metadata"]["managedFields"]
            .as_array()
            .map(|a| a.iter().filter_map(|e| e["manager"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(managers, vec!["m2"], "m1 lost its only field");
    }
}
