//! All-or-nothing writes of several files.
//!
//! Every file is first written in full to a temporary file in its own directory, so that
//! whatever fails (a read-only directory, a full disk, a path that cannot be a directory) fails
//! before any target is touched; then the temporary files are renamed over their targets, which
//! allocates nothing and cannot run out of space. If a rename fails all the same, the targets
//! already replaced get their previous contents back. Temporary files are named
//! `.kube-codegen-tmp-<name>-<random>`, so that a later run can recognize (and remove) what a
//! killed run left behind, and so that no walk mistakes them for sources.

use std::io::Write;
use std::path::{Path, PathBuf};

/// How every temporary file of ours starts.
pub const TEMP_PREFIX: &str = ".kube-codegen-tmp-";

/// Files written in full next to their targets, not yet in place. Dropping it without
/// [`Staging::commit`] removes the temporary files (and the directories staging created).
#[derive(Debug)]
pub struct Staging {
    staged: Vec<Staged>,
    created_dirs: Vec<PathBuf>,
}

#[derive(Debug)]
struct Staged {
    temp: tempfile::NamedTempFile,
    target: PathBuf,
    /// The target's bytes before, to put back if a later rename fails; `None` if it did not
    /// exist.
    previous: Option<Vec<u8>>,
}

/// Writes every `(target, contents)` to a temporary file beside its target, creating missing
/// directories. On error nothing is left behind and the error names the path.
pub fn stage<'a>(files: impl IntoIterator<Item = (&'a Path, &'a str)>) -> std::io::Result<Staging> {
    let mut staging = Staging {
        staged: Vec::new(),
        created_dirs: Vec::new(),
    };
    for (target, contents) in files {
        // On error, dropping `staging` removes what was staged so far.
        staging.add(target, contents)?;
    }
    Ok(staging)
}

impl Staging {
    fn add(&mut self, target: &Path, contents: &str) -> std::io::Result<()> {
        let dir = target.parent().unwrap_or(Path::new("."));
        self.create_dirs(dir)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let prefix = format!("{TEMP_PREFIX}{name}-");
        let mut temp = tempfile::Builder::new()
            .prefix(&prefix)
            .tempfile_in(dir)
            .map_err(|e| with_path(e, "creating a file in", dir))?;
        temp.write_all(contents.as_bytes())
            .map_err(|e| with_path(e, "writing", temp.path()))?;
        let previous = std::fs::read(target).ok();
        self.staged.push(Staged {
            temp,
            target: target.to_path_buf(),
            previous,
        });
        Ok(())
    }

    /// `create_dir_all`, remembering which directories did not exist before.
    fn create_dirs(&mut self, dir: &Path) -> std::io::Result<()> {
        let missing: Vec<&Path> = dir
            .ancestors()
            .take_while(|d| !d.as_os_str().is_empty() && std::fs::symlink_metadata(d).is_err())
            .collect();
        for d in missing.into_iter().rev() {
            std::fs::create_dir(d).map_err(|e| with_path(e, "creating", d))?;
            self.created_dirs.push(d.to_path_buf());
        }
        if !dir.as_os_str().is_empty() && !dir.is_dir() {
            let e = std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a directory");
            return Err(with_path(e, "creating a file in", dir));
        }
        Ok(())
    }

    /// Renames every staged file over its target. If one fails, the targets replaced so far
    /// get their previous contents back (best effort) and the error names the path.
    pub fn commit(mut self) -> std::io::Result<()> {
        let mut done: Vec<(PathBuf, Option<Vec<u8>>)> = Vec::new();
        for staged in std::mem::take(&mut self.staged) {
            let Staged {
                temp,
                target,
                previous,
            } = staged;
            if let Err(e) = temp.persist(&target) {
                for (target, previous) in done.into_iter().rev() {
                    let _ = restore(&target, previous.as_deref());
                }
                return Err(with_path(e.error, "replacing", &target));
            }
            done.push((target, previous));
        }
        // Everything is in place: the directories created are part of the result now.
        self.created_dirs.clear();
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // The temporary files go first (their own drop removes them), then the directories
        // staging created, deepest first; one that is not empty any more stays.
        self.staged.clear();
        for dir in self.created_dirs.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Puts a target back as it was: its previous bytes, or no file.
fn restore(target: &Path, previous: Option<&[u8]>) -> std::io::Result<()> {
    match previous {
        None => std::fs::remove_file(target),
        Some(bytes) => {
            let dir = target.parent().unwrap_or(Path::new("."));
            let mut temp = tempfile::Builder::new()
                .prefix(TEMP_PREFIX)
                .tempfile_in(dir)?;
            temp.write_all(bytes)?;
            temp.persist(target).map(|_| ()).map_err(|e| e.error)
        }
    }
}

/// Writes one file through a temporary file beside it, so readers never see half a file.
pub fn write_atomically(path: &Path, contents: &str) -> std::io::Result<()> {
    stage([(path, contents)])?.commit()
}

/// Removes the temporary files a killed run left in `dirs` (files named [`TEMP_PREFIX`]…).
/// Housekeeping only: a file that cannot be removed is left, and so is anything else.
pub fn remove_leftovers<'a>(dirs: impl IntoIterator<Item = &'a Path>) -> Vec<PathBuf> {
    let mut dirs: Vec<&Path> = dirs.into_iter().collect();
    dirs.sort();
    dirs.dedup();
    let mut removed = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let ours = entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX);
            if ours
                && entry.file_type().is_ok_and(|t| t.is_file())
                && std::fs::remove_file(entry.path()).is_ok()
            {
                removed.push(entry.path());
            }
        }
    }
    removed.sort();
    removed
}

