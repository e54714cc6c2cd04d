//! The example kinds `cargo run --example apiserver` serves: the `RESOURCES` lists that
//! `cargo xtask codegen` generates for `examples/widgets-api`, nothing listed by hand.

use kube_codegen_apiserver::ApiServer;
use kube_codegen_runtime::ResourceInfo;

/// The generated `RESOURCES` of every group-version of `widgets-api`. `Widget` appears in three
/// versions of `widgets.example.io`; the server keeps one storage for them (a CRD with
/// conversion strategy `None`).
pub const EXAMPLE_RESOURCE_LISTS: &[&[ResourceInfo]] = &[
    widgets_api::widgets::v1::RESOURCES,
    widgets_api::widgets::v1beta1::RESOURCES,
    widgets_api::widgets::v1alpha1::RESOURCES,
    widgets_api::fleet::v1::RESOURCES,
];

/// Every example kind, in registration order.
pub fn example_resources() -> impl Iterator<Item = &'static ResourceInfo> {
    EXAMPLE_RESOURCE_LISTS.iter().flat_map(|list| list.iter())
}

/// An in-memory API server serving every example kind.
pub fn example_server() -> ApiServer {
    example_server_builder().build()
}

/// The builder of [`example_server`], to add to.
pub fn example_server_builder() -> kube_codegen_apiserver::ApiServerBuilder {
    ApiServer::builder().register_all(example_resources())
}
