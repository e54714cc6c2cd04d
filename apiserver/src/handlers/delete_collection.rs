//! DELETE of a collection: every object the selectors match, answered as a list of what was
//! deleted (or is now finalizing).

use serde_json::json;

use super::delete::delete_options;
use super::{Answer, options};
use crate::registry::{self, Deleted, Registry, is_namespace_kind};
use crate::request::Call;
use crate::status::ApiError;
use crate::storage::{ObjectName, ResourceKey};

pub(crate) fn delete_collection(registry: &Registry, call: &Call) -> Result<Answer, ApiError> {
    if call.subresource.is_some() || is_namespace_kind(&call.def) {
        return Err(ApiError::method_not_allowed());
    }
    let cluster = call.write_cluster()?.to_owned();
    let filter = call.filter()?;
    options::list(call)?;
    let options = delete_options(call)?;
    options.validate(call)?;
    let dry_run = options.dry_run(call);
    let mut state = registry.store.lock();
    let resource = ResourceKey::of(&call.def);
    let namespace = if call.def.namespaced {
        call.namespace.as_deref()
    } else {
        None
    };
    let keys: Vec<ObjectName> = state
        .list(&resource, Some(&cluster), namespace, None)
        .filter(|(_, obj)| filter.matches(obj))
        .map(|(k, _)| k.clone())
        .collect();
    let mut items = Vec::new();
    for key in keys {
        match registry::delete(&mut state, &resource, &key, dry_run) {
            Some(Deleted::Removed(obj)) | Some(Deleted::Finalizing(obj)) => {
                items.push(call.present(&cluster, &obj))
            }
            None => {}
        }
    }
    let rv = state.resource_version();
    Ok((
        200,
        json!({
            "apiVersion": call.def.api_version(),
            "kind": format!("{}List", call.def.kind),
            "metadata": {"resourceVersion": rv.to_string()},
            "items": items,
        }),
    ))
}
