//! The core group (`apiVersion: v1`). Kinds carry k8s-openapi's `ObjectMeta` through a renamed
//! module import; the pod template carries the tree's own (`crate::meta::v1::ObjectMeta`).

// +groupName=
// +k8s:deepcopy-gen=package

mod pod;

pub use pod::*;

#[rustfmt::skip]
mod zz_generated;
pub use zz_generated::*;

use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use serde::{Deserialize, Serialize};

/// Configuration data.
// +genclient
#[derive(Debug, Default, PartialEq)]
pub struct ConfigMap {
    pub metadata: metav1::ObjectMeta,
    pub data: Option<std::collections::BTreeMap<String, String>>,
    pub immutable: Option<bool>,
}

/// A cluster-scoped kind with a status.
// +genclient
// +genclient:nonNamespaced
#[derive(Debug, Default, PartialEq)]
pub struct Namespace {
    pub metadata: metav1::ObjectMeta,
    pub spec: Option<NamespaceSpec>,
    pub status: Option<NamespaceStatus>,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NamespaceSpec {
    pub finalizers: Vec<String>,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NamespaceStatus {
    pub phase: Option<String>,
}
