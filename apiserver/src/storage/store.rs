//! Versioned object storage: one monotonic resourceVersion counter for the whole server (as
//! etcd's revision), a ring of recent change events for watches to resume from, and a broadcast
//! channel that feeds live watches.
//!
//! All reads and writes that must be atomic run under one lock (`Store::lock`), so a
//! read-modify-write in a handler is a compare-and-swap: a stale `resourceVersion` is detected
//! while no other write can interleave.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::Value;
use tokio::sync::broadcast;

use super::keys::{ObjectName, ResourceKey};
use crate::meta;

/// What happened to an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ChangeType {
    Added,
    Modified,
    Deleted,
}

/// One committed change, as retained in history and sent to live watches.
#[derive(Debug)]
pub(crate) struct Change {
    pub resource_version: u64,
    pub change: ChangeType,
    pub resource: ResourceKey,
    pub name: ObjectName,
    /// The new state; for deletions the last state, stamped with the deletion's version.
    pub object: Arc<Value>,
    /// The state before the change (to tell selector transitions apart).
    pub previous: Option<Arc<Value>>,
}

/// The lock-protected contents of the store.
#[derive(Debug)]
pub(crate) struct StoreState {
    resource_version: u64,
    objects: HashMap<ResourceKey, BTreeMap<ObjectName, Arc<Value>>>,
    history: VecDeque<Arc<Change>>,
    history_window: usize,
    /// Changes at or below this version are no longer retained.
    compacted_through: u64,
    clusters: BTreeSet<String>,
    live: broadcast::Sender<Arc<Change>>,
}

/// A watch's starting point, taken atomically with its subscription.
pub(crate) struct WatchStart {
    pub backlog: Vec<Arc<Change>>,
    pub receiver: broadcast::Receiver<Arc<Change>>,
}

/// Shared storage; cheap to lock, never held across an `.await`.
#[derive(Debug)]
pub(crate) struct Store {
    state: Mutex<StoreState>,
}

impl Store {
    pub(crate) fn new(history_window: usize, broadcast_capacity: usize) -> Self {
        let (live, _) = broadcast::channel(broadcast_capacity.max(16));
        Store {
            state: Mutex::new(StoreState {
                resource_version: 1,
                objects: HashMap::new(),
                history: VecDeque::new(),
                history_window: history_window.max(1),
                compacted_through: 1,
                clusters: BTreeSet::new(),
                live,
            }),
        }
    }

    /// Locks the store. A panic while the lock was held cannot leave a half-written object
    /// (writes are single `insert`s), so a poisoned lock is taken over rather than propagated.
    pub(crate) fn lock(&self) -> MutexGuard<'_, StoreState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl StoreState {
    pub(crate) fn resource_version(&self) -> u64 {
        self.resource_version
    }

    /// Oldest version a watch may resume from.
    pub(crate) fn oldest_resumable(&self) -> u64 {
        self.compacted_through
    }

    /// Marks a logical cluster as seen; returns `true` the first time.
    pub(crate) fn first_touch(&mut self, cluster: &str) -> bool {
        self.clusters.insert(cluster.to_owned())
    }

    pub(crate) fn get(&self, resource: &ResourceKey, name: &ObjectName) -> Option<Arc<Value>> {
        self.objects
            .get(resource)
            .and_then(|m| m.get(name))
            .cloned()
    }

