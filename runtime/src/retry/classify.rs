//! What a failed call means for the caller: an answer, a transient failure, or a conflict.

use std::error::Error as StdError;
use std::io;
use std::time::Duration;

use kube::core::Status;
use kube::core::response::reason;

/// How long to wait after a `429 Too Many Requests` that carries no `retryAfterSeconds`.
///
/// The API server's priority-and-fairness filter normally sends one; a proxy in front of it may
/// not, and retrying a throttled server at once only makes the throttling worse.
pub const DEFAULT_TOO_MANY_REQUESTS_DELAY: Duration = Duration::from_secs(1);

/// What a failed call means, and therefore whether retrying it can help.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorClass {
    /// The server understood the request and answered it: retrying the same request gets the
    /// same answer (`NotFound`, `Forbidden`, `Invalid`…). Returned to the caller at once.
    Answer,
    /// A transient failure (throttling, an overloaded or restarting server, a timeout, a broken
    /// connection): the same request may succeed later.
    Retry {
        /// The least time to wait before the next attempt, when the server said so
        /// (`details.retryAfterSeconds`, or the 429 default).
        after: Option<Duration>,
    },
    /// An optimistic-concurrency conflict (`409 Conflict`): resending the same object fails
    /// again; only a fresh read-modify-write can succeed, which is what
    /// [`retry_on_conflict`](super::retry_on_conflict) does.
    Conflict,
}

impl ErrorClass {
    /// `true` for [`ErrorClass::Retry`].
    pub fn is_retryable(self) -> bool {
        matches!(self, ErrorClass::Retry { .. })
    }
}

/// The default classification of a kube error.
///
/// - API statuses are classified by `reason` when the server gave a known one, and by HTTP code
///   otherwise (the same precedence as apimachinery's `errors.Is*` helpers): `NotFound`,
///   `AlreadyExists`, `Forbidden`, `Unauthorized`, `Invalid`, `BadRequest`, `MethodNotAllowed`
///   and every other 4xx are answers; `Conflict` is a conflict; `TooManyRequests` (429),
///   `InternalError`/`ServerTimeout` (500), 502, `ServiceUnavailable` (503), `Timeout` (504)
///   and 408 are retried, honouring `details.retryAfterSeconds`.
/// - Transport failures are retried: connection refused/reset/aborted, broken pipes, timeouts,
///   unexpected EOF, and any hyper error that is not a misuse of hyper itself.
/// - Everything else (bad requests built locally, undecodable responses, TLS, configuration,
///   authentication setup) is an answer: retrying cannot change it.
pub fn classify(err: &kube::Error) -> ErrorClass {
    match err {
        kube::Error::Api(status) => classify_status(status),
        kube::Error::HyperError(e) => classify_hyper(e),
        kube::Error::Service(e) => classify_source_chain(e.as_ref()),
        kube::Error::ReadEvents(e) => classify_source_chain(e),
        _ => ErrorClass::Answer,
    }
}

/// A classification that retries every error, keeping the server's `Retry-After` where
/// [`classify`] finds one.
///
/// This is clusterctl's original behaviour (cluster-api#11978), kept for comparison and for
/// callers that know a failure is transient even though it looks final (e.g. reading an object
/// that a concurrent writer is about to create).
pub fn retry_all(err: &kube::Error) -> ErrorClass {
    match classify(err) {
        retry @ ErrorClass::Retry { .. } => retry,
        ErrorClass::Answer | ErrorClass::Conflict => ErrorClass::Retry { after: None },
    }
}

/// Classifies an API `Status` by reason, falling back to the HTTP code.
pub fn classify_status(status: &Status) -> ErrorClass {
    let after = retry_after(status);
    match status.reason.as_str() {
        reason::NOT_FOUND
        | reason::ALREADY_EXISTS
        | reason::FORBIDDEN
        | reason::UNAUTHORIZED
        | reason::INVALID
        | reason::BAD_REQUEST
        | reason::METHOD_NOT_ALLOWED
        | reason::NOT_ACCEPTABLE
        | reason::UNSUPPORTED_MEDIA_TYPE
        | reason::REQUEST_ENTITY_TOO_LARGE
        | reason::GONE
        | reason::EXPIRED => ErrorClass::Answer,
        reason::CONFLICT => ErrorClass::Conflict,
        reason::TOO_MANY_REQUESTS => too_many_requests(after),
        reason::INTERNAL_ERROR
        | reason::SERVER_TIMEOUT
        | reason::TIMEOUT
        | reason::SERVICE_UNAVAILABLE => ErrorClass::Retry { after },
        // No reason, or one we do not know (e.g. kube's "Failed to parse error data" for a
        // proxy's HTML error page): the code decides.
        _ => classify_code(status.code, after),
    }
}

fn classify_code(code: u16, after: Option<Duration>) -> ErrorClass {
    match code {
        409 => ErrorClass::Conflict,
        429 => too_many_requests(after),
        408 | 500 | 502 | 503 | 504 => ErrorClass::Retry { after },
        _ => ErrorClass::Answer,
    }
}

fn too_many_requests(after: Option<Duration>) -> ErrorClass {
    ErrorClass::Retry {
        after: Some(after.unwrap_or(DEFAULT_TOO_MANY_REQUESTS_DELAY)),
    }
}

/// `details.retryAfterSeconds`, when the server sent a non-zero value.
fn retry_after(status: &Status) -> Option<Duration> {
    status
        .details
        .as_ref()
        .map(|d| d.retry_after_seconds)
        .filter(|&s| s > 0)
        .map(|s| Duration::from_secs(u64::from(s)))
}

fn classify_hyper(e: &hyper::Error) -> ErrorClass {
    // A user error is hyper refusing how it was called (a bad header, a body misuse): the same
    // call fails the same way. Everything else is the connection or the peer misbehaving.
    if e.is_user() {
        ErrorClass::Answer
    } else {
        ErrorClass::Retry { after: None }
    }
}

/// Walks an error and its sources looking for a recognisable transport failure.
///
/// Middleware wraps errors freely (tower's buffer, hyper-util's legacy client, the timeout
/// connector), so the cause is found by type anywhere in the chain, never by message text.
fn classify_source_chain(err: &(dyn StdError + 'static)) -> ErrorClass {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(io) = e.downcast_ref::<io::Error>()
            && is_transient_io(io.kind())
        {
            return ErrorClass::Retry { after: None };
        }
        if let Some(h) = e.downcast_ref::<hyper::Error>() {
            return classify_hyper(h);
        }
        if e.is::<tokio::time::error::Elapsed>() {
            return ErrorClass::Retry { after: None };
        }
        current = e.source();
    }
    ErrorClass::Answer
}

fn is_transient_io(kind: io::ErrorKind) -> bool {
    use io::ErrorKind::*;
    matches!(
        kind,
        ConnectionRefused
            | ConnectionReset
            | ConnectionAborted
            | NotConnected
            | BrokenPipe
            | TimedOut
            | UnexpectedEof
            | Interrupted
            | WouldBlock
            | HostUnreachable
            | NetworkUnreachable
            | NetworkDown
    )
}
