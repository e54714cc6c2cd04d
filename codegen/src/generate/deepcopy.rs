//! Deep copy: `impl Clone` whose `clone_from` reuses the destination's allocations all the way
//! down, and the type-erased `kube_codegen_runtime::Object` on request.
//!
//! The impls are built as syntax trees (see `syntax`), not quoted and parsed again: their
//! bodies are most of a package's output. Only each impl's header, a few tokens, is parsed,
//! so generics and paths come out exactly as the parser gives them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Expr, Member, Pat, Stmt};

use super::{qualified_allow, syntax, type_path};
use crate::model::{CopyPlan, Fields, Package, Shape, TypeDef};

/// What a package's deep copies need, as plain data: taken from the model on its thread (the
/// model's syn types cannot leave it), built as syntax trees and printed on any.
#[derive(Clone, Debug)]
pub struct DeepCopies {
    types: Vec<CopyType>,
}

/// One opted-in type of [`DeepCopies`].
#[derive(Clone, Debug)]
struct CopyType {
    /// The type's module path within the version module, then its name, as written.
    path: Vec<String>,
    /// The `impl Clone` header of a type with generics or a where clause, as text (built from
    /// the model's generics); `None` for the common type without, whose header is shared.
    generic_header: Option<String>,
    /// `impl Object`, as text, when the type asks for it.
    object_impl: Option<String>,
    shape: CopyShape,
}

#[derive(Clone, Debug)]
enum CopyShape {
    Struct(CopyFields),
    Enum(Vec<CopyVariant>),
}

#[derive(Clone, Debug)]
struct CopyVariant {
    ident: String,
    fields: CopyFields,
}

#[derive(Clone, Debug)]
enum CopyFields {
    Named(Vec<CopyField>),
    Unnamed(Vec<CopyField>),
    Unit,
}

impl CopyFields {
    fn of(fields: &Fields) -> Self {
        let plain = |fields: &[crate::model::Field]| {
            fields
                .iter()
                .map(|f| CopyField {
                    ident: f.ident.as_ref().map(ToString::to_string),
                    plan: f.plan.clone(),
                })
                .collect()
        };
        match fields {
            Fields::Named(named) => CopyFields::Named(plain(named)),
            Fields::Unnamed(unnamed) => CopyFields::Unnamed(plain(unnamed)),
            Fields::Unit => CopyFields::Unit,
        }
    }

    fn iter(&self) -> std::slice::Iter<'_, CopyField> {
        match self {
            CopyFields::Named(f) | CopyFields::Unnamed(f) => f.iter(),
            CopyFields::Unit => [].iter(),
        }
    }
}

#[derive(Clone, Debug)]
struct CopyField {
    /// As written (`r#type`); `None` for tuple fields.
    ident: Option<String>,
    plan: CopyPlan,
}

impl CopyField {
    /// `self.<this>`: the field's name, or its index.
    fn member(&self, index: usize) -> Member {
        let name = self.ident.as_deref().map(syntax::written_ident);
        syntax::member(name.as_ref(), index)
    }
}

impl DeepCopies {
    /// The deep copies of every opted-in type of `package`.
    pub fn of(package: &Package) -> Self {
        let types = package
            .types
            .iter()
            .filter(|t| t.deepcopy)
            .map(|t| {
                let shape = match &t.shape {
                    Shape::Struct(fields) => CopyShape::Struct(CopyFields::of(fields)),
                    Shape::Enum(variants) => CopyShape::Enum(
                        variants
                            .iter()
                            .map(|v| CopyVariant {
                                ident: v.ident.to_string(),
                                fields: CopyFields::of(&v.fields),
                            })
                            .collect(),
                    ),
                };
                let generic = !t.generics.params.is_empty() || t.generics.where_clause.is_some();
                CopyType {
                    path: super::written_path(t),
                    generic_header: generic
                        .then(|| header_tokens(t, reads_source(&shape)).to_string()),
                    object_impl: t.object_interface.then(|| object_impl(t).to_string()),
                    shape,
                }
            })
            .collect();
        DeepCopies { types }
    }

    /// The deep-copy impls, or what failed to parse (a bug).
    pub fn generate(&self) -> Result<Vec<syn::Item>, String> {
        let mut items = Vec::new();
        let mut headers = Headers::default();
        for t in &self.types {
            items.push(syn::Item::Impl(clone_impl(t, &mut headers)?));
            if let Some(object_impl) = &t.object_impl {
                items.push(syn::parse_str(object_impl).map_err(|e| e.to_string())?);
            }
        }
        Ok(items)
    }
}

