//! Kubernetes naming rules: versions, groups, plurals; and Rust spellings of them.

use std::sync::LazyLock;

use regex::Regex;

static VERSION: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$").ok());
static DNS_SUBDOMAIN: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$").ok()
});
static DNS_LABEL: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^[a-z]([-a-z0-9]*[a-z0-9])?$").ok());

fn matches(re: &LazyLock<Option<Regex>>, s: &str) -> bool {
    re.as_ref().is_some_and(|re| re.is_match(s))
}

/// `v1`, `v2beta3`, `v1alpha1`: the version names Kubernetes sorts and serves.
pub fn is_kube_version(s: &str) -> bool {
    matches(&VERSION, s)
}

/// An RFC 1123 subdomain of at most 253 characters (`widgets.example.io`).
pub fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253 && matches(&DNS_SUBDOMAIN, s)
}

/// An RFC 1035 label of at most 63 characters (`widgets`), as resource names must be.
pub fn is_dns_label(s: &str) -> bool {
    s.len() <= 63 && matches(&DNS_LABEL, s)
}

/// The plural resource name of a kind, by the rules of Kubernetes' name generator:
/// lower-case, then `es` after s/x/z/ch/sh, `ies` for a consonant before a final `y`, else `s`.
pub fn plural(kind: &str) -> String {
    let lower = kind.to_ascii_lowercase();
    if let Some(exception) = PLURAL_EXCEPTIONS.iter().find(|(k, _)| *k == lower) {
        return exception.1.to_owned();
    }
    if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|s| lower.ends_with(s))
    {
        return format!("{lower}es");
    }
    if let Some(stem) = lower.strip_suffix('y')
        && stem.chars().last().is_some_and(|c| !"aeiou".contains(c))
    {
        return format!("{stem}ies");
    }
    format!("{lower}s")
}

/// [`plural`] keeping the kind's capitals (`WidgetClass` → `WidgetClasses`), so that word
/// boundaries survive for snake-case method names.
pub fn plural_preserving_case(kind: &str) -> String {
    let lower = plural(kind);
    // The rules only append to the lower-cased kind or replace its final `y`.
    let kept = kind.len().min(lower.len()).min(if lower.ends_with("ies") {
        kind.len() - 1
    } else {
        kind.len()
    });
    if lower
        .get(..kept)
        .is_some_and(|p| p.eq_ignore_ascii_case(&kind[..kept]))
    {
        format!("{}{}", &kind[..kept], &lower[kept..])
    } else {
        lower
    }
}

/// Kinds whose plural is not made by the rules (as in the upstream namer).
const PLURAL_EXCEPTIONS: &[(&str, &str)] = &[
    ("endpoints", "endpoints"),
    ("person", "people"),
    ("child", "children"),
];

/// `GetScale` → `get_scale`, `HTTPRoute` → `http_route`.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev_lower =
                i > 0 && (chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit());
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            let prev_upper = i > 0 && chars[i - 1].is_uppercase();
            if i > 0 && (prev_lower || (prev_upper && next_lower)) && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else if c == '-' || c == '.' {
            out.push('_');
        } else {
            out.push(c);
        }
    }
    out
}

/// `observed_generation` → `observedGeneration`, the JSON spelling of Kubernetes fields.
pub fn camel_case(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = !out.is_empty();
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The Rust identifier for an API group: its first DNS label (`widgets.example.io` →
/// `widgets`), `core` for the core group.
pub fn group_rust_name(group: &str) -> String {
    match group.split('.').next() {
        Some("") | None => "core".to_owned(),
        Some(first) => snake_case(first),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        for ok in ["v1", "v2", "v1alpha1", "v1beta2", "v10beta11"] {
            assert!(is_kube_version(ok), "{ok}");
        }
        for bad in [
            "v0", "version1", "v1alpha", "V1", "v1gamma1", "1", "v1beta0", "",
        ] {
            assert!(!is_kube_version(bad), "{bad}");
        }
    }

    #[test]
    fn groups_and_labels() {
        assert!(is_dns_subdomain("widgets.example.io"));
        assert!(!is_dns_subdomain("Widgets.example.io"));
        assert!(!is_dns_subdomain("widgets..io"));
        assert!(!is_dns_subdomain("-a.io"));
        assert!(is_dns_label("widgetclasses"));
        assert!(!is_dns_label("widget_classes"));
    }

    #[test]
    fn plurals_follow_kubernetes() {
        let cases = [
            ("Widget", "widgets"),
            ("Policy", "policies"),
            ("Gateway", "gateways"),
            ("Ingress", "ingresses"),
            ("Box", "boxes"),
            ("Patch", "patches"),
            ("Mesh", "meshes"),
            ("WidgetClass", "widgetclasses"),
            ("Endpoints", "endpoints"),
        ];
        for (kind, plural_name) in cases {
            assert_eq!(plural(kind), plural_name, "{kind}");
        }
    }

    #[test]
    fn plurals_keep_capitals_for_method_names() {
        assert_eq!(plural_preserving_case("WidgetClass"), "WidgetClasses");
        assert_eq!(plural_preserving_case("NetworkPolicy"), "NetworkPolicies");
        assert_eq!(plural_preserving_case("Widget"), "Widgets");
        assert_eq!(
            snake_case(&plural_preserving_case("WidgetClass")),
            "widget_classes"
        );
    }

    #[test]
    fn snake_case_handles_acronyms() {
        assert_eq!(snake_case("GetScale"), "get_scale");
        assert_eq!(snake_case("HTTPRoute"), "http_route");
        assert_eq!(snake_case("WidgetClass"), "widget_class");
        assert_eq!(snake_case("v1beta1"), "v1beta1");
        assert_eq!(camel_case("observed_generation"), "observedGeneration");
        assert_eq!(camel_case("metadata"), "metadata");
        assert_eq!(camel_case("_private_x"), "privateX");
        assert_eq!(group_rust_name("widgets.example.io"), "widgets");
        assert_eq!(group_rust_name("cert-manager.io"), "cert_manager");
        assert_eq!(group_rust_name(""), "core");
    }
}
