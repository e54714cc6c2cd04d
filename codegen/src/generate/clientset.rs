//! client-gen's job: a typed clientset for the `+genclient` kinds of one API crate, written to
//! the file its `Cargo.toml` names. Every per-kind client wraps
//! `kube_codegen_runtime::client::ResourceClient` and exposes exactly the verbs the markers
//! leave, so calling a removed verb does not compile.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::clientset::Clientset;
use crate::model::naming::snake_case;
use crate::model::{ClientSpec, CustomMethod, Model, Package, Scope, TypeDef, Verb};

/// The whole clientset file, handed to `emit` in parts (the items before the group-version
/// modules, then each module) so that formatting starts while the rest is generated.
pub fn generate(model: &Model, clientset: &Clientset, emit: &mut dyn FnMut(TokenStream)) {
    let api_crate = &clientset.api_crate;
    let packages: Vec<&Package> = clientset
        .packages
        .iter()
        .map(|&i| &model.packages[i])
        .collect();
    let accessors = packages.iter().map(|p| group_version_accessor(p));
    let doc = format!(" Typed clients for the `+genclient` kinds of `{api_crate}`.");
    let clientset = clientset_struct(
        &format_ident!("Clientset"),
        &[
            " One accessor per group-version. Cheap to clone; every client it hands out shares the",
            " underlying `kube::Client` and the retry settings.",
        ],
        quote!(#(#accessors)*),
    );
    let allow = errors_allow();
    emit(quote! {
        #![doc = #doc]
        #allow
        use ::kube_codegen_runtime::client::ClientsetConfig;
        use ::kube_codegen_runtime::kube::Client;

        #clientset
        /// Generated informer factories (and anything else taking a client) accept a clientset.
        impl ::kube_codegen_runtime::client::AsClient for Clientset {
            fn as_client(&self) -> &Client {
                &self.client
            }
        }
    });
    for p in &packages {
        emit(group_version_module(api_crate, p));
    }
}

/// Pedantic clippy asks every method returning a `Result` for an `# Errors` section; here all
/// of them fail alike, with the server's answer or a transport error.
pub(crate) fn errors_allow() -> TokenStream {
    quote! {
        #![allow(
            clippy::missing_errors_doc,
            reason = "every method fails alike, with the server's answer or a transport error as a `kube::Error`; its documentation says which errors are retried"
        )]
    }
}

/// `widgets_v1`: the module and accessor name of a group-version.
/// A clientset type `name`: the client and retry settings, its constructors and getters, then
/// `body` (the ordinary and the cluster-aware clientset share this shape).
pub(crate) fn clientset_struct(name: &syn::Ident, doc: &[&str], body: TokenStream) -> TokenStream {
    let debug_name = name.to_string();
    quote! {
        #(#[doc = #doc])*
        #[derive(Clone)]
        pub struct #name {
            client: Client,
            config: ClientsetConfig,
        }

        impl ::core::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#debug_name).field("config", &self.config).finish_non_exhaustive()
            }
        }

        impl #name {
            /// A clientset with the default retry settings: idempotent reads (get, list, the
            /// start of a watch) are retried on transient errors, writes are not.
            #[must_use]
            pub fn new(client: Client) -> Self {
                Self::with_config(client, ClientsetConfig::default())
            }

            /// A clientset with the given retry settings.
            #[must_use]
            pub fn with_config(client: Client, config: ClientsetConfig) -> Self {
                Self { client, config }
            }

            /// The underlying client.
            #[must_use]
            pub fn client(&self) -> &Client {
                &self.client
            }

            /// The retry settings.
            #[must_use]
            pub fn config(&self) -> &ClientsetConfig {
                &self.config
            }

            #body
        }
    }
}

pub(crate) fn group_version_name(p: &Package) -> syn::Ident {
    let group = p.group_rust_name.as_deref().unwrap_or("core");
    format_ident!("{}_{}", group, p.version)
}

/// `WidgetsV1Client`.
fn group_version_client(p: &Package) -> syn::Ident {
    group_version_type(p, "Client")
}

/// `WidgetsV1` followed by `suffix`.
pub(crate) fn group_version_type(p: &Package, suffix: &str) -> syn::Ident {
    let camel: String = group_version_name(p)
        .to_string()
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect();
    format_ident!("{camel}{suffix}")
}

