//! Deep copy: `impl Clone` whose `clone_from` reuses the destination's allocations all the way
//! down, and the type-erased `kube_codegen_runtime::Object` on request.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::ext::IdentExt;

use super::{qualified_allow, type_path};
use crate::model::{CopyPlan, Field, Fields, Package, Shape, TypeDef};

/// The deep-copy impls of every opted-in type of `package`.
pub fn generate(package: &Package) -> TokenStream {
    package
        .types
        .iter()
        .filter(|t| t.deepcopy)
        .map(|t| {
            let clone = clone_impl(t);
            let object = t.object_interface.then(|| object_impl(t));
            quote! { #clone #object }
        })
        .collect()
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

fn clone_impl(t: &TypeDef) -> TokenStream {
    let generics = bounded_generics(t, &[clone_bound()]);
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    let (_, ty_generics, _) = t.generics.split_for_impl();
    let path = type_path(t);
    let (clone_body, clone_from_body) = match &t.shape {
        Shape::Struct(fields) => (struct_clone(fields), struct_clone_from(fields)),
        Shape::Enum(variants) => (enum_clone(variants), enum_clone_from(variants)),
    };
    let reads_source = match &t.shape {
        Shape::Struct(fields) => fields.iter().next().is_some(),
        Shape::Enum(variants) => !variants.is_empty(),
    };
    let source = if reads_source {
        quote!(source)
    } else {
        quote!(_source)
    };
    let allow = qualified_allow(t);
    quote! {
        #allow
        impl #impl_generics Clone for #path #ty_generics #where_clause {
            #[inline]
            fn clone(&self) -> Self {
                #clone_body
            }

            fn clone_from(&mut self, #source: &Self) {
                #clone_from_body
            }
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
fn clone_value(field: &Field, src: TokenStream) -> TokenStream {
    match field.plan {
        CopyPlan::Copy => quote!(*#src),
        _ => quote!(Clone::clone(#src)),
    }
}

/// A copy of the field `self.#m` (a place, not a reference).
fn clone_field(field: &Field, m: &TokenStream) -> TokenStream {
    match field.plan {
        CopyPlan::Copy => quote!(self.#m),
        _ => quote!(Clone::clone(&self.#m)),
    }
}

fn member(index: usize, field: &Field) -> TokenStream {
    match &field.ident {
        Some(ident) => quote!(#ident),
        None => {
            let index = syn::Index::from(index);
            quote!(#index)
        }
    }
}

fn struct_clone(fields: &Fields) -> TokenStream {
    let values = fields
        .iter()
        .enumerate()
        .map(|(i, f)| clone_field(f, &member(i, f)));
    match fields {
        Fields::Named(named) => {
            let names = named.iter().map(|f| &f.ident);
            quote!(Self { #(#names: #values),* })
        }
        Fields::Unnamed(_) => quote!(Self(#(#values),*)),
        Fields::Unit => quote!(Self),
    }
}

fn struct_clone_from(fields: &Fields) -> TokenStream {
    let mut names = Names::default();
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let m = member(i, f);
            copy_into(
                &f.plan,
                Operand::Place(quote!(self.#m)),
                Operand::Place(quote!(source.#m)),
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

/// The pattern `Self::V { a: dst_a, .. }` / `Self::V(dst_0, ..)` / `Self::V`.
fn variant_pattern(ident: &syn::Ident, fields: &Fields, names: &[syn::Ident]) -> TokenStream {
    match fields {
        Fields::Named(named) => {
            let members = named.iter().map(|f| &f.ident);
            quote!(Self::#ident { #(#members: #names),* })
        }
        Fields::Unnamed(_) => quote!(Self::#ident(#(#names),*)),
        Fields::Unit => quote!(Self::#ident),
    }
}

fn enum_clone(variants: &[crate::model::Variant]) -> TokenStream {
    if variants.is_empty() {
        return quote!(match *self {});
    }
    let arms = variants.iter().map(|v| {
        let src = bindings(&v.fields, "src");
        let pattern = variant_pattern(&v.ident, &v.fields, &src);
        let values: Vec<TokenStream> = v
            .fields
            .iter()
            .zip(&src)
            .map(|(f, s)| clone_value(f, quote!(#s)))
            .collect();
        let ident = &v.ident;
        let built = match &v.fields {
            Fields::Named(named) => {
                let members = named.iter().map(|f| &f.ident);
                quote!(Self::#ident { #(#members: #values),* })
            }
            Fields::Unnamed(_) => quote!(Self::#ident(#(#values),*)),
            Fields::Unit => quote!(Self::#ident),
        };
        quote!(#pattern => #built,)
    });
    quote!(match self { #(#arms)* })
}

fn enum_clone_from(variants: &[crate::model::Variant]) -> TokenStream {
    if variants.is_empty() {
        return quote!(match *self {});
    }
    // Variants with nothing to copy (unit ones) share one arm: same body, one or-pattern.
    let mut nothing_to_copy = Vec::new();
    let mut arms = Vec::new();
    for v in variants {
        let dst = bindings(&v.fields, "dst");
        let src = bindings(&v.fields, "src");
        let dst_pattern = variant_pattern(&v.ident, &v.fields, &dst);
        let src_pattern = variant_pattern(&v.ident, &v.fields, &src);
        let mut names = Names::default();
        let copies: TokenStream = v
            .fields
            .iter()
            .zip(dst.iter().zip(&src))
            .map(|(f, (d, s))| {
                copy_into(
                    &f.plan,
                    Operand::Ref(quote!(#d)),
                    Operand::Ref(quote!(#s)),
                    &mut names,
                )
            })
            .collect();
        if copies.is_empty() {
            if nothing_to_copy.is_empty() {
                arms.push(None);
            }
            nothing_to_copy.push(quote!((#dst_pattern, #src_pattern)));
        } else {
            arms.push(Some(quote!((#dst_pattern, #src_pattern) => { #copies })));
        }
    }
    let arms = arms
        .into_iter()
        .map(|arm| arm.unwrap_or_else(|| quote!(#(#nothing_to_copy)|* => {})));
    // A value of another variant cannot be reused: replace it.
    let fallback = (variants.len() > 1).then(|| quote!((dst, src) => *dst = Clone::clone(src),));
    quote! {
        match (self, source) {
            #(#arms)*
            #fallback
        }
    }
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
    Place(TokenStream),
    Ref(TokenStream),
}

impl Operand {
    /// As a method receiver: places and references both auto-(de)reference.
    fn receiver(&self) -> &TokenStream {
        match self {
            Operand::Place(t) | Operand::Ref(t) => t,
        }
    }

    /// As a `&mut T` argument.
    fn by_mut(&self) -> TokenStream {
        match self {
            Operand::Place(t) => quote!(&mut #t),
            Operand::Ref(t) => t.clone(),
        }
    }

    /// As a `&T` argument.
    fn by_ref(&self) -> TokenStream {
        match self {
            Operand::Place(t) => quote!(&#t),
            Operand::Ref(t) => t.clone(),
        }
    }

    /// As a value of a `Copy` type.
    fn value(&self) -> TokenStream {
        match self {
            Operand::Place(t) => t.clone(),
            Operand::Ref(t) => quote!(*#t),
        }
    }
}

/// Statements copying `src` into `dst`, reusing `dst`'s allocations.
fn copy_into(plan: &CopyPlan, dst: Operand, src: Operand, names: &mut Names) -> TokenStream {
    let (dst_mut, src_ref) = (dst.by_mut(), src.by_ref());
    let helper = |name: &str, inner: &CopyPlan, names: &mut Names| {
        let function = format_ident!("{name}");
        let copier = copier(inner, names);
        quote!(deepcopy::#function(#dst_mut, #src_ref, #copier);)
    };
    match plan {
        CopyPlan::Copy => {
            let (d, s) = (dst.value(), src.value());
            quote!(#d = #s;)
        }
        CopyPlan::CloneFrom => {
            let receiver = dst.receiver();
            quote!(#receiver.clone_from(#src_ref);)
        }
        CopyPlan::ObjectMeta => quote!(deepcopy::object_meta_clone_from(#dst_mut, #src_ref);),
        CopyPlan::Vec(inner) => helper("vec_clone_from", inner, names),
        CopyPlan::Option(inner) => helper("option_clone_from", inner, names),
        CopyPlan::Box(inner) => helper("box_clone_from", inner, names),
        CopyPlan::BTreeMap(inner) => helper("btree_map_clone_from", inner, names),
        CopyPlan::HashMap(inner) => helper("hash_map_clone_from", inner, names),
        CopyPlan::Tuple(elems) => {
            let d: Vec<_> = elems.iter().map(|_| names.next("d")).collect();
            let s: Vec<_> = elems.iter().map(|_| names.next("s")).collect();
            let copies: Vec<TokenStream> = elems
                .iter()
                .zip(d.iter().zip(&s))
                .map(|(p, (d, s))| {
                    copy_into(p, Operand::Ref(quote!(#d)), Operand::Ref(quote!(#s)), names)
                })
                .collect();
            quote!({
                let (#(#d,)*) = #dst_mut;
                let (#(#s,)*) = #src_ref;
                #(#copies)*
            })
        }
        CopyPlan::Array(inner) => {
            let (d, s) = (names.next("d"), names.next("s"));
            let copy = copy_into(
                inner,
                Operand::Ref(quote!(#d)),
                Operand::Ref(quote!(#s)),
                names,
            );
            quote!(for (#d, #s) in ::core::iter::zip(#dst_mut, #src_ref) { #copy })
        }
    }
}

/// A function or closure `(&mut T, &T)` that copies one element by `plan`.
fn copier(plan: &CopyPlan, names: &mut Names) -> TokenStream {
    match plan {
        CopyPlan::CloneFrom => quote!(deepcopy::clone_from),
        CopyPlan::ObjectMeta => quote!(deepcopy::object_meta_clone_from),
        _ => {
            let (d, s) = (names.next("d"), names.next("s"));
            let copy = copy_into(
                plan,
                Operand::Ref(quote!(#d)),
                Operand::Ref(quote!(#s)),
                names,
            );
            quote!(|#d, #s| { #copy })
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
