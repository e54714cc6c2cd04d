//! Finds `#[cfg(..)]`, `#![cfg(..)]` and `#[cfg_attr(..)]` attributes anywhere in Rust text and
//! plans the edits that remove the tags from them.
//!
//! The file is tokenized (not parsed: attributes on fields, statements, expressions and inside
//! macro bodies are all found the same way), and each attribute's byte range comes from its
//! token spans. Only attributes whose predicate names a tag are touched; every other byte of the
//! file is left as it was.

use std::ops::Range;
use std::path::Path;

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};

use super::edit::{self, Edit};
use super::predicate::Outcome;
use super::rust_cfg;
use crate::diagnostic::Diagnostic;

/// Token groups nested deeper than this are not scanned (no real file comes close); the file is
/// reported instead of risking the stack.
const MAX_DEPTH: usize = 256;

const HELP_FALSE: &str = "generated code is built with the tag unset; delete the code this \
     attribute gates, or regenerate the file with `cargo xtask codegen`";
const HELP_SYNTAX: &str = "write the predicate with names, `name = \"value\"`, `all(..)`, \
     `any(..)`, `not(..)`, `true` or `false`, or regenerate the file with `cargo xtask codegen`";

/// The edits that untie the file from `tags`, or every problem found.
pub fn rewrite(path: &Path, text: &str, tags: &[String]) -> Result<Vec<Edit>, Vec<Diagnostic>> {
    let stream: TokenStream = match text.parse() {
        Ok(stream) => stream,
        Err(error) => {
            let start = error.span().byte_range().start;
            return Err(vec![
                diagnostic(
                    path,
                    text,
                    start..start,
                    format!("cannot tokenize: {error}"),
                )
                .help("fix the syntax error, or regenerate the file"),
            ]);
        }
    };
    let mut rewriter = Rewriter {
        path,
        text,
        tags,
        removals: Vec::new(),
        replacements: Vec::new(),
        errors: Vec::new(),
    };
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    rewriter.walk(&tokens, 0);
    if !rewriter.errors.is_empty() {
        return Err(rewriter.errors);
    }
    Ok(rewriter.into_edits())
}

/// What becomes of one attribute (the part between the brackets).
#[derive(Debug, PartialEq, Eq)]
enum AttrRewrite {
    Keep,
    Remove,
    /// The contents of the attributes that take its place, in order (none left means Remove).
    Replace(Vec<String>),
}

struct Rewriter<'a> {
    path: &'a Path,
    text: &'a str,
    tags: &'a [String],
    /// Byte ranges of whole attributes (`#` to `]`) to delete.
    removals: Vec<Range<usize>>,
    replacements: Vec<Edit>,
    errors: Vec<Diagnostic>,
}

