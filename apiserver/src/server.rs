//! The server value users hold: registration, options, fault script, and the ways to talk to it
//! (an in-process tower service, a `kube::Client`, or an HTTP listener).

use kube_codegen_runtime::lifecycle::KubeRelease;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use crate::builtin::BuiltinKind;
use crate::definition::ResourceDefinition;
use crate::faults::Faults;
use crate::http::HttpServer;
use crate::options::Options;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use std::path::Path;

use crate::crd::{
    self,
    load::{self, CrdError, LoadedCrd},
};
use crate::meta;
use crate::registry::{self, Kinds, Registry, Target, Writer};
use crate::request::DEFAULT_CLUSTER;
use crate::service::ApiService;
use crate::storage::Store;

/// Shared state behind every handle to one server.
#[derive(Debug)]
pub(crate) struct Inner {
    pub registry: Arc<Registry>,
    pub faults: Faults,
    pub options: Options,
}

/// An in-memory Kubernetes API server.
///
/// Cloning is cheap; every clone is the same server.
///
/// ```
/// # async fn demo() {
/// use kube_codegen_apiserver::{ApiServer, ResourceDefinition};
/// let server = ApiServer::builder()
///     .register(ResourceDefinition::new("example.io", "v1", "Thing", "things").with_status())
///     .build();
/// let client = server.client(); // a kube::Client; call inside a tokio runtime
/// # let _ = client;
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct ApiServer {
    pub(crate) inner: Arc<Inner>,
}

/// Configures an [`ApiServer`].
#[derive(Debug, Default)]
pub struct ApiServerBuilder {
    definitions: Vec<ResourceDefinition>,
    crds: Vec<LoadedCrd>,
    options: Options,
}

impl ApiServerBuilder {
    /// Serves a kind: from a generated `&ResourceInfo` or a [`ResourceDefinition`].
    pub fn register(mut self, definition: impl Into<ResourceDefinition>) -> Self {
        self.definitions.push(definition.into());
        self
    }

    /// Serves every kind of a generated `RESOURCES` list.
    pub fn register_all<'a, I, D>(mut self, definitions: I) -> Self
    where
        I: IntoIterator<Item = D>,
        D: Into<ResourceDefinition> + 'a,
    {
        self.definitions
            .extend(definitions.into_iter().map(Into::into));
        self
    }

    /// Also serves these built-in kinds (see [`BuiltinKind`]; `BuiltinKind::ALL` for all).
    pub fn builtin_kinds(mut self, kinds: impl IntoIterator<Item = BuiltinKind>) -> Self {
        self.definitions
            .extend(kinds.into_iter().map(BuiltinKind::definition));
        self
    }

