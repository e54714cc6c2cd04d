//! Crates: their names (generated clients name the API crate) and the
//! `[package.metadata.kube-codegen]` settings of their `Cargo.toml`.
//!
//! ```toml
//! [package.metadata.kube-codegen]
//! # Write a typed clientset for this crate's `+genclient` kinds to this file (relative to this
//! # Cargo.toml); the crate that owns the file depends on this one and on
//! # kube-codegen-runtime with its `client` feature.
//! clientset = "../widgets-client/src/clientset.rs"
//! # Write listers, typed informers and an informer factory for the kinds that can be listed
//! # and watched; the crate that owns the file needs kube-codegen-runtime's `informer` feature.
//! informers = "../widgets-client/src/informers.rs"
//! # Also write kcp cluster-aware clients (`cluster_clientset.rs` beside the clientset) and
//! # informers (`cluster_informers.rs` beside the informers).
//! cluster-aware = true
//! # Write a CustomResourceDefinition per kind into this directory (relative to this
//! # Cargo.toml): `<group>_<plural>.yaml`.
//! crds = "crds/"
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::dependencies::{Declared, Dependency};
use crate::diagnostic::Diagnostic;
use crate::source::SourceTree;

/// One package's manifest, as far as the tool cares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crate {
    /// The directory holding `Cargo.toml`.
    pub dir: PathBuf,
    /// `Cargo.toml`, relative to the root (for messages).
    pub manifest: PathBuf,
    /// `[package] name`.
    pub package_name: String,
    /// The library's Rust name (`[lib] name`, or the package name with `-` → `_`).
    pub lib_name: String,
    /// `[lib] path` (absolute), when the library's root is not `src/lib.rs`.
    pub lib_path: Option<PathBuf>,
    /// Where to write the clientset (absolute), and where the setting's value stands.
    pub clientset: Option<(PathBuf, Location)>,
    /// Where to write the listers and informers (absolute), and where the setting stands.
    pub informers: Option<(PathBuf, Location)>,
    /// `cluster-aware = true`: where the setting stands.
    pub cluster_aware: Option<Location>,
    /// Where to write CRDs (an absolute directory), and where the setting stands.
    pub crds: Option<(PathBuf, Location)>,
    /// Its dependencies (generated code names some of them).
    pub declared: Declared,
}

impl Crate {
    /// The root files of its library and binary targets, as Cargo finds them by default.
    pub fn roots(&self) -> Vec<PathBuf> {
        let lib = self
            .lib_path
            .clone()
            .unwrap_or_else(|| self.dir.join("src").join("lib.rs"));
        vec![lib, self.dir.join("src").join("main.rs")]
    }
}

/// A value's place in `Cargo.toml`, for diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub width: usize,
}

impl Location {
    /// Points `d` here.
    pub fn apply(&self, d: Diagnostic) -> Diagnostic {
        d.at(self.line, self.column).width(self.width)
    }
}

#[derive(Deserialize)]
struct Manifest {
    package: Option<PackageSection>,
    lib: Option<LibSection>,
}

#[derive(Deserialize)]
struct PackageSection {
    name: String,
    metadata: Option<Metadata>,
}

#[derive(Deserialize)]
struct LibSection {
    name: Option<String>,
    path: Option<String>,
}

#[derive(Deserialize)]
struct Metadata {
    #[serde(rename = "kube-codegen")]
    kube_codegen: Option<Settings>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    clientset: Option<toml::Spanned<String>>,
    informers: Option<toml::Spanned<String>>,
    #[serde(rename = "cluster-aware")]
    cluster_aware: Option<toml::Spanned<bool>>,
    crds: Option<toml::Spanned<String>>,
}

/// `[workspace.metadata.kube-codegen]` of the tree's root manifest.
#[derive(Deserialize)]
struct WorkspaceManifest {
    workspace: Option<WorkspaceSection>,
}

#[derive(Deserialize)]
struct WorkspaceSection {
    metadata: Option<WorkspaceMetadata>,
}

