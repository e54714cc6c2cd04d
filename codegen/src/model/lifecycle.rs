//! API lifecycle (prerelease-lifecycle-gen): the `+k8s:prerelease-lifecycle-gen` markers of a
//! kind resolved to releases with upstream's defaults, and what a target Kubernetes release
//! does to the kind (left out once removed, deprecated once deprecated).

use std::fmt;

use super::Package;
use super::marker::Marker;
use crate::diagnostic::Diagnostic;

/// A Kubernetes minor release (`1.29`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Release {
    pub major: u16,
    pub minor: u16,
}

impl Release {
    /// `1.29`; nothing else (no `v`, no patch).
    pub fn parse(text: &str) -> Option<Release> {
        let (major, minor) = text.split_once('.')?;
        let number = |s: &str| {
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u16>().ok())
                .flatten()
        };
        Some(Release {
            major: number(major)?,
            minor: number(minor)?,
        })
    }

    /// `minors` minor releases later (upstream's defaults add three).
    fn plus(self, minors: u16) -> Release {
        Release {
            major: self.major,
            minor: self.minor.saturating_add(minors),
        }
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// A group, version and kind (`+k8s:prerelease-lifecycle-gen:replacement=<group>,<version>,<Kind>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupVersionKind {
    pub group: String,
    pub version: String,
    pub kind: String,
}

impl fmt::Display for GroupVersionKind {
    /// `widgets.example.io/v1 Widget`, as kube-apiserver's warnings name kinds.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.group.is_empty() {
            write!(f, "{} {}", self.version, self.kind)
        } else {
            write!(f, "{}/{} {}", self.group, self.version, self.kind)
        }
    }
}

/// The lifecycle markers of one type, each value already checked.
#[derive(Clone, Debug, Default)]
pub struct LifecycleMarkers {
    pub introduced: Option<(Release, Marker)>,
    pub deprecated: Option<(Release, Marker)>,
    pub removed: Option<(Release, Marker)>,
    pub replacement: Option<(GroupVersionKind, Marker)>,
    /// Some lifecycle marker stands above the type, valid or not (a malformed one is reported
    /// where it stands, not again as missing).
    pub written: bool,
}

impl LifecycleMarkers {
    fn any(&self) -> Option<&Marker> {
        self.introduced
            .as_ref()
            .map(|(_, m)| m)
            .or(self.deprecated.as_ref().map(|(_, m)| m))
            .or(self.removed.as_ref().map(|(_, m)| m))
            .or(self.replacement.as_ref().map(|(_, m)| m))
    }
}

/// The names of the markers, after `k8s:prerelease-lifecycle-gen`.
pub const PACKAGE_MARKER: &str = "k8s:prerelease-lifecycle-gen";
pub const TYPE_MARKERS: &[&str] = &[
    "k8s:prerelease-lifecycle-gen:introduced",
    "k8s:prerelease-lifecycle-gen:deprecated",
    "k8s:prerelease-lifecycle-gen:removed",
    "k8s:prerelease-lifecycle-gen:replacement",
];

/// Parses `<group>,<version>,<Kind>`.
pub fn parse_replacement(value: &str) -> Result<GroupVersionKind, String> {
    let parts: Vec<&str> = value.split(',').map(str::trim).collect();
    let [group, version, kind] = parts.as_slice() else {
        return Err(format!(
            "`{value}` is not `<group>,<version>,<Kind>` (it has {} part{})",
            parts.len(),
            if parts.len() == 1 { "" } else { "s" }
        ));
    };
    if !super::naming::is_kube_version(version) {
        return Err(format!("`{version}` is not a Kubernetes API version"));
    }
    if !kind.starts_with(|c: char| c.is_ascii_uppercase())
        || !kind.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return Err(format!("`{kind}` is not a kind name"));
    }
    if !group.is_empty() && !super::naming::is_dns_subdomain(group) {
        return Err(format!("`{group}` is not an API group"));
    }
    Ok(GroupVersionKind {
        group: (*group).to_owned(),
        version: (*version).to_owned(),
        kind: (*kind).to_owned(),
    })
}

