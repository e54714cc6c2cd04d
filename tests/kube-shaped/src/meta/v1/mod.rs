//! The tree's own object metadata, like apimachinery's `meta/v1`: no kinds, deep copies only.
//! Its `ObjectMeta` is not k8s-openapi's, so it is copied by its own generated `Clone`.

// +k8s:deepcopy-gen=package

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::api::resource::Quantity as OpenApiQuantity;

#[rustfmt::skip]
mod zz_generated;

/// Labels and annotations: an alias of a map, copied in place like the map.
pub type StringMap = BTreeMap<String, String>;

#[derive(Debug, Default, PartialEq)]
pub struct ObjectMeta {
    pub name: String,
    pub namespace: Option<String>,
    pub labels: StringMap,
    pub annotations: StringMap,
    pub owner_references: Vec<OwnerReference>,
    pub finalizers: Vec<String>,
    pub creation_timestamp: Option<Time>,
}

#[derive(Debug, Default, PartialEq)]
pub struct OwnerReference {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub uid: String,
    pub controller: Option<bool>,
}

/// A tuple newtype over a foreign type.
#[derive(Debug, PartialEq)]
pub struct Time(pub k8s_openapi::jiff::Timestamp);

/// A tuple newtype over another crate's type, renamed on import.
#[derive(Debug, Default, PartialEq)]
pub struct Quantity(pub OpenApiQuantity);

#[derive(Debug, Default, PartialEq)]
pub struct LabelSelector {
    pub match_labels: Option<StringMap>,
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

#[derive(Debug, Default, PartialEq)]
pub struct LabelSelectorRequirement {
    pub key: String,
    pub operator: LabelSelectorOperator,
    pub values: Vec<String>,
}

#[derive(Debug, Default, PartialEq)]
pub enum LabelSelectorOperator {
    #[default]
    In,
    NotIn,
    Exists,
    DoesNotExist,
}
