//! CustomResourceDefinitions: for every API crate with `crds = "<dir>"`, one
//! `apiextensions.k8s.io/v1` CRD per group and kind, with every version of the kind in the
//! tree, its structural schema derived from the Rust types, and the CRD markers applied.

mod apply;
mod derive;
mod known;
pub mod markers;
pub mod schema;
mod serde_attrs;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use markers::{CrdMarker, PrintColumnMarker, ScaleMarker};
pub use schema::{Schema, ValidationRule};

use super::client::Scope;
use super::lifecycle::{Availability, MarkerPlace};
use super::manifest::Crate;
use super::marker::Marker;
use super::resolve::Resolver;
use super::{Package, TypeDef};
use crate::diagnostic::Diagnostic;

/// One CRD file.
#[derive(Clone, Debug, PartialEq)]
pub struct Crd {
    /// `<crds dir>/<group>_<plural>.yaml` (absolute).
    pub output: PathBuf,
    pub group: String,
    pub kind: String,
    pub plural: String,
    pub singular: String,
    pub short_names: Vec<String>,
    pub categories: Vec<String>,
    pub namespaced: bool,
    /// Highest priority first (`v1`, `v1beta1`, `v1alpha1`), as Kubernetes orders them.
    pub versions: Vec<CrdVersion>,
}

impl Crd {
    /// `<plural>.<group>`, the name Kubernetes requires.
    pub fn name(&self) -> String {
        format!("{}.{}", self.plural, self.group)
    }
}

/// One version of a CRD.
#[derive(Clone, Debug, PartialEq)]
pub struct CrdVersion {
    pub name: String,
    /// `false` when the target Kubernetes release removed it.
    pub served: bool,
    pub storage: bool,
    /// Deprecated, with the warning clients get (`None` for Kubernetes' default text).
    pub deprecated: Option<Option<String>>,
    pub schema: Schema,
    pub status: bool,
    pub scale: Option<ScaleMarker>,
    pub printer_columns: Vec<PrintColumnMarker>,
}

/// A version that is being gathered into its CRD, with where its kind is declared.
struct Gathered {
    version: CrdVersion,
    file: PathBuf,
    ident: syn::Ident,
    plural: String,
    namespaced: bool,
    storage_marker: Option<MarkerPlace>,
    /// The package and type (indexes) it was gathered from.
    at: (usize, usize),
}

/// A CRD's identity: its directory, group and kind.
type KindKey = (PathBuf, String, String);

