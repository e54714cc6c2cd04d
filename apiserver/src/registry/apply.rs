//! Server-side apply of a decoded configuration: what the endpoint lets it reach, the field
//! manager's merge, then a create or an update.

use std::sync::Arc;

use serde_json::{Value, json};

use super::field_manager::apply as ssa;
use super::update::{Write, update};
use super::{Target, create};
use crate::meta;
use crate::schema::{self, Via};
use crate::status::ApiError;
use crate::storage::StoreState;

/// What an apply did.
#[derive(Debug)]
pub(crate) enum Applied {
    Created(Arc<Value>),
    Updated(Arc<Value>),
}

/// Applies `config` (already checked for type and name, `metadata.name` set) for `manager`.
pub(crate) fn apply(
    state: &mut StoreState,
    target: &Target<'_>,
    name: &str,
    mut config: Value,
    manager: &str,
    force: bool,
) -> Result<Applied, ApiError> {
    let def = target.def;
    // The merge reads the schema's list and map types.
    let _schema = schema::lists::scope(def.schema.as_ref());
    if let Value::Object(map) = &mut config {
        match target.subresource {
            Some("status") => {
                map.retain(|k, _| {
                    matches!(k.as_str(), "apiVersion" | "kind" | "metadata" | "status")
                });
                // The status endpoint stores only status: other metadata the configuration
                // sets would be owned without ever being written.
                if let Some(Value::Object(m)) = map.get_mut("metadata") {
                    m.retain(|k, _| {
                        matches!(
                            k.as_str(),
                            "name" | "namespace" | "uid" | "resourceVersion" | "managedFields"
                        )
                    });
                }
            }
            _ if def.status => {
                map.remove("status");
            }
            _ => {}
        }
    }
    // Unknown fields go before the merge, so the applier never owns what is not stored.
    target.warn(schema::prune_unknown(
        def,
        &mut config,
        target.field_validation,
        Via::Apply,
    )?);
    let api_version = def.api_version();
    let ssa_target = ssa::Target {
        api_version: &api_version,
        subresource: target.subresource.unwrap_or(""),
    };
    let typed = |mut obj: Value| {
        if let Value::Object(map) = &mut obj {
            map.insert("apiVersion".to_owned(), json!(api_version));
            map.insert("kind".to_owned(), json!(def.kind));
        }
        obj
    };
    match state.get(&target.key(), &target.object_name(name)) {
        None => {
            if target.subresource.is_some() {
                return Err(ApiError::not_found(&def.group, &def.plural, name));
            }
            let merged = ssa::apply(None, &config, manager, force, &ssa_target)?;
            create(state, target, typed(merged), None).map(Applied::Created)
        }
        Some(old) => {
            let live = typed((*old).clone());
            let mut merged = ssa::apply(Some(&live), &config, manager, force, &ssa_target)?;
            // A resourceVersion in the configuration is a precondition (`update` answers 409
            // when it is stale), as upstream; without one the last apply wins.
            if meta::resource_version(&config).is_empty() {
                meta::remove_meta(&mut merged, "resourceVersion");
            }
            update(state, target, name, &old, merged, Write::Apply).map(Applied::Updated)
        }
    }
}
