//! The user declares the modules the tool writes; these checks say exactly what to add.

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

/// The version module must declare `#[rustfmt::skip] mod zz_generated;`.
pub fn check_output_declared(file: &SourceFile, reexport: bool) -> Result<(), Diagnostic> {
    const LINE: &str = "#[rustfmt::skip] mod zz_generated;";
    let syntax = file.syntax()?;
    let declaration = syntax.items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "zz_generated" => Some(m),
        _ => None,
    });
    let Some(m) = declaration else {
        return Err(
            Diagnostic::new(&file.rel, "the generated module is not declared".to_owned())
                .help(format!("add this line to {}: `{LINE}`", file.rel.display())),
        );
    };
    let start = m.mod_token.span.start();
    if m.content.is_some() {
        return Err(
            Diagnostic::new(&file.rel, "`zz_generated` must be a file module")
                .at(start.line, start.column + 1)
                .width(3)
                .help(format!("declare it as `{LINE}`: the tool writes the file")),
        );
    }
    if !skips_rustfmt(&m.attrs) {
        return Err(
            Diagnostic::new(&file.rel, "`mod zz_generated;` lacks `#[rustfmt::skip]`")
                .at(start.line, start.column + 1)
                .width(3)
                .help(format!("write `{LINE}`: otherwise `cargo fmt` rewrites generated code and the drift check fails")),
        );
    }
    if reexport
        && !matches!(m.vis, syn::Visibility::Public(_))
        && !reexports(&syntax.items, "zz_generated")
    {
        return Err(Diagnostic::new(
            &file.rel,
            "the registration in `zz_generated` (`GROUP`, `VERSION`, `RESOURCES`) is not reachable",
        )
        .at(start.line, start.column + 1)
        .width(3)
        .help(format!(
            "add `pub use zz_generated::*;` after the declaration in {}",
            file.rel.display()
        )));
    }
    Ok(())
}

/// `#[rustfmt::skip]` is among the attributes.
pub fn skips_rustfmt(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        let segments: Vec<String> = a
            .path()
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        segments == ["rustfmt", "skip"]
    })
}

/// A `pub use` of anything from `module` (`pub use zz_generated::*;`, `pub use
/// self::zz_generated::{GROUP, RESOURCES};`).
fn reexports(items: &[syn::Item], module: &str) -> bool {
    items.iter().any(|item| match item {
        syn::Item::Use(u) if matches!(u.vis, syn::Visibility::Public(_)) => {
            starts_with_module(&u.tree, module)
        }
        _ => false,
    })
}

fn starts_with_module(tree: &syn::UseTree, module: &str) -> bool {
    match tree {
        syn::UseTree::Path(p) if p.ident == "self" => starts_with_module(&p.tree, module),
        syn::UseTree::Path(p) => p.ident == module,
        syn::UseTree::Group(g) => g.items.iter().any(|t| starts_with_module(t, module)),
        _ => false,
    }
}

/// A file-module declaration `mod <name>;` carrying `#[rustfmt::skip]`.
pub fn declares_skipped_module(items: &[syn::Item], name: &str) -> bool {
    items.iter().any(|item| {
        matches!(item, syn::Item::Mod(m) if m.ident == name && m.content.is_none() && skips_rustfmt(&m.attrs))
    })
}