/// Plans the CRDs of every crate that asks for them.
pub fn plan(
    crates: &[Crate],
    packages: &mut [Package],
    resolver: &Resolver<'_, '_>,
) -> Result<Vec<Crd>, Vec<Diagnostic>> {
    let mut deriver = derive::Deriver::new(resolver);
    let mut errors = Vec::new();
    let mut by_kind: BTreeMap<KindKey, Vec<Gathered>> = BTreeMap::new();
    // Short names and categories, gathered over every version of a kind.
    let mut meta: BTreeMap<KindKey, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for krate in crates {
        let Some((dir, _)) = &krate.crds else {
            continue;
        };
        for (package_index, package) in packages.iter().enumerate() {
            for (type_index, t) in package.types.iter().enumerate() {
                let Some(client) = &t.client else {
                    continue;
                };
                let krate_dir = &resolver.tree.crates[resolver.tree.modules[t.module].krate].dir;
                if *krate_dir != krate.dir {
                    continue;
                }
                let group = package.group.clone().unwrap_or_default();
                if group.is_empty() {
                    errors.push(at_ident(t, format!("`{}` is in the core group, which has no CustomResourceDefinitions", t.ident), "give the package a `+groupName=<group>` with a dot (`widgets.example.io`), or drop `crds` from this crate's settings"));
                    continue;
                }
                let (schema, kind_markers) = deriver.kind_root(t.module, client, &t.ident);
                let mut version = CrdVersion {
                    name: package.version.clone(),
                    served: client.is_served(),
                    storage: false,
                    deprecated: match &client.availability {
                        Availability::Deprecated { note } => Some(Some(note.clone())),
                        _ => None,
                    },
                    schema,
                    status: client.has_status,
                    scale: None,
                    printer_columns: Vec::new(),
                };
                let mut storage_marker = None;
                let key = (dir.clone(), group.clone(), client.kind.clone());
                let (short_names, categories) = meta
                    .entry(key.clone())
                    .or_insert_with(|| (client.short_names.clone(), Vec::new()));
                for s in &client.short_names {
                    if !short_names.contains(s) {
                        short_names.push(s.clone());
                    }
                }
                let marker_error = |m: &Marker, message: String, help: &str| {
                    Diagnostic::new(&t.file, message)
                        .at(m.line, m.column)
                        .width(m.width)
                        .help(help)
                };
                for (m, c) in kind_markers {
                    match c {
                        CrdMarker::PrintColumn(column) => {
                            // Metadata's fields are Kubernetes' own (`.metadata.creationTimestamp`).
                            let simple = !column.json_path.contains(['[', '@', '*'])
                                && !column.json_path.starts_with(".metadata.");
                            if simple && version.schema.at_path(&column.json_path).is_none() {
                                errors.push(marker_error(&m, format!("printer column `{}`: `{}` is not a field of `{}`", column.name, column.json_path, client.kind), "write `JSONPath=` as a path through the kind's JSON fields, e.g. `.spec.size`"));
                            }
                            version.printer_columns.push(column);
                        }
                        CrdMarker::SubresourceStatus if !client.has_status => {
                            errors.push(marker_error(&m, format!("`{}` has no status subresource", client.kind), "add a `status` field (and no `+genclient:noStatus`), or remove the marker"));
                        }
                        CrdMarker::SubresourceScale(scale) => {
                            let checks = [
                                (&scale.spec_replicas_path, "specpath", true),
                                (&scale.status_replicas_path, "statuspath", true),
                            ];
                            for (path, key, integer) in checks {
                                match version.schema.at_path(path) {
                                    Some(node) if !integer || node.is_type("integer") => {}
                                    Some(node) => errors.push(marker_error(&m, format!("scale `{key}={path}` is {}, not an integer", node.describe()), "point it at an integer replica count")),
                                    None => errors.push(marker_error(&m, format!("scale `{key}={path}` is not a field of `{}`", client.kind), "write a path through the kind's JSON fields, e.g. `.spec.replicas`")),
                                }
                            }
                            version.scale = Some(scale);
                        }
                        CrdMarker::StorageVersion => {
                            storage_marker = Some(MarkerPlace {
                                file: t.file.clone(),
                                line: m.line,
                                column: m.column,
                                width: m.width,
                            });
                        }
                        CrdMarker::Resource {
                            short_names: extra,
                            categories: cats,
                        } => {
                            for s in extra {
                                if !short_names.contains(&s) {
                                    short_names.push(s);
                                }
                            }
                            for c in cats {
                                if !categories.contains(&c) {
                                    categories.push(c);
                                }
                            }
                        }
                        CrdMarker::DeprecatedVersion(warning) => {
                            version.deprecated =
                                Some(warning.or_else(|| version.deprecated.clone().flatten()));
                        }
                        _ => {}
                    }
                }
                if version.scale.is_none() && client.has_scale() {
                    let default = ScaleMarker {
                        spec_replicas_path: ".spec.replicas".to_owned(),
                        status_replicas_path: ".status.replicas".to_owned(),
                        label_selector_path: None,
                    };
                    if version
                        .schema
                        .at_path(&default.spec_replicas_path)
                        .is_none()
                    {
                        errors.push(at_ident(t, format!("`{}` serves `scale`, but has no `.spec.replicas`", client.kind), "add `// +kubebuilder:subresource:scale:specpath=<path>,statuspath=<path>` above the kind"));
                    }
                    version.scale = Some(default);
                }
                by_kind.entry(key).or_default().push(Gathered {
                    version,
                    file: t.file.clone(),
                    ident: t.ident.clone(),
                    plural: client.plural.clone(),
                    namespaced: client.scope == Scope::Namespaced,
                    storage_marker,
                    at: (package_index, type_index),
                });
            }
        }
    }
    errors.append(&mut deriver.errors);
    let mut crds = Vec::new();
    for ((dir, group, kind), mut gathered) in by_kind {
        gathered.sort_by_key(|g| std::cmp::Reverse(version_priority(&g.version.name)));
        let (first_file, first_ident) = (gathered[0].file.clone(), gathered[0].ident.clone());
        let first = &gathered[0];
        for g in &gathered[1..] {
            if g.plural != first.plural || g.namespaced != first.namespaced {
                let t_first = format!(
                    "{} ({})",
                    first.version.name,
                    if first.namespaced {
                        "namespaced"
                    } else {
                        "cluster-scoped"
                    }
                );
                errors.push(
                    Diagnostic::new(&g.file, format!("`{kind}` of {group}/{} has plural `{}` and is {}, but {group}/{t_first} has plural `{}`: one CRD serves every version", g.version.name, g.plural, if g.namespaced { "namespaced" } else { "cluster-scoped" }, first.plural))
                        .at(g.ident.span().start().line, g.ident.span().start().column + 1)
                        .width(kind.len())
                        .help("give every version of a kind the same `+resourceName` and scope (`+genclient:nonNamespaced`)"),
                );
            }
        }
        let marked: Vec<usize> = (0..gathered.len())
            .filter(|i| gathered[*i].storage_marker.is_some())
            .collect();
        match marked.as_slice() {
            [one] => gathered[*one].version.storage = true,
            [] if gathered.len() == 1 => gathered[0].version.storage = true,
            [] => {
                let names: Vec<&str> = gathered.iter().map(|g| g.version.name.as_str()).collect();
                errors.push(
                    Diagnostic::new(&first_file, format!("`{kind}` of {group} has {} versions ({}) and none is marked as the storage version", names.len(), names.join(", ")))
                        .at(first_ident.span().start().line, first_ident.span().start().column + 1)
                        .width(kind.len())
                        .help("add `// +kubebuilder:storageversion` above the kind in the version objects are stored as (usually the newest stable one)"),
                );
            }
            [_, rest @ ..] => {
                for i in rest {
                    if let Some(place) = &gathered[*i].storage_marker {
                        errors.push(
                            Diagnostic::new(
                                &place.file,
                                format!("`{kind}` of {group} has more than one storage version"),
                            )
                            .at(place.line, place.column)
                            .width(place.width)
                            .help("keep `+kubebuilder:storageversion` on one version only"),
                        );
                    }
                }
            }
        }
        let (short_names, categories) = meta
            .remove(&(dir.clone(), group.clone(), kind.clone()))
            .unwrap_or_default();
        let plural = gathered[0].plural.clone();
        let output = dir.join(format!("{group}_{plural}.yaml"));
        for g in &gathered {
            let (p, t) = g.at;
            let package = &mut packages[p];
            let from = package
                .output
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            if let Some(client) = package.types[t].client.as_mut() {
                client.crd = Some(relative_path(&from, &output));
            }
        }
        crds.push(Crd {
            output,
            singular: kind.to_ascii_lowercase(),
            namespaced: gathered[0].namespaced,
            plural,
            group,
            kind,
            short_names,
            categories,
            versions: gathered.into_iter().map(|g| g.version).collect(),
        });
    }
    errors
        .sort_by(|a, b| (&a.path, a.position, &a.message).cmp(&(&b.path, b.position, &b.message)));
    errors.dedup();
    if errors.is_empty() {
        Ok(crds)
    } else {
        Err(errors)
    }
}

