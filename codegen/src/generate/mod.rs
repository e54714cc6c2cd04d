//! Generators: pure functions from the model to planned files. No I/O here.

pub mod deepcopy;

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use crate::diagnostic::Diagnostic;
use crate::model::{Model, Package};
use crate::normalize::{self, HEADER, Language};

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
    if !errors.is_empty() {
        return Err(errors);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// `zz_generated.rs` of one version module.
fn package_file(package: &Package, tags: &[String]) -> Result<PlannedFile, Vec<Diagnostic>> {
    let items = deepcopy::generate(package);
    let contents = render(package, items)?;
    // The tool never writes a build constraint; normalizing its own output keeps it that way.
    let contents =
        normalize::normalize(&package.output, Language::Rust, &contents, tags)?.unwrap_or(contents);
    Ok(PlannedFile {
        path: package.output.clone(),
        contents,
    })
}

/// Formats the items with prettyplease under our header.
fn render(package: &Package, items: TokenStream) -> Result<String, Vec<Diagnostic>> {
    // No paths here: the output must not depend on which root the tool was run from.
    let what = package
        .api_version()
        .unwrap_or_else(|| package.version.clone());
    let doc = format!(" Generated code for `{what}`.");
    let prelude = (!items.is_empty()).then(|| {
        quote!(
            use super::*;
        )
    });
    let tokens = quote! {
        #![doc = #doc]
        #prelude
        #items
    };
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        vec![Diagnostic::new(
            &package.file,
            format!("internal error: generated code does not parse: {e}"),
        )]
    })?;
    Ok(format!("{HEADER}\n{}", prettyplease::unparse(&file)))
}
