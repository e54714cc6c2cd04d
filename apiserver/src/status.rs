//! `Status` bodies for failed requests, worded and coded as kube-apiserver words and codes them.
//!
//! Every failure inside the server is an [`ApiError`] value; it becomes an HTTP response (or a
//! watch `ERROR` event) only at the edge, so no handler formats a response body itself.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{
    ListMeta, Status, StatusCause, StatusDetails,
};

/// A failed request: the HTTP code and the `Status` object the server answers with.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    /// HTTP status code, also `Status.code`.
    pub code: u16,
    /// `Status.reason` (`NotFound`, `Conflict`, ...).
    pub reason: String,
    /// Human readable `Status.message`.
    pub message: String,
    /// `Status.details`, when the failure is about one object.
    pub details: Option<Box<StatusDetails>>,
    /// Seconds for the `Retry-After` header (429, 503) and `details.retryAfterSeconds`.
    pub retry_after_seconds: Option<u32>,
}

/// The name a resource has in messages: `widgets.widgets.example.io`, or `namespaces` for core.
pub(crate) fn qualified_resource(group: &str, plural: &str) -> String {
    if group.is_empty() {
        plural.to_owned()
    } else {
        format!("{plural}.{group}")
    }
}

/// One reason a request body is invalid (a `StatusCause` of a 422).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// `FieldValueRequired`, `FieldValueInvalid`, `FieldValueForbidden`, ...
    pub reason: &'static str,
    /// Dotted path of the offending field (`metadata.name`).
    pub field: String,
    /// What is wrong, e.g. `Required value: name or generateName is required`.
    pub message: String,
}

impl FieldError {
    pub(crate) fn required(field: &str, detail: &str) -> Self {
        FieldError {
            reason: "FieldValueRequired",
            field: field.to_owned(),
            message: if detail.is_empty() {
                "Required value".to_owned()
            } else {
                format!("Required value: {detail}")
            },
        }
    }

    /// `Invalid value: <repr>: <detail>` with reason `FieldValueTypeInvalid` (a value of the
    /// wrong JSON type; upstream prints the type's name as the value).
    pub(crate) fn type_invalid(field: &str, repr: &str, detail: &str) -> Self {
        FieldError {
            reason: "FieldValueTypeInvalid",
            field: field.to_owned(),
            message: format!("Invalid value: {repr}: {detail}"),
        }
    }

    /// `Too many: <actual>: must have at most <max> items` (`field.TooMany`; upstream says
    /// `items` for maxProperties too).
    pub(crate) fn too_many(field: &str, actual: u64, max: u64) -> Self {
        FieldError {
            reason: "FieldValueTooMany",
            field: field.to_owned(),
            message: format!("Too many: {actual}: must have at most {max} items"),
        }
    }

    /// `Duplicate value: <repr>` (`field.Duplicate`).
    pub(crate) fn duplicate(field: &str, repr: &str) -> Self {
        FieldError {
            reason: "FieldValueDuplicate",
            field: field.to_owned(),
            message: format!("Duplicate value: {repr}"),
        }
    }

    /// `Invalid value: "<value>": <detail>` (a string value, quoted as Go's `%q` does).
    pub(crate) fn invalid(field: &str, value: &str, detail: &str) -> Self {
        FieldError::invalid_repr(field, &go_quote(value), detail)
    }

    /// `Invalid value: <repr>: <detail>`, for values upstream prints unquoted (`0x0`, `5`).
    pub(crate) fn invalid_repr(field: &str, repr: &str, detail: &str) -> Self {
        FieldError {
            reason: "FieldValueInvalid",
            field: field.to_owned(),
            message: format!("Invalid value: {repr}: {detail}"),
        }
    }

    /// `Unsupported value: <repr>: supported values: "a", "b"`.
    pub(crate) fn not_supported(field: &str, repr: &str, supported: &[&str]) -> Self {
        let quoted: Vec<String> = supported.iter().map(|v| go_quote(v)).collect();
        FieldError {
            reason: "FieldValueNotSupported",
            field: field.to_owned(),
            message: format!(
                "Unsupported value: {repr}: supported values: {}",
                quoted.join(", ")
            ),
        }
    }

    /// `Too long: must have at most <max> bytes` (upstream leaves the value out).
    pub(crate) fn too_long(field: &str, max: usize) -> Self {
        FieldError {
            reason: "FieldValueTooLong",
            field: field.to_owned(),
            message: format!("Too long: must have at most {max} bytes"),
        }
    }

    pub(crate) fn forbidden(field: &str, detail: &str) -> Self {
        FieldError {
            reason: "FieldValueForbidden",
            field: field.to_owned(),
            message: format!("Forbidden: {detail}"),
        }
    }
}

/// A string quoted as Go's `%q` quotes it (close enough: JSON's escapes for the rare
/// control character).
pub(crate) fn go_quote(value: &str) -> String {
    serde_json::Value::String(value.to_owned()).to_string()
}

/// A string list as Go's `%#v` prints a `[]string`: `[]string{"a", "b"}`.
pub(crate) fn go_string_slice(values: &[String]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| go_quote(v)).collect();
    format!("[]string{{{}}}", quoted.join(", "))
}

