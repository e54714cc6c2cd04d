//! `?watch=true`: newline-delimited JSON events (ADDED, MODIFIED, DELETED, BOOKMARK, ERROR).
//!
//! Where a watch starts:
//! - no `resourceVersion` or `"0"`: the current state as ADDED events, then changes;
//! - `sendInitialEvents=true` (with `resourceVersionMatch=NotOlderThan`): the same, followed by
//!   a BOOKMARK annotated `k8s.io/initial-events-end: "true"`;
//! - `resourceVersion=N`: changes after N from the retained history, or one ERROR event with
//!   410 Expired when N is older than the history window.
//!
//! The snapshot or backlog and the live subscription are taken under one store lock, so no
//! change falls between them.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde_json::{Value, json};
use tokio::sync::{broadcast, mpsc};

use super::transform;
use crate::options::Options;
use crate::registry::{self, Registry};
use crate::request::{Call, ClusterScope, Filter, parse_resource_version};
use crate::status::{ApiError, FieldError};
use crate::storage::{Change, ChangeType, ResourceKey};

/// Annotation on the bookmark that ends the initial events of a streaming list.
pub const INITIAL_EVENTS_END: &str = "k8s.io/initial-events-end";

/// Which changes a watch sees and how it renders them.
struct Watcher {
    call: Call,
    resource: ResourceKey,
    filter: Filter,
    bookmarks: bool,
    /// Close the stream after this many non-bookmark events (fault injection).
    close_after: Option<usize>,
    sent: usize,
    /// Every change up to here has been looked at (bookmarks report it).
    progress: u64,
}

enum Next {
    Continue,
    Stop,
}

impl Watcher {
    fn in_scope(&self, change: &Change) -> bool {
        if change.resource != self.resource {
            return false;
        }
        if let ClusterScope::One(c) = &self.call.cluster
            && change.name.cluster != *c
        {
            return false;
        }
        match (&self.call.namespace, self.call.def.namespaced) {
            (Some(ns), true) => change.name.namespace == *ns,
            _ => true,
        }
    }

    /// The event type this watcher sees for a change, taking selector transitions into
    /// account (an object leaving the selection is DELETED for this watcher).
    fn classify(&self, change: &Change) -> Option<&'static str> {
        if !self.in_scope(change) {
            return None;
        }
        let now = self.filter.matches(&change.object);
        let before = change
            .previous
            .as_deref()
            .is_some_and(|p| self.filter.matches(p));
        match change.change {
            ChangeType::Added => now.then_some("ADDED"),
            ChangeType::Modified => match (before, now) {
                (true, true) => Some("MODIFIED"),
                (false, true) => Some("ADDED"),
                (true, false) => Some("DELETED"),
                (false, false) => None,
            },
            ChangeType::Deleted => before.then_some("DELETED"),
        }
    }

    fn event_line(&self, kind: &str, object: Value) -> Bytes {
        let mut line = json!({"type": kind, "object": object}).to_string();
        line.push('\n');
        Bytes::from(line)
    }

    fn bookmark(&self, annotations: Option<Value>) -> Bytes {
        let mut metadata = json!({"resourceVersion": self.progress.to_string()});
        if let Some(a) = annotations {
            metadata["annotations"] = a;
        }
        let object = json!({
            "apiVersion": self.call.def.api_version(),
            "kind": self.call.def.kind,
            "metadata": metadata,
        });
        self.event_line("BOOKMARK", transform::bookmark(&self.call, object))
    }

    async fn send(&mut self, tx: &mpsc::Sender<Bytes>, line: Bytes, counts: bool) -> Next {
        if tx.send(line).await.is_err() {
            return Next::Stop;
        }
        if counts {
            self.sent += 1;
            if self.close_after.is_some_and(|n| self.sent >= n) {
                return Next::Stop;
            }
        }
        Next::Continue
    }

    async fn deliver(&mut self, tx: &mpsc::Sender<Bytes>, change: &Change) -> Next {
        if change.resource_version <= self.progress {
            return Next::Continue;
        }
        self.progress = change.resource_version;
        match self.classify(change) {
            Some(kind) => {
                let object = transform::object(
                    &self.call,
                    self.call.present(&change.name.cluster, &change.object),
                );
                let line = self.event_line(kind, object);
                self.send(tx, line, true).await
            }
            None => Next::Continue,
        }
    }
}

