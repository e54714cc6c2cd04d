//! kcp's cluster-aware lister-gen and informer-gen: a `ClusterInformerFactory` beside the
//! ordinary informers, one watch per kind across every logical cluster, listers that answer per
//! cluster in O(result), and `cluster(path)` views that are the ordinary `InformerFactory` and
//! listers of one cluster, sharing the same caches.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::clientset::{accessor_name, group_version_name, group_version_type, kind_path};
use super::informers::factory_lifecycle;
use crate::model::clientset::Clientset;
use crate::model::{ClientSpec, Model, Package, TypeDef};

/// The whole cluster-aware informers file, handed to `emit` in parts (the items before the group-version
/// modules, then each module) so that formatting starts while the rest is generated.
pub fn generate(model: &Model, informers: &Clientset, emit: &mut dyn FnMut(TokenStream)) {
    let api_crate = &informers.api_crate;
    let ordinary = format_ident!("{}", informers.beside.as_deref().unwrap_or("informers"));
    let packages: Vec<&Package> = informers
        .packages
        .iter()
        .map(|&i| &model.packages[i])
        .collect();
    let accessors = packages.iter().map(|p| group_version_accessor(p));
    let doc = format!(
        " kcp cluster-aware listers and shared informers for the `+genclient` kinds of `{api_crate}` that can be listed and watched."
    );
    let rt = runtime();
    let lifecycle = factory_lifecycle();
    emit(quote! {
        #![doc = #doc]
        use ::kube_codegen_runtime::cluster::ClusterPath;
        use ::kube_codegen_runtime::informer::SyncReport;

        /// Informers across every kcp logical cluster: one watch per kind (`/clusters/*/`),
        /// one cache keyed `<cluster>|<namespace>/<name>`, shared by every consumer.
        ///
        /// `cluster(path)` is the ordinary `InformerFactory` of one cluster over the same
        /// informers and caches (no second watch): its listers see only that cluster.
        #[derive(Clone, Debug)]
        pub struct ClusterInformerFactory {
            factory: #rt::ClusterInformerFactory,
        }

        impl ClusterInformerFactory {
            /// Informers over every cluster and namespace, with default options, from a
            /// `kube::Client` for the server's root or a generated `ClusterClientset`. Must be
            /// called inside a tokio runtime.
            #[must_use]
            pub fn new(client: &impl ::kube_codegen_runtime::client::AsClient) -> Self {
                Self::from_factory(#rt::ClusterInformerFactory::new(client.as_client().clone()))
            }

            /// Over a factory built with options (`ClusterInformerFactory::builder(client)
            /// .tweak_list_params(…).build_cluster_aware()`), sharing its informers.
            #[must_use]
            pub fn from_factory(factory: #rt::ClusterInformerFactory) -> Self {
                Self { factory }
            }

            /// The untyped factory underneath.
            #[must_use]
            pub fn factory(&self) -> &#rt::ClusterInformerFactory {
                &self.factory
            }

            /// The informers of the logical cluster `path`: the ordinary factory, sharing
            /// this one's informers and caches. Starting, waiting and shutting down through
            /// it act on the whole factory.
            #[must_use]
            pub fn cluster(&self, path: &ClusterPath) -> super::#ordinary::InformerFactory {
                super::#ordinary::InformerFactory::from_factory(self.factory.cluster(path))
            }

            #lifecycle

            #(#accessors)*
        }
    });
    for p in &packages {
        emit(group_version_module(informers, &ordinary, api_crate, p));
    }
}

/// The runtime's cluster-aware informer module.
fn runtime() -> TokenStream {
    quote!(::kube_codegen_runtime::informer::cluster)
}

fn group_version_accessor(p: &Package) -> TokenStream {
    let name = group_version_name(p);
    let informers = group_version_type(p, "ClusterInformers");
    let doc = format!(
        " Informers for `{}` across every logical cluster.",
        p.api_version().unwrap_or_default()
    );
    quote! {
        #[doc = #doc]
        #[must_use]
        pub fn #name(&self) -> #name::#informers {
            #name::#informers::new(self.factory.clone())
        }
    }
}