fn at_ident(t: &TypeDef, message: String, help: &str) -> Diagnostic {
    let start = t.ident.span().start();
    Diagnostic::new(&t.file, message)
        .at(start.line, start.column + 1)
        .width(t.ident.to_string().len())
        .help(help)
}

/// `to` as a path relative to the directory `from`, with `/` separators (for `include_str!`,
/// whatever the machine): the same text on every machine.
fn relative_path(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// Kubernetes' version priority: GA before beta before alpha, then by major and minor number.
fn version_priority(version: &str) -> (u8, u32, u32) {
    let Some(rest) = version.strip_prefix('v') else {
        return (0, 0, 0);
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let major = digits.parse().unwrap_or(0);
    let rest = &rest[digits.len()..];
    let (tier, minor) = if let Some(m) = rest.strip_prefix("beta") {
        (2, m)
    } else if let Some(m) = rest.strip_prefix("alpha") {
        (1, m)
    } else if rest.is_empty() {
        (3, "0")
    } else {
        (0, "0")
    };
    (tier, major, minor.parse().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_to_the_common_directory() {
        assert_eq!(
            relative_path(
                Path::new("/r/api/src/widgets/v1"),
                Path::new("/r/api/crds/a.yaml")
            ),
            "../../../crds/a.yaml"
        );
        assert_eq!(
            relative_path(Path::new("/r"), Path::new("/r/a.yaml")),
            "a.yaml"
        );
    }

    #[test]
    fn versions_sort_as_kubernetes_sorts_them() {
        let mut v = vec!["v1alpha1", "v2", "v1beta2", "v1", "v1beta10", "v11alpha2"];
        v.sort_by_key(|s| std::cmp::Reverse(version_priority(s)));
        assert_eq!(
            v,
            ["v2", "v1", "v1beta10", "v1beta2", "v11alpha2", "v1alpha1"]
        );
    }
}
