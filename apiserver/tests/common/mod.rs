//! Fixtures shared by the integration tests: test kinds, a server serving them, and a client
//! reaching it either in-process or over loopback HTTP.
#![allow(dead_code)] // each test binary uses a different subset

use std::future::Future;
use std::time::Duration;

use kube::Client;
use kube::api::{Api, ApiResource, DynamicObject};
use kube_codegen_apiserver::{ApiServer, HttpServer, ResourceDefinition, ScaleSpec};
use kube_codegen_runtime::ResourceInfo;
use serde_json::{Value, json};

pub const GROUP: &str = "widgets.example.io";

/// A generated-style registration record, as `RESOURCES` constants will provide.
pub const WIDGET_V1: ResourceInfo = ResourceInfo {
    group: GROUP,
    version: "v1",
    kind: "Widget",
    plural: "widgets",
    singular: "widget",
    namespaced: true,
    status: true,
    scale: false,
    short_names: &["wd"],
    lifecycle: None,
    crd: None,
};

pub fn server_builder() -> kube_codegen_apiserver::ApiServerBuilder {
    ApiServer::builder()
        .register(&WIDGET_V1)
        .register(&ResourceInfo {
            version: "v1beta1",
            ..WIDGET_V1
        })
        .register(
            ResourceDefinition::new(GROUP, "v1", "Gadget", "gadgets")
                .cluster_scoped()
                .with_status(),
        )
        .register(ResourceDefinition::new(GROUP, "v1", "Plain", "plains"))
        .register(
            ResourceDefinition::new("fleet.example.io", "v1", "Ship", "ships")
                .with_status()
                .with_scale(ScaleSpec::default()),
        )
        .bookmark_interval(Duration::from_millis(200))
}

/// How a test reaches the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    InProcess,
    Http,
}

/// A server and a client for it; holds the HTTP listener alive when there is one.
pub struct Env {
    pub server: ApiServer,
    pub client: Client,
    pub http: Option<HttpServer>,
    pub transport: Transport,
}

impl Env {
    pub async fn new(transport: Transport) -> Env {
        Env::with_server(server_builder().build(), transport).await
    }

    pub async fn with_server(server: ApiServer, transport: Transport) -> Env {
        match transport {
            Transport::InProcess => Env {
                client: server.client(),
                server,
                http: None,
                transport,
            },
            Transport::Http => {
                let http = server
                    .serve_http(([127, 0, 0, 1], 0).into())
                    .await
                    .expect("bind a loopback port");
                // Without kube's own retries, so injected faults are seen as they are.
                let mut config = http.config();
                config.default_retry = false;
                let client = Client::try_from(config).expect("client for the listener");
                Env {
                    server,
                    client,
                    http: Some(http),
                    transport,
                }
            }
        }
    }

    /// A client for one logical cluster over the same transport.
    pub fn cluster_client(&self, cluster: &str) -> Client {
        match &self.http {
            Some(http) => {
                let mut config = http.cluster_config(cluster).expect("cluster config");
                config.default_retry = false;
                Client::try_from(config).expect("cluster client")
            }
            None => self.server.cluster_client(cluster),
        }
    }
}

pub fn resource(group: &str, version: &str, kind: &str, plural: &str) -> ApiResource {
    ApiResource {
        group: group.to_owned(),
        version: version.to_owned(),
        api_version: format!("{group}/{version}"),
        kind: kind.to_owned(),
        plural: plural.to_owned(),
    }
}

pub fn widget_resource() -> ApiResource {
    resource(GROUP, "v1", "Widget", "widgets")
}

pub fn widgets(client: &Client, ns: &str) -> Api<DynamicObject> {
    Api::namespaced_with(client.clone(), ns, &widget_resource())
}

pub fn widget(name: &str, spec: Value) -> DynamicObject {
    DynamicObject::new(name, &widget_resource()).data(json!({ "spec": spec }))
}

pub fn with_labels(mut obj: DynamicObject, labels: &[(&str, &str)]) -> DynamicObject {
    obj.metadata.labels = Some(
        labels
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    );
    obj
}

/// The API error of a failed call (panics with the value when the call succeeded).
pub fn api_error<T: std::fmt::Debug>(result: kube::Result<T>) -> kube::core::Status {
    match result {
        Err(kube::Error::Api(status)) => *status,
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// Hang guard: fails the test if `fut` takes longer than `secs` (never a timing assertion).
pub async fn within<F: Future>(secs: u64, fut: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(secs), fut)
        .await
        .expect("operation hung past its guard")
}
