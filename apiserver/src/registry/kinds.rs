//! The set of served kinds, looked up by the URL's group, version and plural.

use std::cmp::Ordering;

use std::collections::BTreeSet;

use crate::definition::ResourceDefinition;
use crate::storage::ResourceKey;

/// Served definitions in registration order (discovery lists them in that order): those
/// registered through the API of this crate, and those CustomResourceDefinition objects
/// define, kept apart so that deleting a CRD cannot take away a registered kind.
#[derive(Clone, Debug, Default)]
pub(crate) struct Kinds {
    registered: Vec<ResourceDefinition>,
    /// The definitions of stored CRDs, each with the name of the CRD that defines it.
    from_crds: Vec<(String, ResourceDefinition)>,
    /// The storages (group and plural) of the stored CRDs, served versions or not.
    crd_storages: BTreeSet<ResourceKey>,
    /// What is served: `registered`, with CRD definitions of the same group/version/plural
    /// in their place and the others after them.
    definitions: Vec<ResourceDefinition>,
}

fn same_resource(a: &ResourceDefinition, b: &ResourceDefinition) -> bool {
    a.group == b.group && a.version == b.version && a.plural == b.plural
}

impl Kinds {
    pub(crate) fn with_builtins() -> Self {
        let mut registry = Kinds::default();
        registry.register(ResourceDefinition::namespace());
        registry.register(crate::crd::definition());
        registry
    }

    /// Adds a definition; registering the same group/version/plural again replaces it.
    pub(crate) fn register(&mut self, def: ResourceDefinition) {
        match self.registered.iter_mut().find(|d| same_resource(d, &def)) {
            Some(existing) => *existing = def,
            None => self.registered.push(def),
        }
        self.recompute();
    }

    /// Replaces every CRD-defined kind and the set of CRD storages (the CRD controller's
    /// view of the stored CRDs).
    pub(crate) fn set_crd_kinds(
        &mut self,
        kinds: Vec<(String, ResourceDefinition)>,
        storages: BTreeSet<ResourceKey>,
    ) {
        self.from_crds = kinds;
        self.crd_storages = storages;
        self.recompute();
    }

    /// The storages of the stored CRDs as last set.
    pub(crate) fn crd_storages(&self) -> &BTreeSet<ResourceKey> {
        &self.crd_storages
    }

    /// Whether a kind registered through the crate's API uses this group's plural (then its
    /// objects outlive a CRD of the same name).
    pub(crate) fn registered_uses(&self, group: &str, plural: &str) -> bool {
        self.registered
            .iter()
            .any(|d| d.group == group && d.plural == plural)
    }

    fn recompute(&mut self) {
        let mut served = self.registered.clone();
        for (_, def) in &self.from_crds {
            match served.iter_mut().find(|d| same_resource(d, def)) {
                // The server's own kinds (Namespace, the CRD kind...) cannot be redefined.
                Some(existing) if existing.builtin => {}
                Some(existing) => *existing = def.clone(),
                None => served.push(def.clone()),
            }
        }
        self.definitions = served;
    }

    pub(crate) fn lookup(
        &self,
        group: &str,
        version: &str,
        plural: &str,
    ) -> Option<&ResourceDefinition> {
        self.definitions
            .iter()
            .find(|d| d.group == group && d.version == version && d.plural == plural)
    }

    pub(crate) fn all(&self) -> &[ResourceDefinition] {
        &self.definitions
    }

    /// Names of the non-core groups, in registration order.
    pub(crate) fn groups(&self) -> Vec<String> {
        let mut groups: Vec<String> = Vec::new();
        for def in &self.definitions {
            if !def.group.is_empty() && !groups.contains(&def.group) {
                groups.push(def.group.clone());
            }
        }
        groups
    }

    /// A group's versions, most preferred first (Kubernetes version priority).
    pub(crate) fn versions(&self, group: &str) -> Vec<String> {
        let mut versions: Vec<String> = Vec::new();
        for def in self.definitions.iter().filter(|d| d.group == group) {
            if !versions.contains(&def.version) {
                versions.push(def.version.clone());
            }
        }
        versions.sort_by(|a, b| compare_versions(a, b));
        versions
    }