impl ApiError {
    fn new(code: u16, reason: &str, message: impl Into<String>) -> Self {
        ApiError {
            code,
            reason: reason.to_owned(),
            message: message.into(),
            details: None,
            retry_after_seconds: None,
        }
    }

    fn about(mut self, group: &str, kind: &str, name: &str) -> Self {
        self.details = Some(Box::new(StatusDetails {
            group: Some(group.to_owned()),
            kind: Some(kind.to_owned()),
            name: Some(name.to_owned()),
            ..StatusDetails::default()
        }));
        self
    }

    /// 404 for a missing object: `widgets.widgets.example.io "x" not found`.
    pub fn not_found(group: &str, plural: &str, name: &str) -> Self {
        let resource = qualified_resource(group, plural);
        ApiError::new(404, "NotFound", format!("{resource} \"{name}\" not found"))
            .about(group, plural, name)
    }

    /// 404 for a path the server does not serve.
    pub fn no_such_resource() -> Self {
        let mut err = ApiError::new(
            404,
            "NotFound",
            "the server could not find the requested resource",
        );
        err.details = Some(Box::default());
        err
    }

    /// 409 on create when the name is taken.
    pub fn already_exists(group: &str, plural: &str, name: &str) -> Self {
        let resource = qualified_resource(group, plural);
        ApiError::new(
            409,
            "AlreadyExists",
            format!("{resource} \"{name}\" already exists"),
        )
        .about(group, plural, name)
    }

    /// 409 for a stale `resourceVersion` or a failed precondition.
    pub fn conflict(group: &str, plural: &str, name: &str, why: &str) -> Self {
        let resource = qualified_resource(group, plural);
        ApiError::new(
            409,
            "Conflict",
            format!("Operation cannot be fulfilled on {resource} \"{name}\": {why}"),
        )
        .about(group, plural, name)
    }

    /// 409 for a server-side apply whose fields other managers own (`NewApplyConflict`
    /// upstream): the details carry the causes and nothing about the object.
    pub(crate) fn apply_conflict(message: String, causes: Vec<StatusCause>) -> Self {
        let mut err = ApiError::new(409, "Conflict", message);
        err.details = Some(Box::new(StatusDetails {
            causes: Some(causes),
            ..StatusDetails::default()
        }));
        err
    }

    /// The `why` of a conflict on a stale `resourceVersion`.
    pub(crate) const MODIFIED: &'static str = "the object has been modified; please apply your changes to the latest version and try again";

    /// 422 with field causes: `Widget.widgets.example.io "x" is invalid: metadata.name: ...`.
    pub fn invalid(group: &str, kind: &str, name: &str, errors: Vec<FieldError>) -> Self {
        let qualified_kind = if group.is_empty() {
            kind.to_owned()
        } else {
            format!("{kind}.{group}")
        };
        let summary = match errors.as_slice() {
            [one] => format!("{}: {}", one.field, one.message),
            many => {
                let parts: Vec<String> = many
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect();
                format!("[{}]", parts.join(", "))
            }
        };
        let mut err = ApiError::new(
            422,
            "Invalid",
            format!("{qualified_kind} \"{name}\" is invalid: {summary}"),
        )
        .about(group, kind, name);
        if let Some(details) = err.details.as_mut() {
            details.causes = Some(
                errors
                    .into_iter()
                    .map(|e| StatusCause {
                        field: Some(e.field),
                        message: Some(e.message),
                        reason: Some(e.reason.to_owned()),
                    })
                    .collect(),
            );
        }
        err
    }

