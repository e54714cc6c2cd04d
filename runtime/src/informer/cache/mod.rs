//! [`Cache`]: the indexed store behind an informer.
//!
//! Objects are held once, as `Arc<K>`, under a string key (`namespace/name`, or `name` for
//! cluster-scoped objects, unless the cache is built with another key function, as the
//! cluster-aware informers do). Secondary indexes map an index value to the objects that yield
//! it, so `by_index` and listing one namespace cost O(result), not O(all objects), and an update
//! that moves nothing indexed costs one lookup per index.
//! kube's reflector `Store` has no such indexes; client-go's `ThreadSafeStore` is the model.

mod index;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

// The maps kube's reflector store uses too (with their default hasher): keys are short and
// hashed on every event, and `get_key_value_mut` lets an update find its entry once.
use hashbrown::HashMap;
use kube::Resource;

pub use index::IndexFn;
use index::{Index, IndexValues};

/// The index every cache has: object keys by namespace (cluster-scoped objects under `""`).
pub const NAMESPACE_INDEX: &str = "namespace";

/// How a cache keys its objects.
pub type KeyFn<K> = Arc<dyn Fn(&K) -> String + Send + Sync>;

/// client-go's `MetaNamespaceKeyFunc`: `namespace/name`, or `name` without a namespace.
pub fn namespace_key<K: Resource>(object: &K) -> String {
    let meta = object.meta();
    let name = meta.name.as_deref().unwrap_or_default();
    match meta.namespace.as_deref() {
        Some(namespace) if !namespace.is_empty() => format!("{namespace}/{name}"),
        _ => name.to_owned(),
    }
}

/// The key of `name` in `namespace`, as [`namespace_key`] forms it.
pub fn key_of(namespace: Option<&str>, name: &str) -> String {
    match namespace {
        Some(namespace) if !namespace.is_empty() => format!("{namespace}/{name}"),
        _ => name.to_owned(),
    }
}

/// The namespace index's value: the object's namespace (`""` when it has none).
fn namespace_of<K: Resource>(object: &K) -> &str {
    object.meta().namespace.as_deref().unwrap_or_default()
}

/// What a change to the cache did, as handlers are told.
#[derive(Debug)]
pub enum Change<K> {
    Added(Arc<K>),
    Updated { old: Arc<K>, new: Arc<K> },
    Deleted(Arc<K>),
}

/// An index name that is not registered, or registered twice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IndexError {
    Unknown(String),
    AlreadyExists(String),
}

impl fmt::Display for IndexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IndexError::Unknown(name) => write!(f, "no index named `{name}`"),
            IndexError::AlreadyExists(name) => write!(f, "an index named `{name}` already exists"),
        }
    }
}

impl std::error::Error for IndexError {}

struct Store<K> {
    // The key is shared with every index bucket that holds the object.
    objects: HashMap<Arc<str>, Arc<K>>,
    indexes: BTreeMap<String, Index<K>>,
}

impl<K> Store<K> {
    /// Stores `object` under `key`, unless `unchanged(cached, object)` says the object cached
    /// under that key is the same (then `None`). One lookup either way: this is every event's
    /// path.
    fn put(&mut self, key: &str, object: K, unchanged: fn(&K, &K) -> bool) -> Option<Change<K>> {
        let Store { objects, indexes } = self;
        if let Some((shared, cached)) = objects.get_key_value_mut(key) {
            if unchanged(cached, &object) {
                return None;
            }
            return Some(replace_cached(indexes, shared, cached, object));
        }
        Some(self.add(key, object))
    }

    /// Stores `object` under `key` whatever is cached there.
    fn insert(&mut self, key: &str, object: K) -> Change<K> {
        let Store { objects, indexes } = self;
        match objects.get_key_value_mut(key) {
            Some((shared, cached)) => replace_cached(indexes, shared, cached, object),
            None => self.add(key, object),
        }
    }

    fn add(&mut self, key: &str, object: K) -> Change<K> {
        let key: Arc<str> = Arc::from(key);
        let new = Arc::new(object);
        for index in self.indexes.values_mut() {
            index.update(&key, None, &new);
        }
        self.objects.insert(key, Arc::clone(&new));
        Change::Added(new)
    }

