//! Formatting generated tokens on every core.
//!
//! The model's syn types are bound to the main thread, and so are the `TokenStream`s generated
//! from it there (the clients'). Printing those tokens as text only to lex the text again on a
//! formatting thread cost a fifth of a cold run; instead each stream is flattened into
//! [`Portable`] tokens (plain data, `Send`), rebuilt on the formatting thread and parsed there,
//! each item shape once (see `template`). Work taken from the model as plain data (registration,
//! deep copies) is generated on the formatting threads themselves ([`Work`]). Large files (a clientset of hundreds of kinds) are cut between
//! top-level items into chunks that format on different threads and are joined in order: no
//! thread holds the syntax tree of a whole large file, so peak memory stays flat.

use std::path::PathBuf;
use std::sync::{Mutex, mpsc};

use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};

use super::template::Templates;
use crate::diagnostic::Diagnostic;

/// Flat tokens of a chunk: cheaper to build and to rebuild than text is to print and lex.
#[derive(Debug, Default)]
pub(crate) struct Portable {
    tokens: Vec<Tok>,
    /// The text of every identifier and literal, one after the other: one allocation, not one
    /// per token.
    text: std::sync::Arc<String>,
}

#[derive(Clone, Copy, Debug)]
pub(super) enum Tok {
    /// `text[start..end]`.
    Ident(u32, u32),
    Punct(char, Spacing),
    Literal(u32, u32),
    Open(Delimiter),
    Close,
}

/// A file cut into chunks of about this many tokens; a deep-copy package stays in one piece.
pub(crate) const CHUNK_TOKENS: usize = 40_000;

impl Portable {
    /// Flattens `tokens`, cut between top-level items into chunks of about `chunk` tokens.
    pub(crate) fn chunks(tokens: TokenStream, chunk: usize) -> Vec<Portable> {
        let mut flat = Vec::new();
        let mut text = String::new();
        flatten(tokens, &mut flat, &mut text);
        let text = std::sync::Arc::new(text);
        // Where chunks may end: after a top-level `;` or `{ … }`, where an item begins.
        let mut cuts = Vec::new();
        let mut start = 0;
        let mut ends = ItemEnds::default();
        for i in 0..flat.len() {
            if ends.after(&flat[i]) && i + 1 - start >= chunk && item_starts(&flat[i + 1..], &text)
            {
                cuts.push(i + 1);
                start = i + 1;
            }
        }
        let mut chunks = Vec::with_capacity(cuts.len() + 1);
        for cut in cuts.into_iter().rev() {
            chunks.push(flat.split_off(cut));
        }
        chunks.push(flat);
        chunks
            .into_iter()
            .rev()
            .filter(|c| !c.is_empty())
            .map(|tokens| Portable {
                tokens,
                text: std::sync::Arc::clone(&text),
            })
            .collect()
    }

    /// prettyplease's text of these tokens through `templates`, if they come apart into items.
    #[cfg(test)]
    pub(super) fn format_with(&self, templates: &mut Templates) -> Option<String> {
        templates.format(&self.tokens, &self.text)
    }

    /// The tokens again, on this thread.
    pub(crate) fn tokens(&self) -> Result<TokenStream, String> {
        rebuild(&self.tokens, &self.text, |_, leaf| leaf_token(leaf))
    }
}

