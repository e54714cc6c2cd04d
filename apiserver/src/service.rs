//! The tower `Service` that answers Kubernetes API requests; the HTTP listener and the
//! in-process `kube::Client` both go through it.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{HeaderValue, Method, Request, Response, StatusCode, header};
use http_body_util::{BodyExt, Limited};
use serde_json::Value;

use crate::body::ApiBody;
use crate::call::Call;
use crate::discovery;
use crate::faults::{FaultAction, Verb};
use crate::objects;
use crate::route::{self, ClusterScope, ResourcePath, Target};
use crate::server::Inner;
use crate::status::ApiError;
use crate::watch;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Serves requests for one [`crate::ApiServer`]. Cheap to clone.
#[derive(Clone, Debug)]
pub struct ApiService {
    inner: Arc<Inner>,
    /// Logical cluster put in front of every path (`/clusters/<name>`).
    cluster: Option<String>,
}

/// The parts of a resource request the verbs read besides its path.
struct ResourceRequest {
    query: std::collections::HashMap<String, String>,
    content_type: String,
    user_agent: String,
    body: Bytes,
}

/// What a handler produced, before it becomes an HTTP response.
enum Reply {
    Json(u16, Value),
    Stream(tokio::sync::mpsc::Receiver<Bytes>),
    Raw(u16, &'static str, Bytes),
}

impl ApiService {
    pub(crate) fn new(inner: Arc<Inner>, cluster: Option<String>) -> Self {
        ApiService { inner, cluster }
    }

    /// Answers one request. Never fails: every problem becomes a `Status` response.
    pub async fn handle<B>(&self, request: Request<B>) -> Response<ApiBody>
    where
        B: http_body::Body<Data = Bytes>,
        B::Error: Into<BoxError>,
    {
        match self.dispatch(request).await {
            Ok(Reply::Json(code, value)) => json_response(code, &value),
            Ok(Reply::Raw(code, content_type, bytes)) => {
                let mut response = Response::new(ApiBody::full(bytes));
                *response.status_mut() = StatusCode::from_u16(code).unwrap_or(StatusCode::OK);
                response
                    .headers_mut()
                    .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
                response
            }
            Ok(Reply::Stream(receiver)) => {
                let mut response = Response::new(ApiBody::stream(receiver));
                response.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
                response
            }
            Err(err) => error_response(&err),
        }
    }

    async fn dispatch<B>(&self, request: Request<B>) -> Result<Reply, ApiError>
    where
        B: http_body::Body<Data = Bytes>,
        B::Error: Into<BoxError>,
    {
        let (parts, body) = request.into_parts();
        let limit = self.inner.options.max_body_bytes;
        let declared = parts
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|n| n > limit) {
            return Err(ApiError::too_large(limit));
        }
        let body = match Limited::new(body, limit).collect().await {
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
        let path = match &self.cluster {
            Some(c) => format!("/clusters/{c}{}", parts.uri.path()),
            None => parts.uri.path().to_owned(),
        };
        let route = route::parse_path(&path);
        let query = route::parse_query(parts.uri.query());
        let content_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .unwrap_or_default();
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();

        let resource_path = match route.target {
            Target::Resource(rp) => rp,
            other => return self.non_resource(&parts.method, other),
        };
        self.resource(
            parts.method,
            route.cluster,
            route.cluster_prefixed,
            resource_path,
            ResourceRequest {
                query,
                content_type,
                user_agent,
                body,
            },
        )
        .await
    }

    fn non_resource(&self, method: &Method, target: Target) -> Result<Reply, ApiError> {
        if method != Method::GET && method != Method::HEAD {
            return Err(ApiError::method_not_allowed());
        }
        let registry = self.inner.registry();
        let found = |v: Option<Value>| {
            v.map(|v| Reply::Json(200, v))
                .ok_or_else(ApiError::no_such_resource)
        };
        match target {
            Target::Version => Ok(Reply::Json(200, discovery::version())),
            Target::Health => Ok(Reply::Raw(
                200,
                "text/plain; charset=utf-8",
                Bytes::from_static(b"ok"),
            )),
            // An empty protobuf message is a valid, empty OpenAPI v2 document: clients that
            // validate against it find no schema for custom kinds and leave validation to us.
            Target::OpenApiV2 => Ok(Reply::Raw(
                200,
                "application/com.github.proto-openapi.spec.v2.v1.0+protobuf",
                Bytes::new(),
            )),
            Target::OpenApiV3 => Err(ApiError::no_such_resource()),
            Target::CoreGroup => Ok(Reply::Json(200, discovery::core_group())),
            Target::CoreVersion(v) => found(discovery::resource_list(&registry, "", &v)),
            Target::Groups => Ok(Reply::Json(200, discovery::groups(&registry))),
            Target::Group(g) => found(discovery::group(&registry, &g)),
            Target::GroupVersion(g, v) => found(discovery::resource_list(&registry, &g, &v)),
            Target::Resource(_) | Target::Unknown => Err(ApiError::no_such_resource()),
        }
    }

