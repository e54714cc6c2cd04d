//! Deep copy: `impl Clone` whose `clone_from` reuses the destination's allocations all the way
//! down, and the type-erased `kube_codegen_runtime::Object` on request.
//!
//! The impls are built as syntax trees (see `syntax`), not quoted and parsed again: their
//! bodies are most of a package's output. Only each impl's header, a few tokens, is parsed,
//! so generics and paths come out exactly as the parser gives them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::ext::IdentExt;
use syn::{Expr, Member, Pat, Stmt};

use super::{qualified_allow, syntax, type_path};
use crate::model::{CopyPlan, Field, Fields, Package, Shape, TypeDef};

/// The deep-copy impls of every opted-in type of `package`, or what failed to parse (a bug).
pub fn generate(package: &Package) -> Result<Vec<syn::Item>, String> {
    let mut items = Vec::new();
    let mut headers = Headers::default();
    for t in package.types.iter().filter(|t| t.deepcopy) {
        items.push(syn::Item::Impl(clone_impl(t, &mut headers)?));
        if t.object_interface {
            items.push(syn::parse2(object_impl(t)).map_err(|e| e.to_string())?);
        }
    }
    Ok(items)
}

/// The type's generics with `bounds` added to every type parameter (as `derive` does).
fn bounded_generics(t: &TypeDef, bounds: &[syn::TypeParamBound]) -> syn::Generics {
    let mut generics = t.generics.clone();
    for param in generics.type_params_mut() {
        param.bounds.extend(bounds.iter().cloned());
    }
    generics
}

fn clone_bound() -> syn::TypeParamBound {
    syn::parse_quote!(Clone)
}

fn clone_impl(t: &TypeDef, headers: &mut Headers) -> Result<syn::ItemImpl, String> {
    let (clone_body, clone_from_body) = match &t.shape {
        Shape::Struct(fields) => (struct_clone(fields), struct_clone_from(fields)),
        Shape::Enum(variants) => (enum_clone(variants), enum_clone_from(variants)),
    };
    let reads_source = match &t.shape {
        Shape::Struct(fields) => fields.iter().next().is_some(),
        Shape::Enum(variants) => !variants.is_empty(),
    };
    let mut item = headers.header(t, reads_source)?;
    let mut bodies = [vec![syntax::stmt_tail(clone_body)], clone_from_body].into_iter();
    for impl_item in &mut item.items {
        if let (syn::ImplItem::Fn(f), Some(body)) = (impl_item, bodies.next()) {
            f.block.stmts = body;
        }
    }
    Ok(item)
}

/// The `impl Clone` around the bodies: parsed from a few tokens, and for the common type
/// without generics parsed once per package and copied.
#[derive(Default)]
struct Headers {
    /// Without generics, by whether `clone_from` reads its `source`.
    plain: [Option<syn::ItemImpl>; 2],
    allow: Option<syn::Attribute>,
}

