//! The tower `Service` that answers Kubernetes API requests; the HTTP listener and the
//! in-process `kube::Client` both go through it. It wires the layers together: decode the
//! request, look its kind up, run the fault script, call the verb's handler, and turn the
//! handler's answer or error into a response.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{HeaderValue, Method, Request, Response, StatusCode, header};
use serde_json::Value;

use crate::body::ApiBody;
use crate::crd;
use crate::faults::{FaultAction, Verb};
use crate::handlers::{self, discovery};
use crate::openapi;
use crate::registry;
use crate::request::{self, Call, ClusterScope, Decoded, Offer, Output, Target};
use crate::server::Inner;
use crate::status::ApiError;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Serves requests for one [`crate::ApiServer`]. Cheap to clone.
#[derive(Clone, Debug)]
pub struct ApiService {
    inner: Arc<Inner>,
    /// Logical cluster put in front of every path (`/clusters/<name>`).
    cluster: Option<String>,
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
        let mut warnings = Vec::new();
        let mut response = match self.dispatch(request, &mut warnings).await {
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
        };
        // kube-apiserver's deprecation warning (RFC 7234 `299`): kubectl prints it, clients
        // surface it.
        // Schema warnings (unknown fields under `fieldValidation=Warn`) come the same way.
        for text in warnings {
            if let Ok(value) = HeaderValue::from_str(&format!("299 - {}", quoted(&text))) {
                response.headers_mut().append(header::WARNING, value);
            }
        }
        response
    }

    async fn dispatch<B>(
        &self,
        request: Request<B>,
        warnings: &mut Vec<String>,
    ) -> Result<Reply, ApiError>
    where
        B: http_body::Body<Data = Bytes>,
        B::Error: Into<BoxError>,
    {
        let options = &self.inner.options;
        let decoded = request::decode(
            request,
            self.cluster.as_deref(),
            options.max_body_bytes,
            options.body_read_timeout,
        )
        .await?;
        match decoded.route.target {
            Target::Resource(_) => self.resource(decoded, warnings).await,
            ref other => self.non_resource(&decoded.method, &decoded.accept, other),
        }
    }

    fn non_resource(
        &self,
        method: &Method,
        accept: &str,
        target: &Target,
    ) -> Result<Reply, ApiError> {
        if method != Method::GET && method != Method::HEAD {
            return Err(ApiError::method_not_allowed());
        }
        let kinds = self.inner.registry.kinds();
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
            // A client that takes only protobuf (kubectl) gets an empty, valid OpenAPI v2
            // document: it finds no schema there and uses OpenAPI v3, where it looks first
            // (for explain and field validation); built-in kinds' strategic merge patches it
            // then computes from its compiled types, custom resources get merge patches.
            Target::OpenApiV2 if accept.contains("protobuf") && !accept.contains("json") => {
                Ok(Reply::Raw(
                    200,
                    "application/com.github.proto-openapi.spec.v2.v1.0+protobuf",
                    Bytes::new(),
                ))
            }
            Target::OpenApiV2 => Ok(Reply::Json(200, openapi::v2::document(&kinds))),
            Target::OpenApiV3(None) => Ok(Reply::Json(200, openapi::v3::index(&kinds))),
            Target::OpenApiV3(Some(path)) => found(openapi::v3::document(&kinds, path)),
            Target::CoreGroup => Ok(Reply::Json(200, discovery::core_group())),
            Target::CoreVersion(v) => found(discovery::resource_list(&kinds, "", v)),
            Target::Groups => Ok(Reply::Json(200, discovery::groups(&kinds))),
            Target::Group(g) => found(discovery::group(&kinds, g)),
            Target::GroupVersion(g, v) => found(discovery::resource_list(&kinds, g, v)),
            Target::Resource(_) | Target::Unknown => Err(ApiError::no_such_resource()),
        }
    }

    async fn resource(
        &self,
        decoded: Decoded,
        warnings: &mut Vec<String>,
    ) -> Result<Reply, ApiError> {
        let Decoded {
            method,
            route,
            query,
            content_type,
            user_agent,
            accept,
            body,
        } = decoded;
        let Target::Resource(rp) = route.target else {
            return Err(ApiError::no_such_resource());
        };
        let def = self
            .inner
            .registry
            .kinds()
            .lookup(&rp.group, &rp.version, &rp.plural)
            .cloned()
            .ok_or_else(ApiError::no_such_resource)?;
        warnings.extend(self.inner.options.deprecation_warning(&def));
        if (!def.namespaced && rp.namespace.is_some())
            || (def.namespaced && rp.namespace.is_none() && rp.name.is_some())
        {
            return Err(ApiError::no_such_resource());
        }
        let verb = request::verb(&method, &rp, &query)?;
        let output = request::negotiate(
            &accept,
            Offer {
                verb,
                // Single objects of built-in kinds with a protobuf mapping.
                protobuf: def.builtin
                    && request::protobuf_supports(&def.api_version(), &def.kind)
                    && !matches!(verb, Verb::List | Verb::Watch),
            },
        )?;
        let cross_namespace = def.namespaced && rp.namespace.is_none();
        if cross_namespace && matches!(verb, Verb::Create | Verb::DeleteCollection) {
            return Err(ApiError::method_not_allowed());
        }
        let cluster = route.cluster;
        if cluster == ClusterScope::All && !matches!(verb, Verb::List | Verb::Watch) {
            return Err(ApiError::method_not_allowed());
        }

        let registry = &self.inner.registry;
        let writes_crds = crd::is_crd_kind(&def)
            && matches!(
                verb,
                Verb::Create | Verb::Update | Verb::Patch | Verb::Delete | Verb::DeleteCollection
            );
        if let ClusterScope::One(c) = &cluster {
            registry::ensure_cluster(&mut registry.store.lock(), c);
        }
        let mut close_after = None;
        for action in self.inner.faults.take(verb, &def.plural) {
            match action {
                FaultAction::Delay(d) => tokio::time::sleep(d).await,
                FaultAction::Respond(err) => return Err(err),
                FaultAction::CloseWatchAfter(n) => close_after = Some(n),
            }
        }

        if verb == Verb::List {
            self.wait_for_version(query.get("resourceVersion")).await;
        }
        let call = Call {
            def,
            cluster,
            cluster_prefixed: route.cluster_prefixed,
            namespace: rp.namespace,
            name: rp.name,
            subresource: rp.subresource,
            query,
            content_type,
            user_agent,
            body,
            output,
            warnings: Default::default(),
        };
        let answer = match verb {
            Verb::Watch => {
                let options = &self.inner.options;
                return handlers::watch(registry, options, call, close_after).map(Reply::Stream);
            }
            Verb::List => handlers::list(registry, &call),
            Verb::Get => handlers::get(registry, &call),
            Verb::Create => handlers::create(registry, &call),
            Verb::Update => handlers::update(registry, &call),
            Verb::Patch => handlers::patch(registry, &call),
            Verb::Delete => handlers::delete(registry, &self.inner.options, &call),
            Verb::DeleteCollection => handlers::delete_collection(registry, &call),
        };
        // Warnings go out with failures too, as upstream's.
        warnings.append(&mut call.warnings.lock().unwrap_or_else(|p| p.into_inner()));
        let answer = answer?;
        if writes_crds {
            // Before the answer goes out: discovery serves the CRD's kinds when its create
            // returns, and no longer does when its delete returns.
            crd::controller::reconcile(registry);
        }
        Ok(encode(answer.0, &answer.1, output))
    }
}