fn group_version_accessor(p: &Package) -> TokenStream {
    let name = group_version_name(p);
    let client = group_version_client(p);
    let doc = format!(" Clients for `{}`.", p.api_version().unwrap_or_default());
    quote! {
        #[doc = #doc]
        #[must_use]
        pub fn #name(&self) -> #name::#client {
            #name::#client::new(self.client.clone(), self.config.clone())
        }
    }
}

fn group_version_module(api_crate: &str, p: &Package) -> TokenStream {
    let name = group_version_name(p);
    let client = group_version_client(p);
    // A kind whose markers leave no verb and no method has no client at all.
    let kinds: Vec<(&TypeDef, &ClientSpec)> = p
        .types
        .iter()
        .filter_map(|t| t.client.as_ref().map(|c| (t, c)))
        .filter(|(_, c)| (!c.verbs.is_empty() || !c.methods.is_empty()) && c.is_served())
        .collect();
    let accessors = kinds.iter().map(|(t, c)| kind_accessors(t, c));
    let clients = kinds.iter().map(|(t, c)| kind_client(api_crate, t, c));
    let doc = format!(" Clients for `{}`.", p.api_version().unwrap_or_default());
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

/// The accessor's name: the kind's plural in snake case (`widget_classes`), or the
/// `+resourceName` override's.
pub(crate) fn accessor_name(c: &ClientSpec) -> syn::Ident {
    let plural_camel = if c.plural == crate::model::naming::plural(&c.kind) {
        crate::model::naming::plural_preserving_case(&c.kind)
    } else {
        c.plural.clone()
    };
    format_ident!("{}", snake_case(&plural_camel))
}

fn kind_client_name(t: &TypeDef) -> syn::Ident {
    format_ident!("{}Client", t.ident)
}

/// `#[deprecated(note = …)]` for the accessors of a kind the target release deprecates.
pub(crate) fn deprecated(c: &ClientSpec) -> Option<TokenStream> {
    c.deprecation()
        .map(|note| quote!(#[deprecated(note = #note)]))
}

fn kind_accessors(t: &TypeDef, c: &ClientSpec) -> TokenStream {
    let accessor = accessor_name(c);
    let client = kind_client_name(t);
    let kind = &c.kind;
    let deprecated = deprecated(c);
    match c.scope {
        Scope::Namespaced => {
            let all = format_ident!("{accessor}_all_namespaces");
            let all_client = format_ident!("{}AllNamespacesClient", t.ident);
            let doc = format!(" `{kind}` objects in `namespace`.");
            let all_doc = format!(
                " `{kind}` objects of every namespace ({}).",
                across_verbs(c)
            );
            let across = (c.verbs.contains(&Verb::List) || c.verbs.contains(&Verb::Watch)).then(|| {
                quote! {
                    #[doc = #all_doc]
                    #deprecated
                    #[must_use]
                    pub fn #all(&self) -> #all_client {
                        #all_client {
                            inner: ResourceClient::all_namespaces(self.client.clone(), self.config.clone()),
                        }
                    }
                }
            });
            quote! {
                #[doc = #doc]
                #deprecated
                #[must_use]
                pub fn #accessor(&self, namespace: &str) -> #client {
                    #client {
                        inner: ResourceClient::namespaced(self.client.clone(), namespace, self.config.clone()),
                    }
                }
                #across
            }
        }
        Scope::Cluster => {
            let doc = format!(" `{kind}` objects (cluster-scoped).");
            quote! {
                #[doc = #doc]
                #deprecated
                #[must_use]
                pub fn #accessor(&self) -> #client {
                    #client {
                        inner: ResourceClient::cluster(self.client.clone(), self.config.clone()),
                    }
                }
            }
        }
    }
}

/// Paths the per-kind clients use.
struct Paths {
    api: TokenStream,
    core: TokenStream,
    error: TokenStream,
}

fn paths() -> Paths {
    Paths {
        api: quote!(::kube_codegen_runtime::kube::api),
        core: quote!(::kube_codegen_runtime::kube::core),
        error: quote!(::kube_codegen_runtime::kube::Error),
    }
}

