//! [`AllClustersClient`]: list and watch a kind across every kcp logical cluster.

use std::fmt::Debug;

use futures::stream::BoxStream;
use kube::Resource;
use kube::api::{ListParams, ObjectList, WatchEvent, WatchParams};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::resource::ResourceClient;

type Result<T> = std::result::Result<T, kube::Error>;

/// Lists and watches a kind in every logical cluster (and, for a namespaced kind, every
/// namespace) at once, through kcp's `/clusters/*/` endpoint; built by
/// [`ResourceClient::all_clusters`]. Each object tells its cluster through
/// [`LogicalClusterExt`](crate::cluster::LogicalClusterExt).
///
/// It offers only list and watch, as kcp serves only those there: a write through the
/// wildcard does not compile.
#[derive(Clone, Debug)]
pub struct AllClustersClient<K> {
    inner: ResourceClient<K>,
}

impl<K> AllClustersClient<K>
where
    K: Resource<DynamicType = ()> + Clone + DeserializeOwned + Serialize + Debug,
{
    pub(super) fn new(inner: ResourceClient<K>) -> Self {
        AllClustersClient { inner }
    }

    /// Lists the objects matching `lp` in every cluster.
    pub async fn list(&self, lp: &ListParams) -> Result<ObjectList<K>> {
        self.inner.list(lp).await
    }

    /// Watches every cluster from `resource_version` (see [`ResourceClient::watch`]).
    pub async fn watch(
        &self,
        wp: &WatchParams,
        resource_version: &str,
    ) -> Result<BoxStream<'static, Result<WatchEvent<K>>>>
    where
        K: Send + 'static,
    {
        self.inner.watch(wp, resource_version).await
    }

    /// The underlying [`kube::Api`] (over every cluster): hand it to `kube::runtime::watcher`
    /// or a reflector. Only its list and watch calls are served.
    pub fn api(&self) -> &kube::Api<K> {
        self.inner.api()
    }
}
