//! `markers.example.io/v1`.

// +groupName=markers.example.io
// +k8s:deepcopy-gen=package

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, LabelSelector, Time};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::{Deserialize, Serialize};

#[rustfmt::skip]
mod zz_generated;
pub use zz_generated::*;

/// A gizmo: every marker on one kind.
// +genclient
// +genclient:method=GetScale,verb=get,subresource=scale,result=k8s.io/api/autoscaling/v1.Scale
// +shortNames=gz
// +kubebuilder:resource:shortName=gzm,categories=all;gadgets
// +kubebuilder:printcolumn:name="Replicas",type=integer,JSONPath=".spec.replicas"
// +kubebuilder:printcolumn:name="Mode",type=string,JSONPath=".spec.mode",description="How it runs",priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=".metadata.creationTimestamp"
// +kubebuilder:subresource:status
// +kubebuilder:subresource:scale:specpath=.spec.replicas,statuspath=.status.replicas,selectorpath=.status.selector
// +kubebuilder:validation:XValidation:rule="self.metadata.name.size() <= 63",message="names are DNS labels"
// +kubebuilder:deprecatedversion:warning="markers.example.io/v1 Gizmo is a test fixture"
#[derive(Debug, Default, PartialEq)]
pub struct Gizmo {
    pub metadata: ObjectMeta,
    pub spec: GizmoSpec,
    pub status: Option<GizmoStatus>,
}

/// What a gizmo should be.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GizmoSpec {
    /// How many gizmos run.
    // +kubebuilder:validation:Minimum=0
    // +kubebuilder:validation:Maximum=100
    // +kubebuilder:default=1
    #[serde(default)]
    pub replicas: i32,
    // +kubebuilder:validation:ExclusiveMinimum=true
    // +kubebuilder:validation:Minimum=0
    // +kubebuilder:validation:ExclusiveMaximum=true
    // +kubebuilder:validation:Maximum=1
    // +kubebuilder:validation:MultipleOf=0.25
    #[serde(default)]
    pub ratio: f64,
    // +kubebuilder:validation:MinLength=1
    // +kubebuilder:validation:MaxLength=63
    // +kubebuilder:validation:Pattern=`^[a-z][a-z0-9-]*$`
    pub name: String,
    // +kubebuilder:validation:Format=uuid
    // +optional
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    // +kubebuilder:validation:Enum=Fast;Slow
    // +kubebuilder:default=Fast
    #[serde(default)]
    pub mode: String,
    pub phase: Phase,
    // +kubebuilder:validation:MinItems=1
    // +kubebuilder:validation:MaxItems=10
    // +kubebuilder:validation:UniqueItems=false
    // +listType=set
    pub tags: Vec<String>,
    /// Kept unique by serde too.
    #[serde(default)]
    pub zones: BTreeSet<String>,
    // +listType=map
    // +listMapKey=name
    // +listMapKey=port
    #[serde(default)]
    pub ports: Vec<Port>,
    // +listType=atomic
    #[serde(default)]
    pub args: Vec<String>,
    // +kubebuilder:validation:MinProperties=1
    // +kubebuilder:validation:MaxProperties=8
    // +mapType=atomic
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    // +structType=atomic
    #[serde(default)]
    pub window: Window,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<IntOrString>,
    // +kubebuilder:validation:XIntOrString
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<serde_json::Value>,
    /// Anything: kept as sent.
    #[serde(default)]
    pub extra: serde_json::Value,
    // +kubebuilder:validation:XEmbeddedResource
    // +kubebuilder:pruning:PreserveUnknownFields
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<serde_json::Map<String, serde_json::Value>>,
    // +nullable
    #[serde(default)]
    pub note: Option<String>,
    #[serde(rename = "renamed-field", default)]
    pub renamed: bool,
    #[serde(skip)]
    pub local_only: u8,
    #[serde(flatten)]
    pub common: Common,
    pub shape: Shape,
    pub action: Action,
    pub pair: (u16, u16),
    #[serde(default)]
    pub levels: Vec<Level>,
    /// A generic type holding itself with other arguments is no recursion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spans: Option<Between<Between<u8>>>,
}

/// A generic pair of bounds.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Between<T> {
    pub from: T,
    pub to: T,
}

/// Fields flattened into the spec.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Common {
    #[serde(default)]
    pub paused: bool,
}

/// A time window.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Window {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Time>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Time>,
}

/// A port, keyed by name and number.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Port {
    pub name: String,
    pub port: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
}

/// A unit-only enum: a string with an enum.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Phase {
    #[default]
    Pending,
    Running,
    #[serde(rename = "done")]
    Done,
}

/// An externally tagged enum with data only: an object with exactly one key.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Shape {
    Circle { radius: u32 },
    Square(u32),
    Points(Vec<(i32, i32)>),
}

impl Default for Shape {
    fn default() -> Self {
        Shape::Square(1)
    }
}

/// An internally tagged enum: the tag and every variant's fields.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Action {
    #[default]
    Nothing,
    Restart {
        #[serde(rename = "afterSeconds")]
        after_seconds: u32,
    },
}

/// A newtype over a bounded integer, its bounds on the type.
// +kubebuilder:validation:Minimum=1
// +kubebuilder:validation:Maximum=5
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Level(pub u8);

/// What a gizmo is.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GizmoStatus {
    #[serde(default)]
    pub replicas: i32,
    #[serde(default)]
    pub selector: String,
    // +listType=map
    // +listMapKey=type
    #[serde(default)]
    pub conditions: Vec<Condition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<Time>,
}
