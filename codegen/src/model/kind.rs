//! A `+genclient` type as an API kind: scope, verbs, methods, names, and its wire form.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;
use syn::spanned::Spanned;

use super::Package;
use super::client::{ClientSpec, Scope, Verb, WireField};
use super::interpret::TypeMarkers;
use super::naming::{camel_case, plural, snake_case};
use super::resolve::{Target, Ty, WellKnown};
use super::types::{Fields, FileErrors, Shape, TypeDef, derived};
use crate::diagnostic::Diagnostic;

/// The client settings of a `+genclient` type, checked against its shape.
pub(super) fn client_spec(
    def: &TypeDef,
    item: &syn::Item,
    has_own_clone: bool,
    tm: &TypeMarkers,
    fe: &mut FileErrors<'_>,
) -> Option<ClientSpec> {
    let marker = tm.genclient.as_ref()?;
    let attrs: &[syn::Attribute] = match item {
        syn::Item::Struct(s) => &s.attrs,
        syn::Item::Enum(e) => &e.attrs,
        _ => &[],
    };
    let mut fail = |message: String, help: &str| {
        fe.errors.push(
            Diagnostic::new(&fe.file.rel, message)
                .at(marker.line, marker.column)
                .width(marker.width)
                .help(help),
        );
        None
    };
    let name = def.ident.to_string();
    let Shape::Struct(Fields::Named(fields)) = &def.shape else {
        return fail(
            format!("`+genclient` type `{name}` must be a struct with named fields"),
            "an API kind is a struct with `metadata`, usually `spec` and `status` fields",
        );
    };
    if !def.generics.params.is_empty() {
        return fail(
            format!("`+genclient` type `{name}` cannot be generic"),
            "an API kind is one concrete type; make a generic helper type a field of it",
        );
    }
    let has_field = |n: &str| {
        fields
            .iter()
            .any(|f| f.ident.as_ref().is_some_and(|i| i == n))
    };
    let Some(metadata) = fields
        .iter()
        .find(|f| f.ident.as_ref().is_some_and(|i| i == "metadata"))
    else {
        return fail(
            format!("`+genclient` type `{name}` has no `metadata` field"),
            "add `pub metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta`",
        );
    };
    // kube's `Resource::meta()` hands out k8s-openapi's `ObjectMeta`: a tree's own type of that
    // name, an `Option` of it or anything else cannot be served by a client. A name the symbol
    // table cannot follow (an extern glob import) is left to the compiler.
    let unknown = matches!(
        metadata.resolved.unaliased(),
        Ty::Path {
            target: Target::Unknown,
            ..
        }
    );
    if !unknown && metadata.resolved.well_known() != Some(WellKnown::ObjectMeta) {
        let span = metadata.ty.span();
        let written = metadata.ty.to_token_stream().to_string().replace(' ', "");
        fe.at_span(
            span,
            written.chars().count(),
            format!("the `metadata` of `+genclient` type `{name}` is `{written}`, not k8s-openapi's `ObjectMeta`"),
            "write `pub metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta` (also reachable as `kube::api::ObjectMeta`): clients read names, namespaces and resource versions through it",
        );
        return None;
    }
    if !def.deepcopy && !has_own_clone {
        return fail(
            format!("`+genclient` type `{name}` is not deep-copied"),
            "add `// +k8s:deepcopy-gen=package` above the first item of the version module (or `// +k8s:deepcopy-gen=true` above the type): clients, listers and caches clone kinds",
        );
    }
    if reported_serde_attributes(item, &name, fe) {
        return None;
    }
    let has_status = has_field("status") && !tm.no_status;
    let mut verbs: BTreeSet<Verb> = if tm.no_verbs {
        BTreeSet::new()
    } else if tm.readonly {
        [Verb::Get, Verb::List, Verb::Watch].into()
    } else if let Some((only, _)) = &tm.only_verbs {
        only.clone()
    } else {
        Verb::ALL.into()
    };
    if let Some((skip, _)) = &tm.skip_verbs {
        verbs.retain(|v| !skip.contains(v));
    }
    if !has_status {
        if let Some((only, m)) = &tm.only_verbs
            && let Some(v) = only.iter().find(|v| v.is_status())
        {
            let why = if tm.no_status {
                "`+genclient:noStatus`"
            } else {
                "it has no `status` field"
            };
            fe.errors.push(
                Diagnostic::new(&fe.file.rel, format!("verb `{v}` on `{name}`, but {why}"))
                    .at(m.line, m.column)
                    .width(m.width)
                    .help(format!("remove `{v}` from the list")),
            );
            return None;
        }
        verbs.retain(|v| !v.is_status());
    }
    let mut method_names = BTreeSet::new();
    for (method, m) in &tm.methods {
        let snake = snake_case(&method.name);
        let clashes = Verb::ALL
            .iter()
            .any(|v| snake_case(v.marker_name()) == snake);
        if clashes || !method_names.insert(snake.clone()) {
            fe.errors.push(
                Diagnostic::new(
                    &fe.file.rel,
                    format!(
                        "method `{}` clashes with another method of the client",
                        method.name
                    ),
                )
                .at(m.line, m.column)
                .width(m.width)
                .help("give the custom method a name of its own (e.g. `GetScale`)"),
            );
            return None;
        }
    }
    if let Some((derive, span)) = derived(attrs, &["Serialize", "Deserialize"]) {
        fe.at_span(
            span,
            derive.len(),
            format!("`{name}` derives `{derive}`, but a `+genclient` kind's serialization is generated"),
            "remove `Serialize` and `Deserialize` from the derive list: the generated impls add `apiVersion` and `kind`, write fields in camelCase and omit `None` options",
        );
        return None;
    }
    let wire_fields = fields
        .iter()
        .filter_map(|f| {
            let ident = f.ident.clone()?;
            let optional = f.resolved.well_known() == Some(WellKnown::Option);
            Some(WireField {
                name: camel_case(&syn::ext::IdentExt::unraw(&ident).to_string()),
                ident,
                optional,
            })
        })
        .collect();
    Some(ClientSpec {
        kind: name.clone(),
        plural: tm.resource_name.clone().unwrap_or_else(|| plural(&name)),
        singular: name.to_ascii_lowercase(),
        short_names: tm.short_names.clone(),
        scope: if tm.non_namespaced {
            Scope::Cluster
        } else {
            Scope::Namespaced
        },
        verbs,
        has_status,
        methods: tm.methods.iter().map(|(m, _)| m.clone()).collect(),
        wire_fields,
        // Resolved by the package, which knows its version.
        lifecycle: None,
        availability: Default::default(),
        // Set once the crate's CRDs are planned.
        crd: None,
    })
}

