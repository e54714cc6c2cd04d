//! [`SharedInformer`]: one kind's list-and-watch loop, its cache, and its handlers.
//!
//! Built on `kube::runtime::watcher`, which already lists, watches with bookmarks, resumes from
//! the last resourceVersion after a dropped connection and relists on 410 Gone; writing our own
//! reflector would duplicate that well-tested state machine. What the watcher leaves to its
//! caller, and this module adds: an indexed cache, event handlers with their own queues, a sync
//! flag, resync, a transform hook, and retrying on its own after a failure.
//!
//! Retrying is the point of the kcp 1.32 lesson: a watcher stream yields an error and recovers
//! only when polled again. This loop polls again after a backoff (kube's `DefaultBackoff`, which
//! is client-go's: 800 ms doubling to 30 s, with jitter, reset after 2 minutes without a
//! failure), without waiting for any other event, and records each failure where
//! [`SharedInformer::last_sync_error`] and the watch-error hooks see it.

use std::fmt::{self, Debug};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use futures::StreamExt;
use kube::runtime::watcher::{self, DefaultBackoff, Event};
use kube::{Api, Resource};
use serde::de::DeserializeOwned;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::cache::{Cache, Change, IndexError, IndexFn};
use super::cluster::InCluster;
use super::handler::{EventHandler, HandlerRegistration, Listener, Notification, SyncFlag};
use super::lister::Lister;
use super::sync::{ResourceId, SyncError};

/// Runs on every object before it is stored (e.g. to drop `managedFields`).
pub type Transform<K> = Arc<dyn Fn(&mut K) + Send + Sync>;

type ErrorHook = Arc<dyn Fn(&SyncError) + Send + Sync>;

/// How an informer lists and watches.
pub struct InformerOptions<K> {
    /// Label and field selectors, page size, bookmarks, list semantics.
    pub watcher: watcher::Config,
    pub transform: Option<Transform<K>>,
    /// Replays every cached object to the handlers as an update (`old == new`) this often,
    /// without calling the server.
    pub resync: Option<Duration>,
}

impl<K> Default for InformerOptions<K> {
    fn default() -> Self {
        InformerOptions {
            watcher: watcher::Config::default(),
            transform: None,
            resync: None,
        }
    }
}

impl<K> Clone for InformerOptions<K> {
    fn clone(&self) -> Self {
        InformerOptions {
            watcher: self.watcher.clone(),
            transform: self.transform.clone(),
            resync: self.resync,
        }
    }
}

impl<K> Debug for InformerOptions<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InformerOptions")
            .field("watcher", &self.watcher)
            .field("transform", &self.transform.is_some())
            .field("resync", &self.resync)
            .finish()
    }
}

/// One kind's informer. Cloning shares it (the clones are the same informer).
///
/// A cluster-aware informer (see [`ClusterInformer`](super::cluster::ClusterInformer)) also
/// hands out views of one logical cluster: the same informer, watch and cache, whose lister
/// and handlers see only that cluster's objects.
pub struct SharedInformer<K> {
    inner: Arc<Inner<K>>,
    /// The logical cluster this view is confined to, if any.
    cluster: Option<Arc<str>>,
}

impl<K> Clone for SharedInformer<K> {
    fn clone(&self) -> Self {
        SharedInformer {
            inner: Arc::clone(&self.inner),
            cluster: self.cluster.clone(),
        }
    }
}

impl<K> Debug for SharedInformer<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedInformer")
            .field("resource", &self.inner.resource)
            .field("cluster", &self.cluster)
            .field("synced", &self.inner.synced.is_set())
            .field("cache", &self.inner.cache)
            .finish_non_exhaustive()
    }
}

struct Inner<K> {
    resource: ResourceId,
    api: Api<K>,
    options: InformerOptions<K>,
    cache: Arc<Cache<K>>,
    /// Held while the cache changes and the change is queued to every handler, so a handler
    /// added meanwhile sees the cache's content and then exactly the later changes.
    handlers: Mutex<Handlers<K>>,
    error_hooks: Mutex<Vec<ErrorHook>>,
    synced: SyncFlag,
    last_error: Mutex<Option<SyncError>>,
    failures: AtomicU32,
    /// Objects of a list in progress: stored all at once when it completes, so the cache never
    /// holds half a relist.
    listing: Mutex<Option<Vec<K>>>,
    started: AtomicBool,
    stop: watch::Sender<bool>,
    task: Mutex<Option<JoinHandle<()>>>,
}

