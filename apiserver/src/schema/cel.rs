//! `x-kubernetes-validations`: CEL rules on schema nodes, evaluated as apiextensions-apiserver
//! evaluates them. `self` is the node's value; on updates `oldSelf` is the stored value at
//! the same place (correlated through properties, `additionalProperties` keys and the entries
//! of `x-kubernetes-list-type: map` lists by key), and a rule that reads `oldSelf` (a
//! transition rule) is only evaluated where there is such an old value. A rule that does not
//! hold is `<path>: Invalid value: "<type>": <message>`, the message being `messageExpression`'s
//! result, else `message`, else `failed rule: <rule>`; `reason` picks `FieldValueForbidden`,
//! `FieldValueRequired` or `FieldValueDuplicate` instead, and `fieldPath` names a field
//! under the node.
//!
//! The interpreter is the `cel` crate (cel-rust, formerly `cel-interpreter`): the maintained
//! pure-Rust CEL implementation, with the standard macros and functions (`has`, `all`,
//! `exists`, `size`, `matches`, `startsWith`...). It does not have Kubernetes' extension
//! libraries (`isSorted`, `url`, `quantity`, `format`...) nor cost limits; rules using them
//! fail to evaluate and are reported as invalid with the interpreter's error.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use super::node::{Node, child, index};
use crate::status::{FieldError, go_quote};

/// Every rule of `schema` that `obj` breaks (`old`: the stored object, on updates).
pub(crate) fn validate(obj: &Value, old: Option<&Value>, schema: &Value) -> Vec<FieldError> {
    let mut errors = Vec::new();
    walk(obj, old, Node(schema), "", &mut errors);
    errors
}

fn walk(
    value: &Value,
    old: Option<&Value>,
    node: Node<'_>,
    path: &str,
    errors: &mut Vec<FieldError>,
) {
    for rule in node.list("x-kubernetes-validations") {
        if let Some(error) = check(rule, value, old, node, path) {
            errors.push(error);
        }
    }
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if path.is_empty() && matches!(key.as_str(), "apiVersion" | "kind" | "metadata") {
                    continue;
                }
                if let Some(field) = node.field(key) {
                    let old_v = old.and_then(|o| o.get(key));
                    walk(v, old_v, field, &child(path, key), errors);
                }
            }
        }
        Value::Array(items) => {
            let Some(item) = node.items() else {
                return;
            };
            let keys = node.list_map_keys();
            let old_items = old.and_then(Value::as_array);
            for (i, v) in items.iter().enumerate() {
                // Only keyed entries have an identity across versions (as upstream).
                let old_v = match (node.list_type(), old_items) {
                    (Some("map"), Some(olds)) if !keys.is_empty() => olds
                        .iter()
                        .find(|o| keys.iter().all(|k| o.get(*k) == v.get(*k))),
                    _ => None,
                };
                walk(v, old_v, item, &index(path, i), errors);
            }
        }
        _ => {}
    }
}

/// JSON as CEL sees it: integers are `int`, other numbers `double`.
fn to_cel(value: &Value) -> cel::Value {
    match value {
        Value::Null => cel::Value::Null,
        Value::Bool(b) => cel::Value::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => cel::Value::Int(i),
            None => cel::Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => cel::Value::String(Arc::new(s.clone())),
        Value::Array(items) => cel::Value::List(Arc::new(items.iter().map(to_cel).collect())),
        Value::Object(map) => {
            let entries: HashMap<String, cel::Value> =
                map.iter().map(|(k, v)| (k.clone(), to_cel(v))).collect();
            cel::Value::from(entries)
        }
    }
}

enum Outcome {
    Holds,
    Fails,
    Error(String),
}

fn evaluate(source: &str, value: &Value, old: Option<&Value>) -> (Outcome, Option<cel::Value>) {
    let program = match cel::Program::compile(source) {
        Ok(p) => p,
        Err(e) => return (Outcome::Error(format!("compilation failed: {e}")), None),
    };
    let mut context = cel::Context::default();
    context.add_variable_from_value("self", to_cel(value));
    if let Some(old) = old {
        context.add_variable_from_value("oldSelf", to_cel(old));
    }
    match program.execute(&context) {
        Ok(cel::Value::Bool(true)) => (Outcome::Holds, None),
        Ok(cel::Value::Bool(false)) => (Outcome::Fails, None),
        Ok(other) => (Outcome::Fails, Some(other)),
        Err(e) => (Outcome::Error(e.to_string()), None),
    }
}