    /// 400 for a request the server cannot make sense of.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(400, "BadRequest", message)
    }

    /// 403, e.g. creating content in a namespace that is being terminated.
    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError::new(403, "Forbidden", message)
    }

    /// 405 for a verb the resource does not support at this path.
    pub fn method_not_allowed() -> Self {
        ApiError::new(
            405,
            "MethodNotAllowed",
            "the server does not allow this method on the requested resource",
        )
    }

    /// 406 for an `Accept` header the server cannot satisfy.
    pub fn not_acceptable(accepted: &str) -> Self {
        ApiError::new(
            406,
            "NotAcceptable",
            format!("only the following media types are accepted: {accepted}"),
        )
    }

    /// 410 for a watch or continue token older than the retained history.
    pub fn expired(message: impl Into<String>) -> Self {
        ApiError::new(410, "Expired", message)
    }

    /// 413 for a body over the configured limit.
    pub fn too_large(limit: usize) -> Self {
        ApiError::new(
            413,
            "RequestEntityTooLarge",
            format!("Request entity too large: limit is {limit}"),
        )
    }

    /// 415 for a body in a media type the endpoint does not take.
    pub fn unsupported_media_type(message: impl Into<String>) -> Self {
        ApiError::new(415, "UnsupportedMediaType", message)
    }

    /// 429 with a `Retry-After`.
    pub fn too_many_requests(retry_after_seconds: u32) -> Self {
        let mut err = ApiError::new(
            429,
            "TooManyRequests",
            "Too many requests, please try again later.",
        );
        err.details = Some(Box::new(StatusDetails {
            retry_after_seconds: Some(i32::try_from(retry_after_seconds).unwrap_or(i32::MAX)),
            ..StatusDetails::default()
        }));
        err.retry_after_seconds = Some(retry_after_seconds);
        err
    }

    /// 500.
    pub fn internal(message: impl Into<String>) -> Self {
        ApiError::new(
            500,
            "InternalError",
            format!("Internal error occurred: {}", message.into()),
        )
    }

    /// A failure kube-apiserver reports without a reason (`StatusReasonUnknown`): an error
    /// from its storage layer that no handler translated, e.g. a create that carries a
    /// `resourceVersion` (500).
    pub(crate) fn unknown(code: u16, message: impl Into<String>) -> Self {
        ApiError::new(code, "", message)
    }

    /// 503.
    pub fn service_unavailable(message: impl Into<String>) -> Self {
        ApiError::new(503, "ServiceUnavailable", message)
    }

    /// 504, e.g. for a list at a resourceVersion the server has not reached.
    pub fn timeout(message: impl Into<String>) -> Self {
        ApiError::new(504, "Timeout", message)
    }

    /// 504 for a read at a resourceVersion the server has not reached
    /// (`NewTooLargeResourceVersionError`): retry in a second.
    pub(crate) fn too_large_resource_version(requested: u64, current: u64) -> Self {
        let mut err = ApiError::timeout(format!(
            "Timeout: Too large resource version: {requested}, current: {current}"
        ));
        err.details = Some(Box::new(StatusDetails {
            causes: Some(vec![StatusCause {
                reason: Some("ResourceVersionTooLarge".to_owned()),
                message: Some("Too large resource version".to_owned()),
                field: None,
            }]),
            retry_after_seconds: Some(1),
            ..StatusDetails::default()
        }));
        err
    }

    /// Any code, with the reason kube-apiserver uses for it (fault injection uses this).
    pub fn with_code(code: u16, message: impl Into<String>) -> Self {
        let reason = match code {
            400 => "BadRequest",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "NotFound",
            405 => "MethodNotAllowed",
            409 => "Conflict",
            410 => "Expired",
            413 => "RequestEntityTooLarge",
            415 => "UnsupportedMediaType",
            422 => "Invalid",
            429 => "TooManyRequests",
            503 => "ServiceUnavailable",
            504 => "Timeout",
            _ if code >= 500 => "InternalError",
            _ => "Unknown",
        };
        ApiError::new(code, reason, message)
    }

    /// The `Status` object for the body.
    pub fn to_status(&self) -> Status {
        Status {
            code: Some(i32::from(self.code)),
            details: self.details.as_deref().cloned(),
            message: Some(self.message.clone()),
            metadata: ListMeta::default(),
            // An empty reason is `StatusReasonUnknown`, which upstream omits.
            reason: (!self.reason.is_empty()).then(|| self.reason.clone()),
            status: Some("Failure".to_owned()),
        }
    }

    /// The `Status` object as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self.to_status()).unwrap_or_else(|_| {
            serde_json::json!({
                "apiVersion": "v1", "kind": "Status", "status": "Failure",
                "code": self.code, "reason": self.reason, "message": self.message,
            })
        })
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.code, self.reason, self.message)
    }
}

impl std::error::Error for ApiError {}

/// A `Status` with `status: Success`, as returned by deletes that complete at once.
pub(crate) fn success(
    group: &str,
    plural: &str,
    name: &str,
    uid: Option<String>,
) -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "v1",
        "kind": "Status",
        "metadata": {},
        "status": "Success",
        "details": { "name": name, "group": group, "kind": plural, "uid": uid },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_names_the_qualified_resource() {
        let err = ApiError::not_found("widgets.example.io", "widgets", "w1");
        assert_eq!(err.code, 404);
        assert_eq!(err.message, "widgets.widgets.example.io \"w1\" not found");
        let status = err.to_status();
        let details = status.details.unwrap_or_default();
        assert_eq!(details.kind.as_deref(), Some("widgets"));
        assert_eq!(details.name.as_deref(), Some("w1"));
        assert_eq!(status.reason.as_deref(), Some("NotFound"));
    }

    #[test]
    fn invalid_lists_causes() {
        let err = ApiError::invalid(
            "widgets.example.io",
            "Widget",
            "",
            vec![FieldError::required(
                "metadata.name",
                "name or generateName is required",
            )],
        );
        assert_eq!(err.code, 422);
        assert_eq!(
            err.message,
            "Widget.widgets.example.io \"\" is invalid: metadata.name: Required value: name or generateName is required"
        );
        let json = err.to_json();
        assert_eq!(json["kind"], "Status");
        assert_eq!(json["details"]["causes"][0]["field"], "metadata.name");
    }

    #[test]
    fn too_many_requests_carries_retry_after() {
        let json = ApiError::too_many_requests(3).to_json();
        assert_eq!(json["code"], 429);
        assert_eq!(json["details"]["retryAfterSeconds"], 3);
    }
}