/// A handler's answer in the negotiated encoding (Tables and partial metadata are JSON).
fn encode(code: u16, value: &Value, output: Output) -> Reply {
    match output {
        Output::Yaml => match serde_saphyr::to_string(value) {
            Ok(text) => Reply::Raw(code, "application/yaml", Bytes::from(text)),
            Err(_) => Reply::Json(code, value.clone()),
        },
        // An answer of another kind (a `Status` from a delete) falls back to JSON, which
        // clients decode by the response's content type.
        Output::Protobuf => match request::encode_protobuf(value) {
            Some(bytes) => Reply::Raw(code, request::PROTOBUF, bytes),
            None => Reply::Json(code, value.clone()),
        },
        _ => Reply::Json(code, value.clone()),
    }
}

impl ApiService {
    /// A list at a resourceVersion the store has not reached waits for it (bounded by
    /// `future_watch_wait`), as kube-apiserver's watch cache does before its 504.
    async fn wait_for_version(&self, requested: Option<&String>) {
        let Some(wanted) = requested.and_then(|v| v.parse::<u64>().ok()) else {
            return;
        };
        let deadline = tokio::time::Instant::now() + self.inner.options.future_watch_wait;
        while self.inner.registry.store.lock().resource_version() < wanted
            && tokio::time::Instant::now() < deadline
        {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }
}

/// `text` as an HTTP quoted-string.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
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
