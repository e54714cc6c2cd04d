//! What `+genclient` markers ask of a type's client: scope, verbs, extra methods, names.

use std::collections::BTreeSet;
use std::fmt;

/// The verbs a typed client can have, spelled as in `+genclient:onlyVerbs=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verb {
    Create,
    Update,
    UpdateStatus,
    Delete,
    DeleteCollection,
    Get,
    List,
    Watch,
    Patch,
    Apply,
    ApplyStatus,
}

impl Verb {
    pub const ALL: [Verb; 11] = [
        Verb::Create,
        Verb::Update,
        Verb::UpdateStatus,
        Verb::Delete,
        Verb::DeleteCollection,
        Verb::Get,
        Verb::List,
        Verb::Watch,
        Verb::Patch,
        Verb::Apply,
        Verb::ApplyStatus,
    ];

    /// The marker spelling (`updateStatus`).
    pub fn marker_name(self) -> &'static str {
        match self {
            Verb::Create => "create",
            Verb::Update => "update",
            Verb::UpdateStatus => "updateStatus",
            Verb::Delete => "delete",
            Verb::DeleteCollection => "deleteCollection",
            Verb::Get => "get",
            Verb::List => "list",
            Verb::Watch => "watch",
            Verb::Patch => "patch",
            Verb::Apply => "apply",
            Verb::ApplyStatus => "applyStatus",
        }
    }

    pub fn from_marker_name(name: &str) -> Option<Verb> {
        Verb::ALL.into_iter().find(|v| v.marker_name() == name)
    }

    pub fn marker_names() -> Vec<&'static str> {
        Verb::ALL.iter().map(|v| v.marker_name()).collect()
    }

    /// Verbs that act on the status subresource.
    pub fn is_status(self) -> bool {
        matches!(self, Verb::UpdateStatus | Verb::ApplyStatus)
    }
}

impl fmt::Display for Verb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.marker_name())
    }
}

/// Where objects of a kind live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Namespaced,
    Cluster,
}

/// Everything a client generator needs about one `+genclient` kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientSpec {
    /// The kind (the type's name).
    pub kind: String,
    /// Lower-case plural resource name (`widgets`), from the rules or `+resourceName=`.
    pub plural: String,
    /// Lower-case singular name (`widget`).
    pub singular: String,
    /// `+shortNames=`, in marker order.
    pub short_names: Vec<String>,
    pub scope: Scope,
    /// The verbs left after every marker is applied.
    pub verbs: BTreeSet<Verb>,
    /// The type has a `status` field and no `+genclient:noStatus`.
    pub has_status: bool,
    /// `+genclient:method=` extra methods, in marker order.
    pub methods: Vec<CustomMethod>,
    /// The kind's fields as they appear on the wire (after `apiVersion` and `kind`).
    pub wire_fields: Vec<WireField>,
    /// Its lifecycle (`+k8s:prerelease-lifecycle-gen`), defaults applied.
    pub lifecycle: Option<super::lifecycle::Lifecycle>,
    /// What the target Kubernetes release does to it.
    pub availability: super::lifecycle::Availability,
    /// Its CRD file, relative to the package's generated module (`../../../crds/….yaml`),
    /// when its crate writes CRDs.
    pub crd: Option<String>,
}

impl ClientSpec {
    /// Served at the target release: not left out of registration lists and clients.
    pub fn is_served(&self) -> bool {
        !matches!(
            self.availability,
            super::lifecycle::Availability::LeftOut { .. }
        )
    }

    /// The `#[deprecated]` note its accessors carry at the target release, if any.
    pub fn deprecation(&self) -> Option<&str> {
        match &self.availability {
            super::lifecycle::Availability::Deprecated { note } => Some(note),
            _ => None,
        }
    }

    /// The kind serves a `scale` subresource (a `+genclient:method` acts on it).
    pub fn has_scale(&self) -> bool {
        self.methods.iter().any(|m| m.subresource == "scale")
    }
}

/// One field of a kind in its JSON form: camelCase, and omitted when an `Option` is `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireField {
    pub ident: syn::Ident,
    /// The JSON key (`observedGeneration`).
    pub name: String,
    /// The field is an `Option`: omitted when `None`, `None` when absent.
    pub optional: bool,
}

/// `+genclient:method=GetScale,verb=get,subresource=scale,result=…`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomMethod {
    /// As written (`GetScale`); generators derive their spelling from it (`get_scale`).
    pub name: String,
    pub verb: Verb,
    /// The subresource it acts on (`scale`).
    pub subresource: String,
    /// Rust path of the request body type (create/update/apply only).
    pub input: Option<syn::Path>,
    /// Rust path of the response type.
    pub result: Option<syn::Path>,
}

/// Verbs that may carry an `input=` type.
pub const INPUT_VERBS: &[Verb] = &[Verb::Create, Verb::Update, Verb::Apply];
/// Verbs that may carry a `result=` type.
pub const RESULT_VERBS: &[Verb] = &[
    Verb::Create,
    Verb::Update,
    Verb::Get,
    Verb::List,
    Verb::Patch,
    Verb::Apply,
];

/// Turns a Go package type path (`k8s.io/api/autoscaling/v1.Scale`) into the k8s-openapi
/// path, or parses a Rust path (`k8s_openapi::api::autoscaling::v1::Scale`).
pub fn type_path(value: &str) -> Option<syn::Path> {
    let rust = if let Some(rest) = value.strip_prefix("k8s.io/api/") {
        go_to_rust("k8s_openapi::api", rest)?
    } else if let Some(rest) = value.strip_prefix("k8s.io/apimachinery/") {
        go_to_rust("k8s_openapi::apimachinery", rest)?
    } else {
        value.to_owned()
    };
    syn::parse_str::<syn::Path>(&rust).ok()
}

fn go_to_rust(prefix: &str, rest: &str) -> Option<String> {
    let (package, ty) = rest.rsplit_once('.')?;
    Some(format!("{prefix}::{}::{ty}", package.replace('/', "::")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn verbs_round_trip_their_marker_names() {
        for verb in Verb::ALL {
            assert_eq!(Verb::from_marker_name(verb.marker_name()), Some(verb));
        }
        assert_eq!(Verb::from_marker_name("UpdateStatus"), None);
    }

    #[test]
    fn go_type_paths_map_to_k8s_openapi() {
        let path = |s: &str| type_path(s).map(|p| p.to_token_stream().to_string().replace(' ', ""));
        assert_eq!(
            path("k8s.io/api/autoscaling/v1.Scale").as_deref(),
            Some("k8s_openapi::api::autoscaling::v1::Scale")
        );
        assert_eq!(
            path("k8s.io/apimachinery/pkg/apis/meta/v1.Status").as_deref(),
            Some("k8s_openapi::apimachinery::pkg::apis::meta::v1::Status")
        );
        assert_eq!(path("crate::Thing").as_deref(), Some("crate::Thing"));
        assert_eq!(path("not a path"), None);
    }
}
