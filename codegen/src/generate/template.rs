//! Parsing each shape of generated item once.
//!
//! A clientset, its informers and the registration code repeat the same items for every kind,
//! differing only in names: `impl PodClient { pub fn get(…) }` and `impl ServiceClient { … }`
//! are one shape. syn's parser was most of what formatting them cost (about a billion
//! instructions for 1,000 kinds), so each item is parsed once per shape and every further item
//! of that shape is a copy of the parsed tree with its names filled in.
//!
//! The shape of an item is its tokens with every identifier and plain string literal replaced
//! by a numbered placeholder, keywords and other literals kept: syn's parser decides only on
//! punctuation, delimiters, keywords and the kind of each literal, never on a name, so two items
//! of one shape parse to the same tree up to their names. Only the placeholders are parsed; a
//! copy of that tree with each placeholder replaced by the token it stands for is the tree of
//! the real item, which prettyplease prints byte for byte as it prints the parsed item.
//!
//! Modules and impl blocks are opened: their shell (`impl PodClient { }`) and each item inside
//! have shapes of their own, so an impl whose methods depend on a kind's verbs still reuses
//! every method. Whatever does not fit (an item that does not parse alone, a placeholder left
//! anywhere in the text, a name that already looks like a placeholder) makes [`Templates::format`]
//! return `None`, and the caller parses the chunk whole as before: reuse can only ever be
//! faster, never different.

use std::collections::HashMap;

use proc_macro2::{Delimiter, Group, Ident, Literal, Span, TokenStream, TokenTree};
use syn::visit_mut::VisitMut;

use super::format::{ItemEnds, Leaf, Tok, item_starts, leaf_token, rebuild};

/// How placeholders begin. Items whose own names or strings contain it are parsed as they are.
const PREFIX: &str = "__kube_codegen_slot_";

/// Whether `text` contains [`PREFIX`]; most names are shorter than it, and need no search.
fn has_prefix(text: &str) -> bool {
    text.len() >= PREFIX.len() && text.contains(PREFIX)
}

/// The number of `name` among the identifiers syn's parser treats as more than a name (strict,
/// reserved and weak keywords, the literals `true` and `false`, and the few words syn looks for
/// by spelling), if it is one. These stay in an item's shape as they are.
fn keyword(name: &str) -> Option<u8> {
    // A `match` on the spelling: it dispatches on length first, where a list is searched
    // keyword by keyword, and this runs for every identifier of every item.
    Some(match name {
        "_" => 0,
        "abstract" => 1,
        "as" => 2,
        "async" => 3,
        "auto" => 4,
        "await" => 5,
        "become" => 6,
        "box" => 7,
        "break" => 8,
        "builtin" => 9,
        "const" => 10,
        "continue" => 11,
        "crate" => 12,
        "default" => 13,
        "do" => 14,
        "dyn" => 15,
        "else" => 16,
        "enum" => 17,
        "extern" => 18,
        "false" => 19,
        "final" => 20,
        "fn" => 21,
        "for" => 22,
        "gen" => 23,
        "if" => 24,
        "impl" => 25,
        "in" => 26,
        "let" => 27,
        "loop" => 28,
        "macro" => 29,
        "macro_rules" => 30,
        "match" => 31,
        "mod" => 32,
        "move" => 33,
        "mut" => 34,
        "override" => 35,
        "priv" => 36,
        "pub" => 37,
        "raw" => 38,
        "ref" => 39,
        "return" => 40,
        "safe" => 41,
        "Self" => 42,
        "self" => 43,
        "static" => 44,
        "struct" => 45,
        "super" => 46,
        "trait" => 47,
        "true" => 48,
        "try" => 49,
        "type" => 50,
        "typeof" => 51,
        "union" => 52,
        "unsafe" => 53,
        "unsized" => 54,
        "use" => 55,
        "virtual" => 56,
        "where" => 57,
        "while" => 58,
        "yield" => 59,
        _ => return None,
    })
}

