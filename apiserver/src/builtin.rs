//! Built-in Kubernetes kinds a test can ask the server to serve, defined from k8s-openapi's
//! types (group, version, kind, plural and scope come from `k8s_openapi::Resource`), as
//! kube-apiserver serves them besides custom resources: ConfigMaps and Secrets for
//! `kubectl create configmap|secret`, Leases for leader election, Events, and the workload
//! kinds a controller touches. Opt in per server with [`crate::ApiServerBuilder::builtin_kinds`].

use std::any::TypeId;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::{ConfigMap, Event, Pod, Secret, Service, ServiceAccount};
use k8s_openapi::api::events::v1::Event as EventsV1Event;

use crate::definition::{ResourceDefinition, ScaleSpec};

/// A built-in kind the server can serve (the `Namespace` is always served).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BuiltinKind {
    /// `v1` `ConfigMap` (`cm`).
    ConfigMap,
    /// `v1` `Secret`.
    Secret,
    /// `v1` `Service` (`svc`), with `status`.
    Service,
    /// `v1` `ServiceAccount` (`sa`).
    ServiceAccount,
    /// `v1` `Pod` (`po`), with `status`.
    Pod,
    /// `v1` `Event` (`ev`).
    Event,
    /// `events.k8s.io/v1` `Event` (`ev`); its own storage here (upstream shares the core one).
    EventsV1Event,
    /// `coordination.k8s.io/v1` `Lease`, what leader election holds.
    Lease,
    /// `apps/v1` `Deployment` (`deploy`), with `status` and `scale`.
    Deployment,
}

impl BuiltinKind {
    /// Every kind above.
    pub const ALL: [BuiltinKind; 9] = [
        BuiltinKind::ConfigMap,
        BuiltinKind::Secret,
        BuiltinKind::Service,
        BuiltinKind::ServiceAccount,
        BuiltinKind::Pod,
        BuiltinKind::Event,
        BuiltinKind::EventsV1Event,
        BuiltinKind::Lease,
        BuiltinKind::Deployment,
    ];

    /// The kind's registration record.
    pub fn definition(self) -> ResourceDefinition {
        match self {
            BuiltinKind::ConfigMap => of::<ConfigMap>().with_short_name("cm"),
            BuiltinKind::Secret => of::<Secret>(),
            BuiltinKind::Service => of::<Service>()
                .with_status()
                .with_short_name("svc")
                .with_category("all"),
            BuiltinKind::ServiceAccount => of::<ServiceAccount>().with_short_name("sa"),
            BuiltinKind::Pod => of::<Pod>()
                .with_status()
                .with_short_name("po")
                .with_category("all"),
            BuiltinKind::Event => of::<Event>().with_short_name("ev"),
            BuiltinKind::EventsV1Event => of::<EventsV1Event>().with_short_name("ev"),
            BuiltinKind::Lease => of::<Lease>(),
            BuiltinKind::Deployment => of::<Deployment>()
                .with_status()
                .with_scale(ScaleSpec::default())
                .with_short_name("deploy")
                .with_category("all"),
        }
    }
}

impl From<BuiltinKind> for ResourceDefinition {
    fn from(kind: BuiltinKind) -> Self {
        kind.definition()
    }
}

/// The definition of a k8s-openapi resource type.
fn of<K>() -> ResourceDefinition
where
    K: k8s_openapi::Resource,
    K::Scope: 'static,
{
    let namespaced =
        TypeId::of::<K::Scope>() == TypeId::of::<k8s_openapi::NamespaceResourceScope>();
    let def = ResourceDefinition::new(K::GROUP, K::VERSION, K::KIND, K::URL_PATH_SEGMENT).builtin();
    if namespaced {
        def
    } else {
        def.cluster_scoped()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_come_from_the_types() {
        let lease = BuiltinKind::Lease.definition();
        assert_eq!(lease.api_version(), "coordination.k8s.io/v1");
        assert_eq!(
            (lease.plural.as_str(), lease.namespaced, lease.builtin),
            ("leases", true, true)
        );
        let deploy = BuiltinKind::Deployment.definition();
        assert!(deploy.scale.is_some() && deploy.status);
        assert_eq!(
            BuiltinKind::EventsV1Event.definition().group,
            "events.k8s.io"
        );
    }
}