#[derive(Deserialize)]
struct WorkspaceMetadata {
    #[serde(rename = "kube-codegen")]
    kube_codegen: Option<WorkspaceSettings>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkspaceSettings {
    #[serde(rename = "kube-release")]
    kube_release: Option<toml::Spanned<String>>,
}

/// Every package manifest of the tree, in path order.
#[derive(Debug, Default)]
pub struct Manifests {
    /// `[workspace.metadata.kube-codegen] kube-release` of the root manifest: the Kubernetes
    /// release the tree targets.
    pub kube_release: Option<super::lifecycle::Release>,
    pub crates: Vec<Crate>,
    /// Directories of manifests whose settings of ours are in error (reported in `errors`).
    pub unreadable: Vec<PathBuf>,
    pub errors: Vec<Diagnostic>,
    /// `[workspace.dependencies]` of the workspace roots in the tree, by directory.
    pub workspaces: Vec<(PathBuf, Vec<Dependency>)>,
}

/// Reads every manifest of the tree.
pub fn read_all(tree: &SourceTree) -> Manifests {
    let mut out = Manifests::default();
    for (path, text) in &tree.manifests {
        let rel = path.strip_prefix(&tree.root).unwrap_or(path);
        if *path == tree.root.join("Cargo.toml") {
            match workspace_release(rel, text) {
                Ok(release) => out.kube_release = release,
                Err(e) => out.errors.push(e),
            }
        }
        if text.contains("[workspace")
            && let Some(deps) = super::dependencies::read(text).workspace
        {
            let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
            out.workspaces.push((dir, deps));
        }
        match read(path, rel, text) {
            Ok(Some(c)) => out.crates.push(c),
            Ok(None) => {}
            Err(e) => {
                out.errors.push(e);
                out.unreadable
                    .push(path.parent().unwrap_or(Path::new("")).to_path_buf());
            }
        }
    }
    out
}

/// Reads a manifest. `Ok(None)` for a workspace-only manifest, or an unreadable one that has no
/// settings of ours (it is Cargo's business, not ours, to complain about it).
pub fn read(path: &Path, rel: &Path, text: &str) -> Result<Option<Crate>, Diagnostic> {
    let manifest: Manifest = match toml::from_str(text) {
        Ok(m) => m,
        Err(_) if !text.contains("kube-codegen") => return Ok(None),
        Err(e) => {
            let (line, column) = e.span().map_or((1, 1), |s| line_column(text, s.start));
            return Err(Diagnostic::new(rel, format!("invalid `[package.metadata.kube-codegen]`: {}", e.message()))
                .at(line, column)
                .help("the settings are `clientset = \"<path to a .rs file>\"` and `informers = \"<path to a .rs file>\"`, relative to this Cargo.toml, `cluster-aware = true`, and `crds = \"<directory>\"`"));
        }
    };
    let Some(package) = manifest.package else {
        return Ok(None);
    };
    let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let (lib_name, lib_path) = match manifest.lib {
        Some(lib) => (lib.name, lib.path.map(|p| normalize_path(&dir.join(p)))),
        None => (None, None),
    };
    let lib_name = lib_name.unwrap_or_else(|| package.name.replace('-', "_"));
    let settings = package.metadata.and_then(|m| m.kube_codegen);
    let crds = match settings.as_ref().and_then(|s| s.crds.clone()) {
        Some(value) => Some(crds_setting(&dir, rel, text, &value)?),
        None => None,
    };
    let (clientset, informers, cluster_aware) = match settings {
        Some(settings) => (
            output_setting(&dir, rel, text, "clientset", settings.clientset)?,
            output_setting(&dir, rel, text, "informers", settings.informers)?,
            settings
                .cluster_aware
                .filter(|on| *on.get_ref())
                .map(|on| location(text, on.span())),
        ),
        None => (None, None, None),
    };
    Ok(Some(Crate {
        dir,
        manifest: rel.to_path_buf(),
        package_name: package.name.clone(),
        lib_name,
        lib_path,
        clientset,
        informers,
        cluster_aware,
        crds,
        declared: super::dependencies::read(text),
    }))
}

/// `kube-release` of `[workspace.metadata.kube-codegen]`, checked.
fn workspace_release(
    rel: &Path,
    text: &str,
) -> Result<Option<super::lifecycle::Release>, Diagnostic> {
    if !text.contains("kube-codegen") {
        return Ok(None);
    }
    let manifest: WorkspaceManifest = match toml::from_str(text) {
        Ok(m) => m,
        // A manifest that is not TOML at all is reported where packages are read.
        Err(_) if !text.contains("[workspace.metadata.kube-codegen]") => return Ok(None),
        Err(e) => {
            let (line, column) = e.span().map_or((1, 1), |s| line_column(text, s.start));
            return Err(Diagnostic::new(
                rel,
                format!("invalid `[workspace.metadata.kube-codegen]`: {}", e.message()),
            )
            .at(line, column)
            .help("the setting is `kube-release = \"<major>.<minor>\"`, the Kubernetes release the tree targets"));
        }
    };
    let Some(value) = manifest
        .workspace
        .and_then(|w| w.metadata)
        .and_then(|m| m.kube_codegen)
        .and_then(|s| s.kube_release)
    else {
        return Ok(None);
    };
    match super::lifecycle::Release::parse(value.get_ref()) {
        Some(release) => Ok(Some(release)),
        None => Err(location(text, value.span())
            .apply(Diagnostic::new(
                rel,
                format!("`{}` is not a Kubernetes release", value.get_ref()),
            ))
            .help("write the minor release as `kube-release = \"1.32\"`")),
    }
}

/// A setting naming a generated `.rs` file: its absolute path and where the value stands.
fn output_setting(
    dir: &Path,
    rel: &Path,
    text: &str,
    name: &str,
    value: Option<toml::Spanned<String>>,
) -> Result<Option<(PathBuf, Location)>, Diagnostic> {
    let Some(value) = value else {
        return Ok(None);
    };
    let at = location(text, value.span());
    if !value.get_ref().ends_with(".rs") {
        return Err(at
            .apply(Diagnostic::new(
                rel,
                format!(
                    "`{name} = \"{}\"` does not name a `.rs` file",
                    value.get_ref()
                ),
            ))
            .help(format!(
                "name the module file to write, e.g. `{name} = \"../my-client/src/{name}.rs\"`"
            )));
    }
    Ok(Some((normalize_path(&dir.join(value.get_ref())), at)))
}

/// `crds = "<dir>"`: the directory CRDs are written into.
fn crds_setting(
    dir: &Path,
    rel: &Path,
    text: &str,
    value: &toml::Spanned<String>,
) -> Result<(PathBuf, Location), Diagnostic> {
    let at = location(text, value.span());
    let v = value.get_ref();
    if v.trim().is_empty() || v.ends_with(".rs") || v.ends_with(".yaml") || v.ends_with(".yml") {
        return Err(at
            .apply(Diagnostic::new(
                rel,
                format!("`crds = \"{v}\"` does not name a directory"),
            ))
            .help("name the directory the CRDs go in, relative to this Cargo.toml, e.g. `crds = \"crds/\"`"));
    }
    Ok((normalize_path(&dir.join(v)), at))
}

/// Where the value at `span` of `text` stands.
fn location(text: &str, span: std::ops::Range<usize>) -> Location {
    let (line, column) = line_column(text, span.start);
    let width = text.get(span).map_or(1, |s| s.chars().count());
    Location {
        line,
        column,
        width,
    }
}

/// Resolves `.` and `..` without touching the disk (the file may not exist yet).
fn normalize_path(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

pub(super) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_and_settings() {
        let text = "[package]\nname = \"widgets-api\"\n\n[package.metadata.kube-codegen]\nclientset = \"../client/src/clientset.rs\"\n";
        let krate = read(
            Path::new("/r/api/Cargo.toml"),
            Path::new("api/Cargo.toml"),
            text,
        )
        .expect("valid")
        .expect("a package");
        assert_eq!(krate.lib_name, "widgets_api");
        let at = Location {
            line: 5,
            column: 13,
            width: 28,
        };
        assert_eq!(
            krate.clientset,
            Some((PathBuf::from("/r/client/src/clientset.rs"), at))
        );
    }

    #[test]
    fn cluster_aware_is_on_only_when_true() {
        let read_with = |value: &str| {
            let text = format!(
                "[package]\nname = \"a\"\n[package.metadata.kube-codegen]\nclientset = \"c/src/clientset.rs\"\ncluster-aware = {value}\n"
            );
            read(Path::new("/r/Cargo.toml"), Path::new("Cargo.toml"), &text)
                .expect("valid")
                .expect("a package")
                .cluster_aware
        };
        assert_eq!(
            read_with("true"),
            Some(Location {
                line: 5,
                column: 17,
                width: 4
            })
        );
        assert_eq!(read_with("false"), None);
    }

    #[test]
    fn workspace_manifests_and_foreign_errors_are_not_ours() {
        assert_eq!(
            read(
                Path::new("/r/Cargo.toml"),
                Path::new("Cargo.toml"),
                "[workspace]\n"
            ),
            Ok(None)
        );
        assert_eq!(
            read(
                Path::new("/r/Cargo.toml"),
                Path::new("Cargo.toml"),
                "not toml ["
            ),
            Ok(None)
        );
    }

    #[test]
    fn bad_settings_are_located() {
        let text = "[package]\nname = \"a\"\n[package.metadata.kube-codegen]\nclient = \"x.rs\"\n";
        let err = read(Path::new("/r/Cargo.toml"), Path::new("Cargo.toml"), text)
            .expect_err("unknown key");
        assert_eq!(err.location(), "Cargo.toml:4:1");
        assert!(
            err.message.contains("unknown field `client`"),
            "{}",
            err.message
        );
        let text =
            "[package]\nname = \"a\"\n[package.metadata.kube-codegen]\nclientset = \"dir/\"\n";
        let err =
            read(Path::new("/r/Cargo.toml"), Path::new("Cargo.toml"), text).expect_err("not .rs");
        assert_eq!(err.location(), "Cargo.toml:4:13");
    }
}
