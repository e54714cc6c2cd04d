//! Cluster-aware informers, listers and factory for kcp (feature `informer`).
//!
//! One watch per kind across every logical cluster (`/clusters/*/`), into one cache keyed as
//! kcp's Go informers key it, `<cluster>|<namespace>/<name>` (`<cluster>|<name>` for
//! cluster-scoped kinds), with the indexes [`CLUSTER_INDEX`] and
//! [`CLUSTER_AND_NAMESPACE_INDEX`], so one cluster's objects are listed in O(result) without
//! touching the other clusters' entries. Views of one cluster ([`ClusterInformer::cluster`],
//! [`ClusterInformerFactory::cluster`]) share that watch and cache and are the ordinary types
//! ([`SharedInformer`](super::SharedInformer), [`Lister`](super::Lister),
//! [`SharedInformerFactory`](super::SharedInformerFactory)), so code written for one cluster
//! runs unchanged on a view.

mod factory;
mod handler;
mod informer;

pub use factory::ClusterInformerFactory;
pub use handler::{ClusterEventHandler, ClusterHandler};
pub use informer::{ClusterInformer, ClusterLister};

use std::sync::Arc;

use kube::Resource;

use super::cache::{Cache, namespace_key};
use super::handler::EventHandler;
use crate::cluster::LogicalClusterExt;

/// Index of a cluster-aware cache: keys by logical cluster.
pub const CLUSTER_INDEX: &str = "cluster";

/// Index of a cluster-aware cache: keys by `<cluster>|<namespace>`.
pub const CLUSTER_AND_NAMESPACE_INDEX: &str = "cluster-and-namespace";

/// kcp's cluster-aware key: `<cluster>|<namespace>/<name>`, or `<cluster>|<name>`.
pub fn cluster_key<K: Resource>(object: &K) -> String {
    format!("{}|{}", cluster_of(object), namespace_key(object))
}

/// The cluster-aware key of `name` in `namespace` of `cluster`, as [`cluster_key`] forms it.
pub fn cluster_key_of(cluster: &str, namespace: Option<&str>, name: &str) -> String {
    match namespace {
        Some(namespace) if !namespace.is_empty() => format!("{cluster}|{namespace}/{name}"),
        _ => format!("{cluster}|{name}"),
    }
}

/// An object's logical cluster, `""` without the annotation.
fn cluster_of<K: Resource>(object: &K) -> &str {
    object.logical_cluster_name().unwrap_or_default()
}

fn cluster_and_namespace<K: Resource>(object: &K) -> Vec<String> {
    let namespace = object.meta().namespace.as_deref().unwrap_or_default();
    vec![format!("{}|{namespace}", cluster_of(object))]
}

/// A cache keyed by [`cluster_key`], with the namespace index (every cluster's objects of a
/// namespace), [`CLUSTER_INDEX`] and [`CLUSTER_AND_NAMESPACE_INDEX`].
pub fn cluster_cache<K: Resource + 'static>() -> Cache<K> {
    let cache = Cache::with_key(Arc::new(cluster_key::<K>));
    // A fresh cache has only the namespace index, so these names are free.
    let _ = cache.add_single_valued_index(CLUSTER_INDEX, cluster_of::<K>);
    let _ = cache.add_index(
        CLUSTER_AND_NAMESPACE_INDEX,
        Arc::new(cluster_and_namespace::<K>),
    );
    cache
}

/// A handler that sees only one cluster's objects (a view's handler).
pub(crate) struct InCluster<H> {
    pub(crate) cluster: Arc<str>,
    pub(crate) handler: H,
}

impl<H> InCluster<H> {
    fn admits<K: Resource>(&self, object: &K) -> bool {
        cluster_of(object) == &*self.cluster
    }
}

impl<K, H> EventHandler<K> for InCluster<H>
where
    K: Resource + Send + Sync + 'static,
    H: EventHandler<K>,
{
    fn on_add(&self, object: &Arc<K>, initial: bool) {
        if self.admits(&**object) {
            self.handler.on_add(object, initial);
        }
    }

    fn on_update(&self, old: &Arc<K>, new: &Arc<K>) {
        // Keys carry the cluster, so an object never moves between clusters.
        if self.admits(&**new) {
            self.handler.on_update(old, new);
        }
    }

    fn on_delete(&self, object: &Arc<K>) {
        if self.admits(&**object) {
            self.handler.on_delete(object);
        }
    }
}
