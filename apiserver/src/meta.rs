//! Reading and writing objects held as JSON (their `metadata`, and fields by dotted path), plus
//! the server-generated values (uids, timestamps, generated names). Every layer uses these;
//! they depend on nothing else in the crate.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Map, Value};

/// Annotation kcp puts on every object, naming its logical cluster.
pub const CLUSTER_ANNOTATION: &str = "kcp.io/cluster";

pub(crate) fn str_at<'a>(obj: &'a Value, pointer: &str) -> Option<&'a str> {
    obj.pointer(pointer).and_then(Value::as_str)
}

pub(crate) fn name(obj: &Value) -> &str {
    str_at(obj, "/metadata/name").unwrap_or("")
}

pub(crate) fn namespace(obj: &Value) -> &str {
    str_at(obj, "/metadata/namespace").unwrap_or("")
}

pub(crate) fn uid(obj: &Value) -> &str {
    str_at(obj, "/metadata/uid").unwrap_or("")
}

pub(crate) fn resource_version(obj: &Value) -> &str {
    str_at(obj, "/metadata/resourceVersion").unwrap_or("")
}

pub(crate) fn generation(obj: &Value) -> i64 {
    obj.pointer("/metadata/generation")
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

pub(crate) fn finalizers(obj: &Value) -> Vec<String> {
    obj.pointer("/metadata/finalizers")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|f| f.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn is_deleting(obj: &Value) -> bool {
    obj.pointer("/metadata/deletionTimestamp")
        .is_some_and(|v| !v.is_null())
}

/// The `metadata` map, created if it is missing or not a map.
pub(crate) fn metadata_mut(obj: &mut Value) -> &mut Map<String, Value> {
    if !obj.is_object() {
        *obj = Value::Object(Map::new());
    }
    let Value::Object(root) = obj else {
        unreachable!("replaced by an object above")
    };
    let meta = root
        .entry("metadata")
        .or_insert_with(|| Value::Object(Map::new()));
    if !meta.is_object() {
        *meta = Value::Object(Map::new());
    }
    match meta {
        Value::Object(m) => m,
        _ => unreachable!("replaced by an object above"),
    }
}

pub(crate) fn set_meta(obj: &mut Value, field: &str, value: Value) {
    metadata_mut(obj).insert(field.to_owned(), value);
}

pub(crate) fn remove_meta(obj: &mut Value, field: &str) {
    metadata_mut(obj).remove(field);
}

pub(crate) fn set_annotation(obj: &mut Value, key: &str, value: &str) {
    let meta = metadata_mut(obj);
    let annotations = meta
        .entry("annotations")
        .or_insert_with(|| Value::Object(Map::new()));
    if !annotations.is_object() {
        *annotations = Value::Object(Map::new());
    }
    if let Value::Object(a) = annotations {
        a.insert(key.to_owned(), Value::String(value.to_owned()));
    }
}

pub(crate) fn remove_annotation(obj: &mut Value, key: &str) {
    let meta = metadata_mut(obj);
    let now_empty = match meta.get_mut("annotations") {
        Some(Value::Object(a)) => {
            a.remove(key);
            a.is_empty()
        }
        _ => false,
    };
    if now_empty {
        meta.remove("annotations");
    }
}

/// Current time as kube-apiserver writes it: RFC 3339, whole seconds, UTC.
pub(crate) fn now_timestamp() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

fn random_u64() -> u64 {
    // RandomState is seeded from the OS once and perturbed per instance; mixing a counter in
    // makes consecutive values distinct even within one instance.
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.finish()
}

/// A random version-4 style UUID.
pub(crate) fn new_uid() -> String {
    let a = random_u64();
    let b = random_u64();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0x0fff,
        0x8000 | ((b >> 48) & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}

/// Five characters from the alphabet kube-apiserver uses for `generateName` suffixes.
pub(crate) fn generated_suffix() -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut n = random_u64();
    let mut out = String::with_capacity(5);
    for _ in 0..5 {
        let i = usize::try_from(n % ALPHABET.len() as u64).unwrap_or(0);
        out.push(char::from(ALPHABET.get(i).copied().unwrap_or(b'x')));
        n /= ALPHABET.len() as u64;
    }
    out
}

fn pointer(path: &str) -> String {
    format!("/{}", path.trim_start_matches('.').replace('.', "/"))
}

/// Reads a dotted path such as `.spec.replicas`.
pub(crate) fn get_path<'a>(obj: &'a Value, path: &str) -> Option<&'a Value> {
    obj.pointer(&pointer(path))
}

/// Writes a dotted path, creating intermediate maps.
pub(crate) fn set_path(obj: &mut Value, path: &str, value: Value) {
    let mut current = obj;
    let parts: Vec<&str> = path
        .trim_start_matches('.')
        .split('.')
        .filter(|p| !p.is_empty())
        .collect();
    let Some((last, parents)) = parts.split_last() else {
        *current = value;
        return;
    };
    for part in parents {
        if !current.is_object() {
            *current = Value::Object(Map::new());
        }
        let Value::Object(map) = current else { return };
        current = map
            .entry((*part).to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if !current.is_object() {
        *current = Value::Object(Map::new());
    }
    if let Value::Object(map) = current {
        map.insert((*last).to_owned(), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dotted_paths() {
        let mut doc = json!({});
        set_path(&mut doc, ".spec.replicas", json!(3));
        assert_eq!(get_path(&doc, ".spec.replicas"), Some(&json!(3)));
    }

    #[test]
    fn uids_are_distinct_and_shaped() {
        let a = new_uid();
        let b = new_uid();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(a.matches('-').count(), 4);
    }

    #[test]
    fn metadata_is_created_when_missing() {
        let mut obj = json!({"spec": {}});
        set_meta(&mut obj, "name", json!("x"));
        set_annotation(&mut obj, "a", "b");
        assert_eq!(name(&obj), "x");
        remove_annotation(&mut obj, "a");
        assert!(obj.pointer("/metadata/annotations").is_none());
    }

    #[test]
    fn generated_values_are_shaped() {
        assert_eq!(generated_suffix().len(), 5);
        assert!(now_timestamp().ends_with('Z'));
    }
}
