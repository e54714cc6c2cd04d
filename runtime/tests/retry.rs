//! Error classification and retry behaviour, on kube errors built by hand and a paused clock.

use std::collections::VecDeque;
use std::io;
use std::sync::Mutex;
use std::time::Duration;

use kube::core::Status;
use kube::core::response::StatusDetails;
use kube_codegen_runtime::client::ClientsetConfig;
use kube_codegen_runtime::retry::{
    DEFAULT_TOO_MANY_REQUESTS_DELAY, ErrorClass, Jitter, RetryPolicy, classify, retry_all,
    retry_on_conflict,
};
use tokio::time::Instant;

fn api_error(code: u16, reason: &str) -> kube::Error {
    kube::Error::Api(Status::failure("injected", reason).with_code(code).boxed())
}

fn api_error_retry_after(code: u16, reason: &str, seconds: u32) -> kube::Error {
    let details = StatusDetails {
        name: String::new(),
        group: String::new(),
        kind: String::new(),
        uid: String::new(),
        causes: Vec::new(),
        retry_after_seconds: seconds,
    };
    kube::Error::Api(
        Status::failure("injected", reason)
            .with_code(code)
            .with_details(details)
            .boxed(),
    )
}

fn not_found() -> kube::Error {
    api_error(404, "NotFound")
}
fn unavailable() -> kube::Error {
    api_error(503, "ServiceUnavailable")
}
fn conflict() -> kube::Error {
    api_error(409, "Conflict")
}

const RETRY: ErrorClass = ErrorClass::Retry { after: None };

fn retry_after(secs: u64) -> ErrorClass {
    ErrorClass::Retry {
        after: Some(Duration::from_secs(secs)),
    }
}

#[test]
fn api_statuses_classify_by_reason_and_code() {
    let table: &[(u16, &str, ErrorClass)] = &[
        // Answers, by reason…
        (404, "NotFound", ErrorClass::Answer),
        (409, "AlreadyExists", ErrorClass::Answer),
        (403, "Forbidden", ErrorClass::Answer),
        (401, "Unauthorized", ErrorClass::Answer),
        (422, "Invalid", ErrorClass::Answer),
        (400, "BadRequest", ErrorClass::Answer),
        (405, "MethodNotAllowed", ErrorClass::Answer),
        (410, "Gone", ErrorClass::Answer),
        (410, "Expired", ErrorClass::Answer),
        // …and by code alone (no reason, as from a server that sends none).
        (404, "", ErrorClass::Answer),
        (403, "", ErrorClass::Answer),
        (401, "", ErrorClass::Answer),
        (422, "", ErrorClass::Answer),
        (400, "", ErrorClass::Answer),
        (405, "", ErrorClass::Answer),
        (418, "", ErrorClass::Answer),
        // Conflicts.
        (409, "Conflict", ErrorClass::Conflict),
        (409, "", ErrorClass::Conflict),
        // Transient.
        (
            429,
            "TooManyRequests",
            ErrorClass::Retry {
                after: Some(DEFAULT_TOO_MANY_REQUESTS_DELAY),
            },
        ),
        (
            429,
            "",
            ErrorClass::Retry {
                after: Some(DEFAULT_TOO_MANY_REQUESTS_DELAY),
            },
        ),
        (500, "InternalError", RETRY),
        (500, "ServerTimeout", RETRY),
        (500, "", RETRY),
        (502, "", RETRY),
        (503, "ServiceUnavailable", RETRY),
        (503, "", RETRY),
        (504, "Timeout", RETRY),
        (504, "", RETRY),
        (408, "", RETRY),
        // kube's reason for an error body that is not a Status (a proxy's HTML page): the code
        // decides.
        (502, "Failed to parse error data", RETRY),
        (404, "Failed to parse error data", ErrorClass::Answer),
        // A known reason wins over the code, as in apimachinery.
        (500, "NotFound", ErrorClass::Answer),
        (400, "ServiceUnavailable", RETRY),
    ];
    for &(code, reason, expected) in table {
        assert_eq!(
            classify(&api_error(code, reason)),
            expected,
            "{code} {reason:?}"
        );
    }
}

