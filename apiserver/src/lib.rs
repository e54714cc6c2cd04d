//! An in-memory Kubernetes API server for tests.
//!
//! Register kinds (from generated `ResourceInfo` constants or a [`ResourceDefinition`]), then
//! talk to the server in-process through [`ApiServer::client`] / [`ApiServer::service`] (a tower
//! `Service` that `kube::Client::new` takes), or over loopback HTTP with
//! [`ApiServer::serve_http`] and a kubeconfig that kubectl and any other client can use.
//!
//! It follows kube-apiserver's semantics for custom resources: discovery, create/get/list/
//! update/patch/delete, label and field selectors, paging, optimistic concurrency, status and
//! scale subresources, finalizers, server-side apply with field management, watches with bookmarks,
//! streaming lists and 410 Expired, kcp logical clusters, CustomResourceDefinitions (created at
//! run time or loaded with [`ApiServerBuilder::crds_from_dir`]) and the OpenAPI documents
//! `kubectl explain` reads; and, opt in, common built-in
//! kinds ([`BuiltinKind`]) with protobuf for the ones kubectl sends that way. Faults can be
//! scripted per verb and resource. The README lists where it deliberately differs from
//! kube-apiserver.
//!
//! ```
//! use kube_codegen_apiserver::{ApiServer, ResourceDefinition};
//! use kube_codegen_runtime::ResourceInfo;
//!
//! const WIDGET: ResourceInfo = ResourceInfo {
//!     group: "widgets.example.io", version: "v1", kind: "Widget", plural: "widgets",
//!     singular: "widget", namespaced: true, status: true, scale: false, short_names: &["wd"],
//!     lifecycle: None, crd: None,
//! };
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let server = ApiServer::builder().register(&WIDGET).build();
//! let client: kube::Client = server.client();
//! # let _ = client;
//! # }
//! ```

mod body;
mod builtin;
mod crd;
mod definition;
mod faults;
mod handlers;
mod http;
pub mod kubeconfig;
mod meta;
mod openapi;
mod options;
mod registry;
mod request;
mod schema;
mod server;
mod service;
mod status;
mod storage;

pub use body::ApiBody;
pub use builtin::BuiltinKind;
pub use crd::load::CrdError;
pub use definition::{PrinterColumn, ResourceDefinition, ScaleSpec};
pub use faults::{Fault, FaultAction, Faults, Verb};
pub use handlers::INITIAL_EVENTS_END;
pub use handlers::discovery::KUBERNETES_VERSION;
pub use http::HttpServer;
pub use meta::CLUSTER_ANNOTATION;
pub use options::Options;
pub use request::{DEFAULT_CLUSTER, FieldSelector, LabelSelector};
pub use server::{ApiServer, ApiServerBuilder};
pub use service::ApiService;
pub use status::{ApiError, FieldError};
