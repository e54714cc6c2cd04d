//! [`SharedInformerFactory`]: one informer per kind, however many consumers ask for it.
//!
//! client-go's factory, in Rust: options shared by every informer it makes (namespace, list
//! selectors, a metadata transform, a default resync), `start` that is idempotent and starts
//! only what was requested before it, `wait_for_cache_sync` that reports per kind and never
//! waits past its timeout, `shutdown` that waits for every task, and `for_resource` for generic
//! access by group, version and resource.

use std::any::{Any, TypeId};
use std::fmt::{self, Debug};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use futures::future::BoxFuture;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::core::{ClusterResourceScope, GroupVersionResource, NamespaceResourceScope};
use kube::runtime::watcher;
use kube::{Api, Client, Resource};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::cache::Cache;
use super::cluster::{ClusterInformerFactory, cluster_cache};
use super::shared::{InformerOptions, SharedInformer, Transform};
use super::sync::{ResourceId, SyncError, SyncReport};

/// How a factory builds the `Api` of a kind of this scope: namespaced kinds honour the
/// factory's namespace, cluster-scoped kinds ignore it (as client-go's informers do).
pub trait InformerScope {
    fn api<K>(client: Client, namespace: Option<&str>) -> Api<K>
    where
        K: Resource<DynamicType = (), Scope = Self>;
}

impl InformerScope for NamespaceResourceScope {
    fn api<K>(client: Client, namespace: Option<&str>) -> Api<K>
    where
        K: Resource<DynamicType = (), Scope = Self>,
    {
        match namespace {
            Some(namespace) => Api::namespaced(client, namespace),
            None => Api::all(client),
        }
    }
}

impl InformerScope for ClusterResourceScope {
    fn api<K>(client: Client, _namespace: Option<&str>) -> Api<K>
    where
        K: Resource<DynamicType = (), Scope = Self>,
    {
        Api::all(client)
    }
}

/// What a factory needs of a kind: known at compile time, (de)serializable (`for_resource` shows
/// objects as JSON), shareable across tasks. Every generated `+genclient` kind and every
/// k8s-openapi kind is one.
pub trait FactoryKind:
    Resource<DynamicType = ()> + Clone + DeserializeOwned + Serialize + Debug + Send + Sync + 'static
{
}

impl<K> FactoryKind for K where
    K: Resource<DynamicType = ()>
        + Clone
        + DeserializeOwned
        + Serialize
        + Debug
        + Send
        + Sync
        + 'static
{
}

type Tweak = Arc<dyn Fn(watcher::Config) -> watcher::Config + Send + Sync>;
type MetaTransform = Arc<dyn Fn(&mut ObjectMeta) + Send + Sync>;

/// Options for [`SharedInformerFactory::builder`].
pub struct FactoryBuilder {
    client: Client,
    namespace: Option<String>,
    tweak: Option<Tweak>,
    transform: Option<MetaTransform>,
    default_resync: Option<Duration>,
}

impl Debug for FactoryBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FactoryBuilder")
            .field("namespace", &self.namespace)
            .field("tweak", &self.tweak.is_some())
            .field("transform", &self.transform.is_some())
            .field("default_resync", &self.default_resync)
            .finish_non_exhaustive()
    }
}

impl FactoryBuilder {
    /// Watch namespaced kinds in this namespace only (cluster-scoped kinds are unaffected).
    pub fn namespace(mut self, namespace: &str) -> Self {
        self.namespace = Some(namespace.to_owned());
        self
    }

    /// Adjusts every informer's list and watch parameters, e.g. `|c| c.labels("app=web")`.
    pub fn tweak_list_params(
        mut self,
        tweak: impl Fn(watcher::Config) -> watcher::Config + Send + Sync + 'static,
    ) -> Self {
        self.tweak = Some(Arc::new(tweak));
        self
    }

    /// Runs on every object's metadata before it is cached, for every kind.
    pub fn transform(
        mut self,
        transform: impl Fn(&mut ObjectMeta) + Send + Sync + 'static,
    ) -> Self {
        self.transform = Some(Arc::new(transform));
        self
    }

    /// Drops `metadata.managedFields` before caching: they are often the larger part of an
    /// object and controllers rarely read them.
    pub fn strip_managed_fields(self) -> Self {
        self.transform(|meta| meta.managed_fields = None)
    }

    /// Resync every informer this often (see [`InformerOptions::resync`]).
    pub fn default_resync(mut self, period: Duration) -> Self {
        self.default_resync = Some(period);
        self
    }

    pub fn build(self) -> SharedInformerFactory {
        self.build_over(Reach::OneCluster)
    }

    /// A cluster-aware factory: its informers watch every kcp logical cluster at once (the
    /// client must address the server's root). Must be called inside a tokio runtime.
    pub fn build_cluster_aware(mut self) -> ClusterInformerFactory {
        self.client = crate::cluster::wildcard_client(&self.client);
        ClusterInformerFactory::new_over(self.build_over(Reach::AllClusters))
    }

