//! Registration (register-gen's job): `GROUP`, `VERSION`, `API_VERSION`, the `RESOURCES` list,
//! and `kube_core::Resource` for every `+genclient` kind. Written into `zz_generated.rs`, so the
//! API crate needs only kube-core and k8s-openapi (through `kube_codegen_runtime`), no client.

use proc_macro2::TokenStream;
use quote::quote;

use super::{qualified_allow, type_path};
use crate::model::lifecycle::{Lifecycle, Release};
use crate::model::{ClientSpec, Package, Scope, TypeDef};

/// The registration items of a package with a `+groupName`; nothing otherwise.
pub fn generate(package: &Package) -> TokenStream {
    let (Some(group), Some(api_version)) = (&package.group, package.api_version()) else {
        return TokenStream::new();
    };
    let version = &package.version;
    let kinds: Vec<(&TypeDef, &ClientSpec)> = package
        .types
        .iter()
        .filter_map(|t| t.client.as_ref().map(|c| (t, c)))
        .collect();
    // A kind the target release removed is not registered; its type (and `Resource`) stay, so
    // old data can still be read.
    let infos = kinds
        .iter()
        .filter(|(_, c)| c.is_served())
        .map(|(_, c)| resource_info(c));
    let impls = kinds.iter().map(|(t, c)| resource_impl(t, c));
    let lifecycles = kinds.iter().filter_map(|(t, c)| {
        c.lifecycle
            .as_ref()
            .map(|l| lifecycle_impl(t, &lifecycle_value(l)))
    });
    let group_doc = if group.is_empty() {
        " The API group: the core group.".to_owned()
    } else {
        format!(" The API group `{group}`.")
    };
    quote! {
        #[doc = #group_doc]
        pub const GROUP: &str = #group;
        /// The API version within the group.
        pub const VERSION: &str = #version;
        /// `apiVersion` of this group-version's objects.
        pub const API_VERSION: &str = #api_version;
        /// The kinds this group-version serves, to register with an API server and look up by
        /// plural name.
        pub const RESOURCES: &[::kube_codegen_runtime::ResourceInfo] = &[#(#infos),*];
        #(#impls)*
        #(#lifecycles)*
    }
}

fn resource_info(c: &ClientSpec) -> TokenStream {
    let ClientSpec {
        kind,
        plural,
        singular,
        short_names,
        ..
    } = c;
    let namespaced = c.scope == Scope::Namespaced;
    let status = c.has_status;
    let scale = c.has_scale();
    let lifecycle = match &c.lifecycle {
        Some(l) => {
            let value = lifecycle_value(l);
            quote!(::core::option::Option::Some(#value))
        }
        None => quote!(::core::option::Option::None),
    };
    let crd = match &c.crd {
        Some(path) => quote!(::core::option::Option::Some(::core::include_str!(#path))),
        None => quote!(::core::option::Option::None),
    };
    quote! {
        ::kube_codegen_runtime::ResourceInfo {
            group: GROUP,
            version: VERSION,
            kind: #kind,
            plural: #plural,
            singular: #singular,
            namespaced: #namespaced,
            status: #status,
            scale: #scale,
            short_names: &[#(#short_names),*],
            lifecycle: #lifecycle,
            crd: #crd,
        }
    }
}

/// The runtime's `Lifecycle` value of `l`.
fn lifecycle_value(l: &Lifecycle) -> TokenStream {
    let release = |r: &Release| {
        let major = proc_macro2::Literal::u16_unsuffixed(r.major);
        let minor = proc_macro2::Literal::u16_unsuffixed(r.minor);
        quote!(::kube_codegen_runtime::lifecycle::KubeRelease::new(#major, #minor))
    };
    let (introduced, deprecated, removed) = (
        release(&l.introduced),
        release(&l.deprecated),
        release(&l.removed),
    );
    let replacement = match &l.replacement {
        Some((gvk, _)) => {
            let (group, version, kind) = (&gvk.group, &gvk.version, &gvk.kind);
            quote!(::core::option::Option::Some(::kube_codegen_runtime::lifecycle::Replacement {
                group: #group,
                version: #version,
                kind: #kind,
            }))
        }
        None => quote!(::core::option::Option::None),
    };
    quote! {
        ::kube_codegen_runtime::lifecycle::Lifecycle {
            introduced: #introduced,
            deprecated: #deprecated,
            removed: #removed,
            replacement: #replacement,
        }
    }
}

/// `ApiLifecycle` for a kind (prerelease-lifecycle-gen's `APILifecycle…` methods).
fn lifecycle_impl(t: &TypeDef, value: &TokenStream) -> TokenStream {
    let path = type_path(t);
    let allow = qualified_allow(t);
    quote! {
        #allow
        impl ::kube_codegen_runtime::lifecycle::ApiLifecycle for #path {
            const LIFECYCLE: ::kube_codegen_runtime::lifecycle::Lifecycle = #value;
        }
    }
}

fn resource_impl(t: &TypeDef, c: &ClientSpec) -> TokenStream {
    let path = type_path(t);
    let ClientSpec { kind, plural, .. } = c;
    let scope = match c.scope {
        Scope::Namespaced => quote!(::kube_codegen_runtime::kube_core::NamespaceResourceScope),
        Scope::Cluster => quote!(::kube_codegen_runtime::kube_core::ClusterResourceScope),
    };
    let cow = quote!(::std::borrow::Cow<'_, str>);
    let meta =
        quote!(::kube_codegen_runtime::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta);
    let allow = qualified_allow(t);
    let wire = super::wire::generate(t, c);
    quote! {
        #allow
        impl ::kube_codegen_runtime::kube_core::Resource for #path {
            type DynamicType = ();
            type Scope = #scope;

            fn kind((): &()) -> #cow {
                ::std::borrow::Cow::Borrowed(#kind)
            }

            fn group((): &()) -> #cow {
                ::std::borrow::Cow::Borrowed(GROUP)
            }

            fn version((): &()) -> #cow {
                ::std::borrow::Cow::Borrowed(VERSION)
            }

            fn api_version((): &()) -> #cow {
                ::std::borrow::Cow::Borrowed(API_VERSION)
            }

            fn plural((): &()) -> #cow {
                ::std::borrow::Cow::Borrowed(#plural)
            }

            fn meta(&self) -> &#meta {
                &self.metadata
            }

            fn meta_mut(&mut self) -> &mut #meta {
                &mut self.metadata
            }
        }
        #wire
    }
}
