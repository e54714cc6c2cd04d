//! The built-in `Namespace`'s strategy, and the namespace controller this server plays itself:
//! every logical cluster's initial namespaces, and removing a terminating namespace once it
//! is empty.

use serde_json::{Value, json};

use crate::meta;
use crate::storage::{ObjectName, ResourceKey, StoreState};

/// Namespaces every logical cluster starts with.
const INITIAL_NAMESPACES: [&str; 4] = ["default", "kube-system", "kube-public", "kube-node-lease"];

/// Creates a cluster's initial namespaces the first time the cluster is addressed.
pub(crate) fn ensure_cluster(state: &mut StoreState, cluster: &str) {
    if !state.first_touch(cluster) {
        return;
    }
    for ns in INITIAL_NAMESPACES {
        let name = ObjectName::new(cluster, "", ns);
        if state.get(&ResourceKey::namespaces(), &name).is_none() {
            let obj = json!({
                "metadata": {
                    "name": ns,
                    "uid": meta::new_uid(),
                    "creationTimestamp": meta::now_timestamp(),
                    "labels": {"kubernetes.io/metadata.name": ns},
                },
                "spec": {"finalizers": ["kubernetes"]},
                "status": {"phase": "Active"},
            });
            state.put(&ResourceKey::namespaces(), name, obj);
        }
    }
}

/// What a new namespace gets from the server: phase `Active` and the
/// `kubernetes.io/metadata.name` label.
pub(crate) fn default_new(obj: &mut Value, name: &str) {
    meta::set_path(obj, ".status.phase", json!("Active"));
    let mut labels = obj
        .pointer("/metadata/labels")
        .cloned()
        .unwrap_or_else(|| json!({}));
    labels["kubernetes.io/metadata.name"] = json!(name);
    meta::set_meta(obj, "labels", labels);
}

/// Removes a terminating namespace once nothing is left in it. Namespace `spec.finalizers`
/// stand for the namespace controller, which this server plays itself, so only
/// `metadata.finalizers` hold a namespace.
pub(crate) fn reap(state: &mut StoreState, cluster: &str, namespace: &str) {
    if namespace.is_empty() {
        return;
    }
    let key = ObjectName::new(cluster, "", namespace);
    let Some(ns) = state.get(&ResourceKey::namespaces(), &key) else {
        return;
    };
    if meta::is_deleting(&ns)
        && meta::finalizers(&ns).is_empty()
        && !state.namespace_has_content(cluster, namespace)
    {
        state.remove(&ResourceKey::namespaces(), &key);
    }
}
