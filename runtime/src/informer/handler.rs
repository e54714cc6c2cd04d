//! Event handlers and their delivery.
//!
//! Every handler has its own queue and its own task, as client-go's `processorListener` does: a
//! slow handler delays only itself, events reach each handler in the order the cache saw them,
//! and no cache lock is held while a handler runs.

use std::fmt;
use std::sync::Arc;

use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

/// Reacts to changes of an informer's cache. Every method has an empty default, so implement
/// only what you need, or build one from closures with [`Handler`].
///
/// Methods run on the handler's own task: keep them short (put keys on a
/// [`WorkQueue`](crate::informer::WorkQueue) and do the work elsewhere) and never block.
pub trait EventHandler<K>: Send + Sync + 'static {
    /// An object appeared: listed at (re)start, watched, or (for a handler added after the
    /// informer started) already cached. `initial` is true for objects of the initial list or
    /// the cache's content when the handler was added.
    fn on_add(&self, object: &Arc<K>, initial: bool) {
        let _ = (object, initial);
    }

    /// An object changed; also called with `old == new` on every resync, if one is set.
    fn on_update(&self, old: &Arc<K>, new: &Arc<K>) {
        let _ = (old, new);
    }

    /// An object is gone, with its last known state: the final state the server sent, or,
    /// for an object deleted while the watch was down, the state cached before the outage.
    fn on_delete(&self, object: &Arc<K>) {
        let _ = object;
    }
}

type AddFn<K> = Box<dyn Fn(&Arc<K>, bool) + Send + Sync>;
type UpdateFn<K> = Box<dyn Fn(&Arc<K>, &Arc<K>) + Send + Sync>;
type DeleteFn<K> = Box<dyn Fn(&Arc<K>) + Send + Sync>;

/// An [`EventHandler`] made of closures:
/// `Handler::new().on_add(|w, _| …).on_delete(|w| …)`.
pub struct Handler<K> {
    add: Option<AddFn<K>>,
    update: Option<UpdateFn<K>>,
    delete: Option<DeleteFn<K>>,
}

impl<K> Default for Handler<K> {
    fn default() -> Self {
        Handler {
            add: None,
            update: None,
            delete: None,
        }
    }
}

impl<K> fmt::Debug for Handler<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handler")
            .field("on_add", &self.add.is_some())
            .field("on_update", &self.update.is_some())
            .field("on_delete", &self.delete.is_some())
            .finish()
    }
}

impl<K> Handler<K> {
    pub fn new() -> Self {
        Handler::default()
    }

    pub fn on_add(mut self, f: impl Fn(&Arc<K>, bool) + Send + Sync + 'static) -> Self {
        self.add = Some(Box::new(f));
        self
    }

    pub fn on_update(mut self, f: impl Fn(&Arc<K>, &Arc<K>) + Send + Sync + 'static) -> Self {
        self.update = Some(Box::new(f));
        self
    }

    pub fn on_delete(mut self, f: impl Fn(&Arc<K>) + Send + Sync + 'static) -> Self {
        self.delete = Some(Box::new(f));
        self
    }
}

impl<K: Send + Sync + 'static> EventHandler<K> for Handler<K> {
    fn on_add(&self, object: &Arc<K>, initial: bool) {
        if let Some(f) = &self.add {
            f(object, initial);
        }
    }

    fn on_update(&self, old: &Arc<K>, new: &Arc<K>) {
        if let Some(f) = &self.update {
            f(old, new);
        }
    }

    fn on_delete(&self, object: &Arc<K>) {
        if let Some(f) = &self.delete {
            f(object);
        }
    }
}

/// What the informer queues for a handler.
pub(crate) enum Notification<K> {
    Add(Arc<K>, bool),
    Update(Arc<K>, Arc<K>),
    Delete(Arc<K>),
    /// Everything queued before this belongs to the initial list: the handler has synced once
    /// it has handled it.
    Synced,
}

/// The informer's side of one handler: its queue and task.
pub(crate) struct Listener<K> {
    pub(crate) id: u64,
    queue: mpsc::UnboundedSender<Notification<K>>,
    task: JoinHandle<()>,
}

impl<K: Send + Sync + 'static> Listener<K> {
    /// Starts the handler's task. Must be called inside a tokio runtime.
    pub(crate) fn spawn(id: u64, handler: Arc<dyn EventHandler<K>>, synced: SyncFlag) -> Self {
        let (queue, mut events) = mpsc::unbounded_channel();
        let task = tokio::spawn(async move {
            while let Some(event) = events.recv().await {
                match event {
                    Notification::Add(object, initial) => handler.on_add(&object, initial),
                    Notification::Update(old, new) => handler.on_update(&old, &new),
                    Notification::Delete(object) => handler.on_delete(&object),
                    Notification::Synced => synced.set(),
                }
            }
        });
        Listener { id, queue, task }
    }
}

impl<K> Listener<K> {
    pub(crate) fn send(&self, notification: Notification<K>) {
        // The task ends only when this sender is dropped or the runtime shuts down; in the
        // latter case there is no one left to deliver to.
        let _ = self.queue.send(notification);
    }

    /// Stops taking events; the task delivers what is queued, then ends.
    pub(crate) fn close(self) -> JoinHandle<()> {
        drop(self.queue);
        self.task
    }
}

/// A flag that is set once and can be awaited. Clones share it.
#[derive(Clone, Debug)]
pub(crate) struct SyncFlag {
    changes: Arc<watch::Sender<bool>>,
}

impl SyncFlag {
    pub(crate) fn new() -> Self {
        SyncFlag {
            changes: Arc::new(watch::channel(false).0),
        }
    }

    pub(crate) fn set(&self) {
        self.changes.send_replace(true);
    }

    pub(crate) fn is_set(&self) -> bool {
        *self.changes.borrow()
    }

    /// Waits until the flag is set (returns at once if it is).
    pub(crate) async fn wait(&self) {
        let mut changes = self.changes.subscribe();
        // `wait_for` checks the current value first; it errs only if the sender is dropped,
        // which cannot happen while `self` holds it.
        let _ = changes.wait_for(|set| *set).await;
    }
}

/// A handler added to an informer.
#[derive(Clone, Debug)]
pub struct HandlerRegistration {
    pub(crate) id: u64,
    pub(crate) synced: SyncFlag,
}

impl HandlerRegistration {
    /// Whether this handler has handled every object of the informer's initial list (for a
    /// handler added later: every object cached when it was added).
    pub fn has_synced(&self) -> bool {
        self.synced.is_set()
    }

    /// Waits until [`HandlerRegistration::has_synced`].
    pub async fn wait_synced(&self) {
        self.synced.wait().await;
    }
}
