//! Typed clients that generated clientsets delegate to (feature `client`).
//!
//! A generated `Clientset` holds a [`kube::Client`] and a [`ClientsetConfig`]; its per-type
//! accessors build a [`ResourceClient`] (`widgets(ns)` → [`ResourceClient::namespaced`],
//! `widgets()` for cluster-scoped kinds → [`ResourceClient::cluster`]) and every generated verb
//! is one call into it. All HTTP goes through [`kube::Api`] and [`kube::Client`]; this layer
//! adds the retry policies and subresource access typed by the caller.
//!
//! Errors are plain [`kube::Error`]s, so callers keep kube's helpers and types; what an error
//! means for retrying is [`classify`](crate::retry::classify)`(&err)`.

mod all_namespaces;
mod config;
mod resource;

pub use all_namespaces::AllNamespacesClient;
pub use config::ClientsetConfig;
pub use resource::ResourceClient;
