//! Reading a tree: which files exist, their text and comments, and their syntax trees.
//!
//! Every `.rs` file is read once. Only files that can matter are parsed (those with marker
//! comments and those inside an API package); the model asks for those through
//! [`SourceFile::syntax`], which parses at most once.

mod comments;
pub mod nesting;
pub mod text;

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub use comments::{LineComment, line_comments};

use crate::diagnostic::Diagnostic;
use crate::generate::PACKAGE_OUTPUT;
use crate::normalize::HEADER;

/// One `.rs` file of the tree.
#[derive(Debug)]
pub struct SourceFile {
    /// Absolute path.
    pub path: PathBuf,
    /// Path relative to the root, used in messages.
    pub rel: PathBuf,
    pub text: String,
    pub comments: Vec<LineComment>,
    syntax: OnceCell<Result<syn::File, Diagnostic>>,
}

impl SourceFile {
    pub fn new(path: PathBuf, rel: PathBuf, text: String) -> Self {
        let comments = line_comments(&text);
        SourceFile {
            path,
            rel,
            text,
            comments,
            syntax: OnceCell::new(),
        }
    }

    /// The parsed file (parsed on first use), or the parse error with its location.
    pub fn syntax(&self) -> Result<&syn::File, Diagnostic> {
        self.syntax
            .get_or_init(|| parse(&self.rel, &self.text))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Drops the parsed file (a later `syntax` parses it again).
    fn release_syntax(&mut self) {
        self.syntax.take();
    }

    /// The directory holding this file's child modules: `src/v1/` for `src/v1.rs`, and the
    /// file's own directory for `mod.rs`, `lib.rs` and `main.rs` (Rust's module-file rules).
    pub fn child_module_dir(&self) -> PathBuf {
        let dir = self.path.parent().unwrap_or(Path::new("")).to_path_buf();
        match self.path.file_stem().and_then(|s| s.to_str()) {
            Some("mod" | "lib" | "main") | None => dir,
            Some(stem) => dir.join(stem),
        }
    }

    /// The module's own name: the file stem, or the directory name for `mod.rs`.
    pub fn module_name(&self) -> String {
        let stem = self.path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if stem == "mod" {
            self.path
                .parent()
                .and_then(|p| p.file_name())
                .and_then(|s| s.to_str())
                .unwrap_or("")
                .to_owned()
        } else {
            stem.to_owned()
        }
    }
}

/// Parses a file as `syn::parse_file` does (a leading `#!` line is kept out of the tokens), but
/// measures the tokens first: a file nested too deeply for the parser's recursion is an error
/// here, not a stack overflow there.
fn parse(rel: &Path, text: &str) -> Result<syn::File, Diagnostic> {
    let syntax_error = |e: syn::Error| {
        let start = e.span().start();
        Diagnostic::new(rel, format!("cannot parse this file: {e}"))
            .at(start.line, start.column + 1)
            .help("fix the syntax error; kube-codegen reads this file because it has marker comments or lies in an API package")
    };
    let (shebang, body) = split_shebang(text);
    let tokens: proc_macro2::TokenStream = body
        .parse()
        .map_err(|e: proc_macro2::LexError| syntax_error(e.into()))?;
    nesting::check(&tokens).map_err(|deep| {
        let start = deep.span.start();
        Diagnostic::new(
            rel,
            format!(
                "this file nests more than {} levels deep here, deeper than kube-codegen can parse",
                nesting::MAX_NESTING
            ),
        )
        .at(start.line, start.column + 1)
        .width(1)
        .help("name an inner part with a type alias, a struct or a function of its own")
    })?;
    let mut file: syn::File = syn::parse2(tokens).map_err(syntax_error)?;
    file.shebang = shebang;
    Ok(file)
}

/// A first line starting with `#!` that is not an inner attribute (`#![…]`) is a shebang,
/// which Rust ignores; the newline stays, so lines keep their numbers.
fn split_shebang(text: &str) -> (Option<String>, &str) {
    let Some(rest) = text.strip_prefix("#!") else {
        return (None, text);
    };
    if rest.trim_start().starts_with('[') {
        return (None, text);
    }
    match text.find('\n') {
        Some(end) => (Some(text[..end].to_owned()), &text[end..]),
        None => (Some(text.to_owned()), ""),
    }
}

/// The modules leading from the module whose files live in `dir` to `file`, by Rust's
/// module-file rules: `types.rs` → `types`, `a/mod.rs` → `a`, `a/b.rs` → `a::b`; `dir`'s own
/// `mod.rs`/`lib.rs`/`main.rs` → nothing. Empty when `file` is not below `dir`.
pub fn module_path(dir: &Path, file: &Path) -> Vec<String> {
    let Ok(rel) = file.strip_prefix(dir) else {
        return Vec::new();
    };
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.strip_suffix(".rs").unwrap_or(&last).to_owned();
        let root_file = parts.is_empty() && matches!(stem.as_str(), "lib" | "main");
        if stem != "mod" && !root_file {
            parts.push(stem);
        }
    }
    parts
}

