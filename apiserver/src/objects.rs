//! The object verbs: create, get, list, update, patch, delete, deletecollection, and the
//! `status` and `scale` subresources. Each runs its read-check-write under one store lock.

use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::apply;
use crate::call::{CLUSTER_ANNOTATION, Call};
use crate::definition::ScaleSpec;
use crate::managed::{self, Writer};
use crate::meta;
use crate::patch::{self, CUSTOM_RESOURCE_PATCH_TYPES, PatchType};
use crate::registry::ResourceKey;
use crate::route::ClusterScope;
use crate::selector::{FieldSelector, LabelSelector};
use crate::status::{self, ApiError, FieldError};
use crate::store::{ObjectName, StoreState};

/// Namespaces every logical cluster starts with.
const INITIAL_NAMESPACES: [&str; 4] = ["default", "kube-system", "kube-public", "kube-node-lease"];

/// A successful answer: HTTP code and JSON body.
pub(crate) type Answer = (u16, Value);

/// Creates a cluster's initial namespaces the first time the cluster is addressed.
pub(crate) fn ensure_cluster(state: &mut StoreState, cluster: &str) {
    if !state.first_touch(cluster) {
        return;
    }
    for ns in INITIAL_NAMESPACES {
        let name = ObjectName::new(cluster, "", ns);
        if state.get(&ResourceKey::namespaces(), &name).is_none() {
            let obj = json!({
                "metadata": {
                    "name": ns,
                    "uid": meta::new_uid(),
                    "creationTimestamp": meta::now_timestamp(),
                    "labels": {"kubernetes.io/metadata.name": ns},
                },
                "spec": {"finalizers": ["kubernetes"]},
                "status": {"phase": "Active"},
            });
            state.put(&ResourceKey::namespaces(), name, obj);
        }
    }
}

fn is_namespace_resource(call: &Call) -> bool {
    call.def.group.is_empty() && call.def.plural == "namespaces"
}

fn not_found(call: &Call, name: &str) -> ApiError {
    ApiError::not_found(&call.def.group, &call.def.plural, name)
}

