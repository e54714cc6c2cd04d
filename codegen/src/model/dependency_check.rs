//! Generated code names other crates by path (`::kube_codegen_runtime::…`, `::widgets_api::…`).
//! A crate that does not depend on them, or names them differently, would not compile, so the
//! run checks the manifests first and says which line to add.

use std::path::{Component, Path, PathBuf};

use super::Package;
use super::clientset::{ClientFile, Clientset};
use super::dependencies::Dependency;
use super::manifest::{Crate, Location};
use crate::diagnostic::Diagnostic;

/// The runtime's package name; generated code names it `kube_codegen_runtime`.
const RUNTIME: &str = "kube-codegen-runtime";
/// Runtime features that include the client layer a clientset wraps.
const CLIENT_FEATURES: &[&str] = &["client", "informer"];
/// The runtime feature generated informers build on.
const INFORMER_FEATURES: &[&str] = &["informer"];

/// Checks the crates that own packages, clientsets and informers.
pub fn check<'c>(
    crates: &[Crate],
    workspaces: &[(PathBuf, Vec<Dependency>)],
    root: &Path,
    packages: &[Package],
    clientsets: impl IntoIterator<Item = &'c Clientset>,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut api_crates: Vec<&Crate> = packages
        .iter()
        .filter_map(|p| owner(crates, &root.join(&p.file)))
        .collect();
    api_crates.sort_by(|a, b| a.dir.cmp(&b.dir));
    api_crates.dedup_by(|a, b| a.dir == b.dir);
    for krate in api_crates {
        let why = "the generated deep copies and registration use it";
        if let Err(d) = needs(krate, workspaces, RUNTIME, &[], why) {
            errors.push(d);
        }
    }
    for clientset in clientsets {
        let file = clientset.file;
        let setting = file.setting();
        let Some(api) = crates.iter().find(|c| {
            file.configured(c)
                .is_some_and(|(o, _)| o == clientset.output)
        }) else {
            continue;
        };
        let Some(client) = owner(crates, &clientset.output) else {
            continue;
        };
        // A cluster-aware file sits beside its ordinary one, whose report this would repeat.
        if client.dir == api.dir && file.ordinary().is_some() {
            continue;
        }
        if client.dir == api.dir {
            let (output, at) = file.configured(api).unwrap_or_default();
            errors.push(
                at.apply(Diagnostic::new(
                    &api.manifest,
                    format!(
                        "the {setting} `{}` is inside crate `{}` itself",
                        output.strip_prefix(root).unwrap_or(&output).display(),
                        api.lib_name
                    ),
                ))
                .help(format!(
                    "write it into a crate of its own that depends on `{}`, e.g. `{setting} = \"../{}-client/src/{setting}.rs\"`",
                    api.lib_name,
                    api.lib_name.replace('_', "-")
                )),
            );
            continue;
        }
        let (features, why) = match file {
            ClientFile::Clientset | ClientFile::ClusterClientset => (
                CLIENT_FEATURES,
                "the generated clientset wraps its typed clients",
            ),
            ClientFile::Informers | ClientFile::ClusterInformers => (
                INFORMER_FEATURES,
                "the generated informers wrap its shared informers and listers",
            ),
        };
        if let Err(d) = needs(client, workspaces, RUNTIME, features, why) {
            errors.push(d);
        }
        let why = match file {
            ClientFile::Clientset | ClientFile::ClusterClientset => {
                "the generated clientset names its kinds"
            }
            ClientFile::Informers | ClientFile::ClusterInformers => {
                "the generated informers name its kinds"
            }
        };
        if let Err(d) = needs_crate(client, workspaces, api, why) {
            errors.push(d);
        }
    }
    keep_last_of_each_place(errors)
}

/// A crate holding both a clientset and informers lacks a dependency once: of the reports at
/// one place with one message, keep the last (the informers' asks for more features).
fn keep_last_of_each_place(errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    let mut kept: Vec<Diagnostic> = errors
        .into_iter()
        .rev()
        .filter(|d| {
            let position = d.position.map(|p| (p.line, p.column));
            seen.insert((d.path.clone(), position, d.message.clone()))
        })
        .collect();
    kept.reverse();
    kept
}

/// The innermost crate whose directory holds `path`.
fn owner<'c>(crates: &'c [Crate], path: &Path) -> Option<&'c Crate> {
    crates
        .iter()
        .filter(|c| path.starts_with(&c.dir))
        .max_by_key(|c| c.dir.components().count())
}

