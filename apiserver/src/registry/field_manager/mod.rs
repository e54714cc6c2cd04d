//! Field management as kube-apiserver's field manager (structured-merge-diff) does it:
//! server-side apply, and the `managedFields` entries every write records.

pub(crate) mod apply;
mod fieldset;
pub(crate) mod managed;
mod merge;
