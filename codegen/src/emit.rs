//! The only stage that touches the disk: write what changed, delete what is no longer produced,
//! or (for `--check`) describe the difference without writing.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::generate::PlannedFile;
pub use crate::staging::write_atomically;
use crate::staging::{self, with_path};

/// What a run did to the tree.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub written: Vec<PathBuf>,
    pub unchanged: Vec<PathBuf>,
    pub deleted: Vec<PathBuf>,
}

/// How the tree differs from what the generators produce.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// Files whose contents differ, with a unified diff (on disk → generated).
    pub stale: Vec<(PathBuf, String)>,
    /// Files that should exist and do not.
    pub missing: Vec<PathBuf>,
    /// Generated files (bearing our header) that nothing produces any more.
    pub extra: Vec<PathBuf>,
    /// Files that are up to date.
    pub unchanged: Vec<PathBuf>,
}

impl Drift {
    pub fn is_clean(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

/// What `codegen --check` prints to standard output: each stale file's unified diff, then a
/// line per missing and per extra file. Nothing for a clean tree.
impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (_, diff) in &self.stale {
            f.write_str(diff)?;
        }
        for path in &self.missing {
            writeln!(f, "missing: {}", path.display())?;
        }
        for path in &self.extra {
            writeln!(f, "extra (no longer generated): {}", path.display())?;
        }
        Ok(())
    }
}

/// Compares text with line endings normalized, so a CRLF checkout is not drift.
fn same_text(on_disk: &str, generated: &str) -> bool {
    // Most files have no `\r` at all: comparing them needs no copy.
    if on_disk.contains('\r') {
        on_disk.replace("\r\n", "\n") == generated
    } else {
        on_disk == generated
    }
}

