//! `clients.golden.example.io/v1`: one kind per `+genclient` marker combination.

// +groupName=clients.golden.example.io
// +k8s:deepcopy-gen=package

mod gizmos;
/// Public and not re-exported: clients name its kind through the module.
pub mod probes;

use std::collections::BTreeMap;

pub use gizmos::{Gizmo, GizmoSpec};
use kube_codegen_runtime::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

#[rustfmt::skip]
mod zz_generated;
pub use zz_generated::*;

/// Namespaced, every verb, with a status: the full client.
// +genclient
#[derive(Debug, Default, PartialEq)]
pub struct Widget {
    pub metadata: ObjectMeta,
    pub spec: WidgetSpec,
    pub status: Option<WidgetStatus>,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WidgetSpec {
    pub color: String,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WidgetStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    pub ready: bool,
}

/// Cluster-scoped, every verb, with a status (plural by the `y` → `ies` rule).
// +genclient
// +genclient:nonNamespaced
#[derive(Debug, Default, PartialEq)]
pub struct Galaxy {
    pub metadata: ObjectMeta,
    pub spec: GalaxySpec,
    pub status: Option<GalaxyStatus>,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GalaxySpec {
    pub arms: u32,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GalaxyStatus {
    pub stars: u64,
}

/// `+genclient:noStatus` on a type that does have a `status` field: no status verbs, and no
/// status subresource registered.
// +genclient
// +genclient:noStatus
#[derive(Debug, Default, PartialEq)]
pub struct Lamp {
    pub metadata: ObjectMeta,
    pub spec: LampSpec,
    pub status: Option<LampStatus>,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LampSpec {
    pub watts: u32,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LampStatus {
    pub lit: bool,
}

/// No `status` field: implies `noStatus` (plural `policies`).
// +genclient
#[derive(Debug, Default, PartialEq)]
pub struct Policy {
    pub metadata: ObjectMeta,
    pub spec: PolicySpec,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicySpec {
    #[serde(default)]
    pub rules: Vec<String>,
}

/// `+genclient:noVerbs`: registered, but its client has none of the standard verbs, only its
/// custom method. (A `noVerbs` kind without a custom method gets a client whose `inner` field is
/// never read: a `dead_code` warning, so that combination is not in this fixture.)
// +genclient
// +genclient:noVerbs
// +genclient:method=GetEpitaph,verb=get,subresource=epitaph
#[derive(Debug, Default, PartialEq)]
pub struct Tombstone {
    pub metadata: ObjectMeta,
    pub spec: TombstoneSpec,
    pub status: Option<TombstoneStatus>,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TombstoneSpec {
    pub epitaph: String,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TombstoneStatus {
    pub visited: bool,
}

/// `+genclient:readonly`: get, list and watch only (plural `archives`).
// +genclient
// +genclient:readonly
#[derive(Debug, Default, PartialEq)]
pub struct Archive {
    pub metadata: ObjectMeta,
    pub spec: ArchiveSpec,
    pub status: Option<ArchiveStatus>,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchiveSpec {
    pub shelf: String,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchiveStatus {
    pub sealed: bool,
}

/// `+genclient:onlyVerbs=get,list`: no watch, and the all-namespaces client lists only.
// +genclient
// +genclient:onlyVerbs=get,list
#[derive(Debug, Default, PartialEq)]
pub struct Ledger {
    pub metadata: ObjectMeta,
    pub spec: LedgerSpec,
    pub status: Option<LedgerStatus>,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerSpec {
    #[serde(default)]
    pub entries: Vec<i64>,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerStatus {
    pub balance: i64,
}

/// `+genclient:skipVerbs=delete,deleteCollection,apply`: everything else, status verbs
/// included.
// +genclient
// +genclient:skipVerbs=delete,deleteCollection,apply
#[derive(Debug, Default, PartialEq)]
pub struct Vault {
    pub metadata: ObjectMeta,
    pub spec: VaultSpec,
    pub status: Option<VaultStatus>,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultSpec {
    pub combination: String,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultStatus {
    pub open: bool,
}

/// `+resourceName=mice` overrides the plural (the rules would say `mouses`).
// +genclient
// +resourceName=mice
#[derive(Debug, Default, PartialEq)]
pub struct Mouse {
    pub metadata: ObjectMeta,
    pub spec: MouseSpec,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MouseSpec {
    pub squeaks: u32,
}

/// `+genclient:method=` on subresources: get, update, create and patch; Go-style and Rust-style
/// type paths; and methods with no `input=`/`result=`, which take and return the kind itself.
// +genclient
// +genclient:method=GetScale,verb=get,subresource=scale,result=k8s.io/api/autoscaling/v1.Scale
// +genclient:method=UpdateScale,verb=update,subresource=scale,input=k8s_openapi::api::autoscaling::v1::Scale,result=k8s_openapi::api::autoscaling::v1::Scale
// +genclient:method=PatchScale,verb=patch,subresource=scale,result=k8s.io/api/autoscaling/v1.Scale
// +genclient:method=CreateEviction,verb=create,subresource=eviction,input=k8s.io/api/policy/v1.Eviction,result=k8s.io/apimachinery/pkg/apis/meta/v1.Status
// +genclient:method=GetDetails,verb=get,subresource=details
// +genclient:method=UpdateDetails,verb=update,subresource=details
// +genclient:method=CreateDetails,verb=create,subresource=details
// +genclient:method=PatchDetails,verb=patch,subresource=details
#[derive(Debug, Default, PartialEq)]
pub struct Fleet {
    pub metadata: ObjectMeta,
    pub spec: FleetSpec,
    pub status: Option<FleetStatus>,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetSpec {
    pub replicas: i32,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetStatus {
    pub replicas: i32,
}

/// `+genclient:noVerbs` and no method: registered and serialized, but no client at all.
// +genclient
// +genclient:noVerbs
#[derive(Debug, Default, PartialEq)]
pub struct Shade {
    pub metadata: ObjectMeta,
    pub spec: ShadeSpec,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ShadeSpec {
    pub depth: u8,
}

/// A custom method whose result type is named by a `crate::` path of this (the API) crate.
// +genclient
// +genclient:readonly
// +genclient:method=GetReport,verb=get,subresource=report,result=crate::clients::v1::Report
#[derive(Debug, Default, PartialEq)]
pub struct Auditor {
    pub metadata: ObjectMeta,
    pub spec: AuditorSpec,
}

#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditorSpec {
    pub scope: String,
}

/// What `Auditor`'s `report` subresource returns.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub findings: Vec<String>,
}
