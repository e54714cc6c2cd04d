//! [`ClusterPath`]: a logical-cluster path in kcp's `root:org:ws` form.

use std::fmt;
use std::str::FromStr;

/// The longest segment kcp accepts (a DNS label).
const MAX_SEGMENT: usize = 63;

/// A logical-cluster path: one or more segments separated by `:`, each 1 to 63 lower-case
/// letters, digits and hyphens, starting and ending with a letter or digit (kcp's
/// `logicalcluster.Path` rule). A cluster's name (`root`, or a generated one such as
/// `2x4tmpq3w2lbv8jz`) is a one-segment path.
///
/// The wildcard `*` is not a path: reading every cluster is a separate, read-only client.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClusterPath(String);

/// Why a string is not a [`ClusterPath`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidClusterPath {
    pub path: String,
    pub reason: String,
}

impl fmt::Display for InvalidClusterPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a logical-cluster path: {} (expected segments of lower-case letters, digits and `-` separated by `:`, e.g. `root:org:ws`)",
            self.path, self.reason
        )
    }
}

impl std::error::Error for InvalidClusterPath {}

impl ClusterPath {
    /// Validates `path`.
    pub fn new(path: &str) -> Result<Self, InvalidClusterPath> {
        let invalid = |reason: String| InvalidClusterPath {
            path: path.to_owned(),
            reason,
        };
        if path.is_empty() {
            return Err(invalid("it is empty".to_owned()));
        }
        if path == "*" {
            return Err(invalid(
                "`*` (every cluster) is read-only: list and watch through the cluster-aware client instead".to_owned(),
            ));
        }
        for (at, segment) in path.split(':').enumerate() {
            let which = at + 1;
            if segment.is_empty() {
                return Err(invalid(format!("segment {which} is empty")));
            }
            if segment.len() > MAX_SEGMENT {
                return Err(invalid(format!(
                    "segment {which} is {} characters long, more than {MAX_SEGMENT}",
                    segment.len()
                )));
            }
            if let Some(bad) = segment
                .chars()
                .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
            {
                return Err(invalid(format!("segment {which} contains `{bad}`")));
            }
            if segment.starts_with('-') || segment.ends_with('-') {
                return Err(invalid(format!("segment {which} starts or ends with `-`")));
            }
        }
        Ok(ClusterPath(path.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The path of a child workspace: `root:org` joined with `ws` is `root:org:ws`.
    pub fn join(&self, segment: &str) -> Result<Self, InvalidClusterPath> {
        ClusterPath::new(&format!("{}:{segment}", self.0))
    }

    /// The parent path (`root:org` for `root:org:ws`), `None` for a one-segment path.
    pub fn parent(&self) -> Option<ClusterPath> {
        self.0
            .rsplit_once(':')
            .map(|(parent, _)| ClusterPath(parent.to_owned()))
    }
}

impl fmt::Display for ClusterPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for ClusterPath {
    type Err = InvalidClusterPath;

    fn from_str(path: &str) -> Result<Self, Self::Err> {
        ClusterPath::new(path)
    }
}

impl TryFrom<&str> for ClusterPath {
    type Error = InvalidClusterPath;

    fn try_from(path: &str) -> Result<Self, Self::Error> {
        ClusterPath::new(path)
    }
}

impl AsRef<str> for ClusterPath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kcp_paths_are_accepted() {
        for path in [
            "root",
            "root:org:ws",
            "a",
            "2x4tmpq3w2lbv8jz",
            "root:team-1",
        ] {
            assert_eq!(ClusterPath::new(path).expect(path).as_str(), path);
        }
        let long = "a".repeat(63);
        assert!(ClusterPath::new(&long).is_ok());
    }

    #[test]
    fn malformed_paths_say_what_is_wrong() {
        let reason = |path: &str| ClusterPath::new(path).expect_err(path).reason;
        assert_eq!(reason(""), "it is empty");
        assert!(reason("*").contains("read-only"));
        assert_eq!(reason("root::ws"), "segment 2 is empty");
        assert_eq!(reason("root:"), "segment 2 is empty");
        assert_eq!(reason("Root"), "segment 1 contains `R`");
        assert_eq!(reason("root/ws"), "segment 1 contains `/`");
        assert_eq!(reason("root:-ws"), "segment 2 starts or ends with `-`");
        assert_eq!(
            reason(&"a".repeat(64)),
            "segment 1 is 64 characters long, more than 63"
        );
        let error = ClusterPath::new("a b").expect_err("space");
        assert!(
            error
                .to_string()
                .starts_with("`a b` is not a logical-cluster path")
        );
    }

    #[test]
    fn paths_join_and_have_parents() {
        let org = ClusterPath::new("root:org").expect("valid");
        let ws = org.join("ws").expect("valid");
        assert_eq!(ws.as_str(), "root:org:ws");
        assert_eq!(ws.parent(), Some(org));
        assert!(ClusterPath::new("root").expect("valid").parent().is_none());
        assert!(ws.join("Bad").is_err());
    }
}
