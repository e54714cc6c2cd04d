//! What informers report about their sync: which kind, whether it synced, and why not.

use std::fmt;
use std::time::Duration;

use kube::Resource;
use kube::runtime::watcher;

/// A kind, as informers and their reports name it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResourceId {
    pub group: String,
    pub version: String,
    pub kind: String,
    /// The resource (plural) name.
    pub plural: String,
}

impl ResourceId {
    pub fn of<K: Resource<DynamicType = ()>>() -> Self {
        ResourceId {
            group: K::group(&()).into_owned(),
            version: K::version(&()).into_owned(),
            kind: K::kind(&()).into_owned(),
            plural: K::plural(&()).into_owned(),
        }
    }

    /// `widgets.example.io/v1`, or `v1` in the core group.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }
}

impl fmt::Display for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.api_version(), self.kind)
    }
}

/// A failed list or watch, as the informer saw it before retrying.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncError {
    pub resource: ResourceId,
    /// What failed, in the watcher's words (`failed to perform initial object list: …`).
    pub message: String,
    /// The HTTP status of the server's answer, when the server answered.
    pub code: Option<u16>,
    /// Consecutive failures so far, this one included.
    pub attempts: u32,
    /// How long the informer waits before it tries again.
    pub retry_in: Duration,
}

impl SyncError {
    pub(crate) fn from_watcher(
        resource: &ResourceId,
        error: &watcher::Error,
        attempts: u32,
        retry_in: Duration,
    ) -> Self {
        // The watcher's own words for what failed, with a server's answer shown compactly
        // (`500 InternalError: etcd is down`) rather than as its debug dump.
        let (what, cause) = match error {
            watcher::Error::InitialListFailed(e) => ("failed to perform initial object list", e),
            watcher::Error::WatchStartFailed(e) => ("failed to start watching object", e),
            watcher::Error::WatchFailed(e) => ("watch stream failed", e),
            watcher::Error::WatchError(status) => {
                return SyncError {
                    resource: resource.clone(),
                    message: format!(
                        "error returned by apiserver during watch: {} {}: {}",
                        status.code, status.reason, status.message
                    ),
                    code: Some(status.code),
                    attempts,
                    retry_in,
                };
            }
            watcher::Error::NoResourceVersion => {
                return SyncError {
                    resource: resource.clone(),
                    message: error.to_string(),
                    code: None,
                    attempts,
                    retry_in,
                };
            }
        };
        let (message, code) = match cause {
            kube::Error::Api(status) => (
                format!(
                    "{what}: {} {}: {}",
                    status.code, status.reason, status.message
                ),
                Some(status.code),
            ),
            other => (format!("{what}: {other}"), None),
        };
        SyncError {
            resource: resource.clone(),
            message,
            code,
            attempts,
            retry_in,
        }
    }
}

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} (attempt {}, retrying in {} ms)",
            self.resource,
            self.message,
            self.attempts,
            self.retry_in.as_millis()
        )
    }
}

impl std::error::Error for SyncError {}

/// What `wait_for_cache_sync` found: the kinds that synced, and those that did not in time,
/// each with its last error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub synced: Vec<ResourceId>,
    pub not_synced: Vec<(ResourceId, Option<SyncError>)>,
}

impl SyncReport {
    pub fn all_synced(&self) -> bool {
        self.not_synced.is_empty()
    }

    /// Whether `kind` (for example `"Widget"`) synced.
    pub fn is_synced(&self, kind: &str) -> bool {
        self.synced.iter().any(|r| r.kind == kind)
    }
}

impl fmt::Display for SyncReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let synced: Vec<String> = self.synced.iter().map(ToString::to_string).collect();
        write!(f, "synced: [{}]", synced.join(", "))?;
        for (resource, error) in &self.not_synced {
            match error {
                Some(error) => write!(f, "; not synced: {resource}: {}", error.message)?,
                None => write!(f, "; not synced: {resource}")?,
            }
        }
        Ok(())
    }
}
