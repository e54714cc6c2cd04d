//! [`WorkQueue`]: client-go's rate-limited work queue, for controllers that pair informer
//! handlers with workers.
//!
//! - A key added while it waits is queued once (de-duplication).
//! - A key added while a worker processes it is queued again after [`WorkQueue::done`], so no
//!   change is lost and no key is processed by two workers at once.
//! - [`WorkQueue::add_rate_limited`] delays by the larger of a per-key exponential backoff
//!   (5 ms doubling to 1000 s) and an overall token bucket (10 per second, burst 100), as
//!   client-go's default controller rate limiter does; [`WorkQueue::forget`] resets a key's
//!   backoff once it succeeded.
//! - [`WorkQueue::shutdown`] wakes every waiting worker with `None`;
//!   [`WorkQueue::shutdown_with_drain`] also waits for keys in flight to be `done`.
//!
//! Delays use tokio's clock, so tests can pause it.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt::{self, Debug};
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

/// The per-key and overall limits of [`WorkQueue::add_rate_limited`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateLimits {
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// Tokens added per second to the overall bucket.
    pub qps: f64,
    pub burst: u32,
}

impl Default for RateLimits {
    /// client-go's `DefaultControllerRateLimiter`.
    fn default() -> Self {
        RateLimits {
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_secs(1000),
            qps: 10.0,
            burst: 100,
        }
    }
}

/// A de-duplicating, rate-limited queue of keys. Cloning shares the queue.
pub struct WorkQueue<T> {
    inner: Arc<Inner<T>>,
}

impl<T> Clone for WorkQueue<T> {
    fn clone(&self) -> Self {
        WorkQueue {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<T: Debug> Debug for WorkQueue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.inner.state();
        f.debug_struct("WorkQueue")
            .field("queued", &state.queue)
            .field("processing", &state.processing)
            .field("shutting_down", &state.shutting_down)
            .finish_non_exhaustive()
    }
}

struct Inner<T> {
    state: Mutex<State<T>>,
    /// Wakes workers waiting in `get`.
    ready: Notify,
    /// Wakes `shutdown_with_drain` when a key is done.
    finished: Notify,
    limits: RateLimits,
}

struct State<T> {
    queue: VecDeque<T>,
    /// Keys queued or to be queued again once done: the de-duplication set.
    dirty: HashSet<T>,
    processing: HashSet<T>,
    failures: HashMap<T, u32>,
    bucket: TokenBucket,
    shutting_down: bool,
}

struct TokenBucket {
    tokens: f64,
    updated: Instant,
}

impl<T> Inner<T> {
    fn state(&self) -> MutexGuard<'_, State<T>> {
        // Nothing panics while the lock is held (no user code runs under it).
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<T> Default for WorkQueue<T>
where
    T: Clone + Eq + Hash + Send + 'static,
{
    fn default() -> Self {
        WorkQueue::new()
    }
}

impl<T> WorkQueue<T>
where
    T: Clone + Eq + Hash + Send + 'static,
{
    pub fn new() -> Self {
        WorkQueue::with_limits(RateLimits::default())
    }

    pub fn with_limits(limits: RateLimits) -> Self {
        WorkQueue {
            inner: Arc::new(Inner {
                state: Mutex::new(State {
                    queue: VecDeque::new(),
                    dirty: HashSet::new(),
                    processing: HashSet::new(),
                    failures: HashMap::new(),
                    bucket: TokenBucket {
                        tokens: f64::from(limits.burst),
                        updated: Instant::now(),
                    },
                    shutting_down: false,
                }),
                ready: Notify::new(),
                finished: Notify::new(),
                limits,
            }),
        }
    }

    /// Queues `item` unless it is already waiting; an item being processed is queued again
    /// after it is done. Ignored after shutdown.
    pub fn add(&self, item: T) {
        let mut state = self.inner.state();
        if state.shutting_down || state.dirty.contains(&item) {
            return;
        }
        state.dirty.insert(item.clone());
        if state.processing.contains(&item) {
            return;
        }
        state.queue.push_back(item);
        drop(state);
        self.inner.ready.notify_one();
    }

    /// Queues `item` after `delay`. Must be called inside a tokio runtime when `delay` is not
    /// zero.
    pub fn add_after(&self, item: T, delay: Duration) {
        if delay.is_zero() {
            self.add(item);
            return;
        }
        let queue = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            queue.add(item);
        });
    }

