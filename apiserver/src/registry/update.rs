//! Update: the common tail of PUT, patches, apply and scale changes. Keeps server-owned
//! fields, enforces the subresource's reach and optimistic concurrency, records field
//! ownership, bumps generation, and finishes deletions whose last finalizer went.

use std::sync::Arc;

use serde_json::{Value, json};

use super::field_manager::managed::{self, Writer};
use super::metadata::{place_namespace, strip_client_metadata};
use super::{Target, builtins, namespaces, validation};
use crate::meta;
use crate::schema::{self, Via};
use crate::status::{ApiError, FieldError};
use crate::storage::StoreState;

/// How an [`update`] treats `resourceVersion` and managedFields.
#[derive(Debug)]
pub(crate) enum Write {
    /// PUT: `resourceVersion` is required; the writer takes over what it changed.
    Update(Writer),
    /// Merge or JSON patch, or a scale change: `resourceVersion` is a precondition only when
    /// given; the writer takes over what it changed.
    Patch(Writer),
    /// Server-side apply: the candidate's managedFields are the apply's result.
    Apply,
}

/// Everything but metadata (and status, when it is a subresource): what `generation` tracks.
fn spec_part(target: &Target<'_>, obj: &Value) -> Value {
    let mut out = obj.clone();
    if let Value::Object(map) = &mut out {
        for k in ["metadata", "apiVersion", "kind"] {
            map.remove(k);
        }
        if target.def.status {
            map.remove("status");
        }
    }
    out
}

/// Replaces `old` (the stored `name`) with `candidate`, under the rules above. Returns the
/// object as stored: `old` itself when nothing changed, the candidate unstored on a dry run,
/// the last state when the write completed a deletion.
pub(crate) fn update(
    state: &mut StoreState,
    target: &Target<'_>,
    name: &str,
    old: &Arc<Value>,
    mut candidate: Value,
    write: Write,
) -> Result<Arc<Value>, ApiError> {
    // Field management reads the schema's list and map types.
    let _schema = schema::lists::scope(target.def.schema.as_ref());
    let require_resource_version = matches!(write, Write::Update(_));
    // The sent list is the field manager's base only for writes to the main resource.
    let sent_is_base = match &write {
        Write::Apply => false,
        Write::Update(writer) | Write::Patch(writer) => writer.subresource.is_empty(),
    };
    let sent_managed_fields = meta::metadata_mut(&mut candidate).remove("managedFields");
    let given_uid = meta::uid(&candidate).to_owned();
    let group = &target.def.group;
    let kind = &target.def.kind;
    let given_name = meta::name(&candidate).to_owned();
    if given_name.is_empty() && !require_resource_version {
        meta::set_meta(&mut candidate, "name", json!(name));
    } else if given_name != name {
        return Err(ApiError::bad_request(format!(
            "the name of the object ({given_name}) does not match the name on the URL ({name})"
        )));
    }
    place_namespace(target, &mut candidate)?;
    builtins::prepare(target.def, &mut candidate, false);
    let via = if matches!(write, Write::Apply) {
        Via::Apply
    } else {
        Via::Body
    };
    target.warn(schema::prepare(
        target.def,
        &mut candidate,
        target.field_validation,
        via,
    )?);
    let given_rv = meta::resource_version(&candidate).to_owned();
    if given_rv.is_empty() {
        if require_resource_version {
            return Err(ApiError::invalid(
                group,
                kind,
                name,
                // Upstream prints the parsed version, a Go uint64 zero, with `%#v`.
                vec![FieldError::invalid_repr(
                    "metadata.resourceVersion",
                    "0x0",
                    "must be specified for an update",
                )],
            ));
        }
    } else if given_rv != meta::resource_version(old) {
        return Err(ApiError::conflict(
            group,
            &target.def.plural,
            name,
            ApiError::MODIFIED,
        ));
    }

    let mut new = match target.subresource {
        Some("status") => {
            // The status endpoint changes only status.
            let mut merged = (**old).clone();
            if let Value::Object(map) = &mut merged {
                match candidate.get("status") {
                    Some(s) => map.insert("status".to_owned(), s.clone()),
                    None => map.remove("status"),
                };
            }
            merged
        }
        _ => {
            let mut next = candidate;
            if target.def.status
                && let Value::Object(map) = &mut next
            {
                // The main endpoint ignores status changes when status is a subresource.
                match old.get("status") {
                    Some(s) => map.insert("status".to_owned(), s.clone()),
                    None => map.remove("status"),
                };
            }
            next
        }
    };
    if let Value::Object(map) = &mut new {
        map.remove("apiVersion");
        map.remove("kind");
    }
    strip_client_metadata(&mut new);
    for field in [
        "uid",
        "creationTimestamp",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
        "generation",
    ] {
        if let Some(v) = old.pointer(&format!("/metadata/{field}")) {
            meta::set_meta(&mut new, field, v.clone());
        }
    }
    meta::set_meta(
        &mut new,
        "resourceVersion",
        json!(meta::resource_version(old)),
    );
    meta::remove_meta(&mut new, "managedFields");
    match write {
        Write::Apply => {
            if let Some(fields) = &sent_managed_fields {
                meta::set_meta(&mut new, "managedFields", fields.clone());
            }
        }
        Write::Update(writer) | Write::Patch(writer) => {
            managed::record_update(Some(old), &mut new, sent_managed_fields.as_ref(), &writer)
        }
    }

    // ValidateObjectMetaUpdate, in upstream's order. A missing uid is the stored one.
    let mut errors = Vec::new();
    if meta::is_deleting(old) {
        let before = meta::finalizers(old);
        let added: Vec<String> = meta::finalizers(&new)
            .into_iter()
            .filter(|f| !before.contains(f))
            .collect();
        if !added.is_empty() {
            errors.push(FieldError::forbidden(
                "metadata.finalizers",
                &format!(
                    "no new finalizers can be added if the object is being deleted, found new finalizers {added:?}"
                ),
            ));
        }
    }
    if !given_uid.is_empty() && given_uid != meta::uid(old) {
        errors.push(FieldError::invalid(
            "metadata.uid",
            &given_uid,
            "field is immutable",
        ));
    }
    errors.extend(validation::labels(&new));
    errors.extend(validation::annotations(&new));
    errors.extend(validation::owner_references(&new));
    errors.extend(crate::crd::validate::admit(target.def, Some(old), &new));
    if sent_is_base && let Some(sent) = &sent_managed_fields {
        errors.extend(validation::managed_fields(sent));
    }
    errors.extend(schema::validate(target.def, &new, Some(old)));
    if !errors.is_empty() {
        return Err(ApiError::invalid(group, kind, name, errors));
    }
    if spec_part(target, &new) != spec_part(target, old) {
        meta::set_meta(&mut new, "generation", json!(meta::generation(old) + 1));
    }
    if managed::same_but_times(&new, old) {
        // A no-op write keeps the resourceVersion and sends no event, as kube-apiserver does
        // (which ignores a change of managedFields timestamps alone).
        return Ok(Arc::clone(old));
    }
    if target.dry_run {
        return Ok(Arc::new(new));
    }
    let key = target.object_name(name);
    let resource = target.key();
    if meta::is_deleting(&new) && meta::finalizers(&new).is_empty() {
        state.put(&resource, key.clone(), new);
        let last = state
            .remove(&resource, &key)
            .unwrap_or_else(|| Arc::clone(old));
        namespaces::reap(state, target.cluster, &key.namespace);
        return Ok(last);
    }
    Ok(state.put(&resource, key, new))
}
