//! An older version of `apps`, read-only.

// +groupName=apps
// +k8s:deepcopy-gen=package

#[rustfmt::skip]
mod zz_generated;
pub use zz_generated::*;

use kube_codegen_runtime::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

// +genclient
// +genclient:readonly
#[derive(Debug, Default, PartialEq)]
pub struct Deployment {
    pub metadata: ObjectMeta,
    pub spec: Option<DeploymentSpec>,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentSpec {
    pub replicas: Option<i32>,
}