#[test]
fn retry_after_seconds_is_honoured_for_every_transient_status() {
    assert_eq!(
        classify(&api_error_retry_after(429, "TooManyRequests", 7)),
        retry_after(7)
    );
    assert_eq!(
        classify(&api_error_retry_after(503, "ServiceUnavailable", 2)),
        retry_after(2)
    );
    assert_eq!(
        classify(&api_error_retry_after(500, "ServerTimeout", 3)),
        retry_after(3)
    );
    assert_eq!(classify(&api_error_retry_after(504, "", 4)), retry_after(4));
    // An answer stays an answer whatever the details say.
    assert_eq!(
        classify(&api_error_retry_after(404, "NotFound", 5)),
        ErrorClass::Answer
    );
}

/// An error that wraps another, as middleware does.
#[derive(Debug)]
struct Wrapped(io::Error);
impl std::fmt::Display for Wrapped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("middleware failed")
    }
}
impl std::error::Error for Wrapped {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

#[tokio::test]
async fn transport_failures_are_retried_and_local_failures_are_answers() {
    let service = |e: io::Error| kube::Error::Service(Box::new(e));
    for kind in [
        io::ErrorKind::ConnectionRefused,
        io::ErrorKind::ConnectionReset,
        io::ErrorKind::BrokenPipe,
        io::ErrorKind::TimedOut,
        io::ErrorKind::UnexpectedEof,
    ] {
        assert_eq!(classify(&service(io::Error::from(kind))), RETRY, "{kind:?}");
    }
    let wrapped = kube::Error::Service(Box::new(Wrapped(io::ErrorKind::ConnectionReset.into())));
    assert_eq!(classify(&wrapped), RETRY, "found through the source chain");
    assert_eq!(
        classify(&kube::Error::ReadEvents(
            io::ErrorKind::UnexpectedEof.into()
        )),
        RETRY
    );

    let elapsed = tokio::time::timeout(Duration::ZERO, std::future::pending::<()>())
        .await
        .expect_err("a zero timeout elapses");
    assert_eq!(classify(&kube::Error::Service(Box::new(elapsed))), RETRY);

    assert_eq!(
        classify(&service(io::ErrorKind::PermissionDenied.into())),
        ErrorClass::Answer
    );
    let serde = serde_json::from_str::<u8>("x").expect_err("not a number");
    assert_eq!(
        classify(&kube::Error::SerdeError(serde)),
        ErrorClass::Answer
    );
    let build = kube::core::request::Error::Validation("no name".into());
    assert_eq!(
        classify(&kube::Error::BuildRequest(build)),
        ErrorClass::Answer
    );
    assert_eq!(classify(&kube::Error::TlsRequired), ErrorClass::Answer);
}

#[test]
fn retry_all_retries_answers_but_keeps_retry_after() {
    assert_eq!(retry_all(&not_found()), RETRY);
    assert_eq!(retry_all(&conflict()), RETRY);
    assert_eq!(
        retry_all(&api_error_retry_after(429, "TooManyRequests", 9)),
        retry_after(9)
    );
}

/// A scripted operation: hands out canned results in order (then successes) and records when
/// each call happened on the tokio clock.
struct Script {
    results: Mutex<VecDeque<Result<u32, kube::Error>>>,
    calls: Mutex<Vec<Instant>>,
}

impl Script {
    fn new(results: impl IntoIterator<Item = Result<u32, kube::Error>>) -> Self {
        Script {
            results: Mutex::new(results.into_iter().collect()),
            calls: Mutex::new(Vec::new()),
        }
    }

    fn failing(err: fn() -> kube::Error, times: usize) -> Self {
        Self::new((0..times).map(|_| Err(err())))
    }

    async fn call(&self) -> Result<u32, kube::Error> {
        let mut calls = self.calls.lock().expect("not poisoned");
        calls.push(Instant::now());
        let n = u32::try_from(calls.len()).expect("few calls");
        drop(calls);
        self.results
            .lock()
            .expect("not poisoned")
            .pop_front()
            .unwrap_or(Ok(n))
    }