struct Handlers<K> {
    listeners: Vec<Listener<K>>,
    next_id: u64,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Nothing panics while these locks are held except a user's key or index function, after
    // which the state is still usable.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<K> SharedInformer<K>
where
    K: Resource<DynamicType = ()> + Clone + DeserializeOwned + Debug + Send + Sync + 'static,
{
    /// An informer over `api` (namespaced or all namespaces, as `api` was built) with default
    /// options. Nothing runs until [`SharedInformer::start`].
    pub fn new(api: Api<K>) -> Self {
        SharedInformer::with_options(api, InformerOptions::default())
    }

    pub fn with_options(api: Api<K>, options: InformerOptions<K>) -> Self {
        SharedInformer::with_cache(api, options, Cache::new())
    }

    /// An informer storing into `cache` (built with its own key function, as cluster-aware
    /// informers do).
    pub fn with_cache(api: Api<K>, options: InformerOptions<K>, cache: Cache<K>) -> Self {
        SharedInformer {
            inner: Arc::new(Inner {
                resource: ResourceId::of::<K>(),
                api,
                options,
                cache: Arc::new(cache),
                handlers: Mutex::new(Handlers {
                    listeners: Vec::new(),
                    next_id: 0,
                }),
                error_hooks: Mutex::new(Vec::new()),
                synced: SyncFlag::new(),
                last_error: Mutex::new(None),
                failures: AtomicU32::new(0),
                listing: Mutex::new(None),
                started: AtomicBool::new(false),
                stop: watch::channel(false).0,
                task: Mutex::new(None),
            }),
            cluster: None,
        }
    }

    /// Starts listing and watching; later calls do nothing. Must be called inside a tokio
    /// runtime.
    pub fn start(&self) {
        if self.inner.started.swap(true, Ordering::AcqRel) {
            return;
        }
        let stop = self.inner.stop.subscribe();
        *lock(&self.inner.task) = Some(tokio::spawn(run(self.clone(), stop)));
    }

    /// Whether [`SharedInformer::start`] was called.
    pub fn is_started(&self) -> bool {
        self.inner.started.load(Ordering::Acquire)
    }
}

impl<K: Resource + Send + Sync + 'static> SharedInformer<K> {
    /// The kind this informer watches.
    pub fn resource(&self) -> &ResourceId {
        &self.inner.resource
    }

    /// The cache, for index queries (of a cluster's view too: the cache holds every cluster).
    pub fn cache(&self) -> &Arc<Cache<K>> {
        &self.inner.cache
    }

    /// Read-only queries over the cache (for a cluster's view: over that cluster's objects).
    pub fn lister(&self) -> Lister<K>
    where
        K: Resource<DynamicType = ()>,
    {
        let cache = Arc::clone(&self.inner.cache);
        match &self.cluster {
            Some(cluster) => Lister::in_cluster(cache, Arc::clone(cluster)),
            None => Lister::new(cache),
        }
    }

    /// The logical cluster this view is confined to (`None`: the whole informer).
    pub fn cluster(&self) -> Option<&str> {
        self.cluster.as_deref()
    }

    /// This informer seen from one logical cluster. Only for informers over a cache made by
    /// [`cluster_cache`](super::cluster::cluster_cache), whose keys carry the cluster.
    pub(crate) fn in_cluster(&self, cluster: Arc<str>) -> Self {
        SharedInformer {
            inner: Arc::clone(&self.inner),
            cluster: Some(cluster),
        }
    }

    /// Adds a secondary index, built at once from what is cached.
    pub fn add_index(
        &self,
        name: &str,
        function: impl Fn(&K) -> Vec<String> + Send + Sync + 'static,
    ) -> Result<(), IndexError> {
        let function: IndexFn<K> = Arc::new(function);
        self.inner.cache.add_index(name, function)
    }

    /// Adds a handler, before or after start. A handler added after objects were cached first
    /// receives each of them as an add (`initial == true`), then every later change. Must be
    /// called inside a tokio runtime (the handler gets its own task).
    pub fn add_handler(&self, handler: impl EventHandler<K>) -> HandlerRegistration {
        match &self.cluster {
            Some(cluster) => self.add_shared_handler(Arc::new(InCluster {
                cluster: Arc::clone(cluster),
                handler,
            })),
            None => self.add_shared_handler(Arc::new(handler)),
        }
    }

