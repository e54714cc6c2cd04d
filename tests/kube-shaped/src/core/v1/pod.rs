//! Pods, in a private submodule that the version module re-exports.

use std::collections::BTreeMap as Map;

use kube_codegen_runtime::kube_core::ObjectMeta;
use serde::{Deserialize, Serialize};

use crate::meta::v1 as tree_meta;

/// A pod, with every verb.
// +genclient
#[derive(Debug, Default, PartialEq)]
pub struct Pod {
    pub metadata: ObjectMeta,
    pub spec: Option<PodSpec>,
    pub status: Option<PodStatus>,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodSpec {
    pub containers: Vec<Container>,
    pub node_selector: Option<Map<String, String>>,
    pub restart_policy: RestartPolicy,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Container {
    pub name: String,
    pub image: Option<String>,
    pub args: Vec<String>,
    pub ports: Vec<(String, u16)>,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum RestartPolicy {
    #[default]
    Always,
    OnFailure,
    Never,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodStatus {
    pub phase: Option<String>,
    pub conditions: Vec<PodCondition>,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodCondition {
    pub type_: String,
    pub status: String,
}

/// Not a kind: a template whose metadata is the tree's own `ObjectMeta`.
#[derive(Debug, Default, PartialEq)]
pub struct PodTemplateSpec {
    pub metadata: tree_meta::ObjectMeta,
    pub spec: Option<PodSpec>,
}
