//! `widgets.example.io/v1beta1`: `Widget` gains a size and a status.

// +groupName=widgets.example.io
// +k8s:deepcopy-gen=package
// +k8s:prerelease-lifecycle-gen=true

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

#[rustfmt::skip]
mod zz_generated;
pub use zz_generated::*;

// +genclient
// +k8s:prerelease-lifecycle-gen:introduced=1.26
// +k8s:prerelease-lifecycle-gen:deprecated=1.29
// +k8s:prerelease-lifecycle-gen:removed=1.32
// +k8s:prerelease-lifecycle-gen:replacement=widgets.example.io,v1,Widget
#[derive(Debug, Default, PartialEq)]
pub struct Widget {
    pub metadata: ObjectMeta,
    pub spec: WidgetSpec,
    pub status: Option<WidgetStatus>,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WidgetSpec {
    pub color: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i32>,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WidgetStatus {
    #[serde(default)]
    pub ready: bool,
}
