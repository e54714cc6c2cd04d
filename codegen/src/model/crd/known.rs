//! Schemas of the types from other crates that API types commonly hold, as Kubernetes
//! publishes them (k8s-openapi mirrors the Kubernetes OpenAPI document) and as their serde
//! writes them.

use super::schema::Schema;

/// The pattern kube-apiserver's OpenAPI gives `resource.Quantity`.
const QUANTITY_PATTERN: &str = r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

/// What an external type's last path segments (`["serde_json", "Value"]`) mean, if known.
/// Containers (`Option`, `Vec`, maps) are handled by the caller, which knows their arguments.
pub fn external(path: &[String]) -> Option<Schema> {
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    let last = *path.last()?;
    let first = *path.first()?;
    let string = |format: Option<&str>| Schema {
        format: format.map(str::to_owned),
        ..Schema::typed("string")
    };
    Some(match (first, last) {
        ("std" | "alloc", "String") => string(None),
        ("serde_json", "Value") => Schema::any(),
        ("serde_json", "Map") => Schema {
            preserve_unknown_fields: Some(true),
            ..Schema::typed("object")
        },
        ("jiff", "Timestamp") | ("chrono", "DateTime") => string(Some("date-time")),
        ("k8s_openapi", _) => return k8s_openapi(&path),
        _ => return None,
    })
}

fn k8s_openapi(path: &[&str]) -> Option<Schema> {
    let meta_v1 = ["k8s_openapi", "apimachinery", "pkg", "apis", "meta", "v1"];
    let last = *path.last()?;
    let in_meta_v1 = path.len() == 7 && path[..6] == meta_v1;
    let string = |format: &str| Schema {
        format: Some(format.to_owned()),
        ..Schema::typed("string")
    };
    Some(match last {
        // Below the root, ObjectMeta is an ordinary object: without this its fields would be
        // pruned (as controller-gen's output prunes them, a common surprise).
        "ObjectMeta" if in_meta_v1 => Schema {
            preserve_unknown_fields: Some(true),
            ..Schema::typed("object")
        },
        "Time" | "MicroTime" if in_meta_v1 => string("date-time"),
        "Quantity" if path.get(3) == Some(&"api") => Schema {
            pattern: Some(QUANTITY_PATTERN.to_owned()),
            ..Schema::int_or_string()
        },
        "IntOrString" => Schema::int_or_string(),
        "ByteString" => string("byte"),
        "Condition" if in_meta_v1 => condition(),
        "LabelSelector" if in_meta_v1 => label_selector(),
        _ => return None,
    })
}

fn property(name: &str, schema: Schema, description: &str) -> (String, Schema) {
    let schema = Schema {
        description: Some(description.to_owned()),
        ..schema
    };
    (name.to_owned(), schema)
}

/// `meta/v1.Condition`, as Kubernetes publishes it.
fn condition() -> Schema {
    let string = Schema::typed("string");
    Schema {
        description: Some("Condition contains details for one aspect of the current state of this API Resource.".to_owned()),
        properties: [
            property("lastTransitionTime", Schema { format: Some("date-time".to_owned()), ..Schema::typed("string") }, "lastTransitionTime is the last time the condition transitioned from one status to another."),
            property("message", Schema { max_length: Some(32768), ..string.clone() }, "message is a human readable message indicating details about the transition."),
            property("observedGeneration", Schema { format: Some("int64".to_owned()), minimum: Some(0.into()), ..Schema::typed("integer") }, "observedGeneration represents the .metadata.generation that the condition was set based upon."),
            property("reason", Schema { max_length: Some(1024), min_length: Some(1), pattern: Some("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$".to_owned()), ..string.clone() }, "reason contains a programmatic identifier indicating the reason for the condition's last transition."),
            property("status", Schema { enum_values: vec!["True".into(), "False".into(), "Unknown".into()], ..string.clone() }, "status of the condition, one of True, False, Unknown."),
            property("type", Schema { max_length: Some(316), pattern: Some(r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$".to_owned()), ..string }, "type of condition in CamelCase or in foo.example.com/CamelCase."),
        ]
        .into_iter()
        .collect(),
        required: ["lastTransitionTime", "message", "reason", "status", "type"]
            .map(str::to_owned)
            .to_vec(),
        ..Schema::typed("object")
    }
}

/// `meta/v1.LabelSelector`, as Kubernetes publishes it.
fn label_selector() -> Schema {
    let string = Schema::typed("string");
    let requirement = Schema {
        description: Some("A label selector requirement is a selector that contains values, a key, and an operator that relates the key and values.".to_owned()),
        properties: [
            property("key", string.clone(), "key is the label key that the selector applies to."),
            property("operator", string.clone(), "operator represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists and DoesNotExist."),
            property("values", Schema { list_type: Some("atomic".to_owned()), ..Schema::array(string.clone()) }, "values is an array of string values."),
        ]
        .into_iter()
        .collect(),
        required: vec!["key".to_owned(), "operator".to_owned()],
        ..Schema::typed("object")
    };
    Schema {
        description: Some("A label selector is a label query over a set of resources.".to_owned()),
        properties: [
            property("matchExpressions", Schema { list_type: Some("atomic".to_owned()), ..Schema::array(requirement) }, "matchExpressions is a list of label selector requirements. The requirements are ANDed."),
            property("matchLabels", Schema::map(string), "matchLabels is a map of {key,value} pairs."),
        ]
        .into_iter()
        .collect(),
        map_type: Some("atomic".to_owned()),
        ..Schema::typed("object")
    }
}

/// The description kube-apiserver gives every kind's `apiVersion`.
pub const API_VERSION_DESCRIPTION: &str = "APIVersion defines the versioned schema of this representation of an object.\nServers should convert recognized schemas to the latest internal value, and\nmay reject unrecognized values.\nMore info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";

/// The description kube-apiserver gives every kind's `kind`.
pub const KIND_DESCRIPTION: &str = "Kind is a string value representing the REST resource this object represents.\nServers may infer this from the endpoint the client submits requests to.\nCannot be updated.\nIn CamelCase.\nMore info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";
