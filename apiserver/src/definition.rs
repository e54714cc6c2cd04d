//! What the server needs to know about a kind to serve it: the CRD-like registration record.

use kube_codegen_runtime::ResourceInfo;
use kube_codegen_runtime::lifecycle::Lifecycle;

/// Where the `scale` subresource reads and writes replica counts (as a CRD's
/// `subresources.scale` says). Paths are dotted JSON paths such as `.spec.replicas`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScaleSpec {
    /// Desired replicas, read and written by `/scale` (`.spec.replicas`).
    pub spec_replicas_path: String,
    /// Observed replicas, read by `/scale` (`.status.replicas`).
    pub status_replicas_path: String,
    /// Optional label selector string reported as `status.selector` (`.status.selector`).
    pub label_selector_path: Option<String>,
}

impl Default for ScaleSpec {
    fn default() -> Self {
        ScaleSpec {
            spec_replicas_path: ".spec.replicas".to_owned(),
            status_replicas_path: ".status.replicas".to_owned(),
            label_selector_path: None,
        }
    }
}

/// A column `kubectl get` prints for a kind (a CRD's `additionalPrinterColumns`), served in
/// the `Table` kube-apiserver answers `Accept: application/json;as=Table;...` with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrinterColumn {
    /// Column header (`Size`).
    pub name: String,
    /// `string`, `integer`, `number`, `boolean` or `date`.
    pub type_: String,
    /// Simple JSON path to the value: `.spec.size`, `.status.conditions[0].status`.
    pub json_path: String,
    /// Column description.
    pub description: String,
    /// Format hint (`name`, ...); usually empty.
    pub format: String,
    /// 0 for default columns, more for `-o wide` only.
    pub priority: i32,
}

impl PrinterColumn {
    /// A priority-0 column reading `json_path`, of `type_` (`string`, `integer`, `number`,
    /// `boolean`, `date`).
    pub fn new(name: &str, type_: &str, json_path: &str) -> Self {
        PrinterColumn {
            name: name.to_owned(),
            type_: type_.to_owned(),
            json_path: json_path.to_owned(),
            description: String::new(),
            format: String::new(),
            priority: 0,
        }
    }

    /// Sets the description.
    pub fn with_description(mut self, description: &str) -> Self {
        self.description = description.to_owned();
        self
    }

    /// Sets the priority (`-o wide` shows columns above 0).
    pub fn with_priority(mut self, priority: i32) -> Self {
        self.priority = priority;
        self
    }
}

/// One served group/version/kind, as a CustomResourceDefinition version would describe it.
///
/// Registering several versions of the same group and plural shares one storage between them,
/// like a CRD with conversion strategy `None`: an object is served at whichever version the
/// request names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceDefinition {
    /// API group; empty for the core group.
    pub group: String,
    /// Version (`v1`, `v1beta1`).
    pub version: String,
    /// Kind (`Widget`).
    pub kind: String,
    /// Plural resource name used in URLs (`widgets`).
    pub plural: String,
    /// Singular name reported by discovery (`widget`).
    pub singular: String,
    /// Namespaced (`true`) or cluster-scoped.
    pub namespaced: bool,
    /// Has a `status` subresource.
    pub status: bool,
    /// Has a `scale` subresource, reading replicas from these paths.
    pub scale: Option<ScaleSpec>,
    /// Short names reported by discovery (`wd`).
    pub short_names: Vec<String>,
    /// Categories reported by discovery (`all`).
    pub categories: Vec<String>,
    /// Columns of the `Table` form (`kubectl get`); none means Name and Age.
    pub printer_columns: Vec<PrinterColumn>,
    /// A built-in kind (served from k8s-openapi's types, as kube-apiserver serves its own):
    /// it also speaks protobuf and takes strategic merge patches.
    pub builtin: bool,
    /// When the version was introduced, deprecated and removed: with an emulated release
    /// ([`Options::emulated_release`](crate::Options::emulated_release)) a deprecated version
    /// is answered with a warning and a removed one is not served.
    pub lifecycle: Option<Lifecycle>,
    /// The version's `openAPIV3Schema` as a CRD carries it (a structural schema, JSON),
    /// enforced as kube-apiserver enforces a CRD's: writes are pruned of undeclared fields
    /// (reported per `fieldValidation`), defaulted (reads too) and validated, CEL rules
    /// (`x-kubernetes-validations`) included, and server-side apply merges by its list and
    /// map types. `None` keeps the schemaless behaviour: any object is stored as sent.
    pub schema: Option<serde_json::Value>,
    /// A CRD version's `deprecated: true`: every request to this version is answered with
    /// `Warning: 299 - "<text>"` (the CRD's `deprecationWarning`, or kube-apiserver's default
    /// `<group>/<version> <Kind> is deprecated`), whatever the emulated release.
    pub deprecation_warning: Option<String>,
}

impl ResourceDefinition {
    /// A namespaced kind without subresources; refine with the builder methods.
    pub fn new(group: &str, version: &str, kind: &str, plural: &str) -> Self {
        ResourceDefinition {
            group: group.to_owned(),
            version: version.to_owned(),
            kind: kind.to_owned(),
            plural: plural.to_owned(),
            singular: kind.to_lowercase(),
            namespaced: true,
            status: false,
            scale: None,
            short_names: Vec::new(),
            categories: Vec::new(),
            printer_columns: Vec::new(),
            builtin: false,
            lifecycle: None,
            schema: None,
            deprecation_warning: None,
        }
    }

