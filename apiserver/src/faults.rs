//! Scripted fault injection: per verb and resource, answer with an error, add latency, or cut a
//! watch short. Compacting history (for 410s) is [`crate::ApiServer::compact`].

use std::sync::Mutex;
use std::time::Duration;

use crate::status::ApiError;

/// The API verb of a request, as RBAC names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verb {
    Get,
    List,
    Watch,
    Create,
    Update,
    Patch,
    Delete,
    DeleteCollection,
}

impl Verb {
    /// The lower-case name discovery reports (`deletecollection`).
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "get",
            Verb::List => "list",
            Verb::Watch => "watch",
            Verb::Create => "create",
            Verb::Update => "update",
            Verb::Patch => "patch",
            Verb::Delete => "delete",
            Verb::DeleteCollection => "deletecollection",
        }
    }
}

/// What a matching fault does to the request.
#[derive(Clone, Debug, PartialEq)]
pub enum FaultAction {
    /// Answer with this error instead of serving the request.
    Respond(ApiError),
    /// Wait this long, then serve the request.
    Delay(Duration),
    /// Serve a watch but close the stream after this many events (bookmarks included).
    CloseWatchAfter(usize),
}

/// One scripted fault: which requests it hits, what it does, and how many times.
#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    verb: Option<Verb>,
    resource: Option<String>,
    action: FaultAction,
    remaining: Option<usize>,
}

impl Fault {
    /// Answers with a `Status` of this code (429 carries `Retry-After: 1`).
    pub fn error(code: u16) -> Self {
        let error = match code {
            429 => ApiError::too_many_requests(1),
            _ => ApiError::with_code(code, format!("injected fault: {code}")),
        };
        Fault::respond(error)
    }

    /// Answers 429 TooManyRequests with this `Retry-After`.
    pub fn too_many_requests(retry_after_seconds: u32) -> Self {
        Fault::respond(ApiError::too_many_requests(retry_after_seconds))
    }

    /// Answers with exactly this error.
    pub fn respond(error: ApiError) -> Self {
        Fault::with_action(FaultAction::Respond(error))
    }

    /// Delays matching requests.
    pub fn latency(delay: Duration) -> Self {
        Fault::with_action(FaultAction::Delay(delay))
    }

    /// Closes matching watches after `events` events.
    pub fn close_watch_after(events: usize) -> Self {
        Fault::with_action(FaultAction::CloseWatchAfter(events)).on(Verb::Watch)
    }

    fn with_action(action: FaultAction) -> Self {
        Fault {
            verb: None,
            resource: None,
            action,
            remaining: None,
        }
    }

    /// Only requests of this verb (default: every verb).
    pub fn on(mut self, verb: Verb) -> Self {
        self.verb = Some(verb);
        self
    }

    /// Only requests for this plural resource, e.g. `widgets` (default: every resource).
    pub fn for_resource(mut self, plural: &str) -> Self {
        self.resource = Some(plural.to_owned());
        self
    }

    /// Fire this many times, then disappear (default: until cleared).
    pub fn times(mut self, n: usize) -> Self {
        self.remaining = Some(n);
        self
    }

    fn matches(&self, verb: Verb, resource: &str) -> bool {
        self.verb.is_none_or(|v| v == verb)
            && self.resource.as_deref().is_none_or(|r| r == resource)
    }
}

/// The active fault script of a server.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Mutex<Vec<Fault>>,
}

impl Faults {
    /// Adds a fault; faults fire in the order they were added.
    pub fn inject(&self, fault: Fault) {
        self.lock().push(fault);
    }

    /// Removes every fault.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// Number of faults still armed.
    pub fn armed(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Fault>> {
        self.rules.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The actions that apply to one request, consuming one use of each matching fault.
    pub(crate) fn take(&self, verb: Verb, resource: &str) -> Vec<FaultAction> {
        let mut rules = self.lock();
        let mut actions = Vec::new();
        for rule in rules.iter_mut().filter(|r| r.matches(verb, resource)) {
            if rule.remaining == Some(0) {
                continue;
            }
            actions.push(rule.action.clone());
            if let Some(n) = rule.remaining.as_mut() {
                *n -= 1;
            }
        }
        rules.retain(|r| r.remaining != Some(0));
        actions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_match_verb_and_resource_and_expire() {
        let faults = Faults::default();
        faults.inject(
            Fault::error(503)
                .on(Verb::Get)
                .for_resource("widgets")
                .times(2),
        );
        assert!(faults.take(Verb::List, "widgets").is_empty());
        assert!(faults.take(Verb::Get, "gadgets").is_empty());
        assert_eq!(faults.take(Verb::Get, "widgets").len(), 1);
        assert_eq!(faults.take(Verb::Get, "widgets").len(), 1);
        assert!(faults.take(Verb::Get, "widgets").is_empty());
        assert_eq!(faults.armed(), 0);
    }

    #[test]
    fn too_many_requests_has_retry_after() {
        let Fault { action, .. } = Fault::error(429);
        assert!(matches!(action, FaultAction::Respond(e) if e.retry_after_seconds == Some(1)));
    }
}