fn group_version_module(
    informers: &Clientset,
    ordinary: &syn::Ident,
    api_crate: &str,
    p: &Package,
) -> TokenStream {
    let name = group_version_name(p);
    let group_informers = group_version_type(p, "ClusterInformers");
    let kinds: Vec<(&TypeDef, &ClientSpec)> = p
        .types
        .iter()
        .filter(|t| informers.file.serves(t))
        .filter_map(|t| t.client.as_ref().map(|c| (t, c)))
        .collect();
    let accessors = kinds.iter().map(|(t, c)| kind_accessor(t, c));
    let items = kinds
        .iter()
        .map(|(t, c)| kind_items(ordinary, &name, api_crate, t, c));
    let doc = format!(
        " Cluster-aware listers and informers for `{}`.",
        p.api_version().unwrap_or_default()
    );
    let rt = runtime();
    quote! {
        #[doc = #doc]
        pub mod #name {
            #[doc = #doc]
            #[derive(Clone, Debug)]
            pub struct #group_informers {
                factory: #rt::ClusterInformerFactory,
            }

            impl #group_informers {
                #[must_use]
                pub fn new(factory: #rt::ClusterInformerFactory) -> Self {
                    Self { factory }
                }

                #(#accessors)*
            }

            #(#items)*
        }
    }
}

// Alone in their module with the other kinds' names of the same suffixes: no two can meet.
fn informer_name(t: &TypeDef) -> syn::Ident {
    format_ident!("{}ClusterInformer", t.ident)
}

fn lister_name(t: &TypeDef) -> syn::Ident {
    format_ident!("{}ClusterLister", t.ident)
}

fn kind_accessor(t: &TypeDef, c: &ClientSpec) -> TokenStream {
    let accessor = accessor_name(c);
    let informer = informer_name(t);
    let doc = format!(
        " The shared informer of `{}` across every logical cluster: made on first request, the same one on every later request.",
        c.kind
    );
    let deprecated = super::clientset::deprecated(c);
    quote! {
        #[doc = #doc]
        #deprecated
        #[must_use]
        pub fn #accessor(&self) -> #informer {
            #informer {
                informer: self.factory.informer_for(),
            }
        }
    }
}

fn kind_items(
    ordinary: &syn::Ident,
    module: &syn::Ident,
    api_crate: &str,
    t: &TypeDef,
    c: &ClientSpec,
) -> TokenStream {
    let rt = runtime();
    let kind = kind_path(api_crate, t);
    let informer = informer_name(t);
    let lister = lister_name(t);
    let one_cluster_lister = format_ident!("{}Lister", t.ident);
    let k = &c.kind;
    let informer_doc = format!(
        " The informer of `{k}` ({}) across every logical cluster: one watch, one cache.",
        c.plural
    );
    let lister_doc = format!(
        " Reads cached `{k}` objects of every logical cluster, or of one. Results are `Arc`s of \
         the cached objects, shared and read-only."
    );
    let cluster_doc = format!(
        " The cached `{k}` objects of the logical cluster `path`: the ordinary lister, answered \
         through the cache's cluster indexes in O(result)."
    );
    let list_doc = format!(
        " Every cached `{k}` of every cluster whose labels match `selector`, sorted by key."
    );
    quote! {
        #[doc = #informer_doc]
        #[derive(Clone, Debug)]
        pub struct #informer {
            informer: #rt::ClusterInformer<#kind>,
        }

        impl #informer {
            /// The shared informer: add handlers (told each object's cluster) and indexes,
            /// read its sync state, or take one cluster's view with `cluster(path)`.
            #[must_use]
            pub fn informer(&self) -> &#rt::ClusterInformer<#kind> {
                &self.informer
            }

            /// A lister over this informer's cache.
            #[must_use]
            pub fn lister(&self) -> #lister {
                #lister {
                    lister: self.informer.lister(),
                }
            }
        }

        #[doc = #lister_doc]
        #[derive(Clone, Debug)]
        pub struct #lister {
            lister: #rt::ClusterLister<#kind>,
        }

        impl #lister {
            #[doc = #cluster_doc]
            #[must_use]
            pub fn cluster(&self, path: &::kube_codegen_runtime::cluster::ClusterPath) -> super::super::#ordinary::#module::#one_cluster_lister {
                super::super::#ordinary::#module::#one_cluster_lister::new(self.lister.cluster(path))
            }

            #[doc = #list_doc]
            #[must_use]
            pub fn list(&self, selector: &::kube_codegen_runtime::informer::Selector) -> ::std::vec::Vec<::std::sync::Arc<#kind>> {
                self.lister.list(selector)
            }

            /// The logical clusters with cached objects, sorted.
            #[must_use]
            pub fn clusters(&self) -> ::std::vec::Vec<::std::string::String> {
                self.lister.clusters()
            }
        }
    }
}
