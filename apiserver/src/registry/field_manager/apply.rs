//! Server-side apply, following structured-merge-diff's `Updater.Apply`:
//! 1. the configuration is merged into the live object ([`super::merge`]);
//! 2. fields the manager applied last time but no longer does, and nobody else owns, are
//!    removed;
//! 3. the fields that now differ from the live object are conflicts when another manager
//!    (applier or updater) owns them: 409, unless `force=true`, which takes them over;
//! 4. the manager owns exactly what its configuration sets; its entry's time is renewed only
//!    when the object changed, so re-applying the same configuration writes nothing.

use serde_json::{Value, json};

use super::fieldset::{self, Element, FieldSet, Path};
use super::managed::{self, Entry, Operation};
use super::merge;
use crate::meta;
use crate::status::ApiError;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::StatusCause;

/// The version and subresource an apply addresses.
pub(crate) struct Target<'a> {
    pub api_version: &'a str,
    pub subresource: &'a str,
}

/// Applies `config` for `manager` onto `live` (or onto nothing, for a create) and returns the
/// merged object with its new `managedFields`.
pub(crate) fn apply(
    live: Option<&Value>,
    config: &Value,
    manager: &str,
    force: bool,
    target: &Target<'_>,
) -> Result<Value, ApiError> {
    if config.pointer("/metadata/managedFields").is_some() {
        return Err(ApiError::bad_request("metadata.managedFields must be nil"));
    }
    let empty = json!({});
    let live_obj = live.unwrap_or(&empty);
    let mut others = managed::decode(live_obj);
    let previous = others
        .iter()
        .position(|e| {
            e.operation == Operation::Apply
                && e.manager == manager
                && e.subresource == target.subresource
        })
        .map(|i| others.remove(i));
    let applied = fieldset::of_config(config);

    let mut merged = merge::merge(live_obj, config);
    if let Some(previous) = &previous {
        prune(&mut merged, &previous.fields, &applied, &others);
    }

    let cmp = fieldset::compare(live_obj, &merged);
    let changed = cmp.changed();
    let mut conflicts: Vec<(String, Path)> = others
        .iter()
        .flat_map(|e| {
            e.fields
                .intersection(&changed)
                .map(|p| (e.describe(), p.clone()))
        })
        .collect();
    if !force && !conflicts.is_empty() {
        conflicts.sort();
        return Err(conflict_error(&conflicts));
    }
    managed::take_over(&mut others, &cmp);

    // `merged` still carries the live managedFields, so this compares the object alone.
    let unchanged = live.is_some() && merged == *live_obj;
    let time = match previous {
        Some(previous) if unchanged => previous.time,
        _ => Some(meta::now_timestamp()),
    };
    others.push(Entry {
        manager: manager.to_owned(),
        operation: Operation::Apply,
        api_version: target.api_version.to_owned(),
        subresource: target.subresource.to_owned(),
        time,
        fields: applied,
    });
    managed::encode(&mut merged, others);
    Ok(merged)
}

/// Removes what the manager owned before and no longer applies, unless the new configuration
/// or another manager still owns it or something under it. The maps and lists that held it go
/// too when that leaves them empty and unowned: structured-merge-diff counts a schema field's
/// parents as owned along with it, so dropping `spec.x.y` does not leave `x: {}` behind.
fn prune(merged: &mut Value, previous: &FieldSet, applied: &FieldSet, others: &[Entry]) {
    let kept = |path: &[Element]| {
        fieldset::covers(applied, path) || others.iter().any(|e| fieldset::covers(&e.fields, path))
    };
    for path in previous.difference(applied) {
        if kept(path) {
            continue;
        }
        merge::remove(merged, path);
        let mut parent = path.get(..path.len().saturating_sub(1)).unwrap_or_default();
        while let Some(Element::Field(_)) = parent.last() {
            let empty = match merge::get(merged, parent) {
                Some(Value::Object(map)) => map.is_empty(),
                Some(Value::Array(items)) => items.is_empty(),
                _ => false,
            };
            if !empty || kept(parent) {
                break;
            }
            merge::remove(merged, parent);
            parent = parent.get(..parent.len() - 1).unwrap_or_default();
        }
    }
}

