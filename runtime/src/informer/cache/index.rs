//! One secondary index of a [`Cache`](super::Cache): index value → the objects filed under it.

use std::sync::Arc;

use hashbrown::HashMap;

/// The values an object is indexed under, for one index (any number, including none).
pub type IndexFn<K> = Arc<dyn Fn(&K) -> Vec<String> + Send + Sync>;

/// How an index finds the values it files an object under.
pub(super) enum IndexValues<K> {
    /// Exactly one value, borrowed from the object (the namespace, the logical cluster):
    /// nothing is allocated per event.
    One(fn(&K) -> &str),
    /// Any number of values, computed (a user's index function).
    Many(IndexFn<K>),
}

/// The objects filed under one index value, by key. The bucket holds the objects themselves,
/// not only their keys, so listing it needs no lookup per object (on a large cache a lookup is
/// a few cache misses); hashed rather than ordered, so an update finds its slot with one
/// comparison, and readers sort the (small) result instead.
type Bucket<K> = HashMap<Arc<str>, Arc<K>>;

pub(super) struct Index<K> {
    values: IndexValues<K>,
    buckets: HashMap<String, Bucket<K>>,
}

impl<K> Index<K> {
    pub(super) fn new(values: IndexValues<K>) -> Self {
        Index {
            values,
            buckets: HashMap::new(),
        }
    }

    /// Files `new` under its values. `old` is the object it replaces under the same key: the
    /// key leaves the buckets of values `new` no longer yields, and buckets whose value both
    /// yield only have their slot pointed at `new` (the common update: nothing indexed moved).
    pub(super) fn update(&mut self, key: &Arc<str>, old: Option<&Arc<K>>, new: &Arc<K>) {
        match &self.values {
            IndexValues::One(value_of) => {
                let value_of = *value_of;
                let value = value_of(new);
                match old.map(|old| value_of(old)) {
                    Some(old_value) if old_value == value => self.point(value, key, new),
                    Some(old_value) => {
                        self.remove(old_value, key);
                        self.add(value, key, new);
                    }
                    None => self.add(value, key, new),
                }
            }
            IndexValues::Many(function) => {
                let values = function(new);
                let old_values = old.map(|old| function(old)).unwrap_or_default();
                for value in old_values.iter().filter(|v| !values.contains(v)) {
                    self.remove(value, key);
                }
                for value in &values {
                    if old_values.contains(value) {
                        self.point(value, key, new);
                    } else {
                        self.add(value, key, new);
                    }
                }
            }
        }
    }

    /// Takes `key`, whose object is `object`, out of the index.
    pub(super) fn delete(&mut self, key: &str, object: &K) {
        match &self.values {
            IndexValues::One(value_of) => {
                let value = value_of(object);
                self.remove(value, key);
            }
            IndexValues::Many(function) => {
                for value in function(object) {
                    self.remove(&value, key);
                }
            }
        }
    }

    /// The objects filed under `value`, sorted by key.
    pub(super) fn objects(&self, value: &str) -> Vec<Arc<K>> {
        let Some(bucket) = self.buckets.get(value) else {
            return Vec::new();
        };
        let mut entries: Vec<(&Arc<str>, &Arc<K>)> = bucket.iter().collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        entries
            .into_iter()
            .map(|(_, object)| Arc::clone(object))
            .collect()
    }

    /// The values objects are filed under.
    pub(super) fn values(&self) -> impl Iterator<Item = &String> {
        self.buckets.keys()
    }

    fn add(&mut self, value: &str, key: &Arc<str>, object: &Arc<K>) {
        self.buckets
            .entry_ref(value)
            .or_default()
            .insert(Arc::clone(key), Arc::clone(object));
    }

    fn remove(&mut self, value: &str, key: &str) {
        if let Some(bucket) = self.buckets.get_mut(value) {
            bucket.remove(key);
            if bucket.is_empty() {
                self.buckets.remove(value);
            }
        }
    }

    fn point(&mut self, value: &str, key: &str, object: &Arc<K>) {
        if let Some(slot) = self
            .buckets
            .get_mut(value)
            .and_then(|bucket| bucket.get_mut(key))
        {
            *slot = Arc::clone(object);
        }
    }
}