impl Headers {
    fn header(&mut self, t: &TypeDef, reads_source: bool) -> Result<syn::ItemImpl, String> {
        let generic = !t.generics.params.is_empty() || t.generics.where_clause.is_some();
        if generic {
            return parse_header(t, reads_source);
        }
        let slot = &mut self.plain[usize::from(reads_source)];
        let mut item = match slot {
            Some(prototype) => prototype.clone(),
            None => slot.insert(parse_header(t, reads_source)?).clone(),
        };
        let mut path = syn::Path::from(t.ident.clone());
        path.segments = t
            .module_path
            .iter()
            .map(|m| syn::PathSegment::from(m.clone()))
            .chain(path.segments)
            .collect();
        *item.self_ty = syn::Type::Path(syn::TypePath {
            attrs: Vec::new(),
            qself: None,
            path,
        });
        item.attrs.clear();
        if let Some(allow) = qualified_allow(t) {
            let attr = match &self.allow {
                Some(attr) => attr.clone(),
                None => {
                    let attr: syn::ItemImpl =
                        syn::parse2(quote!(#allow impl X {})).map_err(|e| e.to_string())?;
                    let attr = attr.attrs.into_iter().next().ok_or("no attribute parsed")?;
                    self.allow.insert(attr).clone()
                }
            };
            item.attrs.push(attr);
        }
        Ok(item)
    }
}

fn parse_header(t: &TypeDef, reads_source: bool) -> Result<syn::ItemImpl, String> {
    let generics = bounded_generics(t, &[clone_bound()]);
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    let (_, ty_generics, _) = t.generics.split_for_impl();
    let path = type_path(t);
    let source = if reads_source {
        quote!(source)
    } else {
        quote!(_source)
    };
    let allow = qualified_allow(t);
    syn::parse2(quote! {
        #allow
        impl #impl_generics Clone for #path #ty_generics #where_clause {
            #[inline]
            fn clone(&self) -> Self {}

            fn clone_from(&mut self, #source: &Self) {}
        }
    })
    .map_err(|e| e.to_string())
}

fn object_impl(t: &TypeDef) -> TokenStream {
    let generics = bounded_generics(
        t,
        &[
            clone_bound(),
            syn::parse_quote!(::core::marker::Send),
            syn::parse_quote!(::core::marker::Sync),
            syn::parse_quote!('static),
        ],
    );
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    let (_, ty_generics, _) = t.generics.split_for_impl();
    let path = type_path(t);
    let allow = qualified_allow(t);
    quote! {
        #allow
        impl #impl_generics ::kube_codegen_runtime::Object for #path #ty_generics #where_clause {
            fn deep_copy_object(&self) -> ::std::boxed::Box<dyn ::kube_codegen_runtime::Object> {
                ::std::boxed::Box::new(Clone::clone(self))
            }

            fn as_any(&self) -> &dyn ::core::any::Any {
                self
            }
        }
    }
}

/// A copy of one field read through the reference binding `src`.
fn clone_value(field: &Field, src: Expr) -> Expr {
    match field.plan {
        CopyPlan::Copy => syntax::deref(src),
        _ => clone_call(src),
    }
}

/// `Clone::clone(arg)`.
fn clone_call(arg: Expr) -> Expr {
    syntax::call(
        syntax::path_expr(syntax::path(false, &["Clone", "clone"])),
        [arg],
    )
}

fn self_expr() -> Expr {
    syntax::name_expr(&syntax::ident("self"))
}

/// A copy of the field `self.#m` (a place, not a reference).
fn clone_field(field: &Field, m: Member) -> Expr {
    let place = syntax::field(self_expr(), m);
    match field.plan {
        CopyPlan::Copy => place,
        _ => clone_call(syntax::reference(place, false)),
    }
}

fn struct_clone(fields: &Fields) -> Expr {
    let values = fields
        .iter()
        .enumerate()
        .map(|(i, f)| clone_field(f, syntax::member(f.ident.as_ref(), i)));
    construct(syntax::path(false, &["Self"]), fields, values)
}

/// The members of named fields, in order.
fn members(named: &[Field]) -> impl Iterator<Item = Member> + '_ {
    named
        .iter()
        .enumerate()
        .map(|(i, f)| syntax::member(f.ident.as_ref(), i))
}

/// `path { a: va, .. }` / `path(v0, ..)` / `path`: a value of `fields`' shape.
fn construct(path: syn::Path, fields: &Fields, values: impl Iterator<Item = Expr>) -> Expr {
    match fields {
        Fields::Named(named) => syntax::struct_expr(path, members(named).zip(values)),
        Fields::Unnamed(_) => syntax::call(syntax::path_expr(path), values),
        Fields::Unit => syntax::path_expr(path),
    }
}

fn struct_clone_from(fields: &Fields) -> Vec<Stmt> {
    let mut names = Names::default();
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let m = syntax::member(f.ident.as_ref(), i);
            let place =
                |side: &str| syntax::field(syntax::name_expr(&syntax::ident(side)), m.clone());
            copy_into(
                &f.plan,
                &Operand::Place(place("self")),
                &Operand::Place(place("source")),
                &mut names,
            )
        })
        .collect()
}

/// Binding names for a variant's fields: `name`/`_0`… prefixed with `dst_` or `src_`.
fn bindings(fields: &Fields, prefix: &str) -> Vec<syn::Ident> {
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| match &f.ident {
            Some(ident) => format_ident!("{prefix}_{}", ident.unraw()),
            None => format_ident!("{prefix}_{i}"),
        })
        .collect()
}

/// `Self::V`.
fn variant_path(ident: &syn::Ident) -> syn::Path {
    syntax::path_to(&["Self"], ident)
}

/// The pattern `Self::V { a: dst_a, .. }` / `Self::V(dst_0, ..)` / `Self::V`.
fn variant_pattern(ident: &syn::Ident, fields: &Fields, names: &[syn::Ident]) -> Pat {
    let path = variant_path(ident);
    let bound = names.iter().map(syntax::name_pat);
    match fields {
        Fields::Named(named) => syntax::struct_pat(path, members(named).zip(bound)),
        Fields::Unnamed(_) => syntax::tuple_struct_pat(path, bound),
        Fields::Unit => syntax::path_pat(path),
    }
}