/// The `.rs` files of a tree, plus the generated files already on disk.
#[derive(Debug)]
pub struct SourceTree {
    pub root: PathBuf,
    /// Hand-written sources, in sorted path order.
    pub files: Vec<SourceFile>,
    /// Previous outputs, in sorted path order: files that bear our header and that the tool
    /// could have written, being named like a package's output (`zz_generated.rs`) or listed
    /// in the run record (a clientset). Only these may be reported as extra or deleted; a file
    /// that merely starts with our header (a test fixture, a copy) is neither a source nor
    /// ours.
    pub generated: Vec<PathBuf>,
    /// `Cargo.toml` files (absolute path, text), in sorted path order: crate names and
    /// `[package.metadata.kube-codegen]` settings come from here.
    pub manifests: Vec<(PathBuf, String)>,
}

impl SourceTree {
    /// Drops every file's syntax tree. The model owns what it took from them; at 10,000 types
    /// the trees are a large share of a run's memory, better reused by generation.
    pub fn release_syntax(&mut self) {
        for file in &mut self.files {
            file.release_syntax();
        }
    }
}

/// Directories never descended into: build output (`target`, or any directory Cargo tagged
/// with `CACHEDIR.TAG`, such as a custom `CARGO_TARGET_DIR`), and hidden VCS or tool state.
pub(crate) fn skipped_dir(entry: &walkdir::DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy();
    entry.depth() > 0
        && entry.file_type().is_dir()
        && (name == "target" || name.starts_with('.') || entry.path().join("CACHEDIR.TAG").exists())
}

/// Why a tree could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The file system failed.
    Io(std::io::Error),
    /// Problems the user can fix (a file that is not UTF-8, a broken or looping symlink), all
    /// of them, with the texts they point into (invalid bytes replaced) for quoting.
    User {
        diagnostics: Vec<Diagnostic>,
        sources: BTreeMap<PathBuf, String>,
    },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::User { diagnostics, .. } => {
                let errors: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
                write!(f, "{}", errors.join("; "))
            }
        }
    }
}

impl std::error::Error for ReadError {}

impl From<ReadError> for std::io::Error {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Io(e) => e,
            other => std::io::Error::new(std::io::ErrorKind::InvalidData, other.to_string()),
        }
    }
}

/// A walk error the user can fix, as a diagnostic; `Ok(None)` for one that concerns no source
/// (a dangling link named like no source file); `Err` for a failure of the file system.
fn walk_problem(root: &Path, e: walkdir::Error) -> Result<Option<Diagnostic>, ReadError> {
    let Some(path) = e.path().map(Path::to_path_buf) else {
        return Err(ReadError::Io(std::io::Error::other(e)));
    };
    let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
    if let Some(ancestor) = e.loop_ancestor() {
        let ancestor = ancestor.strip_prefix(root).unwrap_or(ancestor);
        let shown = if ancestor.as_os_str().is_empty() {
            Path::new(".")
        } else {
            ancestor
        };
        return Ok(Some(
            Diagnostic::new(
                rel,
                format!(
                    "this symlink loops back to `{}`, a directory that contains it",
                    shown.display()
                ),
            )
            .help("remove the link, or point it at a directory outside the one it is in"),
        ));
    }
    let dangling = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink())
        && std::fs::metadata(&path).is_err();
    if dangling {
        let named_like_a_source = path.extension().is_some_and(|x| x == "rs")
            || path.file_name().is_some_and(|n| n == "Cargo.toml");
        if !named_like_a_source {
            return Ok(None);
        }
        let target = std::fs::read_link(&path).unwrap_or_default();
        return Ok(Some(
            Diagnostic::new(
                rel,
                format!(
                    "this symlink points to `{}`, which does not exist",
                    target.display()
                ),
            )
            .help("fix or remove the link"),
        ));
    }
    Err(ReadError::Io(std::io::Error::other(e)))
}

/// Whether the file at `path` begins with `prefix` (reading no more than that).
fn read_starts_with(path: &Path, prefix: &str) -> bool {
    use std::io::Read;
    let mut start = vec![0; prefix.len()];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut start))
        .is_ok()
        && start == prefix.as_bytes()
}

