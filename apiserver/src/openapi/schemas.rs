//! The schemas both documents publish: each kind's, its list's, and the apimachinery types
//! they refer to (`ObjectMeta`, `ListMeta`, `Patch`), written here in the subset of their
//! upstream form that explain and clients read.

use serde_json::{Map, Value, json};

use super::{definition_name, list_name};
use crate::definition::ResourceDefinition;

/// Where references point, and how a reference with a description is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Style {
    /// Swagger 2.0: `#/definitions/<name>`, description beside the `$ref`.
    V2,
    /// OpenAPI 3.0: `#/components/schemas/<name>`, the `$ref` wrapped in `allOf`.
    V3,
}

pub(crate) const OBJECT_META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
pub(crate) const LIST_META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";
pub(crate) const PATCH: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";

const API_VERSION_DOC: &str = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
const KIND_DOC: &str = "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";
const METADATA_DOC: &str = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

impl Style {
    pub(crate) fn reference(self, name: &str) -> Value {
        match self {
            Style::V2 => json!({"$ref": format!("#/definitions/{name}")}),
            Style::V3 => json!({"$ref": format!("#/components/schemas/{name}")}),
        }
    }

    /// A reference that also says what the field is.
    fn described_reference(self, name: &str, description: &str) -> Value {
        match self {
            Style::V2 => {
                let mut r = self.reference(name);
                r["description"] = json!(description);
                r
            }
            Style::V3 => json!({
                "allOf": [self.reference(name)],
                "default": {},
                "description": description,
            }),
        }
    }
}

fn gvk(def: &ResourceDefinition, kind: &str) -> Value {
    json!([{"group": def.group, "kind": kind, "version": def.version}])
}

/// The kind's schema: its own (or a permissive one) with `apiVersion`, `kind` and `metadata`.
pub(crate) fn kind_schema(def: &ResourceDefinition, style: Style) -> Value {
    let mut schema = match &def.schema {
        Some(Value::Object(schema)) => schema.clone(),
        _ => {
            let mut permissive = Map::new();
            permissive.insert("type".to_owned(), json!("object"));
            permissive.insert(
                "x-kubernetes-preserve-unknown-fields".to_owned(),
                json!(true),
            );
            permissive
        }
    };
    let properties = schema.entry("properties").or_insert_with(|| json!({}));
    if let Value::Object(properties) = properties {
        properties.insert(
            "apiVersion".to_owned(),
            json!({"type": "string", "description": API_VERSION_DOC}),
        );
        properties.insert(
            "kind".to_owned(),
            json!({"type": "string", "description": KIND_DOC}),
        );
        // What a CRD may say about metadata (name constraints) is ObjectMeta's business here.
        properties.insert(
            "metadata".to_owned(),
            style.described_reference(OBJECT_META, METADATA_DOC),
        );
    }
    schema.insert(
        "x-kubernetes-group-version-kind".to_owned(),
        gvk(def, &def.kind),
    );
    Value::Object(schema)
}

/// The kind's list schema.
pub(crate) fn list_schema(def: &ResourceDefinition, style: Style) -> Value {
    json!({
        "description": format!("{}List is a list of {}", def.kind, def.kind),
        "type": "object",
        "required": ["items"],
        "properties": {
            "apiVersion": {"type": "string", "description": API_VERSION_DOC},
            "kind": {"type": "string", "description": KIND_DOC},
            "items": {
                "type": "array",
                "description": format!("List of {}.", def.plural),
                "items": style.reference(&definition_name(def)),
            },
            "metadata": style.described_reference(LIST_META, "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds"),
        },
        "x-kubernetes-group-version-kind": gvk(def, &format!("{}List", def.kind)),
    })
}

/// Every schema a document with these kinds holds, by name.
pub(crate) fn all(defs: &[&ResourceDefinition], style: Style) -> Map<String, Value> {
    let mut out = Map::new();
    for def in defs {
        out.insert(definition_name(def), kind_schema(def, style));
        out.insert(list_name(def), list_schema(def, style));
    }
    out.insert(OBJECT_META.to_owned(), object_meta());
    out.insert(LIST_META.to_owned(), list_meta());
    out.insert(
        PATCH.to_owned(),
        json!({
            "description": "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.",
            "type": "object",
        }),
    );
    out
}

fn string(description: &str) -> Value {
    json!({"type": "string", "description": description})
}

fn string_map(description: &str) -> Value {
    json!({"type": "object", "additionalProperties": {"type": "string", "default": ""}, "description": description})
}