/// An identifier or literal being rebuilt: its text.
pub(super) enum Leaf<'t> {
    Ident(&'t str),
    Literal(&'t str),
}

/// The token `leaf` spells.
pub(super) fn leaf_token(leaf: Leaf<'_>) -> Result<TokenTree, String> {
    let span = Span::call_site();
    Ok(match leaf {
        Leaf::Ident(name) => TokenTree::Ident(match name.strip_prefix("r#") {
            Some(raw) => Ident::new_raw(raw, span),
            None => Ident::new(name, span),
        }),
        Leaf::Literal(text) => TokenTree::Literal(
            text.parse()
                .map_err(|e| format!("literal `{text}` does not lex: {e}"))?,
        ),
    })
}

/// `toks` as a token stream, on this thread; `leaf` makes the token of each identifier and
/// literal, given its index in `toks` and its text.
pub(super) fn rebuild(
    toks: &[Tok],
    text: &str,
    mut leaf: impl FnMut(usize, Leaf<'_>) -> Result<TokenTree, String>,
) -> Result<TokenStream, String> {
    let mut stack: Vec<(Delimiter, Vec<TokenTree>)> = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    for (at, tok) in toks.iter().enumerate() {
        match tok {
            Tok::Ident(start, end) => {
                let name = text.get(*start as usize..*end as usize).unwrap_or("_");
                current.push(leaf(at, Leaf::Ident(name))?);
            }
            Tok::Punct(c, spacing) => current.push(TokenTree::Punct(Punct::new(*c, *spacing))),
            Tok::Literal(start, end) => {
                let literal = text.get(*start as usize..*end as usize).unwrap_or("");
                current.push(leaf(at, Leaf::Literal(literal))?);
            }
            Tok::Open(delimiter) => stack.push((*delimiter, std::mem::take(&mut current))),
            Tok::Close => {
                let (delimiter, parent) = stack
                    .pop()
                    .ok_or("unbalanced delimiters in generated tokens")?;
                let inner = std::mem::replace(&mut current, parent);
                current.push(TokenTree::Group(Group::new(
                    delimiter,
                    inner.into_iter().collect(),
                )));
            }
        }
    }
    if !stack.is_empty() {
        return Err("unbalanced delimiters in generated tokens".to_owned());
    }
    Ok(current.into_iter().collect())
}

/// Appends `tokens` to `out`. Invisible groups are spliced in, as printing them as text and
/// lexing the text did: the files parse and print exactly as they did then.
fn flatten(tokens: TokenStream, out: &mut Vec<Tok>, text: &mut String) {
    use std::fmt::Write as _;
    // Offsets are u32 to keep tokens small; a generated file is far below 4 GiB.
    let span = |text: &mut String, what: &dyn std::fmt::Display| {
        let start = text.len() as u32;
        let _ = write!(text, "{what}");
        (start, text.len() as u32)
    };
    for tree in tokens {
        match tree {
            TokenTree::Ident(ident) => {
                let (start, end) = span(text, &ident);
                out.push(Tok::Ident(start, end));
            }
            TokenTree::Punct(punct) => out.push(Tok::Punct(punct.as_char(), punct.spacing())),
            TokenTree::Literal(literal) => {
                let (start, end) = span(text, &literal);
                out.push(Tok::Literal(start, end));
            }
            TokenTree::Group(group) => {
                let delimiter = group.delimiter();
                // `stream()` shares the group's tokens; dropping the group first leaves the
                // stream their only owner, so iterating it moves the tokens instead of
                // copying every one (a third of this function's cost).
                let stream = group.stream();
                drop(group);
                if delimiter == Delimiter::None {
                    flatten(stream, out, text);
                } else {
                    out.push(Tok::Open(delimiter));
                    flatten(stream, out, text);
                    out.push(Tok::Close);
                }
            }
        }
    }
}

/// Where items may end, token by token: after a `;` or a `{ … }` of the outermost level (the
/// `]` of an attribute ends nothing).
#[derive(Default)]
pub(super) struct ItemEnds {
    open: Vec<Delimiter>,
}

impl ItemEnds {
    /// Whether an item may end with `tok`, the next token.
    pub(super) fn after(&mut self, tok: &Tok) -> bool {
        match tok {
            Tok::Open(delimiter) => {
                self.open.push(*delimiter);
                false
            }
            Tok::Close => self.open.pop() == Some(Delimiter::Brace) && self.open.is_empty(),
            Tok::Punct(';', _) => self.open.is_empty(),
            _ => false,
        }
    }
}

/// Whether `rest` begins an item: an outer attribute or an item keyword. A chunk only ends
/// where the next one can begin, so every chunk parses as a file of whole items.
pub(super) fn item_starts(rest: &[Tok], text: &str) -> bool {
    match rest {
        [Tok::Punct('#', _), Tok::Open(Delimiter::Bracket), ..] => true,
        [Tok::Ident(start, end), ..] => matches!(
            text.get(*start as usize..*end as usize).unwrap_or(""),
            "pub"
                | "impl"
                | "struct"
                | "enum"
                | "fn"
                | "mod"
                | "use"
                | "const"
                | "static"
                | "type"
                | "trait"
                | "unsafe"
                | "extern"
                | "async"
                | "macro_rules"
        ),
        _ => false,
    }
}

/// One chunk to format: which file, which chunk of it.
pub(crate) struct Task {
    pub file: usize,
    pub chunk: usize,
    pub work: Work,
}

/// What a chunk is made from.
pub(crate) enum Work {
    /// Tokens the producer generated.
    Tokens(Portable),
    /// Tokens to generate on the formatting thread, from plain data the producer took from the
    /// model (whose syn types cannot leave its thread): formatted as one chunk.
    Generate(Box<dyn FnOnce() -> TokenStream + Send>),
    /// Text to make on the formatting thread, the same way (code built as syntax trees and
    /// printed there).
    Print(Box<dyn FnOnce() -> Result<String, String> + Send>),
}

impl Work {
    fn format(self, templates: &mut Templates) -> Result<String, String> {
        match self {
            Work::Tokens(tokens) => format_chunk(&tokens, templates),
            Work::Generate(generate) => {
                match Portable::chunks(generate(), usize::MAX).into_iter().next() {
                    Some(tokens) => format_chunk(&tokens, templates),
                    None => Ok(String::new()),
                }
            }
            Work::Print(print) => print(),
        }
    }
}

type Done = (usize, usize, Result<String, String>);

/// Chunks waiting for a formatting thread, per thread. The producer outpaces the formatters:
/// an unbounded queue held every file's tokens at once (hundreds of MiB at 10,000 types).
const QUEUED_PER_THREAD: usize = 2;

/// Where the producer hands its chunks: to a waiting formatting thread, or, when all of them
/// are busy and their queue is full, formatted right here, so neither core idles and no more
/// than a few chunks wait in memory.
pub(crate) struct Queue {
    sender: mpsc::SyncSender<Task>,
    formatted_here: Vec<Done>,
    templates: Templates,
}

impl Queue {
    pub(crate) fn send(&mut self, task: Task) {
        match self.sender.try_send(task) {
            Ok(()) => {}
            Err(mpsc::TrySendError::Full(task) | mpsc::TrySendError::Disconnected(task)) => {
                let text = task.work.format(&mut self.templates);
                self.formatted_here.push((task.file, task.chunk, text));
            }
        }
    }
}

/// Formats what `produce` sends on up to one thread per core, the calling thread formatting
/// too whenever the others are busy, and joining in once `produce` has returned. Results come
/// back sorted by file, then chunk.
pub(crate) fn format_all<T>(produce: impl FnOnce(&mut Queue) -> T) -> (T, Vec<Done>) {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .max(1);
    let (sender, receiver) = mpsc::sync_channel::<Task>(QUEUED_PER_THREAD * threads);
    let receiver = Mutex::new(receiver);
    let work = || {
        let mut done = Vec::new();
        let mut templates = Templates::default();
        loop {
            // The lock is released at the end of this statement, before formatting.
            let task = match receiver.lock() {
                Ok(r) => r.recv(),
                Err(_) => break,
            };
            let Ok(task) = task else { break };
            done.push((task.file, task.chunk, task.work.format(&mut templates)));
        }
        done
    };
    let (produced, mut all) = std::thread::scope(|scope| {
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
        let mut queue = Queue {
            sender,
            formatted_here: Vec::new(),
            templates: Templates::default(),
        };
        // Without helpers the queue only ever fills: everything is formatted here.
        let produced = produce(&mut queue);
        let Queue {
            sender,
            formatted_here: mut all,
            ..
        } = queue;
        drop(sender);
        all.append(&mut work());
        for helper in helpers {
            match helper.join() {
                Ok(mut done) => all.append(&mut done),
                // A panic in a formatter is a bug; surface it where it happened.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        (produced, all)
    });
    all.sort_by_key(|(file, chunk, _)| (*file, *chunk));
    (produced, all)
}

/// prettyplease's text of one chunk: item by item, each shape parsed once (see `template`),
/// or, when the chunk does not come apart into items that way, parsed whole.
pub(super) fn format_chunk(tokens: &Portable, templates: &mut Templates) -> Result<String, String> {
    if let Some(text) = templates.format(&tokens.tokens, &tokens.text) {
        return Ok(text);
    }
    format_whole(tokens)
}

/// prettyplease's text of one chunk, parsed whole.
fn format_whole(tokens: &Portable) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens.tokens()?).map_err(|e| e.to_string())?;
    Ok(prettyplease::unparse(&file))
}

/// Joins each file's formatted chunks; `paths[i]` names file `i`.
pub(crate) fn join(
    paths: Vec<PathBuf>,
    done: Vec<Done>,
) -> Vec<(PathBuf, Result<String, Vec<Diagnostic>>)> {
    let mut texts: Vec<Result<String, String>> = paths.iter().map(|_| Ok(String::new())).collect();
    for (file, _, result) in done {
        let Some(slot) = texts.get_mut(file) else {
            continue;
        };
        match (slot.as_mut(), result) {
            (Ok(text), Ok(chunk)) => text.push_str(&chunk),
            (Ok(_), Err(e)) => *slot = Err(e),
            (Err(_), _) => {}
        }
    }
    paths
        .into_iter()
        .zip(texts)
        .map(|(path, text)| {
            let text = text.map_err(|e| {
                vec![Diagnostic::new(
                    &path,
                    format!("internal error: generated code does not parse: {e}"),
                )]
            });
            (path, text)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn whole(tokens: TokenStream) -> String {
        prettyplease::unparse(&syn::parse2(tokens).expect("parses"))
    }

    #[test]
    fn chunks_format_as_the_whole_file_does() {
        let tokens = quote! {
            #![doc = " A file."]
            use super::*;
            /// A struct.
            #[derive(Clone)]
            pub struct A { pub a: Vec<r#type::B>, pub s: &'static str }
            impl A { pub fn f(&self) -> bool { self.a.is_empty() && 1u8 == -1i8 as u8 } }
            const X: [u8; 2] = [1, 2];
            pub enum E { One, Two(String) }
            impl<T: Clone> From<T> for E { fn from(_: T) -> Self { E::One } }
        };
        let chunks = Portable::chunks(tokens.clone(), 1);
        assert!(chunks.len() >= 6, "cut between items: {}", chunks.len());
        let mut joined = String::new();
        for chunk in &chunks {
            joined += &format_chunk(chunk, &mut Templates::default()).expect("each chunk parses");
        }
        assert_eq!(joined, whole(tokens.clone()));
        let one = Portable::chunks(tokens.clone(), usize::MAX);
        assert_eq!(one.len(), 1);
        assert_eq!(
            format_chunk(&one[0], &mut Templates::default()).expect("parses"),
            whole(tokens)
        );
    }

    #[test]
    fn a_full_queue_formats_on_the_producer_and_loses_nothing() {
        // Far more chunks than the queue holds: most are formatted by the producer itself.
        let files = 8 * QUEUED_PER_THREAD * 4;
        let item = |i: usize| {
            let name = quote::format_ident!("Item{i}");
            quote!(pub struct #name { pub a: Vec<u8>, pub b: Option<String> })
        };
        let pair = |file: usize| {
            let (first, second) = (item(file), item(file + 1));
            quote!(#first #second)
        };
        let (sent, done) = format_all(|queue| {
            for file in 0..files {
                for (chunk, tokens) in Portable::chunks(pair(file), 1).into_iter().enumerate() {
                    queue.send(Task {
                        file,
                        chunk,
                        work: Work::Tokens(tokens),
                    });
                }
            }
            files
        });
        assert_eq!(sent, files);
        assert_eq!(done.len(), 2 * files, "every chunk of every file came back");
        for (i, (file, chunk, text)) in done.iter().enumerate() {
            assert_eq!(
                (*file, *chunk),
                (i / 2, i % 2),
                "sorted by file, then chunk"
            );
            let expected = whole(item(file + chunk));
            assert_eq!(text.as_deref(), Ok(expected.as_str()));
        }
    }

    #[test]
    fn invisible_groups_are_spliced_as_text_would_be() {
        let inner = quote!(1 + 2);
        let group = TokenTree::Group(Group::new(Delimiter::None, inner));
        let tokens = quote!(const X: u8 = #group * 3;);
        let chunk = &Portable::chunks(tokens.clone(), usize::MAX)[0];
        let through_text: syn::File = syn::parse_str(&tokens.to_string()).expect("parses");
        assert_eq!(
            format_chunk(chunk, &mut Templates::default()).expect("parses"),
            prettyplease::unparse(&through_text)
        );
    }
}
