//! Validation of the options each verb takes from the query (and, for deletes, the body),
//! as kube-apiserver's handlers run `ValidateCreateOptions`, `ValidateUpdateOptions`,
//! `ValidatePatchOptions`, `ValidateDeleteOptions` and `ValidateListOptions` before they do
//! anything else: a 422 on the `meta.k8s.io` options kind, worded as upstream.

use crate::registry::validation::field_manager;
use crate::request::Call;
use crate::status::{ApiError, FieldError, go_quote, go_string_slice};

fn invalid(kind: &str, errors: Vec<FieldError>) -> Result<(), ApiError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid("meta.k8s.io", kind, "", errors))
    }
}

/// `ValidateDryRun`: only `All`.
fn dry_run(values: &[String]) -> Vec<FieldError> {
    if values.iter().all(|v| v == "All") {
        return Vec::new();
    }
    vec![FieldError::not_supported(
        "dryRun",
        &go_string_slice(values),
        &["All"],
    )]
}

fn query_dry_run(call: &Call) -> Vec<String> {
    call.param("dryRun")
        .map(|v| vec![v.to_owned()])
        .unwrap_or_default()
}

/// `ValidateFieldValidation`: empty, `Ignore`, `Strict` or `Warn`.
fn field_validation(call: &Call) -> Vec<FieldError> {
    match call.param("fieldValidation") {
        None | Some("" | "Ignore" | "Strict" | "Warn") => Vec::new(),
        Some(other) => vec![FieldError::not_supported(
            "fieldValidation",
            &go_quote(other),
            &["", "Ignore", "Strict", "Warn"],
        )],
    }
}

/// The checks create, update and patch share.
fn write_options(call: &Call) -> Vec<FieldError> {
    let mut errors = field_manager("fieldManager", call.param("fieldManager").unwrap_or(""));
    errors.extend(dry_run(&query_dry_run(call)));
    errors.extend(field_validation(call));
    errors
}

pub(super) fn create(call: &Call) -> Result<(), ApiError> {
    invalid("CreateOptions", write_options(call))
}

pub(super) fn update(call: &Call) -> Result<(), ApiError> {
    invalid("UpdateOptions", write_options(call))
}

/// `force` only with apply; apply requires a `fieldManager`.
pub(super) fn patch(call: &Call, apply: bool) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    if !apply && call.query.contains_key("force") {
        errors.push(FieldError::forbidden(
            "force",
            "may not be specified for non-apply patch",
        ));
    }
    if apply && call.param("fieldManager").unwrap_or("").is_empty() {
        errors.push(FieldError::required(
            "fieldManager",
            "is required for apply patch",
        ));
    }
    errors.extend(write_options(call));
    invalid("PatchOptions", errors)
}

/// A known `propagationPolicy` and a valid `dryRun`, from the body or else the query.
pub(super) fn delete(
    call: &Call,
    body_dry_run: Option<&[String]>,
    body_policy: Option<&str>,
) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    if let Some(policy) = body_policy.or_else(|| call.param("propagationPolicy"))
        && !matches!(policy, "Foreground" | "Background" | "Orphan")
    {
        errors.push(FieldError::not_supported(
            "propagationPolicy",
            &go_quote(policy),
            &["Foreground", "Background", "Orphan", "nil"],
        ));
    }
    let from_query = query_dry_run(call);
    errors.extend(dry_run(body_dry_run.unwrap_or(&from_query)));
    invalid("DeleteOptions", errors)
}

/// `resourceVersionMatch` needs a `resourceVersion` and no `continue`; a `continue` token
/// carries its own version (400 from upstream's storage when one is given besides).
pub(super) fn list(call: &Call) -> Result<(), ApiError> {
    let resource_version = call.param("resourceVersion").unwrap_or("");
    let continue_token = call.param("continue").unwrap_or("");
    let mut errors = Vec::new();
    if let Some(matching) = call.param("resourceVersionMatch").filter(|m| !m.is_empty()) {
        let forbidden = |why: &str| FieldError::forbidden("resourceVersionMatch", why);
        if resource_version.is_empty() {
            errors.push(forbidden(
                "resourceVersionMatch is forbidden unless resourceVersion is provided",
            ));
        }
        if !continue_token.is_empty() {
            errors.push(forbidden(
                "resourceVersionMatch is forbidden when continue is provided",
            ));
        }
        if !matches!(matching, "Exact" | "NotOlderThan") {
            errors.push(FieldError::not_supported(
                "resourceVersionMatch",
                &go_quote(matching),
                &["Exact", "NotOlderThan", ""],
            ));
        }
        if matching == "Exact" && resource_version == "0" {
            errors.push(forbidden(
                "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"",
            ));
        }
    }
    if call.flag("sendInitialEvents") {
        errors.push(FieldError::forbidden(
            "sendInitialEvents",
            "sendInitialEvents is forbidden for list",
        ));
    }
    invalid("ListOptions", errors)?;
    if !continue_token.is_empty() && !resource_version.is_empty() && resource_version != "0" {
        return Err(ApiError::bad_request(
            "specifying resource version is not allowed when using continue",
        ));
    }
    Ok(())
}
