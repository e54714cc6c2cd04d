//! Generators: pure functions from the model to planned files. No I/O here.

pub mod clientset;
pub mod cluster_clientset;
pub mod cluster_informers;
pub mod crd;
pub mod deepcopy;
mod format;
pub mod informers;
pub mod register;
mod syntax;
mod template;
mod wire;

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;

use crate::diagnostic::Diagnostic;
use crate::model::{Model, Package, TypeDef};
use crate::normalize::{self, HEADER, Language};

/// Silences `unused_qualifications` on impls naming a type through its submodule: the version
/// module may also re-export it, and the generator cannot see which name is in scope.
pub(crate) fn qualified_allow(t: &TypeDef) -> Option<TokenStream> {
    qualified(!t.module_path.is_empty())
}

/// [`qualified_allow`] of a [`written_path`].
pub(crate) fn written_qualified_allow(path: &[String]) -> Option<TokenStream> {
    qualified(path.len() > 1)
}

fn qualified(through_submodule: bool) -> Option<TokenStream> {
    through_submodule.then(|| quote!(#[allow(unused_qualifications)]))
}

/// `module::Type`, relative to the version module (the generated module imports `super::*`).
pub(crate) fn type_path(t: &TypeDef) -> TokenStream {
    let modules = &t.module_path;
    let ident = &t.ident;
    quote! { #(#modules::)* #ident }
}

/// `type_path`'s segments as text (raw identifiers as `r#…`): plain data a formatting thread
/// can take.
pub(crate) fn written_path(t: &TypeDef) -> Vec<String> {
    t.module_path
        .iter()
        .chain(std::iter::once(&t.ident))
        .map(ToString::to_string)
        .collect()
}

/// [`type_path`] of a [`written_path`].
pub(crate) fn written_type_path(path: &[String]) -> TokenStream {
    let segments = path.iter().map(|segment| syntax::written_ident(segment));
    quote! { #(#segments)::* }
}

/// The name of every version module's output, in the module's directory.
pub const PACKAGE_OUTPUT: &str = "zz_generated.rs";

/// One file the run should leave on disk, with its full contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedFile {
    /// Absolute path.
    pub path: PathBuf,
    pub contents: String,
}

/// Every generated file of the model, in path order.
///
/// The model's syn types are bound to this thread. Registration and deep copies are taken from
/// it as plain data and generated, like all formatting, on every core (see `format`); the
/// clients' tokens are generated here and handed over module by module.
pub fn generate(model: &Model, tags: &[String]) -> Result<Vec<PlannedFile>, Vec<Diagnostic>> {
    let (paths, done) = format::format_all(|queue| {
        let mut paths: Vec<PathBuf> = Vec::new();
        for package in &model.packages {
            // Registration is generated and formatted on a formatting thread.
            let file = paths.len();
            paths.push(package.output.clone());
            let head = PackageHead::of(package);
            queue.send(format::Task {
                file,
                chunk: 0,
                work: format::Work::Generate(Box::new(move || head.tokens())),
            });
            // The deep copies follow, built as syntax trees and printed on a formatting thread
            // too, from plain data taken from the model here.
            let deep_copies = deepcopy::DeepCopies::of(package);
            queue.send(format::Task {
                file,
                chunk: 1,
                work: format::Work::Print(Box::new(move || {
                    let items = deep_copies.generate()?;
                    if items.is_empty() {
                        return Ok(String::new());
                    }
                    Ok(prettyplease::unparse(&syn::File {
                        shebang: None,
                        frontmatter: None,
                        attrs: Vec::new(),
                        items,
                    }))
                })),
            });
        }
        for clientset in &model.clientsets {
            stream_file(queue, &mut paths, &clientset.output, |emit| {
                clientset::generate(model, clientset, emit);
            });
        }
        for informers in &model.informers {
            stream_file(queue, &mut paths, &informers.output, |emit| {
                informers::generate(model, informers, emit);
            });
        }
        for clientset in &model.cluster_clientsets {
            stream_file(queue, &mut paths, &clientset.output, |emit| {
                cluster_clientset::generate(model, clientset, emit);
            });
        }
        for informers in &model.cluster_informers {
            stream_file(queue, &mut paths, &informers.output, |emit| {
                cluster_informers::generate(model, informers, emit);
            });
        }
        paths
    });
    let mut results: Vec<(PathBuf, Result<String, Vec<Diagnostic>>)> = format::join(paths, done)
        .into_iter()
        .map(|(path, result)| {
            let finished = result.and_then(|text| finish(&path, &text, tags));
            (path, finished)
        })
        .collect();
    // CRDs are YAML, complete with their header.
    for crd in &model.crds {
        let contents = crd::generate(crd).map_err(|e| vec![Diagnostic::new(&crd.output, e)]);
        results.push((crd.output.clone(), contents));
    }
    results.sort_by(|a, b| a.0.cmp(&b.0));
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for (path, result) in results {
        match result {
            Ok(contents) => files.push(PlannedFile { path, contents }),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

/// Queues a new file, part by part as `generate` hands its tokens to `emit`: the formatting
/// threads start on the first parts of a large file (a clientset) while this thread generates
/// the rest. Each part is cut into chunks between its top-level items.
fn stream_file(
    queue: &mut format::Queue,
    paths: &mut Vec<PathBuf>,
    path: &Path,
    generate: impl FnOnce(&mut dyn FnMut(TokenStream)),
) {
    let file = paths.len();
    paths.push(path.to_path_buf());
    let mut count = 0;
    generate(&mut |tokens| {
        for tokens in format::Portable::chunks(tokens, format::CHUNK_TOKENS) {
            queue.send(format::Task {
                file,
                chunk: count,
                work: format::Work::Tokens(tokens),
            });
            count += 1;
        }
    });
}

/// The items of one version module's `zz_generated.rs` up to its deep copies (which
/// `deepcopy` builds as syntax trees), as plain data: they are generated on a formatting thread.
struct PackageHead {
    doc: String,
    deep_copies: bool,
    helpers: bool,
    registration: Option<register::Registration>,
}

impl PackageHead {
    fn of(package: &Package) -> Self {
        // No paths in the text: the output must not depend on which root the tool was run from.
        let what = package
            .api_version()
            .unwrap_or_else(|| package.version.clone());
        PackageHead {
            doc: format!(" Generated code for `{what}`."),
            deep_copies: package.types.iter().any(|t| t.deepcopy),
            helpers: deepcopy::uses_helpers(package),
            registration: register::Registration::of(package),
        }
    }

    fn tokens(&self) -> TokenStream {
        let registration = register::generate(self.registration.as_ref());
        let deep_copies = self.deep_copies;
        let doc = &self.doc;
        let prelude = (deep_copies || !registration.is_empty()).then(|| {
            quote!(
                #![allow(
                    clippy::wildcard_imports,
                    reason = "generated code names types as the version module does, through its items and imports"
                )]
                use super::*;
            )
        });
        // Named explicitly so that an item called `Clone` in the version module cannot capture it.
        let clone = deep_copies.then(|| {
            quote!(
                use ::core::clone::Clone;
            )
        });
        let helpers = self.helpers.then(|| {
            quote!(
                use ::kube_codegen_runtime::deepcopy;
            )
        });
        quote! {
            #![doc = #doc]
            #prelude
            #clone
            #helpers
            #registration
        }
    }
}

/// Puts prettyplease's text under our header. The tool never writes a build constraint;
/// normalizing its own output keeps it that way.
fn finish(path: &Path, formatted: &str, tags: &[String]) -> Result<String, Vec<Diagnostic>> {
    let contents = format!("{HEADER}\n{formatted}");
    Ok(normalize::normalize(path, Language::Rust, &contents, tags)?.unwrap_or(contents))
}
