//! Applying a PATCH body to an object: JSON merge patch (RFC 7386) and JSON patch (RFC 6902).

use serde_json::{Map, Value};

use crate::status::ApiError;

/// The media types a custom resource accepts in a PATCH, as the 415 message lists them.
pub(crate) const CUSTOM_RESOURCE_PATCH_TYPES: &str =
    "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml";

/// The PATCH flavours, chosen by `Content-Type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PatchType {
    Merge,
    Json,
    StrategicMerge,
    Apply,
}

impl PatchType {
    pub(crate) fn from_content_type(media_type: &str) -> Option<Self> {
        match media_type {
            "application/merge-patch+json" => Some(PatchType::Merge),
            "application/json-patch+json" => Some(PatchType::Json),
            "application/strategic-merge-patch+json" => Some(PatchType::StrategicMerge),
            "application/apply-patch+yaml" => Some(PatchType::Apply),
            _ => None,
        }
    }
}

/// RFC 7386: maps merge recursively, `null` deletes, anything else replaces.
pub(crate) fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch_map) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(target_map) = target {
        for (key, value) in patch_map {
            if value.is_null() {
                target_map.remove(key);
            } else {
                merge_patch(target_map.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
    }
}

/// RFC 6902, as kube-apiserver applies it. A body that is not a patch document is 400; a
/// patch that cannot be applied (missing path, failed `test`) is 422, as kube-apiserver
/// answers. Operations apply in order to `target`, which the caller discards on error.
///
/// kube-apiserver's library (evanphx/json-patch v4) lets `test` with `value: null` pass on a
/// member that is absent (it reads a missing member as `null`); kube-runtime's `finalizer()`
/// opens with exactly that test on `/metadata/finalizers`. The `json-patch` crate follows RFC
/// 6902 to the letter (a missing path fails the test), so those tests are answered here
/// before the crate sees the rest, one operation at a time, rather than by forking the crate
/// or rewriting the patch. Everything else is the crate's; `patch_unsafe` because the copy
/// needs no rollback (and `patch`'s rollback can panic).
pub(crate) fn json_patch(target: &mut Value, body: &[u8]) -> Result<(), ApiError> {
    let patch: json_patch::Patch = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("error decoding patch: {e}")))?;
    for (index, operation) in patch.iter().enumerate() {
        if let json_patch::PatchOperation::Test(test) = operation
            && test.value.is_null()
            && is_absent_member(target, &test.path)
        {
            continue;
        }
        json_patch::patch_unsafe(target, std::slice::from_ref(operation)).map_err(|e| {
            let mut err = ApiError::with_code(
                422,
                format!(
                    "the server rejected our request due to an error in our request: operation '/{index}' failed at path '{}': {}",
                    e.path, e.kind
                ),
            );
            err.reason = "Invalid".to_owned();
            err
        })?;
    }
    Ok(())
}

/// Whether `path` names a key its parent object does not have (the parent must exist: a
/// missing parent fails upstream too).
fn is_absent_member(doc: &Value, path: &json_patch::jsonptr::Pointer) -> bool {
    let Some((parent, last)) = path.split_back() else {
        return false;
    };
    match doc.pointer(parent.as_str()) {
        Some(Value::Object(map)) => !map.contains_key(last.decoded().as_ref()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_follows_rfc_7386() {
        let mut doc = json!({"a": "b", "c": {"d": "e", "f": "g"}, "l": [1, 2]});
        merge_patch(
            &mut doc,
            &json!({"a": "z", "c": {"f": null}, "l": [3], "n": {"x": 1}}),
        );
        assert_eq!(
            doc,
            json!({"a": "z", "c": {"d": "e"}, "l": [3], "n": {"x": 1}})
        );
    }

    #[test]
    fn json_patch_applies_and_reports_failures() {
        let mut doc = json!({"spec": {"size": 1}});
        let ok = json_patch(
            &mut doc,
            br#"[{"op":"replace","path":"/spec/size","value":2}]"#,
        );
        assert!(ok.is_ok());
        assert_eq!(doc["spec"]["size"], 2);
        let failed = json_patch(
            &mut doc,
            br#"[{"op":"test","path":"/spec/size","value":9}]"#,
        );
        assert_eq!(failed.map_err(|e| e.code), Err(422));
        let malformed = json_patch(&mut doc, b"{not a patch");
        assert_eq!(malformed.map_err(|e| e.code), Err(400));
    }

    #[test]
    fn test_of_null_passes_on_an_absent_member_as_upstream() {
        let finalizer = br#"[{"op":"test","path":"/metadata/finalizers","value":null},{"op":"add","path":"/metadata/finalizers","value":["f"]}]"#;
        let mut doc = json!({"metadata": {"name": "x"}});
        assert!(json_patch(&mut doc, finalizer).is_ok());
        assert_eq!(doc["metadata"]["finalizers"], json!(["f"]));
        // Present: the test compares as usual, and a later failure names its operation.
        let mut present = json!({"metadata": {"finalizers": ["g"]}});
        let err = json_patch(&mut present, finalizer).err();
        assert_eq!(err.as_ref().map(|e| e.code), Some(422));
        assert!(err.is_some_and(|e| e.message.contains("operation '/0'")));
        let mut null = json!({"metadata": {"finalizers": null}});
        assert!(json_patch(&mut null, finalizer).is_ok());
        // A missing parent still fails, as upstream.
        let mut orphan = json!({});
        let missing_parent = br#"[{"op":"test","path":"/metadata/finalizers","value":null}]"#;
        assert_eq!(
            json_patch(&mut orphan, missing_parent).map_err(|e| e.code),
            Err(422)
        );
        // A non-null test of an absent member still fails.
        let mut doc = json!({"metadata": {}});
        let non_null =
            br#"[{"op":"add","path":"/a","value":1},{"op":"test","path":"/metadata/x","value":1}]"#;
        let err = json_patch(&mut doc, non_null).err();
        assert!(err.is_some_and(|e| e.message.contains("operation '/1'")));
    }
}