    pub(crate) fn in_group_version<'a>(
        &'a self,
        group: &'a str,
        version: &'a str,
    ) -> impl Iterator<Item = &'a ResourceDefinition> + 'a {
        self.definitions
            .iter()
            .filter(move |d| d.group == group && d.version == version)
    }
}

/// Parses `v<major>[(alpha|beta)<minor>]`; `None` for versions outside that shape.
fn parse_version(v: &str) -> Option<(u64, u8, u64)> {
    let rest = v.strip_prefix('v')?;
    let digits_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let major: u64 = rest.get(..digits_end)?.parse().ok()?;
    let tail = rest.get(digits_end..)?;
    if tail.is_empty() {
        return Some((major, 2, 0));
    }
    let (level, minor) = if let Some(m) = tail.strip_prefix("beta") {
        (1, m)
    } else if let Some(m) = tail.strip_prefix("alpha") {
        (0, m)
    } else {
        return None;
    };
    Some((major, level, minor.parse().ok()?))
}

/// Kubernetes version priority: GA before beta before alpha, higher numbers first, anything
/// else last in lexical order.
pub(crate) fn compare_versions(a: &str, b: &str) -> Ordering {
    match (parse_version(a), parse_version(b)) {
        (Some((ma, la, na)), Some((mb, lb, nb))) => lb.cmp(&la).then(mb.cmp(&ma)).then(nb.cmp(&na)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_sort_by_kubernetes_priority() {
        let mut v = vec!["v1alpha1", "v2beta1", "v1", "foo", "v1beta2", "v2"];
        v.sort_by(|a, b| compare_versions(a, b));
        assert_eq!(v, vec!["v2", "v1", "v2beta1", "v1beta2", "v1alpha1", "foo"]);
    }

    #[test]
    fn registering_twice_replaces() {
        let mut r = Kinds::default();
        r.register(ResourceDefinition::new("g", "v1", "A", "as"));
        r.register(ResourceDefinition::new("g", "v1", "A", "as").with_status());
        assert_eq!(r.all().len(), 1);
        assert!(r.lookup("g", "v1", "as").is_some_and(|d| d.status));
        assert_eq!(r.groups(), vec!["g".to_owned()]);
    }

    #[test]
    fn crd_kinds_shadow_and_then_restore_registered_ones() {
        let mut r = Kinds::default();
        r.register(ResourceDefinition::new("g", "v1", "A", "as"));
        r.set_crd_kinds(
            vec![
                (
                    "as.g".to_owned(),
                    ResourceDefinition::new("g", "v1", "A", "as").with_status(),
                ),
                (
                    "bs.g".to_owned(),
                    ResourceDefinition::new("g", "v1", "B", "bs"),
                ),
            ],
            BTreeSet::new(),
        );
        assert_eq!(r.all().len(), 2);
        assert!(r.lookup("g", "v1", "as").is_some_and(|d| d.status));
        r.set_crd_kinds(Vec::new(), BTreeSet::new());
        assert_eq!(r.all().len(), 1);
        assert!(r.lookup("g", "v1", "as").is_some_and(|d| !d.status));
        assert!(r.registered_uses("g", "as") && !r.registered_uses("g", "bs"));
    }

    #[test]
    fn crds_cannot_redefine_built_in_kinds() {
        let mut r = Kinds::with_builtins();
        r.set_crd_kinds(
            vec![(
                "customresourcedefinitions.apiextensions.k8s.io".to_owned(),
                ResourceDefinition::new(
                    "apiextensions.k8s.io",
                    "v1",
                    "CustomResourceDefinition",
                    "customresourcedefinitions",
                ),
            )],
            BTreeSet::new(),
        );
        assert!(
            r.lookup("apiextensions.k8s.io", "v1", "customresourcedefinitions")
                .is_some_and(|d| d.builtin && !d.namespaced)
        );
    }
}
