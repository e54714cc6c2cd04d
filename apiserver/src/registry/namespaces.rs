//! The built-in `Namespace`'s strategy, and the namespace controller this server plays itself:
//! every logical cluster's initial namespaces, and removing a terminating namespace once it
//! is empty.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use super::{Registry, delete};
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

/// The namespace controller's work on a terminating namespace: delete everything in it,
/// then the namespace itself once nothing holds it. Only for the namespace of this `uid`
/// (not one re-created under the same name meanwhile).
pub(crate) fn finish_deletion(state: &mut StoreState, cluster: &str, name: &str, uid: &str) {
    let key = ObjectName::new(cluster, "", name);
    match state.get(&ResourceKey::namespaces(), &key) {
        Some(ns) if meta::uid(&ns) == uid && meta::is_deleting(&ns) => {}
        _ => return,
    }
    for (resource, content) in state.namespace_content(cluster, name) {
        delete(state, &resource, &content, false);
    }
    reap(state, cluster, name);
}

/// Runs [`finish_deletion`] after `delay`, in the background (at once without a runtime).
pub(crate) fn schedule_cleanup(
    registry: &Arc<Registry>,
    cluster: &str,
    name: &str,
    uid: &str,
    delay: Duration,
) {
    let (cluster, name, uid) = (cluster.to_owned(), name.to_owned(), uid.to_owned());
    let registry = Arc::clone(registry);
    match tokio::runtime::Handle::try_current() {
        Ok(runtime) => {
            runtime.spawn(async move {
                tokio::time::sleep(delay).await;
                finish_deletion(&mut registry.store.lock(), &cluster, &name, &uid);
            });
        }
        Err(_) => finish_deletion(&mut registry.store.lock(), &cluster, &name, &uid),
    }
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