/// Where a replacement marker stands, for the check across packages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkerPlace {
    pub file: std::path::PathBuf,
    pub line: usize,
    pub column: usize,
    pub width: usize,
}

/// A kind version's lifecycle, defaults applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lifecycle {
    pub introduced: Release,
    pub deprecated: Release,
    pub removed: Release,
    pub replacement: Option<(GroupVersionKind, MarkerPlace)>,
}

/// What the target release does to a kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Availability {
    /// Served, nothing to say (also: no target release, or no lifecycle).
    #[default]
    Served,
    /// Deprecated at or before the target: accessors carry `#[deprecated(note = …)]`.
    Deprecated { note: String },
    /// Removed at or before the target: left out of registration lists, clients, listers,
    /// informers and factories (its type and deep copy stay).
    LeftOut { reason: String },
}

/// Whether `version` is a prerelease (`v1alpha1`, `v2beta3`).
fn is_prerelease(version: &str) -> bool {
    version.contains("alpha") || version.contains("beta")
}

/// Resolves a kind's lifecycle markers in a package with (`enabled`) or without the package
/// marker; errors go to `errors`, pointing at `genclient` when no marker of the type can say.
pub fn resolve(
    markers: &LifecycleMarkers,
    enabled: bool,
    version: &str,
    kind: &str,
    file: &std::path::Path,
    genclient: &Marker,
    errors: &mut Vec<Diagnostic>,
) -> Option<Lifecycle> {
    let at = |m: &Marker, message: String, help: String| {
        Diagnostic::new(file, message)
            .at(m.line, m.column)
            .width(m.width)
            .help(help)
    };
    if !enabled {
        if let Some(m) = markers.any() {
            errors.push(at(
                m,
                format!(
                    "`+{}` needs `+{PACKAGE_MARKER}=true` on the package",
                    m.name
                ),
                format!(
                    "add `// +{PACKAGE_MARKER}=true` above the first item of the version module"
                ),
            ));
        }
        return None;
    }
    let Some((introduced, _)) = &markers.introduced else {
        match markers.any() {
            Some(m) => errors.push(at(
                m,
                format!("`+{}` needs `+{PACKAGE_MARKER}:introduced` on the same type", m.name),
                format!("add `// +{PACKAGE_MARKER}:introduced=<release>` above the type"),
            )),
            None if is_prerelease(version) && !markers.written => errors.push(at(
                genclient,
                format!("`{kind}` is in the prerelease version `{version}` but has no `+{PACKAGE_MARKER}:introduced`"),
                format!("add `// +{PACKAGE_MARKER}:introduced=<release>` (the release that first served it, e.g. `1.26`) above the type"),
            )),
            // A GA kind needs no lifecycle; malformed markers are reported where they stand.
            None => {}
        }
        return None;
    };
    let introduced = *introduced;
    let deprecated = markers
        .deprecated
        .as_ref()
        .map_or(introduced.plus(3), |(r, _)| *r);
    let removed = markers
        .removed
        .as_ref()
        .map_or(deprecated.plus(3), |(r, _)| *r);
    if let Some((_, m)) = &markers.deprecated
        && deprecated < introduced
    {
        errors.push(at(
            m,
            format!(
                "`{kind}` is deprecated in {deprecated}, before it was introduced in {introduced}"
            ),
            "deprecate it in the release it was introduced or later".to_owned(),
        ));
        return None;
    }
    if removed < deprecated {
        let (m, defaulted) = match &markers.removed {
            Some((_, m)) => (m, String::new()),
            // Removed by default three releases after an explicit deprecation: cannot be
            // before it, so a marker stands here.
            None => (genclient, " (by default)".to_owned()),
        };
        errors.push(at(
            m,
            format!("`{kind}` is removed in {removed}{defaulted}, before it is deprecated in {deprecated}"),
            format!("remove it in {deprecated} or later: a version is deprecated before it goes"),
        ));
        return None;
    }
    Some(Lifecycle {
        introduced,
        deprecated,
        removed,
        replacement: markers.replacement.as_ref().map(|(gvk, m)| {
            (
                gvk.clone(),
                MarkerPlace {
                    file: file.to_path_buf(),
                    line: m.line,
                    column: m.column,
                    width: m.width,
                },
            )
        }),
    })
}

