//! `widgets.example.io/v1alpha1`: the first shape of `Widget`.

// +groupName=widgets.example.io
// +k8s:deepcopy-gen=package

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

#[rustfmt::skip]
mod zz_generated;
pub use zz_generated::*;

/// A widget, as first designed: a colour and nothing else.
// +genclient
// +genclient:noStatus
#[derive(Debug, Default, PartialEq)]
pub struct Widget {
    pub metadata: ObjectMeta,
    pub spec: WidgetSpec,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WidgetSpec {
    pub color: String,
}
