//! Registration (register-gen's job): `GROUP`, `VERSION`, `API_VERSION`, the `RESOURCES` list,
//! and `kube_core::Resource` for every `+genclient` kind. Written into `zz_generated.rs`, so the
//! API crate needs only kube-core and k8s-openapi (through `kube_codegen_runtime`), no client.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::lifecycle::{Lifecycle, Release};
use crate::model::{ClientSpec, Package, Scope, TypeDef};

/// What a package's registration needs, as plain data: taken from the model on its thread (the
/// model's syn types cannot leave it) and turned into tokens on any formatting thread.
#[derive(Clone, Debug)]
pub struct Registration {
    group: String,
    version: String,
    api_version: String,
    kinds: Vec<Kind>,
}

/// One `+genclient` kind of a [`Registration`].
#[derive(Clone, Debug)]
pub(crate) struct Kind {
    /// The type's module path within the version module, then its name, as written (`r#…`).
    pub path: Vec<String>,
    pub kind: String,
    plural: String,
    singular: String,
    short_names: Vec<String>,
    scope: Scope,
    status: bool,
    scale: bool,
    served: bool,
    lifecycle: Option<Lifecycle>,
    crd: Option<String>,
    pub wire_fields: Vec<WireField>,
}

/// A field of a kind's JSON form (`crate::model::WireField`, its name as written).
#[derive(Clone, Debug)]
pub(crate) struct WireField {
    pub ident: String,
    pub name: String,
    pub optional: bool,
}

impl Kind {
    fn new(t: &TypeDef, c: &ClientSpec) -> Self {
        Kind {
            path: super::written_path(t),
            kind: c.kind.clone(),
            plural: c.plural.clone(),
            singular: c.singular.clone(),
            short_names: c.short_names.clone(),
            scope: c.scope,
            status: c.has_status,
            scale: c.has_scale(),
            served: c.is_served(),
            lifecycle: c.lifecycle.clone(),
            crd: c.crd.clone(),
            wire_fields: c
                .wire_fields
                .iter()
                .map(|f| WireField {
                    ident: f.ident.to_string(),
                    name: f.name.clone(),
                    optional: f.optional,
                })
                .collect(),
        }
    }

    /// `module::Type`, relative to the version module, as `super::type_path` spells it.
    pub(crate) fn type_path(&self) -> TokenStream {
        super::written_type_path(&self.path)
    }

    /// As `super::qualified_allow`: for types named through a submodule.
    pub(crate) fn qualified_allow(&self) -> Option<TokenStream> {
        super::written_qualified_allow(&self.path)
    }
}

impl Registration {
    /// The registration of a package with a `+groupName`; nothing otherwise.
    pub fn of(package: &Package) -> Option<Registration> {
        let (Some(group), Some(api_version)) = (&package.group, package.api_version()) else {
            return None;
        };
        Some(Registration {
            group: group.clone(),
            version: package.version.clone(),
            api_version,
            kinds: package
                .types
                .iter()
                .filter_map(|t| t.client.as_ref().map(|c| Kind::new(t, c)))
                .collect(),
        })
    }
}

/// The registration items of a package with a `+groupName`; nothing otherwise.
pub fn generate(registration: Option<&Registration>) -> TokenStream {
    let Some(Registration {
        group,
        version,
        api_version,
        kinds,
    }) = registration
    else {
        return TokenStream::new();
    };
    // A kind the target release removed is not registered; its type (and `Resource`) stay, so
    // old data can still be read.
    let infos = kinds.iter().filter(|k| k.served).map(resource_info);
    let impls = kinds.iter().map(resource_impl);
    let lifecycles = kinds.iter().filter_map(|k| {
        k.lifecycle
            .as_ref()
            .map(|l| lifecycle_impl(k, &lifecycle_value(l)))
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

fn resource_info(c: &Kind) -> TokenStream {
    let Kind {
        kind,
        plural,
        singular,
        short_names,
        status,
        scale,
        ..
    } = c;
    let namespaced = c.scope == Scope::Namespaced;
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
fn lifecycle_impl(t: &Kind, value: &TokenStream) -> TokenStream {
    let path = t.type_path();
    let allow = t.qualified_allow();
    quote! {
        #allow
        impl ::kube_codegen_runtime::lifecycle::ApiLifecycle for #path {
            const LIFECYCLE: ::kube_codegen_runtime::lifecycle::Lifecycle = #value;
        }
    }
}

fn resource_impl(c: &Kind) -> TokenStream {
    let path = c.type_path();
    let Kind { kind, plural, .. } = c;
    let scope = match c.scope {
        Scope::Namespaced => quote!(::kube_codegen_runtime::kube_core::NamespaceResourceScope),
        Scope::Cluster => quote!(::kube_codegen_runtime::kube_core::ClusterResourceScope),
    };
    let cow = quote!(::std::borrow::Cow<'_, str>);
    let meta =
        quote!(::kube_codegen_runtime::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta);
    let allow = c.qualified_allow();
    let wire = super::wire::generate(c);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(path: &[&str], wire: &[(&str, &str, bool)]) -> Kind {
        Kind {
            path: path.iter().map(ToString::to_string).collect(),
            kind: "Match".to_owned(),
            plural: "matches".to_owned(),
            singular: "match".to_owned(),
            short_names: Vec::new(),
            scope: Scope::Namespaced,
            status: false,
            scale: false,
            served: true,
            lifecycle: None,
            crd: None,
            wire_fields: wire
                .iter()
                .map(|(ident, name, optional)| WireField {
                    ident: (*ident).to_owned(),
                    name: (*name).to_owned(),
                    optional: *optional,
                })
                .collect(),
        }
    }

    #[test]
    fn names_as_written_become_the_same_tokens() {
        // The plain data keeps raw identifiers and submodules: the path and the fields print as
        // the model's syn identifiers did.
        let nested = kind(&["games", "r#Match"], &[("r#type", "type", false)]);
        assert_eq!(nested.type_path().to_string(), "games :: r#Match");
        assert!(nested.qualified_allow().is_some());
        let wire = crate::generate::wire::generate(&nested).to_string();
        assert!(wire.contains("r#type : & self . r#type"), "{wire}");
        let top = kind(&["Match"], &[]);
        assert_eq!(top.type_path().to_string(), "Match");
        assert!(top.qualified_allow().is_none());
    }
}
