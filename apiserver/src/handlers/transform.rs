//! The representation a read answers with, from the negotiated output: the object itself,
//! a `Table`, or `PartialObjectMetadata(List)` (kube-apiserver's `transformResponseObject`).

use serde_json::{Map, Value, json};

use super::table::{self, Include};
use crate::request::{Call, Output};

fn include(call: &Call) -> Include {
    Include::from_param(call.param("includeObject"))
}

/// One object (a get, or a watch event's object).
pub(crate) fn object(call: &Call, obj: Value) -> Value {
    match call.output {
        Output::Table(version) => {
            let mut metadata = Map::new();
            metadata.insert(
                "resourceVersion".to_owned(),
                obj.pointer("/metadata/resourceVersion")
                    .cloned()
                    .unwrap_or_else(|| json!("")),
            );
            table::table(&call.def, version, &[obj], metadata, include(call))
        }
        Output::PartialObjectMetadata(version) | Output::PartialObjectMetadataList(version) => {
            table::partial(&obj, version)
        }
        Output::Json | Output::Yaml | Output::Protobuf => obj,
    }
}

/// A list of objects with its list metadata.
pub(crate) fn list(call: &Call, items: Vec<Value>, metadata: Map<String, Value>) -> Value {
    match call.output {
        Output::Table(version) => table::table(&call.def, version, &items, metadata, include(call)),
        Output::PartialObjectMetadataList(version) | Output::PartialObjectMetadata(version) => {
            json!({
                "apiVersion": version.api_version(),
                "kind": "PartialObjectMetadataList",
                "metadata": metadata,
                "items": items.iter().map(|o| table::partial(o, version)).collect::<Vec<_>>(),
            })
        }
        Output::Json | Output::Yaml | Output::Protobuf => json!({
            "apiVersion": call.def.api_version(),
            "kind": format!("{}List", call.def.kind),
            "metadata": metadata,
            "items": items,
        }),
    }
}

/// A watch bookmark: metadata only when metadata was asked for, else as the kind (a Table
/// watch's bookmarks are not tables upstream either).
pub(crate) fn bookmark(call: &Call, obj: Value) -> Value {
    match call.output {
        Output::PartialObjectMetadata(version) | Output::PartialObjectMetadataList(version) => {
            table::partial(&obj, version)
        }
        _ => obj,
    }
}