    fn count(&self) -> usize {
        self.calls.lock().expect("not poisoned").len()
    }

    /// The time between consecutive calls.
    fn gaps(&self) -> Vec<Duration> {
        let calls = self.calls.lock().expect("not poisoned");
        calls.windows(2).map(|w| w[1] - w[0]).collect()
    }
}

fn ms(v: &[u64]) -> Vec<Duration> {
    v.iter().copied().map(Duration::from_millis).collect()
}

/// 100 ms doubling, capped at 300 ms, 5 attempts, no jitter: every delay is exact.
fn exact_policy() -> RetryPolicy {
    RetryPolicy::default_reads()
        .with_initial_delay(Duration::from_millis(100))
        .with_factor(2.0)
        .with_max_delay(Duration::from_millis(300))
        .with_max_attempts(5)
        .with_max_elapsed(None)
        .with_jitter(Jitter::None)
}

#[tokio::test(start_paused = true)]
async fn not_found_returns_at_once_without_sleeping() {
    let script = Script::failing(not_found, 100);
    let start = Instant::now();
    let err = RetryPolicy::default_reads()
        .run(|| script.call())
        .await
        .expect_err("NotFound is returned");
    assert!(matches!(&err, kube::Error::Api(s) if s.is_not_found()));
    assert_eq!(script.count(), 1);
    assert_eq!(start.elapsed(), Duration::ZERO, "no virtual time passed");
}

#[tokio::test(start_paused = true)]
async fn unavailable_is_retried_with_growing_capped_delays() {
    let script = Script::failing(unavailable, 100);
    let start = Instant::now();
    let err = exact_policy()
        .run(|| script.call())
        .await
        .expect_err("gives up");
    assert_eq!(classify(&err), RETRY);
    assert_eq!(script.count(), 5);
    assert_eq!(script.gaps(), ms(&[100, 200, 300, 300]));
    assert_eq!(start.elapsed(), Duration::from_millis(900));
}

#[tokio::test(start_paused = true)]
async fn a_transient_failure_then_success_returns_the_success() {
    let script = Script::failing(unavailable, 2);
    let value = exact_policy()
        .run(|| script.call())
        .await
        .expect("third call succeeds");
    assert_eq!(value, 3);
    assert_eq!(script.gaps(), ms(&[100, 200]));
}

#[tokio::test(start_paused = true)]
async fn too_many_requests_waits_at_least_retry_after() {
    let script = Script::new([
        Err(api_error_retry_after(429, "TooManyRequests", 3)),
        Err(api_error(429, "TooManyRequests")),
        Err(api_error_retry_after(503, "ServiceUnavailable", 2)),
    ]);
    let value = exact_policy()
        .run(|| script.call())
        .await
        .expect("fourth call succeeds");
    assert_eq!(value, 4);
    // The server's 3 s, then the 1 s default for a bare 429 (above the 200 ms backoff), then 2 s.
    assert_eq!(script.gaps(), ms(&[3000, 1000, 2000]));
}

#[tokio::test(start_paused = true)]
async fn no_sleep_starts_past_the_time_budget() {
    let script = Script::failing(unavailable, 100);
    let start = Instant::now();
    let policy = exact_policy()
        .with_max_attempts(100)
        .with_max_elapsed(Some(Duration::from_millis(650)));
    policy.run(|| script.call()).await.expect_err("gives up");
    // 100 + 200 + 300 = 600 ms; another 300 would end at 900 > 650.
    assert_eq!(script.gaps(), ms(&[100, 200, 300]));
    assert_eq!(start.elapsed(), Duration::from_millis(600));
}

#[tokio::test(start_paused = true)]
async fn full_jitter_is_bounded_and_reproducible_with_a_seed() {
    let policy = exact_policy().with_jitter(Jitter::Seeded(42));
    let first = Script::failing(unavailable, 100);
    policy.run(|| first.call()).await.expect_err("gives up");
    let second = Script::failing(unavailable, 100);
    policy.run(|| second.call()).await.expect_err("gives up");

    let gaps = first.gaps();
    assert_eq!(gaps, second.gaps(), "same seed, same delays");
    for (gap, ceiling) in gaps.iter().zip(ms(&[100, 200, 300, 300])) {
        assert!(*gap <= ceiling, "{gap:?} above {ceiling:?}");
    }
    assert_ne!(gaps, ms(&[100, 200, 300, 300]), "jitter changed something");
}

#[tokio::test(start_paused = true)]
async fn conflict_is_not_retried_by_a_read_policy() {
    let script = Script::failing(conflict, 100);
    let start = Instant::now();
    let err = exact_policy()
        .run(|| script.call())
        .await
        .expect_err("returned");
    assert_eq!(classify(&err), ErrorClass::Conflict);
    assert_eq!(script.count(), 1);
    assert_eq!(start.elapsed(), Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn retry_on_conflict_reruns_until_success() {
    let script = Script::failing(conflict, 3);
    let value = retry_on_conflict(&RetryPolicy::default_conflicts(), || script.call())
        .await
        .expect("fourth round succeeds");
    assert_eq!(value, 4);
    assert_eq!(script.count(), 4);
}

#[tokio::test(start_paused = true)]
async fn retry_on_conflict_gives_up_after_its_attempts_and_returns_other_errors_at_once() {
    let script = Script::failing(conflict, 100);
    let err = retry_on_conflict(&exact_policy(), || script.call())
        .await
        .expect_err("gives up");
    assert_eq!(classify(&err), ErrorClass::Conflict);
    assert_eq!(script.count(), 5);

    for other in [not_found as fn() -> kube::Error, unavailable] {
        let script = Script::failing(other, 100);
        retry_on_conflict(&exact_policy(), || script.call())
            .await
            .expect_err("returned");
        assert_eq!(script.count(), 1, "only conflicts rerun the closure");
    }
}

#[tokio::test(start_paused = true)]
async fn per_call_override_makes_not_found_retryable() {
    // Waiting for an object a controller is about to create.
    let script = Script::failing(not_found, 2);
    let waiting_for_creation = |e: &kube::Error| match e {
        kube::Error::Api(s) if s.is_not_found() => RETRY,
        other => classify(other),
    };
    let value = exact_policy()
        .run_with(waiting_for_creation, || script.call())
        .await
        .expect("appears on the third read");
    assert_eq!(value, 3);
    assert_eq!(script.gaps(), ms(&[100, 200]));
}

#[tokio::test(start_paused = true)]
async fn per_call_override_makes_unavailable_final() {
    let script = Script::failing(unavailable, 100);
    let start = Instant::now();
    exact_policy()
        .run_with(|_| ErrorClass::Answer, || script.call())
        .await
        .expect_err("returned");
    assert_eq!(script.count(), 1);
    assert_eq!(start.elapsed(), Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn policy_classifier_can_be_replaced() {
    let script = Script::failing(not_found, 3);
    let value = RetryPolicy::retry_everything()
        .run(|| script.call())
        .await
        .expect("retry-everything retries NotFound");
    assert_eq!(value, 4);

    let script = Script::failing(unavailable, 100);
    exact_policy()
        .with_classifier(|_| ErrorClass::Answer)
        .run(|| script.call())
        .await
        .expect_err("returned");
    assert_eq!(script.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn writes_are_not_retried_by_default() {
    let config = ClientsetConfig::default();
    let script = Script::failing(unavailable, 100);
    let start = Instant::now();
    config
        .write_policy()
        .run(|| script.call())
        .await
        .expect_err("returned");
    assert_eq!(script.count(), 1);
    assert_eq!(start.elapsed(), Duration::ZERO);

    let reads = Script::failing(unavailable, 2);
    config
        .read_policy()
        .run(|| reads.call())
        .await
        .expect("reads are retried");
    assert_eq!(reads.count(), 3);
}
