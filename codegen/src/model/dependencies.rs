//! The dependencies a `Cargo.toml` declares, as far as generated code needs them: under which
//! name a crate is reachable (`::kube_codegen_runtime`, `::widgets_api`) and with which
//! features. Read with `toml` spans so an error can point at the entry to change.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::manifest::Location;

/// One entry of `[dependencies]` (or `[target.….dependencies]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dependency {
    /// The key: the name the crate is known by in Rust (with `-` for `_`).
    pub name: String,
    /// The package depended on (`package = …`, else the key).
    pub package: String,
    pub features: Vec<String>,
    /// `workspace = true`: features add to the workspace's entry.
    pub workspace: bool,
    pub at: Location,
}

impl Dependency {
    /// The name Rust code uses for it: the key when it renames the package, else the
    /// package's library name (`lib_name`).
    pub fn extern_name(&self, lib_name: &str) -> String {
        if self.name == self.package {
            lib_name.to_owned()
        } else {
            self.name.replace('-', "_")
        }
    }
}

/// The dependency tables of one manifest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Declared {
    /// `[dependencies]` and `[target.….dependencies]`, in key order.
    pub dependencies: Vec<Dependency>,
    /// `[workspace.dependencies]`, when the manifest is a workspace root.
    pub workspace: Option<Vec<Dependency>>,
    /// Where a new entry would go.
    pub insertion_point: Location,
}

/// Reads the dependency tables of a manifest (empty when it does not parse: whoever reads
/// the rest of it reports that).
pub fn read(text: &str) -> Declared {
    let tables: Tables = toml::from_str(text).unwrap_or_default();
    let mut dependencies = entries(&tables.dependencies, text);
    for t in tables.target.values() {
        dependencies.extend(entries(&t.dependencies, text));
    }
    Declared {
        dependencies,
        workspace: tables.workspace.map(|w| entries(&w.dependencies, text)),
        insertion_point: insertion_point(text),
    }
}

#[derive(Debug, Default, Deserialize)]
struct Tables {
    #[serde(default)]
    dependencies: BTreeMap<String, toml::Spanned<Spec>>,
    #[serde(default)]
    target: BTreeMap<String, TargetTables>,
    workspace: Option<TargetTables>,
}

/// A table that holds a `dependencies` table (`[target.x]`, `[workspace]`).
#[derive(Debug, Default, Deserialize)]
struct TargetTables {
    #[serde(default)]
    dependencies: BTreeMap<String, toml::Spanned<Spec>>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Spec {
    Version(#[allow(dead_code)] String),
    Detailed {
        package: Option<String>,
        #[serde(default)]
        features: Vec<String>,
        #[serde(default)]
        workspace: bool,
    },
}

fn entries(table: &BTreeMap<String, toml::Spanned<Spec>>, text: &str) -> Vec<Dependency> {
    table
        .iter()
        .map(|(name, spec)| {
            let span = spec.span();
            let (line, column) = super::manifest::line_column(text, span.start);
            let at = Location {
                line,
                column,
                width: text
                    .get(span)
                    .and_then(|s| s.lines().next())
                    .map_or(1, |s| s.chars().count().max(1)),
            };
            let (package, features, workspace) = match spec.get_ref() {
                Spec::Version(_) => (None, Vec::new(), false),
                Spec::Detailed {
                    package,
                    features,
                    workspace,
                } => (package.clone(), features.clone(), *workspace),
            };
            Dependency {
                name: name.clone(),
                package: package.unwrap_or_else(|| name.clone()),
                features,
                workspace,
                at,
            }
        })
        .collect()
}

/// Where a new entry goes: the line after the `[dependencies]` header, else the end of the
/// file (a diagnostic points there and says what to add).
fn insertion_point(text: &str) -> Location {
    let mut lines = 0;
    for (index, line) in text.lines().enumerate() {
        lines = index + 1;
        if line.trim() == "[dependencies]" {
            return Location {
                line: index + 1,
                column: 1,
                width: line.chars().count(),
            };
        }
    }
    Location {
        line: lines.max(1),
        column: 1,
        width: 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_packages_features_and_places() {
        let text = "[package]\nname = \"c\"\n\n[dependencies]\nrt = { package = \"kube-codegen-runtime\", features = [\"client\"] }\nwidgets-api = { path = \"../api\" }\nserde = \"1\"\n\n[target.'cfg(unix)'.dependencies]\nlibc = { workspace = true, features = [\"std\"] }\n";
        let declared = read(text);
        let deps = &declared.dependencies;
        let names: Vec<_> = deps
            .iter()
            .map(|d| (d.name.as_str(), d.package.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("rt", "kube-codegen-runtime"),
                ("serde", "serde"),
                ("widgets-api", "widgets-api"),
                ("libc", "libc")
            ]
        );
        assert_eq!(deps[0].features, ["client"]);
        assert_eq!((deps[0].at.line, deps[0].at.column), (5, 6));
        assert_eq!(deps[0].extern_name("kube_codegen_runtime"), "rt");
        assert_eq!(deps[2].extern_name("widgets_api"), "widgets_api");
        assert!(deps[3].workspace);
        assert_eq!(declared.insertion_point.line, 4);
        assert_eq!(declared.workspace, None);
        assert_eq!(read("[package]\nname = \"c\"\n").insertion_point.line, 2);
    }

    #[test]
    fn reads_workspace_dependencies() {
        let text = "[workspace]\nmembers = []\n\n[workspace.dependencies]\nkube-codegen-runtime = { path = \"runtime\", features = [\"client\"] }\n";
        let ws = read(text).workspace.expect("a workspace");
        assert_eq!(ws[0].package, "kube-codegen-runtime");
        assert_eq!(ws[0].features, ["client"]);
    }
}
