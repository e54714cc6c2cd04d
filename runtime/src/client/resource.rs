//! [`ResourceClient`]: every verb of one kind, in one namespace or cluster-wide.

use std::fmt::{self, Debug};

use either::Either;
use futures::StreamExt;
use futures::stream::BoxStream;
use k8s_openapi::api::autoscaling::v1::Scale;
use kube::api::{
    DeleteParams, ListParams, ObjectList, Patch, PatchParams, PostParams, WatchEvent, WatchParams,
};
use kube::core::{ClusterResourceScope, NamespaceResourceScope, Status};
use kube::{Api, Client, Resource};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::config::ClientsetConfig;
use super::list_watch::{AllClustersClient, AllNamespacesClient};

type Result<T> = std::result::Result<T, kube::Error>;

/// The typed client for one kind: what a generated per-type client wraps.
///
/// Reads (get, list, watch start, subresource gets) run under the clientset's read policy;
/// writes under its write policy (by default: not retried). Scope is checked at compile time
/// as [`kube::Api`] checks it: [`ResourceClient::namespaced`] only for namespaced kinds,
/// [`ResourceClient::cluster`] only for cluster-scoped ones. Cloning is cheap.
#[derive(Clone)]
pub struct ResourceClient<K> {
    api: Api<K>,
    // Kept beside `api` for subresources typed other than `K`, which `Api` cannot return.
    client: Client,
    config: ClientsetConfig,
}

impl<K> Debug for ResourceClient<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `kube::Client` has no Debug; `Api`'s shows the URL and namespace.
        f.debug_struct("ResourceClient")
            .field("api", &self.api)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl<K> ResourceClient<K>
