//! A generated deep copy calls `Clone` on every field of the tree's own types: each must have
//! one (generated, derived, or written by hand), or the output would not compile.

use std::collections::BTreeSet;

use super::modules::{Entry, ModuleId};
use super::resolve::{Resolver, Target, Ty};
use super::types::derived;
use super::{Package, Shape};
use crate::diagnostic::Diagnostic;

/// Errors for fields of deep-copied types whose type (or a type argument of it) is one of the
/// tree's own types without `Clone`.
pub fn check(
    packages: &[Package],
    resolver: &Resolver<'_, '_>,
    hand_clones: &BTreeSet<(ModuleId, String)>,
) -> Vec<Diagnostic> {
    let generated: BTreeSet<(ModuleId, String)> = packages
        .iter()
        .flat_map(|p| &p.types)
        .filter(|t| t.deepcopy)
        .map(|t| (t.module, t.ident.to_string()))
        .collect();
    let has_clone = |module: ModuleId, name: &str| {
        let key = (module, name.to_owned());
        if generated.contains(&key) || hand_clones.contains(&key) {
            return true;
        }
        match resolver.tree.modules[module].names.get(name) {
            Some(Entry::Type { item, .. }) => {
                let attrs = match item {
                    syn::Item::Struct(s) => &s.attrs,
                    syn::Item::Enum(e) => &e.attrs,
                    syn::Item::Union(u) => &u.attrs,
                    _ => return true,
                };
                derived(attrs, &["Clone", "Copy"]).is_some()
            }
            // Not a struct, enum or union of the tree: nothing to say.
            _ => true,
        }
    };
    let mut errors = Vec::new();
    for t in packages
        .iter()
        .flat_map(|p| &p.types)
        .filter(|t| t.deepcopy)
    {
        let fields = match &t.shape {
            Shape::Struct(f) => f.iter().collect::<Vec<_>>(),
            Shape::Enum(vs) => vs.iter().flat_map(|v| v.fields.iter()).collect(),
        };
        for field in fields {
            let mut missing = None;
            find_without_clone(&field.resolved, &has_clone, &mut missing);
            let Some((name, span)) = missing else {
                continue;
            };
            let what = field
                .ident
                .as_ref()
                .map_or_else(|| "a tuple field".to_owned(), |i| format!("field `{i}`"));
            let start = span.start();
            errors.push(
                Diagnostic::new(
                    &t.file,
                    format!("{what} of `{}`: `{name}` does not implement `Clone`", t.ident),
                )
                .at(start.line, start.column + 1)
                .width(name.chars().count())
                .help(format!("opt `{name}` in to deep copy (`// +k8s:deepcopy-gen=true` above it, or `// +k8s:deepcopy-gen=package` for its package), or derive `Clone` for it")),
            );
        }
    }
    errors
}

/// The first of the tree's own types in `ty` (itself or its arguments) without `Clone`.
fn find_without_clone(
    ty: &Ty,
    has_clone: &impl Fn(ModuleId, &str) -> bool,
    out: &mut Option<(String, proc_macro2::Span)>,
) {
    if out.is_some() {
        return;
    }
    match ty {
        Ty::Path {
            target: Target::Local { module, name },
            span,
            ..
        } if !has_clone(*module, name) => *out = Some((name.clone(), *span)),
        Ty::Path { args, .. } => {
            for a in args {
                find_without_clone(a, has_clone, out);
            }
        }
        Ty::Tuple(elems) => {
            for e in elems {
                find_without_clone(e, has_clone, out);
            }
        }
        Ty::Array(e) => find_without_clone(e, has_clone, out),
        Ty::Alias { ty, .. } => find_without_clone(ty, has_clone, out),
        _ => {}
    }
}
