//! kcp logical clusters (feature `client`): many isolated clusters served from one endpoint.
//!
//! kcp serves each logical cluster under `/clusters/<path>/api…` and every cluster at once,
//! for list and watch only, under `/clusters/*/…`; every object it returns carries the
//! annotation [`CLUSTER_ANNOTATION`] naming the cluster it lives in. This module holds what
//! generated cluster-aware clientsets need:
//!
//! - [`ClusterPath`]: a validated logical-cluster path (`root:org:ws`), so a malformed one is an
//!   error value where it is written, never a request to a URL nobody serves;
//! - [`scoped_client`] and [`wildcard_client`]: a `kube::Client` for one cluster, or for all of
//!   them, made from a client for the server's root;
//! - [`LogicalClusterExt`]: which cluster an object came from.
//!
//! The cluster-aware informers, listers and factory are in
//! [`informer::cluster`](crate::informer::cluster) (feature `informer`).

mod client;
mod path;

pub use client::{scoped_client, wildcard_client};
pub use path::{ClusterPath, InvalidClusterPath};

use kube::Resource;

/// The annotation kcp puts on every object it returns, naming the object's logical cluster.
pub const CLUSTER_ANNOTATION: &str = "kcp.io/cluster";

/// Which logical cluster an object came from, read from its [`CLUSTER_ANNOTATION`].
pub trait LogicalClusterExt {
    /// The cluster as the server named it (`None` for an object without the annotation, such
    /// as one built locally or read from a server that is not kcp).
    fn logical_cluster_name(&self) -> Option<&str>;

    /// The cluster as a [`ClusterPath`] (`None` without the annotation, or when its value is
    /// not a valid path).
    fn logical_cluster(&self) -> Option<ClusterPath> {
        self.logical_cluster_name()
            .and_then(|name| ClusterPath::new(name).ok())
    }
}

impl<K: Resource> LogicalClusterExt for K {
    fn logical_cluster_name(&self) -> Option<&str> {
        self.meta()
            .annotations
            .as_ref()?
            .get(CLUSTER_ANNOTATION)
            .map(String::as_str)
    }
}