/// 409 worded as kube-apiserver words it (`NewApplyConflict`): details carry only the causes.
fn conflict_error(conflicts: &[(String, Path)]) -> ApiError {
    let message = match conflicts {
        [(manager, path)] => format!(
            "Apply failed with 1 conflict: conflict with {manager}: {}",
            fieldset::display(path)
        ),
        many => {
            let mut lines = Vec::new();
            let mut last: Option<&str> = None;
            for (manager, path) in many {
                if last != Some(manager.as_str()) {
                    lines.push(format!("conflicts with {manager}:"));
                    last = Some(manager);
                }
                lines.push(format!("- {}", fieldset::display(path)));
            }
            format!(
                "Apply failed with {} conflicts: {}",
                many.len(),
                lines.join("\n")
            )
        }
    };
    let causes = conflicts
        .iter()
        .map(|(manager, path)| StatusCause {
            reason: Some("FieldManagerConflict".to_owned()),
            message: Some(format!("conflict with {manager}")),
            field: Some(fieldset::display(path)),
        })
        .collect();
    ApiError::apply_conflict(message, causes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TARGET: Target<'static> = Target {
        api_version: "g/v1",
        subresource: "",
    };

    fn run(live: Option<&Value>, config: Value, manager: &str, force: bool) -> Value {
        apply(live, &config, manager, force, &TARGET).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn managers(obj: &Value) -> Vec<String> {
        managed::decode(obj)
            .into_iter()
            .map(|e| e.manager)
            .collect()
    }

    #[test]
    fn apply_merges_and_records_ownership() {
        let live = json!({"metadata": {"name": "t"}, "spec": {"a": 1, "b": 2}});
        let out = run(Some(&live), json!({"spec": {"a": 5}}), "m1", false);
        assert_eq!(out["spec"], json!({"a": 5, "b": 2}));
        assert_eq!(
            out["metadata"]["managedFields"][0]["fieldsV1"],
            json!({"f:spec": {"f:a": {}}})
        );
    }

    #[test]
    fn dropping_a_field_from_the_config_removes_it() {
        let first = run(None, json!({"spec": {"a": 1, "b": 2}}), "m1", false);
        let second = run(Some(&first), json!({"spec": {"a": 1}}), "m1", false);
        assert_eq!(second["spec"], json!({"a": 1}));
    }

    #[test]
    fn another_manager_conflicts_unless_forced() {
        let first = run(None, json!({"spec": {"a": 1}}), "m1", false);
        let err = apply(
            Some(&first),
            &json!({"spec": {"a": 2}}),
            "m2",
            false,
            &TARGET,
        )
        .err();
        assert_eq!(err.as_ref().map(|e| e.code), Some(409));
        assert_eq!(
            err.map(|e| e.message),
            Some("Apply failed with 1 conflict: conflict with \"m1\": .spec.a".to_owned())
        );
        let same_value = run(Some(&first), json!({"spec": {"a": 1}}), "m2", false);
        assert_eq!(
            managers(&same_value),
            vec!["m1", "m2"],
            "agreeing on a value is shared ownership, not a conflict"
        );
        let forced = run(Some(&first), json!({"spec": {"a": 2}}), "m2", true);
        assert_eq!(forced["spec"]["a"], 2);
        assert_eq!(managers(&forced), vec!["m2"], "m1 lost its only field");
    }

    #[test]
    fn several_conflicts_are_listed_per_manager() {
        let first = run(None, json!({"spec": {"a": 1, "b": 1}}), "m1", false);
        let err = apply(
            Some(&first),
            &json!({"spec": {"a": 2, "b": 2}}),
            "m2",
            false,
            &TARGET,
        )
        .err();
        assert_eq!(
            err.map(|e| e.message),
            Some(
                "Apply failed with 2 conflicts: conflicts with \"m1\":\n- .spec.a\n- .spec.b"
                    .to_owned()
            )
        );
    }

    #[test]
    fn managed_fields_in_the_configuration_are_refused() {
        let err = apply(
            None,
            &json!({"metadata": {"managedFields": []}}),
            "m",
            false,
            &TARGET,
        )
        .err();
        assert_eq!(err.map(|e| e.code), Some(400));
    }
}
