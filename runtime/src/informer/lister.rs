//! [`Lister`]: read-only queries over an informer's cache, shaped like client-go's listers.
//!
//! Listers hand out `Arc<K>`: the cached object itself, shared with every other reader. Never
//! mutate it in place (you cannot, through `Arc`); to change an object, copy it into an owned
//! value first (`let mut owned = (*cached).clone();`, or `clone_from` into a value you keep, which
//! reuses its buffers) and write that through a client.

use std::fmt;
use std::sync::Arc;

use kube::Resource;
use kube::core::response::StatusDetails;
use kube::core::{Selector, SelectorExt, Status};

use super::cache::{Cache, NAMESPACE_INDEX, key_of};
use super::cluster::{CLUSTER_AND_NAMESPACE_INDEX, CLUSTER_INDEX, cluster_key_of};

/// The object a lister was asked for is not in the cache. Shaped like the server's NotFound:
/// `widgets.example.io "w1" not found`; [`NotFound::to_status`] (or `kube::Error::from`) turns
/// it into the `Status` a client call would have returned, so the same `is_not_found` handling
/// covers both.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotFound {
    pub group: String,
    /// The resource (plural) name.
    pub resource: String,
    pub namespace: Option<String>,
    pub name: String,
}

impl NotFound {
    /// `widgets.example.io` (or `widgets` in the core group), as the server names a resource.
    pub fn qualified_resource(&self) -> String {
        if self.group.is_empty() {
            self.resource.clone()
        } else {
            format!("{}.{}", self.resource, self.group)
        }
    }

    pub fn to_status(&self) -> Status {
        Status::failure(&self.to_string(), "NotFound")
            .with_code(404)
            .with_details(StatusDetails {
                name: self.name.clone(),
                group: self.group.clone(),
                kind: self.resource.clone(),
                uid: String::new(),
                causes: Vec::new(),
                retry_after_seconds: 0,
            })
    }
}

impl fmt::Display for NotFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} \"{}\" not found",
            self.qualified_resource(),
            self.name
        )
    }
}

impl std::error::Error for NotFound {}

impl From<NotFound> for kube::Error {
    fn from(not_found: NotFound) -> Self {
        kube::Error::Api(not_found.to_status().boxed())
    }
}

/// Queries over every cached object of one kind; or, for a lister of one logical cluster
/// (from a cluster-aware informer), over that cluster's objects, answered through the cache's
/// cluster indexes without touching other clusters' entries.
pub struct Lister<K> {
    cache: Arc<Cache<K>>,
    /// The logical cluster this lister is confined to, if any.
    cluster: Option<Arc<str>>,
}

impl<K> Clone for Lister<K> {
    fn clone(&self) -> Self {
        Lister {
            cache: Arc::clone(&self.cache),
            cluster: self.cluster.clone(),
        }
    }
}

impl<K> fmt::Debug for Lister<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lister")
            .field("cluster", &self.cluster)
            .field("cache", &self.cache)
            .finish()
    }
}

/// Whether `object`'s labels match `selector`, with the server's semantics (`=`, `!=`, `in`,
/// `notin`, exists, `!`): kube's own `Selector` matching.
pub fn selector_matches<K: Resource>(selector: &Selector, object: &K) -> bool {
    if selector.selects_all() {
        return true;
    }
    match &object.meta().labels {
        Some(labels) => selector.matches(labels),
        None => selector.matches(&Default::default()),
    }
}

impl<K: Resource<DynamicType = ()>> Lister<K> {
    pub fn new(cache: Arc<Cache<K>>) -> Self {
        Lister {
            cache,
            cluster: None,
        }
    }

    /// A lister of one logical cluster's objects in `cache`, which must be keyed and indexed
    /// as [`cluster_cache`](super::cluster::cluster_cache) makes it.
    pub(crate) fn in_cluster(cache: Arc<Cache<K>>, cluster: Arc<str>) -> Self {
        Lister {
            cache,
            cluster: Some(cluster),
        }
    }

    /// The logical cluster this lister answers for (`None`: every object cached).
    pub fn cluster(&self) -> Option<&str> {
        self.cluster.as_deref()
    }

    /// The cache this lister reads.
    pub fn cache(&self) -> &Arc<Cache<K>> {
        &self.cache
    }

    /// Every cached object whose labels match `selector` (`Selector::default()` matches all),
    /// sorted by key.
    pub fn list(&self, selector: &Selector) -> Vec<Arc<K>> {
        let objects = match &self.cluster {
            // The cluster index exists on every cluster-aware cache.
            Some(cluster) => self
                .cache
                .by_index(CLUSTER_INDEX, cluster)
                .unwrap_or_default(),
            None => self.cache.list(),
        };
        filter(objects, selector)
    }

    /// A cluster-scoped object by name.
    pub fn get(&self, name: &str) -> Result<Arc<K>, NotFound> {
        self.cache
            .get(&self.key(None, name))
            .ok_or_else(|| not_found::<K>(None, name))
    }

    fn key(&self, namespace: Option<&str>, name: &str) -> String {
        match &self.cluster {
            Some(cluster) => cluster_key_of(cluster, namespace, name),
            None => key_of(namespace, name),
        }
    }

    /// The objects of one namespace: O(objects in it), through the namespace index.
    pub fn namespace(&self, namespace: &str) -> NamespaceLister<K> {
        NamespaceLister {
            lister: self.clone(),
            namespace: namespace.to_owned(),
        }
    }
}

/// Queries over the cached objects of one namespace (of one logical cluster, for a cluster's
/// lister).
pub struct NamespaceLister<K> {
    lister: Lister<K>,
    namespace: String,
}

impl<K> fmt::Debug for NamespaceLister<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NamespaceLister")
            .field("cluster", &self.lister.cluster)
            .field("namespace", &self.namespace)
            .finish_non_exhaustive()
    }
}

impl<K: Resource<DynamicType = ()>> NamespaceLister<K> {
    /// The namespace's objects whose labels match `selector`, sorted by name.
    pub fn list(&self, selector: &Selector) -> Vec<Arc<K>> {
        let cache = &self.lister.cache;
        // The namespace index exists on every cache, the cluster-and-namespace index on every
        // cluster-aware one.
        let objects = match &self.lister.cluster {
            Some(cluster) => cache.by_index(
                CLUSTER_AND_NAMESPACE_INDEX,
                &format!("{cluster}|{}", self.namespace),
            ),
            None => cache.by_index(NAMESPACE_INDEX, &self.namespace),
        };
        filter(objects.unwrap_or_default(), selector)
    }

    /// The object `name` in this namespace.
    pub fn get(&self, name: &str) -> Result<Arc<K>, NotFound> {
        self.lister
            .cache
            .get(&self.lister.key(Some(&self.namespace), name))
            .ok_or_else(|| not_found::<K>(Some(&self.namespace), name))
    }
}

fn filter<K: Resource>(objects: Vec<Arc<K>>, selector: &Selector) -> Vec<Arc<K>> {
    if selector.selects_all() {
        return objects;
    }
    objects
        .into_iter()
        .filter(|object| selector_matches(selector, &**object))
        .collect()
}

fn not_found<K: Resource<DynamicType = ()>>(namespace: Option<&str>, name: &str) -> NotFound {
    NotFound {
        group: K::group(&()).into_owned(),
        resource: K::plural(&()).into_owned(),
        namespace: namespace.map(str::to_owned),
        name: name.to_owned(),
    }
}
