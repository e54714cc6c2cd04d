//! `metadata.managedFields`: reading and writing its entries, and recording what a non-apply
//! write (create, update, merge or JSON patch) changed as the writer's `operation: Update`
//! entry, as kube-apiserver's field manager does.

use serde_json::{Value, json};

use super::fieldset::{self, Comparison, FieldSet};
use crate::meta;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Operation {
    Apply,
    Update,
}

impl Operation {
    fn as_str(self) -> &'static str {
        match self {
            Operation::Apply => "Apply",
            Operation::Update => "Update",
        }
    }
}

/// One `managedFields` entry.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entry {
    pub manager: String,
    pub operation: Operation,
    pub api_version: String,
    pub subresource: String,
    pub time: Option<String>,
    pub fields: FieldSet,
}

impl Entry {
    /// kube-apiserver tells managers apart by name, operation and subresource, and update
    /// managers also by API version (an applier keeps one entry across versions).
    fn same_manager(&self, other: &Entry) -> bool {
        self.manager == other.manager
            && self.operation == other.operation
            && self.subresource == other.subresource
            && (self.operation == Operation::Apply || self.api_version == other.api_version)
    }

    /// How a conflict names this manager, as upstream's `printManager` does:
    /// `"alice"`, `"kubectl-patch" using widgets.example.io/v1`, `"m" with subresource "status"`.
    pub(crate) fn describe(&self) -> String {
        let mut out = Value::String(self.manager.clone()).to_string();
        if !self.subresource.is_empty() {
            out.push_str(&format!(
                " with subresource {}",
                Value::String(self.subresource.clone())
            ));
        }
        if self.operation == Operation::Update {
            out.push_str(&format!(" using {}", self.api_version));
        }
        out
    }

    fn to_json(&self) -> Value {
        let mut entry = json!({
            "manager": self.manager,
            "operation": self.operation.as_str(),
            "apiVersion": self.api_version,
            "fieldsType": "FieldsV1",
            "fieldsV1": fieldset::encode(&self.fields),
        });
        if let Some(time) = &self.time {
            entry["time"] = json!(time);
        }
        if !self.subresource.is_empty() {
            entry["subresource"] = json!(self.subresource);
        }
        if self.manager.is_empty() {
            // Upstream omits an empty manager (no fieldManager and no User-Agent).
            if let Value::Object(map) = &mut entry {
                map.remove("manager");
            }
        }
        entry
    }
}

/// Who a non-apply write is recorded as.
#[derive(Clone, Debug)]
pub(crate) struct Writer {
    pub manager: String,
    pub api_version: String,
    pub subresource: String,
}

fn decode_entry(raw: &Value) -> Option<Entry> {
    let text = |key: &str| raw.get(key).and_then(Value::as_str).unwrap_or("");
    let operation = match text("operation") {
        "Apply" => Operation::Apply,
        "Update" => Operation::Update,
        _ => return None,
    };
    Some(Entry {
        manager: text("manager").to_owned(),
        operation,
        api_version: text("apiVersion").to_owned(),
        subresource: text("subresource").to_owned(),
        time: raw.get("time").and_then(Value::as_str).map(str::to_owned),
        fields: raw
            .get("fieldsV1")
            .map(fieldset::decode)
            .unwrap_or_default(),
    })
}

/// Entries of a `managedFields` list; entries for the same manager are merged.
pub(crate) fn decode_list(list: &Value) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for entry in list
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(decode_entry)
    {
        match out.iter_mut().find(|e| e.same_manager(&entry)) {
            Some(existing) => existing.fields.extend(entry.fields),
            None => out.push(entry),
        }
    }
    out
}

pub(crate) fn decode(obj: &Value) -> Vec<Entry> {
    obj.pointer("/metadata/managedFields")
        .map(decode_list)
        .unwrap_or_default()
}

/// Writes `entries` as `metadata.managedFields` in kube-apiserver's order (operation, time,
/// manager, apiVersion, subresource), dropping entries that own nothing.
pub(crate) fn encode(obj: &mut Value, mut entries: Vec<Entry>) {
    entries.retain(|e| !e.fields.is_empty());
    entries.sort_by(|p, q| {
        (
            p.operation,
            &p.time,
            &p.manager,
            &p.api_version,
            &p.subresource,
        )
            .cmp(&(
                q.operation,
                &q.time,
                &q.manager,
                &q.api_version,
                &q.subresource,
            ))
    });
    if entries.is_empty() {
        meta::remove_meta(obj, "managedFields");
    } else {
        let list = entries.iter().map(Entry::to_json).collect();
        meta::set_meta(obj, "managedFields", Value::Array(list));
    }
}

/// Managers lose what a write changed or removed: it is the writer's now (or nobody's).
pub(crate) fn take_over(entries: &mut [Entry], cmp: &Comparison) {
    let changed = cmp.changed();
    for entry in entries.iter_mut() {
        entry
            .fields
            .retain(|p| !changed.contains(p) && !cmp.removed.contains(p));
    }
}