    fn build_over(self, reach: Reach) -> SharedInformerFactory {
        SharedInformerFactory {
            inner: Arc::new(FactoryInner {
                client: self.client,
                reach,
                namespace: self.namespace,
                tweak: self.tweak,
                transform: self.transform,
                default_resync: self.default_resync,
                informers: Mutex::new(Vec::new()),
            }),
            cluster: None,
        }
    }
}

/// Makes and shares informers. Cloning shares the factory.
///
/// A view of one logical cluster of a cluster-aware factory
/// ([`ClusterInformerFactory::cluster`]) is one too: it hands out that cluster's views of the
/// shared informers, and its start, sync and shutdown are the whole factory's.
#[derive(Clone)]
pub struct SharedInformerFactory {
    inner: Arc<FactoryInner>,
    /// The logical cluster this view is confined to, if any.
    cluster: Option<Arc<str>>,
}

/// What a factory's informers watch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reach {
    /// What the client addresses: a cluster, or one kcp logical cluster.
    OneCluster,
    /// Every kcp logical cluster (the client addresses `/clusters/*/`), keyed by cluster.
    AllClusters,
}

struct FactoryInner {
    client: Client,
    reach: Reach,
    namespace: Option<String>,
    tweak: Option<Tweak>,
    transform: Option<MetaTransform>,
    default_resync: Option<Duration>,
    /// In the order requested, so reports list kinds in that order.
    informers: Mutex<Vec<Registered>>,
}

struct Registered {
    type_id: TypeId,
    informer: Arc<dyn AnyInformer>,
}

impl Debug for SharedInformerFactory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kinds: Vec<String> = self
            .registered()
            .iter()
            .map(|i| i.resource().to_string())
            .collect();
        f.debug_struct("SharedInformerFactory")
            .field("reach", &self.inner.reach)
            .field("cluster", &self.cluster)
            .field("namespace", &self.inner.namespace)
            .field("informers", &kinds)
            .finish_non_exhaustive()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SharedInformerFactory {
    /// A factory with default options: all namespaces, no selectors, no resync.
    pub fn new(client: Client) -> Self {
        SharedInformerFactory::builder(client).build()
    }

    pub fn builder(client: Client) -> FactoryBuilder {
        FactoryBuilder {
            client,
            namespace: None,
            tweak: None,
            transform: None,
            default_resync: None,
        }
    }

    /// The client informers are built on.
    pub fn client(&self) -> &Client {
        &self.inner.client
    }

    /// The informer of kind `K`: made on first request, the same one on every later request.
    /// It starts with the next [`SharedInformerFactory::start`]. From a view of one logical
    /// cluster: that cluster's view of the shared informer.
    pub fn informer_for<K>(&self) -> SharedInformer<K>
    where
        K: FactoryKind,
        K::Scope: InformerScope,
    {
        let informer = self.shared_informer_for::<K>();
        match &self.cluster {
            Some(cluster) => informer.in_cluster(Arc::clone(cluster)),
            None => informer,
        }
    }

    fn shared_informer_for<K>(&self) -> SharedInformer<K>
    where
        K: FactoryKind,
        K::Scope: InformerScope,
    {
        let mut informers = lock(&self.inner.informers);
        let type_id = TypeId::of::<K>();
        if let Some(existing) = informers
            .iter()
            .find(|r| r.type_id == type_id)
            .and_then(|r| r.informer.as_any().downcast_ref::<SharedInformer<K>>())
        {
            return existing.clone();
        }
        let api = K::Scope::api::<K>(self.inner.client.clone(), self.inner.namespace.as_deref());
        let cache = match self.inner.reach {
            Reach::OneCluster => Cache::new(),
            Reach::AllClusters => cluster_cache(),
        };
        let informer = SharedInformer::with_cache(api, self.options::<K>(), cache);
        informers.push(Registered {
            type_id,
            informer: Arc::new(informer.clone()),
        });
        informer
    }

    /// Whether this factory's informers watch every logical cluster.
    pub(crate) fn is_cluster_aware(&self) -> bool {
        self.inner.reach == Reach::AllClusters
    }

    /// This factory seen from one logical cluster (only for a cluster-aware factory).
    pub(crate) fn in_cluster(&self, cluster: Arc<str>) -> Self {
        SharedInformerFactory {
            inner: Arc::clone(&self.inner),
            cluster: Some(cluster),
        }
    }

    /// The logical cluster this view is confined to (`None`: the whole factory).
    pub fn cluster(&self) -> Option<&str> {
        self.cluster.as_deref()
    }

    fn options<K: Resource>(&self) -> InformerOptions<K> {
        let watcher = match &self.inner.tweak {
            Some(tweak) => tweak(watcher::Config::default()),
            None => watcher::Config::default(),
        };
        let transform = self.inner.transform.clone().map(|transform| {
            let transform: Transform<K> =
                Arc::new(move |object: &mut K| transform(object.meta_mut()));
            transform
        });
        InformerOptions {
            watcher,
            transform,
            resync: self.inner.default_resync,
        }
    }

    fn registered(&self) -> Vec<Arc<dyn AnyInformer>> {
        lock(&self.inner.informers)
            .iter()
            .map(|r| Arc::clone(&r.informer))
            .collect()
    }

    /// Starts every informer requested so far that is not running; calling it again starts
    /// only those requested since. Must be called inside a tokio runtime.
    pub fn start(&self) {
        for informer in self.registered() {
            informer.start();
        }
    }

    /// Waits until every started informer has synced, at most `timeout` in all, and reports
    /// each kind: synced, or not with its last error.
    pub async fn wait_for_cache_sync(&self, timeout: Duration) -> SyncReport {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut report = SyncReport::default();
        for informer in self.registered() {
            if !informer.is_started() {
                continue;
            }
            let synced = tokio::time::timeout_at(deadline, informer.wait_synced())
                .await
                .is_ok();
            if synced {
                report.synced.push(informer.resource().clone());
            } else {
                report
                    .not_synced
                    .push((informer.resource().clone(), informer.last_sync_error()));
            }
        }
        report
    }

    /// Stops every informer and waits for all their tasks to end.
    pub async fn shutdown(&self) {
        for informer in self.registered() {
            informer.shutdown().await;
        }
    }

    /// Generic access to a kind requested from this factory, by group, version and resource
    /// (plural); `None` for a kind not requested.
    pub fn for_resource(&self, gvr: &GroupVersionResource) -> Option<GenericInformer> {
        self.registered()
            .into_iter()
            .find(|i| {
                let r = i.resource();
                r.group == gvr.group && r.version == gvr.version && r.plural == gvr.resource
            })
            .map(|informer| GenericInformer { informer })
    }
}

