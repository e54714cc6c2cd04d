//! Field sets as structured-merge-diff (kube-apiserver's field-management library) defines
//! them: the paths of an object a manager owns, how an object's paths are enumerated and two
//! objects compared, and the `FieldsV1` encoding `metadata.managedFields` stores them in.
//!
//! List and map types come from the kind's schema (`x-kubernetes-list-type`,
//! `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`, see [`crate::schema::lists`]); where
//! it says nothing, or the kind has none, what kube-apiserver uses for a custom resource whose
//! schema declares no list types: maps are granular and lists atomic. In metadata, what
//! `ObjectMeta` declares: `metadata.finalizers` is a set (each item owned on its own) and
//! `metadata.ownerReferences` a map keyed by `uid` (each entry owned on its own).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::meta::CLUSTER_ANNOTATION;

/// One step of a path, as `FieldsV1` spells it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Element {
    /// A map key: `f:name`.
    Field(String),
    /// An entry of a keyed list, by the canonical JSON of its key fields: `k:{"uid":"…"}`.
    Key(String),
    /// An item of a set, by its canonical JSON: `v:"example.io/cleanup"`.
    Value(String),
    /// A list index: `i:0`. Never produced here (atomic lists are owned whole), but read.
    Index(usize),
}

pub(crate) type Path = Vec<Element>;
pub(crate) type FieldSet = BTreeSet<Path>;

/// How a list's items are owned and merged (`x-kubernetes-list-type`).
use crate::schema::lists::{self, ListType};

/// The path as the schema walks it: fields, and list items whatever names them.
fn steps(path: &[Element]) -> Vec<lists::Step<'_>> {
    path.iter()
        .map(|e| match e {
            Element::Field(f) => Some(f.as_str()),
            _ => None,
        })
        .collect()
}

fn list_type(path: &[Element]) -> ListType {
    match path {
        [Element::Field(m), Element::Field(f)] if m == "metadata" => match f.as_str() {
            "finalizers" => ListType::Set,
            "ownerReferences" => ListType::Map(vec!["uid".to_owned()]),
            _ => ListType::Atomic,
        },
        // Metadata is `ObjectMeta`'s whatever the schema says.
        [Element::Field(m), ..] if m == "metadata" => ListType::Atomic,
        _ => lists::list_type(&steps(path)).unwrap_or(ListType::Atomic),
    }
}

/// An object the schema makes atomic (`x-kubernetes-map-type: atomic`): owned and merged
/// whole, as a leaf.
pub(crate) fn atomic_map(path: &[Element]) -> bool {
    !matches!(path.first(), Some(Element::Field(m)) if m == "metadata")
        && lists::atomic_map(&steps(path))
}

/// Fields nobody owns: kube-apiserver strips type and identity metadata from every field set.
/// The deletion fields and the kcp annotation are the server's own here and never written by
/// a client, so owning them would only make conflicts no client can resolve.
const IGNORED_METADATA: [&str; 11] = [
    "name",
    "namespace",
    "creationTimestamp",
    "selfLink",
    "uid",
    "clusterName",
    "generation",
    "managedFields",
    "resourceVersion",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
];

fn ignored(path: &[Element]) -> bool {
    match path {
        [Element::Field(f)] => f == "apiVersion" || f == "kind",
        [Element::Field(m), Element::Field(f)] if m == "metadata" => {
            IGNORED_METADATA.contains(&f.as_str())
        }
        [Element::Field(m), Element::Field(a), Element::Field(k)]
            if m == "metadata" && a == "annotations" =>
        {
            k == CLUSTER_ANNOTATION
        }
        _ => false,
    }
}

/// Whether a node is owned in its own right. `metadata` itself never is (upstream strips it
/// with the identity fields); what is under it is.
fn recorded(path: &[Element]) -> bool {
    match path {
        [] => false,
        [Element::Field(f)] => f != "metadata",
        _ => true,
    }
}

