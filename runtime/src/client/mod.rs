//! Typed clients that generated clientsets delegate to (feature `client`).
//!
//! A generated `Clientset` holds a [`kube::Client`] and a [`ClientsetConfig`]; its per-type
//! accessors build a [`ResourceClient`] (`widgets(ns)` → [`ResourceClient::namespaced`],
//! `widgets()` for cluster-scoped kinds → [`ResourceClient::cluster`]) and every generated verb
//! is one call into it. All HTTP goes through [`kube::Api`] and [`kube::Client`]; this layer
//! adds the retry policies and subresource access typed by the caller.
//!
//! Errors are plain [`kube::Error`]s, so callers keep kube's helpers and types; what an error
//! means for retrying is [`classify`](crate::retry::classify)`(&err)`.
//!
//! What generated code looks like on top of it (here for `ConfigMap`):
//!
//! ```no_run
//! use kube_codegen_runtime::client::{ClientsetConfig, ResourceClient};
//! use kube_codegen_runtime::kube::{self, api::PostParams};
//! use kube_codegen_runtime::k8s_openapi::api::core::v1::ConfigMap;
//!
//! pub struct Clientset { client: kube::Client, config: ClientsetConfig }
//! pub struct CoreV1Client { client: kube::Client, config: ClientsetConfig }
//! pub struct ConfigMapClient { inner: ResourceClient<ConfigMap> }
//!
//! impl Clientset {
//!     pub fn new(client: kube::Client) -> Self {
//!         Clientset { client, config: ClientsetConfig::default() }
//!     }
//!     pub fn core_v1(&self) -> CoreV1Client {
//!         CoreV1Client { client: self.client.clone(), config: self.config.clone() }
//!     }
//! }
//! impl CoreV1Client {
//!     pub fn config_maps(&self, namespace: &str) -> ConfigMapClient {
//!         let inner = ResourceClient::namespaced(self.client.clone(), namespace, self.config.clone());
//!         ConfigMapClient { inner }
//!     }
//! }
//! impl ConfigMapClient {
//!     pub async fn get(&self, name: &str) -> Result<ConfigMap, kube::Error> {
//!         self.inner.get(name).await
//!     }
//!     pub async fn create(&self, pp: &PostParams, obj: &ConfigMap) -> Result<ConfigMap, kube::Error> {
//!         self.inner.create(pp, obj).await
//!     }
//! }
//!
//! # async fn demo(client: kube::Client) -> Result<(), kube::Error> {
//! let settings = Clientset::new(client).core_v1().config_maps("default").get("settings").await?;
//! # let _ = settings; Ok(())
//! # }
//! ```

mod config;
mod list_watch;
mod resource;

pub use config::ClientsetConfig;
pub use list_watch::{AllClustersClient, AllNamespacesClient, ListWatchClient};
pub use resource::ResourceClient;

/// What holds a [`kube::Client`]: the client itself, or a generated `Clientset`. Generated
/// informer factories are built from either (`InformerFactory::new(&clientset)`).
pub trait AsClient {
    fn as_client(&self) -> &kube::Client;
}

impl AsClient for kube::Client {
    fn as_client(&self) -> &kube::Client {
        self
    }
}
