//! POST to a collection.

use super::{Answer, options, target, writer};
use crate::registry::{self, Registry};
use crate::request::Call;
use crate::status::ApiError;

pub(crate) fn create(registry: &Registry, call: &Call) -> Result<Answer, ApiError> {
    if call.name.is_some() || call.subresource.is_some() {
        return Err(ApiError::method_not_allowed());
    }
    options::create(call)?;
    let cluster = call.write_cluster()?.to_owned();
    let mut obj = call.decode_body()?;
    call.check_type(&mut obj)?;
    let mut state = registry.store.lock();
    registry::ensure_cluster(&mut state, &cluster);
    let stored = registry::create(
        &mut state,
        &target(call, &cluster),
        obj,
        Some(&writer(call)),
    )?;
    Ok((201, call.present(&cluster, &stored)))
}
