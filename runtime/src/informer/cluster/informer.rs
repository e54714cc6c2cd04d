//! [`ClusterInformer`] and [`ClusterLister`]: one kind across every logical cluster.

use std::fmt;
use std::sync::Arc;

use kube::Resource;
use kube::core::Selector;

use super::CLUSTER_INDEX;
use super::handler::{ClusterEventHandler, WithCluster};
use crate::cluster::ClusterPath;
use crate::informer::handler::HandlerRegistration;
use crate::informer::lister::Lister;
use crate::informer::shared::SharedInformer;

/// The informer of one kind across every logical cluster: one watch, one cache. Cloning
/// shares it.
pub struct ClusterInformer<K> {
    informer: SharedInformer<K>,
}

impl<K> Clone for ClusterInformer<K> {
    fn clone(&self) -> Self {
        ClusterInformer {
            informer: self.informer.clone(),
        }
    }
}

impl<K> fmt::Debug for ClusterInformer<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClusterInformer")
            .field("informer", &self.informer)
            .finish()
    }
}

impl<K: Resource + Send + Sync + 'static> ClusterInformer<K> {
    /// Wraps an informer whose cache was made by [`cluster_cache`](super::cluster_cache).
    pub(crate) fn new(informer: SharedInformer<K>) -> Self {
        ClusterInformer { informer }
    }

    /// The informer over every cluster: start it, wait for it, add indexes or plain handlers.
    pub fn informer(&self) -> &SharedInformer<K> {
        &self.informer
    }

    /// The informer seen from one logical cluster: its lister and handlers see only that
    /// cluster's objects; the watch and cache are this one's.
    pub fn cluster(&self, cluster: &ClusterPath) -> SharedInformer<K> {
        self.informer.in_cluster(Arc::from(cluster.as_str()))
    }

    /// Queries over every cluster's objects, or one cluster's.
    pub fn lister(&self) -> ClusterLister<K>
    where
        K: Resource<DynamicType = ()>,
    {
        ClusterLister {
            lister: self.informer.lister(),
        }
    }

    /// Adds a handler told each object's cluster with each event (see
    /// [`SharedInformer::add_handler`] for when it is called).
    pub fn add_handler(&self, handler: impl ClusterEventHandler<K>) -> HandlerRegistration {
        self.informer.add_handler(WithCluster(handler))
    }
}

/// Read-only queries over a cluster-aware cache.
pub struct ClusterLister<K> {
    lister: Lister<K>,
}

impl<K> Clone for ClusterLister<K> {
    fn clone(&self) -> Self {
        ClusterLister {
            lister: self.lister.clone(),
        }
    }
}

impl<K> fmt::Debug for ClusterLister<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClusterLister")
            .field("lister", &self.lister)
            .finish()
    }
}

impl<K: Resource<DynamicType = ()>> ClusterLister<K> {
    /// The lister of one logical cluster: `cluster(path).namespace(ns).get(name)`,
    /// `cluster(path).list(&selector)`, each O(result).
    pub fn cluster(&self, cluster: &ClusterPath) -> Lister<K> {
        Lister::in_cluster(Arc::clone(self.lister.cache()), Arc::from(cluster.as_str()))
    }

    /// Every cached object of every cluster whose labels match `selector`, sorted by key.
    pub fn list(&self, selector: &Selector) -> Vec<Arc<K>> {
        self.lister.list(selector)
    }

    /// The logical clusters with cached objects, sorted.
    pub fn clusters(&self) -> Vec<String> {
        self.lister
            .cache()
            .index_values(CLUSTER_INDEX)
            .unwrap_or_default()
    }
}
