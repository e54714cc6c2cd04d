//! `apps/v1`, declared in the private module `stable` and reached through `pub use
//! stable::apps`: the clientset names these kinds by that public path.

// +groupName=apps
// +k8s:deepcopy-gen=package

#[rustfmt::skip]
mod zz_generated;
pub use zz_generated::*;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

use crate::core::v1::PodTemplateSpec;
use crate::meta::v1::LabelSelector;

/// A deployment, with the scale subresource.
// +genclient
// +genclient:method=GetScale,verb=get,subresource=scale,result=k8s.io/api/autoscaling/v1.Scale
#[derive(Debug, Default, PartialEq)]
pub struct Deployment {
    pub metadata: ObjectMeta,
    pub spec: Option<DeploymentSpec>,
    pub status: Option<DeploymentStatus>,
}

/// Not serialized on its own here: deep copies only (it holds the tree's own metadata types).
#[derive(Debug, Default, PartialEq)]
pub struct DeploymentTemplate {
    pub selector: Option<LabelSelector>,
    pub template: PodTemplateSpec,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentSpec {
    pub replicas: Option<i32>,
    pub paused: bool,
    pub strategy: Option<DeploymentStrategy>,
}

/// A data enum.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub enum DeploymentStrategy {
    Recreate,
    RollingUpdate {
        max_surge: Option<String>,
        max_unavailable: Option<String>,
    },
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentStatus {
    pub replicas: i32,
    pub ready_replicas: Option<i32>,
}
