//! Where a marker stands decides what it applies to.
//!
//! Every item of a file gets a window: the lines after the previous item (or the opening brace
//! of its inline module, or the top of the file) and before its keyword. Markers in the first
//! window of a file may be package markers; markers in the window of a `struct` or `enum`
//! belong to that type. A marker of ours anywhere else is misplaced: it is never dropped.

use proc_macro2::Span;
use syn::spanned::Spanned;

/// A struct, enum or union at module level, with the inline modules that lead to it.
#[derive(Clone, Debug)]
pub struct TypeItem<'a> {
    pub item: &'a syn::Item,
    pub ident: &'a syn::Ident,
    /// Inline modules between the file's module and the type (outermost first).
    pub inline_path: Vec<syn::Ident>,
}

/// What a window's markers would apply to.
#[derive(Clone, Debug)]
pub enum Target<'a> {
    Type(TypeItem<'a>),
    /// Any other item; the string names it for messages (`a function`).
    Other(&'static str),
    /// After the last item of a file or module: nothing follows.
    Nothing,
}

/// Lines strictly between `after` and `before` belong to `target`.
#[derive(Clone, Debug)]
pub struct Window<'a> {
    pub after: usize,
    pub before: usize,
    pub target: Target<'a>,
    /// The window before the first item of the file: package markers may stand here.
    pub file_top: bool,
}

/// The windows and the module-level types of one parsed file.
#[derive(Debug, Default)]
pub struct Layout<'a> {
    pub windows: Vec<Window<'a>>,
    pub types: Vec<TypeItem<'a>>,
}

impl<'a> Layout<'a> {
    pub fn of(file: &'a syn::File) -> Layout<'a> {
        let mut layout = Layout::default();
        layout.visit(&file.items, 0, usize::MAX, true, &[]);
        layout
    }

    /// The window holding `line`, if any.
    pub fn window_at(&self, line: usize) -> Option<&Window<'a>> {
        self.windows
            .iter()
            .find(|w| w.after < line && line < w.before)
    }

    fn visit(
        &mut self,
        items: &'a [syn::Item],
        mut after: usize,
        end: usize,
        file_top: bool,
        inline_path: &[syn::Ident],
    ) {
        for (index, item) in items.iter().enumerate() {
            let keyword_line = keyword_line(item);
            let ident = match item {
                syn::Item::Struct(s) => Some(&s.ident),
                syn::Item::Enum(e) => Some(&e.ident),
                syn::Item::Union(u) => Some(&u.ident),
                _ => None,
            };
            let target = match ident {
                Some(ident) => {
                    let t = TypeItem {
                        item,
                        ident,
                        inline_path: inline_path.to_vec(),
                    };
                    self.types.push(t.clone());
                    Target::Type(t)
                }
                None => Target::Other(describe(item)),
            };
            self.windows.push(Window {
                after,
                before: keyword_line,
                target,
                file_top: file_top && index == 0,
            });
            if let syn::Item::Mod(m) = item
                && let Some((brace, content)) = &m.content
            {
                let mut path = inline_path.to_vec();
                path.push(m.ident.clone());
                let (open, close) = (
                    brace.span.open().start().line,
                    brace.span.close().start().line,
                );
                self.visit(content, open, close, false, &path);
            }
            after = end_line(item);
        }
        self.windows.push(Window {
            after,
            before: end,
            target: Target::Nothing,
            file_top: file_top && items.is_empty(),
        });
    }
}

/// The line of the token that starts the item proper (its `struct`, `fn`… keyword): markers
/// end here.
pub fn keyword_line(item: &syn::Item) -> usize {
    keyword_span(item).start().line
}

