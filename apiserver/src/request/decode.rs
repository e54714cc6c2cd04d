//! An HTTP request → its route, query, media type, User-Agent and body (read up to the body
//! limit), and for resource requests the verb it asks for.

use std::collections::HashMap;
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, header};
use http_body_util::{BodyExt, Limited};

use super::route::{self, ResourcePath, Route};
use crate::faults::Verb;
use crate::status::ApiError;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A request with its body read, before the kind it addresses is looked up.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub method: Method,
    pub route: Route,
    pub query: HashMap<String, String>,
    /// Lower-cased media type of the body, without parameters; empty when absent.
    pub content_type: String,
    /// The `User-Agent` header; empty when absent (kube-rs sends none).
    pub user_agent: String,
    /// The `Accept` header; empty when absent.
    pub accept: String,
    pub body: Bytes,
}

/// Reads a request. `cluster` (from a cluster-bound service) is put in front of the path as
/// `/clusters/<name>`. A body over `limit` bytes is 413, whether declared or streamed; one
/// that takes longer than `body_timeout` to arrive is 504.
pub(crate) async fn decode<B>(
    request: Request<B>,
    cluster: Option<&str>,
    limit: usize,
    body_timeout: Duration,
) -> Result<Decoded, ApiError>
where
    B: http_body::Body<Data = Bytes>,
    B::Error: Into<BoxError>,
{
    let (parts, body) = request.into_parts();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(ApiError::too_large(limit));
    }
    let read = tokio::time::timeout(body_timeout, Limited::new(body, limit).collect());
    let Ok(collected) = read.await else {
        // kube-apiserver's request timeout filter words it so.
        return Err(ApiError::timeout(
            "Timeout: request did not complete within the requested timeout - context deadline exceeded",
        ));
    };
    let body = match collected {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => {
            return Err(ApiError::too_large(limit));
        }
        Err(e) => {
            return Err(ApiError::bad_request(format!(
                "error reading request body: {e}"
            )));
        }
    };
    let path = match cluster {
        Some(c) => format!("/clusters/{c}{}", parts.uri.path()),
        None => parts.uri.path().to_owned(),
    };
    let header = |name: header::HeaderName| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let content_type = header(header::CONTENT_TYPE)
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    Ok(Decoded {
        route: route::parse_path(&path),
        query: route::parse_query(parts.uri.query()),
        content_type,
        user_agent: header(header::USER_AGENT),
        accept: header(header::ACCEPT),
        method: parts.method,
        body,
    })
}

/// The verb a resource request asks for, by method, path and `watch` parameter.
pub(crate) fn verb(
    method: &Method,
    path: &ResourcePath,
    query: &HashMap<String, String>,
) -> Result<Verb, ApiError> {
    let watching = path.legacy_watch
        || matches!(
            query.get("watch").map(String::as_str),
            Some("true") | Some("1")
        );
    Ok(match (method, path.name.is_some()) {
        (&Method::GET, false) if watching => Verb::Watch,
        (&Method::GET, false) => Verb::List,
        (&Method::GET, true) => Verb::Get,
        (&Method::POST, _) => Verb::Create,
        (&Method::PUT, _) => Verb::Update,
        (&Method::PATCH, _) => Verb::Patch,
        (&Method::DELETE, false) => Verb::DeleteCollection,
        (&Method::DELETE, true) => Verb::Delete,
        _ => return Err(ApiError::method_not_allowed()),
    })
}
