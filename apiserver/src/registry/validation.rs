//! Validation of object metadata, worded as kube-apiserver 1.32's apimachinery validation
//! words it (`ValidateObjectMeta`, `ValidateObjectMetaUpdate`, `ValidateLabels`,
//! `ValidateAnnotations`, `ValidateOwnerReferences`, `ValidateFinalizers`,
//! `ValidateManagedFields`). Each function returns every problem it finds, so one 422
//! lists them all as upstream does.

use serde_json::Value;

use super::field_manager::managed::is_reset;

use crate::status::FieldError;

/// Largest total size of an object's annotations, keys and values (`TotalAnnotationSizeLimitB`).
pub(crate) const ANNOTATIONS_MAX_BYTES: usize = 256 * 1024;

/// Longest `fieldManager` and managedFields `manager` (`FieldManagerMaxLength`).
pub(crate) const FIELD_MANAGER_MAX_BYTES: usize = 128;

const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QUALIFIED_NAME_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const SUBDOMAIN_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";

/// apimachinery's `RegexError`: the message, examples, and the regex.
fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    let examples: Vec<String> = examples.iter().map(|e| format!("'{e}', ")).collect();
    format!(
        "{msg} (e.g. {}regex used for validation is '{fmt}')",
        examples.join(" or ")
    )
}

fn max_len_error(length: usize) -> String {
    format!("must be no more than {length} characters")
}

fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.ends_with(|c: char| c.is_ascii_alphanumeric())
}

/// `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`, the name part of a qualified name.
fn is_qualified_name_part(s: &str) -> bool {
    let edge = |c: char| c.is_ascii_alphanumeric();
    !s.is_empty()
        && s.starts_with(edge)
        && s.ends_with(edge)
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn is_subdomain(s: &str) -> bool {
    // Each dot-separated part is a label; the 63-character bound per part is not part of
    // the regex, only the 253 total.
    !s.is_empty()
        && s.split('.').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && part.starts_with(|c: char| c.is_ascii_alphanumeric())
                && part.ends_with(|c: char| c.is_ascii_alphanumeric())
        })
}

/// `IsDNS1123Subdomain`.
fn subdomain_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 253 {
        errs.push(max_len_error(253));
    }
    if !is_subdomain(value) {
        errs.push(regex_error(SUBDOMAIN_MSG, SUBDOMAIN_FMT, &["example.com"]));
    }
    errs
}

/// `IsQualifiedName`: label keys, annotation keys (lower-cased), finalizers.
pub(crate) fn qualified_name_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_owned());
            } else {
                errs.extend(
                    subdomain_errors(prefix)
                        .into_iter()
                        .map(|m| format!("prefix part {m}")),
                );
            }
            *name
        }
        _ => {
            errs.push(format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, &["MyName", "my.name", "123-abc"])
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_owned());
    } else if name.len() > 63 {
        errs.push(format!("name part {}", max_len_error(63)));
    }
    if !is_qualified_name_part(name) {
        errs.push(format!(
            "name part {}",
            regex_error(
                QUALIFIED_NAME_MSG,
                QUALIFIED_NAME_FMT,
                &["MyName", "my.name", "123-abc"]
            )
        ));
    }
    errs
}

/// `IsValidLabelValue`.
fn label_value_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !value.is_empty() && !is_qualified_name_part(value) {
        errs.push(regex_error(
            LABEL_VALUE_MSG,
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// RFC 1123 subdomain check (object names of custom resources), as a field error.
pub(crate) fn validate_subdomain(field: &str, name: &str) -> Option<FieldError> {
    let ok = !name.is_empty() && name.len() <= 253 && name.split('.').all(is_dns_label);
    (!ok).then(|| {
        FieldError::invalid(
            field,
            name,
            &regex_error(SUBDOMAIN_MSG, SUBDOMAIN_FMT, &["example.com"]),
        )
    })
}

/// RFC 1123 label check (namespace names), as a field error.
pub(crate) fn validate_label(field: &str, name: &str) -> Option<FieldError> {
    (!is_dns_label(name)).then(|| {
        FieldError::invalid(
            field,
            name,
            &regex_error(LABEL_MSG, LABEL_FMT, &["my-name", "123-abc"]),
        )
    })
}

/// The string entries of a metadata map (labels, annotations), in key order.
fn string_map<'a>(obj: &'a Value, field: &str) -> Vec<(&'a str, &'a str)> {
    obj.pointer(&format!("/metadata/{field}"))
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or("")))
                .collect()
        })
        .unwrap_or_default()
}

/// `ValidateLabels`: keys are qualified names, values label values; both reported at
/// `metadata.labels` with the offending key or value.
pub(crate) fn labels(obj: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (key, value) in string_map(obj, "labels") {
        for msg in qualified_name_errors(key) {
            errs.push(FieldError::invalid("metadata.labels", key, &msg));
        }
        for msg in label_value_errors(value) {
            errs.push(FieldError::invalid("metadata.labels", value, &msg));
        }
    }
    errs
}

/// `ValidateAnnotations`: keys are qualified names (case does not matter); keys and values
/// together at most 256 KiB.
pub(crate) fn annotations(obj: &Value) -> Vec<FieldError> {
    let entries = string_map(obj, "annotations");
    let mut errs = Vec::new();
    for (key, _) in &entries {
        for msg in qualified_name_errors(&key.to_lowercase()) {
            errs.push(FieldError::invalid("metadata.annotations", key, &msg));
        }
    }
    let total: usize = entries.iter().map(|(k, v)| k.len() + v.len()).sum();
    if total > ANNOTATIONS_MAX_BYTES {
        errs.push(FieldError::too_long(
            "metadata.annotations",
            ANNOTATIONS_MAX_BYTES,
        ));
    }
    errs
}