    /// Makes the kind cluster-scoped.
    pub fn cluster_scoped(mut self) -> Self {
        self.namespaced = false;
        self
    }

    /// Turns the `status` subresource on.
    pub fn with_status(mut self) -> Self {
        self.status = true;
        self
    }

    /// Turns the `scale` subresource on.
    pub fn with_scale(mut self, scale: ScaleSpec) -> Self {
        self.scale = Some(scale);
        self
    }

    /// Adds a short name (`kubectl get wd`).
    pub fn with_short_name(mut self, short_name: &str) -> Self {
        self.short_names.push(short_name.to_owned());
        self
    }

    /// Adds a discovery category (`all`).
    pub fn with_category(mut self, category: &str) -> Self {
        self.categories.push(category.to_owned());
        self
    }

    /// Adds a printer column (`kubectl get` shows it; upstream's `additionalPrinterColumns`).
    pub fn with_printer_column(mut self, column: PrinterColumn) -> Self {
        self.printer_columns.push(column);
        self
    }

    /// Sets the singular name (defaults to the lower-cased kind).
    pub fn with_singular(mut self, singular: &str) -> Self {
        self.singular = singular.to_owned();
        self
    }

    /// `group/version`, or `version` for the core group.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// The definition of the built-in `v1` `Namespace`, which the server always serves.
    pub(crate) fn namespace() -> Self {
        ResourceDefinition::new("", "v1", "Namespace", "namespaces")
            .cluster_scoped()
            .with_status()
            .with_short_name("ns")
            .builtin()
    }

    /// The version's lifecycle (generated registration carries it).
    pub fn with_lifecycle(mut self, lifecycle: Lifecycle) -> Self {
        self.lifecycle = Some(lifecycle);
        self
    }

    /// The version's `openAPIV3Schema` (structural, as a CRD's `schema.openAPIV3Schema`).
    pub fn with_schema(mut self, schema: serde_json::Value) -> Self {
        self.schema = Some(schema);
        self
    }

    /// Marks the version deprecated: requests to it get `Warning: 299 - "<text>"`.
    pub fn with_deprecation_warning(mut self, text: &str) -> Self {
        self.deprecation_warning = Some(text.to_owned());
        self
    }

    pub(crate) fn builtin(mut self) -> Self {
        self.builtin = true;
        self
    }
}

impl From<&ResourceInfo> for ResourceDefinition {
    /// The registration record, completed from the kind's generated CRD when it carries one
    /// (schema, printer columns, categories, scale paths, deprecation), so a server registered
    /// from generated `RESOURCES` enforces the same schemas a cluster given the CRDs would.
    fn from(info: &ResourceInfo) -> Self {
        let def = ResourceDefinition::plain(info);
        match info.crd.and_then(|yaml| from_crd(info, yaml)) {
            Some(crd) => ResourceDefinition {
                schema: crd.schema,
                printer_columns: crd.printer_columns,
                categories: crd.categories,
                scale: crd.scale.or(def.scale),
                // With a lifecycle the emulated release decides what is deprecated.
                deprecation_warning: if info.lifecycle.is_none() {
                    crd.deprecation_warning
                } else {
                    None
                },
                ..def
            },
            None => def,
        }
    }
}

/// This version's definition in the CRD `yaml`, if the CRD reads and serves it. A generated
/// CRD always does; anything else falls back to the plain registration rather than failing.
fn from_crd(info: &ResourceInfo, yaml: &str) -> Option<ResourceDefinition> {
    let value: serde_json::Value = serde_saphyr::from_str(yaml).ok()?;
    crate::crd::convert::definitions(&value)
        .ok()?
        .into_iter()
        .find(|d| d.version == info.version)
}

impl ResourceDefinition {
    /// The record of `info` alone, without its CRD.
    fn plain(info: &ResourceInfo) -> Self {
        ResourceDefinition {
            group: info.group.to_owned(),
            version: info.version.to_owned(),
            kind: info.kind.to_owned(),
            plural: info.plural.to_owned(),
            singular: if info.singular.is_empty() {
                info.kind.to_lowercase()
            } else {
                info.singular.to_owned()
            },
            namespaced: info.namespaced,
            status: info.status,
            scale: info.scale.then(ScaleSpec::default),
            short_names: info.short_names.iter().map(|s| (*s).to_owned()).collect(),
            categories: Vec::new(),
            printer_columns: Vec::new(),
            builtin: false,
            lifecycle: info.lifecycle,
            schema: None,
            deprecation_warning: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_resource_info_keeps_every_fact() {
        const SHIP: ResourceInfo = ResourceInfo {
            group: "fleet.example.io",
            version: "v1",
            kind: "Ship",
            plural: "ships",
            singular: "ship",
            namespaced: true,
            status: true,
            scale: true,
            short_names: &["sh"],
            lifecycle: None,
            crd: None,
        };
        let def = ResourceDefinition::from(&SHIP);
        assert_eq!(def.api_version(), "fleet.example.io/v1");
        assert_eq!(def.scale, Some(ScaleSpec::default()));
        assert_eq!(def.short_names, vec!["sh".to_owned()]);
        assert!(def.namespaced && def.status);
    }
}