    async fn resource(
        &self,
        method: Method,
        cluster: ClusterScope,
        cluster_prefixed: bool,
        rp: ResourcePath,
        request: ResourceRequest,
    ) -> Result<Reply, ApiError> {
        let ResourceRequest {
            query,
            content_type,
            user_agent,
            body,
        } = request;
        let def = self
            .inner
            .registry()
            .lookup(&rp.group, &rp.version, &rp.plural)
            .cloned()
            .ok_or_else(ApiError::no_such_resource)?;
        if (!def.namespaced && rp.namespace.is_some())
            || (def.namespaced && rp.namespace.is_none() && rp.name.is_some())
        {
            return Err(ApiError::no_such_resource());
        }
        let watching = rp.legacy_watch
            || matches!(
                query.get("watch").map(String::as_str),
                Some("true") | Some("1")
            );
        let verb = match (&method, rp.name.is_some()) {
            (&Method::GET, false) if watching => Verb::Watch,
            (&Method::GET, false) => Verb::List,
            (&Method::GET, true) => Verb::Get,
            (&Method::POST, _) => Verb::Create,
            (&Method::PUT, _) => Verb::Update,
            (&Method::PATCH, _) => Verb::Patch,
            (&Method::DELETE, false) => Verb::DeleteCollection,
            (&Method::DELETE, true) => Verb::Delete,
            _ => return Err(ApiError::method_not_allowed()),
        };
        let cross_namespace = def.namespaced && rp.namespace.is_none();
        if cross_namespace && matches!(verb, Verb::Create | Verb::DeleteCollection) {
            return Err(ApiError::method_not_allowed());
        }
        if cluster == ClusterScope::All && !matches!(verb, Verb::List | Verb::Watch) {
            return Err(ApiError::method_not_allowed());
        }

        if let ClusterScope::One(c) = &cluster {
            objects::ensure_cluster(&mut self.inner.store.lock(), c);
        }
        let mut close_after = None;
        for action in self.inner.faults.take(verb, &def.plural) {
            match action {
                FaultAction::Delay(d) => tokio::time::sleep(d).await,
                FaultAction::Respond(err) => return Err(err),
                FaultAction::CloseWatchAfter(n) => close_after = Some(n),
            }
        }

        let call = Call {
            inner: Arc::clone(&self.inner),
            def,
            cluster,
            cluster_prefixed,
            namespace: rp.namespace,
            name: rp.name,
            subresource: rp.subresource,
            query,
            content_type,
            user_agent,
            body,
        };
        let answer = match verb {
            Verb::Watch => return watch::watch(call, close_after).map(Reply::Stream),
            Verb::List => objects::list(&call),
            Verb::Get => objects::get(&call, call.name.as_deref().unwrap_or("")),
            Verb::Create => objects::create(&call),
            Verb::Update => objects::update(&call),
            Verb::Patch => objects::patch(&call),
            Verb::Delete => objects::delete(&call),
            Verb::DeleteCollection => objects::delete_collection(&call),
        }?;
        Ok(Reply::Json(answer.0, answer.1))
    }
}

fn json_response(code: u16, value: &Value) -> Response<ApiBody> {
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    let mut response = Response::new(ApiBody::full(bytes));
    *response.status_mut() =
        StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn error_response(err: &ApiError) -> Response<ApiBody> {
    let mut response = json_response(err.code, &err.to_json());
    if let Some(seconds) = err.retry_after_seconds {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

impl<B> tower::Service<Request<B>> for ApiService
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = Response<ApiBody>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response<ApiBody>, Infallible>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let service = self.clone();
        Box::pin(async move { Ok(service.handle(request).await) })
    }
}
