//! Error classification and retries for calls to the Kubernetes API (feature `client`).
//!
//! clusterctl once retried every error with a 15 s backoff, so looking up a CRD that did not
//! exist yet (a NotFound, i.e. an answer) stalled upgrades for minutes (cluster-api#11978). Here
//! every error is first [`classify`]d:
//!
//! - [`ErrorClass::Answer`]: NotFound, AlreadyExists, Forbidden, Unauthorized, Invalid,
//!   BadRequest, MethodNotAllowed, …: returned at once, never slept on.
//! - [`ErrorClass::Retry`]: 429 (honouring `retryAfterSeconds`), 500, 502, 503, 504, timeouts
//!   and broken connections: retried by a [`RetryPolicy`] with capped exponential backoff and
//!   full jitter.
//! - [`ErrorClass::Conflict`]: retried only by [`retry_on_conflict`], which reruns a whole
//!   get-modify-update.
//!
//! Callers who know better override the classification per call with
//! [`RetryPolicy::run_with`] (the general fix discussed in cluster-api#11978).

mod classify;
mod conflict;
mod policy;

pub use classify::{
    DEFAULT_TOO_MANY_REQUESTS_DELAY, ErrorClass, classify, classify_status, retry_all,
};
pub use conflict::retry_on_conflict;
pub use policy::{Classifier, Jitter, RetryPolicy};
