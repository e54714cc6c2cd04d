//! A node of an `openAPIV3Schema`, as `apiextensions.k8s.io/v1` spells it.
//!
//! Fields are declared in the alphabetical order of their JSON names, and properties are kept
//! in a sorted map, so serialized schemas come out in the order controller-gen writes them and
//! do not depend on declaration order.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// One schema node. Only what structural CRD schemas allow is representable.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_properties: Option<Box<Schema>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<Schema>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(rename = "enum", skip_serializing_if = "Vec::is_empty")]
    pub enum_values: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusive_maximum: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusive_minimum: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<Schema>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_properties: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<serde_json::Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_properties: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<serde_json::Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multiple_of: Option<serde_json::Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nullable: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, Schema>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
    #[serde(
        rename = "x-kubernetes-embedded-resource",
        skip_serializing_if = "Option::is_none"
    )]
    pub embedded_resource: Option<bool>,
    #[serde(
        rename = "x-kubernetes-int-or-string",
        skip_serializing_if = "Option::is_none"
    )]
    pub int_or_string: Option<bool>,
    #[serde(
        rename = "x-kubernetes-list-map-keys",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub list_map_keys: Vec<String>,
    #[serde(
        rename = "x-kubernetes-list-type",
        skip_serializing_if = "Option::is_none"
    )]
    pub list_type: Option<String>,
    #[serde(
        rename = "x-kubernetes-map-type",
        skip_serializing_if = "Option::is_none"
    )]
    pub map_type: Option<String>,
    #[serde(
        rename = "x-kubernetes-preserve-unknown-fields",
        skip_serializing_if = "Option::is_none"
    )]
    pub preserve_unknown_fields: Option<bool>,
    #[serde(
        rename = "x-kubernetes-validations",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub validations: Vec<ValidationRule>,
}

/// One CEL rule of `x-kubernetes-validations` (`+kubebuilder:validation:XValidation`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidationRule {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_expression: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub rule: String,
}

impl Schema {
    /// A node of one `type` (`string`, `integer`, `number`, `boolean`, `array`, `object`).
    pub fn typed(type_: &str) -> Schema {
        Schema {
            type_: Some(type_.to_owned()),
            ..Schema::default()
        }
    }

    /// `x-kubernetes-preserve-unknown-fields: true` and nothing else: any JSON value, kept as
    /// sent.
    pub fn any() -> Schema {
        Schema {
            preserve_unknown_fields: Some(true),
            ..Schema::default()
        }
    }

    /// An integer or a string (`IntOrString`, `Quantity`), the way Kubernetes spells it.
    pub fn int_or_string() -> Schema {
        Schema {
            any_of: vec![Schema::typed("integer"), Schema::typed("string")],
            int_or_string: Some(true),
            ..Schema::default()
        }
    }

    /// An array of `items`.
    pub fn array(items: Schema) -> Schema {
        Schema {
            items: Some(Box::new(items)),
            ..Schema::typed("array")
        }
    }

    /// An object whose keys are free and whose values are `values`.
    pub fn map(values: Schema) -> Schema {
        Schema {
            additional_properties: Some(Box::new(values)),
            ..Schema::typed("object")
        }
    }

    pub fn is_type(&self, type_: &str) -> bool {
        self.type_.as_deref() == Some(type_)
    }

    /// What the node holds, for messages (`an integer`, `an int-or-string`, `any value`).
    pub fn describe(&self) -> &'static str {
        if self.int_or_string == Some(true) {
            return "an int-or-string";
        }
        match self.type_.as_deref() {
            Some("string") => "a string",
            Some("integer") => "an integer",
            Some("number") => "a number",
            Some("boolean") => "a boolean",
            Some("array") => "an array",
            Some("object") => "an object",
            _ => "any value",
        }
    }

    /// Whether `value` has this node's JSON type (nodes without one take anything).
    pub fn admits_type(&self, value: &Value) -> bool {
        if value.is_null() {
            return self.nullable == Some(true);
        }
        if self.int_or_string == Some(true) {
            return value.is_i64() || value.is_u64() || value.is_string();
        }
        match self.type_.as_deref() {
            Some("string") => value.is_string(),
            Some("integer") => value.is_i64() || value.is_u64(),
            Some("number") => value.is_number(),
            Some("boolean") => value.is_boolean(),
            Some("array") => value.is_array(),
            Some("object") => value.is_object(),
            _ => true,
        }
    }

    /// Whether the node is a scalar (what `x-kubernetes-list-type: set` items must be).
    pub fn is_scalar(&self) -> bool {
        self.int_or_string == Some(true)
            || matches!(
                self.type_.as_deref(),
                Some("string" | "integer" | "number" | "boolean")
            )
    }

    /// The node a simple JSON path (`.spec.replicas`) reaches through properties.
    pub fn at_path(&self, path: &str) -> Option<&Schema> {
        let rest = path.strip_prefix('.')?;
        let mut node = self;
        for part in rest.split('.') {
            node = node.properties.get(part)?;
        }
        Some(node)
    }
}
