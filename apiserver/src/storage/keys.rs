//! How stored objects are addressed: which storage (a group's plural, shared by its versions)
//! and where in it (logical cluster, namespace, name).

use crate::definition::ResourceDefinition;

/// Identifies one storage: every version of a group's plural shares it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct ResourceKey {
    pub group: String,
    pub plural: String,
}

impl ResourceKey {
    pub(crate) fn of(def: &ResourceDefinition) -> Self {
        ResourceKey {
            group: def.group.clone(),
            plural: def.plural.clone(),
        }
    }

    pub(crate) fn namespaces() -> Self {
        ResourceKey {
            group: String::new(),
            plural: "namespaces".to_owned(),
        }
    }
}

/// Where an object lives: logical cluster, namespace (empty when cluster-scoped), name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct ObjectName {
    pub cluster: String,
    pub namespace: String,
    pub name: String,
}

impl ObjectName {
    pub(crate) fn new(cluster: &str, namespace: &str, name: &str) -> Self {
        ObjectName {
            cluster: cluster.to_owned(),
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        }
    }
}
