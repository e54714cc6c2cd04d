//! [`ClusterInformerFactory`]: the shared informer factory across every logical cluster.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use kube::Client;
use kube::core::GroupVersionResource;

use super::informer::ClusterInformer;
use crate::cluster::ClusterPath;
use crate::informer::factory::{
    FactoryBuilder, FactoryKind, GenericInformer, InformerScope, SharedInformerFactory,
};
use crate::informer::sync::SyncReport;

/// One informer per kind across every kcp logical cluster, however many consumers ask.
/// Cloning shares the factory.
///
/// `cluster(path)` is the ordinary [`SharedInformerFactory`] of one cluster, sharing this
/// factory's informers (no second watch), so code written against the ordinary factory and
/// its listers serves one cluster of a cluster-aware deployment unchanged.
#[derive(Clone)]
pub struct ClusterInformerFactory {
    factory: SharedInformerFactory,
}

impl fmt::Debug for ClusterInformerFactory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClusterInformerFactory")
            .field("factory", &self.factory)
            .finish()
    }
}

impl ClusterInformerFactory {
    /// A factory with default options over `client`, which must address the server's root
    /// (not `/clusters/…`). Must be called inside a tokio runtime.
    pub fn new(client: Client) -> Self {
        SharedInformerFactory::builder(client).build_cluster_aware()
    }

    /// Options as for the ordinary factory; finish with
    /// [`FactoryBuilder::build_cluster_aware`].
    pub fn builder(client: Client) -> FactoryBuilder {
        SharedInformerFactory::builder(client)
    }

    pub(crate) fn new_over(factory: SharedInformerFactory) -> Self {
        debug_assert!(factory.is_cluster_aware());
        ClusterInformerFactory { factory }
    }

    /// The informer of kind `K` across every cluster: made on first request, the same one on
    /// every later request (and the one every cluster's view shares).
    pub fn informer_for<K>(&self) -> ClusterInformer<K>
    where
        K: FactoryKind,
        K::Scope: InformerScope,
    {
        ClusterInformer::new(self.factory.informer_for::<K>())
    }

    /// The factory of one logical cluster, sharing this one's informers and caches.
    pub fn cluster(&self, cluster: &ClusterPath) -> SharedInformerFactory {
        self.factory.in_cluster(Arc::from(cluster.as_str()))
    }

    /// The underlying factory over every cluster.
    pub fn factory(&self) -> &SharedInformerFactory {
        &self.factory
    }

    /// See [`SharedInformerFactory::start`].
    pub fn start(&self) {
        self.factory.start();
    }

    /// See [`SharedInformerFactory::wait_for_cache_sync`].
    pub async fn wait_for_cache_sync(&self, timeout: Duration) -> SyncReport {
        self.factory.wait_for_cache_sync(timeout).await
    }

    /// See [`SharedInformerFactory::shutdown`].
    pub async fn shutdown(&self) {
        self.factory.shutdown().await;
    }

    /// See [`SharedInformerFactory::for_resource`] (keys are cluster-aware).
    pub fn for_resource(&self, gvr: &GroupVersionResource) -> Option<GenericInformer> {
        self.factory.for_resource(gvr)
    }
}