/// An informer seen without its type: what [`SharedInformerFactory::for_resource`] returns.
#[derive(Clone)]
pub struct GenericInformer {
    informer: Arc<dyn AnyInformer>,
}

impl Debug for GenericInformer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GenericInformer")
            .field("resource", self.informer.resource())
            .finish_non_exhaustive()
    }
}

impl GenericInformer {
    pub fn resource(&self) -> &ResourceId {
        self.informer.resource()
    }

    pub fn has_synced(&self) -> bool {
        self.informer.has_synced()
    }

    pub fn last_sync_error(&self) -> Option<SyncError> {
        self.informer.last_sync_error()
    }

    /// The keys of every cached object, sorted.
    pub fn keys(&self) -> Vec<String> {
        self.informer.keys()
    }

    /// A cached object as JSON (as the server would send it).
    pub fn get(&self, key: &str) -> Option<serde_json::Value> {
        self.informer.get_json(key)
    }

    /// The typed informer, when `K` is its kind.
    pub fn typed<K: Send + Sync + 'static>(&self) -> Option<SharedInformer<K>> {
        self.informer
            .as_any()
            .downcast_ref::<SharedInformer<K>>()
            .cloned()
    }
}

/// What the factory needs of an informer whatever its kind.
trait AnyInformer: Send + Sync {
    fn resource(&self) -> &ResourceId;
    fn start(&self);
    fn is_started(&self) -> bool;
    fn has_synced(&self) -> bool;
    fn last_sync_error(&self) -> Option<SyncError>;
    fn wait_synced(&self) -> BoxFuture<'_, ()>;
    fn shutdown(&self) -> BoxFuture<'_, ()>;
    fn keys(&self) -> Vec<String>;
    fn get_json(&self, key: &str) -> Option<serde_json::Value>;
    fn as_any(&self) -> &dyn Any;
}

impl<K> AnyInformer for SharedInformer<K>
where
    K: FactoryKind,
{
    fn resource(&self) -> &ResourceId {
        SharedInformer::resource(self)
    }

    fn start(&self) {
        SharedInformer::start(self);
    }

    fn is_started(&self) -> bool {
        SharedInformer::is_started(self)
    }

    fn has_synced(&self) -> bool {
        SharedInformer::has_synced(self)
    }

    fn last_sync_error(&self) -> Option<SyncError> {
        SharedInformer::last_sync_error(self)
    }

    fn wait_synced(&self) -> BoxFuture<'_, ()> {
        Box::pin(SharedInformer::wait_synced(self))
    }

    fn shutdown(&self) -> BoxFuture<'_, ()> {
        Box::pin(SharedInformer::shutdown(self))
    }

    fn keys(&self) -> Vec<String> {
        self.cache().keys()
    }

    fn get_json(&self, key: &str) -> Option<serde_json::Value> {
        let object = self.cache().get(key)?;
        serde_json::to_value(&*object).ok()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