impl Rewriter<'_> {
    fn walk(&mut self, tokens: &[TokenTree], depth: usize) {
        let mut i = 0;
        while i < tokens.len() {
            if let Some((inner, group, consumed)) = attribute_at(&tokens[i..]) {
                let range = tokens[i].span().byte_range().start..group.span().byte_range().end;
                let content: Vec<TokenTree> = group.stream().into_iter().collect();
                self.apply(inner, range, &content);
                i += consumed;
                continue;
            }
            if let TokenTree::Group(group) = &tokens[i] {
                if depth >= MAX_DEPTH {
                    let range = group.span().byte_range();
                    let message = format!("brackets nest deeper than {MAX_DEPTH} levels");
                    self.error(range, message, "simplify the file, or regenerate it");
                    return;
                }
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                self.walk(&inner, depth + 1);
            }
            i += 1;
        }
    }

    fn apply(&mut self, inner: bool, range: Range<usize>, content: &[TokenTree]) {
        match self.rewrite_attr(content) {
            AttrRewrite::Keep => {}
            AttrRewrite::Remove => self.removals.push(range),
            AttrRewrite::Replace(items) if items.is_empty() => self.removals.push(range),
            AttrRewrite::Replace(items) => {
                let bang = if inner { "!" } else { "" };
                let separator = match self.alone_on_lines(&range) {
                    Some(indent) => format!("{}{indent}", edit::newline_at(self.text, range.start)),
                    None => " ".to_string(),
                };
                let text = items
                    .iter()
                    .map(|item| format!("#{bang}[{item}]"))
                    .collect::<Vec<_>>()
                    .join(&separator);
                self.replacements.push(Edit::replace(range, text));
            }
        }
    }

    /// `content` is what stands between the brackets of one attribute.
    fn rewrite_attr(&mut self, content: &[TokenTree]) -> AttrRewrite {
        match content {
            [TokenTree::Ident(name), TokenTree::Group(args)]
                if args.delimiter() == Delimiter::Parenthesis && name == "cfg" =>
            {
                self.rewrite_cfg(args)
            }
            [TokenTree::Ident(name), TokenTree::Group(args)]
                if args.delimiter() == Delimiter::Parenthesis && name == "cfg_attr" =>
            {
                self.rewrite_cfg_attr(args)
            }
            _ => AttrRewrite::Keep,
        }
    }

    fn rewrite_cfg(&mut self, args: &Group) -> AttrRewrite {
        let tokens: Vec<TokenTree> = args.stream().into_iter().collect();
        match self.evaluate(&tokens, args.span().byte_range()) {
            None => AttrRewrite::Keep,
            Some(Outcome::Always(true)) => AttrRewrite::Remove,
            Some(Outcome::Always(false)) => {
                let message = format!(
                    "`cfg{}` is always false once {} is unset, so this code could never be compiled",
                    self.source(args.span().byte_range()),
                    self.tag_list()
                );
                self.error(args.span().byte_range(), message, HELP_FALSE);
                AttrRewrite::Keep
            }
            Some(Outcome::Expr(expr)) => {
                AttrRewrite::Replace(vec![format!("cfg({})", rust_cfg::print(&expr))])
            }
        }
    }

    /// `cfg_attr(pred, a, b)`: the attributes apply only when `pred` holds. A predicate that
    /// becomes false is no error: the attributes simply never apply, so they go.
    fn rewrite_cfg_attr(&mut self, args: &Group) -> AttrRewrite {
        let tokens: Vec<TokenTree> = args.stream().into_iter().collect();
        let mut parts: Vec<&[TokenTree]> = tokens
            .split(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ','))
            .collect();
        if parts.last().is_some_and(|last| last.is_empty()) {
            parts.pop(); // trailing comma
        }
        let Some((predicate, attributes)) = parts.split_first() else {
            return AttrRewrite::Keep;
        };
        let outcome = match tokens_range(predicate) {
            Some(range) => self.evaluate(predicate, range),
            None => None,
        };
        if outcome == Some(Outcome::Always(false)) {
            return AttrRewrite::Remove;
        }

        let mut changed = false;
        let mut items = Vec::new();
        for attribute in attributes.iter().filter(|a| !a.is_empty()) {
            match self.rewrite_attr(attribute) {
                AttrRewrite::Keep => items.push(self.tokens_source(attribute).to_string()),
                AttrRewrite::Remove => changed = true,
                AttrRewrite::Replace(replacement) => {
                    changed = true;
                    items.extend(replacement);
                }
            }
        }
        let condition = match outcome {
            None if !changed => return AttrRewrite::Keep,
            None => self.tokens_source(predicate).to_string(),
            Some(Outcome::Always(_)) => return AttrRewrite::Replace(items),
            Some(Outcome::Expr(expr)) => rust_cfg::print(&expr),
        };
        if items.is_empty() {
            return AttrRewrite::Remove;
        }
        AttrRewrite::Replace(vec![format!("cfg_attr({condition}, {})", items.join(", "))])
    }

    /// `None` when the predicate names no tag (it is left alone, parsed or not). `range` is
    /// where the predicate is, for messages.
    fn evaluate(&mut self, tokens: &[TokenTree], range: Range<usize>) -> Option<Outcome> {
        if !rust_cfg::mentions(tokens, self.tags) {
            return None;
        }
        match rust_cfg::parse(tokens, proc_macro2::Span::call_site()) {
            Ok(predicate) => Some(predicate.unset(self.tags)),
            Err(error) => {
                let at = error.span.byte_range();
                // A call-site span has no position: point at the whole predicate instead.
                let at = if at.is_empty() { range } else { at };
                let message = format!("cannot evaluate this cfg predicate: {}", error.message);
                self.error(at, message, HELP_SYNTAX);
                // The error stops the rewrite; what is returned here no longer matters.
                None
            }
        }
    }

    fn tokens_source(&self, tokens: &[TokenTree]) -> &str {
        tokens_range(tokens).map_or("", |range| self.source(range))
    }

    fn source(&self, range: Range<usize>) -> &str {
        self.text.get(range).unwrap_or_default()
    }

    fn tag_list(&self) -> String {
        self.tags
            .iter()
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn error(&mut self, range: Range<usize>, message: String, help: &str) {
        self.errors
            .push(diagnostic(self.path, self.text, range, message).help(help));
    }

    /// When nothing but whitespace shares the lines of `range`, the indentation of its first
    /// line (so replacements can be put on lines of their own).
    fn alone_on_lines(&self, range: &Range<usize>) -> Option<&str> {
        let start = edit::line_start(self.text, range.start);
        let end = edit::line_end_inclusive(self.text, range.end);
        let before = self.text.get(start..range.start)?;
        let after = self.text.get(range.end..end)?;
        (is_blank(before) && is_blank(after)).then_some(before)
    }

    fn into_edits(self) -> Vec<Edit> {
        let deletions: Vec<Edit> = self
            .removals
            .iter()
            .map(|removal| Edit::delete(self.removal_range(removal)))
            .collect();
        let mut edits = self.replacements;
        edits.extend(deletions);
        edits
    }

    /// An attribute alone on its lines takes the lines with it; one that shares its line loses
    /// the spaces after it (or before it, at the end of a line), so no gap is left behind.
    fn removal_range(&self, removal: &Range<usize>) -> Range<usize> {
        let text = self.text;
        let start = edit::line_start(text, removal.start);
        let end = edit::line_end_inclusive(text, removal.end);
        let touches_replacement = self
            .replacements
            .iter()
            .any(|e| e.range.start < end && e.range.end > start);
        let only_removals_and_space = (start..end).all(|i| {
            self.removals.iter().any(|r| r.contains(&i))
                || matches!(text.as_bytes().get(i), Some(b' ' | b'\t' | b'\r' | b'\n'))
        });
        if only_removals_and_space && !touches_replacement {
            return start..end;
        }
        let bytes = text.as_bytes();
        let mut after = removal.end;
        while matches!(bytes.get(after), Some(b' ' | b'\t')) {
            after += 1;
        }
        if matches!(bytes.get(after), None | Some(b'\r' | b'\n')) {
            let mut before = removal.start;
            while before > start && matches!(bytes.get(before - 1), Some(b' ' | b'\t')) {
                before -= 1;
            }
            before..removal.end
        } else {
            removal.start..after
        }
    }
}