/// The parsed tree of every shape seen so far on this thread.
#[derive(Default)]
pub(super) struct Templates {
    items: HashMap<Vec<u8>, syn::Item>,
    impl_items: HashMap<Vec<u8>, syn::ImplItem>,
}

impl Templates {
    /// prettyplease's text of the file made of `toks`, each item parsed once per shape; `None`
    /// when the tokens cannot be taken apart that way (the caller then parses them whole).
    pub(super) fn format(&mut self, toks: &[Tok], text: &str) -> Option<String> {
        let attrs_end = inner_attrs_end(toks);
        let attrs = if attrs_end == 0 {
            Vec::new()
        } else {
            syn::parse2::<syn::File>(
                rebuild(&toks[..attrs_end], text, |_, leaf| leaf_token(leaf)).ok()?,
            )
            .ok()?
            .attrs
        };
        let mut items = Vec::new();
        for item in split_items(&toks[attrs_end..], text) {
            items.push(self.item(item, text)?);
        }
        let printed = prettyplease::unparse(&syn::File {
            shebang: None,
            frontmatter: None,
            attrs,
            items,
        });
        // A placeholder the copy did not reach (a token syn keeps in a place not visited).
        (!has_prefix(&printed)).then_some(printed)
    }

    fn item(&mut self, toks: &[Tok], text: &str) -> Option<syn::Item> {
        let Some(container) = container(toks, text) else {
            return instantiate(&mut self.items, toks, text);
        };
        let mut shell = toks[..container.body_start].to_vec();
        shell.push(Tok::Close);
        let mut item = instantiate(&mut self.items, &shell, text)?;
        let body = &toks[container.body_start..toks.len() - 1];
        match (&mut item, container.kind) {
            (syn::Item::Mod(module), Kind::Mod) => {
                let (_, items) = module.content.as_mut()?;
                for inner in split_items(body, text) {
                    items.push(self.item(inner, text)?);
                }
            }
            (syn::Item::Impl(block), Kind::Impl) => {
                for inner in split_items(body, text) {
                    block
                        .items
                        .push(instantiate(&mut self.impl_items, inner, text)?);
                }
            }
            _ => return None,
        }
        Some(item)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Mod,
    Impl,
}

/// An item whose body (`{ … }`) holds items of its own.
struct Container {
    kind: Kind,
    /// Where the body's items begin: after its `{` and its inner attributes. The shell is
    /// everything before, closed.
    body_start: usize,
}

/// `toks` as a module with a body or an impl block, if it is one.
fn container(toks: &[Tok], text: &str) -> Option<Container> {
    if !matches!(toks.last(), Some(Tok::Close)) {
        return None;
    }
    // Past the outer attributes and the visibility, to the keyword that says what this is.
    let mut i = 0;
    while let [Tok::Punct('#', _), Tok::Open(Delimiter::Bracket), ..] = &toks[i..] {
        i = group_end(toks, i + 1)?;
    }
    let mut kind = None;
    while let Some(tok) = toks.get(i) {
        match tok {
            Tok::Ident(start, end) => match text.get(*start as usize..*end as usize)? {
                "pub" | "unsafe" | "default" => i += 1,
                "mod" => {
                    kind = Some(Kind::Mod);
                    break;
                }
                "impl" => {
                    kind = Some(Kind::Impl);
                    break;
                }
                _ => return None,
            },
            // `pub(crate)`.
            Tok::Open(Delimiter::Parenthesis) => i = group_end(toks, i)?,
            _ => return None,
        }
    }
    let kind = kind?;
    // The body is the last group at the item's own level.
    let mut depth = 0usize;
    let mut body = None;
    for (at, tok) in toks.iter().enumerate().skip(i) {
        match tok {
            Tok::Open(delimiter) => {
                if depth == 0 {
                    body = Some((at, *delimiter));
                }
                depth += 1;
            }
            Tok::Close => depth = depth.checked_sub(1)?,
            _ => {}
        }
    }
    let (open, delimiter) = body?;
    if delimiter != Delimiter::Brace || (kind == Kind::Mod && open != i + 2) {
        return None;
    }
    Some(Container {
        kind,
        body_start: open + 1 + inner_attrs_end(&toks[open + 1..toks.len() - 1]),
    })
}

/// Index just past the group opened at `open`.
fn group_end(toks: &[Tok], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (at, tok) in toks.iter().enumerate().skip(open) {
        match tok {
            Tok::Open(_) => depth += 1,
            Tok::Close => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(at + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// How many leading tokens are inner attributes (`#![…]`).
fn inner_attrs_end(toks: &[Tok]) -> usize {
    let mut i = 0;
    while let [
        Tok::Punct('#', _),
        Tok::Punct('!', _),
        Tok::Open(Delimiter::Bracket),
        ..,
    ] = &toks[i..]
    {
        match group_end(toks, i + 2) {
            Some(end) => i = end,
            None => return i,
        }
    }
    i
}

/// `toks` cut after every `;` or `{ … }` of their own level that an item follows. A cut in
/// the wrong place only makes a piece fail to parse alone, and the chunk is parsed whole.
fn split_items<'t>(toks: &'t [Tok], text: &str) -> Vec<&'t [Tok]> {
    let mut items = Vec::new();
    let mut start = 0;
    let mut ends = ItemEnds::default();
    for (at, tok) in toks.iter().enumerate() {
        if ends.after(tok) && item_starts(&toks[at + 1..], text) {
            items.push(&toks[start..=at]);
            start = at + 1;
        }
    }
    if start < toks.len() {
        items.push(&toks[start..]);
    }
    items
}

/// The tree of the item `toks`: a copy of its shape's tree, parsed on first sight, with the
/// names filled in.
fn instantiate<T>(cache: &mut HashMap<Vec<u8>, T>, toks: &[Tok], text: &str) -> Option<T>
where
    T: syn::parse::Parse + Clone + Fill,
{
    // One byte a token where it can be: the shape is hashed and compared for every item. The
    // code is prefix-free (a tag byte, then a fixed or stated length), so two shapes are equal
    // only when their tokens are.
    let mut shape: Vec<u8> = Vec::with_capacity(toks.len() + toks.len() / 2);
    let mut slots: Vec<Slot<'_>> = Vec::new();
    let mut lifetime_next = false;
    for tok in toks {
        let after_quote = std::mem::take(&mut lifetime_next);
        match tok {
            Tok::Ident(start, end) => {
                let name = text.get(*start as usize..*end as usize)?;
                // Such an item is left to the whole chunk's parse: its text would look unfilled.
                if has_prefix(name) {
                    return None;
                }
                match keyword(name) {
                    Some(keyword) if !after_quote => {
                        shape.push(b'K');
                        shape.push(keyword);
                    }
                    _ if after_quote => {
                        shape.push(b'V');
                        verbatim(&mut shape, name)?;
                    }
                    _ => {
                        shape.push(b'I');
                        slots.push(Slot::Ident(name));
                    }
                }
            }
            Tok::Literal(start, end) => {
                let literal = text.get(*start as usize..*end as usize)?;
                if has_prefix(literal) {
                    return None;
                }
                if literal.starts_with('"') {
                    shape.push(b'S');
                    slots.push(Slot::Str(literal));
                } else {
                    shape.push(b'L');
                    verbatim(&mut shape, literal)?;
                }
            }
            Tok::Punct(c, spacing) => {
                // Punctuation is ASCII and never a tag letter; the high bit marks `Joint`.
                let joint = if *spacing == proc_macro2::Spacing::Joint {
                    0x80
                } else {
                    0
                };
                shape.push(u8::try_from(*c).ok()? | joint);
                lifetime_next = *c == '\'';
            }
            Tok::Open(delimiter) => shape.push(match delimiter {
                Delimiter::Parenthesis => b'(',
                Delimiter::Brace => b'{',
                Delimiter::Bracket => b'[',
                Delimiter::None => b'0',
            }),
            Tok::Close => shape.push(b')'),
        }
    }
    let template = match cache.get(&shape) {
        Some(parsed) => parsed.clone(),
        None => {
            let parsed: T = syn::parse2(placeholders(toks, text)?).ok()?;
            cache.insert(shape, parsed.clone());
            parsed
        }
    };
    let mut filled = template;
    let mut filler = Filler {
        slots: &slots,
        failed: false,
    };
    filled.fill(&mut filler);
    (!filler.failed).then_some(filled)
}

/// Appends `text` to a shape: its length, then its bytes.
fn verbatim(shape: &mut Vec<u8>, text: &str) -> Option<()> {
    shape.extend_from_slice(&u32::try_from(text.len()).ok()?.to_le_bytes());
    shape.extend_from_slice(text.as_bytes());
    Some(())
}

/// The tokens of `toks` with every name and plain string a placeholder, numbered in order.
fn placeholders(toks: &[Tok], text: &str) -> Option<TokenStream> {
    let mut next = 0usize;
    rebuild(toks, text, |at, leaf| {
        let after_quote = at > 0 && matches!(toks[at - 1], Tok::Punct('\'', _));
        let slot = match leaf {
            Leaf::Ident(name) if !after_quote && keyword(name).is_none() => {
                TokenTree::Ident(Ident::new(&format!("{PREFIX}{next}"), Span::call_site()))
            }
            Leaf::Literal(literal) if literal.starts_with('"') => {
                TokenTree::Literal(Literal::string(&format!("{PREFIX}{next}")))
            }
            other => return leaf_token(other),
        };
        next += 1;
        Ok(slot)
    })
    .ok()
}

/// Which slot a placeholder's text stands for.
fn slot_of(placeholder: &str) -> Option<usize> {
    placeholder.strip_prefix(PREFIX)?.parse().ok()
}

/// The slot `token` (an identifier, or a string literal with its quotes) stands for, read
/// without allocating: every identifier of a copied tree is looked at.
fn slot_of_token(token: &dyn std::fmt::Display, quoted: bool) -> Option<usize> {
    /// Room for a placeholder, quoted; anything longer is not one.
    struct Short {
        bytes: [u8; 48],
        len: usize,
    }
    impl std::fmt::Write for Short {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            let end = self.len + s.len();
            let room = self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?;
            room.copy_from_slice(s.as_bytes());
            self.len = end;
            Ok(())
        }
    }
    let mut short = Short {
        bytes: [0; 48],
        len: 0,
    };
    std::fmt::write(&mut short, format_args!("{token}")).ok()?;
    let text = std::str::from_utf8(&short.bytes[..short.len]).ok()?;
    if quoted {
        slot_of(text.strip_prefix('"')?.strip_suffix('"')?)
    } else {
        slot_of(text)
    }
}

/// What a placeholder stands for: a name or a plain string literal, as written.
#[derive(Clone, Copy)]
enum Slot<'t> {
    Ident(&'t str),
    Str(&'t str),
}

/// Replaces placeholders with the tokens they stand for.
struct Filler<'s> {
    slots: &'s [Slot<'s>],
    failed: bool,
}

impl Filler<'_> {
    /// The token slot `slot` holds; a slot that is missing or does not lex fails the copy.
    fn real(&mut self, slot: usize) -> Option<TokenTree> {
        let real = self.slots.get(slot).and_then(|slot| match slot {
            Slot::Ident(name) => leaf_token(Leaf::Ident(name)).ok(),
            Slot::Str(text) => leaf_token(Leaf::Literal(text)).ok(),
        });
        if real.is_none() {
            self.failed = true;
        }
        real
    }