    /// Queues `item` after its rate-limited delay, and counts a failure against it.
    pub fn add_rate_limited(&self, item: T) {
        let delay = self.when(&item);
        self.add_after(item, delay);
    }

    /// The delay `add_rate_limited` would use now, counting a failure for `item`.
    pub fn when(&self, item: &T) -> Duration {
        let limits = self.inner.limits;
        let mut state = self.inner.state();
        let failures = state.failures.entry(item.clone()).or_insert(0);
        let exponent = (*failures).min(63);
        *failures = failures.saturating_add(1);
        let backoff = limits
            .base_delay
            .checked_mul(2u32.saturating_pow(exponent))
            .unwrap_or(limits.max_delay)
            .min(limits.max_delay);
        let overall = state.bucket.reserve(limits);
        backoff.max(overall)
    }

    /// How often `item` was rate-limited since it was last forgotten.
    pub fn num_requeues(&self, item: &T) -> u32 {
        self.inner.state().failures.get(item).copied().unwrap_or(0)
    }

    /// Resets `item`'s backoff (call once it was processed successfully).
    pub fn forget(&self, item: &T) {
        self.inner.state().failures.remove(item);
    }

    /// Waits for the next item and marks it being processed; `None` once the queue is shut
    /// down and (for `shutdown_with_drain`) empty. Call [`WorkQueue::done`] when finished.
    pub async fn get(&self) -> Option<T> {
        loop {
            let ready = self.inner.ready.notified();
            let mut ready = std::pin::pin!(ready);
            // Registered before the state is read, so neither an add nor a shutdown between
            // the check and the wait is missed.
            ready.as_mut().enable();
            {
                let mut state = self.inner.state();
                if let Some(item) = state.queue.pop_front() {
                    state.dirty.remove(&item);
                    state.processing.insert(item.clone());
                    return Some(item);
                }
                if state.shutting_down {
                    return None;
                }
            }
            ready.await;
        }
    }

    /// Marks `item` processed; if it was added meanwhile, it is queued again.
    pub fn done(&self, item: &T) {
        let mut state = self.inner.state();
        state.processing.remove(item);
        let requeue = state.dirty.contains(item);
        if requeue {
            state.queue.push_back(item.clone());
        }
        drop(state);
        if requeue {
            self.inner.ready.notify_one();
        }
        self.inner.finished.notify_waiters();
    }

    /// Items waiting (not those being processed).
    pub fn len(&self) -> usize {
        self.inner.state().queue.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn is_shutting_down(&self) -> bool {
        self.inner.state().shutting_down
    }

    /// Stops taking items; every waiting `get` returns `None` once the queue is empty.
    pub fn shutdown(&self) {
        self.inner.state().shutting_down = true;
        self.inner.ready.notify_waiters();
    }

    /// Shuts down, then waits until every item being processed is done.
    pub async fn shutdown_with_drain(&self) {
        self.shutdown();
        loop {
            let finished = self.inner.finished.notified();
            let mut finished = std::pin::pin!(finished);
            finished.as_mut().enable();
            if self.inner.state().processing.is_empty() {
                return;
            }
            finished.await;
        }
    }
}

impl TokenBucket {
    /// Takes one token and returns how long until it is available.
    fn reserve(&mut self, limits: RateLimits) -> Duration {
        let now = Instant::now();
        let elapsed = now.saturating_duration_since(self.updated).as_secs_f64();
        self.updated = now;
        self.tokens = (self.tokens + elapsed * limits.qps).min(f64::from(limits.burst));
        self.tokens -= 1.0;
        if self.tokens >= 0.0 || limits.qps <= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-self.tokens / limits.qps)
        }
    }
}