/// Whether `clone_from` reads its `source` (it does not when there is nothing to copy).
fn reads_source(shape: &CopyShape) -> bool {
    match shape {
        CopyShape::Struct(fields) => fields.iter().next().is_some(),
        CopyShape::Enum(variants) => !variants.is_empty(),
    }
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

fn clone_impl(t: &CopyType, headers: &mut Headers) -> Result<syn::ItemImpl, String> {
    let (clone_body, clone_from_body) = match &t.shape {
        CopyShape::Struct(fields) => (struct_clone(fields), struct_clone_from(fields)),
        CopyShape::Enum(variants) => (enum_clone(variants), enum_clone_from(variants)),
    };
    let mut item = headers.header(t, reads_source(&t.shape))?;
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
    fn header(&mut self, t: &CopyType, reads_source: bool) -> Result<syn::ItemImpl, String> {
        if let Some(header) = &t.generic_header {
            return syn::parse_str(header).map_err(|e| e.to_string());
        }
        let slot = &mut self.plain[usize::from(reads_source)];
        let mut item = match slot {
            Some(prototype) => prototype.clone(),
            None => slot.insert(parse_plain_header(reads_source)?).clone(),
        };
        let path = syn::Path {
            leading_colon: None,
            segments: t
                .path
                .iter()
                .map(|segment| syn::PathSegment::from(syntax::written_ident(segment)))
                .collect(),
        };
        *item.self_ty = syn::Type::Path(syn::TypePath {
            attrs: Vec::new(),
            qself: None,
            path,
        });
        item.attrs.clear();
        if let Some(allow) = super::written_qualified_allow(&t.path) {
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

/// The header of a type without generics, for a placeholder type the caller replaces.
fn parse_plain_header(reads_source: bool) -> Result<syn::ItemImpl, String> {
    syn::parse2(clone_header(
        None,
        &quote!(X),
        &TokenStream::new(),
        &TokenStream::new(),
        &TokenStream::new(),
        reads_source,
    ))
    .map_err(|e| e.to_string())
}

/// The header of `t`'s `impl Clone`, with empty bodies.
fn header_tokens(t: &TypeDef, reads_source: bool) -> TokenStream {
    let generics = bounded_generics(t, &[clone_bound()]);
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    let (_, ty_generics, _) = t.generics.split_for_impl();
    clone_header(
        qualified_allow(t),
        &type_path(t),
        &quote!(#impl_generics),
        &quote!(#ty_generics),
        &quote!(#where_clause),
        reads_source,
    )
}

fn clone_header(
    allow: Option<TokenStream>,
    path: &TokenStream,
    impl_generics: &TokenStream,
    ty_generics: &TokenStream,
    where_clause: &TokenStream,
    reads_source: bool,
) -> TokenStream {
    let source = if reads_source {
        quote!(source)
    } else {
        quote!(_source)
    };
    quote! {
        #allow
        impl #impl_generics Clone for #path #ty_generics #where_clause {
            #[inline]
            fn clone(&self) -> Self {}

            fn clone_from(&mut self, #source: &Self) {}
        }
    }
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
fn clone_value(field: &CopyField, src: Expr) -> Expr {
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
fn clone_field(field: &CopyField, m: Member) -> Expr {
    let place = syntax::field(self_expr(), m);
    match field.plan {
        CopyPlan::Copy => place,
        _ => clone_call(syntax::reference(place, false)),
    }
}

fn struct_clone(fields: &CopyFields) -> Expr {
    let values = fields
        .iter()
        .enumerate()
        .map(|(i, f)| clone_field(f, f.member(i)));
    construct(syntax::path(false, &["Self"]), fields, values)
}

/// The members of named fields, in order.
fn members(named: &[CopyField]) -> impl Iterator<Item = Member> + '_ {
    named.iter().enumerate().map(|(i, f)| f.member(i))
}

/// `path { a: va, .. }` / `path(v0, ..)` / `path`: a value of `fields`' shape.
fn construct(path: syn::Path, fields: &CopyFields, values: impl Iterator<Item = Expr>) -> Expr {
    match fields {
        CopyFields::Named(named) => syntax::struct_expr(path, members(named).zip(values)),
        CopyFields::Unnamed(_) => syntax::call(syntax::path_expr(path), values),
        CopyFields::Unit => syntax::path_expr(path),
    }
}

fn struct_clone_from(fields: &CopyFields) -> Vec<Stmt> {
    let mut names = Names::default();
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let m = f.member(i);
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
fn bindings(fields: &CopyFields, prefix: &str) -> Vec<syn::Ident> {
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| match &f.ident {
            Some(ident) => {
                let unraw = ident.strip_prefix("r#").unwrap_or(ident);
                format_ident!("{prefix}_{unraw}")
            }
            None => format_ident!("{prefix}_{i}"),
        })
        .collect()
}

/// `Self::V`.
fn variant_path(ident: &str) -> syn::Path {
    syntax::path_to(&["Self"], &syntax::written_ident(ident))
}

/// The pattern `Self::V { a: dst_a, .. }` / `Self::V(dst_0, ..)` / `Self::V`.
fn variant_pattern(ident: &str, fields: &CopyFields, names: &[syn::Ident]) -> Pat {
    let path = variant_path(ident);
    let bound = names.iter().map(syntax::name_pat);
    match fields {
        CopyFields::Named(named) => syntax::struct_pat(path, members(named).zip(bound)),
        CopyFields::Unnamed(_) => syntax::tuple_struct_pat(path, bound),
        CopyFields::Unit => syntax::path_pat(path),
    }
}

fn enum_clone(variants: &[CopyVariant]) -> Expr {
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

fn enum_clone_from(variants: &[CopyVariant]) -> Vec<Stmt> {
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
        let fields: Vec<&crate::model::Field> = match &t.shape {
            Shape::Struct(f) => f.iter().collect(),
            Shape::Enum(vs) => vs.iter().flat_map(|v| v.fields.iter()).collect(),
        };
        fields.iter().any(|f| !f.plan.is_direct())
    })
}
