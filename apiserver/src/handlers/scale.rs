//! The `scale` subresource: an `autoscaling/v1` `Scale` read from and written to the replica
//! paths the definition names (get, update, patch).

use serde_json::{Value, json};

use super::patch::patch_document;
use super::patch_document::PatchType;
use super::{Answer, current, target, writer};
use crate::definition::ScaleSpec;
use crate::meta;
use crate::registry::{self, Registry, Write};
use crate::request::Call;
use crate::status::{ApiError, FieldError};

pub(super) fn spec(call: &Call) -> Result<ScaleSpec, ApiError> {
    call.def
        .scale
        .clone()
        .ok_or_else(ApiError::no_such_resource)
}

/// The `Scale` of an object.
pub(super) fn scale_of(call: &Call, obj: &Value, spec: ScaleSpec) -> Value {
    let replicas = |path: &str| {
        meta::get_path(obj, path)
            .and_then(Value::as_i64)
            .unwrap_or(0)
    };
    let mut status = json!({"replicas": replicas(&spec.status_replicas_path)});
    if let Some(selector) = spec
        .label_selector_path
        .as_deref()
        .and_then(|p| meta::get_path(obj, p))
        .and_then(Value::as_str)
    {
        status["selector"] = json!(selector);
    }
    let mut metadata = json!({
        "name": meta::name(obj),
        "uid": meta::uid(obj),
        "resourceVersion": meta::resource_version(obj),
        "creationTimestamp": obj.pointer("/metadata/creationTimestamp").cloned().unwrap_or(Value::Null),
    });
    if call.def.namespaced {
        metadata["namespace"] = json!(meta::namespace(obj));
    }
    json!({
        "apiVersion": "autoscaling/v1",
        "kind": "Scale",
        "metadata": metadata,
        "spec": {"replicas": replicas(&spec.spec_replicas_path)},
        "status": status,
    })
}

/// How a scale write gives the new `Scale`.
pub(super) enum ScaleChange {
    Replace(Value),
    Patch(PatchType),
}

/// PUT or PATCH of `scale`: the object's replica path is set, recorded in managedFields as
/// the scale subresource's writer, as upstream.
pub(super) fn update(
    registry: &Registry,
    call: &Call,
    cluster: &str,
    name: &str,
    change: ScaleChange,
) -> Result<Answer, ApiError> {
    let spec = spec(call)?;
    let mut state = registry.store.lock();
    let old = current(&state, call, cluster, name)?;
    let scale = match change {
        ScaleChange::Replace(body) => body,
        ScaleChange::Patch(PatchType::Apply) => {
            return Err(ApiError::unsupported_media_type(
                "apply patches are not supported on the scale subresource by this server",
            ));
        }
        ScaleChange::Patch(t) => patch_document(call, &scale_of(call, &old, spec.clone()), t)?,
    };
    let replicas = scale
        .pointer("/spec/replicas")
        .and_then(Value::as_i64)
        .ok_or_else(|| {
            ApiError::invalid(
                "autoscaling",
                "Scale",
                name,
                vec![FieldError::required(
                    "spec.replicas",
                    "replicas is required",
                )],
            )
        })?;
    if replicas < 0 {
        return Err(ApiError::invalid(
            "autoscaling",
            "Scale",
            name,
            vec![FieldError::invalid_repr(
                "spec.replicas",
                &replicas.to_string(),
                "must be greater than or equal to 0",
            )],
        ));
    }
    let given_rv = meta::resource_version(&scale);
    if !given_rv.is_empty() && given_rv != meta::resource_version(&old) {
        return Err(ApiError::conflict(
            &call.def.group,
            &call.def.plural,
            name,
            ApiError::MODIFIED,
        ));
    }
    let mut next = call.present(cluster, &old);
    meta::set_path(&mut next, &spec.spec_replicas_path, json!(replicas));
    // The object itself is written (not its status); the writer is the scale subresource.
    let main = registry::Target {
        subresource: None,
        ..target(call, cluster)
    };
    let write = Write::Patch(writer(call));
    let stored = registry::update(&mut state, &main, name, &old, next, write)?;
    Ok((200, scale_of(call, &stored, spec)))
}