/// Replacements that name a kind missing from a group the tree has.
pub fn unknown_replacements(packages: &[Package]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for package in packages {
        for t in &package.types {
            let Some((gvk, at)) = t
                .client
                .as_ref()
                .and_then(|c| c.lifecycle.as_ref())
                .and_then(|l| l.replacement.as_ref())
            else {
                continue;
            };
            let in_group: Vec<&Package> = packages
                .iter()
                .filter(|p| p.group.as_deref() == Some(gvk.group.as_str()))
                .collect();
            if in_group.is_empty() {
                continue;
            }
            let exists = in_group.iter().any(|p| {
                p.version == gvk.version
                    && p.types
                        .iter()
                        .any(|k| k.client.as_ref().is_some_and(|c| c.kind == gvk.kind))
            });
            if !exists {
                let mut known: Vec<String> = in_group
                    .iter()
                    .flat_map(|p| {
                        p.types.iter().filter_map(|k| {
                            k.client
                                .as_ref()
                                .map(|c| format!("{},{},{}", gvk.group, p.version, c.kind))
                        })
                    })
                    .collect();
                known.sort();
                errors.push(
                    Diagnostic::new(
                        &at.file,
                        format!("the replacement {gvk} is not a kind of this tree"),
                    )
                    .at(at.line, at.column)
                    .width(at.width)
                    .help(format!(
                        "the group `{}` serves {}",
                        gvk.group,
                        if known.is_empty() {
                            "no `+genclient` kinds".to_owned()
                        } else {
                            known.join(", ")
                        }
                    )),
                );
            }
        }
    }
    errors
}

/// What `target` does to a kind of `api_version` with `lifecycle`.
pub fn availability(
    lifecycle: &Lifecycle,
    api_version: &str,
    kind: &str,
    target: Option<Release>,
) -> Availability {
    let Some(target) = target else {
        return Availability::Served;
    };
    if lifecycle.removed <= target {
        return Availability::LeftOut {
            reason: format!(
                "left out {api_version} {kind}: removed in {}",
                lifecycle.removed
            ),
        };
    }
    if lifecycle.deprecated <= target {
        let then = match &lifecycle.replacement {
            Some((gvk, _)) => format!("use {gvk}"),
            None => format!("removed in {}", lifecycle.removed),
        };
        return Availability::Deprecated {
            note: format!(
                "{api_version} {kind} is deprecated in {}, {then}",
                lifecycle.deprecated
            ),
        };
    }
    Availability::Served
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_parse_strictly() {
        assert_eq!(
            Release::parse("1.29"),
            Some(Release {
                major: 1,
                minor: 29
            })
        );
        for bad in ["v1.29", "1", "1.29.0", "1.x", "", ".1", "1."] {
            assert_eq!(Release::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn replacements_parse_with_reasons() {
        let gvk = parse_replacement("widgets.example.io,v1,Widget").expect("valid");
        assert_eq!(gvk.to_string(), "widgets.example.io/v1 Widget");
        assert_eq!(
            parse_replacement(",v1,Pod").expect("core").to_string(),
            "v1 Pod"
        );
        assert!(
            parse_replacement("a.io,v1")
                .expect_err("2")
                .contains("2 parts")
        );
        assert!(
            parse_replacement("a.io,1,Widget")
                .expect_err("v")
                .contains("version")
        );
        assert!(
            parse_replacement("a.io,v1,widget")
                .expect_err("k")
                .contains("kind")
        );
        assert!(
            parse_replacement("A_B,v1,Widget")
                .expect_err("g")
                .contains("group")
        );
    }
}
