//! Structural schemas enforced on writes, as kube-apiserver enforces a CRD version's
//! `openAPIV3Schema` on its custom resources: for a kind registered with
//! [`ResourceDefinition::with_schema`](crate::ResourceDefinition::with_schema), every create,
//! update, patch and server-side apply is
//!
//! 1. pruned ([`prune`]): fields the schema does not declare are dropped, and reported as
//!    `fieldValidation` asks (`Strict`: 400, `Warn`, the default: a `Warning` header each,
//!    `Ignore`: silently);
//! 2. defaulted ([`default`]);
//! 3. validated ([`validate`], [`cel`]): every problem is one cause of a 422 `Invalid`.
//!
//! [`lists`] gives server-side apply the schema's list and map types.

mod cel;
mod default;
mod format;
pub(crate) mod lists;
mod node;
mod prune;
mod validate;

use serde_json::Value;

use crate::definition::ResourceDefinition;
use crate::status::{ApiError, FieldError};

/// What the server does with fields a schema does not declare (`fieldValidation`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum FieldValidation {
    /// Dropped silently.
    Ignore,
    /// Dropped, with one `Warning` per field: kube-apiserver's default.
    #[default]
    Warn,
    /// The request fails.
    Strict,
}

impl FieldValidation {
    /// The query's `fieldValidation` (already checked to be one of the known values).
    pub(crate) fn from_query(value: Option<&str>) -> Self {
        match value {
            Some("Ignore") => FieldValidation::Ignore,
            Some("Strict") => FieldValidation::Strict,
            _ => FieldValidation::Warn,
        }
    }
}

/// How the write reached the schema: upstream words unknown fields differently for
/// server-side apply (the field manager's typed conversion) than for decoded bodies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Via {
    Body,
    Apply,
}

/// Prunes and defaults `obj` by the kind's schema, if it has one. Unknown fields are an
/// error under `Strict`; otherwise they are returned as warnings (none under `Ignore`).
pub(crate) fn prepare(
    def: &ResourceDefinition,
    obj: &mut Value,
    mode: FieldValidation,
    via: Via,
) -> Result<Vec<String>, ApiError> {
    let warnings = prune_unknown(def, obj, mode, via)?;
    if let Some(schema) = &def.schema {
        default::apply_defaults(obj, schema);
    }
    Ok(warnings)
}

/// The defaults alone, for objects read from storage.
pub(crate) fn default_on_read(def: &ResourceDefinition, obj: &mut Value) {
    if let Some(schema) = &def.schema {
        default::apply_defaults(obj, schema);
    }
}

/// Pruning alone: what server-side apply does to a configuration before the merge (the
/// defaults come after it, so the applier does not own them).
pub(crate) fn prune_unknown(
    def: &ResourceDefinition,
    obj: &mut Value,
    mode: FieldValidation,
    via: Via,
) -> Result<Vec<String>, ApiError> {
    let Some(schema) = &def.schema else {
        return Ok(Vec::new());
    };
    let dropped = prune::prune(obj, schema);
    let mut warnings = Vec::new();
    if !dropped.is_empty() {
        match (mode, via) {
            (FieldValidation::Ignore, _) => {}
            (FieldValidation::Warn, Via::Body) => {
                warnings.extend(dropped.iter().map(|p| format!("unknown field \"{p}\"")));
            }
            (FieldValidation::Warn, Via::Apply) => {
                warnings.extend(
                    dropped
                        .iter()
                        .map(|p| format!(".{p}: field not declared in schema")),
                );
            }
            (FieldValidation::Strict, Via::Body) => {
                let fields: Vec<String> = dropped
                    .iter()
                    .map(|p| format!("unknown field \"{p}\""))
                    .collect();
                return Err(ApiError::bad_request(format!(
                    "{kind} in version \"{version}\" cannot be handled as a {kind}: strict decoding error: {}",
                    fields.join(", "),
                    kind = def.kind,
                    version = def.version,
                )));
            }
            (FieldValidation::Strict, Via::Apply) => {
                let fields: Vec<String> = dropped
                    .iter()
                    .map(|p| format!(".{p}: field not declared in schema"))
                    .collect();
                return Err(ApiError::bad_request(format!(
                    "failed to create typed patch object ({}, Kind={}): {}",
                    def.api_version(),
                    def.kind,
                    fields.join(", ")
                )));
            }
        }
    }
    Ok(warnings)
}

/// The schema's problems with `obj` (the value validations, then the CEL rules with `old`
/// as `oldSelf` on updates); empty for a kind without a schema.
pub(crate) fn validate(
    def: &ResourceDefinition,
    obj: &Value,
    old: Option<&Value>,
) -> Vec<FieldError> {
    let Some(schema) = &def.schema else {
        return Vec::new();
    };
    let mut errors = validate::validate(obj, schema);
    errors.extend(cel::validate(obj, old, schema));
    errors
}