fn enum_clone(variants: &[crate::model::Variant]) -> Expr {
    if variants.is_empty() {
        return syntax::match_expr(syntax::deref(self_expr()), Vec::new());
    }
    let arms = variants
        .iter()
        .map(|v| {
            let src = bindings(&v.fields, "src");
            let pattern = variant_pattern(&v.ident, &v.fields, &src);
            let values = v
                .fields
                .iter()
                .zip(&src)
                .map(|(f, s)| clone_value(f, syntax::name_expr(s)));
            let built = construct(variant_path(&v.ident), &v.fields, values);
            syntax::arm(pattern, built)
        })
        .collect();
    syntax::match_expr(self_expr(), arms)
}

fn enum_clone_from(variants: &[crate::model::Variant]) -> Vec<Stmt> {
    if variants.is_empty() {
        return vec![syntax::stmt(syntax::match_expr(
            syntax::deref(self_expr()),
            Vec::new(),
        ))];
    }
    // Variants with nothing to copy (unit ones) share one arm: same body, one or-pattern.
    let mut nothing_to_copy = Vec::new();
    let mut arms: Vec<Option<syn::Arm>> = Vec::new();
    for v in variants {
        let dst = bindings(&v.fields, "dst");
        let src = bindings(&v.fields, "src");
        let pair = syntax::tuple_pat(
            [
                variant_pattern(&v.ident, &v.fields, &dst),
                variant_pattern(&v.ident, &v.fields, &src),
            ],
            false,
        );
        let mut names = Names::default();
        let copies: Vec<Stmt> = v
            .fields
            .iter()
            .zip(dst.iter().zip(&src))
            .map(|(f, (d, s))| {
                copy_into(
                    &f.plan,
                    &Operand::Ref(syntax::name_expr(d)),
                    &Operand::Ref(syntax::name_expr(s)),
                    &mut names,
                )
            })
            .collect();
        if copies.is_empty() {
            if nothing_to_copy.is_empty() {
                arms.push(None);
            }
            nothing_to_copy.push(pair);
        } else {
            arms.push(Some(syntax::arm(pair, syntax::block_expr(copies))));
        }
    }
    let mut shared = Some(nothing_to_copy);
    let mut arms: Vec<syn::Arm> = arms
        .into_iter()
        .map(|arm| {
            arm.unwrap_or_else(|| {
                let cases = shared.take().unwrap_or_default();
                syntax::arm(syntax::or_pat(cases), syntax::block_expr(Vec::new()))
            })
        })
        .collect();
    // A value of another variant cannot be reused: replace it.
    if variants.len() > 1 {
        let (dst, src) = (syntax::ident("dst"), syntax::ident("src"));
        arms.push(syntax::arm(
            syntax::tuple_pat([syntax::name_pat(&dst), syntax::name_pat(&src)], false),
            syntax::assign(
                syntax::deref(syntax::name_expr(&dst)),
                clone_call(syntax::name_expr(&src)),
            ),
        ));
    }
    let scrutinee = syntax::tuple([self_expr(), syntax::name_expr(&syntax::ident("source"))]);
    vec![syntax::stmt(syntax::match_expr(scrutinee, arms))]
}

/// Fresh names for nested closure and tuple bindings.
#[derive(Default)]
struct Names(usize);

impl Names {
    fn next(&mut self, base: &str) -> syn::Ident {
        self.0 += 1;
        format_ident!("{base}{}", self.0)
    }
}

/// One side of a copy: a place (`self.spec`) or a reference binding (`d`).
enum Operand {
    Place(Expr),
    Ref(Expr),
}

impl Operand {
    /// As a method receiver: places and references both auto-(de)reference.
    fn receiver(&self) -> Expr {
        match self {
            Operand::Place(e) | Operand::Ref(e) => e.clone(),
        }
    }

    /// As a `&mut T` argument.
    fn by_mut(&self) -> Expr {
        match self {
            Operand::Place(e) => syntax::reference(e.clone(), true),
            Operand::Ref(e) => e.clone(),
        }
    }

    /// As a `&T` argument.
    fn by_ref(&self) -> Expr {
        match self {
            Operand::Place(e) => syntax::reference(e.clone(), false),
            Operand::Ref(e) => e.clone(),
        }
    }

