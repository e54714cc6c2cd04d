//! [`ListWatchClient`]: a kind listed and watched over a wider reach than one object's home:
//! every namespace ([`AllNamespacesClient`]) or every kcp logical cluster
//! ([`AllClustersClient`]).

use std::fmt::Debug;

use futures::stream::BoxStream;
use kube::Resource;
use kube::api::{ListParams, ObjectList, WatchEvent, WatchParams};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::resource::ResourceClient;

type Result<T> = std::result::Result<T, kube::Error>;

/// Lists and watches a kind across a reach where a single object cannot be addressed, so it
/// offers only list and watch: a get or write there, which the server would reject, does not
/// compile. Built by [`ResourceClient::all_namespaces`] or [`ResourceClient::all_clusters`].
#[derive(Clone, Debug)]
pub struct ListWatchClient<K> {
    inner: ResourceClient<K>,
}

/// A namespaced kind in all namespaces at once (client-go's `Widgets(metav1.NamespaceAll)`).
pub type AllNamespacesClient<K> = ListWatchClient<K>;

/// A kind in every kcp logical cluster (and, if namespaced, every namespace) at once, through
/// `/clusters/*/`; each object tells its cluster through
/// [`LogicalClusterExt`](crate::cluster::LogicalClusterExt).
pub type AllClustersClient<K> = ListWatchClient<K>;

impl<K> ListWatchClient<K>
where
    K: Resource<DynamicType = ()> + Clone + DeserializeOwned + Serialize + Debug,
{
    pub(super) fn new(inner: ResourceClient<K>) -> Self {
        ListWatchClient { inner }
    }

    /// Lists the objects matching `lp` across the whole reach.
    pub async fn list(&self, lp: &ListParams) -> Result<ObjectList<K>> {
        self.inner.list(lp).await
    }

    /// Watches the whole reach from `resource_version` (see [`ResourceClient::watch`]).
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

    /// The underlying [`kube::Api`] over the whole reach: hand it to `kube::runtime::watcher`
    /// or a reflector (only its list and watch are served).
    pub fn api(&self) -> &kube::Api<K> {
        self.inner.api()
    }
}
