//! Create: naming (`generateName`), name validation, the namespace's existence, server-set
//! metadata, and the creator's managedFields entry.

use std::sync::Arc;

use serde_json::{Value, json};

use super::Target;
use super::field_manager::managed::{self, Writer};
use super::metadata::{place_namespace, strip_client_metadata};
use super::validation::{self, validate_label, validate_subdomain};
use super::{builtins, namespaces};
use crate::meta;
use crate::schema::{self, Via};
use crate::status::{self, ApiError, FieldError};
use crate::storage::{ObjectName, ResourceKey, StoreState};

/// Validates, names and stamps a new object, then stores it (unless dry-run). A create
/// records its `writer` in managedFields; an apply-create (`None`) brings its own.
pub(crate) fn create(
    state: &mut StoreState,
    target: &Target<'_>,
    mut obj: Value,
    writer: Option<&Writer>,
) -> Result<Arc<Value>, ApiError> {
    let def = target.def;
    // Field management reads the schema's list and map types.
    let _schema = schema::lists::scope(def.schema.as_ref());
    let cluster = target.cluster;
    place_namespace(target, &mut obj)?;
    builtins::prepare(def, &mut obj, true);
    // The schema prunes and defaults as upstream's decoder does, before anything reads the
    // body. An apply-create (no writer) had its configuration pruned before the merge.
    let via = if writer.is_some() {
        Via::Body
    } else {
        Via::Apply
    };
    target.warn(schema::prepare(
        def,
        &mut obj,
        target.field_validation,
        via,
    )?);
    let given_name = meta::name(&obj).to_owned();
    let namespace = meta::namespace(&obj).to_owned();
    // The namespace is admission's (NamespaceLifecycle), which runs before validation.
    if def.namespaced {
        let ns = state.get(
            &ResourceKey::namespaces(),
            &ObjectName::new(cluster, "", &namespace),
        );
        match ns {
            None => return Err(ApiError::not_found("", "namespaces", &namespace)),
            Some(ns) if meta::is_deleting(&ns) => {
                let resource = status::qualified_resource(&def.group, &def.plural);
                let mut err = ApiError::forbidden(format!(
                    "{resource} \"{given_name}\" is forbidden: unable to create new content in namespace {namespace} because it is being terminated"
                ));
                err.details = Some(Default::default());
                return Err(err);
            }
            Some(_) => {}
        }
    }
    let mut name = given_name;
    let generate_name = meta::str_at(&obj, "/metadata/generateName")
        .unwrap_or("")
        .to_owned();
    let resource = target.key();
    if name.is_empty() && !generate_name.is_empty() {
        // Retry a few suffixes on collision, as the name generator's caller effectively does.
        name = (0..8)
            .map(|_| format!("{generate_name}{}", meta::generated_suffix()))
            .find(|n| {
                state
                    .get(&resource, &ObjectName::new(cluster, &namespace, n))
                    .is_none()
            })
            .unwrap_or_else(|| format!("{generate_name}{}", meta::generated_suffix()));
        meta::set_meta(&mut obj, "name", Value::String(name.clone()));
    }
    let mut errors = Vec::new();
    if name.is_empty() {
        errors.push(FieldError::required(
            "metadata.name",
            "name or generateName is required",
        ));
    } else if target.is_namespace() {
        errors.extend(validate_label("metadata.name", &name));
    } else {
        errors.extend(validate_subdomain("metadata.name", &name));
    }
    errors.extend(validation::labels(&obj));
    errors.extend(validation::annotations(&obj));
    errors.extend(validation::owner_references(&obj));
    errors.extend(validation::finalizers(&obj));
    errors.extend(crate::crd::validate::admit(def, None, &obj));
    if writer.is_some()
        && let Some(sent) = obj.pointer("/metadata/managedFields")
    {
        errors.extend(validation::managed_fields(sent));
    }
    if def.status {
        // Status is dropped below (create cannot set it), so it is not validated.
        let mut without_status = obj.clone();
        if let Value::Object(map) = &mut without_status {
            map.remove("status");
        }
        errors.extend(schema::validate(def, &without_status, None));
    } else {
        errors.extend(schema::validate(def, &obj, None));
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid(&def.group, &def.kind, &name, errors));
    }
    // etcd's storage refuses a version on a new object; nothing upstream translates that
    // error, so it reaches the client as a reason-less 500. A version that is not a
    // positive number passes (upstream cannot parse it either).
    if meta::resource_version(&obj)
        .parse::<u64>()
        .is_ok_and(|rv| rv > 0)
    {
        return Err(ApiError::unknown(
            500,
            "resourceVersion should not be set on objects to be created",
        ));
    }
    let key = ObjectName::new(cluster, &namespace, &name);
    if state.get(&resource, &key).is_some() {
        return Err(ApiError::already_exists(&def.group, &def.plural, &name));
    }
    strip_client_metadata(&mut obj);
    meta::remove_meta(&mut obj, "resourceVersion");
    meta::set_meta(&mut obj, "uid", Value::String(meta::new_uid()));
    meta::set_meta(
        &mut obj,
        "creationTimestamp",
        Value::String(meta::now_timestamp()),
    );
    meta::set_meta(&mut obj, "generation", json!(1));
    if let Value::Object(map) = &mut obj {
        map.remove("apiVersion");
        map.remove("kind");
        if def.status {
            // Create cannot set status when the status subresource is on.
            map.remove("status");
        }
    }
    if let Some(writer) = writer {
        // Before the namespace defaults below: what the server adds nobody owns.
        let sent = meta::metadata_mut(&mut obj).remove("managedFields");
        managed::record_update(None, &mut obj, sent.as_ref(), writer);
    }
    if target.is_namespace() {
        namespaces::default_new(&mut obj, &name);
    }
    if target.dry_run {
        return Ok(Arc::new(obj));
    }
    Ok(state.put(&resource, key, obj))
}