    /// The name `ident` stands for, when it is a placeholder.
    fn ident(&mut self, ident: &Ident) -> Option<Ident> {
        match self.real(slot_of_token(ident, false)?)? {
            TokenTree::Ident(real) => Some(real),
            _ => {
                self.failed = true;
                None
            }
        }
    }

    /// The string `literal` stands for, when it is a placeholder.
    fn literal(&mut self, literal: &Literal) -> Option<Literal> {
        match self.real(slot_of_token(literal, true)?)? {
            TokenTree::Literal(real) => Some(real),
            _ => {
                self.failed = true;
                None
            }
        }
    }

    fn stream(&mut self, stream: &TokenStream) -> TokenStream {
        stream
            .clone()
            .into_iter()
            .map(|tree| match tree {
                TokenTree::Ident(ident) => TokenTree::Ident(self.ident(&ident).unwrap_or(ident)),
                TokenTree::Literal(literal) => {
                    TokenTree::Literal(self.literal(&literal).unwrap_or(literal))
                }
                TokenTree::Group(group) => {
                    let mut filled = Group::new(group.delimiter(), self.stream(&group.stream()));
                    filled.set_span(group.span());
                    TokenTree::Group(filled)
                }
                punct @ TokenTree::Punct(_) => punct,
            })
            .collect()
    }
}

