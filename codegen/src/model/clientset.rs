//! Which crates get a typed clientset or informers, where each goes, and the packages of kinds
//! it serves.

use std::path::{Path, PathBuf};

use super::declaration::declares_skipped_module;
use super::manifest::Crate;
use super::{Package, TypeDef, Verb};
use crate::diagnostic::Diagnostic;
use crate::source::SourceTree;

/// The generated files that serve an API crate's `+genclient` kinds from another crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientFile {
    /// `clientset = "…"`: typed clients.
    Clientset,
    /// `informers = "…"`: listers, typed informers and an informer factory.
    Informers,
    /// `cluster-aware = true` with a clientset: kcp cluster-aware clients, in
    /// `cluster_<clientset file>` beside the clientset.
    ClusterClientset,
    /// `cluster-aware = true` with informers: kcp cluster-aware informers and listers, in
    /// `cluster_<informers file>` beside the informers.
    ClusterInformers,
}

impl ClientFile {
    /// Every generated client file, ordinary ones first (the cluster-aware ones name them).
    pub const ALL: [ClientFile; 4] = [
        ClientFile::Clientset,
        ClientFile::Informers,
        ClientFile::ClusterClientset,
        ClientFile::ClusterInformers,
    ];

    /// The metadata setting that asks for the file.
    pub fn setting(self) -> &'static str {
        match self {
            ClientFile::Clientset => "clientset",
            ClientFile::Informers => "informers",
            ClientFile::ClusterClientset | ClientFile::ClusterInformers => "cluster-aware",
        }
    }

    /// What messages call the file.
    pub fn noun(self) -> &'static str {
        match self {
            ClientFile::Clientset => "clientset",
            ClientFile::Informers => "informers",
            ClientFile::ClusterClientset => "cluster-aware clientset",
            ClientFile::ClusterInformers => "cluster-aware informers",
        }
    }

    /// The ordinary file a cluster-aware one sits beside and builds on.
    pub fn ordinary(self) -> Option<ClientFile> {
        match self {
            ClientFile::Clientset | ClientFile::Informers => None,
            ClientFile::ClusterClientset => Some(ClientFile::Clientset),
            ClientFile::ClusterInformers => Some(ClientFile::Informers),
        }
    }

    /// Where `krate` asks for this file, and the setting that asks.
    pub fn configured(self, krate: &Crate) -> Option<(PathBuf, super::manifest::Location)> {
        match self {
            ClientFile::Clientset => krate.clientset.clone(),
            ClientFile::Informers => krate.informers.clone(),
            ClientFile::ClusterClientset | ClientFile::ClusterInformers => {
                let at = krate.cluster_aware?;
                let (ordinary, _) = self.ordinary()?.configured(krate)?;
                Some((cluster_sibling(&ordinary), at))
            }
        }
    }

    /// Whether the file serves `t`: a clientset every `+genclient` kind, informers those that
    /// can be listed and watched (as informer-gen).
    pub fn serves(self, t: &TypeDef) -> bool {
        self.would_serve(t) && t.client.as_ref().is_some_and(|c| c.is_served())
    }

    /// [`ClientFile::serves`], whatever the target release left out.
    fn would_serve(self, t: &TypeDef) -> bool {
        match (self, &t.client) {
            (_, None) => false,
            (ClientFile::Clientset | ClientFile::ClusterClientset, Some(_)) => true,
            (ClientFile::Informers | ClientFile::ClusterInformers, Some(c)) => {
                c.verbs.contains(&Verb::List) && c.verbs.contains(&Verb::Watch)
            }
        }
    }

    fn kinds(self) -> &'static str {
        match self {
            ClientFile::Clientset | ClientFile::ClusterClientset => "`+genclient` kinds",
            ClientFile::Informers | ClientFile::ClusterInformers => {
                "`+genclient` kinds with both the list and watch verbs"
            }
        }
    }
}

/// `cluster_<name>.rs` beside `ordinary` (`src/clientset.rs` → `src/cluster_clientset.rs`).
fn cluster_sibling(ordinary: &Path) -> PathBuf {
    let name = ordinary
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    ordinary.with_file_name(format!("cluster_{name}"))
}

