//! Go puts a package's markers in `doc.go`; a translation to Rust often keeps a `doc.rs`. In
//! Rust the module's own file (`mod.rs` or `<version>.rs`) is the package, so package markers in
//! a `doc.rs` configure nothing. Reporting that once, at the markers, replaces the errors it
//! would otherwise cause (a module `doc` not named like a version, an undeclared generated
//! module beside `doc.rs`, every type of the version "outside any API package").

use std::path::{Path, PathBuf};

use super::marker::Marker;
use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, SourceTree};

/// Whether `file` is a Go-style `doc.rs` whose package markers are meant for its parent
/// module. A `+versionName` says the module really is a version module named `doc`.
pub fn is_go_doc_file(file: &SourceFile, package_markers: &[Marker]) -> bool {
    file.path.file_name().is_some_and(|n| n == "doc.rs")
        && !package_markers.iter().any(|m| m.name == "versionName")
}

/// The error at the first of `package_markers`, naming the file the markers belong in.
pub fn misplaced(tree: &SourceTree, file: &SourceFile, package_markers: &[Marker]) -> Diagnostic {
    let written: Vec<String> = package_markers
        .iter()
        .map(|m| format!("`{}`", m.text))
        .collect();
    let first = &package_markers[0];
    Diagnostic::new(
        &file.rel,
        format!(
            "package markers in `{}` configure no module: Rust has no `doc.go`",
            file.rel.display()
        ),
    )
    .at(first.line, first.column)
    .width(first.width)
    .help(format!(
        "move {} to the top of {}, the version module's own file, and remove them here",
        written.join(" and "),
        parent_module_file(tree, file)
    ))
}

/// What the misplaced markers would have configured: the version directory and the
/// `<version>.rs` beside it (absolute paths; a file is covered when its path starts with one).
pub fn version_paths(file: &SourceFile) -> [PathBuf; 2] {
    let dir = file.path.parent().unwrap_or(Path::new("")).to_path_buf();
    let sibling = dir.with_extension("rs");
    [dir, sibling]
}

/// `src/v1/mod.rs` or `src/v1.rs` (whichever exists; both named when neither does).
fn parent_module_file(tree: &SourceTree, file: &SourceFile) -> String {
    let dir = file.rel.parent().unwrap_or(Path::new(""));
    let mod_rs = dir.join("mod.rs");
    let sibling = dir.with_extension("rs");
    let exists = |rel: &Path| tree.files.iter().any(|f| f.rel == rel);
    if exists(&mod_rs) {
        mod_rs.display().to_string()
    } else if exists(&sibling) {
        sibling.display().to_string()
    } else {
        format!("{} (or {})", mod_rs.display(), sibling.display())
    }
}
