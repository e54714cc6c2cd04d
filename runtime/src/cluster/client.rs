//! `kube::Client`s for one logical cluster, or for all of them, from a client for the server's
//! root.
//!
//! A kube `Client` sends every request to its configured base URL; kcp wants `/clusters/<path>`
//! in front of each API path. Rather than build a client (and its TLS and auth stack) per
//! cluster from a `Config`, these wrap the one client the caller has: the wrapper prefixes the
//! path and hands the request to it, so connections, credentials and middleware are shared.

use std::sync::Arc;

use futures::future::BoxFuture;
use http::uri::PathAndQuery;
use http::{Request, Response, Uri};
use kube::Client;
use kube::client::Body;

use super::ClusterPath;

/// A client whose requests go to the logical cluster `path` (`/clusters/<path>/…`).
///
/// `client` must address the server's root, not already a cluster (its base URL must not end
/// in `/clusters/…`). Like [`kube::Client::new`], this must be called inside a tokio runtime.
pub fn scoped_client(client: &Client, path: &ClusterPath) -> Client {
    prefixed(client, format!("/clusters/{}", path.as_str()))
}

/// A client whose requests go to every logical cluster at once (`/clusters/*/…`): kcp serves
/// only list and watch there. Generated code hands it only to list-and-watch clients.
pub fn wildcard_client(client: &Client) -> Client {
    prefixed(client, "/clusters/*".to_owned())
}

fn prefixed(client: &Client, prefix: String) -> Client {
    let prefix: Arc<str> = Arc::from(prefix);
    let inner = client.clone();
    let service = tower::service_fn(move |request: Request<Body>| {
        let inner = inner.clone();
        let request = with_prefix(request, &prefix);
        let sent: BoxFuture<'static, Result<Response<Body>, kube::Error>> =
            Box::pin(async move { inner.send(request?).await });
        sent
    });
    Client::new(service, client.default_namespace())
}

/// `request` with `prefix` in front of its path.
fn with_prefix(request: Request<Body>, prefix: &str) -> Result<Request<Body>, kube::Error> {
    let (mut parts, body) = request.into_parts();
    let path = parts.uri.path_and_query().map_or("/", PathAndQuery::as_str);
    let mut uri = parts.uri.clone().into_parts();
    uri.path_and_query = Some(
        format!("{prefix}{path}")
            .parse()
            .map_err(|e: http::uri::InvalidUri| kube::Error::Service(Box::new(e)))?,
    );
    parts.uri = Uri::from_parts(uri).map_err(|e| kube::Error::Service(Box::new(e)))?;
    Ok(Request::from_parts(parts, body))
}
