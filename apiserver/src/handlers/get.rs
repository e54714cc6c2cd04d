//! GET of one object, its `status`, or its `scale`.

use super::{Answer, current, scale, transform};
use crate::registry::Registry;
use crate::request::Call;
use crate::status::ApiError;

pub(crate) fn get(registry: &Registry, call: &Call) -> Result<Answer, ApiError> {
    let name = call.name.as_deref().unwrap_or("");
    let cluster = call.write_cluster()?.to_owned();
    let state = registry.store.lock();
    let obj = current(&state, call, &cluster, name)?;
    drop(state);
    match call.subresource.as_deref() {
        None | Some("status") => Ok((200, transform::object(call, call.present(&cluster, &obj)))),
        Some("scale") => Ok((200, scale::scale_of(call, &obj, scale::spec(call)?))),
        Some(_) => Err(ApiError::no_such_resource()),
    }
}