impl VisitMut for Filler<'_> {
    fn visit_ident_mut(&mut self, ident: &mut Ident) {
        if let Some(real) = self.ident(ident) {
            *ident = real;
        }
    }

    fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
        if let Some(real) = self.literal(&lit.token()) {
            match syn::Lit::new(real) {
                syn::Lit::Str(real) => *lit = real,
                _ => self.failed = true,
            }
        }
    }

    // Macro arguments and attribute lists stay tokens in syn's tree.
    fn visit_token_stream_mut(&mut self, stream: &mut TokenStream) {
        *stream = self.stream(stream);
    }
}

/// A tree the filler can walk.
trait Fill {
    fn fill(&mut self, filler: &mut Filler<'_>);
}

impl Fill for syn::Item {
    fn fill(&mut self, filler: &mut Filler<'_>) {
        filler.visit_item_mut(self);
    }
}

impl Fill for syn::ImplItem {
    fn fill(&mut self, filler: &mut Filler<'_>) {
        filler.visit_impl_item_mut(self);
    }
}

#[cfg(test)]
mod tests {
    use super::super::format::Portable;
    use super::*;
    use quote::{format_ident, quote};

    fn whole(tokens: &TokenStream) -> String {
        prettyplease::unparse(&syn::parse2(tokens.clone()).expect("parses"))
    }