/// JSON with object keys sorted, so equal values name the same set item or list key.
fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let sorted: BTreeMap<&String, &Value> = map.iter().collect();
            let parts: Vec<String> = sorted
                .into_iter()
                .map(|(k, v)| format!("{}:{}", Value::String(k.clone()), canonical(v)))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(canonical).collect();
            format!("[{}]", parts.join(","))
        }
        other => other.to_string(),
    }
}

/// The element naming each item of the list at `path`, or `None` when the list is owned
/// whole: atomic by schema, or a set or keyed list that breaks its own rules (duplicates, a
/// missing key), which structured-merge-diff refuses and this server degrades to atomic.
pub(crate) fn item_elements(path: &[Element], items: &[Value]) -> Option<Vec<Element>> {
    let elements: Vec<Element> = match list_type(path) {
        ListType::Atomic => return None,
        ListType::Set => items
            .iter()
            .map(|item| Element::Value(canonical(item)))
            .collect(),
        ListType::Map(keys) => items
            .iter()
            .map(|item| {
                let mut key = Map::new();
                for k in &keys {
                    let v = item.get(k).filter(|v| !v.is_null())?;
                    key.insert(k.clone(), v.clone());
                }
                Some(Element::Key(canonical(&Value::Object(key))))
            })
            .collect::<Option<_>>()?,
    };
    let distinct: BTreeSet<&Element> = elements.iter().collect();
    (distinct.len() == elements.len()).then_some(elements)
}

fn is_keyed(path: &[Element]) -> bool {
    matches!(list_type(path), ListType::Map(_))
}

/// The fields an applied configuration sets, which its manager then owns (structured-merge-
/// diff's `ToFieldSet`): leaves, atomic lists, set items, keyed entries and their fields.
pub(crate) fn of_config(config: &Value) -> FieldSet {
    let mut out = FieldSet::new();
    if let Value::Object(map) = config {
        config_fields(map, &mut Vec::new(), &mut out);
    }
    out
}

fn config_fields(map: &Map<String, Value>, path: &mut Path, out: &mut FieldSet) {
    for (key, value) in map {
        path.push(Element::Field(key.clone()));
        if !ignored(path) {
            config_value(value, path, out);
        }
        path.pop();
    }
}

fn config_value(value: &Value, path: &mut Path, out: &mut FieldSet) {
    match value {
        Value::Object(map) if !map.is_empty() && !atomic_map(path) => config_fields(map, path, out),
        Value::Array(items) => match item_elements(path, items) {
            Some(elements) => {
                let keyed = is_keyed(path);
                for (element, item) in elements.into_iter().zip(items) {
                    path.push(element);
                    out.insert(path.clone());
                    if let (true, Value::Object(fields)) = (keyed, item) {
                        config_fields(fields, path, out);
                    }
                    path.pop();
                }
            }
            None => {
                out.insert(path.clone());
            }
        },
        _ if recorded(path) => {
            out.insert(path.clone());
        }
        _ => {}
    }
}

/// What changed from one object to the next, path by path (structured-merge-diff's
/// `Comparison`). A subtree that appears or disappears counts every node in it, maps too,
/// which is why `Update` entries carry `.` markers for maps they created.
#[derive(Debug, Default)]
pub(crate) struct Comparison {
    pub added: FieldSet,
    pub modified: FieldSet,
    pub removed: FieldSet,
}

impl Comparison {
    /// Fields the new object sets differently: what a writer takes over.
    pub(crate) fn changed(&self) -> FieldSet {
        self.added.union(&self.modified).cloned().collect()
    }
}

pub(crate) fn compare(old: &Value, new: &Value) -> Comparison {
    let mut cmp = Comparison::default();
    compare_at(Some(old), Some(new), &mut Vec::new(), &mut cmp);
    cmp
}

