//! Where the tool keeps what outlives a run: the run lock and the run record.
//!
//! Both live where Cargo keeps its own state, the target directory: `$CARGO_TARGET_DIR` when
//! set, else `<root>/target`. So they are build output (ignored by VCS, removed by
//! `cargo clean`, skipped by the walk), never the tree's sources, and not in a temporary
//! directory shared by every user of the machine. A target directory named by
//! `CARGO_TARGET_DIR` may serve many workspaces, so there each root gets a directory of its own.
//!
//! Neither is needed for a correct result: the lock only makes concurrent runs on one tree take
//! turns, the record only lets a run skip work. A run that cannot create or write them (a target
//! directory of another user, a read-only checkout that is only `--check`ed) runs without them
//! rather than fail.

use std::path::{Path, PathBuf};

/// `root`'s target directory, and whether it came from `CARGO_TARGET_DIR` (and may be shared).
fn target_dir(root: &Path) -> (PathBuf, bool) {
    match std::env::var_os("CARGO_TARGET_DIR").filter(|v| !v.is_empty()) {
        Some(target) => (PathBuf::from(target), true),
        None => (root.join("target"), false),
    }
}

/// The directory of `root`'s state (which may not exist yet).
pub fn dir(root: &Path) -> PathBuf {
    match target_dir(root) {
        (target, true) => target
            .join("kube-codegen")
            .join(format!("{:016x}", fnv1a(root))),
        (target, false) => target.join("kube-codegen"),
    }
}

/// Creates `root`'s state directory if missing. A target directory created here gets Cargo's
/// `CACHEDIR.TAG`, as Cargo would give it, so backups and this tool's walk skip it.
pub fn create_dir(root: &Path) -> std::io::Result<PathBuf> {
    let (target, _) = target_dir(root);
    if !target.exists() {
        std::fs::create_dir_all(&target)?;
        let _ = std::fs::write(target.join("CACHEDIR.TAG"), CACHEDIR_TAG);
    }
    let dir = dir(root);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// What Cargo writes into a target directory it creates (<https://bford.info/cachedir/>).
const CACHEDIR_TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
# This file is a cache directory tag created by cargo.\n\
# For information about cache directory tags see https://bford.info/cachedir/\n";

/// Holds an exclusive lock on `<state>/lock` while alive, so concurrent writing runs on one tree
/// take turns instead of interleaving writes.
#[derive(Debug)]
pub struct RunLock {
    _file: std::fs::File,
}

impl RunLock {
    /// Waits for the lock. `None` when there can be no lock (see the module's comment); a
    /// lock file another user created is opened read-only, which is enough to lock it.
    pub fn acquire(root: &Path) -> Option<RunLock> {
        let path = create_dir(root).ok()?.join("lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .or_else(|_| std::fs::File::open(&path))
            .ok()?;
        file.lock().ok()?;
        Some(RunLock { _file: file })
    }
}

/// A hash that is the same in every build and on every run (unlike `DefaultHasher`'s), so two
/// different binaries agree on the state directory of one root.
fn fnv1a(path: &Path) -> u64 {
    path.as_os_str()
        .as_encoded_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_lives_in_the_target_directory() -> std::io::Result<()> {
        let root = tempfile::tempdir()?;
        // The variable is process-wide and this crate forbids the `unsafe` of setting it; the
        // xtask tests run the binary with and without it.
        if std::env::var_os("CARGO_TARGET_DIR").is_some() {
            assert!(dir(root.path()).ends_with(format!("{:016x}", fnv1a(root.path()))));
            return Ok(());
        }
        assert_eq!(dir(root.path()), root.path().join("target/kube-codegen"));
        let lock = RunLock::acquire(root.path()).expect("a writable tree can be locked");
        assert!(root.path().join("target/kube-codegen/lock").is_file());
        assert!(root.path().join("target/CACHEDIR.TAG").is_file());
        drop(lock);
        Ok(())
    }
}
