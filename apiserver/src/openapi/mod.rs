//! The OpenAPI documents kube-apiserver publishes, built from the served kinds: `/openapi/v2`
//! (Swagger 2.0, [`v2`]) and `/openapi/v3` with one OpenAPI 3.0 document per group-version
//! ([`v3`]). Each kind's schema is its `openAPIV3Schema` (a permissive
//! `x-kubernetes-preserve-unknown-fields` object when it has none) with `apiVersion`, `kind`
//! and a `metadata` that refers to `ObjectMeta`, as upstream publishes CRDs; with paths whose
//! operations carry `x-kubernetes-group-version-kind`, which `kubectl explain` looks the kind
//! up by and kubectl's field-validation check reads.
//!
//! The PATCH operations list the patch types custom resources take (no strategic merge
//! patch), built-in kinds included: kubectl then computes strategic merge patches of built-in
//! kinds from its compiled types, as it does without OpenAPI.

pub(crate) mod schemas;
pub(crate) mod v2;
pub(crate) mod v3;

use crate::definition::ResourceDefinition;

/// The name upstream gives a kind's definition: the reversed group, version and kind
/// (`io.example.widgets.v1.Widget`); Kubernetes' own kinds keep their Go package names
/// (`io.k8s.api.core.v1.ConfigMap`).
pub(crate) fn definition_name(def: &ResourceDefinition) -> String {
    definition_name_of(def, &def.kind)
}

/// [`definition_name`] of the kind's list type (`...WidgetList`).
pub(crate) fn list_name(def: &ResourceDefinition) -> String {
    definition_name_of(def, &format!("{}List", def.kind))
}

fn definition_name_of(def: &ResourceDefinition, kind: &str) -> String {
    let version = &def.version;
    if def.builtin && crate::crd::is_crd_kind(def) {
        return format!("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.{version}.{kind}");
    }
    if def.builtin
        && (def.group.is_empty() || def.group.ends_with(".k8s.io") || !def.group.contains('.'))
    {
        let package = def
            .group
            .split('.')
            .next()
            .filter(|g| !g.is_empty())
            .unwrap_or("core");
        return format!("io.k8s.api.{package}.{version}.{kind}");
    }
    let reversed: Vec<&str> = def.group.split('.').rev().collect();
    format!("{}.{version}.{kind}", reversed.join("."))
}

/// The collection and object paths of a kind, as upstream names them, with whether each is
/// the object path (namespaced kinds also have their all-namespaces list).
pub(crate) fn paths(def: &ResourceDefinition) -> Vec<(String, PathKind)> {
    let root = if def.group.is_empty() {
        format!("/api/{}", def.version)
    } else {
        format!("/apis/{}/{}", def.group, def.version)
    };
    let plural = &def.plural;
    if def.namespaced {
        vec![
            (
                format!("{root}/namespaces/{{namespace}}/{plural}"),
                PathKind::Collection,
            ),
            (
                format!("{root}/namespaces/{{namespace}}/{plural}/{{name}}"),
                PathKind::Object,
            ),
            (format!("{root}/{plural}"), PathKind::AllNamespaces),
        ]
    } else {
        vec![
            (format!("{root}/{plural}"), PathKind::Collection),
            (format!("{root}/{plural}/{{name}}"), PathKind::Object),
        ]
    }
}

/// Which of a kind's paths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PathKind {
    /// list and create.
    Collection,
    /// get, replace, patch, delete.
    Object,
    /// list across namespaces.
    AllNamespaces,
}

/// The operations of a path: HTTP method, `x-kubernetes-action`, and whether it returns the
/// list type.
pub(crate) fn operations(kind: PathKind) -> &'static [(&'static str, &'static str, bool)] {
    match kind {
        PathKind::Collection => &[("get", "list", true), ("post", "post", false)],
        PathKind::Object => &[
            ("get", "get", false),
            ("put", "put", false),
            ("patch", "patch", false),
            ("delete", "delete", false),
        ],
        PathKind::AllNamespaces => &[("get", "list", true)],
    }
}

/// The patch media types the PATCH operations take.
pub(crate) const PATCH_TYPES: [&str; 3] = [
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/apply-patch+yaml",
];

/// An operation id in upstream's style (`listCrdExampleIoV1NamespacedSprocket`).
pub(crate) fn operation_id(def: &ResourceDefinition, action: &str, kind: PathKind) -> String {
    let verb = match action {
        "post" => "create",
        "put" => "replace",
        "get" => "read",
        other => other,
    };
    let camel = |s: &str| {
        s.split(['.', '-'])
            .filter(|p| !p.is_empty())
            .map(|p| {
                let mut c = p.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect::<String>())
                    .unwrap_or_default()
            })
            .collect::<String>()
    };
    let scope = match kind {
        PathKind::AllNamespaces => "ForAllNamespaces",
        _ if def.namespaced => "Namespaced",
        _ => "",
    };
    let (prefix, suffix) = match kind {
        PathKind::AllNamespaces => ("", scope),
        _ => (scope, ""),
    };
    format!(
        "{verb}{}{}{prefix}{}{suffix}",
        camel(&def.group),
        camel(&def.version),
        def.kind
    )
}

/// FNV-1a (64 bits) of a document, upper-case hex: the `hash` of `/openapi/v3` URLs, which
/// clients cache documents by (upstream uses SHA-512; any digest of the content will do).
pub(crate) fn content_hash(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016X}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BuiltinKind;

    #[test]
    fn names_follow_upstream() {
        let widget = ResourceDefinition::new("widgets.example.io", "v1", "Widget", "widgets");
        assert_eq!(definition_name(&widget), "io.example.widgets.v1.Widget");
        assert_eq!(list_name(&widget), "io.example.widgets.v1.WidgetList");
        assert_eq!(
            definition_name(&BuiltinKind::ConfigMap.definition()),
            "io.k8s.api.core.v1.ConfigMap"
        );
        assert_eq!(
            definition_name(&BuiltinKind::Lease.definition()),
            "io.k8s.api.coordination.v1.Lease"
        );
        assert_eq!(
            definition_name(&BuiltinKind::Deployment.definition()),
            "io.k8s.api.apps.v1.Deployment"
        );
        assert_eq!(
            definition_name(&crate::crd::definition()),
            "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition"
        );
        assert_eq!(
            operation_id(&widget, "list", PathKind::AllNamespaces),
            "listWidgetsExampleIoV1WidgetForAllNamespaces"
        );
        assert_eq!(
            operation_id(&widget, "patch", PathKind::Object),
            "patchWidgetsExampleIoV1NamespacedWidget"
        );
    }
}
