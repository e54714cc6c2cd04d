//! Which files make up each API package: the modules of the crate's module tree below the
//! version module, not the files that happen to lie in its directory. A version module or a
//! marked file that no `mod` declaration reaches is not compiled, so generating for it would
//! produce code that cannot build: it is reported instead.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::PlacedMarkers;
use super::manifest::Crate;
use super::marker::Marker;
use super::modules::{ModuleId, ModuleTree};
use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, SourceTree};

/// The packages' members (own file first, then path order) and version modules.
#[derive(Debug, Default)]
pub struct Membership<'t> {
    /// Per package: its files with the module each holds. Empty when the package was reported.
    pub members: Vec<Vec<(&'t SourceFile, ModuleId)>>,
    /// Per package: the version module, when the crate's module tree reaches it.
    pub modules: Vec<Option<ModuleId>>,
    pub errors: Vec<Diagnostic>,
}

/// Assigns every file of the loaded module trees to the innermost version module above it.
pub fn assign<'t>(
    tree: &'t SourceTree,
    modules: &ModuleTree<'t>,
    crates: &[Crate],
    unreadable: &[PathBuf],
    misplaced_package_dirs: &[PathBuf],
    package_files: &[&'t SourceFile],
    placed: &BTreeMap<&Path, PlacedMarkers>,
) -> Membership<'t> {
    let mut out = Membership {
        members: vec![Vec::new(); package_files.len()],
        modules: Vec::with_capacity(package_files.len()),
        errors: Vec::new(),
    };
    // Below an unparsable module, a manifest we cannot read or package markers misplaced in a
    // `doc.rs`, membership is unknown: the error that says so is reported elsewhere, and
    // guessing would only add misleading ones.
    let unknown = |file: &SourceFile| {
        modules
            .unknown_dirs
            .iter()
            .chain(unreadable)
            .chain(misplaced_package_dirs)
            .any(|d| file.path.starts_with(d))
    };
    let mut package_of_module: BTreeMap<ModuleId, usize> = BTreeMap::new();
    for (index, file) in package_files.iter().enumerate() {
        let module = modules.module_of_file(&file.path);
        match module {
            Some(m) => {
                package_of_module.insert(m, index);
            }
            None if unknown(file) => {}
            None => {
                let anchor = placed
                    .get(file.path.as_path())
                    .and_then(|p| p.package.first());
                out.errors.push(not_in_crate(file, anchor, crates));
            }
        }
        out.modules.push(module);
    }
    for file in &tree.files {
        let Some(module) = modules.module_of_file(&file.path) else {
            // Type markers in a file no crate compiles: the types would vanish silently.
            if !unknown(file)
                && let Some(p) = placed.get(file.path.as_path())
                && let Some((_, markers)) = p.types.first()
                && let Some(m) = markers.first()
                && p.package.is_empty()
            {
                out.errors.push(not_in_crate(file, Some(m), crates));
            }
            continue;
        };
        let owner = modules
            .ancestors(module)
            .find_map(|m| package_of_module.get(&m).copied());
        match owner {
            Some(i) if package_files[i].path == file.path => {
                out.members[i].insert(0, (file, module));
            }
            Some(i) => out.members[i].push((file, module)),
            None if unknown(file) => {}
            None => {
                if let Some(p) = placed.get(file.path.as_path()) {
                    for (_, markers) in &p.types {
                        for m in markers {
                            out.errors.push(super::outside_package(file, m));
                        }
                    }
                }
            }
        }
    }
    out
}

/// A version module (or marked file) that is not part of its crate, with the declaration that
/// would make it one.
fn not_in_crate(file: &SourceFile, anchor: Option<&Marker>, crates: &[Crate]) -> Diagnostic {
    let owner = crates
        .iter()
        .filter(|c| file.path.starts_with(&c.dir))
        .max_by_key(|c| c.dir.components().count());
    let d = match owner {
        Some(krate) => Diagnostic::new(
            &file.rel,
            format!(
                "`{}` is not part of crate `{}`: no `mod` declaration reaches it",
                file.rel.display(),
                krate.lib_name
            ),
        )
        .help(declaration_help(file)),
        None => Diagnostic::new(
            &file.rel,
            format!(
                "`{}` is not in a Cargo package of the tree",
                file.rel.display()
            ),
        )
        .help("run with a `--root` that contains the package's `Cargo.toml`"),
    };
    match anchor {
        Some(m) => d.at(m.line, m.column).width(m.width),
        None => d.at(1, 1),
    }
}

/// "declare it with `pub mod v2;` in src/widgets/mod.rs (or src/widgets.rs)".
fn declaration_help(file: &SourceFile) -> String {
    let name = file.module_name();
    let dir = file.path.parent().unwrap_or(Path::new(""));
    // `src/a/v2/mod.rs` is declared next to `src/a/v2/`; `src/a/v2.rs` next to itself.
    let declaring_dir = if file.path.file_name().is_some_and(|n| n == "mod.rs") {
        dir.parent().unwrap_or(Path::new(""))
    } else {
        dir
    };
    let rel_dir = file
        .rel
        .parent()
        .map(|p| {
            if file.path.file_name().is_some_and(|n| n == "mod.rs") {
                p.parent().unwrap_or(Path::new("")).to_path_buf()
            } else {
                p.to_path_buf()
            }
        })
        .unwrap_or_default();
    let parent = match declaring_dir.file_name().and_then(|n| n.to_str()) {
        Some("src") | None => format!("{}", rel_dir.join("lib.rs").display()),
        Some(parent) => format!(
            "{} (or {})",
            rel_dir.join("mod.rs").display(),
            rel_dir
                .parent()
                .unwrap_or(Path::new(""))
                .join(format!("{parent}.rs"))
                .display()
        ),
    };
    format!("declare it with `pub mod {name};` in {parent}, or remove its markers")
}
