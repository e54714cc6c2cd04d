//! Tunables of a server.

use std::time::Duration;

use kube_codegen_runtime::lifecycle::KubeRelease;

use crate::definition::ResourceDefinition;

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
    /// How long a watch from a resourceVersion the server has not reached waits for it
    /// before its ERROR event (504 `Too large resource version`); kube-apiserver's watch
    /// cache waits 3 s.
    pub future_watch_wait: Duration,
    /// How long after a namespace turns Terminating the server's namespace controller
    /// deletes its content (and then the namespace). Upstream's controller takes a moment
    /// too, which is why `kubectl delete -f` of a namespace and its objects finds them all.
    pub namespace_cleanup_delay: Duration,
    /// The HTTP listener closes a connection whose request headers take longer (Go's
    /// `ReadHeaderTimeout`; kube-apiserver uses 32 s).
    pub header_read_timeout: Duration,
    /// A request body that takes longer to arrive is answered 504 Timeout, as
    /// kube-apiserver's request timeout (60 s) does.
    pub body_read_timeout: Duration,
    /// The Kubernetes release whose API lifecycle the server applies to kinds that carry one
    /// (`+k8s:prerelease-lifecycle-gen`): a version deprecated at or before it is answered
    /// with kube-apiserver's `Warning: 299` header, a version removed at or before it is not
    /// served (404, absent from discovery). `None` (the default): every version is served
    /// without warnings, whatever its lifecycle.
    pub emulated_release: Option<KubeRelease>,
}

impl Options {
    /// Whether `def` is served at the emulated release.
    pub(crate) fn serves(&self, def: &ResourceDefinition) -> bool {
        match (self.emulated_release, &def.lifecycle) {
            (Some(release), Some(lifecycle)) => !lifecycle.is_removed_in(release),
            _ => true,
        }
    }

    /// kube-apiserver's warning for requests to `def`: a deprecated CRD version's, or the
    /// lifecycle's when deprecated at the emulated release.
    pub(crate) fn deprecation_warning(&self, def: &ResourceDefinition) -> Option<String> {
        if let Some(text) = &def.deprecation_warning {
            return Some(text.clone());
        }
        let release = self.emulated_release?;
        let lifecycle = def.lifecycle.as_ref()?;
        lifecycle
            .is_deprecated_in(release)
            .then(|| lifecycle.warning(&def.api_version(), &def.kind))
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            history_window: 10_000,
            max_body_bytes: 3 * 1024 * 1024,
            bookmark_interval: Duration::from_secs(1),
            default_watch_timeout: Duration::from_secs(1800),
            watch_buffer: 16_384,
            future_watch_wait: Duration::from_secs(3),
            namespace_cleanup_delay: Duration::from_millis(500),
            header_read_timeout: Duration::from_secs(32),
            body_read_timeout: Duration::from_secs(60),
            emulated_release: None,
        }
    }
}