/// Refuses to touch any planned path that holds a file we did not write, and two planned
/// paths that are one file on disk (a directory reached through a symlink as well as directly):
/// each run would overwrite one output with the other.
pub fn check_ownership(root: &Path, planned: &[PlannedFile]) -> Result<(), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut physical: std::collections::BTreeMap<PathBuf, &Path> = Default::default();
    for file in planned {
        let (Some(dir), Some(name)) = (file.path.parent(), file.path.file_name()) else {
            continue;
        };
        let Ok(dir) = std::fs::canonicalize(dir) else {
            continue;
        };
        if let Some(first) = physical.insert(dir.join(name), &file.path) {
            let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
            errors.push(
                Diagnostic::new(
                    rel(&file.path),
                    format!(
                        "this output is the same file as `{}`: a directory on the way is a symlink",
                        rel(first).display()
                    ),
                )
                .help("declare the package's module once, or replace the symlinked directory by a copy"),
            );
        }
    }
    for file in planned {
        if let Ok(text) = std::fs::read_to_string(&file.path)
            && !crate::normalize::has_header(&text)
        {
            let rel = file.path.strip_prefix(root).unwrap_or(&file.path);
            errors.push(
                Diagnostic::new(rel, "refusing to overwrite a file that kube-codegen did not write")
                    .help("this path is where the generated module goes: move the hand-written code to another file, then delete this one"),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Writes the changed files, all or nothing, then deletes `previous` generated files not
/// planned any more. Temporary files a killed run left in the output directories go first.
///
/// Every changed file is staged (written in full beside its target) before any target is
/// replaced, so a failure (a read-only directory, a full disk) leaves the tree as it was;
/// stale outputs are deleted only once every new one is in place.
pub fn write(planned: &[PlannedFile], previous: &[PathBuf]) -> std::io::Result<Changes> {
    let dirs = planned
        .iter()
        .map(|f| f.path.as_path())
        .chain(previous.iter().map(PathBuf::as_path))
        .filter_map(Path::parent);
    staging::remove_leftovers(dirs);
    let mut changes = Changes::default();
    let mut changed = Vec::new();
    for file in planned {
        match std::fs::read_to_string(&file.path) {
            Ok(text) if same_text(&text, &file.contents) => {
                changes.unchanged.push(file.path.clone());
            }
            _ => {
                changed.push((file.path.as_path(), file.contents.as_str()));
                changes.written.push(file.path.clone());
            }
        }
    }
    staging::stage(changed)?.commit()?;
    for path in previous {
        if !planned.iter().any(|f| &f.path == path) {
            std::fs::remove_file(path).map_err(|e| with_path(e, "deleting", path))?;
            changes.deleted.push(path.clone());
        }
    }
    Ok(changes)
}

/// The difference between the tree and the plan; writes nothing.
pub fn diff(root: &Path, planned: &[PlannedFile], previous: &[PathBuf]) -> Drift {
    let mut drift = Drift::default();
    let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    for file in planned {
        match std::fs::read_to_string(&file.path) {
            Ok(text) if same_text(&text, &file.contents) => drift.unchanged.push(rel(&file.path)),
            Ok(text) => {
                let diff = unified_diff(&rel(&file.path), &text, &file.contents);
                drift.stale.push((rel(&file.path), diff));
            }
            Err(_) => drift.missing.push(rel(&file.path)),
        }
    }
    for path in previous {
        if !planned.iter().any(|f| &f.path == path) {
            drift.extra.push(rel(path));
        }
    }
    drift
}

/// A unified diff from `on_disk` to `generated`, headed `a/<name>` and `b/<name>` like git's.
pub fn unified_diff(name: &Path, on_disk: &str, generated: &str) -> String {
    let name = name.display().to_string();
    let on_disk = on_disk.replace("\r\n", "\n");
    similar::TextDiff::from_lines(&on_disk, generated)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::HEADER;

    #[test]
    fn drift_displays_diffs_then_missing_then_extra() {
        let diff = unified_diff(Path::new("src/v1/zz_generated.rs"), "a\nb\n", "a\nc\n");
        let drift = Drift {
            stale: vec![(PathBuf::from("src/v1/zz_generated.rs"), diff.clone())],
            missing: vec![PathBuf::from("src/v2/zz_generated.rs")],
            extra: vec![PathBuf::from("src/old/zz_generated.rs")],
            unchanged: vec![PathBuf::from("src/v3/zz_generated.rs")],
        };
        assert_eq!(
            drift.to_string(),
            format!(
                "{diff}missing: src/v2/zz_generated.rs\nextra (no longer generated): src/old/zz_generated.rs\n"
            )
        );
        assert!(diff.contains("-b\n+c\n"), "{diff}");
        let clean = Drift {
            unchanged: vec![PathBuf::from("src/v3/zz_generated.rs")],
            ..Drift::default()
        };
        assert_eq!(clean.to_string(), "", "up-to-date files print nothing");
    }

    fn planned(dir: &Path, name: &str, contents: &str) -> PlannedFile {
        PlannedFile {
            path: dir.join(name),
            contents: format!("{HEADER}{contents}"),
        }
    }

    #[test]
    fn writes_only_changes_and_deletes_stale_outputs() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let a = planned(dir.path(), "a/zz_generated.rs", "a\n");
        let stale = dir.path().join("old.rs");
        std::fs::write(&stale, format!("{HEADER}old\n"))?;

        let first = write(std::slice::from_ref(&a), std::slice::from_ref(&stale))?;
        assert_eq!(first.written, vec![a.path.clone()]);
        assert_eq!(first.deleted, vec![stale.clone()]);
        assert!(!stale.exists());

        let modified = std::fs::metadata(&a.path)?.modified()?;
        let second = write(std::slice::from_ref(&a), &[])?;
        assert_eq!(second.unchanged, vec![a.path.clone()]);
        assert!(second.written.is_empty());
        assert_eq!(
            std::fs::metadata(&a.path)?.modified()?,
            modified,
            "rewritten"
        );
        Ok(())
    }

    #[test]
    fn a_failed_write_changes_nothing_and_deletes_nothing() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let a = planned(dir.path(), "a/zz_generated.rs", "a\n");
        let blocked = planned(dir.path(), "b/zz_generated.rs", "b\n");
        let c = planned(dir.path(), "c/zz_generated.rs", "c\n");
        std::fs::create_dir_all(dir.path().join("a"))?;
        std::fs::write(&a.path, format!("{HEADER}old\n"))?;
        std::fs::write(dir.path().join("b"), "a file where a directory should be\n")?;
        let stale = dir.path().join("old/zz_generated.rs");
        std::fs::create_dir_all(dir.path().join("old"))?;
        std::fs::write(&stale, format!("{HEADER}old\n"))?;
        // What a killed run left: removed even by a run that then fails.
        let left = dir
            .path()
            .join("a/.kube-codegen-tmp-zz_generated.rs-x1y2z3");
        std::fs::write(&left, "half")?;

        let err = write(
            &[a.clone(), blocked, c.clone()],
            std::slice::from_ref(&stale),
        )
        .expect_err("b is a file");
        assert!(err.to_string().contains("/b"), "{err}");
        assert_eq!(std::fs::read_to_string(&a.path)?, format!("{HEADER}old\n"));
        assert!(!c.path.exists() && !dir.path().join("c").exists());
        assert!(stale.exists(), "deleted before everything was in place");
        assert!(!left.exists());
        let names: Vec<_> = std::fs::read_dir(dir.path().join("a"))?
            .map(|e| e.map(|e| e.file_name()))
            .collect::<Result<_, _>>()?;
        assert_eq!(names, ["zz_generated.rs"], "a temporary file was left");
        Ok(())
    }

    #[test]
    fn diff_reports_stale_missing_and_extra() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let a = planned(dir.path(), "a.rs", "new line\n");
        let b = planned(dir.path(), "b.rs", "b\n");
        let c = planned(dir.path(), "c.rs", "c\n");
        std::fs::write(&a.path, format!("{HEADER}old line\n"))?;
        std::fs::write(&c.path, c.contents.replace('\n', "\r\n"))?;
        let extra = dir.path().join("x.rs");
        let drift = diff(dir.path(), &[a, b, c], std::slice::from_ref(&extra));
        assert_eq!(drift.stale.len(), 1);
        let (path, text) = &drift.stale[0];
        assert_eq!(path, Path::new("a.rs"));
        assert!(text.contains("--- a/a.rs\n+++ b/a.rs\n"), "{text}");
        assert!(text.contains("-old line\n+new line\n"), "{text}");
        assert_eq!(drift.missing, vec![PathBuf::from("b.rs")]);
        assert_eq!(drift.extra, vec![PathBuf::from("x.rs")]);
        assert_eq!(
            drift.unchanged,
            vec![PathBuf::from("c.rs")],
            "CRLF is not drift"
        );
        assert!(!drift.is_clean());
        Ok(())
    }

    #[test]
    fn refuses_to_overwrite_foreign_files() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let a = planned(dir.path(), "zz_generated.rs", "x\n");
        std::fs::write(&a.path, "// mine\n")?;
        let errors = check_ownership(dir.path(), std::slice::from_ref(&a)).expect_err("foreign");
        assert_eq!(errors[0].path, Path::new("zz_generated.rs"));
        assert!(errors[0].message.contains("refusing to overwrite"));
        Ok(())
    }
}