/// A dependency's package and features, with `workspace = true` resolved against the nearest
/// workspace root in the tree (`None` features when that root is outside the tree).
fn effective(
    krate: &Crate,
    workspaces: &[(PathBuf, Vec<Dependency>)],
    dep: &Dependency,
) -> (String, Option<Vec<String>>) {
    if !dep.workspace {
        return (dep.package.clone(), Some(dep.features.clone()));
    }
    let inherited = workspaces
        .iter()
        .filter(|(dir, _)| krate.dir.starts_with(dir))
        .max_by_key(|(dir, _)| dir.components().count())
        .and_then(|(_, deps)| deps.iter().find(|d| d.name == dep.name));
    match inherited {
        Some(ws) => {
            let mut features = ws.features.clone();
            features.extend(dep.features.iter().cloned());
            (ws.package.clone(), Some(features))
        }
        None => (dep.package.clone(), None),
    }
}

/// `package` must be a dependency of `krate`, under its own name, with one of `features` (any,
/// when empty).
fn needs(
    krate: &Crate,
    workspaces: &[(PathBuf, Vec<Dependency>)],
    package: &str,
    features: &[&str],
    why: &str,
) -> Result<(), Diagnostic> {
    let extern_name = package.replace('-', "_");
    let found = krate.declared.dependencies.iter().find_map(|d| {
        let (pkg, feats) = effective(krate, workspaces, d);
        (pkg == package).then_some((d, feats))
    });
    let feature_list = |f: &[&str]| format!("features = [\"{}\"]", f[0]);
    let Some((dep, enabled)) = found else {
        let line = if features.is_empty() {
            format!("{package} = \"{}\"", env!("CARGO_PKG_VERSION"))
        } else {
            format!(
                "{package} = {{ version = \"{}\", {} }}",
                env!("CARGO_PKG_VERSION"),
                feature_list(features)
            )
        };
        return Err(missing(krate, package, &line, why));
    };
    if dep.extern_name(&extern_name) != extern_name {
        return Err(renamed(krate, dep, &extern_name));
    }
    if let Some(enabled) = enabled
        && !features.is_empty()
        && !features.iter().any(|f| enabled.iter().any(|e| e == f))
    {
        return Err(dep
            .at
            .apply(Diagnostic::new(
                &krate.manifest,
                format!(
                    "crate `{}` depends on `{package}` without its `{}` feature",
                    krate.lib_name, features[0]
                ),
            ))
            .help(format!(
                "add `{}` to this entry: {why}",
                feature_list(features)
            )));
    }
    Ok(())
}

/// `api` must be a dependency of `krate` under the name the generated code uses.
fn needs_crate(
    krate: &Crate,
    workspaces: &[(PathBuf, Vec<Dependency>)],
    api: &Crate,
    why: &str,
) -> Result<(), Diagnostic> {
    let found = krate
        .declared
        .dependencies
        .iter()
        .find(|d| effective(krate, workspaces, d).0 == api.package_name);
    match found {
        None => {
            let path = relative(&krate.dir, &api.dir);
            let line = format!("{} = {{ path = \"{}\" }}", api.package_name, path.display());
            Err(missing(krate, &api.package_name, &line, why))
        }
        Some(dep) if dep.extern_name(&api.lib_name) != api.lib_name => {
            Err(renamed(krate, dep, &api.lib_name))
        }
        Some(_) => Ok(()),
    }
}

fn missing(krate: &Crate, package: &str, line: &str, why: &str) -> Diagnostic {
    let at: Location = krate.declared.insertion_point;
    at.apply(Diagnostic::new(
        &krate.manifest,
        format!("crate `{}` does not depend on `{package}`", krate.lib_name),
    ))
    .help(format!(
        "add `{line}` under `[dependencies]` in {} ({why})",
        krate.manifest.display()
    ))
}

fn renamed(krate: &Crate, dep: &Dependency, extern_name: &str) -> Diagnostic {
    dep.at
        .apply(Diagnostic::new(
            &krate.manifest,
            format!(
                "`{}` is renamed to `{}`, but generated code names it `{extern_name}`",
                dep.package, dep.name
            ),
        ))
        .help(format!(
            "depend on it under its own name: `{} = {{ … }}` without `package =`",
            dep.package
        ))
}

/// `to` relative to `from` (both absolute directories).
fn relative(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<Component<'_>> = from.components().collect();
    let to: Vec<Component<'_>> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for part in &to[common..] {
        out.push(part.as_os_str());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::relative;
    use std::path::{Path, PathBuf};

    #[test]
    fn relative_paths_between_crates() {
        assert_eq!(
            relative(Path::new("/w/client"), Path::new("/w/api")),
            PathBuf::from("../api")
        );
        assert_eq!(
            relative(Path::new("/w"), Path::new("/w/api")),
            PathBuf::from("api")
        );
    }
}