/// Reports every `#[serde(...)]` on a field of a kind. The kind's serialization is generated
/// (it derives no serde trait), so rustc would reject the attribute as unknown, and the keys
/// it means to set (`rename`, `default`, `flatten`…) would not reach the generated impls.
fn reported_serde_attributes(item: &syn::Item, name: &str, fe: &mut FileErrors<'_>) -> bool {
    let syn::Item::Struct(s) = item else {
        return false;
    };
    let mut reported = false;
    for field in &s.fields {
        for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
            let field_name = field
                .ident
                .as_ref()
                .map_or_else(String::new, |i| format!(" `{i}`"));
            let written = attr.to_token_stream().to_string();
            let width = if attr.span().start().line == attr.span().end().line {
                attr.span().end().column - attr.span().start().column
            } else {
                1
            };
            fe.at_span(
                attr.span(),
                width,
                format!("`#[serde]` on field{field_name} of `+genclient` kind `{name}`"),
                format!(
                    "remove `{}`: a kind's JSON is generated (`apiVersion` and `kind`, then every field in camelCase, `None` omitted, a missing `Option` read as `None`); keep serde attributes on the spec and status types, which derive serde themselves",
                    written.replace(" (", "(").replace("# [", "#[")
                ),
            );
            reported = true;
        }
    }
    reported
}

