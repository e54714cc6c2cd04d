//! [`Cache`]: the indexed store behind an informer.
//!
//! Objects are held once, as `Arc<K>`, under a string key (`namespace/name`, or `name` for
//! cluster-scoped objects, unless the cache is built with another key function, as the
//! cluster-aware informers do). Secondary indexes map an index value to the set of keys whose
//! object yields it, so `by_index` and listing one namespace cost O(result), not O(all objects).
//! kube's reflector `Store` has no such indexes; client-go's `ThreadSafeStore` is the model.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use kube::Resource;

/// The index every cache has: object keys by namespace (cluster-scoped objects under `""`).
pub const NAMESPACE_INDEX: &str = "namespace";

/// How a cache keys its objects.
pub type KeyFn<K> = Arc<dyn Fn(&K) -> String + Send + Sync>;

/// The values an object is indexed under, for one index (any number, including none).
pub type IndexFn<K> = Arc<dyn Fn(&K) -> Vec<String> + Send + Sync>;

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

/// The namespace index function: one value, the object's namespace (`""` when it has none).
pub fn namespace_index<K: Resource>(object: &K) -> Vec<String> {
    vec![object.meta().namespace.clone().unwrap_or_default()]
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

struct Index<K> {
    function: IndexFn<K>,
    /// Index value → keys of the objects that yield it. Ordered, so results come sorted by key.
    entries: HashMap<String, BTreeSet<Arc<str>>>,
}

impl<K> Index<K> {
    fn add(&mut self, key: &Arc<str>, object: &K) {
        for value in (self.function)(object) {
            self.entries
                .entry(value)
                .or_default()
                .insert(Arc::clone(key));
        }
    }

    fn remove(&mut self, key: &str, object: &K) {
        for value in (self.function)(object) {
            if let Some(keys) = self.entries.get_mut(&value) {
                keys.remove(key);
                if keys.is_empty() {
                    self.entries.remove(&value);
                }
            }
        }
    }
}

struct Entry<K> {
    // The key, shared with every index bucket that names this object.
    key: Arc<str>,
    object: Arc<K>,
}

struct Store<K> {
    objects: HashMap<Arc<str>, Entry<K>>,
    indexes: BTreeMap<String, Index<K>>,
}

impl<K> Store<K> {
    fn insert(&mut self, key: Arc<str>, object: Arc<K>) -> Option<Arc<K>> {
        let old = self.objects.remove(&key).map(|old| old.object);
        for index in self.indexes.values_mut() {
            if let Some(old) = &old {
                index.remove(&key, old);
            }
            index.add(&key, &object);
        }
        self.objects.insert(Arc::clone(&key), Entry { key, object });
        old
    }

    fn remove(&mut self, key: &str) -> Option<Arc<K>> {
        let entry = self.objects.remove(key)?;
        for index in self.indexes.values_mut() {
            index.remove(key, &entry.object);
        }
        Some(entry.object)
    }
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
        Cache::with_key(Arc::new(namespace_key::<K>), Arc::new(namespace_index::<K>))
    }
}

impl<K> Cache<K> {
    /// A cache keyed by `key`, whose namespace index is `namespace` (for a cluster-aware cache:
    /// the same namespace values, but keys that also carry the logical cluster).
    pub fn with_key(key: KeyFn<K>, namespace: IndexFn<K>) -> Self {
        let mut indexes = BTreeMap::new();
        indexes.insert(
            NAMESPACE_INDEX.to_owned(),
            Index {
                function: namespace,
                entries: HashMap::new(),
            },
        );
        Cache {
            store: RwLock::new(Store {
                objects: HashMap::new(),
                indexes,
            }),
            key,
        }
    }

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
        let mut store = self.write();
        if store.indexes.contains_key(name) {
            return Err(IndexError::AlreadyExists(name.to_owned()));
        }
        let mut index = Index {
            function,
            entries: HashMap::new(),
        };
        for entry in store.objects.values() {
            index.add(&entry.key, &entry.object);
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
        let key: Arc<str> = Arc::from(self.key_of(&object));
        let object = Arc::new(object);
        let old = self.write().insert(key, Arc::clone(&object));
        (object, old)
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
        let mut listed: Vec<(Arc<str>, K)> = objects
            .into_iter()
            .map(|object| (Arc::from(self.key_of(&object)), object))
            .collect();
        listed.sort_by(|a, b| a.0.cmp(&b.0));
        listed.dedup_by(|later, earlier| later.0 == earlier.0);
        let mut store = self.write();
        let mut gone: Vec<Arc<str>> = store
            .objects
            .keys()
            .filter(|key| listed.binary_search_by(|(k, _)| k.cmp(key)).is_err())
            .cloned()
            .collect();
        gone.sort();
        let mut changes = Vec::new();
        for key in gone {
            if let Some(old) = store.remove(&key) {
                changes.push(Change::Deleted(old));
            }
        }
        for (key, object) in listed {
            let unchanged = store.objects.get(&key).is_some_and(|old| {
                let old = old.object.meta();
                old.resource_version.is_some()
                    && old.resource_version == object.meta().resource_version
            });
            if unchanged {
                continue;
            }
            let new = Arc::new(object);
            match store.insert(key, Arc::clone(&new)) {
                Some(old) => changes.push(Change::Updated { old, new }),
                None => changes.push(Change::Added(new)),
            }
        }
        changes
    }

    /// The object under `key`.
    pub fn get(&self, key: &str) -> Option<Arc<K>> {
        self.read()
            .objects
            .get(key)
            .map(|entry| Arc::clone(&entry.object))
    }

    /// Every object, sorted by key.
    pub fn list(&self) -> Vec<Arc<K>> {
        let store = self.read();
        let mut entries: Vec<&Entry<K>> = store.objects.values().collect();
        entries.sort_by(|a, b| a.key.cmp(&b.key));
        entries
            .into_iter()
            .map(|entry| Arc::clone(&entry.object))
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
        let Some(keys) = index.entries.get(value) else {
            return Ok(Vec::new());
        };
        Ok(keys
            .iter()
            .filter_map(|key| store.objects.get(key))
            .map(|entry| Arc::clone(&entry.object))
            .collect())
    }

    /// The values `index` holds objects under, sorted.
    pub fn index_values(&self, index: &str) -> Result<Vec<String>, IndexError> {
        let store = self.read();
        let index = store
            .indexes
            .get(index)
            .ok_or_else(|| IndexError::Unknown(index.to_owned()))?;
        let mut values: Vec<String> = index.entries.keys().cloned().collect();
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