fn compare_at(old: Option<&Value>, new: Option<&Value>, path: &mut Path, cmp: &mut Comparison) {
    if ignored(path) {
        return;
    }
    let (o, n) = match (old, new) {
        (None, None) => return,
        (None, Some(n)) => return nodes(n, path, &mut cmp.added),
        (Some(o), None) => return nodes(o, path, &mut cmp.removed),
        (Some(o), Some(n)) => (o, n),
    };
    match (o, n) {
        (Value::Object(o), Value::Object(n)) if !atomic_map(path) => {
            let keys: BTreeSet<&String> = o.keys().chain(n.keys()).collect();
            for key in keys {
                path.push(Element::Field(key.clone()));
                compare_at(o.get(key), n.get(key), path, cmp);
                path.pop();
            }
            return;
        }
        (Value::Array(o), Value::Array(n)) => {
            if let (Some(oe), Some(ne)) = (item_elements(path, o), item_elements(path, n)) {
                let old_items: BTreeMap<Element, &Value> = oe.into_iter().zip(o).collect();
                let new_items: BTreeMap<Element, &Value> = ne.into_iter().zip(n).collect();
                let elements: BTreeSet<&Element> =
                    old_items.keys().chain(new_items.keys()).collect();
                for element in elements {
                    path.push(element.clone());
                    compare_at(
                        old_items.get(element).copied(),
                        new_items.get(element).copied(),
                        path,
                        cmp,
                    );
                    path.pop();
                }
                return;
            }
        }
        _ => {}
    }
    if o != n && recorded(path) {
        cmp.modified.insert(path.clone());
    }
}

