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
}

impl ClientFile {
    /// The metadata setting, and the word messages use.
    pub fn setting(self) -> &'static str {
        match self {
            ClientFile::Clientset => "clientset",
            ClientFile::Informers => "informers",
        }
    }

    /// Where `krate` asks for this file.
    pub fn configured(self, krate: &Crate) -> Option<&(PathBuf, super::manifest::Location)> {
        match self {
            ClientFile::Clientset => krate.clientset.as_ref(),
            ClientFile::Informers => krate.informers.as_ref(),
        }
    }

    /// Whether the file serves `t`: a clientset every `+genclient` kind, informers those that
    /// can be listed and watched (as informer-gen).
    pub fn serves(self, t: &TypeDef) -> bool {
        match (self, &t.client) {
            (_, None) => false,
            (ClientFile::Clientset, Some(_)) => true,
            (ClientFile::Informers, Some(c)) => {
                c.verbs.contains(&Verb::List) && c.verbs.contains(&Verb::Watch)
            }
        }
    }

    fn kinds(self) -> &'static str {
        match self {
            ClientFile::Clientset => "`+genclient` kinds",
            ClientFile::Informers => "`+genclient` kinds with both the list and watch verbs",
        }
    }
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
}

/// Plans the configured `file`s (clientsets, or informers) of `crates`.
pub fn plan(
    tree: &SourceTree,
    crates: &[Crate],
    packages: &[Package],
    file: ClientFile,
) -> Result<Vec<Clientset>, Vec<Diagnostic>> {
    let setting = file.setting();
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
        let with_kinds: Vec<usize> = (0..packages.len())
            .filter(|&p| owners[p] == Some(i) && packages[p].types.iter().any(|t| file.serves(t)))
            .collect();
        if with_kinds.is_empty() {
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
                    "the {setting} path `{}` is outside the tree being generated",
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
                format!("API packages with generated {setting} must live at `src/<module>/…` paths made of Rust identifiers"),
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
                    "the {setting} cannot name `{}` (in {}): module `{module}` is private",
                    t.ident,
                    package.file.display()
                ),
                format!("make it `pub mod {}`, or re-export the version module (`pub use {module}::…;`) or the kind", module.rsplit("::").next().unwrap_or_default()),
            ));
        }
        if !reachable {
            continue;
        }
        if let Err(help) = check_declared(tree, output) {
            errors.push(at(format!("the {setting} module is not declared"), help));
            continue;
        }
        clientsets.push(Clientset {
            file,
            output: output.clone(),
            api_crate: krate.lib_name.clone(),
            packages: with_kinds,
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
    let stem = output
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
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

/// A crate's `clientset` and `informers` naming one file: one of them would overwrite the other.
pub fn shared_outputs(crates: &[Crate]) -> Vec<Diagnostic> {
    crates
        .iter()
        .filter_map(|krate| match (&krate.clientset, &krate.informers) {
            (Some((clientset, _)), Some((informers, at))) if clientset == informers => Some(
                at.apply(Diagnostic::new(
                    &krate.manifest,
                    "`informers` names the same file as `clientset`",
                ))
                .help("give the informers a file of their own, e.g. `informers = \"../my-client/src/informers.rs\"`"),
            ),
            _ => None,
        })
        .collect()
}