    /// Serves the CRDs of every `*.yaml`, `*.yml` and `*.json` file in `dir` (not its
    /// subdirectories; YAML files may hold several `---`-separated documents), as if each had
    /// been created: the server starts with the CRD objects stored (`kubectl get crd` lists
    /// them) and their served versions' kinds registered, schemas included.
    ///
    /// # Errors
    ///
    /// A [`CrdError`] naming the file (and document) when a file cannot be read or parsed,
    /// holds something other than an `apiextensions.k8s.io/v1` CustomResourceDefinition,
    /// holds a CRD the server would refuse (see [`ApiServerBuilder::crd`]), or repeats a CRD
    /// name.
    ///
    /// ```
    /// use kube_codegen_apiserver::ApiServer;
    ///
    /// let dir = tempfile::tempdir()?;
    /// std::fs::write(dir.path().join("widgets.yaml"), r#"
    /// apiVersion: apiextensions.k8s.io/v1
    /// kind: CustomResourceDefinition
    /// metadata: {name: widgets.example.io}
    /// spec:
    ///   group: example.io
    ///   scope: Namespaced
    ///   names: {plural: widgets, kind: Widget}
    ///   versions:
    ///   - name: v1
    ///     served: true
    ///     storage: true
    ///     schema:
    ///       openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
    /// "#)?;
    /// let server = ApiServer::builder().crds_from_dir(dir.path())?.build();
    /// assert!(server.definitions().iter().any(|d| d.api_version() == "example.io/v1"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn crds_from_dir(mut self, dir: impl AsRef<Path>) -> Result<Self, CrdError> {
        for loaded in load::from_dir(dir.as_ref())? {
            self = self.add_crd(loaded)?;
        }
        Ok(self)
    }

    /// Serves one CRD, as if it had been created (see [`ApiServerBuilder::crds_from_dir`]).
    ///
    /// # Errors
    ///
    /// A [`CrdError`] when the server would refuse the CRD (the name is not
    /// `<plural>.<group>`, not exactly one storage version, a version without a schema, an
    /// unknown scope...), or when a CRD of that name was added already.
    pub fn crd(self, crd: &CustomResourceDefinition) -> Result<Self, CrdError> {
        let loaded = load::from_typed(crd)?;
        self.add_crd(loaded)
    }

    fn add_crd(mut self, loaded: LoadedCrd) -> Result<Self, CrdError> {
        let name = |c: &LoadedCrd| meta::name(&c.object).to_owned();
        if let Some(earlier) = self.crds.iter().find(|c| name(c) == name(&loaded)) {
            return Err(CrdError::duplicate(&name(&loaded), earlier, &loaded));
        }
        self.crds.push(loaded);
        Ok(self)
    }

    /// Replaces all options.
    pub fn options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// See [`Options::history_window`].
    pub fn history_window(mut self, events: usize) -> Self {
        self.options.history_window = events;
        self
    }

    /// See [`Options::max_body_bytes`].
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.options.max_body_bytes = bytes;
        self
    }

    /// See [`Options::bookmark_interval`].
    pub fn bookmark_interval(mut self, interval: Duration) -> Self {
        self.options.bookmark_interval = interval;
        self
    }

    /// See [`Options::default_watch_timeout`].
    pub fn default_watch_timeout(mut self, timeout: Duration) -> Self {
        self.options.default_watch_timeout = timeout;
        self
    }

    /// See [`Options::future_watch_wait`].
    pub fn future_watch_wait(mut self, wait: Duration) -> Self {
        self.options.future_watch_wait = wait;
        self
    }

    /// See [`Options::namespace_cleanup_delay`].
    pub fn namespace_cleanup_delay(mut self, delay: Duration) -> Self {
        self.options.namespace_cleanup_delay = delay;
        self
    }

    /// See [`Options::header_read_timeout`] and [`Options::body_read_timeout`].
    pub fn read_timeouts(mut self, headers: Duration, body: Duration) -> Self {
        self.options.header_read_timeout = headers;
        self.options.body_read_timeout = body;
        self
    }

    /// Emulates the API lifecycle of Kubernetes `release` (see [`Options::emulated_release`]):
    /// versions deprecated by then warn, versions removed by then are not served.
    pub fn emulated_release(mut self, release: KubeRelease) -> Self {
        self.options.emulated_release = Some(release);
        self
    }

    /// Builds the server. It serves nothing until you take its [`ApiServer::service`] or
    /// [`ApiServer::client`], or start [`ApiServer::serve_http`].
    pub fn build(self) -> ApiServer {
        let mut kinds = Kinds::with_builtins();
        // A version removed at the emulated release is not served at all (404, absent from
        // discovery), as kube-apiserver does not serve it.
        for def in self
            .definitions
            .into_iter()
            .filter(|d| self.options.serves(d))
        {
            kinds.register(def);
        }
        let store = Store::new(self.options.history_window, self.options.watch_buffer);
        let registry = Registry::new(kinds, store);
        if !self.crds.is_empty() {
            store_crds(&registry, self.crds);
        }
        ApiServer {
            inner: Arc::new(Inner {
                registry: Arc::new(registry),
                faults: Faults::default(),
                options: self.options,
            }),
        }
    }
}

