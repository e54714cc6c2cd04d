//! DELETE of one object, with `DeleteOptions` (preconditions, dry run) from the body.

use super::{Answer, current, named, not_found, options, target};
use std::sync::Arc;

use crate::meta;
use crate::options::Options;
use crate::registry::{self, Deleted, Registry, is_namespace_kind};
use crate::request::Call;
use crate::status::{self, ApiError};

#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct DeleteOptions {
    #[serde(default)]
    pub preconditions: Option<Preconditions>,
    #[serde(default)]
    pub dry_run: Option<Vec<String>>,
    #[serde(default)]
    pub propagation_policy: Option<String>,
}

#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct Preconditions {
    pub uid: Option<String>,
    pub resource_version: Option<String>,
}

pub(super) fn delete_options(call: &Call) -> Result<DeleteOptions, ApiError> {
    if call.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(DeleteOptions::default());
    }
    serde_json::from_slice(&call.body)
        .map_err(|e| ApiError::bad_request(format!("error decoding DeleteOptions: {e}")))
}

impl DeleteOptions {
    /// `ValidateDeleteOptions` over the body's options, falling back to the query's.
    pub(super) fn validate(&self, call: &Call) -> Result<(), ApiError> {
        options::delete(
            call,
            self.dry_run.as_deref(),
            self.propagation_policy.as_deref(),
        )
    }

    /// `dryRun=All` in the query or in the body.
    pub(super) fn dry_run(&self, call: &Call) -> bool {
        call.dry_run()
            || self
                .dry_run
                .as_ref()
                .is_some_and(|d| d.iter().any(|v| v == "All"))
    }
}

pub(crate) fn delete(
    registry: &Arc<Registry>,
    server_options: &Options,
    call: &Call,
) -> Result<Answer, ApiError> {
    let name = named(call)?;
    if call.subresource.is_some() {
        return Err(ApiError::method_not_allowed());
    }
    let cluster = call.write_cluster()?.to_owned();
    let options = delete_options(call)?;
    options.validate(call)?;
    let dry_run = options.dry_run(call);
    let mut state = registry.store.lock();
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
    let target = target(call, &cluster);
    match registry::delete(
        &mut state,
        &target.key(),
        &target.object_name(&name),
        dry_run,
    ) {
        None => Err(not_found(call, &name)),
        Some(Deleted::Finalizing(obj)) => {
            if is_namespace_kind(&call.def) && !dry_run {
                drop(state);
                registry::schedule_cleanup(
                    registry,
                    &cluster,
                    &name,
                    meta::uid(&obj),
                    server_options.namespace_cleanup_delay,
                );
            }
            Ok((200, call.present(&cluster, &obj)))
        }
        Some(Deleted::Removed(obj)) if is_namespace_kind(&call.def) => {
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
