/// Static facts about one kind of a group-version, as generated registration code lists them.
///
/// The in-memory API server registers kinds from these, and `for_resource`-style lookups search
/// them. Everything is `'static` so generated code can declare the list as a `const`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ResourceInfo {
    /// API group; empty for the core group.
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    /// Lower-case plural resource name used in URLs (`widgets`).
    pub plural: &'static str,
    /// Lower-case singular name (`widget`).
    pub singular: &'static str,
    /// `true` for namespaced kinds, `false` for cluster-scoped ones.
    pub namespaced: bool,
    /// The kind has a `status` subresource.
    pub status: bool,
    /// The kind has a `scale` subresource.
    pub scale: bool,
    /// Short names reported by discovery (`kubectl get wd`).
    pub short_names: &'static [&'static str],
    /// When the version was introduced, is deprecated and removed
    /// (`+k8s:prerelease-lifecycle-gen`); `None` for a kind without a lifecycle.
    pub lifecycle: Option<crate::lifecycle::Lifecycle>,
    /// The kind's CustomResourceDefinition, as YAML (the generated `crds/<group>_<plural>.yaml`,
    /// included), when its API crate writes CRDs (`crds = "…"`): with it the in-memory API
    /// server serves and enforces this version's schema, printer columns and subresources.
    pub crd: Option<&'static str>,
}

impl ResourceInfo {
    /// `group/version`, or just `version` for the core group (the `apiVersion` field's value).
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_owned()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIDGET: ResourceInfo = ResourceInfo {
        group: "widgets.example.io",
        version: "v1",
        kind: "Widget",
        plural: "widgets",
        singular: "widget",
        namespaced: true,
        status: true,
        scale: false,
        short_names: &[],
        lifecycle: None,
        crd: None,
    };

    #[test]
    fn api_version_joins_group_and_version() {
        assert_eq!(WIDGET.api_version(), "widgets.example.io/v1");
        let core = ResourceInfo {
            group: "",
            ..WIDGET
        };
        assert_eq!(core.api_version(), "v1");
    }
}