    fn add_shared_handler(&self, handler: Arc<dyn EventHandler<K>>) -> HandlerRegistration {
        let mut handlers = lock(&self.inner.handlers);
        let id = handlers.next_id;
        handlers.next_id += 1;
        let synced = SyncFlag::new();
        let listener = Listener::spawn(id, handler, synced.clone());
        for object in self.inner.cache.list() {
            listener.send(Notification::Add(object, true));
        }
        if self.inner.synced.is_set() {
            listener.send(Notification::Synced);
        }
        handlers.listeners.push(listener);
        HandlerRegistration { id, synced }
    }

    /// Removes a handler; it handles what was already queued to it, then stops.
    pub fn remove_handler(&self, registration: &HandlerRegistration) {
        let mut handlers = lock(&self.inner.handlers);
        if let Some(at) = handlers
            .listeners
            .iter()
            .position(|l| l.id == registration.id)
        {
            drop(handlers.listeners.remove(at).close());
        }
    }

    /// Feeds `event` to the informer as if its watch had delivered it: the cache changes and
    /// handlers are told. For informers driven by a stream of your own (and for tests and
    /// benchmarks); a started informer already feeds itself.
    pub fn handle_event(&self, event: Event<K>) {
        match event {
            Event::Init => *lock(&self.inner.listing) = Some(Vec::new()),
            Event::InitApply(object) => lock(&self.inner.listing)
                .get_or_insert_with(Vec::new)
                .push(object),
            Event::InitDone => {
                let listed = lock(&self.inner.listing).take().unwrap_or_default();
                self.inner.replace(listed);
            }
            Event::Apply(object) => self.inner.apply(object),
            Event::Delete(object) => self.inner.delete(object),
        }
    }

    /// Called with every failed list or watch, before the informer backs off and retries.
    pub fn on_watch_error(&self, hook: impl Fn(&SyncError) + Send + Sync + 'static) {
        lock(&self.inner.error_hooks).push(Arc::new(hook));
    }

    /// Whether the initial list has been stored.
    pub fn has_synced(&self) -> bool {
        self.inner.synced.is_set()
    }

    /// Waits until the initial list is stored, at most `timeout`; returns whether it was.
    pub async fn wait_for_cache_sync(&self, timeout: Duration) -> bool {
        tokio::time::timeout(timeout, self.inner.synced.wait())
            .await
            .is_ok()
    }

    /// Waits, without a limit, until the initial list is stored.
    pub async fn wait_synced(&self) {
        self.inner.synced.wait().await;
    }

    /// The most recent failure to list or watch, until a list succeeds again.
    pub fn last_sync_error(&self) -> Option<SyncError> {
        lock(&self.inner.last_error).clone()
    }

    /// Stops the watch and every handler (each handles what was queued to it first) and waits
    /// for their tasks to end. The informer cannot be started again.
    pub async fn shutdown(&self) {
        self.inner.started.store(true, Ordering::Release);
        self.inner.stop.send_replace(true);
        let task = lock(&self.inner.task).take();
        if let Some(task) = task {
            let _ = task.await;
        }
        let listeners = std::mem::take(&mut lock(&self.inner.handlers).listeners);
        for listener in listeners {
            let _ = listener.close().await;
        }
    }
}

impl<K> Inner<K> {
    fn dispatch(&self, handlers: &Handlers<K>, change: Change<K>) {
        let notification = |change: &Change<K>| match change {
            Change::Added(new) => Notification::Add(Arc::clone(new), false),
            Change::Updated { old, new } => Notification::Update(Arc::clone(old), Arc::clone(new)),
            Change::Deleted(old) => Notification::Delete(Arc::clone(old)),
        };
        let Some((last, others)) = handlers.listeners.split_last() else {
            return;
        };
        for listener in others {
            listener.send(notification(&change));
        }
        // The last handler takes the change itself: no reference counts to move back and forth
        // between this thread and the handler's.
        last.send(match change {
            Change::Added(new) => Notification::Add(new, false),
            Change::Updated { old, new } => Notification::Update(old, new),
            Change::Deleted(old) => Notification::Delete(old),
        });
    }

    fn transformed(&self, mut object: K) -> K {
        if let Some(transform) = &self.options.transform {
            transform(&mut object);
        }
        object
    }
}