/// The kind's public path from outside its crate (the model checked that there is one).
pub(crate) fn kind_path(api_crate: &str, t: &TypeDef) -> TokenStream {
    let krate = format_ident!("{api_crate}");
    let path = t.public_path.as_deref().unwrap_or_default();
    quote!(::#krate #(::#path)*)
}

fn kind_client(api_crate: &str, t: &TypeDef, c: &ClientSpec) -> TokenStream {
    let name = kind_client_name(t);
    let kind = kind_path(api_crate, t);
    let verbs: Vec<TokenStream> = c.verbs.iter().map(|v| verb_method(*v, c, &kind)).collect();
    let status_patch = (c.verbs.contains(&Verb::Patch) && c.verbs.contains(&Verb::UpdateStatus))
        .then(|| patch_status(&kind));
    let methods = c.methods.iter().map(|m| custom_method(api_crate, m, &kind));
    let verb_list: Vec<&str> = c.verbs.iter().map(|v| v.marker_name()).collect();
    let doc = format!(
        " Typed client for `{}` ({}); verbs: {}.",
        c.kind,
        c.plural,
        if verb_list.is_empty() {
            "none".to_owned()
        } else {
            verb_list.join(", ")
        }
    );
    let across = (c.scope == Scope::Namespaced
        && (c.verbs.contains(&Verb::List) || c.verbs.contains(&Verb::Watch)))
    .then(|| all_namespaces_client(t, c, &kind));
    let over = match c.scope {
        Scope::Namespaced => "this namespace",
        Scope::Cluster => "the cluster",
    };
    let api = api_method(c, &kind, over, MARKERS_UNCHECKED);
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct #name {
            inner: ResourceClient<#kind>,
        }

        impl #name {
            #(#verbs)*
            #status_patch
            #(#methods)*
            #api
        }

        #across
    }
}

fn all_namespaces_client(t: &TypeDef, c: &ClientSpec, kind: &TokenStream) -> TokenStream {
    let Paths { api, core, error } = paths();
    let name = format_ident!("{}AllNamespacesClient", t.ident);
    let doc = format!(
        " `{}` objects across all namespaces: list and watch only.",
        c.kind
    );
    let list = c.verbs.contains(&Verb::List).then(|| {
        quote! {
            /// Lists objects of every namespace (retried like every read).
            pub async fn list(&self, params: &#api::ListParams) -> ::core::result::Result<#core::ObjectList<#kind>, #error> {
                self.inner.list(params).await
            }
        }
    });
    let watch = c.verbs.contains(&Verb::Watch).then(|| watch_method(kind));
    let api = api_method(c, kind, "every namespace", MARKERS_UNCHECKED);
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct #name {
            inner: ::kube_codegen_runtime::client::AllNamespacesClient<#kind>,
        }

        impl #name {
            #list
            #watch
            #api
        }
    }
}

/// What `api()` says of the verbs beyond the markers'.
const MARKERS_UNCHECKED: &str = "whatever the markers left";

/// `api()`: the client's `kube::Api`, for what kube users reach for (`kube::runtime::watcher`,
/// reflectors, `Controller`), which all take one by value. Only for kinds that keep both list
/// and watch, the verbs those need: elsewhere it would only be a way around the markers.
pub(crate) fn api_method(
    c: &ClientSpec,
    kind: &TokenStream,
    over: &str,
    served: &str,
) -> Option<TokenStream> {
    if !(c.verbs.contains(&Verb::List) && c.verbs.contains(&Verb::Watch)) {
        return None;
    }
    let doc = [
        format!(" The underlying `kube::Api` over {over}, for `kube::runtime::watcher`,"),
        " reflectors and `Controller` (a clone: cheap, it shares the client). It has every verb of"
            .to_owned(),
        format!(" `kube::Api`, {served}, and none of them is retried."),
    ];
    Some(quote! {
        #(#[doc = #doc])*
        #[must_use]
        pub fn api(&self) -> ::kube_codegen_runtime::kube::Api<#kind> {
            self.inner.api().clone()
        }
    })
}

/// What the all-namespaces client offers: `list and watch`, `list` or `watch`.
pub(crate) fn across_verbs(c: &ClientSpec) -> &'static str {
    match (
        c.verbs.contains(&Verb::List),
        c.verbs.contains(&Verb::Watch),
    ) {
        (true, true) => "list and watch",
        (true, false) => "list",
        _ => "watch",
    }
}

