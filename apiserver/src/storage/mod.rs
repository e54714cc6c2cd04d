//! The storage layer: versioned objects and the watch history, as etcd is to kube-apiserver.
//! It knows JSON objects and keys only: nothing of HTTP, requests or kinds' rules.

mod keys;
mod store;

pub(crate) use keys::{ObjectName, ResourceKey};
pub(crate) use store::{Change, ChangeType, Store, StoreState};
