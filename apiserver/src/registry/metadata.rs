//! Metadata rules every write shares: what only the server sets, and where an object's
//! namespace comes from.

use serde_json::Value;

use super::Target;
use crate::meta::{self, CLUSTER_ANNOTATION};
use crate::status::ApiError;

/// Server-owned metadata a client cannot set or change.
pub(crate) fn strip_client_metadata(obj: &mut Value) {
    for field in [
        "uid",
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "generation",
        "selfLink",
    ] {
        meta::remove_meta(obj, field);
    }
    meta::remove_annotation(obj, CLUSTER_ANNOTATION);
}

/// The body's namespace must be empty or the request's; it is set to the request's.
/// Cluster-scoped objects have their namespace cleared.
pub(crate) fn place_namespace(target: &Target<'_>, obj: &mut Value) -> Result<(), ApiError> {
    if !target.def.namespaced {
        meta::remove_meta(obj, "namespace");
        return Ok(());
    }
    let wanted = target.namespace.unwrap_or("");
    let given = meta::namespace(obj);
    if !given.is_empty() && given != wanted {
        return Err(ApiError::bad_request(
            "the namespace of the provided object does not match the namespace sent on the request",
        ));
    }
    meta::set_meta(obj, "namespace", Value::String(wanted.to_owned()));
    Ok(())
}