impl<K: Resource> Inner<K> {
    /// Stores a relist and tells the handlers; the first one marks the informer synced.
    fn replace(&self, objects: Vec<K>) {
        let objects = objects.into_iter().map(|o| self.transformed(o)).collect();
        let handlers = lock(&self.handlers);
        let first = !self.synced.is_set();
        for change in self.cache.replace(objects) {
            let change = match change {
                Change::Added(new) if first => {
                    for listener in &handlers.listeners {
                        listener.send(Notification::Add(Arc::clone(&new), true));
                    }
                    continue;
                }
                other => other,
            };
            self.dispatch(&handlers, change);
        }
        if first {
            for listener in &handlers.listeners {
                listener.send(Notification::Synced);
            }
            self.synced.set();
        }
        *lock(&self.last_error) = None;
        self.failures.store(0, Ordering::Release);
    }

    fn apply(&self, object: K) {
        let object = self.transformed(object);
        // Holding the handler list across the cache change keeps a handler added meanwhile
        // from seeing the change twice (in its initial adds and as an event).
        let handlers = lock(&self.handlers);
        if let Some(change) = self.cache.apply(object) {
            self.dispatch(&handlers, change);
        }
    }

    fn delete(&self, object: K) {
        let object = self.transformed(object);
        let handlers = lock(&self.handlers);
        let key = self.cache.key_of(&object);
        // Deleting what the cache never held (deleted again after a relist already removed
        // it) is no change.
        if self.cache.remove(&key).is_some() {
            self.dispatch(&handlers, Change::Deleted(Arc::new(object)));
        }
    }

    fn resync(&self) {
        let handlers = lock(&self.handlers);
        for object in self.cache.list() {
            for listener in &handlers.listeners {
                listener.send(Notification::Update(
                    Arc::clone(&object),
                    Arc::clone(&object),
                ));
            }
        }
    }

    fn record_failure(&self, error: &watcher::Error, retry_in: Duration) {
        let attempts = self.failures.fetch_add(1, Ordering::AcqRel) + 1;
        let error = SyncError::from_watcher(&self.resource, error, attempts, retry_in);
        *lock(&self.last_error) = Some(error.clone());
        let hooks = lock(&self.error_hooks).clone();
        for hook in hooks {
            hook(&error);
        }
    }
}

async fn run<K>(informer: SharedInformer<K>, mut stop: watch::Receiver<bool>)
where
    K: Resource<DynamicType = ()> + Clone + DeserializeOwned + Debug + Send + Sync + 'static,
{
    let inner = Arc::clone(&informer.inner);
    let stream = watcher::watcher(inner.api.clone(), inner.options.watcher.clone());
    let mut stream = std::pin::pin!(stream);
    let mut backoff = DefaultBackoff::default();
    let mut resync = inner.options.resync.map(|period| {
        let mut interval = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        interval
    });
    // One future, polled by both waits below, so a stop is seen wherever the loop is.
    let mut stopped = std::pin::pin!(async move {
        let _ = stop.wait_for(|stopped| *stopped).await;
    });
    loop {
        let tick = async {
            match resync.as_mut() {
                Some(interval) => interval.tick().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = stopped.as_mut() => return,
            _ = tick => inner.resync(),
            event = stream.next() => match event {
                None => return,
                Some(Ok(event)) => informer.handle_event(event),
                Some(Err(error)) => {
                    // `DefaultBackoff` never runs out; the fallback is its cap.
                    let delay = backoff.next().unwrap_or(Duration::from_secs(30));
                    inner.record_failure(&error, delay);
                    tokio::select! {
                        () = stopped.as_mut() => return,
                        () = tokio::time::sleep(delay) => {}
                    }
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kube::runtime::utils::Backoff;

    #[test]
    fn the_default_backoff_is_client_gos() {
        let mut backoff = DefaultBackoff::default();
        let first = backoff.next().unwrap_or_default();
        assert!(
            first >= Duration::from_millis(800) && first <= Duration::from_millis(1600),
            "{first:?}"
        );
        let later: Vec<Duration> = (0..12).filter_map(|_| backoff.next()).collect();
        assert!(
            later.iter().all(|d| *d <= Duration::from_secs(60)),
            "{later:?}"
        );
        assert!(
            later.last().is_some_and(|d| *d >= Duration::from_secs(15)),
            "{later:?}"
        );
        backoff.reset();
    }
}
