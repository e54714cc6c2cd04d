//! The core group, version `v1`: `apiVersion: v1`, URLs under `/api/v1`.

// +groupName=
// +k8s:deepcopy-gen=package

use kube_codegen_runtime::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

#[rustfmt::skip]
mod zz_generated;
pub use zz_generated::*;

/// A namespaced core kind with every verb and a status.
// +genclient
#[derive(Debug, Default, PartialEq)]
pub struct Beacon {
    pub metadata: ObjectMeta,
    pub spec: BeaconSpec,
    pub status: Option<BeaconStatus>,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BeaconSpec {
    pub frequency: u32,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BeaconStatus {
    pub on: bool,
}