pub(crate) fn with_path(e: std::io::Error, doing: &str, path: &Path) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("{doing} {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every entry under `dir`, as relative paths.
    fn listing(dir: &Path) -> Vec<String> {
        let mut all: Vec<String> = walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .flatten()
            .map(|e| {
                e.path()
                    .strip_prefix(dir)
                    .unwrap_or(e.path())
                    .display()
                    .to_string()
            })
            .collect();
        all.sort();
        all
    }

    #[test]
    fn a_failure_while_staging_leaves_nothing_behind() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        std::fs::create_dir(root.join("a"))?;
        std::fs::write(root.join("a/out.rs"), "old\n")?;
        // `b` is a file, so `b/out.rs` cannot be written; `new/deeper` does not exist yet.
        std::fs::write(root.join("b"), "a file\n")?;
        let before = listing(root);
        let err = stage([
            (root.join("a/out.rs").as_path(), "new\n"),
            (root.join("new/deeper/out.rs").as_path(), "new\n"),
            (root.join("b/out.rs").as_path(), "new\n"),
        ])
        .expect_err("b is not a directory");
        assert!(
            err.to_string()
                .contains(&root.join("b").display().to_string()),
            "{err}"
        );
        assert_eq!(listing(root), before, "no temporary file, no new directory");
        assert_eq!(std::fs::read_to_string(root.join("a/out.rs"))?, "old\n");
        Ok(())
    }

    #[test]
    fn commit_replaces_every_target() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        std::fs::write(root.join("one.rs"), "old\n")?;
        let staging = stage([
            (root.join("one.rs").as_path(), "1\n"),
            (root.join("sub/two.rs").as_path(), "2\n"),
        ])?;
        assert_eq!(
            std::fs::read_to_string(root.join("one.rs"))?,
            "old\n",
            "staged only"
        );
        assert!(
            listing(root)
                .iter()
                .any(|p| p.starts_with(&format!("{TEMP_PREFIX}one.rs-"))),
            "{:?}",
            listing(root)
        );
        staging.commit()?;
        assert_eq!(std::fs::read_to_string(root.join("one.rs"))?, "1\n");
        assert_eq!(std::fs::read_to_string(root.join("sub/two.rs"))?, "2\n");
        assert_eq!(listing(root), ["one.rs", "sub", "sub/two.rs"]);
        Ok(())
    }

    #[test]
    fn a_failed_rename_puts_back_what_was_replaced() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        std::fs::write(root.join("a.rs"), "old\n")?;
        let staging = stage([
            (root.join("a.rs").as_path(), "new\n"),
            (root.join("b.rs").as_path(), "new\n"),
            (root.join("c.rs").as_path(), "new\n"),
        ])?;
        // After staging, `c.rs` becomes a non-empty directory: no rename can replace it.
        std::fs::create_dir_all(root.join("c.rs/inside"))?;
        let err = staging.commit().expect_err("c.rs is a directory");
        assert!(err.to_string().contains("c.rs"), "{err}");
        assert_eq!(std::fs::read_to_string(root.join("a.rs"))?, "old\n");
        assert!(!root.join("b.rs").exists());
        assert_eq!(listing(root), ["a.rs", "c.rs", "c.rs/inside"]);
        Ok(())
    }

    #[test]
    fn leftovers_of_a_killed_run_are_recognized() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        let left = root.join(format!("{TEMP_PREFIX}zz_generated.rs-Ab12Cd"));
        std::fs::write(&left, "half a fi")?;
        std::fs::write(root.join(".tmpXYZ"), "someone else's")?;
        std::fs::write(root.join("zz_generated.rs"), "kept")?;
        assert_eq!(remove_leftovers([root, root]), [left]);
        assert_eq!(listing(root), [".tmpXYZ", "zz_generated.rs"]);
        Ok(())
    }
}