/// A module's name as its file names it (`clientset` for `src/clientset.rs`).
fn module_name(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A clientset or informers file: the kinds of one API crate it serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clientset {
    pub file: ClientFile,
    /// The file to write (absolute).
    pub output: PathBuf,
    /// The API crate's Rust name (`widgets_api`).
    pub api_crate: String,
    /// Indexes into `Model::packages` of the packages with kinds, in path order.
    pub packages: Vec<usize>,
    /// For a cluster-aware file: the module name of the ordinary file beside it (its sibling
    /// module, `super::<name>`).
    pub beside: Option<String>,
}

/// Plans the configured `file`s (clientsets, informers, or their cluster-aware siblings) of
/// `crates`.
pub fn plan(
    tree: &SourceTree,
    crates: &[Crate],
    packages: &[Package],
    file: ClientFile,
) -> Result<Vec<Clientset>, Vec<Diagnostic>> {
    let setting = file.setting();
    let noun = file.noun();
    let mut errors = Vec::new();
    let owners: Vec<Option<usize>> = packages
        .iter()
        .map(|package| {
            let file = tree.root.join(&package.file);
            crates
                .iter()
                .enumerate()
                .filter(|(_, c)| file.starts_with(&c.dir))
                .max_by_key(|(_, c)| c.dir.components().count())
                .map(|(i, _)| i)
        })
        .collect();

    let mut clientsets = Vec::new();
    for (i, krate) in crates.iter().enumerate() {
        let Some((output, location)) = file.configured(krate) else {
            continue;
        };
        let at = |message: String, help: String| {
            location
                .apply(Diagnostic::new(&krate.manifest, message))
                .help(help)
        };
        let owned_with = |serves: &dyn Fn(&TypeDef) -> bool| -> Vec<usize> {
            (0..packages.len())
                .filter(|&p| owners[p] == Some(i) && packages[p].types.iter().any(serves))
                .collect()
        };
        // Kinds the target release left out still count as configured: the file is written
        // with what remains (possibly nothing), not reported.
        let with_kinds = owned_with(&|t| file.serves(t));
        if owned_with(&|t| file.would_serve(t)).is_empty() {
            errors.push(at(
                format!(
                    "`{setting}` is configured, but crate `{}` has no {}",
                    krate.lib_name,
                    file.kinds()
                ),
                format!("mark the API kinds with `// +genclient` (keeping list and watch for informers), or remove the `{setting}` setting"),
            ));
            continue;
        }
        if !output.starts_with(&tree.root) {
            errors.push(at(
                format!(
                    "the {noun} path `{}` is outside the tree being generated",
                    output.display()
                ),
                "point it at a file inside the workspace, or run with a `--root` that contains it"
                    .to_owned(),
            ));
            continue;
        }
        if let Some(p) = with_kinds.iter().map(|&p| &packages[p]).find(|p| {
            p.crate_path
                .iter()
                .any(|m| syn::parse_str::<syn::Ident>(m).is_err())
        }) {
            errors.push(at(
                format!("`{}` is not reachable by a Rust module path from the crate root", p.file.display()),
                format!("API packages with a generated {noun} must live at `src/<module>/…` paths made of Rust identifiers"),
            ));
            continue;
        }
        let hidden = with_kinds.iter().flat_map(|&p| {
            packages[p]
                .types
                .iter()
                .filter(|t| file.serves(t) && t.public_path.is_none())
                .map(move |t| (&packages[p], t))
        });
        let mut reachable = true;
        for (package, t) in hidden {
            reachable = false;
            let module = t.private_module.as_deref().unwrap_or_default();
            errors.push(at(
                format!(
                    "the {noun} cannot name `{}` (in {}): module `{module}` is private",
                    t.ident,
                    package.file.display()
                ),
                format!("make it `pub mod {}`, or re-export the version module (`pub use {module}::…;`) or the kind", module.rsplit("::").next().unwrap_or_default()),
            ));
        }
        if !reachable {
            continue;
        }
        if let Err(help) = check_declared(tree, &output) {
            errors.push(at(format!("the {noun} module is not declared"), help));
            continue;
        }
        let beside = file
            .ordinary()
            .and_then(|ordinary| ordinary.configured(krate))
            .map(|(ordinary, _)| module_name(&ordinary));
        clientsets.push(Clientset {
            file,
            output,
            api_crate: krate.lib_name.clone(),
            packages: with_kinds,
            beside,
        });
    }
    if errors.is_empty() {
        Ok(clientsets)
    } else {
        Err(errors)
    }
}

/// The module file that must declare `output` as its child, by Rust's module rules.
fn check_declared(tree: &SourceTree, output: &Path) -> Result<(), String> {
    let stem = module_name(output);
    let stem = stem.as_str();
    let dir = output.parent().unwrap_or(Path::new(""));
    let mut candidates = vec![dir.join("lib.rs"), dir.join("main.rs"), dir.join("mod.rs")];
    if let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) {
        candidates.push(parent.join(format!("{}.rs", name.to_string_lossy())));
    }
    let line = format!("#[rustfmt::skip] pub mod {stem};");
    let Some(parent) = tree.files.iter().find(|f| candidates.contains(&f.path)) else {
        return Err(format!(
            "create the crate around it and declare `{line}` in its lib.rs"
        ));
    };
    let declared = parent
        .syntax()
        .ok()
        .is_some_and(|syntax| declares_skipped_module(&syntax.items, stem));
    if declared {
        Ok(())
    } else {
        Err(format!("add `{line}` to {}", parent.rel.display()))
    }
}

