//! GET of a collection: selectors, paging (`limit`, `continue`) and the list's
//! `resourceVersion`.

use serde_json::{Map, Value, json};

use super::{Answer, options, transform};
use crate::registry::{self, Registry};
use crate::request::{Call, ClusterScope, parse_resource_version};
use crate::status::ApiError;
use crate::storage::{ObjectName, ResourceKey};

/// Opaque paging token: the list's resourceVersion and the last key returned.
fn encode_continue(rv: u64, last: &ObjectName) -> String {
    let raw = json!({"rv": rv, "start": [last.cluster, last.namespace, last.name]}).to_string();
    raw.bytes().map(|b| format!("{b:02x}")).collect()
}

fn decode_continue(token: &str) -> Result<(u64, ObjectName), ApiError> {
    let invalid = || {
        ApiError::bad_request(
            "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
        )
    };
    let bytes: Option<Vec<u8>> = (0..token.len())
        .step_by(2)
        .map(|i| {
            token
                .get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect();
    let value: Value = bytes
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(invalid)?;
    let rv = value["rv"].as_u64().ok_or_else(invalid)?;
    let part = |i: usize| {
        value["start"][i]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(invalid)
    };
    Ok((
        rv,
        ObjectName {
            cluster: part(0)?,
            namespace: part(1)?,
            name: part(2)?,
        },
    ))
}

pub(crate) fn list(registry: &Registry, call: &Call) -> Result<Answer, ApiError> {
    options::list(call)?;
    let filter = call.filter()?;
    // `resourceVersion=0` is served from kube-apiserver 1.32's watch cache, which ignores
    // `limit` (so such a list never needs a `continue`).
    let from_cache = call.param("resourceVersion") == Some("0");
    let limit = match call.param("limit") {
        None | Some("") => None,
        Some(raw) => match raw.parse::<i64>() {
            Ok(n) if n > 0 => usize::try_from(n).ok(),
            Ok(_) => None,
            Err(_) => return Err(ApiError::bad_request(format!("invalid limit: {raw}"))),
        },
    };
    let limit = limit.filter(|_| !from_cache);
    let mut state = registry.store.lock();
    if let ClusterScope::One(c) = &call.cluster {
        registry::ensure_cluster(&mut state, c);
    }
    let now = state.resource_version();
    let (list_rv, after) = match call.param("continue").filter(|c| !c.is_empty()) {
        Some(token) => {
            let (rv, last) = decode_continue(token)?;
            if rv < state.oldest_resumable() {
                return Err(ApiError::expired(
                    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.",
                ));
            }
            (rv, Some(last))
        }
        None => {
            if let Some(raw) = call
                .param("resourceVersion")
                .filter(|v| !v.is_empty() && *v != "0")
            {
                let wanted = parse_resource_version(raw)?;
                if wanted > now {
                    return Err(ApiError::too_large_resource_version(wanted, now));
                }
                if call.param("resourceVersionMatch") == Some("Exact") && wanted != now {
                    return Err(ApiError::expired(format!(
                        "too old resource version: {wanted} ({now})"
                    )));
                }
            }
            (now, None)
        }
    };
    let cluster = match &call.cluster {
        ClusterScope::One(c) => Some(c.as_str()),
        ClusterScope::All => None,
    };
    let namespace = if call.def.namespaced {
        call.namespace.as_deref()
    } else {
        None
    };
    let resource = ResourceKey::of(&call.def);
    let mut items = Vec::new();
    let mut last_key = None;
    let mut more = false;
    for (key, obj) in state.list(&resource, cluster, namespace, after.as_ref()) {
        if !filter.matches(obj) {
            continue;
        }
        if limit.is_some_and(|l| items.len() >= l) {
            more = true;
            break;
        }
        items.push(call.present(&key.cluster, obj));
        last_key = Some(key.clone());
    }
    // Upstream counts what is left only when no selector filters it (etcd counts keys).
    let unfiltered = call.param("labelSelector").unwrap_or("").is_empty()
        && call.param("fieldSelector").unwrap_or("").is_empty();
    let remaining = match &last_key {
        Some(last) if more && unfiltered => Some(
            state
                .list(&resource, cluster, namespace, Some(last))
                .count(),
        ),
        _ => None,
    };
    drop(state);
    let mut metadata = Map::new();
    metadata.insert("resourceVersion".to_owned(), json!(list_rv.to_string()));
    if more && let Some(last) = &last_key {
        metadata.insert("continue".to_owned(), json!(encode_continue(list_rv, last)));
    }
    if let Some(n) = remaining {
        metadata.insert("remainingItemCount".to_owned(), json!(n));
    }
    Ok((200, transform::list(call, items, metadata)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continue_tokens_round_trip_and_reject_garbage() {
        let key = ObjectName::new("root:org", "ns", "a/b");
        let token = encode_continue(42, &key);
        assert_eq!(decode_continue(&token).ok(), Some((42, key)));
        assert_eq!(decode_continue("zz").map_err(|e| e.code), Err(400));
        assert_eq!(decode_continue("7b7d").map_err(|e| e.code), Err(400));
    }
}
