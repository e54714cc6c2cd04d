//! Which crates get a typed clientset, where it goes, and the crate paths of their packages.

use std::path::{Path, PathBuf};

use super::Package;
use super::declaration::declares_skipped_module;
use super::manifest::Crate;
use crate::diagnostic::Diagnostic;
use crate::source::SourceTree;

/// A clientset file: the `+genclient` kinds of one API crate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clientset {
    /// The file to write (absolute).
    pub output: PathBuf,
    /// The API crate's Rust name (`widgets_api`).
    pub api_crate: String,
    /// Indexes into `Model::packages` of the packages with kinds, in path order.
    pub packages: Vec<usize>,
}

/// Plans the configured clientsets of `crates`.
pub fn plan(
    tree: &SourceTree,
    crates: &[Crate],
    packages: &[Package],
) -> Result<Vec<Clientset>, Vec<Diagnostic>> {
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
        let Some((output, location)) = &krate.clientset else {
            continue;
        };
        let at = |message: String, help: String| {
            location
                .apply(Diagnostic::new(&krate.manifest, message))
                .help(help)
        };
        let with_kinds: Vec<usize> = (0..packages.len())
            .filter(|&p| {
                owners[p] == Some(i) && packages[p].types.iter().any(|t| t.client.is_some())
            })
            .collect();
        if with_kinds.is_empty() {
            errors.push(at(
                format!(
                    "a clientset is configured, but crate `{}` has no `+genclient` kinds",
                    krate.lib_name
                ),
                "mark the API kinds with `// +genclient`, or remove the `clientset` setting"
                    .to_owned(),
            ));
            continue;
        }
        if !output.starts_with(&tree.root) {
            errors.push(at(
                format!(
                    "the clientset path `{}` is outside the tree being generated",
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
                "API packages with a clientset must live at `src/<module>/…` paths made of Rust identifiers".to_owned(),
            ));
            continue;
        }
        let hidden = with_kinds.iter().flat_map(|&p| {
            packages[p]
                .types
                .iter()
                .filter(|t| t.client.is_some() && t.public_path.is_none())
                .map(move |t| (&packages[p], t))
        });
        let mut reachable = true;
        for (package, t) in hidden {
            reachable = false;
            let module = t.private_module.as_deref().unwrap_or_default();
            errors.push(at(
                format!(
                    "the clientset cannot name `{}` (in {}): module `{module}` is private",
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
            errors.push(at("the clientset module is not declared".to_owned(), help));
            continue;
        }
        clientsets.push(Clientset {
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