/// A list the client sent to clear managedFields: `[]` or `[{}]`.
pub(crate) fn is_reset(list: &Value) -> bool {
    match list.as_array().map(Vec::as_slice) {
        Some([]) => true,
        Some([only]) => only.as_object().is_some_and(|m| m.is_empty()),
        _ => false,
    }
}

/// Sets `new`'s managedFields after a non-apply write replacing `old` (nothing, for a
/// create). The base is what the client sent, when it sent a usable list on the main
/// resource (clients may edit managedFields directly), else the live object's (so clients
/// that do not know the field cannot drop it). The writer takes over what it changed, under
/// its `Update` entry, whose time is renewed only then.
pub(crate) fn record_update(
    old: Option<&Value>,
    new: &mut Value,
    sent: Option<&Value>,
    writer: &Writer,
) {
    let live = || old.map(decode).unwrap_or_default();
    let mut entries = match sent {
        _ if !writer.subresource.is_empty() => live(),
        Some(list) if is_reset(list) => Vec::new(),
        Some(list) => match decode_list(list) {
            sent if sent.is_empty() => live(),
            sent => sent,
        },
        None => live(),
    };
    let empty = json!({});
    let cmp = fieldset::compare(old.unwrap_or(&empty), new);
    take_over(&mut entries, &cmp);
    let taken = cmp.changed();
    if !taken.is_empty() {
        let mine = Entry {
            manager: writer.manager.clone(),
            operation: Operation::Update,
            api_version: writer.api_version.clone(),
            subresource: writer.subresource.clone(),
            time: Some(meta::now_timestamp()),
            fields: taken,
        };
        match entries.iter_mut().find(|e| e.same_manager(&mine)) {
            Some(existing) => {
                existing.fields.extend(mine.fields);
                existing.time = mine.time;
            }
            None => entries.push(mine),
        }
    }
    encode(new, entries);
}

/// Whether two objects differ only in managedFields timestamps. kube-apiserver then keeps
/// the stored object (no write, no event), whatever the field manager renewed.
pub(crate) fn same_but_times(a: &Value, b: &Value) -> bool {
    let without_times = |obj: &Value| {
        let mut copy = obj.clone();
        if let Some(Value::Array(list)) = copy.pointer_mut("/metadata/managedFields") {
            for entry in list.iter_mut().filter_map(Value::as_object_mut) {
                entry.remove("time");
            }
        }
        copy
    };
    without_times(a) == without_times(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn writer(manager: &str) -> Writer {
        Writer {
            manager: manager.to_owned(),
            api_version: "g/v1".to_owned(),
            subresource: String::new(),
        }
    }

    #[test]
    fn an_update_takes_what_it_changed_from_an_applier() {
        let mut old = json!({"spec": {"a": 1, "b": 2}});
        encode(
            &mut old,
            vec![Entry {
                manager: "applier".to_owned(),
                operation: Operation::Apply,
                api_version: "g/v1".to_owned(),
                subresource: String::new(),
                time: Some("2024-01-01T00:00:00Z".to_owned()),
                fields: fieldset::of_config(&json!({"spec": {"a": 1, "b": 2}})),
            }],
        );
        let mut new = old.clone();
        new["spec"]["a"] = json!(9);
        record_update(Some(&old), &mut new, None, &writer("editor"));
        let entries = decode(&new);
        let owners = |field: &str| -> Vec<String> {
            entries
                .iter()
                .filter(|e| e.fields.iter().any(|p| fieldset::display(p) == field))
                .map(Entry::describe)
                .collect()
        };
        assert_eq!(owners(".spec.a"), vec!["\"editor\" using g/v1"]);
        assert_eq!(owners(".spec.b"), vec!["\"applier\""]);
    }

    #[test]
    fn an_unchanged_write_records_nothing_and_a_reset_clears() {
        let mut created = json!({"spec": {"a": 1}});
        record_update(None, &mut created, None, &writer("maker"));
        assert_eq!(decode(&created).len(), 1);
        assert_eq!(
            created["metadata"]["managedFields"][0]["fieldsV1"],
            json!({"f:spec": {".": {}, "f:a": {}}})
        );
        let mut again = created.clone();
        record_update(Some(&created), &mut again, None, &writer("other"));
        assert_eq!(again, created);
        let mut reset = created.clone();
        record_update(Some(&created), &mut reset, Some(&json!([{}])), &writer("x"));
        assert!(reset.pointer("/metadata/managedFields").is_none());
    }

    #[test]
    fn timestamps_alone_are_no_change() {
        let a = json!({"metadata": {"managedFields": [{"manager": "m", "time": "1"}]}});
        let b = json!({"metadata": {"managedFields": [{"manager": "m", "time": "2"}]}});
        assert!(same_but_times(&a, &b));
        assert!(!same_but_times(&a, &json!({"metadata": {}})));
    }
}
