//! PUT of an object, its `status`, or its `scale`.

use super::scale::{self, ScaleChange};
use super::{Answer, check_subresource, current, named, options, target, writer};
use crate::registry::{self, Registry, Write};
use crate::request::Call;
use crate::status::ApiError;

pub(crate) fn update(registry: &Registry, call: &Call) -> Result<Answer, ApiError> {
    let name = named(call)?;
    options::update(call)?;
    let cluster = call.write_cluster()?.to_owned();
    let mut body = call.decode_body()?;
    if call.subresource.as_deref() == Some("scale") {
        return scale::update(registry, call, &cluster, &name, ScaleChange::Replace(body));
    }
    check_subresource(call)?;
    call.check_type(&mut body)?;
    let mut state = registry.store.lock();
    let old = current(&state, call, &cluster, &name)?;
    let write = Write::Update(writer(call));
    let stored = registry::update(
        &mut state,
        &target(call, &cluster),
        &name,
        &old,
        body,
        write,
    )?;
    Ok((200, call.present(&cluster, &stored)))
}