/// Two of a crate's generated client files at one path (`informers` naming the clientset's
/// file, or a file where a cluster-aware sibling goes): one would overwrite the other.
pub fn shared_outputs(crates: &[Crate]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for krate in crates {
        let outputs: Vec<(ClientFile, PathBuf, super::manifest::Location)> = ClientFile::ALL
            .iter()
            .filter_map(|&file| file.configured(krate).map(|(path, at)| (file, path, at)))
            .collect();
        for (i, (file, path, at)) in outputs.iter().enumerate() {
            let Some((first, _, _)) = outputs[..i].iter().find(|(_, p, _)| p == path) else {
                continue;
            };
            let message = if file.ordinary().is_some() || first.ordinary().is_some() {
                format!(
                    "the {} would be written to `{}`, the file of the {}",
                    file.noun(),
                    path.file_name().unwrap_or_default().to_string_lossy(),
                    first.noun()
                )
            } else {
                format!(
                    "`{}` names the same file as `{}`",
                    file.setting(),
                    first.setting()
                )
            };
            errors.push(
                at.apply(Diagnostic::new(&krate.manifest, message))
                .help(match file {
                    ClientFile::ClusterClientset | ClientFile::ClusterInformers => format!(
                        "`cluster-aware` writes `cluster_<name>.rs` beside the clientset and the informers: rename the {} file",
                        first.noun()
                    ),
                    _ => format!(
                        "give the {0} a file of their own, e.g. `{1} = \"../my-client/src/{1}.rs\"`",
                        file.noun(),
                        file.setting()
                    ),
                }),
            );
            break;
        }
    }
    errors
}

/// `cluster-aware = true` in a crate that asks for neither a clientset nor informers.
pub fn cluster_aware_alone(crates: &[Crate]) -> Vec<Diagnostic> {
    crates
        .iter()
        .filter(|krate| krate.clientset.is_none() && krate.informers.is_none())
        .filter_map(|krate| {
            let at = krate.cluster_aware?;
            Some(
                at.apply(Diagnostic::new(
                    &krate.manifest,
                    "`cluster-aware = true` without a `clientset` or `informers` to make cluster-aware",
                ))
                .help("add `clientset = \"../my-client/src/clientset.rs\"` (and `informers = …`) beside it, or remove `cluster-aware`"),
            )
        })
        .collect()
}
