//! A public submodule of the version module whose kind is not re-exported.

use kube_codegen_runtime::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

/// Cluster-scoped, every verb, no status.
// +genclient
// +genclient:nonNamespaced
#[derive(Debug, Default, PartialEq)]
pub struct Probe {
    pub metadata: ObjectMeta,
    pub spec: ProbeSpec,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProbeSpec {
    pub target: String,
}