/// Creates the builder's CRDs as a client's create would (they were checked when added),
/// then lets the CRD controller register their kinds.
fn store_crds(registry: &Registry, crds: Vec<LoadedCrd>) {
    let def = crd::definition();
    let writer = Writer {
        manager: "kube-codegen-apiserver".to_owned(),
        api_version: def.api_version(),
        subresource: String::new(),
    };
    // Loading has no response to carry warnings; a CRD's own schema is never pruned.
    let warnings = std::sync::Mutex::new(Vec::new());
    let target = Target {
        def: &def,
        cluster: DEFAULT_CLUSTER,
        namespace: None,
        subresource: None,
        dry_run: false,
        field_validation: crate::schema::FieldValidation::Ignore,
        warnings: &warnings,
    };
    {
        let mut state = registry.store.lock();
        registry::ensure_cluster(&mut state, DEFAULT_CLUSTER);
        for loaded in crds {
            // Checked and de-duplicated when added: a create cannot fail here, and if it
            // did the CRD would only be missing, as after a refused `kubectl create`.
            let _ = registry::create(&mut state, &target, loaded.object, Some(&writer));
        }
    }
    crd::controller::reconcile(registry);
}

impl Default for ApiServer {
    fn default() -> Self {
        ApiServer::builder().build()
    }
}

impl ApiServer {
    /// Starts configuring a server.
    pub fn builder() -> ApiServerBuilder {
        ApiServerBuilder::default()
    }

    /// Serves one more kind (takes effect for the next request, discovery included).
    pub fn register(&self, definition: impl Into<ResourceDefinition>) {
        let definition = definition.into();
        if self.inner.options.serves(&definition) {
            self.inner.registry.register(definition);
        }
    }

    /// The kinds served, in registration order (the built-in `Namespace` and
    /// `CustomResourceDefinition` first, CRD-defined kinds after the registered ones).
    pub fn definitions(&self) -> Vec<ResourceDefinition> {
        self.inner.registry.kinds().all().to_vec()
    }

    /// The options the server runs with.
    pub fn options(&self) -> &Options {
        &self.inner.options
    }

    /// The in-process tower `Service`: `kube::Client::new(server.service(), "default")`.
    pub fn service(&self) -> ApiService {
        ApiService::new(Arc::clone(&self.inner), None)
    }

    /// A service whose requests go to one kcp logical cluster (`/clusters/<name>/` is put in
    /// front of every path); `"*"` lists and watches across clusters.
    pub fn cluster_service(&self, cluster: &str) -> ApiService {
        ApiService::new(Arc::clone(&self.inner), Some(cluster.to_owned()))
    }

    /// A `kube::Client` over [`ApiServer::service`] with default namespace `default`.
    /// Must be called within a tokio runtime.
    pub fn client(&self) -> kube::Client {
        kube::Client::new(self.service(), "default")
    }

    /// A `kube::Client` for one logical cluster (see [`ApiServer::cluster_service`]).
    pub fn cluster_client(&self, cluster: &str) -> kube::Client {
        kube::Client::new(self.cluster_service(cluster), "default")
    }

    /// The fault script: inject errors, latency and watch cuts.
    pub fn faults(&self) -> &Faults {
        &self.inner.faults
    }

    /// Drops the watch history: a watch from any earlier resourceVersion gets 410 Expired
    /// (as after an etcd compaction).
    pub fn compact(&self) {
        self.inner.registry.store.lock().compact();
    }

    /// The latest resourceVersion issued.
    pub fn resource_version(&self) -> u64 {
        self.inner.registry.store.lock().resource_version()
    }

    /// Serves HTTP on `addr` (port 0 picks a free port) until the returned handle is shut
    /// down or dropped.
    pub async fn serve_http(&self, addr: SocketAddr) -> std::io::Result<HttpServer> {
        HttpServer::start(self.clone(), addr).await
    }
}
