//! The CRD controllers kube-apiserver runs, played by the server itself right after every
//! write to a CRD: the established/naming controllers (a served CRD gets `acceptedNames` and
//! the `NamesAccepted` and `Established` conditions), discovery (the served kinds follow the
//! stored CRDs at once), and the finalizer's cleanup (the objects of a deleted CRD go with it).
//!
//! CRDs are server-wide: one stored in any logical cluster serves its kinds in all of them
//! (kcp scopes them to their workspace).

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::{Value, json};

use super::convert;
use crate::definition::ResourceDefinition;
use crate::meta;
use crate::registry::{Registry, reap};
use crate::storage::{ObjectName, ResourceKey, StoreState};

/// Brings the served kinds and every CRD's status in line with the stored CRDs.
pub(crate) fn reconcile(registry: &Registry) {
    // Kinds before the store, the order every other path takes them in.
    let mut kinds = registry.kinds_mut();
    let mut state = registry.store.lock();
    let crds: Vec<(ObjectName, Arc<Value>)> = state
        .list(&super::key(), None, None, None)
        .map(|(k, v)| (k.clone(), Arc::clone(v)))
        .collect();
    let mut desired: Vec<(String, ResourceDefinition)> = Vec::new();
    // Storages of CRDs that exist, whether any version is served: their objects stay.
    let mut storages: BTreeSet<ResourceKey> = BTreeSet::new();
    for (name, obj) in &crds {
        // A CRD being deleted (someone else's finalizer holds it) serves nothing any more.
        if meta::is_deleting(obj) {
            continue;
        }
        // Stored CRDs passed validation; one that does not parse serves nothing.
        let Ok(defs) = convert::definitions(obj) else {
            continue;
        };
        let group = meta::str_at(obj, "/spec/group").unwrap_or("");
        let plural = meta::str_at(obj, "/spec/names/plural").unwrap_or("");
        storages.insert(ResourceKey {
            group: group.to_owned(),
            plural: plural.to_owned(),
        });
        for def in defs {
            let taken = desired.iter().any(|(_, d)| {
                d.group == def.group && d.version == def.version && d.plural == def.plural
            });
            if !taken {
                desired.push((name.name.clone(), def));
            }
        }
        if let Some(updated) = with_status(obj) {
            state.put(&super::key(), name.clone(), updated);
        }
    }
    let gone: Vec<ResourceKey> = kinds
        .crd_storages()
        .difference(&storages)
        .filter(|key| !kinds.registered_uses(&key.group, &key.plural))
        .cloned()
        .collect();
    for key in &gone {
        delete_all(&mut state, key);
    }
    kinds.set_crd_kinds(desired, storages);
}

/// Removes every object of a storage no CRD serves any more, as the CRD finalizer does
/// upstream (here at once, finalizers of the objects notwithstanding: nothing could serve
/// them to have them removed).
fn delete_all(state: &mut StoreState, resource: &ResourceKey) {
    let names: Vec<ObjectName> = state
        .list(resource, None, None, None)
        .map(|(k, _)| k.clone())
        .collect();
    for name in names {
        state.remove(resource, &name);
        reap(state, &name.cluster, &name.namespace);
    }
}

/// The CRD with the status the controllers give a served CRD; `None` when it has it already.
fn with_status(obj: &Value) -> Option<Value> {
    let crd = convert::parse(obj).ok()?;
    let accepted = convert::accepted_names(&crd.spec.names);
    let old = obj.get("status").cloned().unwrap_or_else(|| json!({}));
    let now = meta::now_timestamp();
    // A condition keeps its transition time while its status stays.
    let condition = |type_: &str, reason: &str, message: &str| {
        let previous = old
            .get("conditions")
            .and_then(Value::as_array)
            .and_then(|c| {
                c.iter()
                    .find(|c| c["type"] == type_ && c["status"] == "True")
            });
        let since = previous
            .and_then(|c| c.get("lastTransitionTime").cloned())
            .unwrap_or_else(|| json!(now));
        json!({
            "type": type_,
            "status": "True",
            "reason": reason,
            "message": message,
            "lastTransitionTime": since,
        })
    };
    let mut stored: Vec<Value> = old
        .get("storedVersions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for version in crd.spec.versions.iter().filter(|v| v.storage) {
        if !stored.iter().any(|s| s == version.name.as_str()) {
            stored.push(json!(version.name));
        }
    }
    let status = json!({
        "acceptedNames": serde_json::to_value(&accepted).unwrap_or(Value::Null),
        "conditions": [
            condition("NamesAccepted", "NoConflicts", "no conflicts found"),
            condition("Established", "InitialNamesAccepted", "the initial names have been accepted"),
        ],
        "storedVersions": stored,
    });
    if status == old {
        return None;
    }
    let mut updated = obj.clone();
    if let Value::Object(map) = &mut updated {
        map.insert("status".to_owned(), status);
    }
    Some(updated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_is_written_once() {
        let crd = json!({
            "metadata": {"name": "widgets.example.io"},
            "spec": {"group": "example.io", "scope": "Namespaced",
                     "names": {"plural": "widgets", "kind": "Widget"},
                     "versions": [{"name": "v1", "served": true, "storage": true}]}
        });
        let first = with_status(&crd).unwrap_or_default();
        assert_eq!(first["status"]["acceptedNames"]["listKind"], "WidgetList");
        assert_eq!(first["status"]["conditions"][1]["type"], "Established");
        assert_eq!(first["status"]["conditions"][1]["status"], "True");
        assert_eq!(first["status"]["storedVersions"], json!(["v1"]));
        assert_eq!(with_status(&first), None, "a second pass changes nothing");
    }
}
