//! A `+genclient` type as an API kind: scope, verbs, methods, names, and its wire form.

use std::collections::BTreeSet;

use super::client::{ClientSpec, Scope, Verb, WireField};
use super::interpret::TypeMarkers;
use super::naming::{camel_case, plural, snake_case};
use super::resolve::WellKnown;
use super::types::{Fields, FileErrors, Shape, TypeDef, derived};
use crate::diagnostic::Diagnostic;

/// The client settings of a `+genclient` type, checked against its shape.
pub(super) fn client_spec(
    def: &TypeDef,
    attrs: &[syn::Attribute],
    tm: &TypeMarkers,
    fe: &mut FileErrors<'_>,
) -> Option<ClientSpec> {
    let marker = tm.genclient.as_ref()?;
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
    if !has_field("metadata") {
        return fail(
            format!("`+genclient` type `{name}` has no `metadata` field"),
            "add `pub metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta`",
        );
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
    })
}