    fn templated(templates: &mut Templates, tokens: &TokenStream) -> Option<String> {
        Portable::chunks(tokens.clone(), usize::MAX)
            .remove(0)
            .format_with(templates)
    }

    /// Items of many kinds, named after `n`.
    fn corpus(n: usize) -> TokenStream {
        let ty = format_ident!("Kind{n}");
        let client = format_ident!("Kind{n}Client");
        let module = format_ident!("group{n}_v1");
        let method = format_ident!("kind{n}s");
        let raw = format_ident!("r#type");
        let doc = format!(" Clients for `group{n}.example.io/v1`.");
        let plural = format!("kind{n}s");
        quote! {
            #![doc = #doc]
            #![allow(clippy::wildcard_imports)]
            use super::*;
            #[doc = #doc]
            #[derive(Clone, Debug, PartialEq)]
            #[serde(rename_all = "camelCase", default)]
            pub struct #ty<'a> {
                pub #raw: Option<&'a str>,
                pub(crate) items: Vec<::std::collections::BTreeMap<String, (u8, i64)>>,
            }
            pub enum Phase { Pending, Done(#ty<'static>), Failed { reason: String } }
            pub const PLURAL: &str = #plural;
            pub const ON: bool = true;
            pub const OFF: bool = ON;
            pub static BYTES: &[u8] = b"bytes";
            pub const RAW: &str = r"raw \ string";
            pub const PAIR: (u8, char) = (0x10, 'x');
            extern "C" { fn external(x: u32) -> u32; }
            #[doc = #doc]
            pub mod #module {
                #![doc = " Inner."]
                use super::*;
                pub struct #client { api: Api<#ty<'static>> }
                impl #client {
                    #[must_use]
                    pub fn #method(&self) -> &Api<#ty<'static>> { &self.api }
                    pub async fn get(&self, name: &str) -> Result<#ty<'static>, Error> {
                        let found = self.api.get(name).await?;
                        if found.items.is_empty() && !name.is_empty() { return Err(Error::NotFound(format!("{} {name}", #plural))); }
                        let pick = |x: &#ty<'static>| x.items.len() as u64 >= 1 << 3;
                        match found.0 { Some(ref v) if pick(v) => Ok(v.clone()), _ => Err(Error::Gone) }
                    }
                    fn by_self(self) -> Self { self }
                    fn by_value(x: u8) -> u8 { x >> 1 }
                }
                unsafe impl Send for #client {}
                impl<T: Clone + 'static> From<T> for #client where T: Into<Api<#ty<'static>>> {
                    fn from(api: T) -> Self { Self { api: api.into() } }
                }
            }
            macro_rules! each { ($($x:ident),*) => { $(let _ = $x;)* }; }
        }
    }

    #[test]
    fn items_print_as_they_parse_and_a_shape_is_parsed_once() {
        let mut templates = Templates::default();
        let first = corpus(1);
        assert_eq!(templated(&mut templates, &first), Some(whole(&first)));
        let shapes = (templates.items.len(), templates.impl_items.len());
        assert!(shapes.0 > 10 && shapes.1 > 4, "{shapes:?}");
        // The same items under other names: every shape comes from the cache, printed with its
        // own names and strings.
        for n in [2, 30, 400] {
            let other = corpus(n);
            let printed = templated(&mut templates, &other);
            assert_eq!(printed, Some(whole(&other)));
            assert!(
                printed.is_some_and(|p| p.contains(&format!("kind{n}s")) && !p.contains("kind1s"))
            );
            assert_eq!(
                (templates.items.len(), templates.impl_items.len()),
                shapes,
                "no new shape"
            );
        }
    }

    #[test]
    fn keywords_and_literals_are_part_of_the_shape() {
        // Each pair differs only where a name meets a keyword or a literal of another kind:
        // they must not share a tree.
        let mut templates = Templates::default();
        for tokens in [
            quote! { impl A { fn f(self) {} } },
            quote! { impl A { fn f(x: u8) {} } },
            quote! { const A: bool = true; },
            quote! { const A: bool = yes; },
            quote! { const A: u8 = 1; },
            quote! { const A: &str = "1"; },
            quote! { const A: u8 = 2; },
            quote! { fn f<'a>(x: &'a u8) {} },
            quote! { fn f<T>(x: &T) {} },
            quote! { type A = Vec<Vec<u8>>; },
            quote! { type A = Vec<Vec<u8> >; },
        ] {
            assert_eq!(
                templated(&mut templates, &tokens),
                Some(whole(&tokens)),
                "{tokens}"
            );
        }
    }

    #[test]
    fn what_does_not_fit_is_left_to_the_whole_parse() {
        let mut templates = Templates::default();
        // A name that looks like a placeholder.
        let lookalike = format_ident!("{PREFIX}0");
        let tokens = quote! { pub struct #lookalike; };
        assert_eq!(templated(&mut templates, &tokens), None);
        // An item that does not begin with a word the splitter knows (a macro call) is joined
        // to the one before, and the pair does not parse as one item.
        let tokens = quote! { pub struct A; each! { a } };
        assert_eq!(templated(&mut templates, &tokens), None);
        // The formatter then parses the chunk whole, with the same result either way.
        let chunk = Portable::chunks(tokens.clone(), usize::MAX).remove(0);
        assert_eq!(
            super::super::format::format_chunk(&chunk, &mut templates),
            Ok(whole(&tokens))
        );
    }
}
