//! The handler layer: one file per verb (and one for the `scale` subresource and one for
//! discovery). A handler reads the decoded [`Call`], asks the registry, and answers with an
//! HTTP code and a JSON body or an [`ApiError`]; turning those into bytes is the service's.

mod create;
mod delete;
mod delete_collection;
pub(crate) mod discovery;
mod get;
mod list;
mod options;
mod patch;
mod patch_document;
mod scale;
mod table;
mod transform;
mod update;
mod watch;

use std::sync::Arc;

use serde_json::Value;

pub(crate) use create::create;
pub(crate) use delete::delete;
pub(crate) use delete_collection::delete_collection;
pub(crate) use get::get;
pub(crate) use list::list;
pub(crate) use patch::patch;
pub(crate) use update::update;
pub use watch::INITIAL_EVENTS_END;
pub(crate) use watch::watch;

use crate::registry::{Target, Writer};
use crate::request::Call;
use crate::schema::FieldValidation;
use crate::status::ApiError;
use crate::storage::StoreState;

/// A successful answer: HTTP code and JSON body.
pub(crate) type Answer = (u16, Value);

/// The registry target of a call in one cluster.
fn target<'a>(call: &'a Call, cluster: &'a str) -> Target<'a> {
    Target {
        def: &call.def,
        cluster,
        namespace: call.namespace.as_deref(),
        subresource: call.subresource.as_deref(),
        dry_run: call.dry_run(),
        field_validation: FieldValidation::from_query(call.param("fieldValidation")),
        warnings: &call.warnings,
    }
}

/// Who a non-apply write through this call is recorded as in managedFields.
fn writer(call: &Call) -> Writer {
    Writer {
        manager: call.manager(),
        api_version: call.def.api_version(),
        subresource: call.subresource.clone().unwrap_or_default(),
    }
}

fn not_found(call: &Call, name: &str) -> ApiError {
    ApiError::not_found(&call.def.group, &call.def.plural, name)
}

/// The stored object a call names, or 404.
fn current(
    state: &StoreState,
    call: &Call,
    cluster: &str,
    name: &str,
) -> Result<Arc<Value>, ApiError> {
    let target = target(call, cluster);
    state
        .get(&target.key(), &target.object_name(name))
        .ok_or_else(|| not_found(call, name))
}

/// The object name of a call on one object; a collection URL is 405.
fn named(call: &Call) -> Result<String, ApiError> {
    call.name.clone().ok_or_else(ApiError::method_not_allowed)
}

/// Only the main resource and, when the kind has it, `status`.
fn check_subresource(call: &Call) -> Result<(), ApiError> {
    match call.subresource.as_deref() {
        None => Ok(()),
        Some("status") if call.def.status => Ok(()),
        _ => Err(ApiError::no_such_resource()),
    }
}
