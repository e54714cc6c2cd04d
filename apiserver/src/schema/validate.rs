//! Validation of a (pruned, defaulted) object against its structural schema, worded as
//! kube-apiserver words it: kube-openapi's `validate` package finds the problems
//! (`spec.replicas in body should be greater than or equal to 0`) and apiextensions-apiserver
//! turns them into field errors (`kubeOpenAPIResultToFieldErrors`): `Required value`,
//! `Unsupported value`, `Too many`, `Invalid value: "string": ... must be of type integer`,
//! else `Invalid value: <value>: <message>`. The list types add `Duplicate value`s.

use serde_json::Value;

use super::format;
use super::node::{Node, child, index};
use crate::status::{FieldError, go_quote};

/// Every problem `obj` has against `schema`, in document order.
pub(crate) fn validate(obj: &Value, schema: &Value) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let root = Node(schema);
    // The root's `apiVersion`, `kind` and `metadata` are the server's to check.
    if let Value::Object(map) = obj {
        object(map, root, "", true, &mut errors);
    } else {
        value_at(obj, root, "", &mut errors);
    }
    errors
}

/// The value as upstream prints it after `Invalid value:` (Go's `%v` for numbers and
/// booleans, `%q` for strings).
pub(crate) fn repr(value: &Value) -> String {
    match value {
        Value::String(s) => go_quote(s),
        Value::Null => go_quote("null"),
        other => other.to_string(),
    }
}

/// The JSON type name kube-openapi reports for a value.
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `<path> in body`, the subject of kube-openapi's messages.
fn subject(path: &str) -> String {
    format!("{path} in body")
}

fn is_integer(value: &Value) -> bool {
    match value {
        Value::Number(n) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    }
}

fn has_type(value: &Value, type_: &str) -> bool {
    match type_ {
        "integer" => is_integer(value),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        _ => true,
    }
}

fn type_invalid(path: &str, value: &Value, type_: &str) -> FieldError {
    let actual = type_name(value);
    FieldError::type_invalid(
        path,
        &go_quote(actual),
        &format!(
            "{} must be of type {type_}: {}",
            subject(path),
            go_quote(actual)
        ),
    )
}

fn invalid(path: &str, value: &Value, message: String) -> FieldError {
    FieldError::invalid_repr(path, &repr(value), &message)
}

/// Whether `value` passes `node` (for the combinators).
fn passes(value: &Value, node: Node<'_>, path: &str) -> (bool, Vec<FieldError>) {
    let mut errors = Vec::new();
    value_at(value, node, path, &mut errors);
    (errors.is_empty(), errors)
}

pub(crate) fn value_at(value: &Value, node: Node<'_>, path: &str, errors: &mut Vec<FieldError>) {
    if value.is_null() {
        if !node.nullable() && (node.type_().is_some() || node.int_or_string()) {
            let type_ = node.type_().unwrap_or("integer,string");
            errors.push(type_invalid(path, value, type_));
        }
        return;
    }
    if node.int_or_string() {
        if !(is_integer(value) || value.is_string()) {
            // Upstream checks it as `anyOf: [{type: integer}, {type: string}]`.
            errors.push(type_invalid(path, value, "integer"));
            errors.push(type_invalid(path, value, "string"));
            errors.push(invalid(
                path,
                value,
                format!(
                    "{} must validate at least one schema (anyOf)",
                    subject(path)
                ),
            ));
            return;
        }
    } else if let Some(type_) = node.type_()
        && !has_type(value, type_)
    {
        errors.push(type_invalid(path, value, type_));
        return;
    }
    enumeration(value, node, path, errors);
    match value {
        Value::Number(_) => number(value, node, path, errors),
        Value::String(s) => string(s, value, node, path, errors),
        Value::Array(items) => array(items, value, node, path, errors),
        Value::Object(map) => object(map, node, path, false, errors),
        _ => {}
    }
    combinators(value, node, path, errors);
}

