//! `/openapi/v3`: the index of group-version documents, and each OpenAPI 3.0 document.

use serde_json::{Map, Value, json};

use super::schemas::{self, Style};
use super::{PATCH_TYPES, PathKind, content_hash, definition_name, list_name, operation_id};
use crate::definition::ResourceDefinition;
use crate::handlers::discovery::KUBERNETES_VERSION;
use crate::registry::Kinds;

/// The index path of a group-version: `api/v1`, `apis/<group>/<version>`.
fn gv_path(group: &str, version: &str) -> String {
    if group.is_empty() {
        format!("api/{version}")
    } else {
        format!("apis/{group}/{version}")
    }
}

/// `/openapi/v3`: `{"paths": {"apis/<g>/<v>": {"serverRelativeURL": "...?hash=..."}}}`.
pub(crate) fn index(kinds: &Kinds) -> Value {
    let mut paths = Map::new();
    for def in kinds.all() {
        let path = gv_path(&def.group, &def.version);
        if paths.contains_key(&path) {
            continue;
        }
        let hash = document(kinds, &path)
            .and_then(|d| serde_json::to_vec(&d).ok())
            .map(|bytes| content_hash(&bytes))
            .unwrap_or_default();
        paths.insert(
            path.clone(),
            json!({"serverRelativeURL": format!("/openapi/v3/{path}?hash={hash}")}),
        );
    }
    json!({"paths": paths})
}

/// `/openapi/v3/<path>` (`apis/<g>/<v>` or `api/v1`); `None` when nothing is served there.
pub(crate) fn document(kinds: &Kinds, path: &str) -> Option<Value> {
    let defs: Vec<&ResourceDefinition> = kinds
        .all()
        .iter()
        .filter(|d| gv_path(&d.group, &d.version) == path)
        .collect();
    if defs.is_empty() {
        return None;
    }
    let mut paths = Map::new();
    for def in &defs {
        for (path, kind) in super::paths(def) {
            paths.insert(path, path_item(def, kind));
        }
    }
    let (major, minor) = KUBERNETES_VERSION;
    Some(json!({
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": format!("v{major}.{minor}.0")},
        "paths": paths,
        "components": {"schemas": schemas::all(&defs, Style::V3)},
    }))
}

fn parameter(name: &str, location: &str, description: &str) -> Value {
    json!({
        "name": name,
        "in": location,
        "description": description,
        "required": location == "path",
        "schema": {"type": "string", "uniqueItems": true},
    })
}

fn path_item(def: &ResourceDefinition, kind: PathKind) -> Value {
    let mut item = Map::new();
    let mut parameters = Vec::new();
    if kind == PathKind::Object {
        parameters.push(parameter(
            "name",
            "path",
            &format!("name of the {}", def.kind),
        ));
    }
    if def.namespaced && kind != PathKind::AllNamespaces {
        parameters.push(parameter(
            "namespace",
            "path",
            "object name and auth scope, such as for teams and projects",
        ));
    }
    for (method, action, returns_list) in super::operations(kind) {
        item.insert(
            (*method).to_owned(),
            operation(def, method, action, kind, *returns_list),
        );
    }
    item.insert("parameters".to_owned(), Value::Array(parameters));
    Value::Object(item)
}

fn operation(
    def: &ResourceDefinition,
    method: &str,
    action: &str,
    kind: PathKind,
    returns_list: bool,
) -> Value {
    let returned = if returns_list {
        list_name(def)
    } else {
        definition_name(def)
    };
    let content = json!({
        "application/json": {"schema": Style::V3.reference(&returned)},
        "application/yaml": {"schema": Style::V3.reference(&returned)},
    });
    let mut op = json!({
        "operationId": operation_id(def, action, kind),
        "tags": [def.api_version()],
        "responses": {"200": {"description": "OK", "content": content}},
        "x-kubernetes-action": action,
        "x-kubernetes-group-version-kind": {"group": def.group, "kind": def.kind, "version": def.version},
    });
    let mut query = Vec::new();
    if matches!(method, "post" | "put" | "patch") {
        query.push(parameter(
            "dryRun",
            "query",
            "When present, indicates that modifications should not be persisted.",
        ));
        query.push(parameter("fieldManager", "query", "fieldManager is a name associated with the actor or entity that is making these changes."));
        query.push(parameter("fieldValidation", "query", "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields: Ignore, Warn or Strict."));
    }
    match method {
        "post" | "put" => {
            op["requestBody"] = json!({
                "content": {"*/*": {"schema": Style::V3.reference(&definition_name(def))}},
                "required": true,
            });
        }
        "patch" => {
            query.push(parameter(
                "force",
                "query",
                "Force is going to \"force\" Apply requests.",
            ));
            let types: Map<String, Value> = PATCH_TYPES
                .iter()
                .map(|t| {
                    (
                        (*t).to_owned(),
                        json!({"schema": Style::V3.reference(schemas::PATCH)}),
                    )
                })
                .collect();
            op["requestBody"] = json!({"content": types, "required": true});
        }
        _ => {}
    }
    if !query.is_empty() {
        op["parameters"] = Value::Array(query);
    }
    op
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds() -> Kinds {
        let mut kinds = Kinds::with_builtins();
        kinds.register(
            ResourceDefinition::new("example.io", "v1", "Widget", "widgets")
                .with_schema(json!({"type": "object", "properties": {"spec": {"type": "object", "description": "the spec"}}})),
        );
        kinds
    }

    #[test]
    fn the_index_lists_every_group_version_with_a_hash() {
        let index = index(&kinds());
        let url = index["paths"]["apis/example.io/v1"]["serverRelativeURL"]
            .as_str()
            .unwrap_or("");
        assert!(
            url.starts_with("/openapi/v3/apis/example.io/v1?hash="),
            "{url}"
        );
        assert!(url.len() > "/openapi/v3/apis/example.io/v1?hash=".len());
        assert!(index["paths"]["api/v1"].is_object());
        assert!(index["paths"]["apis/apiextensions.k8s.io/v1"].is_object());
    }

    #[test]
    fn documents_hold_paths_and_schemas() {
        let doc = document(&kinds(), "apis/example.io/v1").unwrap_or_default();
        let schema = &doc["components"]["schemas"]["io.example.v1.Widget"];
        assert_eq!(schema["properties"]["spec"]["description"], "the spec");
        let patch =
            &doc["paths"]["/apis/example.io/v1/namespaces/{namespace}/widgets/{name}"]["patch"];
        assert_eq!(
            patch["x-kubernetes-group-version-kind"],
            json!({"group": "example.io", "kind": "Widget", "version": "v1"})
        );
        assert!(
            patch["parameters"]
                .as_array()
                .is_some_and(|p| p.iter().any(|p| p["name"] == "fieldValidation"))
        );
        assert!(
            patch["requestBody"]["content"]["application/strategic-merge-patch+json"].is_null()
        );
        assert!(doc["components"]["schemas"][schemas::OBJECT_META].is_object());
        assert!(document(&kinds(), "apis/nope/v1").is_none());
    }
}
