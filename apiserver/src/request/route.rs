//! URL → what is being asked for: the logical cluster, a discovery document, or a resource path;
//! and the query string as a map.

use std::collections::HashMap;

/// The logical cluster(s) a request addresses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ClusterScope {
    One(String),
    /// `/clusters/*/`: lists and watches across every cluster.
    All,
}

/// A request for a resource collection, object, or subresource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ResourcePath {
    pub group: String,
    pub version: String,
    pub namespace: Option<String>,
    pub plural: String,
    pub name: Option<String>,
    pub subresource: Option<String>,
    /// The legacy `/watch/` path form.
    pub legacy_watch: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    Version,
    Health,
    OpenApiV2,
    /// `/openapi/v3` (`None`) or one of its documents (`apis/<group>/<version>`).
    OpenApiV3(Option<String>),
    CoreGroup,
    CoreVersion(String),
    Groups,
    Group(String),
    GroupVersion(String, String),
    Resource(ResourcePath),
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Route {
    pub cluster: ClusterScope,
    /// The request named a cluster with `/clusters/<name>/`; objects in responses then carry
    /// the `kcp.io/cluster` annotation.
    pub cluster_prefixed: bool,
    pub target: Target,
}

/// The cluster requests without a `/clusters/` prefix go to (kcp's root workspace).
pub const DEFAULT_CLUSTER: &str = "root";

fn percent_decode(input: &str, plus_is_space: bool) -> String {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(decoded) => {
                        out.push(decoded);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' if plus_is_space => out.push(b' '),
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The query string as a map (the last of repeated keys wins).
pub(crate) fn parse_query(query: Option<&str>) -> HashMap<String, String> {
    query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (percent_decode(k, true), percent_decode(v, true)),
            None => (percent_decode(pair, true), String::new()),
        })
        .collect()
}

pub(crate) fn parse_path(path: &str) -> Route {
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_decode(s, false))
        .collect();
    let (cluster, cluster_prefixed, rest) = match segments.as_slice() {
        [first, name, rest @ ..] if first == "clusters" => {
            let scope = if name == "*" {
                ClusterScope::All
            } else {
                ClusterScope::One(name.clone())
            };
            (scope, true, rest)
        }
        rest => (ClusterScope::One(DEFAULT_CLUSTER.to_owned()), false, rest),
    };
    let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
    let target = match rest.as_slice() {
        ["version"] => Target::Version,
        ["healthz" | "readyz" | "livez", ..] => Target::Health,
        ["openapi", "v2"] => Target::OpenApiV2,
        ["openapi", "v3"] => Target::OpenApiV3(None),
        ["openapi", "v3", rest @ ..] => Target::OpenApiV3(Some(rest.join("/"))),
        ["api"] => Target::CoreGroup,
        ["api", version] => Target::CoreVersion((*version).to_owned()),
        ["api", version, tail @ ..] => resource_target("", version, tail),
        ["apis"] => Target::Groups,
        ["apis", group] => Target::Group((*group).to_owned()),
        ["apis", group, version] => {
            Target::GroupVersion((*group).to_owned(), (*version).to_owned())
        }
        ["apis", group, version, tail @ ..] => resource_target(group, version, tail),
        _ => Target::Unknown,
    };
    Route {
        cluster,
        cluster_prefixed,
        target,
    }
}

fn resource_target(group: &str, version: &str, tail: &[&str]) -> Target {
    let (legacy_watch, tail) = match tail {
        ["watch", rest @ ..] => (true, rest),
        _ => (false, tail),
    };
    // `namespaces/<ns>/<plural>...` is a namespaced path unless it is the core namespace
    // resource's own subresource (`namespaces/<ns>/status`, `namespaces/<ns>/finalize`).
    let (namespace, rest) = match tail {
        ["namespaces", ns, plural, rest @ ..]
            if !(group.is_empty()
                && (*plural == "status" || *plural == "finalize")
                && rest.is_empty()) =>
        {
            (Some((*ns).to_owned()), {
                let mut v = vec![*plural];
                v.extend_from_slice(rest);
                v
            })
        }
        _ => (None, tail.to_vec()),
    };
    let (plural, name, subresource) = match rest.as_slice() {
        [plural] => (*plural, None, None),
        [plural, name] => (*plural, Some(*name), None),
        [plural, name, sub] => (*plural, Some(*name), Some(*sub)),
        _ => return Target::Unknown,
    };
    Target::Resource(ResourcePath {
        group: group.to_owned(),
        version: version.to_owned(),
        namespace,
        plural: plural.to_owned(),
        name: name.map(str::to_owned),
        subresource: subresource.map(str::to_owned),
        legacy_watch,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(path: &str) -> Option<ResourcePath> {
        match parse_path(path).target {
            Target::Resource(r) => Some(r),
            _ => None,
        }
    }

    #[test]
    fn namespaced_and_cluster_paths() {
        let r = resource("/apis/g.io/v1/namespaces/ns1/widgets/w1/status");
        assert!(
            r.as_ref()
                .is_some_and(|r| r.namespace.as_deref() == Some("ns1")
                    && r.plural == "widgets"
                    && r.name.as_deref() == Some("w1")
                    && r.subresource.as_deref() == Some("status"))
        );
        let r = resource("/api/v1/namespaces/ns1/status");
        assert!(r.as_ref().is_some_and(|r| r.plural == "namespaces"
            && r.name.as_deref() == Some("ns1")
            && r.subresource.as_deref() == Some("status")));
        let r = resource("/api/v1/namespaces");
        assert!(r.is_some_and(|r| r.plural == "namespaces" && r.name.is_none()));
        assert_eq!(
            parse_path("/apis/g.io/v1").target,
            Target::GroupVersion("g.io".into(), "v1".into())
        );
        assert_eq!(parse_path("/nope").target, Target::Unknown);
    }

    #[test]
    fn cluster_prefixes() {
        let route = parse_path("/clusters/root:org/apis/g/v1/things");
        assert_eq!(route.cluster, ClusterScope::One("root:org".into()));
        assert!(route.cluster_prefixed);
        assert_eq!(parse_path("/clusters/*/api").cluster, ClusterScope::All);
        assert_eq!(
            parse_path("/api").cluster,
            ClusterScope::One(DEFAULT_CLUSTER.into())
        );
    }

    #[test]
    fn query_is_decoded() {
        let q = parse_query(Some("labelSelector=app%20in%20(a%2Cb)&watch=true&x=a+b"));
        assert_eq!(
            q.get("labelSelector").map(String::as_str),
            Some("app in (a,b)")
        );
        assert_eq!(q.get("x").map(String::as_str), Some("a b"));
        assert_eq!(q.get("watch").map(String::as_str), Some("true"));
    }
}