fn error_line(err: &ApiError) -> Bytes {
    let mut line = json!({"type": "ERROR", "object": err.to_json()}).to_string();
    line.push('\n');
    Bytes::from(line)
}

/// How the watch begins, decided under the store lock.
enum Start {
    Snapshot {
        objects: Vec<(String, Arc<Value>)>,
        at: u64,
        end_bookmark: bool,
        receiver: broadcast::Receiver<Arc<Change>>,
    },
    Resume {
        backlog: Vec<Arc<Change>>,
        from: u64,
        receiver: broadcast::Receiver<Arc<Change>>,
        /// `from` is ahead of the store, which was at `at`: wait for it (bounded).
        ahead: Option<u64>,
    },
    Expired(ApiError),
}

fn validate(call: &Call) -> Result<bool, ApiError> {
    let send_initial = call.flag("sendInitialEvents");
    let rv_match = call.param("resourceVersionMatch").unwrap_or("");
    let invalid = |field: &str, why: &str| {
        ApiError::invalid(
            "meta.k8s.io",
            "ListOptions",
            "",
            vec![FieldError::forbidden(field, why)],
        )
    };
    if send_initial && rv_match != "NotOlderThan" {
        return Err(invalid(
            "sendInitialEvents",
            "sendInitialEvents is forbidden for watch unless resourceVersionMatch is set to NotOlderThan",
        ));
    }
    if !rv_match.is_empty() && !call.query.contains_key("sendInitialEvents") {
        return Err(invalid(
            "resourceVersionMatch",
            "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
        ));
    }
    Ok(send_initial)
}