/// `ObjectMeta`, its fields inline (no further references).
fn object_meta() -> Value {
    json!({
        "description": "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
        "type": "object",
        "properties": {
            "name": string("Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated."),
            "generateName": string("GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided."),
            "namespace": string("Namespace defines the space within which each name must be unique. An empty namespace is equivalent to the \"default\" namespace, but \"default\" is the canonical representation. Not all objects are required to be scoped to a namespace - the value of this field for those objects will be empty."),
            "uid": string("UID is the unique in time and space value for this object. It is typically generated by the server on successful creation of a resource and is not allowed to change on PUT operations."),
            "resourceVersion": string("An opaque value that represents the internal version of this object that can be used by clients to determine when objects have changed."),
            "generation": {"type": "integer", "format": "int64", "description": "A sequence number representing a specific generation of the desired state. Populated by the system. Read-only."},
            "creationTimestamp": {"type": "string", "format": "date-time", "description": "CreationTimestamp is a timestamp representing the server time when this object was created."},
            "deletionTimestamp": {"type": "string", "format": "date-time", "description": "DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted."},
            "deletionGracePeriodSeconds": {"type": "integer", "format": "int64", "description": "Number of seconds allowed for this object to gracefully terminate before it will be removed from the system."},
            "labels": string_map("Map of string keys and values that can be used to organize and categorize (scope and select) objects."),
            "annotations": string_map("Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata."),
            "finalizers": {"type": "array", "items": {"type": "string", "default": ""}, "x-kubernetes-list-type": "set", "description": "Must be empty before the object is deleted from the registry. Each entry is an identifier for the responsible component that will remove the entry from the list."},
            "ownerReferences": {
                "type": "array",
                "description": "List of objects depended by this object.",
                "x-kubernetes-list-type": "map",
                "x-kubernetes-list-map-keys": ["uid"],
                "items": {
                    "type": "object",
                    "description": "OwnerReference contains enough information to let you identify an owning object.",
                    "required": ["apiVersion", "kind", "name", "uid"],
                    "properties": {
                        "apiVersion": string("API version of the referent."),
                        "kind": string("Kind of the referent."),
                        "name": string("Name of the referent."),
                        "uid": string("UID of the referent."),
                        "controller": {"type": "boolean", "description": "If true, this reference points to the managing controller."},
                        "blockOwnerDeletion": {"type": "boolean", "description": "If true, AND if the owner has the \"foregroundDeletion\" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed."},
                    },
                    "x-kubernetes-map-type": "atomic",
                },
            },
            "managedFields": {
                "type": "array",
                "description": "ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow.",
                "items": {
                    "type": "object",
                    "description": "ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource that the fieldset applies to.",
                    "properties": {
                        "manager": string("Manager is an identifier of the workflow managing these fields."),
                        "operation": string("Operation is the type of operation which lead to this ManagedFieldsEntry being created. The only valid values for this field are 'Apply' and 'Update'."),
                        "apiVersion": string("APIVersion defines the version of this resource that this field set applies to."),
                        "time": {"type": "string", "format": "date-time", "description": "Time is the timestamp of when the ManagedFields entry was added."},
                        "fieldsType": string("FieldsType is the discriminator for the different fields format and version. There is currently only one possible value: \"FieldsV1\""),
                        "fieldsV1": {"type": "object", "x-kubernetes-preserve-unknown-fields": true, "description": "FieldsV1 holds the first JSON version format as described in the \"FieldsV1\" type."},
                        "subresource": string("Subresource is the name of the subresource used to update that object, or empty string if the object was updated through the main resource."),
                    },
                },
            },
        },
    })
}

fn list_meta() -> Value {
    json!({
        "description": "ListMeta describes metadata that synthetic resources must have, including lists and various status objects.",
        "type": "object",
        "properties": {
            "resourceVersion": string("String that identifies the server's internal version of this object that can be used by clients to determine when objects have changed."),
            "continue": string("continue may be set if the user set a limit on the number of items returned, and indicates that the server has more data available."),
            "remainingItemCount": {"type": "integer", "format": "int64", "description": "remainingItemCount is the number of subsequent items in the list which are not included in this list response."},
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_get_type_meta_and_a_reference_to_object_meta() {
        let def = ResourceDefinition::new("example.io", "v1", "Widget", "widgets").with_schema(
            json!({"type": "object", "properties": {"spec": {"type": "object"}, "metadata": {"type": "object", "properties": {"name": {"type": "string", "maxLength": 5}}}}}),
        );
        let v3 = kind_schema(&def, Style::V3);
        assert_eq!(v3["properties"]["spec"], json!({"type": "object"}));
        assert_eq!(
            v3["properties"]["metadata"]["allOf"][0]["$ref"],
            "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
        );
        assert_eq!(v3["properties"]["kind"]["type"], "string");
        assert_eq!(
            v3["x-kubernetes-group-version-kind"],
            json!([{"group": "example.io", "kind": "Widget", "version": "v1"}])
        );
        let v2 = kind_schema(&def, Style::V2);
        assert_eq!(
            v2["properties"]["metadata"]["$ref"],
            "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
        );
        let schemaless = ResourceDefinition::new("example.io", "v1", "Plain", "plains");
        let permissive = kind_schema(&schemaless, Style::V3);
        assert_eq!(permissive["x-kubernetes-preserve-unknown-fields"], true);
        assert_eq!(permissive["type"], "object");
    }
}
