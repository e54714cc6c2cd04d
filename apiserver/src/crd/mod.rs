//! CustomResourceDefinitions: the built-in `apiextensions.k8s.io/v1` kind, what a CRD object
//! means for the served kinds ([`convert`]), the checks kube-apiserver makes on one
//! ([`validate`]), the controller that keeps the served kinds and the CRDs' status in step
//! with the stored CRDs ([`controller`]), and reading CRD manifests from files ([`load`]).

pub(crate) mod controller;
pub(crate) mod convert;
pub(crate) mod load;
pub(crate) mod validate;

use crate::definition::ResourceDefinition;
use crate::storage::ResourceKey;

/// The CRD kind's group.
pub(crate) const GROUP: &str = "apiextensions.k8s.io";
/// The CRD kind's version.
pub(crate) const VERSION: &str = "v1";
/// The CRD kind.
pub(crate) const KIND: &str = "CustomResourceDefinition";
/// The CRD kind's plural.
pub(crate) const PLURAL: &str = "customresourcedefinitions";

/// The built-in `CustomResourceDefinition` kind, which the server always serves.
pub(crate) fn definition() -> ResourceDefinition {
    ResourceDefinition::new(GROUP, VERSION, KIND, PLURAL)
        .cluster_scoped()
        .with_status()
        .with_short_name("crd")
        .with_short_name("crds")
        .with_category("api-extensions")
        .builtin()
}

/// Whether `def` is the CRD kind itself.
pub(crate) fn is_crd_kind(def: &ResourceDefinition) -> bool {
    def.group == GROUP && def.plural == PLURAL
}

/// The storage of CRD objects.
pub(crate) fn key() -> ResourceKey {
    ResourceKey {
        group: GROUP.to_owned(),
        plural: PLURAL.to_owned(),
    }
}
