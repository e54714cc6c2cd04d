//! lister-gen's and informer-gen's job: per kind that can be listed and watched, a typed lister
//! and informer, and an `InformerFactory` mirroring the clientset
//! (`factory.widgets_v1().widgets().lister()`), written to the file the API crate's
//! `Cargo.toml` names. Everything wraps `kube_codegen_runtime::informer`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::clientset::{accessor_name, group_version_name, group_version_type, kind_path};
use crate::model::clientset::Clientset;
use crate::model::{ClientSpec, Model, Package, Scope, TypeDef};

/// The whole informers file, handed to `emit` in parts (the items before the group-version
/// modules, then each module) so that formatting starts while the rest is generated.
pub fn generate(model: &Model, informers: &Clientset, emit: &mut dyn FnMut(TokenStream)) {
    let api_crate = &informers.api_crate;
    let packages: Vec<&Package> = informers
        .packages
        .iter()
        .map(|&i| &model.packages[i])
        .collect();
    let accessors = packages.iter().map(|p| group_version_accessor(p));
    let doc = format!(
        " Listers and shared informers for the `+genclient` kinds of `{api_crate}` that can be listed and watched."
    );
    let lifecycle = factory_lifecycle();
    emit(quote! {
        #![doc = #doc]
        use ::kube_codegen_runtime::informer::{SharedInformerFactory, SyncReport};

        /// One accessor per group-version, as the clientset has. Every informer it hands out
        /// is shared: asking twice for a kind returns the same informer, cache and watch.
        ///
        /// Start it after asking for the informers a controller needs
        /// ([`InformerFactory::start`] starts only those), then wait for their caches with
        /// [`InformerFactory::wait_for_cache_sync`]. A failed list is retried on its own
        /// (800 ms doubling to 30 s); the report names what did not sync and why.
        #[derive(Clone, Debug)]
        pub struct InformerFactory {
            factory: SharedInformerFactory,
        }

        impl InformerFactory {
            /// Informers over every namespace, with default options, from a `kube::Client` or
            /// a generated `Clientset`.
            #[must_use]
            pub fn new(client: &impl ::kube_codegen_runtime::client::AsClient) -> Self {
                Self::from_factory(SharedInformerFactory::new(client.as_client().clone()))
            }

            /// Over a factory built with options (`SharedInformerFactory::builder(client)
            /// .namespace(…).tweak_list_params(…).build()`), sharing its informers with every
            /// other user of that factory.
            #[must_use]
            pub fn from_factory(factory: SharedInformerFactory) -> Self {
                Self { factory }
            }

            /// The untyped factory underneath (`for_resource`, other kinds).
            #[must_use]
            pub fn factory(&self) -> &SharedInformerFactory {
                &self.factory
            }

            #lifecycle

            #(#accessors)*
        }
    });
    for p in &packages {
        emit(group_version_module(informers, api_crate, p));
    }
}

/// A generated factory's `start`, `wait_for_cache_sync` and `shutdown`, delegating to its
/// `factory` field (the ordinary and the cluster-aware factory have the same three).
pub(crate) fn factory_lifecycle() -> TokenStream {
    quote! {
        /// Starts every informer asked for so far that is not running. Idempotent; must be
        /// called inside a tokio runtime.
        pub fn start(&self) {
            self.factory.start();
        }

        /// Waits, at most `timeout`, for every started informer's initial list; reports
        /// each kind as synced, or not with its last error.
        pub async fn wait_for_cache_sync(&self, timeout: ::core::time::Duration) -> SyncReport {
            self.factory.wait_for_cache_sync(timeout).await
        }

        /// Stops every informer and waits for their tasks to end.
        pub async fn shutdown(&self) {
            self.factory.shutdown().await;
        }
    }
}

fn group_version_accessor(p: &Package) -> TokenStream {
    let name = group_version_name(p);
    let informers = group_version_type(p, "Informers");
    let doc = format!(" Informers for `{}`.", p.api_version().unwrap_or_default());
    quote! {
        #[doc = #doc]
        #[must_use]
        pub fn #name(&self) -> #name::#informers {
            #name::#informers::new(self.factory.clone())
        }
    }
}

fn group_version_module(informers: &Clientset, api_crate: &str, p: &Package) -> TokenStream {
    let name = group_version_name(p);
    let group_informers = group_version_type(p, "Informers");
    let kinds: Vec<(&TypeDef, &ClientSpec)> = p
        .types
        .iter()
        .filter(|t| informers.file.serves(t))
        .filter_map(|t| t.client.as_ref().map(|c| (t, c)))
        .collect();
    let accessors = kinds.iter().map(|(t, c)| kind_accessor(t, c));
    let items = kinds.iter().map(|(t, c)| kind_items(api_crate, t, c));
    let doc = format!(
        " Listers and informers for `{}`.",
        p.api_version().unwrap_or_default()
    );
    let rt = runtime();
    quote! {
        #[doc = #doc]
        pub mod #name {
            // Runtime types are named in full: a kind may be called `Lister` or `Namespace`
            // (whose lister is `NamespaceLister`).

            #[doc = #doc]
            #[derive(Clone, Debug)]
            pub struct #group_informers {
                factory: #rt::SharedInformerFactory,
            }

            impl #group_informers {
                #[must_use]
                pub fn new(factory: #rt::SharedInformerFactory) -> Self {
                    Self { factory }
                }

                #(#accessors)*
            }

            #(#items)*
        }
    }
}

