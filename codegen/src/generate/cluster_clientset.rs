//! kcp's cluster-aware client-gen: a `ClusterClientset` beside the ordinary clientset, whose
//! `cluster(path)` is that clientset for one logical cluster and whose per-kind clients list
//! and watch every cluster at once. Those offer only list and watch (and only the ones the
//! kind's markers leave): kcp serves nothing else across clusters, so a write through the
//! wildcard does not compile.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::clientset::{
    accessor_name, across_verbs, api_method, clientset_struct, group_version_name,
    group_version_type, kind_path, watch_method,
};
use crate::model::clientset::Clientset;
use crate::model::{ClientSpec, Model, Package, TypeDef, Verb};

/// The whole cluster-aware clientset file, handed to `emit` in parts (the items before the group-version
/// modules, then each module) so that formatting starts while the rest is generated.
pub fn generate(model: &Model, clientset: &Clientset, emit: &mut dyn FnMut(TokenStream)) {
    let api_crate = &clientset.api_crate;
    let ordinary = ordinary_module(clientset);
    let packages: Vec<&Package> = clientset
        .packages
        .iter()
        .map(|&i| &model.packages[i])
        .filter(|p| !across_kinds(p).is_empty())
        .collect();
    let accessors = packages.iter().map(|p| group_version_accessor(p));
    let doc = format!(
        " kcp cluster-aware clients for the `+genclient` kinds of `{api_crate}`: one logical cluster with every verb, or every cluster with list and watch."
    );
    let clientset = clientset_struct(
        &format_ident!("ClusterClientset"),
        &[
            " The clients of every kcp logical cluster, from one `kube::Client` for the server's",
            " root (its URL must not already name a cluster with `/clusters/…`).",
            "",
            " `cluster(path)` is the ordinary `Clientset` of one cluster, with every verb; the",
            " group-version accessors list and watch across all clusters, each object naming its",
            " cluster (`kube_codegen_runtime::cluster::LogicalClusterExt::logical_cluster`).",
            " Cheap to clone.",
        ],
        quote! {
            /// The clientset of the logical cluster `path` (`ClusterPath::new("root:org:ws")?`):
            /// every kind and verb the ordinary clientset has, sharing this one's connections.
            /// Must be called inside a tokio runtime (as `kube::Client::new`).
            #[must_use]
            pub fn cluster(&self, path: &ClusterPath) -> super::#ordinary::Clientset {
                super::#ordinary::Clientset::with_config(
                    ::kube_codegen_runtime::cluster::scoped_client(&self.client, path),
                    self.config.clone(),
                )
            }

            #(#accessors)*
        },
    );
    let allow = super::clientset::errors_allow();
    emit(quote! {
        #![doc = #doc]
        #allow
        use ::kube_codegen_runtime::client::ClientsetConfig;
        use ::kube_codegen_runtime::cluster::ClusterPath;
        use ::kube_codegen_runtime::kube::Client;

        #clientset

        /// Cluster-aware informer factories accept a cluster-aware clientset.
        impl ::kube_codegen_runtime::client::AsClient for ClusterClientset {
            fn as_client(&self) -> &Client {
                &self.client
            }
        }
    });
    for p in &packages {
        emit(group_version_module(api_crate, p));
    }
}

/// The ordinary clientset's module, beside this file.
fn ordinary_module(clientset: &Clientset) -> syn::Ident {
    format_ident!("{}", clientset.beside.as_deref().unwrap_or("clientset"))
}

/// The kinds of `p` that can be read across clusters: those with list or watch.
fn across_kinds(p: &Package) -> Vec<(&TypeDef, &ClientSpec)> {
    p.types
        .iter()
        .filter_map(|t| t.client.as_ref().map(|c| (t, c)))
        .filter(|(_, c)| {
            (c.verbs.contains(&Verb::List) || c.verbs.contains(&Verb::Watch)) && c.is_served()
        })
        .collect()
}

fn group_version_client(p: &Package) -> syn::Ident {
    group_version_type(p, "ClusterClient")
}

