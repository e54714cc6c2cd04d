//! Marker comment lines (`// +name=value`): recognising them and knowing which are ours.

use crate::source::LineComment;

/// One `+name[=value]` comment line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    /// `genclient:onlyVerbs`, `groupName`, `k8s:deepcopy-gen`…
    pub name: String,
    /// The text after the first `=`, if any (may be empty: `+groupName=`).
    pub value: Option<String>,
    pub line: usize,
    /// 1-based column of the `+`.
    pub column: usize,
    /// Characters from the `+` to the end of the marker (for underlining).
    pub width: usize,
    /// The marker as written, from the `+`.
    pub text: String,
    /// The comment holds nothing but white space before the marker on its line.
    pub own_line: bool,
}

impl Marker {
    /// The marker in a comment, if the comment is one (`+` first after white space).
    pub fn from_comment(comment: &LineComment) -> Option<Marker> {
        let leading = comment.body.len() - comment.body.trim_start().len();
        let text = comment.body.trim();
        let rest = text.strip_prefix('+')?;
        let (name, value) = match rest.split_once('=') {
            Some((n, v)) => (n.trim(), Some(v.trim().to_owned())),
            None => (rest.trim(), None),
        };
        if name.is_empty() {
            return None;
        }
        Some(Marker {
            name: name.to_owned(),
            value,
            line: comment.line,
            column: comment.body_column + comment.body[..leading].chars().count(),
            width: text.chars().count(),
            text: text.to_owned(),
            own_line: comment.own_line,
        })
    }

    /// Markers this tool owns: every `+k8s:…` and `+genclient…`, our package and type names,
    /// and near-misses of those names and prefixes (so `+groupname=`, `+genClient` and
    /// `+gen-client:noStatus` are reported rather than ignored: an ignored `+genclient` makes
    /// its kind vanish from the output). Anything else (`+optional`, `+kubebuilder:…`) belongs
    /// to other tools.
    pub fn is_ours(&self) -> bool {
        let first_segment = self.name.split(':').next().unwrap_or_default();
        self.name.to_ascii_lowercase().starts_with("k8s:")
            || self.name.starts_with("genclient")
            || OWN_NAMES.contains(&self.name.as_str())
            || (!self.name.contains(':') && closest(&self.name, OWN_NAMES).is_some())
            || closest(first_segment, &["genclient"]).is_some()
    }
}

/// Our marker names that have no prefix.
const OWN_NAMES: &[&str] = &[
    "groupName",
    "versionName",
    "groupGoName",
    "resourceName",
    "shortNames",
];

/// The candidate closest to `word` within a small edit distance (case-insensitive), for
/// did-you-mean suggestions.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    candidates
        .iter()
        .map(|c| (edit_distance(&word, &c.to_ascii_lowercase()), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 5))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = substitution.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(body: &str) -> LineComment {
        LineComment {
            line: 3,
            body_column: 3,
            body: body.into(),
            own_line: true,
        }
    }

    #[test]
    fn parses_names_values_and_positions() {
        let m =
            Marker::from_comment(&comment("  +genclient:onlyVerbs=get, list ")).expect("marker");
        assert_eq!(m.name, "genclient:onlyVerbs");
        assert_eq!(m.value.as_deref(), Some("get, list"));
        assert_eq!((m.line, m.column, m.width), (3, 5, 30));
        let m = Marker::from_comment(&comment(" +groupName=")).expect("marker");
        assert_eq!(m.value.as_deref(), Some(""));
        assert!(Marker::from_comment(&comment(" plain text + more")).is_none());
        assert!(Marker::from_comment(&comment(" + ")).is_none());
    }

    #[test]
    fn knows_which_markers_are_ours() {
        let ours = |s: &str| Marker::from_comment(&comment(s)).expect("marker").is_ours();
        assert!(ours("+genclient"));
        assert!(ours("+k8s:openapi-gen=true"));
        assert!(ours("+groupName=a.io"));
        assert!(ours("+groupname=a.io"), "near-miss of an own name");
        for near_miss in [
            "+genClient",
            "+gen-client",
            "+genclinet",
            "+gen-client:noStatus",
        ] {
            assert!(
                ours(near_miss),
                "near-miss of the genclient prefix: {near_miss}"
            );
        }
        assert!(ours("+K8s:deepcopy-gen=package"));
        assert!(!ours("+optional"));
        assert!(!ours("+kubebuilder:validation:Minimum=1"));
        assert!(!ours("+listType=map"));
    }

    #[test]
    fn suggests_close_names() {
        let names = ["genclient:nonNamespaced", "genclient:noStatus"];
        assert_eq!(
            closest("genclient:nonNamespace", &names),
            Some("genclient:nonNamespaced")
        );
        assert_eq!(
            closest("genclient:nostatus", &names),
            Some("genclient:noStatus")
        );
        assert_eq!(closest("genclient:method", &names), None);
    }
}
