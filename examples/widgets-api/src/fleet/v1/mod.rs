//! `fleet.example.io/v1`: types opt in to deep copy one by one.

// +groupName=fleet.example.io

use std::collections::HashMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

#[rustfmt::skip]
mod zz_generated;
pub use zz_generated::*;

/// A namespaced kind with status and scale subresources.
// +genclient
// +genclient:method=GetScale,verb=get,subresource=scale,result=k8s.io/api/autoscaling/v1.Scale
// +genclient:method=UpdateScale,verb=update,subresource=scale,input=k8s.io/api/autoscaling/v1.Scale,result=k8s.io/api/autoscaling/v1.Scale
// +k8s:deepcopy-gen=true
// +k8s:deepcopy-gen:interfaces=Object
#[derive(Debug, Default, PartialEq)]
pub struct Ship {
    pub metadata: ObjectMeta,
    pub spec: ShipSpec,
    pub status: Option<ShipStatus>,
}

// +k8s:deepcopy-gen=true
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShipSpec {
    pub replicas: i32,
    #[serde(default)]
    pub crew: Vec<CrewMember>,
    #[serde(default)]
    pub cargo: HashMap<String, Cargo>,
}

// +k8s:deepcopy-gen=true
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShipStatus {
    pub replicas: i32,
    /// Latitude and longitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<(f64, f64)>,
}

// +k8s:deepcopy-gen=true
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CrewMember {
    pub name: String,
    pub role: String,
}

// +k8s:deepcopy-gen=true
#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Cargo {
    Containers { count: u32 },
    Bulk(String),
    Empty,
}

/// A cluster-scoped, read-only kind.
// +genclient
// +genclient:nonNamespaced
// +genclient:readonly
// +k8s:deepcopy-gen=true
#[derive(Debug, Default, PartialEq)]
pub struct Harbor {
    pub metadata: ObjectMeta,
    pub spec: HarborSpec,
    pub status: Option<HarborStatus>,
}

// +k8s:deepcopy-gen=true
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HarborSpec {
    pub berths: u16,
}

// +k8s:deepcopy-gen=true
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HarborStatus {
    pub occupied: u16,
}

/// Not deep-copied: no marker and no package opt-in, so it keeps its derived `Clone`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Voyage {
    pub from: String,
    pub to: String,
}
