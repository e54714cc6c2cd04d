//! Finding the tree to run on when the command line names none: the Cargo workspace around a
//! directory, as Cargo finds it.
//!
//! A user's xtask cannot name its repository at compile time the way ours does
//! (`env!("CARGO_MANIFEST_DIR")` in this library is the library's own source directory, in
//! Cargo's registry cache once it is a dependency), so the command line starts from the current
//! directory, where `cargo xtask` runs: the alias lives in the workspace's `.cargo/config.toml`,
//! so it only works inside the workspace.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::{Error, UserErrors};

/// The root of the Cargo workspace containing `start`: the nearest directory at or above it
/// whose `Cargo.toml` has a `[workspace]` table (where Cargo stops looking too), else the nearest
/// package (a `Cargo.toml` of its own, a workspace of one).
pub fn find_root(start: &Path) -> Result<PathBuf, Error> {
    let mut nearest_package = None;
    for dir in start.ancestors() {
        let manifest = dir.join("Cargo.toml");
        let text = match std::fs::read_to_string(&manifest) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(unreadable(&manifest, &e.to_string(), None)),
        };
        let table: toml::Table = toml::from_str(&text)
            .map_err(|e| unreadable(&manifest, e.message(), Some((&text, e.span()))))?;
        if table.contains_key("workspace") {
            return Ok(dir.to_path_buf());
        }
        nearest_package.get_or_insert_with(|| dir.to_path_buf());
    }
    nearest_package.ok_or_else(|| {
        user_error(
            Diagnostic::new(start, "no Cargo.toml here or in any parent directory")
                .help("run inside a Cargo workspace or package, or name one with `--root DIR`"),
            None,
        )
    })
}

/// A manifest on the way up that cannot be read: Cargo would refuse it too.
fn unreadable(
    manifest: &Path,
    message: &str,
    parsed: Option<(&str, Option<std::ops::Range<usize>>)>,
) -> Error {
    let mut diagnostic = Diagnostic::new(
        manifest,
        format!("cannot read this manifest: {}", message.trim()),
    )
    .help("fix it, or name the tree to scan with `--root DIR`");
    let mut source = None;
    if let Some((text, span)) = parsed {
        if let Some(span) = span {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            diagnostic = diagnostic.at(line, column).width(span.len().max(1));
        }
        source = Some(text.to_owned());
    }
    user_error(diagnostic, source)
}

fn user_error(diagnostic: Diagnostic, source: Option<String>) -> Error {
    let sources: BTreeMap<PathBuf, String> = source
        .map(|text| (diagnostic.path.clone(), text))
        .into_iter()
        .collect();
    Error::User(UserErrors::new(vec![diagnostic], sources))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) -> std::io::Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)
    }

    #[test]
    fn the_workspace_above_a_member_is_the_root() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        write(
            &root.join("Cargo.toml"),
            "[workspace]\nmembers = [\"api\"]\n",
        )?;
        write(
            &root.join("api/Cargo.toml"),
            "[package]\nname = \"api\"\nversion = \"0.1.0\"\n",
        )?;
        std::fs::create_dir_all(root.join("api/src/v1"))?;
        for start in [
            root.to_path_buf(),
            root.join("api"),
            root.join("api/src/v1"),
        ] {
            let found = find_root(&start).map_err(|e| std::io::Error::other(e.render()))?;
            assert_eq!(found, root, "from {}", start.display());
        }
        Ok(())
    }

    #[test]
    fn a_package_outside_any_workspace_is_its_own_root() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let package = dir.path().join("demo");
        write(
            &package.join("Cargo.toml"),
            "[package]\nname = \"demo\"\nversion = \"0.1.0\"\n",
        )?;
        std::fs::create_dir_all(package.join("src"))?;
        let found =
            find_root(&package.join("src")).map_err(|e| std::io::Error::other(e.render()))?;
        assert_eq!(found, package);
        Ok(())
    }

    #[test]
    fn a_package_with_its_own_workspace_table_stops_the_walk() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        write(&dir.path().join("Cargo.toml"), "[workspace]\n")?;
        let inner = dir.path().join("inner");
        write(
            &inner.join("Cargo.toml"),
            "[package]\nname = \"inner\"\nversion = \"0.1.0\"\n[workspace]\n",
        )?;
        let found = find_root(&inner).map_err(|e| std::io::Error::other(e.render()))?;
        assert_eq!(found, inner);
        Ok(())
    }

    #[test]
    fn a_malformed_manifest_on_the_way_is_a_located_error() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let manifest = dir.path().join("Cargo.toml");
        write(&manifest, "[package]\nname = \n")?;
        let Err(Error::User(errors)) = find_root(dir.path()) else {
            panic!("a malformed manifest must be a user error");
        };
        let rendered = errors.render();
        assert!(
            rendered.contains("error: cannot read this manifest:"),
            "{rendered}"
        );
        assert!(
            rendered.contains(&format!("--> {}:2:", manifest.display())),
            "{rendered}"
        );
        assert!(rendered.contains("--root DIR"), "{rendered}");
        Ok(())
    }

    #[test]
    fn no_manifest_anywhere_is_an_error_naming_the_flag() {
        // The filesystem root has no Cargo.toml on any machine this runs on.
        let Err(Error::User(errors)) = find_root(Path::new("/")) else {
            panic!("no manifest must be a user error");
        };
        let rendered = errors.render();
        assert!(
            rendered.contains("error: no Cargo.toml here or in any parent directory"),
            "{rendered}"
        );
        assert!(rendered.contains("`--root DIR`"), "{rendered}");
    }
}
