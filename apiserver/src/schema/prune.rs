//! Pruning, as apiextensions-apiserver's `structuralpruning.Prune` does it: every field the
//! schema does not declare is dropped, except under `x-kubernetes-preserve-unknown-fields`;
//! `apiVersion`, `kind` and `metadata` survive at the root and in embedded resources
//! (`x-kubernetes-embedded-resource`). The dropped paths are returned, in the order met, for
//! field validation (`fieldValidation=Strict|Warn`).

use serde_json::Value;

use super::node::{Node, child, index};

/// Prunes `obj` (a whole object) by its root `schema`; returns the dropped paths
/// (`spec.foo`, `spec.items[0].bar`).
pub(crate) fn prune(obj: &mut Value, schema: &Value) -> Vec<String> {
    let mut dropped = Vec::new();
    prune_at(obj, Node(schema), true, "", &mut dropped);
    dropped
}

fn prune_at(value: &mut Value, node: Node<'_>, resource: bool, path: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            // An embedded resource keeps its type and metadata whatever its schema says.
            let resource = resource || node.embedded_resource();
            let keys: Vec<String> = map.keys().cloned().collect();
            for key in keys {
                if resource && matches!(key.as_str(), "apiVersion" | "kind") {
                    continue;
                }
                if resource && key == "metadata" {
                    if let Some(Value::Object(meta)) = map.get_mut("metadata") {
                        prune_metadata(meta, &child(path, "metadata"), out);
                    }
                    continue;
                }
                let at = child(path, &key);
                match node.field(&key) {
                    Some(field) => {
                        if let Some(v) = map.get_mut(&key) {
                            prune_at(v, field, false, &at, out);
                        }
                    }
                    None if node.preserves_unknown() => {}
                    None => {
                        map.remove(&key);
                        out.push(at);
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(item) = node.items() {
                for (i, v) in items.iter_mut().enumerate() {
                    prune_at(v, item, false, &index(path, i), out);
                }
            }
        }
        _ => {}
    }
}

/// `ObjectMeta`'s fields: upstream decodes metadata as `ObjectMeta`, which drops (and under
/// strict decoding reports) anything else; the fields themselves it leaves to metadata
/// validation, whatever the schema says of them.
const OBJECT_META: [&str; 15] = [
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
];

fn prune_metadata(meta: &mut serde_json::Map<String, Value>, path: &str, out: &mut Vec<String>) {
    meta.retain(|key, _| {
        let known = OBJECT_META.contains(&key.as_str());
        if !known {
            out.push(child(path, key));
        }
        known
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn schema() -> Value {
        json!({"type": "object", "properties": {
            "spec": {"type": "object", "properties": {
                "replicas": {"type": "integer"},
                "items": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
                "template": {"type": "object", "x-kubernetes-embedded-resource": true, "properties": {}},
            }},
        }})
    }

    #[test]
    fn unknown_fields_are_dropped_and_reported() {
        let mut obj = json!({"apiVersion": "x/v1", "kind": "W", "metadata": {"name": "w", "bogus": 1},
            "spec": {"replicas": 1, "foo": 2, "items": [{"name": "a", "bar": 1}],
                "labels": {"a": "b"}, "free": {"anything": {"x": 1}},
                "template": {"apiVersion": "v1", "kind": "Pod", "metadata": {}, "spec": {}}},
            "extra": true});
        let dropped = prune(&mut obj, &schema());
        assert_eq!(
            dropped,
            vec![
                "extra",
                "metadata.bogus",
                "spec.foo",
                "spec.items[0].bar",
                "spec.template.spec"
            ]
        );
        assert_eq!(
            obj,
            json!({"apiVersion": "x/v1", "kind": "W", "metadata": {"name": "w"},
                "spec": {"replicas": 1, "items": [{"name": "a"}], "labels": {"a": "b"},
                    "free": {"anything": {"x": 1}},
                    "template": {"apiVersion": "v1", "kind": "Pod", "metadata": {}}}})
        );
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            "[a-z]{0,4}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 32, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(
                    prop_oneof![
                        Just("spec".to_owned()),
                        Just("replicas".to_owned()),
                        Just("items".to_owned()),
                        Just("name".to_owned()),
                        Just("free".to_owned()),
                        "[a-z]{1,3}"
                    ],
                    inner,
                    0..4
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn pruning_is_idempotent(mut obj in json_value()) {
            let schema = schema();
            prune(&mut obj, &schema);
            let once = obj.clone();
            prop_assert!(prune(&mut obj, &schema).is_empty());
            prop_assert_eq!(obj, once);
        }
    }
}
