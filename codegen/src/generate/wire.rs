//! The JSON form of a `+genclient` kind: `apiVersion` and `kind` first, then the fields in
//! camelCase, `None` options omitted (as kube-derive and k8s-openapi write objects). The impls go
//! through private generic `Wire` structs, so they never need to name the field types.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::register::Kind;
use super::syntax::written_ident as ident;

pub(crate) fn generate(c: &Kind) -> TokenStream {
    let path = c.type_path();
    let serialize = serialize(&path, c);
    let deserialize = deserialize(&path, c);
    let allow = c.qualified_allow();
    quote! {
        #allow
        #serialize
        #allow
        #deserialize
    }
}

fn serialize(path: &TokenStream, c: &Kind) -> TokenStream {
    let kind = &c.kind;
    let params: Vec<_> = (0..c.wire_fields.len())
        .map(|i| format_ident!("T{i}"))
        .collect();
    let fields = c.wire_fields.iter().zip(&params).map(|(f, p)| {
        let (ident, name) = (ident(&f.ident), &f.name);
        if f.optional {
            quote! {
                #[serde(rename = #name, skip_serializing_if = "::core::option::Option::is_none")]
                #ident: ::core::option::Option<&'a #p>,
            }
        } else {
            quote! {
                #[serde(rename = #name)]
                #ident: &'a #p,
            }
        }
    });
    let values = c.wire_fields.iter().map(|f| {
        let ident = ident(&f.ident);
        if f.optional {
            quote!(#ident: self.#ident.as_ref())
        } else {
            quote!(#ident: &self.#ident)
        }
    });
    quote! {
        impl ::kube_codegen_runtime::serde::Serialize for #path {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: ::kube_codegen_runtime::serde::Serializer,
            {
                #[derive(::kube_codegen_runtime::serde::Serialize)]
                #[serde(crate = "::kube_codegen_runtime::serde")]
                struct Wire<'a, #(#params),*> {
                    #[serde(rename = "apiVersion")]
                    api_version: &'static str,
                    kind: &'static str,
                    #(#fields)*
                }
                ::kube_codegen_runtime::serde::Serialize::serialize(
                    &Wire {
                        api_version: API_VERSION,
                        kind: #kind,
                        #(#values),*
                    },
                    serializer,
                )
            }
        }
    }
}

fn deserialize(path: &TokenStream, c: &Kind) -> TokenStream {
    let params: Vec<_> = (0..c.wire_fields.len())
        .map(|i| format_ident!("T{i}"))
        .collect();
    let fields = c.wire_fields.iter().zip(&params).map(|(f, p)| {
        let (ident, name) = (ident(&f.ident), &f.name);
        // Options may be absent; so may `metadata` (a fresh object has none yet).
        if f.optional || ident == "metadata" {
            quote!(#[serde(rename = #name, default)] #ident: #p,)
        } else {
            quote!(#[serde(rename = #name)] #ident: #p,)
        }
    });
    let idents: Vec<_> = c.wire_fields.iter().map(|f| ident(&f.ident)).collect();
    let holes = params.iter().map(|_| quote!(_));
    let kind = &c.kind;
    quote! {
        impl<'de> ::kube_codegen_runtime::serde::Deserialize<'de> for #path {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: ::kube_codegen_runtime::serde::Deserializer<'de>,
            {
                // `apiVersion` and `kind` may be absent (a body built by hand), but when given
                // they must name this kind: a `Pod` is not read as another kind.
                #[derive(::kube_codegen_runtime::serde::Deserialize)]
                #[serde(crate = "::kube_codegen_runtime::serde")]
                struct Wire<#(#params),*> {
                    #[serde(rename = "apiVersion", default)]
                    sent_api_version: ::core::option::Option<::std::string::String>,
                    #[serde(rename = "kind", default)]
                    sent_kind: ::core::option::Option<::std::string::String>,
                    #(#fields)*
                }
                let wire: Wire<#(#holes),*> =
                    ::kube_codegen_runtime::serde::Deserialize::deserialize(deserializer)?;
                ::kube_codegen_runtime::wire::check_type_meta::<D::Error>(
                    wire.sent_api_version.as_deref(),
                    wire.sent_kind.as_deref(),
                    API_VERSION,
                    #kind,
                )?;
                ::core::result::Result::Ok(Self {
                    #(#idents: wire.#idents),*
                })
            }
        }
    }
}
