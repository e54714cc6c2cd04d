//! Delete: finalizers hold an object (it gets a `deletionTimestamp` and stays until they are
//! removed); a namespace turns Terminating and cascades to its content.

use std::sync::Arc;

use serde_json::{Value, json};

use super::namespaces;
use crate::meta;
use crate::storage::{ObjectName, ResourceKey, StoreState};

/// Outcome of deleting one object.
#[derive(Debug)]
pub(crate) enum Deleted {
    /// Gone now; the last state.
    Removed(Arc<Value>),
    /// Finalizers hold it; the object with its deletionTimestamp.
    Finalizing(Arc<Value>),
}

/// Deletes or starts deleting one object; `None` when there is no such object. A namespace
/// only turns Terminating here.
pub(crate) fn delete(
    state: &mut StoreState,
    resource: &ResourceKey,
    key: &ObjectName,
    dry_run: bool,
) -> Option<Deleted> {
    let old = state.get(resource, key)?;
    let is_namespace = *resource == ResourceKey::namespaces();
    let holds = !meta::finalizers(&old).is_empty();
    if dry_run {
        return Some(if holds {
            Deleted::Finalizing(old)
        } else {
            Deleted::Removed(old)
        });
    }
    if is_namespace {
        let mut terminating = (*old).clone();
        if !meta::is_deleting(&terminating) {
            meta::set_meta(
                &mut terminating,
                "deletionTimestamp",
                json!(meta::now_timestamp()),
            );
            meta::set_meta(&mut terminating, "deletionGracePeriodSeconds", json!(0));
            meta::set_path(&mut terminating, ".status.phase", json!("Terminating"));
            state.put(resource, key.clone(), terminating);
        }
        // Its content goes later, as the namespace controller removes it upstream
        // (`namespaces::schedule_cleanup`).
        return state.get(resource, key).map(Deleted::Finalizing);
    }
    if holds {
        if meta::is_deleting(&old) {
            return Some(Deleted::Finalizing(old));
        }
        let mut marked = (*old).clone();
        meta::set_meta(
            &mut marked,
            "deletionTimestamp",
            json!(meta::now_timestamp()),
        );
        meta::set_meta(&mut marked, "deletionGracePeriodSeconds", json!(0));
        meta::set_meta(&mut marked, "generation", json!(meta::generation(&old) + 1));
        return Some(Deleted::Finalizing(state.put(
            resource,
            key.clone(),
            marked,
        )));
    }
    let last = state.remove(resource, key)?;
    namespaces::reap(state, &key.cluster, &key.namespace);
    Some(Deleted::Removed(last))
}
