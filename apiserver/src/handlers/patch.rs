//! PATCH of an object, its `status`, or its `scale`: JSON merge patch, JSON patch, and
//! server-side apply (`application/apply-patch+yaml`).

use serde_json::{Value, json};

use super::patch_document::{self, CUSTOM_RESOURCE_PATCH_TYPES, PatchType};
use super::scale::{self, ScaleChange};
use super::{Answer, check_subresource, current, named, options, target, writer};
use crate::meta;
use crate::registry::{self, Applied, Registry, Write};
use crate::request::{Call, parse_yaml};
use crate::status::ApiError;

pub(crate) fn patch(registry: &Registry, call: &Call) -> Result<Answer, ApiError> {
    let name = named(call)?;
    let cluster = call.write_cluster()?.to_owned();
    let patch_type = PatchType::from_content_type(&call.content_type).ok_or_else(|| {
        ApiError::unsupported_media_type(format!(
            "the body of the request was in an unknown format - accepted media types include: {CUSTOM_RESOURCE_PATCH_TYPES}"
        ))
    })?;
    let patch_type = match patch_type {
        // Built-in kinds take strategic merge; without their schemas' merge keys, a merge
        // patch is its closest meaning. Custom resources refuse it, as upstream.
        PatchType::StrategicMerge if call.def.builtin => PatchType::Merge,
        PatchType::StrategicMerge => {
            return Err(ApiError::unsupported_media_type(format!(
                "the body of the request was in an unknown format - accepted media types include: {CUSTOM_RESOURCE_PATCH_TYPES}"
            )));
        }
        other => other,
    };
    options::patch(call, patch_type == PatchType::Apply)?;
    if call.subresource.as_deref() == Some("scale") {
        return scale::update(
            registry,
            call,
            &cluster,
            &name,
            ScaleChange::Patch(patch_type),
        );
    }
    check_subresource(call)?;
    if patch_type == PatchType::Apply {
        return apply(registry, call, &cluster, &name);
    }
    let mut state = registry.store.lock();
    let old = current(&state, call, &cluster, &name)?;
    let patched = patch_document(call, &call.present(&cluster, &old), patch_type)?;
    let write = Write::Patch(writer(call));
    let stored = registry::update(
        &mut state,
        &target(call, &cluster),
        &name,
        &old,
        patched,
        write,
    )?;
    Ok((200, call.present(&cluster, &stored)))
}

/// The patched object: the call's body applied to `base` as a merge or JSON patch.
pub(super) fn patch_document(
    call: &Call,
    base: &Value,
    patch_type: PatchType,
) -> Result<Value, ApiError> {
    let mut doc = base.clone();
    match patch_type {
        PatchType::Json => patch_document::json_patch(&mut doc, &call.body)?,
        _ => {
            let body: Value = serde_json::from_slice(&call.body)
                .map_err(|e| ApiError::bad_request(format!("error decoding patch: {e}")))?;
            if !body.is_object() {
                return Err(ApiError::bad_request(
                    "error decoding patch: a merge patch must be a JSON object",
                ));
            }
            patch_document::merge_patch(&mut doc, &body);
        }
    }
    Ok(doc)
}

fn apply(registry: &Registry, call: &Call, cluster: &str, name: &str) -> Result<Answer, ApiError> {
    // `options::patch` made sure there is one.
    let manager = call.param("fieldManager").unwrap_or("").to_owned();
    let mut config = parse_yaml(&call.body)?;
    if !config.is_object() {
        return Err(ApiError::bad_request(
            "error decoding YAML: the apply configuration must be an object",
        ));
    }
    call.check_type(&mut config)?;
    let given = meta::name(&config).to_owned();
    if !given.is_empty() && given != name {
        return Err(ApiError::bad_request(format!(
            "the name of the object ({given}) does not match the name on the URL ({name})"
        )));
    }
    meta::set_meta(&mut config, "name", json!(name));
    let force = call.flag("force");
    let mut state = registry.store.lock();
    registry::ensure_cluster(&mut state, cluster);
    match registry::apply(
        &mut state,
        &target(call, cluster),
        name,
        config,
        &manager,
        force,
    )? {
        Applied::Created(stored) => Ok((201, call.present(cluster, &stored))),
        Applied::Updated(stored) => Ok((200, call.present(cluster, &stored))),
    }
}
