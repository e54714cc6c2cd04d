//! Tunables of a server.

use std::time::Duration;

/// Tunables, with defaults close to kube-apiserver's.
#[derive(Clone, Debug)]
pub struct Options {
    /// How many change events are retained for watches to resume from (etcd's compaction
    /// window, counted in events). A watch from an older resourceVersion gets 410 Expired.
    pub history_window: usize,
    /// Largest accepted request body in bytes (kube-apiserver: 3 MiB).
    pub max_body_bytes: usize,
    /// How often a watch with `allowWatchBookmarks=true` gets a BOOKMARK event.
    pub bookmark_interval: Duration,
    /// Watch duration when the request gives no `timeoutSeconds`.
    pub default_watch_timeout: Duration,
    /// Capacity of the live event channel; a watcher that falls this far behind is closed
    /// with a 410, as kube-apiserver closes slow watchers.
    pub watch_buffer: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            history_window: 10_000,
            max_body_bytes: 3 * 1024 * 1024,
            bookmark_interval: Duration::from_secs(1),
            default_watch_timeout: Duration::from_secs(1800),
            watch_buffer: 16_384,
        }
    }
}
