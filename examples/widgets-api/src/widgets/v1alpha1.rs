//! `widgets.example.io/v1alpha1`: the first shape of `Widget`.

// +groupName=widgets.example.io
// +k8s:deepcopy-gen=package
// +k8s:prerelease-lifecycle-gen=true

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

#[rustfmt::skip]
mod zz_generated;
pub use zz_generated::*;

/// A widget, as first designed: a colour and nothing else. Deprecated three releases after
/// it was introduced and removed three after that (the defaults), replaced by v1beta1.
// +genclient
// +genclient:noStatus
// +k8s:prerelease-lifecycle-gen:introduced=1.23
// +k8s:prerelease-lifecycle-gen:replacement=widgets.example.io,v1beta1,Widget
#[derive(Debug, Default, PartialEq)]
pub struct Widget {
    pub metadata: ObjectMeta,
    pub spec: WidgetSpec,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WidgetSpec {
    pub color: String,
}
