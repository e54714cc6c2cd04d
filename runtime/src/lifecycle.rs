//! API lifecycle (prerelease-lifecycle-gen's job): when a kind's version was introduced, is
//! deprecated, and is removed, and what replaces it.
//!
//! Generated code implements [`ApiLifecycle`] for every kind of a package marked
//! `+k8s:prerelease-lifecycle-gen=true`, and its `RESOURCES` entry carries the same
//! [`Lifecycle`], so an API server (the in-memory one does) can warn on requests to a
//! deprecated version and stop serving a removed one.

use std::fmt;

/// A Kubernetes minor release (`1.29`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KubeRelease {
    pub major: u16,
    pub minor: u16,
}

impl KubeRelease {
    pub const fn new(major: u16, minor: u16) -> Self {
        KubeRelease { major, minor }
    }

    /// Parses `1.29` (a leading `v` is accepted, as kube-apiserver prints versions).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.strip_prefix('v').unwrap_or(text);
        let (major, minor) = text.split_once('.')?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(major) || !digits(minor) {
            return None;
        }
        Some(KubeRelease::new(major.parse().ok()?, minor.parse().ok()?))
    }
}

impl fmt::Display for KubeRelease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// The group, version and kind that replace a deprecated one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Replacement {
    /// Empty for the core group.
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
}

impl fmt::Display for Replacement {
    /// `widgets.example.io/v1 Widget` (`v1 Pod` in the core group), as kube-apiserver's
    /// deprecation warnings name kinds.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.group.is_empty() {
            write!(f, "{} {}", self.version, self.kind)
        } else {
            write!(f, "{}/{} {}", self.group, self.version, self.kind)
        }
    }
}

/// A kind version's lifecycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Lifecycle {
    pub introduced: KubeRelease,
    pub deprecated: KubeRelease,
    pub removed: KubeRelease,
    pub replacement: Option<Replacement>,
}

impl Lifecycle {
    /// Deprecated in `release` (or earlier).
    pub fn is_deprecated_in(&self, release: KubeRelease) -> bool {
        self.deprecated <= release
    }

    /// No longer served in `release`.
    pub fn is_removed_in(&self, release: KubeRelease) -> bool {
        self.removed <= release
    }

    /// kube-apiserver's deprecation warning for `api_version`'s `kind`:
    /// `widgets.example.io/v1beta1 Widget is deprecated in v1.29+, unavailable in v1.32+; use
    /// widgets.example.io/v1 Widget`.
    pub fn warning(&self, api_version: &str, kind: &str) -> String {
        let mut text = format!(
            "{api_version} {kind} is deprecated in v{}+, unavailable in v{}+",
            self.deprecated, self.removed
        );
        if let Some(replacement) = &self.replacement {
            text += &format!("; use {replacement}");
        }
        text
    }
}

/// A kind version with a lifecycle: implemented by generated code, as Go's
/// `APILifecycleIntroduced()`, `…Deprecated()`, `…Removed()` and `…Replacement()` are.
pub trait ApiLifecycle {
    const LIFECYCLE: Lifecycle;

    fn introduced() -> KubeRelease {
        Self::LIFECYCLE.introduced
    }

    fn deprecated() -> KubeRelease {
        Self::LIFECYCLE.deprecated
    }

    fn removed() -> KubeRelease {
        Self::LIFECYCLE.removed
    }

    fn replacement() -> Option<Replacement> {
        Self::LIFECYCLE.replacement
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_parse_compare_and_print() {
        assert_eq!(KubeRelease::parse("1.29"), Some(KubeRelease::new(1, 29)));
        assert_eq!(KubeRelease::parse("v1.32"), Some(KubeRelease::new(1, 32)));
        for bad in ["1", "1.", ".2", "1.x", "1.2.3", "", "v", "-1.2"] {
            assert_eq!(KubeRelease::parse(bad), None, "{bad}");
        }
        assert!(KubeRelease::new(1, 9) < KubeRelease::new(1, 10));
        assert_eq!(KubeRelease::new(1, 29).to_string(), "1.29");
    }

    #[test]
    fn the_warning_reads_as_kube_apiservers() {
        let lifecycle = Lifecycle {
            introduced: KubeRelease::new(1, 26),
            deprecated: KubeRelease::new(1, 29),
            removed: KubeRelease::new(1, 32),
            replacement: Some(Replacement {
                group: "widgets.example.io",
                version: "v1",
                kind: "Widget",
            }),
        };
        assert_eq!(
            lifecycle.warning("widgets.example.io/v1beta1", "Widget"),
            "widgets.example.io/v1beta1 Widget is deprecated in v1.29+, unavailable in v1.32+; use widgets.example.io/v1 Widget"
        );
        assert!(lifecycle.is_deprecated_in(KubeRelease::new(1, 29)));
        assert!(!lifecycle.is_removed_in(KubeRelease::new(1, 31)));
        assert!(lifecycle.is_removed_in(KubeRelease::new(1, 32)));
    }
}