pub(crate) fn watch_method(kind: &TokenStream) -> TokenStream {
    let Paths { api, core, error } = paths();
    quote! {
        /// Watches from `resource_version` (`"0"` for any, `""` for now): a typed stream of
        /// events. Starting the watch is retried; errors inside the stream are the caller's.
        pub async fn watch(
            &self,
            params: &#api::WatchParams,
            resource_version: &str,
        ) -> ::core::result::Result<
            ::kube_codegen_runtime::futures::stream::BoxStream<'static, ::core::result::Result<#core::WatchEvent<#kind>, #error>>,
            #error,
        > {
            self.inner.watch(params, resource_version).await
        }
    }
}

fn verb_method(verb: Verb, c: &ClientSpec, kind: &TokenStream) -> TokenStream {
    let Paths { api, core, error } = paths();
    let result = |t: TokenStream| quote!(::core::result::Result<#t, #error>);
    let either = quote!(::kube_codegen_runtime::either::Either);
    let k = c.kind.as_str();
    match verb {
        Verb::Create => {
            let doc = format!(" Creates a `{k}`. Not retried.");
            let r = result(kind.clone());
            quote! {
                #[doc = #doc]
                pub async fn create(&self, params: &#api::PostParams, object: &#kind) -> #r {
                    self.inner.create(params, object).await
                }
            }
        }
        Verb::Update => {
            let doc = format!(
                " Replaces a `{k}` (named by its metadata; a stale resourceVersion is a Conflict). Not retried."
            );
            let r = result(kind.clone());
            quote! {
                #[doc = #doc]
                pub async fn update(&self, params: &#api::PostParams, object: &#kind) -> #r {
                    self.inner.update(params, object).await
                }
            }
        }
        Verb::UpdateStatus => {
            let doc = format!(" Replaces a `{k}`'s status subresource. Not retried.");
            let r = result(kind.clone());
            quote! {
                #[doc = #doc]
                pub async fn update_status(&self, params: &#api::PostParams, object: &#kind) -> #r {
                    self.inner.update_status(params, object).await
                }
            }
        }
        Verb::Delete => {
            let doc = format!(
                " Deletes a `{k}`: the object while finalizers hold it, else the server's status. Not retried."
            );
            let r = result(quote!(#either<#kind, #core::Status>));
            quote! {
                #[doc = #doc]
                pub async fn delete(&self, name: &str, params: &#api::DeleteParams) -> #r {
                    self.inner.delete(name, params).await
                }
            }
        }
        Verb::DeleteCollection => {
            let doc = format!(" Deletes every `{k}` the list parameters select. Not retried.");
            let r = result(quote!(#either<#core::ObjectList<#kind>, #core::Status>));
            quote! {
                #[doc = #doc]
                pub async fn delete_collection(&self, params: &#api::DeleteParams, selection: &#api::ListParams) -> #r {
                    self.inner.delete_collection(params, selection).await
                }
            }
        }
        Verb::Get => {
            let doc = format!(
                " Reads a `{k}` (retried on transient errors; `NotFound` returns at once)."
            );
            let doc_opt = format!(" Reads a `{k}`, `None` when it does not exist.");
            let r = result(kind.clone());
            let r_opt = result(quote!(::core::option::Option<#kind>));
            quote! {
                #[doc = #doc]
                pub async fn get(&self, name: &str) -> #r {
                    self.inner.get(name).await
                }

                #[doc = #doc_opt]
                pub async fn get_opt(&self, name: &str) -> #r_opt {
                    self.inner.get_opt(name).await
                }
            }
        }
        Verb::List => {
            let doc = format!(" Lists `{k}` objects (retried on transient errors).");
            let r = result(quote!(#core::ObjectList<#kind>));
            quote! {
                #[doc = #doc]
                pub async fn list(&self, params: &#api::ListParams) -> #r {
                    self.inner.list(params).await
                }
            }
        }
        Verb::Watch => watch_method(kind),
        Verb::Patch => {
            let doc = format!(
                " Patches a `{k}`: `Patch::Merge`, `Patch::Json` or `Patch::Apply`. Not retried."
            );
            let r = result(kind.clone());
            quote! {
                #[doc = #doc]
                pub async fn patch<P>(&self, name: &str, params: &#api::PatchParams, patch: &#api::Patch<P>) -> #r
                where
                    P: ::kube_codegen_runtime::serde::Serialize + ::core::fmt::Debug,
                {
                    self.inner.patch(name, params, patch).await
                }
            }
        }
        Verb::Apply => {
            let doc = format!(
                " Server-side applies `object` (a whole or partial `{k}`) as `field_manager`. Not retried."
            );
            let r = result(kind.clone());
            quote! {
                #[doc = #doc]
                pub async fn apply<P>(&self, name: &str, object: &P, field_manager: &str, force: bool) -> #r
                where
                    P: ::kube_codegen_runtime::serde::Serialize + ::core::fmt::Debug,
                {
                    self.inner.apply(name, object, field_manager, force).await
                }
            }
        }
        Verb::ApplyStatus => {
            let doc = format!(
                " Server-side applies `object` to a `{k}`'s status as `field_manager`. Not retried."
            );
            let r = result(kind.clone());
            quote! {
                #[doc = #doc]
                pub async fn apply_status<P>(&self, name: &str, object: &P, field_manager: &str, force: bool) -> #r
                where
                    P: ::kube_codegen_runtime::serde::Serialize + ::core::fmt::Debug,
                {
                    self.inner.apply_status(name, object, field_manager, force).await
                }
            }
        }
    }
}

fn patch_status(kind: &TokenStream) -> TokenStream {
    let Paths { api, error, .. } = paths();
    quote! {
        /// Patches the status subresource. Not retried.
        pub async fn patch_status<P>(&self, name: &str, params: &#api::PatchParams, patch: &#api::Patch<P>) -> ::core::result::Result<#kind, #error>
        where
            P: ::kube_codegen_runtime::serde::Serialize + ::core::fmt::Debug,
        {
            self.inner.patch_status(name, params, patch).await
        }
    }
}

/// A marker's type path as the clientset crate names it: k8s-openapi through the runtime's
/// re-export (the clientset crate need not depend on it), `crate::…` through the API crate's
/// name (the marker was written there), anything else as written.
fn marker_type(api_crate: &str, path: &syn::Path) -> TokenStream {
    let Some(first) = path
        .segments
        .first()
        .filter(|_| path.leading_colon.is_none())
    else {
        return quote!(#path);
    };
    if first.ident == "k8s_openapi" {
        quote!(::kube_codegen_runtime::#path)
    } else if first.ident == "crate" {
        let krate = format_ident!("{api_crate}");
        let rest = path.segments.iter().skip(1);
        quote!(::#krate #(::#rest)*)
    } else {
        quote!(#path)
    }
}

fn custom_method(api_crate: &str, m: &CustomMethod, kind: &TokenStream) -> TokenStream {
    let Paths { api, error, .. } = paths();
    let name = format_ident!("{}", snake_case(&m.name));
    let sub = &m.subresource;
    let result_ty = m
        .result
        .as_ref()
        .map_or_else(|| kind.clone(), |p| marker_type(api_crate, p));
    let input_ty = m
        .input
        .as_ref()
        .map_or_else(|| kind.clone(), |p| marker_type(api_crate, p));
    let r = quote!(::core::result::Result<#result_ty, #error>);
    match m.verb {
        Verb::Get => {
            let doc = format!(" Reads the `{sub}` subresource.");
            quote! {
                #[doc = #doc]
                pub async fn #name(&self, name: &str) -> #r {
                    self.inner.get_subresource(name, #sub).await
                }
            }
        }
        Verb::Create => {
            let doc = format!(" Creates through the `{sub}` subresource. Not retried.");
            quote! {
                #[doc = #doc]
                pub async fn #name(&self, name: &str, params: &#api::PostParams, input: &#input_ty) -> #r {
                    self.inner.create_subresource(name, #sub, params, input).await
                }
            }
        }
        Verb::Update => {
            let doc = format!(" Replaces the `{sub}` subresource. Not retried.");
            quote! {
                #[doc = #doc]
                pub async fn #name(&self, name: &str, params: &#api::PostParams, input: &#input_ty) -> #r {
                    self.inner.update_subresource(name, #sub, params, input).await
                }
            }
        }
        // The model admits only get, create, update and patch on a subresource.
        _ => {
            let doc = format!(" Patches the `{sub}` subresource. Not retried.");
            quote! {
                #[doc = #doc]
                pub async fn #name<P>(&self, name: &str, params: &#api::PatchParams, patch: &#api::Patch<P>) -> #r
                where
                    P: ::kube_codegen_runtime::serde::Serialize + ::core::fmt::Debug,
                {
                    self.inner.patch_subresource(name, #sub, params, patch).await
                }
            }
        }
    }
}