/// Every node of `value`'s subtree, `path` included.
fn nodes(value: &Value, path: &mut Path, out: &mut FieldSet) {
    if recorded(path) {
        out.insert(path.clone());
    }
    match value {
        Value::Object(map) if !atomic_map(path) => {
            for (key, child) in map {
                path.push(Element::Field(key.clone()));
                if !ignored(path) {
                    nodes(child, path, out);
                }
                path.pop();
            }
        }
        Value::Array(items) => {
            for (element, item) in item_elements(path, items)
                .unwrap_or_default()
                .into_iter()
                .zip(items)
            {
                path.push(element);
                nodes(item, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Whether `set` owns `path` or something under it.
pub(crate) fn covers(set: &FieldSet, path: &[Element]) -> bool {
    set.range(path.to_vec()..)
        .next()
        .is_some_and(|p| p.starts_with(path))
}

fn element_key(element: &Element) -> String {
    match element {
        Element::Field(f) => format!("f:{f}"),
        Element::Key(k) => format!("k:{k}"),
        Element::Value(v) => format!("v:{v}"),
        Element::Index(i) => format!("i:{i}"),
    }
}

fn parse_element(key: &str) -> Option<Element> {
    let json = |raw: &str| serde_json::from_str::<Value>(raw).ok();
    if let Some(f) = key.strip_prefix("f:") {
        Some(Element::Field(f.to_owned()))
    } else if let Some(k) = key.strip_prefix("k:") {
        json(k)
            .filter(Value::is_object)
            .map(|k| Element::Key(canonical(&k)))
    } else if let Some(v) = key.strip_prefix("v:") {
        json(v).map(|v| Element::Value(canonical(&v)))
    } else {
        key.strip_prefix("i:")
            .and_then(|i| i.parse().ok())
            .map(Element::Index)
    }
}

#[derive(Default)]
struct Node {
    member: bool,
    children: BTreeMap<String, Node>,
}

/// `FieldsV1`: a tree of `f:`/`k:`/`v:`/`i:` keys; an owned node with children says so with
/// a `.` key, an owned leaf is `{}`.
pub(crate) fn encode(set: &FieldSet) -> Value {
    let mut root = Node::default();
    for path in set {
        let mut node = &mut root;
        for element in path {
            node = node.children.entry(element_key(element)).or_default();
        }
        node.member = true;
    }
    node_json(&root)
}

fn node_json(node: &Node) -> Value {
    let mut map = Map::new();
    if node.member && !node.children.is_empty() {
        map.insert(".".to_owned(), Value::Object(Map::new()));
    }
    for (key, child) in &node.children {
        map.insert(key.clone(), node_json(child));
    }
    Value::Object(map)
}

pub(crate) fn decode(fields: &Value) -> FieldSet {
    let mut out = FieldSet::new();
    decode_node(fields, &mut Vec::new(), &mut out);
    out
}

fn decode_node(value: &Value, path: &mut Path, out: &mut FieldSet) {
    let Value::Object(map) = value else { return };
    if (map.is_empty() || map.contains_key(".")) && !path.is_empty() {
        out.insert(path.clone());
    }
    for (key, child) in map {
        if let Some(element) = parse_element(key) {
            path.push(element);
            decode_node(child, path, out);
            path.pop();
        }
    }
}

/// A path as kube-apiserver prints it in conflicts: `.metadata.finalizers[="a"]`,
/// `.metadata.ownerReferences[uid="1"]`, `.spec.size`.
pub(crate) fn display(path: &[Element]) -> String {
    path.iter()
        .map(|element| match element {
            Element::Field(f) => format!(".{f}"),
            Element::Key(k) => {
                let pairs: Vec<String> = serde_json::from_str::<Map<String, Value>>(k)
                    .map(|m| m.iter().map(|(n, v)| format!("{n}={v}")).collect())
                    .unwrap_or_default();
                format!("[{}]", pairs.join(","))
            }
            Element::Value(v) => format!("[={v}]"),
            Element::Index(i) => format!("[{i}]"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(names: &[&str]) -> Path {
        names
            .iter()
            .map(|n| Element::Field((*n).to_owned()))
            .collect()
    }

    #[test]
    fn finalizers_are_a_set_and_owner_references_a_keyed_map() {
        let set = of_config(&json!({"metadata": {
            "name": "x",
            "finalizers": ["a", "b"],
            "ownerReferences": [{"uid": "1", "name": "o", "kind": "K", "apiVersion": "v1"}],
        }}));
        let encoded = encode(&set);
        assert_eq!(
            encoded,
            json!({"f:metadata": {
                "f:finalizers": {"v:\"a\"": {}, "v:\"b\"": {}},
                "f:ownerReferences": {"k:{\"uid\":\"1\"}": {
                    ".": {}, "f:apiVersion": {}, "f:kind": {}, "f:name": {}, "f:uid": {},
                }},
            }})
        );
        assert_eq!(decode(&encoded), set, "FieldsV1 round-trips");
    }

    #[test]
    fn other_lists_are_atomic_and_duplicates_degrade_a_set() {
        let set =
            of_config(&json!({"spec": {"ports": [1, 2]}, "metadata": {"finalizers": ["a", "a"]}}));
        assert!(set.contains(&field(&["spec", "ports"])));
        assert!(set.contains(&field(&["metadata", "finalizers"])));
    }

    #[test]
    fn comparison_counts_new_subtrees_whole_and_changed_leaves() {
        let cmp = compare(
            &json!({"metadata": {"resourceVersion": "1"}, "spec": {"a": 1, "b": 2}}),
            &json!({"metadata": {"resourceVersion": "2", "labels": {"x": "y"}}, "spec": {"a": 5}}),
        );
        let added: Vec<String> = cmp.added.iter().map(|p| display(p)).collect();
        assert_eq!(added, vec![".metadata.labels", ".metadata.labels.x"]);
        assert_eq!(cmp.modified, FieldSet::from([field(&["spec", "a"])]));
        assert_eq!(cmp.removed, FieldSet::from([field(&["spec", "b"])]));
        let same = compare(&json!({"a": [1]}), &json!({"a": [1]}));
        assert!(same.changed().is_empty() && same.removed.is_empty());
    }

    #[test]
    fn paths_print_as_upstream() {
        let path = vec![
            Element::Field("metadata".to_owned()),
            Element::Field("ownerReferences".to_owned()),
            Element::Key(canonical(&json!({"uid": "1"}))),
        ];
        assert_eq!(display(&path), ".metadata.ownerReferences[uid=\"1\"]");
        let set_item = vec![
            Element::Field("finalizers".to_owned()),
            Element::Value("\"a\"".to_owned()),
        ];
        assert_eq!(display(&set_item), ".finalizers[=\"a\"]");
        assert!(covers(&FieldSet::from([path.clone()]), &path[..2]));
        assert!(!covers(&FieldSet::from([path]), &set_item));
    }
}
