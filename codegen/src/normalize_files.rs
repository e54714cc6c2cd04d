//! `normalize` over files on disk: find generated `.rs`/`.go` files, rewrite their build
//! constraints with [`crate::normalize`], and write (or, with `check`, diff) the results.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::emit::unified_diff;
use crate::normalize::{Language, is_generated, normalize};
use crate::source::skipped_dir;
use crate::source::text::decode;
use crate::{Error, UserErrors};

/// What a normalize run found.
#[derive(Debug, Default)]
pub struct NormalizeReport {
    /// Files examined (generated or not).
    pub examined: usize,
    /// Files rewritten (or, with `check`, that would be), with their diffs.
    pub changed: Vec<(PathBuf, String)>,
}

/// Normalizes every `.rs` and `.go` file under `paths` (files or directories; directories are
/// walked in sorted order, skipping `target` and hidden directories).
pub fn normalize_paths(
    paths: &[PathBuf],
    tags: &[String],
    check: bool,
) -> Result<NormalizeReport, Error> {
    let mut files = Vec::new();
    for path in paths {
        if !path.exists() {
            return Err(Error::User(UserErrors::new(
                vec![
                    Diagnostic::new(path, "no such file or directory")
                        .help("name existing files or directories to normalize"),
                ],
                BTreeMap::new(),
            )));
        }
        collect(path, &mut files).map_err(|e| Error::Internal(e.to_string()))?;
    }
    let mut report = NormalizeReport::default();
    let mut errors = Vec::new();
    let mut sources = BTreeMap::new();
    let mut rewrites = Vec::new();
    for (path, language) in files {
        report.examined += 1;
        let bytes = std::fs::read(&path)
            .map_err(|e| Error::Internal(format!("reading {}: {e}", path.display())))?;
        let text = match decode(&path, bytes) {
            Ok(text) => text,
            // Only generated files are ours to rewrite; one we cannot read as text is an
            // error, any other file (a test fixture of invalid bytes) is not our business.
            Err(e) if is_generated(language, &e.lossy) => {
                errors.push(e.diagnostic);
                sources.insert(path, e.lossy);
                continue;
            }
            Err(_) => continue,
        };
        match normalize(&path, language, &text, tags) {
            Ok(None) => {}
            Ok(Some(new)) => {
                report
                    .changed
                    .push((path.clone(), unified_diff(&path, &text, &new)));
                rewrites.push((path, new));
            }
            Err(mut e) => {
                errors.append(&mut e);
                sources.insert(path, text);
            }
        }
    }
    if !errors.is_empty() {
        return Err(Error::User(UserErrors::new(errors, sources)));
    }
    if !check {
        // All or nothing, as codegen writes; what a killed run left beside these goes first.
        crate::staging::remove_leftovers(rewrites.iter().filter_map(|(p, _)| p.parent()));
        let files = rewrites.iter().map(|(p, t)| (p.as_path(), t.as_str()));
        crate::staging::stage(files)
            .and_then(crate::staging::Staging::commit)
            .map_err(|e| Error::Internal(e.to_string()))?;
    }
    Ok(report)
}

fn collect(path: &Path, out: &mut Vec<(PathBuf, Language)>) -> std::io::Result<()> {
    let walk = walkdir::WalkDir::new(path)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !skipped_dir(e));
    for entry in walk {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_file()
            && let Some(language) = Language::from_path(entry.path())
        {
            out.push((entry.path().to_path_buf(), language));
        }
    }
    Ok(())
}
