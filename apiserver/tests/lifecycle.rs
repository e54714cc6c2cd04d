//! API lifecycle as kube-apiserver serves it: with an emulated release, a deprecated version
//! answers with a `Warning: 299` header (through kube's client here, kubectl in kubectl.rs) and
//! a removed version is not served: 404, and absent from discovery.

mod common;

use common::*;
use http::Request;
use kube::api::{Api, DynamicObject, GroupVersionKind, ListParams};
use kube::core::ApiResource;
use kube_codegen_apiserver::ApiServer;
use kube_codegen_runtime::ResourceInfo;
use kube_codegen_runtime::lifecycle::{KubeRelease, Lifecycle, Replacement};

/// `v1beta1`: deprecated in 1.29, removed in 1.32, replaced by `v1`.
pub const WIDGET_V1BETA1: ResourceInfo = ResourceInfo {
    version: "v1beta1",
    lifecycle: Some(Lifecycle {
        introduced: KubeRelease::new(1, 26),
        deprecated: KubeRelease::new(1, 29),
        removed: KubeRelease::new(1, 32),
        replacement: Some(Replacement {
            group: GROUP,
            version: "v1",
            kind: "Widget",
        }),
    }),
    ..WIDGET_V1
};

/// `v1alpha1`: removed in 1.29.
pub const WIDGET_V1ALPHA1: ResourceInfo = ResourceInfo {
    version: "v1alpha1",
    lifecycle: Some(Lifecycle {
        introduced: KubeRelease::new(1, 23),
        deprecated: KubeRelease::new(1, 26),
        removed: KubeRelease::new(1, 29),
        replacement: None,
    }),
    ..WIDGET_V1
};

pub const WARNING: &str = "299 - \"widgets.example.io/v1beta1 Widget is deprecated in v1.29+, unavailable in v1.32+; use widgets.example.io/v1 Widget\"";

fn server(release: Option<KubeRelease>) -> ApiServer {
    let builder = ApiServer::builder()
        .register(&WIDGET_V1)
        .register(&WIDGET_V1BETA1)
        .register(&WIDGET_V1ALPHA1);
    match release {
        Some(release) => builder.emulated_release(release),
        None => builder,
    }
    .build()
}

/// The `Warning` headers and status of a GET of `path` through kube's client.
async fn get(client: &kube::Client, path: &str) -> (u16, Vec<String>) {
    let request = Request::get(path)
        .body(kube::client::Body::empty())
        .expect("a request");
    let response = client.send(request).await.expect("a response");
    let warnings = response
        .headers()
        .get_all(http::header::WARNING)
        .iter()
        .map(|v| v.to_str().unwrap_or_default().to_owned())
        .collect();
    (response.status().as_u16(), warnings)
}

#[tokio::test]
async fn a_deprecated_version_answers_with_kube_apiservers_warning() {
    let server = server(Some(KubeRelease::new(1, 30)));
    let client = server.client();
    let (status, warnings) = get(
        &client,
        "/apis/widgets.example.io/v1beta1/namespaces/default/widgets",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(warnings, [WARNING]);
    // The GA version says nothing.
    let (status, warnings) = get(
        &client,
        "/apis/widgets.example.io/v1/namespaces/default/widgets",
    )
    .await;
    assert_eq!((status, warnings.len()), (200, 0));
    // Typed access still works (a warning is not an error).
    let gvk = GroupVersionKind::gvk(GROUP, "v1beta1", "Widget");
    let api: Api<DynamicObject> =
        Api::namespaced_with(client, "default", &ApiResource::from_gvk(&gvk));
    assert!(
        api.list(&ListParams::default())
            .await
            .expect("list")
            .items
            .is_empty()
    );
}

#[tokio::test]
async fn a_removed_version_is_not_served_nor_discovered() {
    let server = server(Some(KubeRelease::new(1, 30)));
    let client = server.client();
    let (status, _) = get(
        &client,
        "/apis/widgets.example.io/v1alpha1/namespaces/default/widgets",
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = get(&client, "/apis/widgets.example.io/v1alpha1").await;
    assert_eq!(status, 404);
    let group: serde_json::Value = client
        .request(
            Request::get("/apis/widgets.example.io")
                .body(Vec::new())
                .expect("a request"),
        )
        .await
        .expect("the group");
    let versions: Vec<&str> = group["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .filter_map(|v| v["version"].as_str())
        .collect();
    assert_eq!(versions, ["v1", "v1beta1"]);
    // Registered later, it is still not served.
    server.register(&WIDGET_V1ALPHA1);
    assert!(!server.definitions().iter().any(|d| d.version == "v1alpha1"));
}

#[tokio::test]
async fn without_an_emulated_release_every_version_is_served_silently() {
    let server = server(None);
    let client = server.client();
    for version in ["v1", "v1beta1", "v1alpha1"] {
        let (status, warnings) = get(
            &client,
            &format!("/apis/widgets.example.io/{version}/namespaces/default/widgets"),
        )
        .await;
        assert_eq!((status, warnings.len()), (200, 0), "{version}");
    }
    // Past the removal of v1beta1 too.
    let later = self::server(Some(KubeRelease::new(1, 32)));
    let (status, _) = get(
        &later.client(),
        "/apis/widgets.example.io/v1beta1/namespaces/default/widgets",
    )
    .await;
    assert_eq!(status, 404);
}