/// `#[..]` or `#![..]` at the start of `tokens`: whether it is inner, the bracket group, and how
/// many tokens it spans.
fn attribute_at(tokens: &[TokenTree]) -> Option<(bool, &Group, usize)> {
    match tokens {
        [TokenTree::Punct(hash), TokenTree::Group(group), ..]
            if hash.as_char() == '#' && group.delimiter() == Delimiter::Bracket =>
        {
            Some((false, group, 2))
        }
        [
            TokenTree::Punct(hash),
            TokenTree::Punct(bang),
            TokenTree::Group(group),
            ..,
        ] if hash.as_char() == '#'
            && bang.as_char() == '!'
            && group.delimiter() == Delimiter::Bracket =>
        {
            Some((true, group, 3))
        }
        _ => None,
    }
}

/// From the first token's start to the last one's end.
fn tokens_range(tokens: &[TokenTree]) -> Option<Range<usize>> {
    let start = tokens.first()?.span().byte_range().start;
    let end = tokens.last()?.span().byte_range().end;
    Some(start..end)
}

fn is_blank(text: &str) -> bool {
    text.bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// A diagnostic underlining `range` (up to the end of its first line).
fn diagnostic(path: &Path, text: &str, range: Range<usize>, message: String) -> Diagnostic {
    let (line, column) = edit::line_column(text, range.start);
    let width = text
        .get(range)
        .map_or(1, |s| s.lines().next().unwrap_or_default().chars().count());
    Diagnostic::new(path, message)
        .at(line, column)
        .width(width.max(1))
}