/// `ValidateOwnerReferences`: every reference names a version, kind, name and uid. (The
/// field paths carry no index, as upstream's.)
pub(crate) fn owner_references(obj: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let refs = obj
        .pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for reference in refs {
        let text = |key: &str| reference.get(key).and_then(Value::as_str).unwrap_or("");
        let api_version = text("apiVersion");
        // `schema.ParseGroupVersion`: `v1`, `group/v1`; anything else has no version.
        let version = match api_version.split('/').collect::<Vec<_>>().as_slice() {
            [v] => *v,
            [_, v] => *v,
            _ => "",
        };
        if version.is_empty() {
            errs.push(FieldError::invalid(
                "metadata.ownerReferences.apiVersion",
                api_version,
                "version must not be empty",
            ));
        }
        for (key, what) in [("kind", "kind"), ("name", "name"), ("uid", "uid")] {
            if text(key).is_empty() {
                errs.push(FieldError::invalid(
                    &format!("metadata.ownerReferences.{key}"),
                    "",
                    &format!("{what} must not be empty"),
                ));
            }
        }
    }
    errs
}

/// `ValidateFinalizers`: each finalizer is a qualified name.
pub(crate) fn finalizers(obj: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for finalizer in crate::meta::finalizers(obj) {
        for msg in qualified_name_errors(&finalizer) {
            errs.push(FieldError::invalid("metadata.finalizers", &finalizer, &msg));
        }
    }
    errs
}

/// `ValidateFieldManager`: at most 128 bytes, printable characters only.
pub(crate) fn field_manager(field: &str, manager: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if manager.len() > FIELD_MANAGER_MAX_BYTES {
        errs.push(FieldError::too_long(field, FIELD_MANAGER_MAX_BYTES));
    }
    for (i, c) in manager.char_indices() {
        if c.is_control() {
            errs.push(FieldError::invalid(
                field,
                manager,
                &format!("invalid character U+{:04X} (at position {i})", u32::from(c)),
            ));
        }
    }
    errs
}

/// `ValidateManagedFields` on the list a client sent, when the field manager takes it as
/// the base (not a reset, not through a subresource): known operations and fields types,
/// valid manager names, subresource names of at most 256 bytes. Upstream keeps such entries
/// through its field manager and its validation then refuses them.
pub(crate) fn managed_fields(list: &Value) -> Vec<FieldError> {
    if is_reset(list) {
        return Vec::new();
    }
    let mut errs = Vec::new();
    for (i, entry) in list.as_array().into_iter().flatten().enumerate() {
        let at = |child: &str| format!("metadata.managedFields[{i}].{child}");
        let text = |key: &str| entry.get(key).and_then(Value::as_str).unwrap_or("");
        if !matches!(text("operation"), "Apply" | "Update") {
            errs.push(FieldError::invalid(
                &at("operation"),
                text("operation"),
                "must be `Apply` or `Update`",
            ));
        }
        let fields_type = text("fieldsType");
        if !fields_type.is_empty() && fields_type != "FieldsV1" {
            errs.push(FieldError::invalid(
                &at("fieldsType"),
                fields_type,
                "must be `FieldsV1`",
            ));
        }
        errs.extend(field_manager(&at("manager"), text("manager")));
        if text("subresource").len() > 256 {
            errs.push(FieldError::too_long(&at("subresource"), 256));
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_are_validated() {
        assert!(validate_subdomain("metadata.name", "a.b-c").is_none());
        assert!(validate_subdomain("metadata.name", "Upper").is_some());
        assert!(validate_label("metadata.name", "a.b").is_some());
    }

    #[test]
    fn qualified_names_are_worded_as_upstream() {
        assert!(qualified_name_errors("example.com/My_name-1").is_empty());
        assert_eq!(
            qualified_name_errors("bad key"),
            vec!["name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')".to_owned()]
        );
        assert_eq!(
            qualified_name_errors("/x"),
            vec!["prefix part must be non-empty".to_owned()]
        );
        assert_eq!(qualified_name_errors("a/b/c").len(), 1);
        let long = "x".repeat(64);
        assert_eq!(
            qualified_name_errors(&long),
            vec!["name part must be no more than 63 characters".to_owned()]
        );
        assert!(
            qualified_name_errors("Example.com/x")[0]
                .starts_with("prefix part a lowercase RFC 1123 subdomain")
        );
    }

    #[test]
    fn metadata_problems_are_all_reported() {
        let obj = json!({"metadata": {
            "labels": {"ok": "fine", "bad key": "bad value!"},
            "annotations": {"Example.com/Fine": "x", "no good": "y"},
            "ownerReferences": [{"apiVersion": "v1", "kind": "ConfigMap"}],
        }});
        assert_eq!(labels(&obj).len(), 2);
        assert_eq!(annotations(&obj).len(), 1);
        let owners: Vec<String> = owner_references(&obj)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            owners,
            vec![
                "metadata.ownerReferences.name",
                "metadata.ownerReferences.uid"
            ]
        );
        let big = json!({"metadata": {"annotations": {"a": "x".repeat(ANNOTATIONS_MAX_BYTES)}}});
        assert_eq!(
            annotations(&big).first().map(|e| e.message.clone()),
            Some("Too long: must have at most 262144 bytes".to_owned())
        );
        let managed = json!([{"manager": "m", "operation": "Foo", "fieldsType": "FieldsV2"}]);
        let fields: Vec<String> = managed_fields(&managed)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            vec![
                "metadata.managedFields[0].operation",
                "metadata.managedFields[0].fieldsType"
            ]
        );
    }
}
