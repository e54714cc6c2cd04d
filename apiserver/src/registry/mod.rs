//! The registry layer: each kind's strategy over the store, as kube-apiserver's generic
//! registry applies a resource's strategy. Naming, validation and defaulting of new objects,
//! the rules of updates (server-owned metadata, subresources, optimistic concurrency,
//! generation), field management, deletion with finalizers and namespace cascades. It knows
//! nothing of HTTP: handlers call it with a [`Target`] and get objects or [`ApiError`]s back.
//!
//! [`ApiError`]: crate::status::ApiError

mod apply;
mod builtins;
mod create;
mod delete;
pub(crate) mod field_manager;
mod kinds;
mod metadata;
mod namespaces;
mod update;
pub(crate) mod validation;

use std::sync::{Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

pub(crate) use apply::{Applied, apply};
pub(crate) use create::create;
pub(crate) use delete::{Deleted, delete};
pub(crate) use field_manager::managed::Writer;
pub(crate) use kinds::Kinds;
pub(crate) use namespaces::{ensure_cluster, reap, schedule_cleanup};
pub(crate) use update::{Write, update};

use crate::definition::ResourceDefinition;
use crate::schema::FieldValidation;
use crate::storage::{ObjectName, ResourceKey, Store};

/// The served kinds and the store they are kept in.
#[derive(Debug)]
pub(crate) struct Registry {
    kinds: RwLock<Kinds>,
    pub store: Store,
}

impl Registry {
    pub(crate) fn new(kinds: Kinds, store: Store) -> Self {
        Registry {
            kinds: RwLock::new(kinds),
            store,
        }
    }

    pub(crate) fn kinds(&self) -> RwLockReadGuard<'_, Kinds> {
        self.kinds.read().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn kinds_mut(&self) -> RwLockWriteGuard<'_, Kinds> {
        self.kinds.write().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn register(&self, def: ResourceDefinition) {
        self.kinds
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .register(def);
    }
}

/// What a registry operation addresses: the kind, one logical cluster, the namespace the
/// request names, the subresource, and whether it is a dry run.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Target<'a> {
    pub def: &'a ResourceDefinition,
    pub cluster: &'a str,
    pub namespace: Option<&'a str>,
    pub subresource: Option<&'a str>,
    pub dry_run: bool,
    /// What to do with fields the kind's schema does not declare.
    pub field_validation: FieldValidation,
    /// Where the write's warnings go (`Warning` headers of the response).
    pub warnings: &'a Mutex<Vec<String>>,
}

impl Target<'_> {
    pub(crate) fn key(&self) -> ResourceKey {
        ResourceKey::of(self.def)
    }

    pub(crate) fn object_name(&self, name: &str) -> ObjectName {
        ObjectName::new(self.cluster, self.namespace.unwrap_or(""), name)
    }

    /// Adds warnings for the response.
    pub(crate) fn warn(&self, warnings: Vec<String>) {
        if !warnings.is_empty() {
            self.warnings
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .extend(warnings);
        }
    }

    /// The built-in `Namespace`, whose strategy differs (labels, phase, cascade).
    pub(crate) fn is_namespace(&self) -> bool {
        is_namespace_kind(self.def)
    }
}

pub(crate) fn is_namespace_kind(def: &ResourceDefinition) -> bool {
    def.group.is_empty() && def.plural == "namespaces"
}