where
    K: Resource<DynamicType = ()> + Clone + DeserializeOwned + Serialize + Debug,
{
    /// A client for objects of a namespaced kind in `namespace`.
    pub fn namespaced(client: Client, namespace: &str, config: ClientsetConfig) -> Self
    where
        K: Resource<Scope = NamespaceResourceScope>,
    {
        ResourceClient {
            api: Api::namespaced(client.clone(), namespace),
            client,
            config,
        }
    }

    /// A client for objects of a cluster-scoped kind.
    pub fn cluster(client: Client, config: ClientsetConfig) -> Self
    where
        K: Resource<Scope = ClusterResourceScope>,
    {
        ResourceClient {
            api: Api::all(client.clone()),
            client,
            config,
        }
    }

    /// A client that lists and watches a namespaced kind across all namespaces. It has no
    /// other verbs: a single object is only addressable within its namespace.
    pub fn all_namespaces(client: Client, config: ClientsetConfig) -> AllNamespacesClient<K>
    where
        K: Resource<Scope = NamespaceResourceScope>,
    {
        AllNamespacesClient::new(ResourceClient {
            api: Api::all(client.clone()),
            client,
            config,
        })
    }

    /// A client that lists and watches a kind across every kcp logical cluster (`client` must
    /// address the server's root). It has no other verbs: kcp serves only those there.
    pub fn all_clusters(client: Client, config: ClientsetConfig) -> AllClustersClient<K> {
        let client = crate::cluster::wildcard_client(&client);
        AllClustersClient::new(ResourceClient {
            api: Api::all(client.clone()),
            client,
            config,
        })
    }

    /// The namespace this client is bound to (`None` for cluster-scoped kinds).
    pub fn namespace(&self) -> Option<&str> {
        self.api.namespace()
    }

    /// The retry policies in use.
    pub fn config(&self) -> &ClientsetConfig {
        &self.config
    }

    /// The same client with other retry policies, for one call or a few: e.g. a read policy
    /// whose classifier treats NotFound as transient while waiting for an object to appear.
    /// Cheap: clones the client handle.
    pub fn with_config(&self, config: ClientsetConfig) -> Self {
        ResourceClient {
            api: self.api.clone(),
            client: self.client.clone(),
            config,
        }
    }

    /// The underlying [`kube::Api`], for calls this client does not wrap (not retried).
    pub fn api(&self) -> &Api<K> {
        &self.api
    }

    /// Creates `obj`.
    pub async fn create(&self, pp: &PostParams, obj: &K) -> Result<K> {
        self.config
            .write_policy()
            .run(|| self.api.create(pp, obj))
            .await
    }

    /// Replaces the object named by `obj.metadata.name` with `obj` (client-go's `Update`).
    /// An object without a name fails with kube's request validation error.
    pub async fn update(&self, pp: &PostParams, obj: &K) -> Result<K> {
        let name = object_name(obj);
        self.config
            .write_policy()
            .run(|| self.api.replace(name, pp, obj))
            .await
    }

    /// Replaces the status of the object named by `obj.metadata.name` (the `status`
    /// subresource; the server ignores everything but status).
    pub async fn update_status(&self, pp: &PostParams, obj: &K) -> Result<K> {
        let name = object_name(obj);
        self.config
            .write_policy()
            .run(|| self.api.replace_status(name, pp, obj))
            .await
    }

    /// Deletes `name`: `Left(object)` while deletion is pending (finalizers), `Right(status)`
    /// once it is gone.
    pub async fn delete(&self, name: &str, dp: &DeleteParams) -> Result<Either<K, Status>> {
        self.config
            .write_policy()
            .run(|| self.api.delete(name, dp))
            .await
    }

    /// Deletes every object matching `lp`.
    pub async fn delete_collection(
        &self,
        dp: &DeleteParams,
        lp: &ListParams,
    ) -> Result<Either<ObjectList<K>, Status>> {
        self.config
            .write_policy()
            .run(|| self.api.delete_collection(dp, lp))
            .await
    }

    /// Reads `name`.
    pub async fn get(&self, name: &str) -> Result<K> {
        self.config.read_policy().run(|| self.api.get(name)).await
    }

    /// Reads `name`, with NotFound as `Ok(None)`.
    pub async fn get_opt(&self, name: &str) -> Result<Option<K>> {
        match self.get(name).await {
            Ok(obj) => Ok(Some(obj)),
            Err(kube::Error::Api(status)) if status.is_not_found() => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// Lists the objects matching `lp`.
    pub async fn list(&self, lp: &ListParams) -> Result<ObjectList<K>> {
        self.config.read_policy().run(|| self.api.list(lp)).await
    }

    /// Starts a watch from `resource_version` (`"0"`: from any recent state). Starting is
    /// retried as a read; once the stream runs, its errors (e.g. `410 Gone`) are the caller's,
    /// as with client-go's `Watch`.
    pub async fn watch(
        &self,
        wp: &WatchParams,
        resource_version: &str,
    ) -> Result<BoxStream<'static, Result<WatchEvent<K>>>>
    where
        K: Send + 'static,
    {
        let stream = self
            .config
            .read_policy()
            .run(|| self.api.watch(wp, resource_version))
            .await?;
        Ok(stream.boxed())
    }

    /// Patches `name`: `Patch::Merge`, `Patch::Json`, `Patch::Strategic` (built-in kinds only)
    /// or `Patch::Apply` (server-side apply; `pp` then needs a field manager).
    pub async fn patch<P: Serialize + Debug>(
        &self,
        name: &str,
        pp: &PatchParams,
        patch: &Patch<P>,
    ) -> Result<K> {
        self.config
            .write_policy()
            .run(|| self.api.patch(name, pp, patch))
            .await
    }

    /// Patches the status subresource of `name`.
    pub async fn patch_status<P: Serialize + Debug>(
        &self,
        name: &str,
        pp: &PatchParams,
        patch: &Patch<P>,
    ) -> Result<K> {
        self.config
            .write_policy()
            .run(|| self.api.patch_status(name, pp, patch))
            .await
    }

    /// Server-side applies `obj` (the whole object, or any serializable partial
    /// configuration such as a `serde_json::Value`) to `name` as `field_manager`; `force`
    /// takes over fields other managers own.
    pub async fn apply<P: Serialize + Debug>(
        &self,
        name: &str,
        obj: &P,
        field_manager: &str,
        force: bool,
    ) -> Result<K> {
        self.patch(
            name,
            &apply_params(field_manager, force),
            &Patch::Apply(obj),
        )
        .await
    }

    /// Server-side applies `obj` to the status subresource of `name`.
    pub async fn apply_status<P: Serialize + Debug>(
        &self,
        name: &str,
        obj: &P,
        field_manager: &str,
        force: bool,
    ) -> Result<K> {
        self.patch_status(
            name,
            &apply_params(field_manager, force),
            &Patch::Apply(obj),
        )
        .await
    }

    /// Reads the `subresource` of `name` as `T` (e.g. `"scale"` as autoscaling/v1 `Scale`):
    /// what `+genclient:method=…,verb=get,subresource=…,result=T` generates into.
    pub async fn get_subresource<T: DeserializeOwned>(
        &self,
        name: &str,
        subresource: &str,
    ) -> Result<T> {
        self.config
            .read_policy()
            .run(|| async {
                let req = self
                    .request()
                    .get_subresource(subresource, name)
                    .map_err(kube::Error::BuildRequest)?;
                self.client.request::<T>(req).await
            })
            .await
    }

    /// Replaces the `subresource` of `name` with `data`, returning the server's `T`
    /// (`verb=update,subresource=…,input=I,result=T`).
    pub async fn update_subresource<I: Serialize, T: DeserializeOwned>(
        &self,
        name: &str,
        subresource: &str,
        pp: &PostParams,
        data: &I,
    ) -> Result<T> {
        let body = serde_json::to_vec(data).map_err(kube::Error::SerdeError)?;
        self.config
            .write_policy()
            .run(|| async {
                let req = self
                    .request()
                    .replace_subresource(subresource, name, pp, body.clone())
                    .map_err(kube::Error::BuildRequest)?;
                self.client.request::<T>(req).await
            })
            .await
    }

    /// Creates on the `subresource` of `name` (`verb=create`, e.g. `eviction`, `token`).
    pub async fn create_subresource<I: Serialize, T: DeserializeOwned>(
        &self,
        name: &str,
        subresource: &str,
        pp: &PostParams,
        data: &I,
    ) -> Result<T> {
        self.config
            .write_policy()
            .run(|| self.api.create_subresource(subresource, name, pp, data))
            .await
    }

    /// Patches the `subresource` of `name`, returning the server's `T` (`verb=patch`).
    pub async fn patch_subresource<P: Serialize + Debug, T: DeserializeOwned>(
        &self,
        name: &str,
        subresource: &str,
        pp: &PatchParams,
        patch: &Patch<P>,
    ) -> Result<T> {
        self.config
            .write_policy()
            .run(|| async {
                let req = self
                    .request()
                    .patch_subresource(subresource, name, pp, patch)
                    .map_err(kube::Error::BuildRequest)?;
                self.client.request::<T>(req).await
            })
            .await
    }

    /// Reads the `scale` subresource of `name`.
    pub async fn get_scale(&self, name: &str) -> Result<Scale> {
        self.config
            .read_policy()
            .run(|| self.api.get_scale(name))
            .await
    }

    /// Replaces the `scale` subresource of `name`.
    pub async fn update_scale(&self, name: &str, pp: &PostParams, scale: &Scale) -> Result<Scale> {
        self.config
            .write_policy()
            .run(|| self.api.replace_scale(name, pp, scale))
            .await
    }

    /// kube's request builder for this client's collection URL.
    fn request(&self) -> kube::core::Request {
        kube::core::Request::new(self.api.resource_url())
    }
}

/// `obj`'s name, or `""`, which kube's request builder rejects with a validation error.
fn object_name<K: Resource>(obj: &K) -> &str {
    obj.meta().name.as_deref().unwrap_or_default()
}

fn apply_params(field_manager: &str, force: bool) -> PatchParams {
    let pp = PatchParams::apply(field_manager);
    if force { pp.force() } else { pp }
}
