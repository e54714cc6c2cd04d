//! Generators: pure functions from the model to planned files. No I/O here.

pub mod clientset;
pub mod cluster_clientset;
pub mod cluster_informers;
pub mod crd;
pub mod deepcopy;
pub mod informers;
pub mod register;
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
    (!t.module_path.is_empty()).then(|| quote!(#[allow(unused_qualifications)]))
}

/// `module::Type`, relative to the version module (the generated module imports `super::*`).
pub(crate) fn type_path(t: &TypeDef) -> TokenStream {
    let modules = &t.module_path;
    let ident = &t.ident;
    quote! { #(#modules::)* #ident }
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
/// Generating tokens walks the model (syn types, bound to this thread); formatting them (parse,
/// prettyplease, normalize) is most of the work and needs only text, so it runs on every core.
pub fn generate(model: &Model, tags: &[String]) -> Result<Vec<PlannedFile>, Vec<Diagnostic>> {
    let mut sources: Vec<(PathBuf, String)> = Vec::new();
    for package in &model.packages {
        sources.push((package.output.clone(), package_tokens(package).to_string()));
    }
    for clientset in &model.clientsets {
        let tokens = clientset::generate(model, clientset);
        sources.push((clientset.output.clone(), tokens.to_string()));
    }
    for informers in &model.informers {
        let tokens = informers::generate(model, informers);
        sources.push((informers.output.clone(), tokens.to_string()));
    }
    for clientset in &model.cluster_clientsets {
        let tokens = cluster_clientset::generate(model, clientset);
        sources.push((clientset.output.clone(), tokens.to_string()));
    }
    for informers in &model.cluster_informers {
        let tokens = cluster_informers::generate(model, informers);
        sources.push((informers.output.clone(), tokens.to_string()));
    }
    let mut results = format_in_parallel(sources, tags);
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

type Formatted = (PathBuf, Result<String, Vec<Diagnostic>>);

/// Formats `sources` on up to one thread per core, each taking the next file from a shared
/// queue. The order of the results is not the order of the sources.
fn format_in_parallel(sources: Vec<(PathBuf, String)>, tags: &[String]) -> Vec<Formatted> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(sources.len())
        .max(1);
    let queue = std::sync::Mutex::new(sources);
    let next = || queue.lock().ok().and_then(|mut q| q.pop());
    let work = || {
        let mut done = Vec::new();
        while let Some((path, text)) = next() {
            let result = format_file(&path, &text, tags);
            done.push((path, result));
        }
        done
    };
    std::thread::scope(|scope| {
        // Parsing and printing recurse per level of nesting, as on the run's own thread: the
        // helpers get the same stack. One that cannot be started leaves its share to the rest.
        let helpers: Vec<_> = (1..threads)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(crate::STACK_SIZE)
                    .spawn_scoped(scope, work)
                    .ok()
            })
            .collect();
        let mut all = work();
        for helper in helpers {
            match helper.join() {
                Ok(mut done) => all.append(&mut done),
                // A panic in a formatter is a bug; surface it where it happened.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all
    })
}

/// The items of one version module's `zz_generated.rs`.
fn package_tokens(package: &Package) -> TokenStream {
    let deep_copies = deepcopy::generate(package);
    let registration = register::generate(package);
    let items = quote!(#registration #deep_copies);
    // No paths in the text: the output must not depend on which root the tool was run from.
    let what = package
        .api_version()
        .unwrap_or_else(|| package.version.clone());
    let doc = format!(" Generated code for `{what}`.");
    let prelude = (!items.is_empty()).then(|| {
        quote!(
            #![allow(
                clippy::wildcard_imports,
                reason = "generated code names types as the version module does, through its items and imports"
            )]
            use super::*;
        )
    });
    // Named explicitly so that an item called `Clone` in the version module cannot capture it.
    let clone = package.types.iter().any(|t| t.deepcopy).then(|| {
        quote!(
            use ::core::clone::Clone;
        )
    });
    let helpers = deepcopy::uses_helpers(package).then(|| {
        quote!(
            use ::kube_codegen_runtime::deepcopy;
        )
    });
    quote! {
        #![doc = #doc]
        #prelude
        #clone
        #helpers
        #items
    }
}

/// Formats a generated file with prettyplease under our header. The tool never writes a build
/// constraint; normalizing its own output keeps it that way.
fn format_file(path: &Path, source: &str, tags: &[String]) -> Result<String, Vec<Diagnostic>> {
    let file: syn::File = syn::parse_str(source).map_err(|e| {
        vec![Diagnostic::new(
            path,
            format!("internal error: generated code does not parse: {e}"),
        )]
    })?;
    let contents = format!("{HEADER}\n{}", prettyplease::unparse(&file));
    Ok(normalize::normalize(path, Language::Rust, &contents, tags)?.unwrap_or(contents))
}