/// Starts a watch; the returned receiver is the response body's source.
pub(crate) fn watch(
    registry: &Registry,
    options: &Options,
    call: Call,
    close_after: Option<usize>,
) -> Result<mpsc::Receiver<Bytes>, ApiError> {
    let filter = call.filter()?;
    let send_initial = validate(&call)?;
    let requested = match call
        .param("resourceVersion")
        .filter(|v| !v.is_empty() && *v != "0")
    {
        Some(raw) => Some(parse_resource_version(raw)?),
        None => None,
    };
    let timeout = match call.param("timeoutSeconds") {
        Some(raw) => Duration::from_secs(
            raw.parse::<u64>()
                .map_err(|_| ApiError::bad_request(format!("invalid timeoutSeconds: {raw}")))?,
        ),
        None => options.default_watch_timeout,
    };
    let bookmarks = call.flag("allowWatchBookmarks");

    let start = {
        let mut state = registry.store.lock();
        if let ClusterScope::One(c) = &call.cluster {
            registry::ensure_cluster(&mut state, c);
        }
        let cluster = match &call.cluster {
            ClusterScope::One(c) => Some(c.as_str()),
            ClusterScope::All => None,
        };
        let namespace = if call.def.namespaced {
            call.namespace.as_deref()
        } else {
            None
        };
        match requested {
            Some(rv) if !send_initial => match state.watch_from(rv) {
                Some(w) => Start::Resume {
                    backlog: w.backlog,
                    from: rv,
                    receiver: w.receiver,
                    ahead: (rv > state.resource_version()).then(|| state.resource_version()),
                },
                None => Start::Expired(ApiError::expired(format!(
                    "too old resource version: {rv} ({})",
                    state.oldest_resumable()
                ))),
            },
            _ => Start::Snapshot {
                objects: state
                    .list(&ResourceKey::of(&call.def), cluster, namespace, None)
                    .filter(|(_, obj)| filter.matches(obj))
                    .map(|(k, obj)| (k.cluster.clone(), Arc::clone(obj)))
                    .collect(),
                at: state.resource_version(),
                end_bookmark: send_initial,
                receiver: state.subscribe(),
            },
        }
    };

    let (tx, rx) = mpsc::channel::<Bytes>(64);
    let bookmark_interval = options.bookmark_interval;
    let future_wait = options.future_watch_wait;
    let mut watcher = Watcher {
        resource: ResourceKey::of(&call.def),
        call,
        filter,
        bookmarks,
        close_after,
        sent: 0,
        progress: 0,
    };
    tokio::spawn(async move {
        let deadline = tokio::time::sleep(timeout);
        tokio::pin!(deadline);
        // A watch from a version the store has not reached: (wanted, latest seen).
        let mut waiting: Option<(u64, u64)> = None;
        let future_deadline = tokio::time::sleep(future_wait);
        tokio::pin!(future_deadline);
        let mut receiver = match start {
            Start::Expired(err) => {
                let _ = tx.send(error_line(&err)).await;
                return;
            }
            Start::Snapshot {
                objects,
                at,
                end_bookmark,
                receiver,
            } => {
                watcher.progress = at;
                for (cluster, obj) in objects {
                    let object =
                        transform::object(&watcher.call, watcher.call.present(&cluster, &obj));
                    let line = watcher.event_line("ADDED", object);
                    if let Next::Stop = watcher.send(&tx, line, true).await {
                        return;
                    }
                }
                if end_bookmark {
                    let line = watcher.bookmark(Some(json!({INITIAL_EVENTS_END: "true"})));
                    if let Next::Stop = watcher.send(&tx, line, false).await {
                        return;
                    }
                }
                receiver
            }
            Start::Resume {
                backlog,
                from,
                receiver,
                ahead,
            } => {
                watcher.progress = from;
                waiting = ahead.map(|at| (from, at));
                for change in backlog {
                    if let Next::Stop = watcher.deliver(&tx, &change).await {
                        return;
                    }
                }
                receiver
            }
        };
        let mut ticker = tokio::time::interval(bookmark_interval.max(Duration::from_millis(10)));
        ticker.tick().await;
        loop {
            tokio::select! {
                _ = &mut deadline => return,
                // The client went away (an informer shut down): end now rather than at the
                // next event or bookmark.
                () = tx.closed() => return,
                // As kube-apiserver's watch cache: after its wait, one ERROR event.
                _ = &mut future_deadline, if waiting.is_some() => {
                    if let Some((wanted, seen)) = waiting {
                        let err = ApiError::too_large_resource_version(wanted, seen);
                        let _ = tx.send(error_line(&err)).await;
                    }
                    return;
                }
                _ = ticker.tick(), if watcher.bookmarks && waiting.is_none() => {
                    let line = watcher.bookmark(None);
                    if let Next::Stop = watcher.send(&tx, line, false).await {
                        return;
                    }
                }
                received = receiver.recv() => match received {
                    Ok(change) => {
                        if let Some((wanted, seen)) = waiting {
                            waiting = (change.resource_version < wanted)
                                .then_some((wanted, seen.max(change.resource_version)));
                        }
                        if let Next::Stop = watcher.deliver(&tx, &change).await {
                            return;
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        // Too slow to keep up: end with 410 so the client relists.
                        let err = ApiError::expired(format!(
                            "too old resource version: {} (watcher fell behind)",
                            watcher.progress
                        ));
                        let _ = tx.send(error_line(&err)).await;
                        return;
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                },
            }
        }
    });
    Ok(rx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_lines_are_status_events() {
        let line = error_line(&ApiError::expired("too old resource version: 1 (5)"));
        let v: Value = serde_json::from_slice(&line).unwrap_or_default();
        assert_eq!(v["type"], "ERROR");
        assert_eq!(v["object"]["code"], 410);
        assert_eq!(v["object"]["reason"], "Expired");
        assert_eq!(v["object"]["kind"], "Status");
    }
}
