//! The API model: the one place where markers are interpreted and validated.
//!
//! Generators read typed fields (`package.group`, `ty.client.verbs`, `field.plan`), never
//! marker strings.

pub mod client;
pub mod clientset;
mod clone_check;
pub mod copy_plan;
pub mod crd;
mod declaration;
mod dependencies;
mod dependency_check;
mod go_doc_file;
pub mod interpret;
mod kind;
pub mod lifecycle;
pub mod manifest;
pub mod marker;
mod membership;
pub mod modules;
pub mod naming;
pub mod placement;
pub mod resolve;
mod types;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub use client::{ClientSpec, CustomMethod, Scope, Verb};
use clientset::ClientFile;
pub use copy_plan::CopyPlan;
use interpret::{MarkerErrors, PackageMarkers, TypeMarkers, is_known, is_package_marker};
use marker::Marker;
use modules::{ModuleId, ModuleTree};
use placement::{Layout, Target};
use resolve::Resolver;
pub use types::{Field, Fields, Shape, TypeDef, Variant};

use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, SourceTree};

/// Every API package (version module) of a tree, in path order.
#[derive(Debug, Default)]
pub struct Model {
    pub packages: Vec<Package>,
    /// Configured clientsets (`[package.metadata.kube-codegen] clientset = …`).
    pub clientsets: Vec<clientset::Clientset>,
    /// Configured informers files (`informers = …`): listers, typed informers and a factory.
    pub informers: Vec<clientset::Clientset>,
    /// kcp cluster-aware clientsets (`cluster-aware = true` beside `clientset`).
    pub cluster_clientsets: Vec<clientset::Clientset>,
    /// kcp cluster-aware informers (`cluster-aware = true` beside `informers`).
    pub cluster_informers: Vec<clientset::Clientset>,
    /// The Kubernetes release the output targets (`--kube-release`, or the workspace's
    /// `kube-release`); without one nothing is left out or deprecated.
    pub kube_release: Option<lifecycle::Release>,
    /// What the target release left out, one line per kind, in package order
    /// (`left out widgets.example.io/v1alpha1 Widget: removed in 1.32`).
    pub left_out: Vec<String>,
    /// CustomResourceDefinitions of the crates with `crds = "<dir>"`, in output order.
    pub crds: Vec<crd::Crd>,
}

impl Model {
    /// Every planned client file: clientsets, informers and their cluster-aware siblings.
    pub fn client_files(&self) -> impl Iterator<Item = &clientset::Clientset> {
        self.clientsets
            .iter()
            .chain(&self.informers)
            .chain(&self.cluster_clientsets)
            .chain(&self.cluster_informers)
    }

    fn client_files_mut(&mut self, file: ClientFile) -> &mut Vec<clientset::Clientset> {
        match file {
            ClientFile::Clientset => &mut self.clientsets,
            ClientFile::Informers => &mut self.informers,
            ClientFile::ClusterClientset => &mut self.cluster_clientsets,
            ClientFile::ClusterInformers => &mut self.cluster_informers,
        }
    }
}

/// One version module: `+groupName`/`+versionName`/`+k8s:deepcopy-gen=package` above its first
/// item, its types, and where its generated code goes.
#[derive(Debug)]
pub struct Package {
    /// The version module's file, relative to the root.
    pub file: PathBuf,
    /// `zz_generated.rs` in the module's directory (absolute).
    pub output: PathBuf,
    /// The API group (`Some("")` for the core group), if `+groupName` was given.
    pub group: Option<String>,
    /// `v1`, `v1beta1`…
    pub version: String,
    /// The group's Rust identifier (`widgets` for `widgets.example.io`, or `+groupGoName`).
    pub group_rust_name: Option<String>,
    /// Types in declaration order (files in path order).
    pub types: Vec<TypeDef>,
    /// The Rust name of the crate the package belongs to, when its `Cargo.toml` is in the tree.
    pub crate_name: Option<String>,
    /// Modules from the crate's root to the version module (`["widgets", "v1"]`).
    pub crate_path: Vec<String>,
}