    /// As a value of a `Copy` type.
    fn value(&self) -> Expr {
        match self {
            Operand::Place(e) => e.clone(),
            Operand::Ref(e) => syntax::deref(e.clone()),
        }
    }
}

/// `deepcopy::name`.
fn helper_path(name: &str) -> Expr {
    syntax::path_expr(syntax::path(false, &["deepcopy", name]))
}

/// The statement copying `src` into `dst`, reusing `dst`'s allocations.
fn copy_into(plan: &CopyPlan, dst: &Operand, src: &Operand, names: &mut Names) -> Stmt {
    let helper = |name: &str, inner: &CopyPlan, names: &mut Names| {
        let copier = copier(inner, names);
        syntax::stmt(syntax::call(
            helper_path(name),
            [dst.by_mut(), src.by_ref(), copier],
        ))
    };
    match plan {
        CopyPlan::Copy => syntax::stmt(syntax::assign(dst.value(), src.value())),
        CopyPlan::CloneFrom => syntax::stmt(syntax::method_call(
            dst.receiver(),
            "clone_from",
            [src.by_ref()],
        )),
        CopyPlan::ObjectMeta => syntax::stmt(syntax::call(
            helper_path("object_meta_clone_from"),
            [dst.by_mut(), src.by_ref()],
        )),
        CopyPlan::Vec(inner) => helper("vec_clone_from", inner, names),
        CopyPlan::Option(inner) => helper("option_clone_from", inner, names),
        CopyPlan::Box(inner) => helper("box_clone_from", inner, names),
        CopyPlan::BTreeMap(inner) => helper("btree_map_clone_from", inner, names),
        CopyPlan::HashMap(inner) => helper("hash_map_clone_from", inner, names),
        CopyPlan::Tuple(elems) => {
            let d: Vec<_> = elems.iter().map(|_| names.next("d")).collect();
            let s: Vec<_> = elems.iter().map(|_| names.next("s")).collect();
            let mut stmts = vec![
                syntax::let_stmt(
                    syntax::tuple_pat(d.iter().map(syntax::name_pat), true),
                    dst.by_mut(),
                ),
                syntax::let_stmt(
                    syntax::tuple_pat(s.iter().map(syntax::name_pat), true),
                    src.by_ref(),
                ),
            ];
            for (p, (d, s)) in elems.iter().zip(d.iter().zip(&s)) {
                stmts.push(copy_into(
                    p,
                    &Operand::Ref(syntax::name_expr(d)),
                    &Operand::Ref(syntax::name_expr(s)),
                    names,
                ));
            }
            syntax::stmt(syntax::block_expr(stmts))
        }
        CopyPlan::Array(inner) => {
            let (d, s) = (names.next("d"), names.next("s"));
            let copy = copy_into(
                inner,
                &Operand::Ref(syntax::name_expr(&d)),
                &Operand::Ref(syntax::name_expr(&s)),
                names,
            );
            let zip = syntax::call(
                syntax::path_expr(syntax::path(true, &["core", "iter", "zip"])),
                [dst.by_mut(), src.by_ref()],
            );
            let pair = syntax::tuple_pat([syntax::name_pat(&d), syntax::name_pat(&s)], false);
            syntax::stmt(syntax::for_loop(pair, zip, vec![copy]))
        }
    }
}

/// A function or closure `(&mut T, &T)` that copies one element by `plan`.
fn copier(plan: &CopyPlan, names: &mut Names) -> Expr {
    match plan {
        CopyPlan::CloneFrom => helper_path("clone_from"),
        CopyPlan::ObjectMeta => helper_path("object_meta_clone_from"),
        _ => {
            let (d, s) = (names.next("d"), names.next("s"));
            let copy = copy_into(
                plan,
                &Operand::Ref(syntax::name_expr(&d)),
                &Operand::Ref(syntax::name_expr(&s)),
                names,
            );
            syntax::closure(
                [syntax::name_pat(&d), syntax::name_pat(&s)],
                syntax::block_expr(vec![copy]),
            )
        }
    }
}

/// Whether the package's deep copies call `kube_codegen_runtime::deepcopy` helpers (then the
/// generated file imports that module).
pub fn uses_helpers(package: &Package) -> bool {
    package.types.iter().filter(|t| t.deepcopy).any(|t| {
        let fields: Vec<&Field> = match &t.shape {
            Shape::Struct(f) => f.iter().collect(),
            Shape::Enum(vs) => vs.iter().flat_map(|v| v.fields.iter()).collect(),
        };
        fields.iter().any(|f| !f.plan.is_direct())
    })
}