fn enumeration(value: &Value, node: Node<'_>, path: &str, errors: &mut Vec<FieldError>) {
    let allowed = node.list("enum");
    if allowed.is_empty() || allowed.contains(value) {
        return;
    }
    // Numbers compare by value (1 and 1.0 are one enum member upstream).
    if value.as_f64().is_some()
        && allowed
            .iter()
            .any(|a| a.as_f64().is_some() && a.as_f64() == value.as_f64())
    {
        return;
    }
    let supported: Vec<String> = allowed
        .iter()
        .map(|a| match a {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    let supported: Vec<&str> = supported.iter().map(String::as_str).collect();
    errors.push(FieldError::not_supported(path, &repr(value), &supported));
}

/// Go's `%v` of a float64 bound: integral values print without a fraction.
fn bound(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e21 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn number(value: &Value, node: Node<'_>, path: &str, errors: &mut Vec<FieldError>) {
    let Some(n) = value.as_f64() else {
        return;
    };
    let subject = subject(path);
    if let Some(min) = node.number("minimum") {
        if node.bool("exclusiveMinimum") {
            if n <= min {
                errors.push(invalid(
                    path,
                    value,
                    format!("{subject} should be greater than {}", bound(min)),
                ));
            }
        } else if n < min {
            errors.push(invalid(
                path,
                value,
                format!(
                    "{subject} should be greater than or equal to {}",
                    bound(min)
                ),
            ));
        }
    }
    if let Some(max) = node.number("maximum") {
        if node.bool("exclusiveMaximum") {
            if n >= max {
                errors.push(invalid(
                    path,
                    value,
                    format!("{subject} should be less than {}", bound(max)),
                ));
            }
        } else if n > max {
            errors.push(invalid(
                path,
                value,
                format!("{subject} should be less than or equal to {}", bound(max)),
            ));
        }
    }
    if let Some(factor) = node.number("multipleOf")
        && factor > 0.0
    {
        let quotient = n / factor;
        if (quotient - quotient.round()).abs() > 1e-9 {
            errors.push(invalid(
                path,
                value,
                format!("{subject} should be a multiple of {}", bound(factor)),
            ));
        }
    }
}

fn string(s: &str, value: &Value, node: Node<'_>, path: &str, errors: &mut Vec<FieldError>) {
    let subject = subject(path);
    let length = s.chars().count() as u64;
    if let Some(max) = node.count("maxLength")
        && length > max
    {
        errors.push(FieldError::too_long(path, max as usize));
    }
    if let Some(min) = node.count("minLength")
        && length < min
    {
        errors.push(invalid(
            path,
            value,
            format!("{subject} should be at least {min} chars long"),
        ));
    }
    if let Some(pattern) = node.str("pattern") {
        // A pattern that does not compile was the definition's mistake; upstream refuses such a
        // CRD, so here it simply matches nothing.
        let ok = regex::Regex::new(pattern).is_ok_and(|re| re.is_match(s));
        if !ok {
            errors.push(invalid(
                path,
                value,
                format!("{subject} should match '{pattern}'"),
            ));
        }
    }
    if let Some(fmt) = node.str("format")
        && format::check(fmt, s) == Some(false)
    {
        errors.push(FieldError::type_invalid(
            path,
            &repr(value),
            &format!("{subject} must be of type {fmt}: {}", repr(value)),
        ));
    }
}

fn array(items: &[Value], value: &Value, node: Node<'_>, path: &str, errors: &mut Vec<FieldError>) {
    let len = items.len() as u64;
    if let Some(max) = node.count("maxItems")
        && len > max
    {
        errors.push(FieldError::too_many(path, len, max));
    }
    if let Some(min) = node.count("minItems")
        && len < min
    {
        errors.push(invalid(
            path,
            value,
            format!("{} should have at least {min} items", subject(path)),
        ));
    }
    if let Some(item) = node.items() {
        for (i, v) in items.iter().enumerate() {
            value_at(v, item, &index(path, i), errors);
        }
    }
    match node.list_type() {
        Some("set") => {
            for (i, v) in items.iter().enumerate() {
                if items.get(..i).unwrap_or_default().contains(v) {
                    errors.push(FieldError::duplicate(&index(path, i), &repr(v)));
                }
            }
        }
        Some("map") => {
            let keys = node.list_map_keys();
            let key_of = |v: &Value| -> Vec<Option<Value>> {
                keys.iter().map(|k| v.get(*k).cloned()).collect()
            };
            for (i, v) in items.iter().enumerate() {
                let key = key_of(v);
                if items
                    .get(..i)
                    .unwrap_or_default()
                    .iter()
                    .any(|o| key_of(o) == key)
                {
                    errors.push(FieldError::duplicate(
                        &index(path, i),
                        &go_key_map(&keys, &key),
                    ));
                }
            }
        }
        _ => {}
    }
}

/// A list-map key as Go's `%#v` prints the `map[string]interface{}` upstream reports.
fn go_key_map(keys: &[&str], values: &[Option<Value>]) -> String {
    let mut pairs: Vec<(String, String)> = keys
        .iter()
        .zip(values)
        .filter_map(|(k, v)| v.as_ref().map(|v| (go_quote(k), go_value(v))))
        .collect();
    pairs.sort();
    let parts: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}:{v}")).collect();
    format!("map[string]interface {{}}{{{}}}", parts.join(", "))
}

fn go_value(value: &Value) -> String {
    match value {
        Value::String(s) => go_quote(s),
        Value::Number(n) if n.is_i64() => format!("{n}"),
        other => other.to_string(),
    }
}

fn object(
    map: &serde_json::Map<String, Value>,
    node: Node<'_>,
    path: &str,
    root: bool,
    errors: &mut Vec<FieldError>,
) {
    let len = map.len() as u64;
    if let Some(max) = node.count("maxProperties")
        && len > max
    {
        errors.push(FieldError::too_many(path, len, max));
    }
    if let Some(min) = node.count("minProperties")
        && len < min
    {
        errors.push(FieldError::invalid_repr(
            path,
            &go_quote("object"),
            &format!("{} should have at least {min} properties", subject(path)),
        ));
    }
    for required in node.strings("required") {
        if !map.contains_key(required) {
            errors.push(FieldError::required(&child(path, required), ""));
        }
    }
    for (key, v) in map {
        if root && matches!(key.as_str(), "apiVersion" | "kind" | "metadata") {
            continue;
        }
        if let Some(field) = node.field(key) {
            value_at(v, field, &child(path, key), errors);
        }
    }
    if root {
        combinators(&Value::Object(map.clone()), node, path, errors);
    }
}

fn combinators(value: &Value, node: Node<'_>, path: &str, errors: &mut Vec<FieldError>) {
    let subject = subject(path);
    let all = node.list("allOf");
    if !all.is_empty() {
        let mut failed = Vec::new();
        for s in all {
            failed.extend(passes(value, Node(s), path).1);
        }
        if !failed.is_empty() {
            errors.extend(failed);
            errors.push(invalid(
                path,
                value,
                format!("{subject} must validate all the schemas (allOf)"),
            ));
        }
    }
    let any = node.list("anyOf");
    if !any.is_empty() {
        let results: Vec<(bool, Vec<FieldError>)> =
            any.iter().map(|s| passes(value, Node(s), path)).collect();
        if !results.iter().any(|(ok, _)| *ok) {
            errors.extend(results.into_iter().flat_map(|(_, e)| e));
            errors.push(invalid(
                path,
                value,
                format!("{subject} must validate at least one schema (anyOf)"),
            ));
        }
    }
    let one = node.list("oneOf");
    if !one.is_empty() {
        let results: Vec<(bool, Vec<FieldError>)> =
            one.iter().map(|s| passes(value, Node(s), path)).collect();
        let valid = results.iter().filter(|(ok, _)| *ok).count();
        if valid != 1 {
            if valid == 0 {
                errors.extend(results.into_iter().flat_map(|(_, e)| e));
            }
            errors.push(invalid(
                path,
                value,
                format!("{subject} must validate one and only one schema (oneOf)"),
            ));
        }
    }
    if let Some(not) = node.sub("not")
        && passes(value, not, path).0
    {
        errors.push(invalid(
            path,
            value,
            format!("{subject} must not validate the schema provided"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn messages(obj: Value, schema: Value) -> Vec<String> {
        validate(&obj, &schema)
            .into_iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect()
    }

    fn spec(props: Value) -> Value {
        json!({"type": "object", "properties": {"spec": {"type": "object", "properties": props}}})
    }

    #[test]
    fn numbers() {
        let schema = spec(json!({
            "replicas": {"type": "integer", "minimum": 0, "maximum": 10},
            "ratio": {"type": "number", "minimum": 0, "exclusiveMinimum": true, "multipleOf": 0.5},
            "top": {"type": "integer", "maximum": 5, "exclusiveMaximum": true},
        }));
        assert_eq!(
            messages(
                json!({"spec": {"replicas": -1, "ratio": 0, "top": 5}}),
                schema.clone()
            ),
            vec![
                "spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0",
                "spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0",
                "spec.top: Invalid value: 5: spec.top in body should be less than 5",
            ]
        );
        assert_eq!(
            messages(
                json!({"spec": {"replicas": 11, "ratio": 0.7}}),
                schema.clone()
            ),
            vec![
                "spec.ratio: Invalid value: 0.7: spec.ratio in body should be a multiple of 0.5",
                "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10",
            ]
        );
        assert!(messages(json!({"spec": {"replicas": 3, "ratio": 1.5}}), schema).is_empty());
    }

    #[test]
    fn types_and_nullable() {
        let schema = spec(json!({
            "replicas": {"type": "integer"},
            "name": {"type": "string", "nullable": true},
            "port": {"x-kubernetes-int-or-string": true},
        }));
        assert_eq!(
            messages(
                json!({"spec": {"replicas": "three", "name": null, "port": "http"}}),
                schema.clone()
            ),
            vec![
                r#"spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string""#
            ]
        );
        let errs = messages(json!({"spec": {"replicas": null, "port": true}}), schema);
        assert_eq!(
            errs,
            vec![
                r#"spec.port: Invalid value: "boolean": spec.port in body must be of type integer: "boolean""#,
                r#"spec.port: Invalid value: "boolean": spec.port in body must be of type string: "boolean""#,
                "spec.port: Invalid value: true: spec.port in body must validate at least one schema (anyOf)",
                r#"spec.replicas: Invalid value: "null": spec.replicas in body must be of type integer: "null""#,
            ]
        );
    }

    #[test]
    fn strings_enums_and_required() {
        let schema = json!({"type": "object", "required": ["spec"], "properties": {"spec": {
        "type": "object", "required": ["color"],
        "properties": {
            "color": {"type": "string", "enum": ["red", "green"]},
            "name": {"type": "string", "minLength": 2, "maxLength": 3, "pattern": "^[a-z]+$"},
            "id": {"type": "string", "format": "uuid"},
        }}}});
        assert_eq!(
            messages(json!({}), schema.clone()),
            vec!["spec: Required value"]
        );
        assert_eq!(
            messages(json!({"spec": {"name": "a1", "id": "x"}}), schema.clone()),
            vec![
                "spec.color: Required value",
                r#"spec.id: Invalid value: "x": spec.id in body must be of type uuid: "x""#,
                r#"spec.name: Invalid value: "a1": spec.name in body should match '^[a-z]+$'"#,
            ]
        );
        assert_eq!(
            messages(
                json!({"spec": {"color": "blue", "name": "abcd"}}),
                schema.clone()
            ),
            vec![
                r#"spec.color: Unsupported value: "blue": supported values: "red", "green""#,
                "spec.name: Too long: must have at most 3 bytes",
            ]
        );
        assert_eq!(
            messages(json!({"spec": {"color": "red", "name": "a"}}), schema),
            vec![
                r#"spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long"#
            ]
        );
    }

    #[test]
    fn lists_and_maps() {
        let schema = spec(json!({
            "tags": {"type": "array", "maxItems": 3, "x-kubernetes-list-type": "set", "items": {"type": "string"}},
            "conditions": {"type": "array", "minItems": 1, "x-kubernetes-list-type": "map",
                "x-kubernetes-list-map-keys": ["type"],
                "items": {"type": "object", "properties": {"type": {"type": "string"}}}},
            "labels": {"type": "object", "maxProperties": 1, "minProperties": 1,
                "additionalProperties": {"type": "string"}},
        }));
        assert_eq!(
            messages(
                json!({"spec": {"tags": ["a", "b", "a", "c"], "labels": {"a": "1", "b": 2},
                    "conditions": [{"type": "Ready"}, {"type": "Ready"}]}}),
                schema.clone()
            ),
            vec![
                r#"spec.conditions[1]: Duplicate value: map[string]interface {}{"type":"Ready"}"#,
                "spec.labels: Too many: 2: must have at most 1 items",
                r#"spec.labels.b: Invalid value: "integer": spec.labels.b in body must be of type string: "integer""#,
                "spec.tags: Too many: 4: must have at most 3 items",
                r#"spec.tags[2]: Duplicate value: "a""#,
            ]
        );
        assert_eq!(
            messages(json!({"spec": {"conditions": [], "labels": {}}}), schema),
            vec![
                "spec.conditions: Invalid value: []: spec.conditions in body should have at least 1 items",
                r#"spec.labels: Invalid value: "object": spec.labels in body should have at least 1 properties"#,
            ]
        );
    }

    fn generated_schema() -> Value {
        spec(json!({
            "size": {"type": "integer", "minimum": 0, "maximum": 100, "multipleOf": 5},
            "mode": {"type": "string", "enum": ["fast", "slow"]},
            "name": {"type": "string", "minLength": 1, "maxLength": 8, "pattern": "^[a-z]+$"},
            "tags": {"type": "array", "maxItems": 4, "x-kubernetes-list-type": "set",
                "items": {"type": "string", "format": "uuid"}},
            "ports": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                "items": {"type": "object", "required": ["name"], "properties": {
                    "name": {"type": "string"}, "port": {"x-kubernetes-int-or-string": true}}}},
        }))
    }

    proptest::proptest! {
        /// A value built to satisfy every constraint of the schema passes it.
        #[test]
        fn values_made_to_satisfy_the_schema_pass(
            size in 0u32..=20,
            fast in proptest::bool::ANY,
            name in "[a-z]{1,8}",
            tags in proptest::collection::btree_set(0u64..1000, 0..=4),
            ports in proptest::collection::btree_map("[a-z]{1,5}", proptest::option::of(0i64..65536), 0..4),
        ) {
            let tags: Vec<String> = tags.iter().map(|t| format!("00000000-0000-0000-0000-{t:012}")).collect();
            let ports: Vec<Value> = ports.into_iter().enumerate().map(|(i, (name, port))| match port {
                Some(p) if i % 2 == 0 => json!({"name": name, "port": p}),
                Some(_) => json!({"name": name, "port": "http"}),
                None => json!({"name": name}),
            }).collect();
            let obj = json!({"spec": {"size": size * 5, "mode": if fast { "fast" } else { "slow" },
                "name": name, "tags": tags, "ports": ports}});
            let errors = messages(obj, generated_schema());
            proptest::prop_assert!(errors.is_empty(), "{errors:?}");
        }
    }

    #[test]
    fn combinators() {
        let schema = spec(json!({
            "size": {"type": "integer", "anyOf": [{"minimum": 10}, {"maximum": 0}], "not": {"enum": [20]}},
            "mode": {"type": "string", "oneOf": [{"enum": ["a", "b"]}, {"enum": ["b", "c"]}]},
            "all": {"type": "integer", "allOf": [{"minimum": 1}, {"maximum": 3}]},
        }));
        assert!(
            messages(
                json!({"spec": {"size": 11, "mode": "a", "all": 2}}),
                schema.clone()
            )
            .is_empty()
        );
        assert_eq!(
            messages(
                json!({"spec": {"size": 20, "mode": "b", "all": 4}}),
                schema.clone()
            ),
            vec![
                "spec.all: Invalid value: 4: spec.all in body should be less than or equal to 3",
                "spec.all: Invalid value: 4: spec.all in body must validate all the schemas (allOf)",
                r#"spec.mode: Invalid value: "b": spec.mode in body must validate one and only one schema (oneOf)"#,
                "spec.size: Invalid value: 20: spec.size in body must not validate the schema provided",
            ]
        );
        assert_eq!(
            messages(json!({"spec": {"size": 5}}), schema),
            vec![
                "spec.size: Invalid value: 5: spec.size in body should be greater than or equal to 10",
                "spec.size: Invalid value: 5: spec.size in body should be less than or equal to 0",
                "spec.size: Invalid value: 5: spec.size in body must validate at least one schema (anyOf)",
            ]
        );
    }
}
