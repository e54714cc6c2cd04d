//! Shared informers, indexed caches, listers and a work queue (feature `informer`).
//!
//! What controllers are built on, as client-go's `tools/cache` and `util/workqueue` provide
//! them, on kube's `kube::runtime::watcher`:
//!
//! - [`Cache`]: objects held once as `Arc<K>`, keyed `namespace/name`, with named secondary
//!   indexes (always a namespace index) queried in O(result).
//! - [`SharedInformer`]: list then watch (bookmarks, resume, relist on 410), any number of
//!   [`EventHandler`]s added before or after start, resync, a transform hook, and a sync that
//!   retries on its own with capped exponential backoff and reports its last error.
//! - [`SharedInformerFactory`]: one informer per kind however many consumers ask;
//!   `wait_for_cache_sync` returns a [`SyncReport`] and never waits past its timeout.
//! - [`Lister`] / [`NamespaceLister`]: read-only queries returning `Arc<K>`, label selectors
//!   matched locally with the server's semantics, a [`NotFound`] shaped like the server's.
//! - [`WorkQueue`]: keyed, de-duplicating, rate-limited.
//! - [`cluster`]: the same across every kcp logical cluster: one watch per kind, keys
//!   `<cluster>|<namespace>/<name>`, cluster indexes, and views of one cluster.
//!
//! Generated informer files (`informers = "…"` in an API crate's `kube-codegen` metadata) wrap
//! these per kind: `factory.widgets_v1().widgets().lister().namespace("default").get("w1")`.

mod cache;
pub mod cluster;
mod factory;
mod handler;
mod lister;
mod shared;
mod sync;
mod work_queue;

pub use cache::{
    Cache, Change, IndexError, IndexFn, KeyFn, NAMESPACE_INDEX, key_of, namespace_key,
};
pub use factory::{
    FactoryBuilder, FactoryKind, GenericInformer, InformerScope, SharedInformerFactory,
};
pub use handler::{EventHandler, Handler, HandlerRegistration};
pub use lister::{Lister, NamespaceLister, NotFound, selector_matches};
pub use shared::{InformerOptions, SharedInformer, Transform};
pub use sync::{ResourceId, SyncError, SyncReport};
pub use work_queue::{RateLimits, WorkQueue};
// What informer options and listers are written in, so a generated informer crate needs no
// direct dependency on kube's runtime.
pub use kube::core::{Expression, Selector};
pub use kube::runtime::watcher::Config as WatcherConfig;