/// The runtime's informer module.
fn runtime() -> TokenStream {
    quote!(::kube_codegen_runtime::informer)
}

// The names below are also in `model::kind::generated_type_names`, which rejects kinds whose
// generated names would collide.
fn informer_name(t: &TypeDef) -> syn::Ident {
    format_ident!("{}Informer", t.ident)
}

fn kind_accessor(t: &TypeDef, c: &ClientSpec) -> TokenStream {
    let accessor = accessor_name(c);
    let informer = informer_name(t);
    let doc = format!(
        " The shared informer of `{}`: made on first request, the same one on every later request.",
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

fn kind_items(api_crate: &str, t: &TypeDef, c: &ClientSpec) -> TokenStream {
    let rt = runtime();
    let kind = kind_path(api_crate, t);
    let informer = informer_name(t);
    let lister = format_ident!("{}Lister", t.ident);
    let k = &c.kind;
    let informer_doc = format!(
        " The informer of `{k}` ({}): its cache, handlers, indexes and sync state.",
        c.plural
    );
    let lister_doc = format!(
        " Reads cached `{k}` objects. Results are `Arc`s of the cached objects, shared and \
         read-only: to change one, copy it into an owned value first (`clone_from` into a value \
         you keep reuses its buffers) and write that through the clientset."
    );
    let list_doc = format!(
        " Every cached `{k}` whose labels match `selector` (`&Selector::default()` for all), \
         sorted by key."
    );
    let deprecated = super::clientset::deprecated(c);
    let scoped = match c.scope {
        Scope::Namespaced => namespaced_lister(t, c, &kind, &lister),
        Scope::Cluster => {
            let get_doc = format!(" The cached `{k}` named `name`.");
            let errors = not_found_errors();
            quote! {
                impl #lister {
                    #[doc = #get_doc]
                    #errors
                    pub fn get(&self, name: &str) -> ::core::result::Result<::std::sync::Arc<#kind>, #rt::NotFound> {
                        self.lister.get(name)
                    }
                }
            }
        }
    };
    quote! {
        #[doc = #informer_doc]
        #[derive(Clone, Debug)]
        pub struct #informer {
            informer: #rt::SharedInformer<#kind>,
        }

        impl #informer {
            /// The shared informer: add handlers and indexes, read its sync state.
            #[must_use]
            pub fn informer(&self) -> &#rt::SharedInformer<#kind> {
                &self.informer
            }

            /// A lister over this informer's cache.
            #deprecated
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
            lister: #rt::Lister<#kind>,
        }

        impl #lister {
            /// A lister over `lister`'s objects (a cluster-aware lister's view of one cluster
            /// is made this way).
            #[must_use]
            pub fn new(lister: #rt::Lister<#kind>) -> Self {
                Self { lister }
            }

            #[doc = #list_doc]
            #[must_use]
            pub fn list(&self, selector: &#rt::Selector) -> ::std::vec::Vec<::std::sync::Arc<#kind>> {
                self.lister.list(selector)
            }
        }

        #scoped
    }
}

fn namespaced_lister(
    t: &TypeDef,
    c: &ClientSpec,
    kind: &TokenStream,
    lister: &syn::Ident,
) -> TokenStream {
    let rt = runtime();
    let accessor = accessor_name(c);
    let namespace_lister = format_ident!("{}NamespaceLister", t.ident);
    let k = &c.kind;
    let accessor_doc = format!(" The cached `{k}` objects of `namespace`.");
    let type_doc = format!(" Reads the cached `{k}` objects of one namespace: O(objects in it).");
    let get_doc = format!(" The cached `{k}` named `name` in this namespace.");
    let errors = not_found_errors();
    let list_doc = format!(" This namespace's `{k}` objects whose labels match `selector`.");
    quote! {
        impl #lister {
            #[doc = #accessor_doc]
            #[must_use]
            pub fn #accessor(&self, namespace: &str) -> #namespace_lister {
                #namespace_lister {
                    lister: self.lister.namespace(namespace),
                }
            }
        }

        #[doc = #type_doc]
        #[derive(Debug)]
        pub struct #namespace_lister {
            lister: #rt::NamespaceLister<#kind>,
        }

        impl #namespace_lister {
            #[doc = #list_doc]
            #[must_use]
            pub fn list(&self, selector: &#rt::Selector) -> ::std::vec::Vec<::std::sync::Arc<#kind>> {
                self.lister.list(selector)
            }

            #[doc = #get_doc]
            #errors
            pub fn get(&self, name: &str) -> ::core::result::Result<::std::sync::Arc<#kind>, #rt::NotFound> {
                self.lister.get(name)
            }
        }
    }
}

/// The `# Errors` section of a lister's `get`.
fn not_found_errors() -> TokenStream {
    quote! {
        ///
        /// # Errors
        ///
        /// `NotFound`, shaped like the server's, when the cache holds no such object.
    }
}
