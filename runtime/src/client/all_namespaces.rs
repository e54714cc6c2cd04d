//! [`AllNamespacesClient`]: list and watch a namespaced kind across every namespace.

use std::fmt::Debug;

use futures::stream::BoxStream;
use kube::Resource;
use kube::api::{ListParams, ObjectList, WatchEvent, WatchParams};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::resource::ResourceClient;

type Result<T> = std::result::Result<T, kube::Error>;

/// Lists and watches a namespaced kind in all namespaces at once (client-go's
/// `Widgets(metav1.NamespaceAll)`), built by [`ResourceClient::all_namespaces`].
///
/// It offers only list and watch, so a get or write without a namespace, which the server would
/// reject, does not compile.
#[derive(Clone, Debug)]
pub struct AllNamespacesClient<K> {
    inner: ResourceClient<K>,
}

impl<K> AllNamespacesClient<K>
where
    K: Resource<DynamicType = ()> + Clone + DeserializeOwned + Serialize + Debug,
{
    pub(super) fn new(inner: ResourceClient<K>) -> Self {
        AllNamespacesClient { inner }
    }

    /// Lists the objects matching `lp` in every namespace.
    pub async fn list(&self, lp: &ListParams) -> Result<ObjectList<K>> {
        self.inner.list(lp).await
    }

    /// Watches every namespace from `resource_version` (see [`ResourceClient::watch`]).
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

    /// The underlying [`kube::Api`] (over every namespace): hand it to `kube::runtime::watcher`
    /// or a reflector.
    pub fn api(&self) -> &kube::Api<K> {
        self.inner.api()
    }
}