impl Package {
    /// `group/version`, or `version` for the core group; `None` without `+groupName`.
    pub fn api_version(&self) -> Option<String> {
        self.group.as_ref().map(|g| {
            if g.is_empty() {
                self.version.clone()
            } else {
                format!("{g}/{}", self.version)
            }
        })
    }
}

/// Builds and validates the model, for the Kubernetes release the tree's workspace metadata
/// targets (if any). All errors of all files are reported together.
pub fn build(tree: &SourceTree) -> Result<Model, Vec<Diagnostic>> {
    build_targeting(tree, None)
}

/// [`build`], for `kube_release` when given (`--kube-release`) instead of the workspace's.
pub fn build_targeting(
    tree: &SourceTree,
    kube_release: Option<lifecycle::Release>,
) -> Result<Model, Vec<Diagnostic>> {
    let mut errors = Vec::new();

    // 1. Our markers in every file, and the files that declare a package.
    let mut marked: Vec<(&SourceFile, Vec<Marker>)> = Vec::new();
    for file in &tree.files {
        let markers: Vec<Marker> = file
            .comments
            .iter()
            .filter_map(Marker::from_comment)
            .filter(Marker::is_ours)
            .collect();
        if !markers.is_empty() {
            marked.push((file, markers));
        }
    }
    let mut placed: BTreeMap<&Path, PlacedMarkers> = BTreeMap::new();
    for (file, markers) in &marked {
        // Markers that could be placed count even when others of the file could not, so one
        // bad marker does not turn the file's package and its other files into more errors.
        let (p, mut e) = place(file, markers);
        errors.append(&mut e);
        placed.insert(file.path.as_path(), p);
    }

    // 2. Version modules: files with package markers.
    let mut packages: Vec<(&SourceFile, PackageMarkers)> = Vec::new();
    let mut misplaced_package_dirs: Vec<PathBuf> = Vec::new();
    for file in &tree.files {
        let Some(p) = placed.get(file.path.as_path()) else {
            continue;
        };
        if p.package.is_empty() {
            continue;
        }
        if go_doc_file::is_go_doc_file(file, &p.package) {
            errors.push(go_doc_file::misplaced(tree, file, &p.package));
            misplaced_package_dirs.extend(go_doc_file::version_paths(file));
            continue;
        }
        let mut e = MarkerErrors::new(file);
        let settings = PackageMarkers::interpret(&p.package, &mut e);
        errors.append(&mut e.errors);
        packages.push((file, settings));
    }

    // 3. The crates' module trees, from their root files (the symbol table), and each
    //    package's files: the modules below its version module.
    let mut manifests = manifest::read_all(tree);
    errors.append(&mut manifests.errors);
    let crates = manifests.crates;
    let wanted: Vec<&Path> = marked.iter().map(|(f, _)| f.path.as_path()).collect();
    let (modules, mut e) = ModuleTree::load(tree, &crates, &wanted);
    errors.append(&mut e);
    let package_files: Vec<&SourceFile> = packages.iter().map(|(f, _)| *f).collect();
    let mut membership = membership::assign(
        tree,
        &modules,
        &crates,
        &manifests.unreadable,
        &misplaced_package_dirs,
        &package_files,
        &placed,
    );
    errors.append(&mut membership.errors);
    let resolver = Resolver::new(&modules);
    let hand_clones = hand_written_clones(&resolver);

    // 4. Types and settings per package.
    let mut model = Model::default();
    for (((file, settings), members), module) in packages
        .iter()
        .zip(membership.members)
        .zip(membership.modules)
    {
        let Some(module) = module else {
            continue;
        };
        match types::build_package(
            file,
            settings,
            &members,
            module,
            &placed,
            &resolver,
            &hand_clones,
        ) {
            Ok(p) => model.packages.push(p),
            Err(mut e) => errors.append(&mut e),
        }
    }

    errors.append(&mut lifecycle::unknown_replacements(&model.packages));
    model.kube_release = kube_release.or(manifests.kube_release);
    model.left_out = apply_target(&mut model.packages, model.kube_release);
    errors.append(&mut kind::duplicate_plurals(&model.packages));
    errors.append(&mut kind::colliding_generated_names(&model.packages));
    if errors.is_empty() {
        errors.append(&mut clone_check::check(
            &model.packages,
            &resolver,
            &hand_clones,
        ));
    }
    errors.append(&mut clientset::shared_outputs(&crates));
    errors.append(&mut clientset::cluster_aware_alone(&crates));
    if errors.is_empty() {
        // Ordinary files first: a cluster-aware file is planned only when the file it sits
        // beside is sound, so a problem of both is reported once, at its own setting.
        let (ordinary, cluster_aware): (Vec<ClientFile>, Vec<ClientFile>) = ClientFile::ALL
            .into_iter()
            .partition(|file| file.ordinary().is_none());
        for (i, files) in [ordinary, cluster_aware].into_iter().enumerate() {
            if i > 0 && !errors.is_empty() {
                break;
            }
            for file in files {
                match clientset::plan(tree, &crates, &model.packages, file) {
                    Ok(c) => *model.client_files_mut(file) = c,
                    Err(mut e) => errors.append(&mut e),
                }
            }
        }
    }
    if errors.is_empty() {
        errors.append(&mut dependency_check::check(
            &crates,
            &manifests.workspaces,
            &tree.root,
            &model.packages,
            model.client_files(),
        ));
    }
    if errors.is_empty() {
        match crd::plan(&crates, &mut model.packages, &resolver) {
            Ok(crds) => model.crds = crds,
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(model)
    } else {
        errors.sort_by(|a, b| {
            (&a.path, a.position, &a.message).cmp(&(&b.path, b.position, &b.message))
        });
        errors.dedup();
        Err(errors)
    }
}

/// Sets what `target` does to every kind with a lifecycle; returns the left-out lines.
fn apply_target(packages: &mut [Package], target: Option<lifecycle::Release>) -> Vec<String> {
    let mut left_out = Vec::new();
    for package in packages {
        let api_version = package.api_version().unwrap_or_default();
        for client in package.types.iter_mut().filter_map(|t| t.client.as_mut()) {
            let Some(l) = &client.lifecycle else {
                continue;
            };
            client.availability = lifecycle::availability(l, &api_version, &client.kind, target);
            if let lifecycle::Availability::LeftOut { reason } = &client.availability {
                left_out.push(reason.clone());
            }
        }
    }
    left_out
}

/// Every type of the loaded crates with a hand-written `impl Clone` (in any module of its
/// crate), by its module and name.
fn hand_written_clones(resolver: &Resolver<'_, '_>) -> BTreeSet<(ModuleId, String)> {
    let mut out = BTreeSet::new();
    for (id, module) in resolver.tree.modules.iter().enumerate() {
        let scope = resolve::Scope {
            module: id,
            params: BTreeSet::new(),
            self_type: None,
        };
        for self_ty in &module.clone_impls {
            if let resolve::Ty::Path {
                target: resolve::Target::Local { module, name },
                ..
            } = resolver.resolve_type(&scope, self_ty).unaliased()
            {
                out.insert((*module, name.clone()));
            }
        }
    }
    out
}

fn outside_package(file: &SourceFile, m: &Marker) -> Diagnostic {
    Diagnostic::new(&file.rel, format!("`+{}` is outside any API package", m.name))
        .at(m.line, m.column)
        .width(m.width)
        .help("add `// +groupName=<group>` (or `// +k8s:deepcopy-gen=package`) above the first item of the version module (`mod.rs` or `<version>.rs`) that contains this file")
}

/// A file's markers, sorted by what they apply to.
#[derive(Debug, Default)]
pub struct PlacedMarkers {
    pub package: Vec<Marker>,
    /// Type markers keyed by the type's position in the file (keyword line), with the type's
    /// identifier for lookup.
    pub types: Vec<((usize, String), Vec<Marker>)>,
}

impl PlacedMarkers {
    pub fn for_type(&self, line: usize, name: &str) -> &[Marker] {
        self.types
            .iter()
            .find(|((l, n), _)| *l == line && n == name)
            .map_or(&[], |(_, m)| m.as_slice())
    }
}

/// Decides what each marker of a file applies to, or why it cannot apply to anything: the
/// markers that could be placed, and the errors about the others.
fn place(file: &SourceFile, markers: &[Marker]) -> (PlacedMarkers, Vec<Diagnostic>) {
    let syntax = match file.syntax() {
        Ok(syntax) => syntax,
        Err(e) => {
            // Without syntax nothing can be placed; package markers are still taken as such,
            // so the files of this version module are not reported as outside any package.
            let package = markers
                .iter()
                .filter(|m| is_known(m) && m.own_line && is_package_marker(m))
                .cloned()
                .collect();
            let placed = PlacedMarkers {
                package,
                types: Vec::new(),
            };
            return (placed, vec![e]);
        }
    };
    let layout = Layout::of(syntax);
    let mut errors = MarkerErrors::new(file);
    let mut placed = PlacedMarkers::default();
    for m in markers {
        if !is_known(m) {
            errors.unknown(m);
            // A misspelt lifecycle marker is still placed with its type, which then knows a
            // lifecycle was meant (and does not also report it missing); the type's own check
            // reports the same error again, which the final dedup folds into one.
            if !m.name.starts_with("k8s:prerelease-lifecycle-gen:") {
                continue;
            }
        }
        if !interpret::has_valid_deepcopy_value(m) {
            // Before placement: `=packages` is a misspelt value, not a misplaced type marker.
            errors.invalid_deepcopy_value(m);
            continue;
        }
        if !m.own_line {
            errors.at(
                m,
                format!("`+{}` must be on a comment line of its own", m.name),
                "move the marker to its own `//` line above the type",
            );
            continue;
        }
        let Some(window) = layout.window_at(m.line) else {
            errors.at(
                m,
                format!("`+{}` is not attached to a type", m.name),
                "type markers go in the comment lines directly above a struct or enum; package markers above the first item of the version module",
            );
            continue;
        };
        if is_package_marker(m) {
            if window.file_top {
                placed.package.push(m.clone());
            } else {
                errors.at(
                    m,
                    format!("package marker `+{}` is in the wrong place", m.name),
                    "move it above the first item of the version module's file (`mod.rs` or `<version>.rs`)",
                );
            }
            continue;
        }
        match &window.target {
            Target::Type(t) => {
                let line = placement::keyword_line(t.item);
                let key = (line, t.ident.to_string());
                match placed.types.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, list)) => list.push(m.clone()),
                    None => placed.types.push((key, vec![m.clone()])),
                }
            }
            Target::Other(what) => errors.at(
                m,
                format!("`+{}` stands before {what}, not a struct or enum", m.name),
                "put type markers directly above the struct or enum they are for",
            ),
            Target::Nothing => errors.at(
                m,
                format!("`+{}` is not followed by a type", m.name),
                "put type markers directly above the struct or enum they are for",
            ),
        }
    }
    (placed, errors.errors)
}

/// Checks one type's markers (used by [`types`]).
fn type_markers(file: &SourceFile, markers: &[Marker]) -> (TypeMarkers, Vec<Diagnostic>) {
    let mut e = MarkerErrors::new(file);
    let t = TypeMarkers::interpret(markers, &mut e);
    (t, e.errors)
}
