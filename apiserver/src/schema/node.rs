//! Read access to one node of a structural schema (an `openAPIV3Schema` as JSON): the few
//! keywords pruning, defaulting, validation and field management read.

use serde_json::{Map, Value};

/// One schema node. A thin view: the JSON stays the source of truth, so nothing is lost or
/// re-encoded between the definition and what is enforced.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Node<'a>(pub &'a Value);

impl<'a> Node<'a> {
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.0.get(key)
    }

    fn flag(&self, key: &str) -> bool {
        self.get(key).and_then(Value::as_bool).unwrap_or(false)
    }

    pub(crate) fn type_(&self) -> Option<&'a str> {
        self.get("type").and_then(Value::as_str)
    }

    pub(crate) fn properties(&self) -> Option<&'a Map<String, Value>> {
        self.get("properties").and_then(Value::as_object)
    }

    pub(crate) fn property(&self, name: &str) -> Option<Node<'a>> {
        self.properties().and_then(|p| p.get(name)).map(Node)
    }

    /// `additionalProperties` when it is a schema (`true` is only allowed with
    /// preserve-unknown-fields in a structural schema, and means nothing more then).
    pub(crate) fn additional(&self) -> Option<Node<'a>> {
        self.get("additionalProperties")
            .filter(|v| v.is_object())
            .map(Node)
    }

    /// The schema of a field of this object: a declared property, else the
    /// `additionalProperties` schema.
    pub(crate) fn field(&self, name: &str) -> Option<Node<'a>> {
        self.property(name).or_else(|| self.additional())
    }

    pub(crate) fn items(&self) -> Option<Node<'a>> {
        self.get("items").filter(|v| v.is_object()).map(Node)
    }

    pub(crate) fn preserves_unknown(&self) -> bool {
        self.flag("x-kubernetes-preserve-unknown-fields")
    }

    pub(crate) fn embedded_resource(&self) -> bool {
        self.flag("x-kubernetes-embedded-resource")
    }

    pub(crate) fn int_or_string(&self) -> bool {
        self.flag("x-kubernetes-int-or-string")
    }

    pub(crate) fn nullable(&self) -> bool {
        self.flag("nullable")
    }

    pub(crate) fn default(&self) -> Option<&'a Value> {
        self.get("default")
    }

    pub(crate) fn list_type(&self) -> Option<&'a str> {
        self.get("x-kubernetes-list-type").and_then(Value::as_str)
    }

    pub(crate) fn list_map_keys(&self) -> Vec<&'a str> {
        self.get("x-kubernetes-list-map-keys")
            .and_then(Value::as_array)
            .map(|keys| keys.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    pub(crate) fn number(&self, key: &str) -> Option<f64> {
        self.get(key).and_then(Value::as_f64)
    }

    pub(crate) fn count(&self, key: &str) -> Option<u64> {
        self.get(key).and_then(Value::as_u64)
    }

    pub(crate) fn bool(&self, key: &str) -> bool {
        self.flag(key)
    }

    pub(crate) fn str(&self, key: &str) -> Option<&'a str> {
        self.get(key).and_then(Value::as_str)
    }

    pub(crate) fn list(&self, key: &str) -> &'a [Value] {
        self.get(key)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    pub(crate) fn strings(&self, key: &str) -> Vec<&'a str> {
        self.list(key).iter().filter_map(Value::as_str).collect()
    }

    pub(crate) fn sub(&self, key: &str) -> Option<Node<'a>> {
        self.get(key).filter(|v| v.is_object()).map(Node)
    }
}

/// A field path as kube-apiserver prints it: `spec.items[0].name`.
pub(crate) fn child(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

pub(crate) fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}
