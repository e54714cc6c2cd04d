//! Defaulting, as apiextensions-apiserver's `structuraldefaulting.Default` does it after
//! pruning: a property with a `default` that is missing, or `null` while not `nullable`, gets
//! a copy of the default; then defaulting goes on inside every value present (properties,
//! `additionalProperties` values, list items), so defaults nested in a default apply too.

use serde_json::Value;

use super::node::Node;

/// Applies the defaults of `schema` to `obj`, in place.
pub(crate) fn apply_defaults(obj: &mut Value, schema: &Value) {
    default_at(obj, Node(schema));
}

fn default_at(value: &mut Value, node: Node<'_>) {
    match value {
        Value::Object(map) => {
            if let Some(props) = node.properties() {
                for (name, prop) in props {
                    let prop = Node(prop);
                    let Some(default) = prop.default() else {
                        continue;
                    };
                    let absent = match map.get(name) {
                        None => true,
                        Some(Value::Null) => !prop.nullable(),
                        Some(_) => false,
                    };
                    if absent {
                        map.insert(name.clone(), default.clone());
                    }
                }
            }
            for (name, v) in map.iter_mut() {
                if let Some(field) = node.field(name) {
                    default_at(v, field);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item) = node.items() {
                for v in items {
                    default_at(v, item);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn missing_and_null_fields_take_their_defaults() {
        let schema = json!({"type": "object", "properties": {"spec": {
        "type": "object", "default": {},
        "properties": {
            "replicas": {"type": "integer", "default": 1},
            "mode": {"type": "string", "default": "fast"},
            "note": {"type": "string", "nullable": true, "default": "n"},
            "ports": {"type": "array", "items": {"type": "object", "properties": {
                "protocol": {"type": "string", "default": "TCP"}}}},
        }}}});
        let mut obj =
            json!({"spec": {"mode": null, "note": null, "ports": [{}, {"protocol": "UDP"}]}});
        apply_defaults(&mut obj, &schema);
        assert_eq!(
            obj,
            json!({"spec": {"replicas": 1, "mode": "fast", "note": null,
                "ports": [{"protocol": "TCP"}, {"protocol": "UDP"}]}})
        );
        let mut empty = json!({});
        apply_defaults(&mut empty, &schema);
        assert_eq!(
            empty,
            json!({"spec": {"replicas": 1, "mode": "fast", "note": "n"}})
        );
    }
}
