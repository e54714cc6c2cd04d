//! The example kinds `cargo run --example apiserver` serves.
//!
//! THE ONE PLACE that lists them by hand. When `examples/widgets-api` generates its
//! `RESOURCES` constants, replace `EXAMPLE_RESOURCES` by a chain of those lists.

use kube_codegen_runtime::ResourceInfo;

const WIDGET_V1: ResourceInfo = ResourceInfo {
    group: "widgets.example.io",
    version: "v1",
    kind: "Widget",
    plural: "widgets",
    singular: "widget",
    namespaced: true,
    status: true,
    scale: false,
    short_names: &["wd"],
};

/// Every example kind: the versions of one group/kind share storage (a CRD with conversion
/// strategy `None`).
pub const EXAMPLE_RESOURCES: &[ResourceInfo] = &[
    WIDGET_V1,
    ResourceInfo {
        version: "v1beta1",
        ..WIDGET_V1
    },
    ResourceInfo {
        version: "v1alpha1",
        ..WIDGET_V1
    },
    ResourceInfo {
        group: "widgets.example.io",
        version: "v1",
        kind: "Gadget",
        plural: "gadgets",
        singular: "gadget",
        namespaced: false,
        status: true,
        scale: false,
        short_names: &[],
    },
    ResourceInfo {
        group: "widgets.example.io",
        version: "v1",
        kind: "WidgetClass",
        plural: "widgetclasses",
        singular: "widgetclass",
        namespaced: false,
        status: false,
        scale: false,
        short_names: &[],
    },
    ResourceInfo {
        group: "fleet.example.io",
        version: "v1",
        kind: "Ship",
        plural: "ships",
        singular: "ship",
        namespaced: true,
        status: true,
        // spec.replicas / status.replicas: the default scale paths.
        scale: true,
        short_names: &[],
    },
    ResourceInfo {
        group: "fleet.example.io",
        version: "v1",
        kind: "Harbor",
        plural: "harbors",
        singular: "harbor",
        namespaced: false,
        status: true,
        scale: false,
        short_names: &[],
    },
];