fn check(
    rule: &Value,
    value: &Value,
    old: Option<&Value>,
    node: Node<'_>,
    path: &str,
) -> Option<FieldError> {
    let source = rule.get("rule").and_then(Value::as_str)?;
    // A transition rule needs the old value; on create, or where nothing correlates, it is
    // skipped, as upstream.
    if source.contains("oldSelf") && old.is_none() {
        return None;
    }
    let text = |key: &str| {
        rule.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let message = match evaluate(source, value, old).0 {
        Outcome::Holds => return None,
        Outcome::Error(e) => e,
        Outcome::Fails => {
            let from_expression =
                text("messageExpression").and_then(|expr| match evaluate(expr, value, old).1 {
                    Some(cel::Value::String(s)) if !s.trim().is_empty() => Some(s.to_string()),
                    _ => None,
                });
            from_expression
                .or_else(|| text("message").map(str::to_owned))
                .unwrap_or_else(|| format!("failed rule: {source}"))
        }
    };
    // `fieldPath` is a JSON path under the node (`.spec.replicas`).
    let field = match text("fieldPath") {
        Some(sub) => format!(
            "{path}{}",
            if path.is_empty() {
                sub.trim_start_matches('.')
            } else {
                sub
            }
        ),
        // A rule on the root has no path; upstream prints its nil path as `<nil>`.
        None if path.is_empty() => "<nil>".to_owned(),
        None => path.to_owned(),
    };
    let type_ = node.type_().unwrap_or("object");
    Some(match text("reason") {
        Some("FieldValueForbidden") => FieldError::forbidden(&field, &message),
        Some("FieldValueRequired") => FieldError::required(&field, &message),
        Some("FieldValueDuplicate") => FieldError::duplicate(&field, &go_quote(type_)),
        _ => FieldError::invalid_repr(&field, &go_quote(type_), &message),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Value {
        json!({"type": "object", "properties": {"spec": {
        "type": "object",
        "x-kubernetes-validations": [
            {"rule": "self.min <= self.max", "message": "min must not exceed max"},
            {"rule": "self.max < 100", "messageExpression": "'max is ' + string(self.max)"},
            {"rule": "!has(self.locked) || self.locked == oldSelf.locked", "reason": "FieldValueForbidden",
                "message": "locked is immutable", "fieldPath": ".locked"},
        ],
        "properties": {
            "min": {"type": "integer"}, "max": {"type": "integer"}, "locked": {"type": "boolean"},
            "name": {"type": "string", "x-kubernetes-validations": [{"rule": "self.startsWith('x')"}]},
        }}}})
    }

    fn messages(obj: Value, old: Option<Value>) -> Vec<String> {
        validate(&obj, old.as_ref(), &schema())
            .into_iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect()
    }

    #[test]
    fn rules_are_evaluated_with_upstream_wording() {
        assert!(messages(json!({"spec": {"min": 1, "max": 2, "name": "xy"}}), None).is_empty());
        assert_eq!(
            messages(
                json!({"spec": {"min": 300, "max": 200, "name": "y", "locked": true}}),
                None
            ),
            vec![
                r#"spec: Invalid value: "object": min must not exceed max"#,
                r#"spec: Invalid value: "object": max is 200"#,
                r#"spec.name: Invalid value: "string": failed rule: self.startsWith('x')"#,
            ]
        );
    }

    #[test]
    fn a_rule_on_the_root_reports_no_path() {
        let schema = json!({"type": "object", "x-kubernetes-validations": [
            {"rule": "has(self.spec)", "message": "spec is required"}]});
        let errors = validate(&json!({"metadata": {"name": "x"}}), None, &schema);
        assert_eq!(errors.len(), 1);
        assert_eq!(
            format!("{}: {}", errors[0].field, errors[0].message),
            r#"<nil>: Invalid value: "object": spec is required"#
        );
    }

    #[test]
    fn transition_rules_need_an_old_value() {
        let old = json!({"spec": {"min": 1, "max": 2, "locked": true}});
        assert!(
            messages(
                json!({"spec": {"min": 1, "max": 2, "locked": true}}),
                Some(old.clone())
            )
            .is_empty()
        );
        assert_eq!(
            messages(
                json!({"spec": {"min": 1, "max": 2, "locked": false}}),
                Some(old)
            ),
            vec!["spec.locked: Forbidden: locked is immutable"]
        );
    }
}
