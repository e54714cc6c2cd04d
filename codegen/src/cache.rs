//! Skips the model and the generators when nothing they read has changed.
//!
//! A successful writing run records a fingerprint of everything generation depends on (every
//! source and manifest of the tree, the tags, this build of the tool)
//! and the hash of every file it left on disk. The next run, `--check` included, recomputes the
//! fingerprint after reading the tree; when it matches and every recorded output is on disk
//! unchanged (and no other generated file is), the result is known without generating. Anything
//! else, including a missing or unreadable record, means a full run: the record can make a run
//! faster, never different.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::generate::PlannedFile;
use crate::source::SourceTree;

/// Bumped whenever generated output changes for the same input, so old records never match.
const FORMAT: &str = "kube-codegen-cache 1";

/// Where the record lives: build output, in the tool's state directory beside Cargo's own
/// (see [`crate::state`]).
pub fn record_path(root: &Path) -> PathBuf {
    crate::state::dir(root).join("kube-codegen.cache")
}

fn hash_text(text: &str) -> u64 {
    let mut h = DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// The running program, by path, size and modification time: a rebuilt generator (a new
/// version, or a development build of this tool) never trusts an older build's record.
fn tool_identity() -> Option<(PathBuf, u64, std::time::SystemTime)> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    Some((exe, meta.len(), meta.modified().ok()?))
}

/// Everything the outputs are a function of; `None` when the running program cannot be
/// identified (then nothing is cached).
pub fn fingerprint(tree: &SourceTree, tags: &[String], kube_release: Option<&str>) -> Option<u64> {
    let mut h = DefaultHasher::new();
    (
        FORMAT,
        env!("CARGO_PKG_VERSION"),
        tool_identity()?,
        tags,
        kube_release,
    )
        .hash(&mut h);
    for f in &tree.files {
        (&f.rel, &f.text).hash(&mut h);
    }
    for (path, text) in &tree.manifests {
        (path, text).hash(&mut h);
    }
    // Not the generated files present: `current_outputs` checks those against the record, so
    // the run right after a writing run can use that run's record.
    Some(h.finish())
}

/// The outputs (absolute paths) when the record proves them current for `fingerprint`.
pub fn current_outputs(
    root: &Path,
    fingerprint: u64,
    generated: &[PathBuf],
) -> Option<Vec<PathBuf>> {
    let record = std::fs::read_to_string(record_path(root)).ok()?;
    let mut lines = record.lines();
    if lines.next()? != FORMAT || lines.next()? != format!("{fingerprint:016x}") {
        return None;
    }
    let mut outputs = Vec::new();
    for line in lines {
        let (hash, rel) = line.split_once(' ')?;
        let path = root.join(rel);
        let text = std::fs::read_to_string(&path).ok()?;
        if format!("{:016x}", hash_text(&text)) != hash {
            return None;
        }
        outputs.push(path);
    }
    // Every generated file on disk is a recorded output, and the other way round.
    let mut on_disk = generated.to_vec();
    on_disk.sort();
    let mut recorded = outputs.clone();
    recorded.sort();
    (on_disk == recorded).then_some(outputs)
}

/// Every output the last recorded run left (absolute paths), whatever its fingerprint: the
/// files the tool wrote and so may delete once nothing produces them. Empty without a record.
pub fn recorded_outputs(root: &Path) -> Vec<PathBuf> {
    let Ok(record) = std::fs::read_to_string(record_path(root)) else {
        return Vec::new();
    };
    let mut lines = record.lines();
    if lines.next() != Some(FORMAT) || lines.next().is_none() {
        return Vec::new();
    }
    lines
        .filter_map(|line| line.split_once(' '))
        .map(|(_, rel)| root.join(rel))
        .collect()
}

/// Records a successful writing run. Failing to record only costs the next run its shortcut.
pub fn record(root: &Path, fingerprint: u64, planned: &[PlannedFile]) -> std::io::Result<()> {
    let mut text = format!("{FORMAT}\n{fingerprint:016x}\n");
    for file in planned {
        let rel = file.path.strip_prefix(root).unwrap_or(&file.path);
        text += &format!("{:016x} {}\n", hash_text(&file.contents), rel.display());
    }
    let dir = crate::state::create_dir(root)?;
    crate::staging::remove_leftovers([dir.as_path()]);
    crate::emit::write_atomically(&record_path(root), &text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::read_tree;

    const HEADER: &str = crate::normalize::HEADER;

    fn setup() -> std::io::Result<(tempfile::TempDir, PlannedFile)> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir_all(dir.path().join("src"))?;
        std::fs::write(dir.path().join("src/lib.rs"), "pub struct A;\n")?;
        let out = PlannedFile {
            path: dir.path().join("src/zz_generated.rs"),
            contents: format!("{HEADER}// out\n"),
        };
        std::fs::write(&out.path, &out.contents)?;
        Ok((dir, out))
    }

    #[test]
    fn a_recorded_run_is_current_until_anything_changes() -> std::io::Result<()> {
        let (dir, out) = setup()?;
        let root = dir.path();
        let tags = vec!["ignore_autogenerated".to_owned()];
        let tree = read_tree(root)?;
        let print = fingerprint(&tree, &tags, None).expect("the test binary is identifiable");
        assert_eq!(
            current_outputs(root, print, &tree.generated),
            None,
            "no record yet"
        );
        record(root, print, std::slice::from_ref(&out))?;
        assert_eq!(
            current_outputs(root, print, &tree.generated),
            Some(vec![out.path.clone()])
        );

        // Other tags, another target release, an edited input, a tampered output, an extra
        // generated file: all miss.
        assert_ne!(fingerprint(&tree, &[], None), Some(print));
        assert_ne!(fingerprint(&tree, &tags, Some("1.32")), Some(print));
        std::fs::write(root.join("src/lib.rs"), "pub struct B;\n")?;
        assert_ne!(fingerprint(&read_tree(root)?, &tags, None), Some(print));
        std::fs::write(root.join("src/lib.rs"), "pub struct A;\n")?;
        assert_eq!(fingerprint(&read_tree(root)?, &tags, None), Some(print));
        std::fs::write(&out.path, format!("{HEADER}// edited\n"))?;
        assert_eq!(current_outputs(root, print, &tree.generated), None);
        std::fs::write(&out.path, &out.contents)?;
        let extra = vec![out.path.clone(), root.join("src/other.rs")];
        assert_eq!(current_outputs(root, print, &extra), None);
        Ok(())
    }

    #[test]
    fn a_damaged_record_is_a_miss() -> std::io::Result<()> {
        let (dir, _) = setup()?;
        crate::state::create_dir(dir.path())?;
        std::fs::write(record_path(dir.path()), "garbage")?;
        assert_eq!(current_outputs(dir.path(), 0, &[]), None);
        Ok(())
    }
}