    fn remove(&mut self, key: &str) -> Option<Arc<K>> {
        let object = self.objects.remove(key)?;
        for index in self.indexes.values_mut() {
            index.delete(key, &object);
        }
        Some(object)
    }
}

/// Points the entry `key` → `cached` at `object`, and the indexes with it.
fn replace_cached<K>(
    indexes: &mut BTreeMap<String, Index<K>>,
    key: &Arc<str>,
    cached: &mut Arc<K>,
    object: K,
) -> Change<K> {
    let new = Arc::new(object);
    let old = std::mem::replace(cached, Arc::clone(&new));
    for index in indexes.values_mut() {
        index.update(key, Some(&old), &new);
    }
    Change::Updated { old, new }
}

/// Whether `cached` is `object` at the same `resourceVersion`, so storing it again would
/// change nothing (a relist or a re-sent event).
fn same_version<K: Resource>(cached: &K, object: &K) -> bool {
    let cached = cached.meta();
    cached.resource_version.is_some() && cached.resource_version == object.meta().resource_version
}

/// A thread-safe, indexed store of `Arc<K>`.
///
/// Readers take a read lock only for as long as it takes to clone the `Arc`s of the result;
/// nothing calls user code (other than key and index functions) with a lock held.
pub struct Cache<K> {
    store: RwLock<Store<K>>,
    key: KeyFn<K>,
}

impl<K> fmt::Debug for Cache<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let store = self.read();
        f.debug_struct("Cache")
            .field("objects", &store.objects.len())
            .field("indexes", &store.indexes.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl<K: Resource + 'static> Default for Cache<K> {
    fn default() -> Self {
        Cache::new()
    }
}

impl<K: Resource + 'static> Cache<K> {
    /// A cache keyed `namespace/name`, with the namespace index.
    pub fn new() -> Self {
        Cache::with_key(Arc::new(namespace_key::<K>))
    }

    /// A cache keyed by `key` (for a cluster-aware cache: keys that also carry the logical
    /// cluster), with the namespace index.
    pub fn with_key(key: KeyFn<K>) -> Self {
        let mut indexes = BTreeMap::new();
        indexes.insert(
            NAMESPACE_INDEX.to_owned(),
            Index::new(IndexValues::One(namespace_of::<K>)),
        );
        Cache {
            store: RwLock::new(Store {
                objects: HashMap::new(),
                indexes,
            }),
            key,
        }
    }
}

