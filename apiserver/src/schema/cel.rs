//! `x-kubernetes-validations` (CEL rules).

use serde_json::Value;

use crate::status::FieldError;

pub(crate) fn validate(_obj: &Value, _old: Option<&Value>, _schema: &Value) -> Vec<FieldError> {
    Vec::new()
}
