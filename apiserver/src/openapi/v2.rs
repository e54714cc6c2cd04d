//! `/openapi/v2`: one Swagger 2.0 document of every served kind.

use serde_json::{Map, Value, json};

use super::schemas::{self, Style};
use super::{PATCH_TYPES, PathKind, definition_name, list_name, operation_id};
use crate::definition::ResourceDefinition;
use crate::handlers::discovery::KUBERNETES_VERSION;
use crate::registry::Kinds;

/// The whole document.
pub(crate) fn document(kinds: &Kinds) -> Value {
    let defs: Vec<&ResourceDefinition> = kinds.all().iter().collect();
    let mut paths = Map::new();
    for def in &defs {
        for (path, kind) in super::paths(def) {
            paths.insert(path, path_item(def, kind));
        }
    }
    let (major, minor) = KUBERNETES_VERSION;
    json!({
        "swagger": "2.0",
        "info": {"title": "Kubernetes", "version": format!("v{major}.{minor}.0")},
        "paths": paths,
        "definitions": schemas::all(&defs, Style::V2),
    })
}

fn parameter(name: &str, location: &str, description: &str) -> Value {
    json!({
        "name": name,
        "in": location,
        "description": description,
        "required": location == "path",
        "type": "string",
        "uniqueItems": true,
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
        let returned = if *returns_list {
            list_name(def)
        } else {
            definition_name(def)
        };
        let mut op = json!({
            "operationId": operation_id(def, action, kind),
            "tags": [def.api_version()],
            "produces": ["application/json", "application/yaml"],
            "schemes": ["https"],
            "responses": {"200": {"description": "OK", "schema": Style::V2.reference(&returned)}},
            "x-kubernetes-action": action,
            "x-kubernetes-group-version-kind": {"group": def.group, "kind": def.kind, "version": def.version},
        });
        let mut params = Vec::new();
        if matches!(*method, "post" | "put" | "patch") {
            params.push(parameter(
                "dryRun",
                "query",
                "When present, indicates that modifications should not be persisted.",
            ));
            params.push(parameter("fieldManager", "query", "fieldManager is a name associated with the actor or entity that is making these changes."));
            params.push(parameter("fieldValidation", "query", "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields: Ignore, Warn or Strict."));
        }
        match *method {
            "post" | "put" => {
                op["consumes"] = json!(["*/*"]);
                params.push(json!({"name": "body", "in": "body", "required": true, "schema": Style::V2.reference(&definition_name(def))}));
            }
            "patch" => {
                op["consumes"] = json!(PATCH_TYPES);
                params.push(parameter(
                    "force",
                    "query",
                    "Force is going to \"force\" Apply requests.",
                ));
                params.push(json!({"name": "body", "in": "body", "required": true, "schema": Style::V2.reference(schemas::PATCH)}));
            }
            _ => {}
        }
        if !params.is_empty() {
            op["parameters"] = Value::Array(params);
        }
        item.insert((*method).to_owned(), op);
    }
    item.insert("parameters".to_owned(), Value::Array(parameters));
    Value::Object(item)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_are_keyed_like_upstream() {
        let mut kinds = Kinds::with_builtins();
        kinds.register(
            ResourceDefinition::new("widgets.example.io", "v1", "Widget", "widgets")
                .cluster_scoped(),
        );
        let doc = document(&kinds);
        assert_eq!(doc["swagger"], "2.0");
        let widget = &doc["definitions"]["io.example.widgets.v1.Widget"];
        assert_eq!(
            widget["x-kubernetes-group-version-kind"],
            json!([{"group": "widgets.example.io", "kind": "Widget", "version": "v1"}])
        );
        assert_eq!(widget["x-kubernetes-preserve-unknown-fields"], true);
        assert!(doc["paths"]["/apis/widgets.example.io/v1/widgets/{name}"]["patch"].is_object());
        assert!(doc["definitions"]["io.k8s.api.core.v1.Namespace"].is_object());
    }
}