/// The line of the item's last token. `Spanned::span` would find it by turning the whole item
/// back into tokens (a twentieth of a cold run); the closing token is at hand instead.
fn end_line(item: &syn::Item) -> usize {
    let close = |group: &proc_macro2::extra::DelimSpan| group.close();
    let last = match item {
        syn::Item::Struct(i) => match (&i.semi_token, &i.fields) {
            (Some(semi), _) => semi.span,
            (None, syn::Fields::Named(f)) => close(&f.brace_token.span),
            (None, syn::Fields::Unnamed(f)) => close(&f.paren_token.span),
            (None, syn::Fields::Unit) => item.span(),
        },
        syn::Item::Enum(i) => close(&i.brace_token.span),
        syn::Item::Union(i) => close(&i.fields.brace_token.span),
        syn::Item::Fn(i) => close(&i.block.brace_token.span),
        syn::Item::Mod(i) => match (&i.content, &i.semi) {
            (Some((brace, _)), _) => close(&brace.span),
            (None, Some(semi)) => semi.span,
            (None, None) => item.span(),
        },
        syn::Item::Impl(i) => close(&i.brace_token.span),
        syn::Item::Trait(i) => close(&i.brace_token.span),
        syn::Item::Type(i) => i.semi_token.span,
        syn::Item::Const(i) => i.semi_token.span,
        syn::Item::Static(i) => i.semi_token.span,
        syn::Item::Use(i) => i.semi_token.span,
        syn::Item::ExternCrate(i) => i.semi_token.span,
        other => other.span(),
    };
    last.end().line
}

/// The span of the token that starts the item proper (after attributes and visibility).
fn keyword_span(item: &syn::Item) -> Span {
    match item {
        syn::Item::Struct(i) => i.struct_token.span,
        syn::Item::Enum(i) => i.enum_token.span,
        syn::Item::Union(i) => i.union_token.span,
        syn::Item::Fn(i) => i.sig.fn_token.span,
        syn::Item::Mod(i) => i.mod_token.span,
        syn::Item::Impl(i) => i.impl_token.span,
        syn::Item::Trait(i) => i.trait_token.span,
        syn::Item::Type(i) => i.type_token.span,
        syn::Item::Const(i) => i.const_token.span,
        syn::Item::Static(i) => i.static_token.span,
        syn::Item::Use(i) => i.use_token.span,
        other => other.span(),
    }
}

fn describe(item: &syn::Item) -> &'static str {
    match item {
        syn::Item::Fn(_) => "a function",
        syn::Item::Mod(_) => "a module",
        syn::Item::Impl(_) => "an impl block",
        syn::Item::Trait(_) => "a trait",
        syn::Item::Type(_) => "a type alias",
        syn::Item::Const(_) => "a const",
        syn::Item::Static(_) => "a static",
        syn::Item::Use(_) => "a use declaration",
        syn::Item::Macro(_) => "a macro invocation",
        syn::Item::ExternCrate(_) => "an extern crate",
        _ => "an item",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target_at(text: &str, line: usize) -> String {
        let file = syn::parse_file(text).expect("valid Rust");
        let layout = Layout::of(&file);
        match layout.window_at(line).map(|w| &w.target) {
            Some(Target::Type(t)) => format!("type {}", t.ident),
            Some(Target::Other(what)) => (*what).to_owned(),
            Some(Target::Nothing) => "nothing".to_owned(),
            None => "no window".to_owned(),
        }
    }

    #[test]
    fn an_item_ends_where_its_tokens_do() {
        let text = "/// doc\n#[derive(Clone)]\npub struct A {\n    a: u8,\n}\n\
            pub struct B(\n    u8,\n);\npub struct C<T>(T)\nwhere\n    T: Clone;\nstruct D;\n\
            enum E {\n    X,\n}\nunion U {\n    a: u8,\n}\nfn f() {\n}\nmod m {\n}\nmod n;\n\
            impl A {\n}\ntrait T {\n}\ntype X =\n    u8;\nconst K: u8 =\n    1;\n\
            static S: u8 =\n    1;\nuse std::{\n    fmt,\n};\nextern crate core\n    ;\n\
            macro_rules! m {\n    () => {};\n}\nextern \"C\" {\n}\n";
        let file = syn::parse_file(text).expect("valid Rust");
        assert_eq!(file.items.len(), 18);
        for item in &file.items {
            assert_eq!(end_line(item), item.span().end().line, "{item:?}");
        }
    }

    #[test]
    fn the_end_of_an_inline_module_closes_its_last_window() {
        let text =
            "mod inner {\n    pub struct A;\n\n    // marker\n}\n\n// marker\npub struct B;\n";
        assert_eq!(target_at(text, 4), "nothing");
        assert_eq!(target_at(text, 7), "type B");
        let text = "mod inner {\n    pub struct A;\n}\n// marker\n";
        assert_eq!(target_at(text, 4), "nothing");
    }
}
