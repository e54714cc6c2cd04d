//! `batch/v1`: aliases and a data enum in a kind's spec.

// +groupName=batch
// +k8s:deepcopy-gen=package

#[rustfmt::skip]
mod zz_generated;
pub use zz_generated::*;

use std::collections::BTreeMap;

use kube_codegen_runtime::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

/// An alias of a plain type.
pub type Schedule = String;

/// An alias of a map of vectors: copied in place, entry by entry.
pub type History = BTreeMap<String, Vec<JobReference>>;

// +genclient
#[derive(Debug, Default, PartialEq)]
pub struct CronJob {
    pub metadata: ObjectMeta,
    pub spec: CronJobSpec,
    pub status: Option<CronJobStatus>,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CronJobSpec {
    pub schedule: Schedule,
    pub concurrency_policy: ConcurrencyPolicy,
    pub suspend: Option<bool>,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum ConcurrencyPolicy {
    #[default]
    Allow,
    Forbid,
    Replace,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CronJobStatus {
    pub active: Vec<JobReference>,
    pub history: History,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobReference {
    pub name: String,
    pub uid: Option<String>,
}