impl<K> Cache<K> {
    // A panic while the lock was held can only come from a user's key or index function; the
    // store is still consistent for the indexes that ran, so keep serving rather than poison
    // every reader after it.
    fn read(&self) -> RwLockReadGuard<'_, Store<K>> {
        self.store
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, Store<K>> {
        self.store
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The key this cache files `object` under.
    pub fn key_of(&self, object: &K) -> String {
        (self.key)(object)
    }

    /// Registers an index and builds it from what is cached now.
    pub fn add_index(&self, name: &str, function: IndexFn<K>) -> Result<(), IndexError> {
        self.add_index_by(name, IndexValues::Many(function))
    }

    /// Registers an index whose one value per object is borrowed from it (no allocation per
    /// event), and builds it from what is cached now.
    pub fn add_single_valued_index(
        &self,
        name: &str,
        value_of: fn(&K) -> &str,
    ) -> Result<(), IndexError> {
        self.add_index_by(name, IndexValues::One(value_of))
    }

    fn add_index_by(&self, name: &str, values: IndexValues<K>) -> Result<(), IndexError> {
        let mut store = self.write();
        if store.indexes.contains_key(name) {
            return Err(IndexError::AlreadyExists(name.to_owned()));
        }
        let mut index = Index::new(values);
        for (key, object) in &store.objects {
            index.update(key, None, object);
        }
        store.indexes.insert(name.to_owned(), index);
        Ok(())
    }

    /// The names of the registered indexes.
    pub fn index_names(&self) -> Vec<String> {
        self.read().indexes.keys().cloned().collect()
    }

    /// Stores `object`, replacing any object under its key; returns the stored `Arc` and the
    /// one it replaced.
    pub fn insert(&self, object: K) -> (Arc<K>, Option<Arc<K>>) {
        let key = self.key_of(&object);
        match self.write().insert(&key, object) {
            Change::Updated { old, new } => (new, Some(old)),
            Change::Added(new) | Change::Deleted(new) => (new, None),
        }
    }

    /// Stores `object` as a watch event delivers it, in one step: an object the cache already
    /// holds at the same `resourceVersion` is no change (`None`); otherwise it is added or
    /// replaces the cached one.
    pub fn apply(&self, object: K) -> Option<Change<K>>
    where
        K: Resource,
    {
        let key = self.key_of(&object);
        self.write().put(&key, object, same_version::<K>)
    }

    /// Removes the object under `key`, returning it.
    pub fn remove(&self, key: &str) -> Option<Arc<K>> {
        self.write().remove(key)
    }

    /// Replaces the whole content with `objects` (a relist), in one step readers never see
    /// half of, and returns what changed: objects new to the cache are added, objects no longer
    /// listed are deleted with their last known state, and objects whose `resourceVersion`
    /// moved are updated. An object listed again unchanged is no change at all, so handlers
    /// see each change once.
    pub fn replace(&self, objects: Vec<K>) -> Vec<Change<K>>
    where
        K: Resource,
    {
        let listed: Vec<(String, K)> = objects
            .into_iter()
            .map(|object| (self.key_of(&object), object))
            .collect();
        // A key listed twice keeps its last object, as client-go's `Replace` does. Hashing
        // rather than sorting the keys keeps a relist O(objects) and in the server's order.
        let last: HashMap<&str, usize> = listed
            .iter()
            .enumerate()
            .map(|(at, (key, _))| (key.as_str(), at))
            .collect();
        let kept: Vec<bool> = listed
            .iter()
            .enumerate()
            .map(|(at, (key, _))| last.get(key.as_str()) == Some(&at))
            .collect();
        let mut store = self.write();
        let mut gone: Vec<Arc<str>> = store
            .objects
            .keys()
            .filter(|key| !last.contains_key(key.as_ref()))
            .cloned()
            .collect();
        drop(last);
        gone.sort_unstable();
        let mut changes = Vec::new();
        for key in gone {
            if let Some(old) = store.remove(&key) {
                changes.push(Change::Deleted(old));
            }
        }
        for ((key, object), kept) in listed.into_iter().zip(kept) {
            if kept && let Some(change) = store.put(&key, object, same_version::<K>) {
                changes.push(change);
            }
        }
        changes
    }

    /// The object under `key`.
    pub fn get(&self, key: &str) -> Option<Arc<K>> {
        self.read().objects.get(key).map(Arc::clone)
    }

    /// Every object, sorted by key.
    pub fn list(&self) -> Vec<Arc<K>> {
        let store = self.read();
        let mut entries: Vec<(&Arc<str>, &Arc<K>)> = store.objects.iter().collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        entries
            .into_iter()
            .map(|(_, object)| Arc::clone(object))
            .collect()
    }

    /// Every key, sorted.
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.read().objects.keys().map(|k| k.to_string()).collect();
        keys.sort();
        keys
    }

    /// The objects that `index` files under `value`, sorted by key; O(result).
    pub fn by_index(&self, index: &str, value: &str) -> Result<Vec<Arc<K>>, IndexError> {
        let store = self.read();
        let index = store
            .indexes
            .get(index)
            .ok_or_else(|| IndexError::Unknown(index.to_owned()))?;
        Ok(index.objects(value))
    }

    /// The values `index` holds objects under, sorted.
    pub fn index_values(&self, index: &str) -> Result<Vec<String>, IndexError> {
        let store = self.read();
        let index = store
            .indexes
            .get(index)
            .ok_or_else(|| IndexError::Unknown(index.to_owned()))?;
        let mut values: Vec<String> = index.values().cloned().collect();
        values.sort();
        Ok(values)
    }

    /// How many objects are cached.
    pub fn len(&self) -> usize {
        self.read().objects.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
