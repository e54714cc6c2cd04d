//! Handlers of a cluster-aware informer: every event comes with the object's logical cluster.

use std::fmt;
use std::sync::Arc;

use kube::Resource;

use super::cluster_of;
use crate::informer::handler::EventHandler;

/// Reacts to changes in every logical cluster. Like
/// [`EventHandler`](crate::informer::EventHandler), with the cluster each object lives in
/// (`""` for an object without the `kcp.io/cluster` annotation, which kcp never sends).
pub trait ClusterEventHandler<K>: Send + Sync + 'static {
    fn on_add(&self, cluster: &str, object: &Arc<K>, initial: bool) {
        let _ = (cluster, object, initial);
    }

    fn on_update(&self, cluster: &str, old: &Arc<K>, new: &Arc<K>) {
        let _ = (cluster, old, new);
    }

    fn on_delete(&self, cluster: &str, object: &Arc<K>) {
        let _ = (cluster, object);
    }
}

type AddFn<K> = Box<dyn Fn(&str, &Arc<K>, bool) + Send + Sync>;
type UpdateFn<K> = Box<dyn Fn(&str, &Arc<K>, &Arc<K>) + Send + Sync>;
type DeleteFn<K> = Box<dyn Fn(&str, &Arc<K>) + Send + Sync>;

/// A [`ClusterEventHandler`] made of closures:
/// `ClusterHandler::new().on_add(|cluster, w, _| …)`.
pub struct ClusterHandler<K> {
    add: Option<AddFn<K>>,
    update: Option<UpdateFn<K>>,
    delete: Option<DeleteFn<K>>,
}

impl<K> Default for ClusterHandler<K> {
    fn default() -> Self {
        ClusterHandler {
            add: None,
            update: None,
            delete: None,
        }
    }
}

impl<K> fmt::Debug for ClusterHandler<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClusterHandler")
            .field("on_add", &self.add.is_some())
            .field("on_update", &self.update.is_some())
            .field("on_delete", &self.delete.is_some())
            .finish()
    }
}

impl<K> ClusterHandler<K> {
    pub fn new() -> Self {
        ClusterHandler::default()
    }

    pub fn on_add(mut self, f: impl Fn(&str, &Arc<K>, bool) + Send + Sync + 'static) -> Self {
        self.add = Some(Box::new(f));
        self
    }

    pub fn on_update(mut self, f: impl Fn(&str, &Arc<K>, &Arc<K>) + Send + Sync + 'static) -> Self {
        self.update = Some(Box::new(f));
        self
    }

    pub fn on_delete(mut self, f: impl Fn(&str, &Arc<K>) + Send + Sync + 'static) -> Self {
        self.delete = Some(Box::new(f));
        self
    }
}

impl<K: Send + Sync + 'static> ClusterEventHandler<K> for ClusterHandler<K> {
    fn on_add(&self, cluster: &str, object: &Arc<K>, initial: bool) {
        if let Some(f) = &self.add {
            f(cluster, object, initial);
        }
    }

    fn on_update(&self, cluster: &str, old: &Arc<K>, new: &Arc<K>) {
        if let Some(f) = &self.update {
            f(cluster, old, new);
        }
    }

    fn on_delete(&self, cluster: &str, object: &Arc<K>) {
        if let Some(f) = &self.delete {
            f(cluster, object);
        }
    }
}

/// A [`ClusterEventHandler`] as the informer's [`EventHandler`]: reads each object's cluster.
pub(super) struct WithCluster<H>(pub(super) H);

impl<K, H> EventHandler<K> for WithCluster<H>
where
    K: Resource + Send + Sync + 'static,
    H: ClusterEventHandler<K>,
{
    fn on_add(&self, object: &Arc<K>, initial: bool) {
        self.0.on_add(cluster_of(&**object), object, initial);
    }

    fn on_update(&self, old: &Arc<K>, new: &Arc<K>) {
        self.0.on_update(cluster_of(&**new), old, new);
    }

    fn on_delete(&self, object: &Arc<K>) {
        self.0.on_delete(cluster_of(&**object), object);
    }
}