fn group_version_accessor(p: &Package) -> TokenStream {
    let name = group_version_name(p);
    let client = group_version_client(p);
    let doc = format!(
        " Clients for `{}` across every logical cluster.",
        p.api_version().unwrap_or_default()
    );
    quote! {
        #[doc = #doc]
        #[must_use]
        pub fn #name(&self) -> #name::#client {
            #name::#client::new(self.client.clone(), self.config.clone())
        }
    }
}

// Alone in its module with the other kinds' `…ClusterClient`s: no two can share a name.
fn kind_client_name(t: &TypeDef) -> syn::Ident {
    format_ident!("{}ClusterClient", t.ident)
}

fn group_version_module(api_crate: &str, p: &Package) -> TokenStream {
    let name = group_version_name(p);
    let client = group_version_client(p);
    let kinds = across_kinds(p);
    let accessors = kinds.iter().map(|(t, c)| kind_accessor(t, c));
    let clients = kinds.iter().map(|(t, c)| kind_client(api_crate, t, c));
    let doc = format!(
        " Clients for `{}` across every logical cluster.",
        p.api_version().unwrap_or_default()
    );
    let client_name = client.to_string();
    quote! {
        #[doc = #doc]
        pub mod #name {
            use ::kube_codegen_runtime::client::{ClientsetConfig, ResourceClient};
            use ::kube_codegen_runtime::kube::Client;

            #[doc = #doc]
            #[derive(Clone)]
            pub struct #client {
                client: Client,
                config: ClientsetConfig,
            }

            impl ::core::fmt::Debug for #client {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    f.debug_struct(#client_name).field("config", &self.config).finish_non_exhaustive()
                }
            }

            impl #client {
                /// `client` addresses the server's root.
                #[must_use]
                pub fn new(client: Client, config: ClientsetConfig) -> Self {
                    Self { client, config }
                }

                #(#accessors)*
            }

            #(#clients)*
        }
    }
}

fn kind_accessor(t: &TypeDef, c: &ClientSpec) -> TokenStream {
    let accessor = accessor_name(c);
    let client = kind_client_name(t);
    let doc = format!(
        " `{}` objects of every logical cluster{} ({}). Must be called inside a tokio runtime.",
        c.kind,
        match c.scope {
            crate::model::Scope::Namespaced => " and namespace",
            crate::model::Scope::Cluster => "",
        },
        across_verbs(c)
    );
    let deprecated = super::clientset::deprecated(c);
    quote! {
        #[doc = #doc]
        #deprecated
        #[must_use]
        pub fn #accessor(&self) -> #client {
            #client {
                inner: ResourceClient::all_clusters(self.client.clone(), self.config.clone()),
            }
        }
    }
}

fn kind_client(api_crate: &str, t: &TypeDef, c: &ClientSpec) -> TokenStream {
    let name = kind_client_name(t);
    let kind = kind_path(api_crate, t);
    let list = c.verbs.contains(&Verb::List).then(|| {
        quote! {
            /// Lists the objects of every logical cluster (retried like every read); each
            /// names its cluster in its `kcp.io/cluster` annotation.
            pub async fn list(
                &self,
                params: &::kube_codegen_runtime::kube::api::ListParams,
            ) -> ::core::result::Result<
                ::kube_codegen_runtime::kube::core::ObjectList<#kind>,
                ::kube_codegen_runtime::kube::Error,
            > {
                self.inner.list(params).await
            }
        }
    });
    let watch = c.verbs.contains(&Verb::Watch).then(|| watch_method(&kind));
    let api = api_method(
        c,
        &kind,
        "every logical cluster",
        "of which kcp serves list and watch here",
    );
    let doc = format!(
        " `{}` objects across every logical cluster: {} only.",
        c.kind,
        across_verbs(c)
    );
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct #name {
            inner: ::kube_codegen_runtime::client::AllClustersClient<#kind>,
        }

        impl #name {
            #list
            #watch
            #api
        }
    }
}
