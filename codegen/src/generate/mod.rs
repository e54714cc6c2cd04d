//! Generators: pure functions from the model to planned files. No I/O here.

pub mod clientset;
pub mod deepcopy;
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

/// One file the run should leave on disk, with its full contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedFile {
    /// Absolute path.
    pub path: PathBuf,
    pub contents: String,
}

/// Every generated file of the model, in path order.
pub fn generate(model: &Model, tags: &[String]) -> Result<Vec<PlannedFile>, Vec<Diagnostic>> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for package in &model.packages {
        match package_file(package, tags) {
            Ok(f) => files.push(f),
            Err(mut e) => errors.append(&mut e),
        }
    }
    for clientset in &model.clientsets {
        let tokens = clientset::generate(model, clientset);
        match format_file(&clientset.output, tokens, tags) {
            Ok(f) => files.push(f),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// `zz_generated.rs` of one version module.
fn package_file(package: &Package, tags: &[String]) -> Result<PlannedFile, Vec<Diagnostic>> {
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
    let tokens = quote! {
        #![doc = #doc]
        #prelude
        #clone
        #helpers
        #items
    };
    format_file(&package.output, tokens, tags)
}

/// Formats a generated file with prettyplease under our header. The tool never writes a build
/// constraint; normalizing its own output keeps it that way.
fn format_file(
    path: &Path,
    tokens: TokenStream,
    tags: &[String],
) -> Result<PlannedFile, Vec<Diagnostic>> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        vec![Diagnostic::new(
            path,
            format!("internal error: generated code does not parse: {e}"),
        )]
    })?;
    let contents = format!("{HEADER}\n{}", prettyplease::unparse(&file));
    let contents = normalize::normalize(path, Language::Rust, &contents, tags)?.unwrap_or(contents);
    Ok(PlannedFile {
        path: path.to_path_buf(),
        contents,
    })
}