/// Two kinds of one group-version with the same plural: the server could route only one of
/// them, and the clientset would declare two accessors of one name.
pub(super) fn duplicate_plurals(packages: &[Package]) -> Vec<Diagnostic> {
    let mut seen: BTreeMap<(String, String), &TypeDef> = BTreeMap::new();
    let mut errors = Vec::new();
    for package in packages {
        let Some(api_version) = package.api_version() else {
            continue;
        };
        for t in &package.types {
            let Some(c) = &t.client else {
                continue;
            };
            match seen.entry((api_version.clone(), c.plural.clone())) {
                Entry::Vacant(v) => {
                    v.insert(t);
                }
                Entry::Occupied(first) => {
                    let first = first.get();
                    let at = t.ident.span().start();
                    errors.push(
                        Diagnostic::new(
                            &t.file,
                            format!(
                                "kinds `{}` and `{}` of {api_version} share the resource name `{}`",
                                first.ident, t.ident, c.plural
                            ),
                        )
                        .at(at.line, at.column + 1)
                        .width(t.ident.to_string().chars().count())
                        .help(format!(
                            "give one of them its own with `// +resourceName=<plural>` (the other is declared in {})",
                            first.file.display()
                        )),
                    );
                }
            }
        }
    }
    errors
}

/// The type names the clientset and informers generators declare for a kind in its
/// group-version module (`WidgetClient`, `WidgetAllNamespacesClient`, `WidgetInformer`,
/// `WidgetLister`, `WidgetNamespaceLister`). Kept beside the generators' own `format_ident!`s:
/// a name added there belongs here too.
fn generated_type_names(t: &TypeDef, c: &ClientSpec) -> Vec<String> {
    let mut names = vec![
        format!("{}Client", t.ident),
        format!("{}Informer", t.ident),
        format!("{}Lister", t.ident),
    ];
    if c.scope == Scope::Namespaced {
        names.push(format!("{}AllNamespacesClient", t.ident));
        names.push(format!("{}NamespaceLister", t.ident));
    }
    // The cluster-aware files' `WidgetClusterClient`, `WidgetClusterInformer` and
    // `WidgetClusterLister` live in modules of their own, where no two kinds' names can meet
    // (each ends in one of three suffixes after the kind's full name).
    names
}

/// Two kinds of one group-version whose generated types would share a name (`Widget`'s
/// `WidgetNamespaceLister` and a kind `WidgetNamespace`'s lister): the module would not compile.
pub(super) fn colliding_generated_names(packages: &[Package]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for package in packages {
        let mut seen: BTreeMap<String, &TypeDef> = BTreeMap::new();
        for t in &package.types {
            let Some(c) = &t.client else {
                continue;
            };
            for name in generated_type_names(t, c) {
                match seen.entry(name.clone()) {
                    Entry::Vacant(v) => {
                        v.insert(t);
                    }
                    Entry::Occupied(first) if first.get().ident != t.ident => {
                        let first = first.get();
                        let at = t.ident.span().start();
                        errors.push(
                            Diagnostic::new(
                                &t.file,
                                format!(
                                    "kinds `{}` and `{}` would both generate a type `{name}`",
                                    first.ident, t.ident
                                ),
                            )
                            .at(at.line, at.column + 1)
                            .width(t.ident.to_string().chars().count())
                            .help(format!(
                                "rename one of them: generated clients and listers are named after the kind (`{}` is declared in {})",
                                first.ident,
                                first.file.display()
                            )),
                        );
                        break;
                    }
                    Entry::Occupied(_) => {}
                }
            }
        }
    }
    errors
}
