//! `widgets.example.io/v1`: the stable API.

// +groupName=widgets.example.io
// +k8s:deepcopy-gen=package

mod conditions;

use std::collections::{BTreeMap, HashMap};

pub use conditions::{Condition, ConditionStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

#[rustfmt::skip]
mod zz_generated;
pub use zz_generated::*;

/// A namespaced kind with a status subresource.
// +genclient
// +shortNames=wd
// +k8s:deepcopy-gen:interfaces=Object
// +kubebuilder:storageversion
// +kubebuilder:resource:categories=all;widgets
// +kubebuilder:printcolumn:name="Color",type=string,JSONPath=".spec.color",description="The widget's colour"
// +kubebuilder:printcolumn:name="Observed",type=integer,JSONPath=".status.observedGeneration",priority=1
#[derive(Debug, Default, PartialEq)]
pub struct Widget {
    pub metadata: ObjectMeta,
    pub spec: WidgetSpec,
    pub status: Option<WidgetStatus>,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WidgetSpec {
    pub color: Color,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<Quantity>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// The widget's parts, one per name.
    // +listType=map
    // +listMapKey=name
    #[serde(default)]
    pub parts: Vec<Part>,
    /// Bounds on how many of this widget may exist.
    // +kubebuilder:validation:XValidation:rule="self.min <= self.max",message="min must not exceed max"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<Range<i32>>,
    /// A widget may be assembled from a smaller one (stored as sent: a schema cannot recurse).
    // +kubebuilder:validation:Schemaless
    // +kubebuilder:pruning:PreserveUnknownFields
    // +kubebuilder:validation:Type=object
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inner: Option<Box<WidgetSpec>>,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WidgetStatus {
    // +listType=map
    // +listMapKey=type
    #[serde(default)]
    pub conditions: Vec<Condition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
}

/// A colour: an enum with data.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Color {
    #[default]
    Red,
    Green,
    Rgb(u8, u8, u8),
    Named {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        palette: Option<String>,
    },
}

/// A part of a widget, with per-part attributes.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Part {
    // +kubebuilder:validation:MinLength=1
    pub name: String,
    /// How many of this part the widget holds.
    // +kubebuilder:validation:Maximum=1000
    pub count: u32,
    #[serde(default)]
    pub attributes: HashMap<String, Vec<String>>,
}

/// A generic closed range.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Range<T> {
    pub min: T,
    pub max: T,
}

/// A Kubernetes-style quantity (`"500m"`, `"2Gi"`): a tuple struct.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Quantity(pub String);

/// A cluster-scoped kind.
// +genclient
// +genclient:nonNamespaced
#[derive(Debug, Default, PartialEq)]
pub struct Gadget {
    pub metadata: ObjectMeta,
    pub spec: GadgetSpec,
    pub status: Option<GadgetStatus>,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GadgetSpec {
    pub widget_selector: BTreeMap<String, String>,
    #[serde(default)]
    pub sealed: Sealed,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GadgetStatus {
    pub matched: u32,
}

/// A unit struct: present or not, nothing inside.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Sealed;

/// A cluster-scoped kind without a status.
// +genclient
// +genclient:nonNamespaced
#[derive(Debug, Default, PartialEq)]
pub struct WidgetClass {
    pub metadata: ObjectMeta,
    pub spec: WidgetClassSpec,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WidgetClassSpec {
    pub controller: String,
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
}

/// Opted out: a process-local handle that is cloned shallowly on purpose.
// +k8s:deepcopy-gen=false
#[derive(Clone, Debug, Default)]
pub struct ControllerHandle {
    pub shared: std::sync::Arc<str>,
}