    /// Objects of a resource, in key order, optionally within one cluster and namespace, and
    /// starting after a key (for paging).
    pub(crate) fn list<'a>(
        &'a self,
        resource: &ResourceKey,
        cluster: Option<&'a str>,
        namespace: Option<&'a str>,
        after: Option<&'a ObjectName>,
    ) -> impl Iterator<Item = (&'a ObjectName, &'a Arc<Value>)> + 'a {
        self.objects
            .get(resource)
            .into_iter()
            .flat_map(|m| m.iter())
            .filter(move |(k, _)| after.is_none_or(|a| *k > a))
            .filter(move |(k, _)| cluster.is_none_or(|c| k.cluster == c))
            .filter(move |(k, _)| namespace.is_none_or(|n| k.namespace == n))
    }

    /// Whether any object of any resource is stored in this namespace of this cluster.
    pub(crate) fn namespace_has_content(&self, cluster: &str, namespace: &str) -> bool {
        self.objects
            .iter()
            .filter(|(resource, _)| **resource != ResourceKey::namespaces())
            .flat_map(|(_, m)| m.keys())
            .any(|k| k.cluster == cluster && k.namespace == namespace)
    }

    /// Names of objects in a namespace, for cascading a namespace deletion.
    pub(crate) fn namespace_content(
        &self,
        cluster: &str,
        namespace: &str,
    ) -> Vec<(ResourceKey, ObjectName)> {
        self.objects
            .iter()
            .filter(|(resource, _)| **resource != ResourceKey::namespaces())
            .flat_map(|(resource, m)| m.keys().map(move |k| (resource, k)))
            .filter(|(_, k)| k.cluster == cluster && k.namespace == namespace)
            .map(|(r, k)| (r.clone(), k.clone()))
            .collect()
    }

    /// Stores an object under a new resourceVersion and records the change.
    pub(crate) fn put(
        &mut self,
        resource: &ResourceKey,
        name: ObjectName,
        mut object: Value,
    ) -> Arc<Value> {
        self.resource_version += 1;
        let rv = self.resource_version;
        meta::set_meta(
            &mut object,
            "resourceVersion",
            Value::String(rv.to_string()),
        );
        let object = Arc::new(object);
        let previous = self
            .objects
            .entry(resource.clone())
            .or_default()
            .insert(name.clone(), Arc::clone(&object));
        let change = if previous.is_some() {
            ChangeType::Modified
        } else {
            ChangeType::Added
        };
        self.record(Change {
            resource_version: rv,
            change,
            resource: resource.clone(),
            name,
            object: Arc::clone(&object),
            previous,
        });
        object
    }

    /// Removes an object; the DELETED event carries its last state at the deletion's version.
    pub(crate) fn remove(
        &mut self,
        resource: &ResourceKey,
        name: &ObjectName,
    ) -> Option<Arc<Value>> {
        let previous = self.objects.get_mut(resource)?.remove(name)?;
        self.resource_version += 1;
        let rv = self.resource_version;
        let mut last = (*previous).clone();
        meta::set_meta(&mut last, "resourceVersion", Value::String(rv.to_string()));
        let last = Arc::new(last);
        self.record(Change {
            resource_version: rv,
            change: ChangeType::Deleted,
            resource: resource.clone(),
            name: name.clone(),
            object: Arc::clone(&last),
            previous: Some(previous),
        });
        Some(last)
    }

    fn record(&mut self, change: Change) {
        let change = Arc::new(change);
        self.history.push_back(Arc::clone(&change));
        while self.history.len() > self.history_window {
            if let Some(dropped) = self.history.pop_front() {
                self.compacted_through = dropped.resource_version;
            }
        }
        // No receivers is normal (nobody watching); the error only says so.
        let _ = self.live.send(change);
    }

    /// Drops all retained history: a watch from any version before now gets 410 Expired.
    pub(crate) fn compact(&mut self) {
        self.history.clear();
        self.compacted_through = self.resource_version;
    }

    /// Changes after `since` plus a live subscription, with no gap between them. `None` when
    /// `since` is older than the retained history.
    pub(crate) fn watch_from(&self, since: u64) -> Option<WatchStart> {
        if since < self.compacted_through {
            return None;
        }
        let backlog = self
            .history
            .iter()
            .filter(|c| c.resource_version > since)
            .cloned()
            .collect();
        Some(WatchStart {
            backlog,
            receiver: self.live.subscribe(),
        })
    }

    /// A live subscription starting now (for watches that begin with a snapshot).
    pub(crate) fn subscribe(&self) -> broadcast::Receiver<Arc<Change>> {
        self.live.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key() -> ResourceKey {
        ResourceKey {
            group: "g".into(),
            plural: "things".into(),
        }
    }

    #[test]
    fn versions_are_monotonic_and_stamped() {
        let store = Store::new(10, 16);
        let mut s = store.lock();
        let a = s.put(
            &key(),
            ObjectName::new("root", "ns", "a"),
            json!({"metadata": {"name": "a"}}),
        );
        let b = s.put(
            &key(),
            ObjectName::new("root", "ns", "b"),
            json!({"metadata": {"name": "b"}}),
        );
        let rv_a: u64 = meta::resource_version(&a).parse().unwrap_or(0);
        let rv_b: u64 = meta::resource_version(&b).parse().unwrap_or(0);
        assert!(rv_b > rv_a && rv_a > 0);
        let gone = s.remove(&key(), &ObjectName::new("root", "ns", "a"));
        assert!(
            gone.is_some_and(|g| meta::resource_version(&g) == s.resource_version().to_string())
        );
        assert_eq!(s.list(&key(), Some("root"), None, None).count(), 1);
    }

    #[test]
    fn history_window_expires_old_versions() {
        let store = Store::new(2, 16);
        let mut s = store.lock();
        let start = s.resource_version();
        for i in 0..5 {
            s.put(
                &key(),
                ObjectName::new("root", "", &format!("o{i}")),
                json!({}),
            );
        }
        assert!(
            s.watch_from(start).is_none(),
            "start is older than the 2 retained changes"
        );
        let recent = s.resource_version() - 2;
        assert_eq!(s.watch_from(recent).map(|w| w.backlog.len()), Some(2));
        s.compact();
        assert!(s.watch_from(recent).is_none());
        assert_eq!(
            s.watch_from(s.resource_version()).map(|w| w.backlog.len()),
            Some(0)
        );
    }
}
