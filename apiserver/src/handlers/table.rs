//! The `meta.k8s.io` `Table` form of objects, as kube-apiserver's table convertors build it:
//! for custom resources a Name column, then the definition's printer columns (or, without
//! any, an Age column of type `date`, whose cells are timestamps kubectl turns into ages);
//! for built-in kinds their printers' columns, with ages already rendered ("5m").

use serde_json::{Map, Value, json};

use crate::definition::{PrinterColumn, ResourceDefinition};
use crate::meta;
use crate::request::MetaVersion;

const NAME_DESCRIPTION: &str = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
const AGE_DESCRIPTION: &str = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

/// What each row carries besides its cells (`includeObject`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Include {
    /// The object's metadata as `PartialObjectMetadata` (the default).
    Metadata,
    Object,
    None,
}

impl Include {
    pub(crate) fn from_param(value: Option<&str>) -> Self {
        match value {
            Some("Object") => Include::Object,
            Some("None") => Include::None,
            _ => Include::Metadata,
        }
    }
}

/// How one column's cell is computed.
enum Cell {
    Name,
    /// Seconds since creation, rendered as kubectl's `HumanDuration`.
    HumanAge,
    NamespacePhase,
    Path(PrinterColumn),
}

fn column(name: &str, type_: &str, format: &str, description: &str, priority: i32) -> Value {
    json!({"name": name, "type": type_, "format": format, "description": description, "priority": priority})
}

fn columns(def: &ResourceDefinition) -> Vec<(Value, Cell)> {
    let mut out = vec![(
        column("Name", "string", "name", NAME_DESCRIPTION, 0),
        Cell::Name,
    )];
    if def.builtin {
        if def.group.is_empty() && def.plural == "namespaces" {
            out.push((
                column("Status", "string", "", "The status of the namespace", 0),
                Cell::NamespacePhase,
            ));
        }
        out.push((
            column("Age", "string", "", AGE_DESCRIPTION, 0),
            Cell::HumanAge,
        ));
        return out;
    }
    let printer = if def.printer_columns.is_empty() {
        vec![
            PrinterColumn::new("Age", "date", ".metadata.creationTimestamp")
                .with_description(AGE_DESCRIPTION),
        ]
    } else {
        def.printer_columns.clone()
    };
    for c in printer {
        let header = column(&c.name, &c.type_, &c.format, &c.description, c.priority);
        out.push((header, Cell::Path(c)));
    }
    out
}

/// Follows a simple JSON path: `.a.b`, `.a[0].b`, `{.a.b}`.
fn find<'a>(obj: &'a Value, path: &str) -> Option<&'a Value> {
    let path = path.trim().trim_start_matches('{').trim_end_matches('}');
    let mut current = obj;
    for segment in path.split('.').filter(|s| !s.is_empty()) {
        let (field, indexes) = match segment.find('[') {
            Some(i) => (&segment[..i], &segment[i..]),
            None => (segment, ""),
        };
        if !field.is_empty() {
            current = current.get(field)?;
        }
        for index in indexes.split('[').filter(|s| !s.is_empty()) {
            let n: usize = index.trim_end_matches(']').parse().ok()?;
            current = current.get(n)?;
        }
    }
    Some(current)
}

/// A cell as the CRD table convertor makes it from a found value.
fn path_cell(column: &PrinterColumn, obj: &Value) -> Value {
    let Some(value) = find(obj, &column.json_path).filter(|v| !v.is_null()) else {
        return Value::Null;
    };
    match (column.type_.as_str(), value) {
        ("integer", v) => v.as_i64().map(Value::from).unwrap_or(Value::Null),
        ("number", v) => v.as_f64().map(Value::from).unwrap_or(Value::Null),
        ("boolean", Value::Bool(b)) => json!(b),
        ("date", Value::String(s)) => json!(s),
        (_, Value::String(s)) => json!(s),
        (_, other) => json!(other.to_string()),
    }
}

/// kubectl's `duration.HumanDuration`.
pub(crate) fn human_duration(seconds: i64) -> String {
    if seconds < -1 {
        return "<invalid>".to_owned();
    }
    if seconds < 0 {
        return "0s".to_owned();
    }
    if seconds < 120 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = seconds / 3600;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{h}h", hours / 24)
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let days = (hours / 24) % 365;
        return if days == 0 {
            format!("{}y", hours / 24 / 365)
        } else {
            format!("{}y{days}d", hours / 24 / 365)
        };
    }
    format!("{}y", hours / 24 / 365)
}

fn age(obj: &Value) -> Value {
    let created = meta::str_at(obj, "/metadata/creationTimestamp")
        .and_then(|t| t.parse::<jiff::Timestamp>().ok());
    match created {
        Some(t) => json!(human_duration(
            jiff::Timestamp::now().as_second() - t.as_second()
        )),
        None => json!("<unknown>"),
    }
}

/// An object's metadata alone, as `PartialObjectMetadata`.
pub(crate) fn partial(obj: &Value, version: MetaVersion) -> Value {
    json!({
        "apiVersion": version.api_version(),
        "kind": "PartialObjectMetadata",
        "metadata": obj.get("metadata").cloned().unwrap_or_else(|| json!({})),
    })
}

/// The Table of `objects` (as presented to the client), with the list's metadata.
pub(crate) fn table(
    def: &ResourceDefinition,
    version: MetaVersion,
    objects: &[Value],
    metadata: Map<String, Value>,
    include: Include,
) -> Value {
    let columns = columns(def);
    let rows: Vec<Value> = objects
        .iter()
        .map(|obj| {
            let cells: Vec<Value> = columns
                .iter()
                .map(|(_, cell)| match cell {
                    Cell::Name => json!(meta::name(obj)),
                    Cell::HumanAge => age(obj),
                    Cell::NamespacePhase => {
                        obj.pointer("/status/phase").cloned().unwrap_or(Value::Null)
                    }
                    Cell::Path(column) => path_cell(column, obj),
                })
                .collect();
            let mut row = json!({"cells": cells});
            match include {
                Include::Metadata => row["object"] = partial(obj, version),
                Include::Object => row["object"] = obj.clone(),
                Include::None => {}
            }
            row
        })
        .collect();
    json!({
        "apiVersion": version.api_version(),
        "kind": "Table",
        "metadata": metadata,
        "columnDefinitions": columns.into_iter().map(|(c, _)| c).collect::<Vec<_>>(),
        "rows": rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_kubectl_prints_them() {
        assert_eq!(human_duration(5), "5s");
        assert_eq!(human_duration(150), "2m30s");
        assert_eq!(human_duration(600), "10m");
        assert_eq!(human_duration(3 * 3600 + 60), "3h1m");
        assert_eq!(human_duration(50 * 3600), "2d2h");
        assert_eq!(human_duration(-5), "<invalid>");
    }

    #[test]
    fn printer_columns_read_simple_paths() {
        let def = ResourceDefinition::new("g", "v1", "W", "ws")
            .with_printer_column(PrinterColumn::new("Size", "integer", ".spec.size"))
            .with_printer_column(PrinterColumn::new("First", "string", ".spec.items[0].name"));
        let obj = json!({"metadata": {"name": "a"}, "spec": {"size": 3, "items": [{"name": "x"}]}});
        let t = table(&def, MetaVersion::V1, &[obj], Map::new(), Include::None);
        assert_eq!(t["rows"][0]["cells"], json!(["a", 3, "x"]));
        let names: Vec<&str> = t["columnDefinitions"]
            .as_array()
            .map(|c| c.iter().filter_map(|c| c["name"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(names, vec!["Name", "Size", "First"]);
    }
}
