//! Read-modify-write loops that retry optimistic-concurrency conflicts.

use std::future::Future;

use super::classify::{ErrorClass, classify};
use super::policy::RetryPolicy;

/// Runs a whole get-modify-update closure again when it fails with a `409 Conflict`, with the
/// timing (attempts, backoff, jitter, time budget) of `policy`; any other error returns at once.
///
/// A conflict means the object changed since it was read, so resending the same object cannot
/// succeed; the closure must read afresh each time. That is why no default policy retries
/// conflicts and only this helper does (client-go's `retry.RetryOnConflict`). Conflicts are
/// recognised by [`classify`], not by `policy`'s own classifier, so a read policy can be passed
/// as is; [`RetryPolicy::default_conflicts`] is the usual choice. Transient failures of the
/// reads inside the closure are the reads' own business (the clients retry them already).
///
/// ```no_run
/// # use kube_codegen_runtime::retry::{retry_on_conflict, RetryPolicy};
/// # use kube_codegen_runtime::client::ResourceClient;
/// # use k8s_openapi::api::core::v1::ConfigMap;
/// # async fn demo(cms: ResourceClient<ConfigMap>) -> Result<(), kube::Error> {
/// let policy = RetryPolicy::default_conflicts();
/// let updated = retry_on_conflict(&policy, || async {
///     let mut cm = cms.get("settings").await?;
///     cm.data.get_or_insert_with(Default::default).insert("mode".into(), "fast".into());
///     cms.update(&Default::default(), &cm).await
/// })
/// .await?;
/// # let _ = updated; Ok(())
/// # }
/// ```
pub async fn retry_on_conflict<T, F, Fut>(policy: &RetryPolicy, op: F) -> Result<T, kube::Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, kube::Error>>,
{
    policy.run_with(conflicts_only, op).await
}

fn conflicts_only(err: &kube::Error) -> ErrorClass {
    match classify(err) {
        ErrorClass::Conflict => ErrorClass::Retry { after: None },
        ErrorClass::Answer | ErrorClass::Retry { .. } => ErrorClass::Answer,
    }
}