/// Server-owned metadata a client cannot set or change.
fn strip_client_metadata(obj: &mut Value) {
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

/// Validates, names and stamps a new object, then stores it (unless dry-run). A create
/// records its `writer` in managedFields; an apply-create (`None`) brings its own.
fn insert_new(
    state: &mut StoreState,
    call: &Call,
    cluster: &str,
    mut obj: Value,
    writer: Option<&Writer>,
) -> Result<Arc<Value>, ApiError> {
    call.place_namespace(&mut obj)?;
    let mut name = meta::name(&obj).to_owned();
    let generate_name = meta::str_at(&obj, "/metadata/generateName")
        .unwrap_or("")
        .to_owned();
    if name.is_empty() && generate_name.is_empty() {
        return Err(ApiError::invalid(
            &call.def.group,
            &call.def.kind,
            "",
            vec![FieldError::required(
                "metadata.name",
                "name or generateName is required",
            )],
        ));
    }
    let namespace = meta::namespace(&obj).to_owned();
    let resource = call.resource();
    if name.is_empty() {
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
    let invalid_name = if is_namespace_resource(call) {
        meta::validate_label("metadata.name", &name)
    } else {
        meta::validate_subdomain("metadata.name", &name)
    };
    if let Some(err) = invalid_name {
        return Err(ApiError::invalid(
            &call.def.group,
            &call.def.kind,
            &name,
            vec![err],
        ));
    }
    if call.def.namespaced {
        let ns = state.get(
            &ResourceKey::namespaces(),
            &ObjectName::new(cluster, "", &namespace),
        );
        match ns {
            None => return Err(ApiError::not_found("", "namespaces", &namespace)),
            Some(ns) if meta::is_deleting(&ns) => {
                let resource = status::qualified_resource(&call.def.group, &call.def.plural);
                let mut err = ApiError::forbidden(format!(
                    "{resource} \"{name}\" is forbidden: unable to create new content in namespace {namespace} because it is being terminated"
                ));
                err.details = Some(Default::default());
                return Err(err);
            }
            Some(_) => {}
        }
    }
    let key = ObjectName::new(cluster, &namespace, &name);
    if state.get(&resource, &key).is_some() {
        return Err(ApiError::already_exists(
            &call.def.group,
            &call.def.plural,
            &name,
        ));
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
        if call.def.status {
            // Create cannot set status when the status subresource is on.
            map.remove("status");
        }
    }
    if let Some(writer) = writer {
        // Before the namespace defaults below: what the server adds nobody owns.
        let sent = meta::metadata_mut(&mut obj).remove("managedFields");
        managed::record_update(None, &mut obj, sent.as_ref(), writer);
    }
    if is_namespace_resource(call) {
        patch::set_path(&mut obj, ".status.phase", json!("Active"));
        let mut labels = obj
            .pointer("/metadata/labels")
            .cloned()
            .unwrap_or_else(|| json!({}));
        labels["kubernetes.io/metadata.name"] = json!(name);
        meta::set_meta(&mut obj, "labels", labels);
    }
    if call.dry_run() {
        return Ok(Arc::new(obj));
    }
    Ok(state.put(&resource, key, obj))
}

pub(crate) fn create(call: &Call) -> Result<Answer, ApiError> {
    if call.name.is_some() || call.subresource.is_some() {
        return Err(ApiError::method_not_allowed());
    }
    let cluster = call.write_cluster()?.to_owned();
    let obj = call.decode_body()?;
    call.check_type(&obj)?;
    let mut state = call.inner.store.lock();
    ensure_cluster(&mut state, &cluster);
    let stored = insert_new(&mut state, call, &cluster, obj, Some(&call.writer()))?;
    Ok((201, call.present(&cluster, &stored)))
}

fn current(
    state: &StoreState,
    call: &Call,
    cluster: &str,
    name: &str,
) -> Result<Arc<Value>, ApiError> {
    state
        .get(&call.resource(), &call.object_name(cluster, name))
        .ok_or_else(|| not_found(call, name))
}

pub(crate) fn get(call: &Call, name: &str) -> Result<Answer, ApiError> {
    let cluster = call.write_cluster()?.to_owned();
    let state = call.inner.store.lock();
    let obj = current(&state, call, &cluster, name)?;
    drop(state);
    match call.subresource.as_deref() {
        None | Some("status") => Ok((200, call.present(&cluster, &obj))),
        Some("scale") => Ok((200, scale_of(call, &obj, scale_spec(call)?))),
        Some(_) => Err(ApiError::no_such_resource()),
    }
}

/// Filters shared by list, watch and deletecollection.
pub(crate) struct Filter {
    pub labels: LabelSelector,
    pub fields: FieldSelector,
}

impl Filter {
    pub(crate) fn from_call(call: &Call) -> Result<Self, ApiError> {
        let labels = LabelSelector::parse(call.param("labelSelector").unwrap_or(""))
            .map_err(|e| ApiError::bad_request(format!("unable to parse requirement: {e}")))?;
        let fields = FieldSelector::parse(call.param("fieldSelector").unwrap_or(""))
            .map_err(ApiError::bad_request)?;
        Ok(Filter { labels, fields })
    }

    pub(crate) fn matches(&self, obj: &Value) -> bool {
        self.labels.matches_object(obj) && self.fields.matches_object(obj)
    }
}

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

pub(crate) fn parse_resource_version(raw: &str) -> Result<u64, ApiError> {
    raw.parse::<u64>()
        .map_err(|_| ApiError::bad_request(format!("invalid resource version: {raw}")))
}

pub(crate) fn list(call: &Call) -> Result<Answer, ApiError> {
    let filter = Filter::from_call(call)?;
    let limit = match call.param("limit") {
        None | Some("") => None,
        Some(raw) => match raw.parse::<i64>() {
            Ok(n) if n > 0 => usize::try_from(n).ok(),
            Ok(_) => None,
            Err(_) => return Err(ApiError::bad_request(format!("invalid limit: {raw}"))),
        },
    };
    let mut state = call.inner.store.lock();
    if let ClusterScope::One(c) = &call.cluster {
        ensure_cluster(&mut state, c);
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
                    return Err(ApiError::timeout(format!(
                        "Too large resource version: {wanted}, current: {now}"
                    )));
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
    let resource = call.resource();
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
    drop(state);
    let mut metadata = Map::new();
    metadata.insert("resourceVersion".to_owned(), json!(list_rv.to_string()));
    if more && let Some(last) = &last_key {
        metadata.insert("continue".to_owned(), json!(encode_continue(list_rv, last)));
    }
    Ok((
        200,
        json!({
            "apiVersion": call.def.api_version(),
            "kind": format!("{}List", call.def.kind),
            "metadata": metadata,
            "items": items,
        }),
    ))
}

/// Everything but metadata (and status, when it is a subresource): what `generation` tracks.
fn spec_part(call: &Call, obj: &Value) -> Value {
    let mut out = obj.clone();
    if let Value::Object(map) = &mut out {
        for k in ["metadata", "apiVersion", "kind"] {
            map.remove(k);
        }
        if call.def.status {
            map.remove("status");
        }
    }
    out
}

/// How a write through [`replace`] treats `resourceVersion` and managedFields.
enum Write {
    /// PUT: `resourceVersion` is required; the writer takes over what it changed.
    Update(Writer),
    /// Merge or JSON patch, or a scale change: `resourceVersion` is a precondition only when
    /// given; the writer takes over what it changed.
    Patch(Writer),
    /// Server-side apply: the candidate's managedFields are the apply's result.
    Apply,
}

/// The common tail of update, patch and apply: keeps server-owned fields, enforces the
/// subresource's reach and optimistic concurrency, records field ownership, bumps generation,
/// finishes deletions.
fn replace(
    state: &mut StoreState,
    call: &Call,
    cluster: &str,
    name: &str,
    old: &Arc<Value>,
    mut candidate: Value,
    write: Write,
) -> Result<Answer, ApiError> {
    let require_resource_version = matches!(write, Write::Update(_));
    let sent_managed_fields = meta::metadata_mut(&mut candidate).remove("managedFields");
    let group = &call.def.group;
    let kind = &call.def.kind;
    let given_name = meta::name(&candidate).to_owned();
    if given_name.is_empty() && !require_resource_version {
        meta::set_meta(&mut candidate, "name", json!(name));
    } else if given_name != name {
        return Err(ApiError::bad_request(format!(
            "the name of the object ({given_name}) does not match the name on the URL ({name})"
        )));
    }
    call.place_namespace(&mut candidate)?;
    let given_rv = meta::resource_version(&candidate).to_owned();
    if given_rv.is_empty() {
        if require_resource_version {
            return Err(ApiError::invalid(
                group,
                kind,
                name,
                vec![FieldError::invalid(
                    "metadata.resourceVersion",
                    "0x0",
                    "must be specified for an update",
                )],
            ));
        }
    } else if given_rv != meta::resource_version(old) {
        return Err(ApiError::conflict(
            group,
            &call.def.plural,
            name,
            ApiError::MODIFIED,
        ));
    }

    let mut new = match call.subresource.as_deref() {
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
            if call.def.status
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
            if let Some(fields) = sent_managed_fields {
                meta::set_meta(&mut new, "managedFields", fields);
            }
        }
        Write::Update(writer) | Write::Patch(writer) => {
            managed::record_update(Some(old), &mut new, sent_managed_fields.as_ref(), &writer)
        }
    }

    if meta::is_deleting(old) {
        let before = meta::finalizers(old);
        let added: Vec<String> = meta::finalizers(&new)
            .into_iter()
            .filter(|f| !before.contains(f))
            .collect();
        if !added.is_empty() {
            return Err(ApiError::invalid(
                group,
                kind,
                name,
                vec![FieldError::forbidden(
                    "metadata.finalizers",
                    &format!(
                        "no new finalizers can be added if the object is being deleted, found new finalizers {added:?}"
                    ),
                )],
            ));
        }
    }
    if spec_part(call, &new) != spec_part(call, old) {
        meta::set_meta(&mut new, "generation", json!(meta::generation(old) + 1));
    }
    if managed::same_but_times(&new, old) {
        // A no-op write keeps the resourceVersion and sends no event, as kube-apiserver does
        // (which ignores a change of managedFields timestamps alone).
        return Ok((200, call.present(cluster, old)));
    }
    if call.dry_run() {
        return Ok((200, call.present(cluster, &new)));
    }
    let key = call.object_name(cluster, name);
    if meta::is_deleting(&new) && meta::finalizers(&new).is_empty() {
        let resource = call.resource();
        state.put(&resource, key.clone(), new);
        let last = state
            .remove(&resource, &key)
            .unwrap_or_else(|| Arc::clone(old));
        reap_namespace(state, cluster, &key.namespace);
        return Ok((200, call.present(cluster, &last)));
    }
    let stored = state.put(&call.resource(), key, new);
    Ok((200, call.present(cluster, &stored)))
}

fn named(call: &Call) -> Result<String, ApiError> {
    call.name.clone().ok_or_else(ApiError::method_not_allowed)
}

pub(crate) fn update(call: &Call) -> Result<Answer, ApiError> {
    let name = named(call)?;
    let cluster = call.write_cluster()?.to_owned();
    let body = call.decode_body()?;
    if call.subresource.as_deref() == Some("scale") {
        return update_scale(call, &cluster, &name, ScaleChange::Replace(body));
    }
    check_subresource(call)?;
    call.check_type(&body)?;
    let mut state = call.inner.store.lock();
    let old = current(&state, call, &cluster, &name)?;
    replace(
        &mut state,
        call,
        &cluster,
        &name,
        &old,
        body,
        Write::Update(call.writer()),
    )
}

fn check_subresource(call: &Call) -> Result<(), ApiError> {
    match call.subresource.as_deref() {
        None => Ok(()),
        Some("status") if call.def.status => Ok(()),
        _ => Err(ApiError::no_such_resource()),
    }
}

pub(crate) fn patch(call: &Call) -> Result<Answer, ApiError> {
    let name = named(call)?;
    let cluster = call.write_cluster()?.to_owned();
    let patch_type = PatchType::from_content_type(&call.content_type).ok_or_else(|| {
        ApiError::unsupported_media_type(format!(
            "the body of the request was in an unknown format - accepted media types include: {CUSTOM_RESOURCE_PATCH_TYPES}"
        ))
    })?;
    let patch_type = match patch_type {
        // Built-in kinds (here: Namespace) take strategic merge; with no schema, a merge patch
        // is its closest meaning. Custom resources refuse it, as upstream.
        PatchType::StrategicMerge if is_namespace_resource(call) => PatchType::Merge,
        PatchType::StrategicMerge => {
            return Err(ApiError::unsupported_media_type(format!(
                "the body of the request was in an unknown format - accepted media types include: {CUSTOM_RESOURCE_PATCH_TYPES}"
            )));
        }
        other => other,
    };
    if call.subresource.as_deref() == Some("scale") {
        return update_scale(call, &cluster, &name, ScaleChange::Patch(patch_type));
    }
    check_subresource(call)?;
    if patch_type == PatchType::Apply {
        return apply_patch(call, &cluster, &name);
    }
    let mut state = call.inner.store.lock();
    let old = current(&state, call, &cluster, &name)?;
    let patched = patch_document(call, &call.present(&cluster, &old), patch_type)?;
    replace(
        &mut state,
        call,
        &cluster,
        &name,
        &old,
        patched,
        Write::Patch(call.writer()),
    )
}

fn patch_document(call: &Call, base: &Value, patch_type: PatchType) -> Result<Value, ApiError> {
    let mut doc = base.clone();
    match patch_type {
        PatchType::Json => patch::json_patch(&mut doc, &call.body)?,
        _ => {
            let body: Value = serde_json::from_slice(&call.body)
                .map_err(|e| ApiError::bad_request(format!("error decoding patch: {e}")))?;
            if !body.is_object() {
                return Err(ApiError::bad_request(
                    "error decoding patch: a merge patch must be a JSON object",
                ));
            }
            patch::merge_patch(&mut doc, &body);
        }
    }
    Ok(doc)
}

fn apply_patch(call: &Call, cluster: &str, name: &str) -> Result<Answer, ApiError> {
    let manager = call.param("fieldManager").unwrap_or("").to_owned();
    if manager.is_empty() {
        return Err(ApiError::invalid(
            "meta.k8s.io",
            "PatchOptions",
            "",
            vec![FieldError::required(
                "fieldManager",
                "is required for apply patch",
            )],
        ));
    }
    let mut config = crate::call::parse_yaml(&call.body)?;
    if !config.is_object() {
        return Err(ApiError::bad_request(
            "error decoding YAML: the apply configuration must be an object",
        ));
    }
    call.check_type(&config)?;
    let given = meta::name(&config).to_owned();
    if !given.is_empty() && given != name {
        return Err(ApiError::bad_request(format!(
            "the name of the object ({given}) does not match the name on the URL ({name})"
        )));
    }
    meta::set_meta(&mut config, "name", json!(name));
    if let Value::Object(map) = &mut config {
        match call.subresource.as_deref() {
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
            _ if call.def.status => {
                map.remove("status");
            }
            _ => {}
        }
    }
    let target = apply::Target {
        api_version: &call.def.api_version(),
        subresource: call.subresource.as_deref().unwrap_or(""),
    };
    let force = call.flag("force");
    let mut state = call.inner.store.lock();
    ensure_cluster(&mut state, cluster);
    let live = state.get(&call.resource(), &call.object_name(cluster, name));
    match live {
        None => {
            if call.subresource.is_some() {
                return Err(not_found(call, name));
            }
            let mut merged = apply::apply(None, &config, &manager, force, &target)?;
            if let Value::Object(map) = &mut merged {
                map.insert("apiVersion".to_owned(), json!(call.def.api_version()));
                map.insert("kind".to_owned(), json!(call.def.kind));
            }
            let stored = insert_new(&mut state, call, cluster, merged, None)?;
            Ok((201, call.present(cluster, &stored)))
        }
        Some(old) => {
            let presented = call.present(cluster, &old);
            let mut merged = apply::apply(Some(&presented), &config, &manager, force, &target)?;
            // A resourceVersion in the configuration is a precondition (`replace` answers 409
            // when it is stale), as upstream; without one the last apply wins.
            if meta::resource_version(&config).is_empty() {
                meta::remove_meta(&mut merged, "resourceVersion");
            }
            replace(&mut state, call, cluster, name, &old, merged, Write::Apply)
        }
    }
}

fn scale_spec(call: &Call) -> Result<ScaleSpec, ApiError> {
    call.def
        .scale
        .clone()
        .ok_or_else(ApiError::no_such_resource)
}

fn scale_of(call: &Call, obj: &Value, spec: ScaleSpec) -> Value {
    let replicas = |path: &str| {
        patch::get_path(obj, path)
            .and_then(Value::as_i64)
            .unwrap_or(0)
    };
    let mut status = json!({"replicas": replicas(&spec.status_replicas_path)});
    if let Some(selector) = spec
        .label_selector_path
        .as_deref()
        .and_then(|p| patch::get_path(obj, p))
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

enum ScaleChange {
    Replace(Value),
    Patch(PatchType),
}

fn update_scale(
    call: &Call,
    cluster: &str,
    name: &str,
    change: ScaleChange,
) -> Result<Answer, ApiError> {
    let spec = scale_spec(call)?;
    let mut state = call.inner.store.lock();
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
            vec![FieldError::invalid(
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
    patch::set_path(&mut next, &spec.spec_replicas_path, json!(replicas));
    let main = Call {
        inner: Arc::clone(&call.inner),
        def: call.def.clone(),
        cluster: call.cluster.clone(),
        cluster_prefixed: call.cluster_prefixed,
        namespace: call.namespace.clone(),
        name: call.name.clone(),
        subresource: None,
        query: call.query.clone(),
        content_type: call.content_type.clone(),
        user_agent: call.user_agent.clone(),
        body: call.body.clone(),
    };
    // Recorded as the scale subresource's writer, as upstream.
    let writer = call.writer();
    let (code, obj) = replace(
        &mut state,
        &main,
        cluster,
        name,
        &old,
        next,
        Write::Patch(writer),
    )?;
    Ok((code, scale_of(call, &obj, spec)))
}

/// Outcome of deleting one object.
enum Deleted {
    /// Gone now; the last state.
    Removed(Arc<Value>),
    /// Finalizers hold it; the object with its deletionTimestamp.
    Finalizing(Arc<Value>),
}

/// Deletes or starts deleting one object. Namespaces cascade to their content.
fn delete_object(
    state: &mut StoreState,
    resource: &ResourceKey,
    key: &ObjectName,
    dry_run: bool,
) -> Option<Deleted> {
    let old = state.get(resource, key)?;
    let is_namespace = *resource == ResourceKey::namespaces();
    let holds = !meta::finalizers(&old).is_empty();
    if dry_run {
        return Some(if holds {
            Deleted::Finalizing(old)
        } else {
            Deleted::Removed(old)
        });
    }
    if is_namespace {
        let mut terminating = (*old).clone();
        if !meta::is_deleting(&terminating) {
            meta::set_meta(
                &mut terminating,
                "deletionTimestamp",
                json!(meta::now_timestamp()),
            );
            meta::set_meta(&mut terminating, "deletionGracePeriodSeconds", json!(0));
            patch::set_path(&mut terminating, ".status.phase", json!("Terminating"));
            state.put(resource, key.clone(), terminating);
        }
        for (content_resource, content_key) in state.namespace_content(&key.cluster, &key.name) {
            delete_object(state, &content_resource, &content_key, false);
        }
        reap_namespace(state, &key.cluster, &key.name);
        return Some(match state.get(resource, key) {
            Some(still) => Deleted::Finalizing(still),
            None => Deleted::Removed(old),
        });
    }
    if holds {
        if meta::is_deleting(&old) {
            return Some(Deleted::Finalizing(old));
        }
        let mut marked = (*old).clone();
        meta::set_meta(
            &mut marked,
            "deletionTimestamp",
            json!(meta::now_timestamp()),
        );
        meta::set_meta(&mut marked, "deletionGracePeriodSeconds", json!(0));
        meta::set_meta(&mut marked, "generation", json!(meta::generation(&old) + 1));
        return Some(Deleted::Finalizing(state.put(
            resource,
            key.clone(),
            marked,
        )));
    }
    let last = state.remove(resource, key)?;
    reap_namespace(state, &key.cluster, &key.namespace);
    Some(Deleted::Removed(last))
}

/// Removes a terminating namespace once nothing is left in it. Namespace `spec.finalizers`
/// stand for the namespace controller, which this server plays itself, so only
/// `metadata.finalizers` hold a namespace.
fn reap_namespace(state: &mut StoreState, cluster: &str, namespace: &str) {
    if namespace.is_empty() {
        return;
    }
    let key = ObjectName::new(cluster, "", namespace);
    let Some(ns) = state.get(&ResourceKey::namespaces(), &key) else {
        return;
    };
    if meta::is_deleting(&ns)
        && meta::finalizers(&ns).is_empty()
        && !state.namespace_has_content(cluster, namespace)
    {
        state.remove(&ResourceKey::namespaces(), &key);
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct DeleteOptions {
    #[serde(default)]
    preconditions: Option<Preconditions>,
    #[serde(default)]
    dry_run: Option<Vec<String>>,
}

#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Preconditions {
    uid: Option<String>,
    resource_version: Option<String>,
}

fn delete_options(call: &Call) -> Result<DeleteOptions, ApiError> {
    if call.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(DeleteOptions::default());
    }
    serde_json::from_slice(&call.body)
        .map_err(|e| ApiError::bad_request(format!("error decoding DeleteOptions: {e}")))
}

pub(crate) fn delete(call: &Call) -> Result<Answer, ApiError> {
    let name = named(call)?;
    if call.subresource.is_some() {
        return Err(ApiError::method_not_allowed());
    }
    let cluster = call.write_cluster()?.to_owned();
    let options = delete_options(call)?;
    let dry_run = call.dry_run()
        || options
            .dry_run
            .is_some_and(|d| d.iter().any(|v| v == "All"));
    let mut state = call.inner.store.lock();
    let old = current(&state, call, &cluster, &name)?;
    if let Some(pre) = &options.preconditions {
        let conflict =
            |why: String| ApiError::conflict(&call.def.group, &call.def.plural, &name, &why);
        if let Some(uid) = pre.uid.as_deref()
            && uid != meta::uid(&old)
        {
            return Err(conflict(format!(
                "Precondition failed: UID in precondition: {uid}, UID in object meta: {}",
                meta::uid(&old)
            )));
        }
        if let Some(rv) = pre.resource_version.as_deref()
            && rv != meta::resource_version(&old)
        {
            return Err(conflict(format!(
                "Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {}",
                meta::resource_version(&old)
            )));
        }
    }
    let key = call.object_name(&cluster, &name);
    match delete_object(&mut state, &call.resource(), &key, dry_run) {
        None => Err(not_found(call, &name)),
        Some(Deleted::Finalizing(obj)) => Ok((200, call.present(&cluster, &obj))),
        Some(Deleted::Removed(obj)) if is_namespace_resource(call) => {
            Ok((200, call.present(&cluster, &obj)))
        }
        Some(Deleted::Removed(obj)) => Ok((
            200,
            status::success(
                &call.def.group,
                &call.def.plural,
                &name,
                Some(meta::uid(&obj).to_owned()),
            ),
        )),
    }
}

pub(crate) fn delete_collection(call: &Call) -> Result<Answer, ApiError> {
    if call.subresource.is_some() || is_namespace_resource(call) {
        return Err(ApiError::method_not_allowed());
    }
    let cluster = call.write_cluster()?.to_owned();
    let filter = Filter::from_call(call)?;
    let options = delete_options(call)?;
    let dry_run = call.dry_run()
        || options
            .dry_run
            .is_some_and(|d| d.iter().any(|v| v == "All"));
    let mut state = call.inner.store.lock();
    let resource = call.resource();
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
        match delete_object(&mut state, &resource, &key, dry_run) {
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
