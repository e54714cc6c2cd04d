//! The schema's list and map types, for server-side apply: structured-merge-diff reads
//! `x-kubernetes-list-type` (`atomic`, `set`, `map` with `x-kubernetes-list-map-keys`) and
//! `x-kubernetes-map-type` (`atomic`, `granular`) from the CRD's schema to decide what a
//! manager owns and how lists merge.
//!
//! The field manager is called from deep inside the registry's write paths with paths only;
//! rather than thread the schema through every function of it, a write puts the kind's
//! schema in a thread-local [`Scope`] for its duration. Writes are synchronous under the
//! store's lock, so the scope never outlives or crosses one write.

use std::cell::RefCell;

use serde_json::Value;

use super::node::Node;

thread_local! {
    static SCHEMA: RefCell<Option<Value>> = const { RefCell::new(None) };
}

/// The kind's schema in force for field management until dropped.
#[derive(Debug)]
pub(crate) struct Scope {
    previous: Option<Value>,
}

/// Puts `schema` in force (none: the schemaless rules) until the returned scope drops.
pub(crate) fn scope(schema: Option<&Value>) -> Scope {
    let previous = SCHEMA.with(|s| s.replace(schema.cloned()));
    Scope { previous }
}

impl Drop for Scope {
    fn drop(&mut self) {
        let previous = self.previous.take();
        SCHEMA.with(|s| *s.borrow_mut() = previous);
    }
}

/// A list's type by the schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ListType {
    Atomic,
    Set,
    Map(Vec<String>),
}

/// One step of a path: a field (`Some`) or a list item (`None`).
pub(crate) type Step<'a> = Option<&'a str>;

fn with_node<T>(path: &[Step<'_>], f: impl FnOnce(Node<'_>) -> Option<T>) -> Option<T> {
    SCHEMA.with(|s| {
        let schema = s.borrow();
        let mut node = Node(schema.as_ref()?);
        for step in path {
            node = match step {
                Some(field) => node.field(field)?,
                None => node.items()?,
            };
        }
        f(node)
    })
}

/// The type the schema gives the list at `path`; `None` when no schema is in force or it
/// says nothing there (the caller's defaults apply: atomic, as upstream's for lists).
pub(crate) fn list_type(path: &[Step<'_>]) -> Option<ListType> {
    with_node(path, |node| {
        Some(match node.list_type()? {
            "set" => ListType::Set,
            "map" => ListType::Map(
                node.list_map_keys()
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
            ),
            _ => ListType::Atomic,
        })
    })
}

/// Whether the object at `path` is owned whole (`x-kubernetes-map-type: atomic`).
pub(crate) fn atomic_map(path: &[Step<'_>]) -> bool {
    with_node(path, |node| {
        Some(node.str("x-kubernetes-map-type") == Some("atomic"))
    })
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn list_types_come_from_the_schema_in_scope() {
        let schema = json!({"properties": {"status": {"properties": {"conditions": {
            "type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["type"],
            "items": {"properties": {"labels": {"type": "object", "x-kubernetes-map-type": "atomic"}}}}}}}});
        let conditions = [Some("status"), Some("conditions")];
        assert_eq!(list_type(&conditions), None);
        {
            let _scope = scope(Some(&schema));
            assert_eq!(
                list_type(&conditions),
                Some(ListType::Map(vec!["type".to_owned()]))
            );
            assert!(atomic_map(&[
                Some("status"),
                Some("conditions"),
                None,
                Some("labels")
            ]));
            assert!(!atomic_map(&[Some("status")]));
        }
        assert_eq!(list_type(&conditions), None, "the scope ended");
    }
}
