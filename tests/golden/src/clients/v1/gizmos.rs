//! A kind in a file of its own inside the version module, re-exported by it.

use kube_codegen_runtime::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

/// Cluster-scoped and without status, defined in a submodule file.
// +genclient
// +genclient:nonNamespaced
#[derive(Debug, Default, PartialEq)]
pub struct Gizmo {
    pub metadata: ObjectMeta,
    pub spec: GizmoSpec,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GizmoSpec {
    pub gears: u8,
}