/// Walks `root` in sorted order and reads every `.rs` file and every `Cargo.toml`.
///
/// Symlinks are followed, as rustc and Cargo follow them: a linked file is read under the
/// link's path. A link that loops back to a directory containing it, or a dangling link named
/// like a source file, is an error naming the link. A leading byte-order mark is dropped (rustc
/// and Cargo ignore it too); a file that is not UTF-8 is an error naming it and its first
/// invalid byte. All such errors are reported together.
pub fn read_tree(root: &Path) -> Result<SourceTree, ReadError> {
    let mut files = Vec::new();
    let mut generated = Vec::new();
    let mut manifests = Vec::new();
    let mut diagnostics = Vec::new();
    let mut sources = BTreeMap::new();
    let recorded: BTreeSet<PathBuf> = crate::cache::recorded_outputs(root).into_iter().collect();
    let walk = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !skipped_dir(e));
    for entry in walk {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                diagnostics.extend(walk_problem(root, e)?);
                continue;
            }
        };
        let path = entry.path();
        let manifest = entry.file_name() == "Cargo.toml";
        let yaml = path.extension().is_some_and(|e| e == "yaml");
        if !entry.file_type().is_file()
            || !(manifest || yaml || path.extension().is_some_and(|e| e == "rs"))
        {
            continue;
        }
        if yaml {
            // Only our own CRDs matter (stale ones are deleted); other YAML is not read.
            if read_starts_with(path, crate::normalize::YAML_HEADER) {
                generated.push(path.to_path_buf());
            }
            continue;
        }
        let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        let bytes = std::fs::read(path).map_err(|e| {
            ReadError::Io(std::io::Error::new(
                e.kind(),
                format!("reading {}: {e}", path.display()),
            ))
        })?;
        let text = match text::decode(&rel, bytes) {
            Ok(text) => match text.strip_prefix(text::BOM) {
                Some(rest) => rest.to_owned(),
                None => text,
            },
            Err(e) => {
                sources.insert(e.diagnostic.path.clone(), e.lossy);
                diagnostics.push(e.diagnostic);
                continue;
            }
        };
        if manifest {
            manifests.push((path.to_path_buf(), text));
        } else if text.starts_with(HEADER) {
            let ours = entry.file_name() == PACKAGE_OUTPUT || recorded.contains(path);
            if ours {
                generated.push(path.to_path_buf());
            }
        } else {
            files.push(SourceFile::new(path.to_path_buf(), rel, text));
        }
    }
    if !diagnostics.is_empty() {
        return Err(ReadError::User {
            diagnostics,
            sources,
        });
    }
    Ok(SourceTree {
        root: root.to_path_buf(),
        files,
        generated,
        manifests,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str) -> SourceFile {
        SourceFile::new(PathBuf::from(path), PathBuf::from(path), String::new())
    }

    #[test]
    fn child_module_dirs_follow_rust_rules() {
        assert_eq!(
            file("/a/src/v1/mod.rs").child_module_dir(),
            Path::new("/a/src/v1")
        );
        assert_eq!(
            file("/a/src/v1.rs").child_module_dir(),
            Path::new("/a/src/v1")
        );
        assert_eq!(
            file("/a/src/lib.rs").child_module_dir(),
            Path::new("/a/src")
        );
        assert_eq!(file("/a/src/v1/mod.rs").module_name(), "v1");
        assert_eq!(file("/a/src/v1beta1.rs").module_name(), "v1beta1");
    }

    #[test]
    fn module_paths_follow_rust_rules() {
        let dir = Path::new("/a/src");
        let path = |f: &str| module_path(dir, Path::new(f)).join("::");
        assert_eq!(path("/a/src/lib.rs"), "");
        assert_eq!(path("/a/src/widgets/v1/mod.rs"), "widgets::v1");
        assert_eq!(path("/a/src/widgets/v1alpha1.rs"), "widgets::v1alpha1");
        assert_eq!(path("/a/src/widgets/lib.rs"), "widgets::lib");
        assert_eq!(path("/elsewhere/x.rs"), "");
    }

    #[test]
    fn parse_errors_carry_a_location() {
        let f = SourceFile::new(
            "x.rs".into(),
            "x.rs".into(),
            "struct A {\n  a: ,\n}\n".into(),
        );
        let err = f.syntax().expect_err("invalid syntax");
        assert_eq!(err.location(), "x.rs:2:6");
        assert!(err.message.starts_with("cannot parse this file"));
    }
}
