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
        let code = match error {
            watcher::Error::InitialListFailed(e)
            | watcher::Error::WatchStartFailed(e)
            | watcher::Error::WatchFailed(e) => match e {
                kube::Error::Api(status) => Some(status.code),
                _ => None,
            },
            watcher::Error::WatchError(status) => Some(status.code),
            watcher::Error::NoResourceVersion => None,
        };
        SyncError {
            resource: resource.clone(),
            message: error.to_string(),
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
            "{}: {} (attempt {}, retrying in {:?})",
            self.resource, self.message, self.attempts, self.retry_in
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
