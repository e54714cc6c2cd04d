//! A bound on how deeply a file nests, measured on its tokens before syn parses it.
//!
//! syn (and after it prettyplease, `quote` and the model) recurse once per level of nesting,
//! and a stack overflow aborts the process: no error, no location, and nothing any caller can
//! catch. Lexing is iterative (proc-macro2 keeps an explicit stack), so the tokens can be
//! measured safely first, and a file nested beyond [`MAX_NESTING`] levels is refused with a
//! located error instead of being parsed.
//!
//! The measure is an upper bound (up to a small constant factor) on the depth of syn's
//! recursion at every token, whatever the syntax: each level syn can descend costs a unit here.
//! That is: delimited groups; angle brackets (`Option<…>`, turbofish, qualified paths, and, to
//! be safe, every `<` that might be a comparison); and the constructs that recurse without a
//! closing delimiter: prefix operators (`&`, `*`, `!`, `-`, `..`), closures (`|x| …`, `|| …`),
//! `->`, `@` bindings, (compound) assignments, and the keywords `return`, `break`, `yield`,
//! `become`, `box` and `else`. Those chains end at a `,` or `;` of their own bracket level,
//! where syn's recursion for them has ended too. Overcounting only ever makes the bound
//! stricter; real code stays far below it.

use proc_macro2::{Spacing, Span, TokenStream, TokenTree};

/// How deep a file may nest. Parsing, checking and printing a type nested this deep takes
/// between 32 and 64 MiB of stack in an unoptimized build (measured: the slowest constructs are
/// types, at up to about 60 KiB a level); the run's threads have [`crate::STACK_SIZE`]
/// (256 MiB), four times that. No hand-written file comes near it.
pub const MAX_NESTING: usize = 1_000;

/// Where a file first nests deeper than [`MAX_NESTING`].
#[derive(Clone, Copy, Debug)]
pub struct TooDeep {
    pub span: Span,
}

/// Keywords after which an operator is a prefix operator, not a binary one.
const PREFIX_AFTER: &[&str] = &[
    "as", "async", "become", "box", "break", "const", "dyn", "else", "for", "if", "impl", "in",
    "let", "match", "move", "mut", "raw", "ref", "return", "static", "unsafe", "where", "while",
    "yield",
];

/// Keywords that take an expression (or a block) syn parses by recursing.
const RECURSING_KEYWORDS: &[&str] = &["become", "box", "break", "else", "return", "yield"];

/// The token before the current one, as far as telling prefix from binary operators goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prev {
    /// Start of a group, or after punctuation or a keyword: an operator here is a prefix one.
    Operand,
    /// After an operand (identifier, literal, group): an operator here is binary.
    Operator,
}

/// One delimited group being measured.
struct Level {
    tokens: std::iter::Peekable<proc_macro2::token_stream::IntoIter>,
    /// Depth of the group itself.
    base: usize,
    /// Units committed by open angle brackets, each with the chain before it.
    committed: usize,
    /// What each open angle bracket committed (its unit plus the chain it interrupted).
    angles: Vec<usize>,
    /// Recursing constructs since the last `,` or `;` in the innermost angle bracket.
    chain: usize,
    prev: Prev,
    /// The punctuation characters of the joint operator being read (`>>=` is three).
    run: String,
    /// Whether `run` started where an operand was expected.
    run_prefix: bool,
    /// Inside a closure's `|…|` parameters, where commas do not end the closure.
    in_params: bool,
}

impl Level {
    fn new(stream: TokenStream, base: usize) -> Self {
        Level {
            tokens: stream.into_iter().peekable(),
            base,
            committed: 0,
            angles: Vec::new(),
            chain: 0,
            prev: Prev::Operand,
            run: String::new(),
            run_prefix: true,
            in_params: false,
        }
    }

    fn depth(&self) -> usize {
        self.base + self.committed + self.chain
    }

    fn end_list_item(&mut self) {
        self.chain = 0;
    }

    fn end_statement(&mut self) {
        self.committed = 0;
        self.angles.clear();
        self.chain = 0;
    }

    fn open_angle(&mut self) {
        let unit = 1 + self.chain;
        self.angles.push(unit);
        self.committed += unit;
        self.chain = 0;
    }

    fn close_angle(&mut self) {
        if let Some(unit) = self.angles.pop() {
            self.committed -= unit;
            // Back in the construct the bracket interrupted, with its chain still open.
            self.chain = unit - 1;
        }
    }

    /// One punctuation character; `next` is the following token when this one is joint.
    fn punct(&mut self, c: char, spacing: Spacing, next: Option<char>) {
        if self.run.is_empty() {
            self.run_prefix = self.prev == Prev::Operand;
        }
        let joined_to_next = spacing == Spacing::Joint && next.is_some();
        // The run is taken out while it is read, so that no character copies it.
        let mut run = std::mem::take(&mut self.run);
        let before_len = run.len();
        run.push(c);
        let before = &run[..before_len];
        // In a binary operator the first characters are the operator itself (at most three:
        // `<<=`); any more are prefix operators on the right operand (`a&&&b` is `a && &b`).
        let prefix = self.run_prefix || run.chars().count() > 3;
        match c {
            '<' if !(joined_to_next && next == Some('=')) => self.open_angle(),
            '>' if before.ends_with('-') => self.chain += 1,
            '>' if before.ends_with('=') || (joined_to_next && next == Some('=')) => {}
            '>' => self.close_angle(),
            '=' if !(joined_to_next && matches!(next, Some('=' | '>'))) => {
                let tail = before.trim_start_matches(['&', '*', '!', '-', '.']);
                let assignment = matches!(
                    if self.run_prefix { tail } else { before },
                    "" | "+" | "-" | "*" | "/" | "%" | "^" | "&" | "|" | "<<" | ">>"
                );
                if assignment {
                    self.chain += 1;
                }
            }
            '|' if self.in_params => self.in_params = false,
            '|' if prefix => {
                self.chain += 1;
                // `||` is a closure without parameters; `|` opens a parameter list.
                let empty = before.ends_with('|') || (joined_to_next && next == Some('|'));
                if !empty {
                    self.in_params = true;
                }
            }
            '&' | '*' | '!' | '-' | '.' if prefix => self.chain += 1,
            '@' => self.chain += 1,
            ',' if !self.in_params => self.end_list_item(),
            ';' => self.end_statement(),
            _ => {}
        }
        if !joined_to_next {
            run.clear();
        }
        self.run = run;
        // `'a` is a lifetime or label: what follows it is in operand position (`&'a &'a T`).
        self.prev = if c == '?' {
            Prev::Operator
        } else {
            Prev::Operand
        };
    }
}

/// Checks that no token of `tokens` nests deeper than [`MAX_NESTING`].
pub fn check(tokens: &TokenStream) -> Result<(), TooDeep> {
    let mut stack = vec![Level::new(tokens.clone(), 0)];
    let mut lifetime_next = false;
    // Each identifier's text, written into one buffer: no allocation per identifier.
    let mut name = String::new();
    while let Some(level) = stack.last_mut() {
        let Some(token) = level.tokens.next() else {
            stack.pop();
            if let Some(parent) = stack.last_mut() {
                parent.prev = Prev::Operator;
            }
            continue;
        };
        let span = token.span();
        match token {
            TokenTree::Group(group) => {
                level.run.clear();
                let depth = level.depth() + 1;
                if depth > MAX_NESTING {
                    return Err(TooDeep { span });
                }
                stack.push(Level::new(group.stream(), depth));
                lifetime_next = false;
                continue;
            }
            TokenTree::Punct(p) => {
                let next = match level.tokens.peek() {
                    Some(TokenTree::Punct(n)) => Some(n.as_char()),
                    _ => None,
                };
                level.punct(p.as_char(), p.spacing(), next);
                lifetime_next = p.as_char() == '\'';
            }
            TokenTree::Ident(ident) => {
                level.run.clear();
                name.clear();
                let _ = std::fmt::Write::write_fmt(&mut name, format_args!("{ident}"));
                if lifetime_next {
                    level.prev = Prev::Operand;
                } else {
                    if RECURSING_KEYWORDS.contains(&name.as_str()) {
                        level.chain += 1;
                    }
                    level.prev = if PREFIX_AFTER.contains(&name.as_str()) {
                        Prev::Operand
                    } else {
                        Prev::Operator
                    };
                }
                lifetime_next = false;
            }
            TokenTree::Literal(_) => {
                level.run.clear();
                level.prev = Prev::Operator;
                lifetime_next = false;
            }
        }
        if level.depth() > MAX_NESTING {
            return Err(TooDeep { span });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_ok(text: &str) -> bool {
        check(&text.parse().expect("lexes")).is_ok()
    }

    fn nested(open: &str, inner: &str, close: &str, n: usize) -> String {
        format!("{}{inner}{}", open.repeat(n), close.repeat(n))
    }

    #[test]
    fn real_code_is_far_below_the_bound() {
        let text = include_str!("mod.rs");
        assert!(depth_ok(text));
        let long = format!(
            "fn f() {{ let v = vec![{}]; let b = {}; }}",
            "&a, ".repeat(5_000),
            "a && !b || ".repeat(200) + "c"
        );
        assert!(
            depth_ok(&long),
            "list items and binary operators do not nest"
        );
        let many = "pub struct A { pub a: Option<Vec<BTreeMap<String, u8>>> }\n".repeat(5_000);
        assert!(depth_ok(&many), "closed brackets do not add up");
        assert!(depth_ok(&format!(
            "const X: u8 = {};",
            "1 + ".repeat(10_000) + "1"
        )));
        assert!(depth_ok(
            &"x = a >= b; y = c <= d; z = e -> f;".repeat(3_000)
        ));
    }

    #[test]
    fn every_recursing_construct_counts() {
        let limit = MAX_NESTING;
        for (open, inner, close) in [
            ("Option<", "u8", ">"),
            ("(", "u8", ")"),
            ("[", "u8", "]"),
            ("{", "", "}"),
            ("&", "u8", ""),
            ("&'a ", "u8", ""),
            ("*const ", "u8", ""),
            ("!", "x", ""),
            ("- ", "x", ""),
            ("|x| ", "x", ""),
            ("|a, b| ", "x", ""),
            ("|| ", "x", ""),
            ("move || ", "x", ""),
            ("fn() -> ", "u8", ""),
            ("x @ ", "y", ""),
            ("a = ", "b", ""),
            ("a >>= ", "b", ""),
            ("return ", "x", ""),
            ("if a {} else ", "{}", ""),
            ("A<B, ", "C", ">"),
            ("&A<B, ", "C", ">"),
            ("&&&&&&&&A<B, ", "C", ">"),
            ("&&", "x", ""),
            ("&mut ", "x", ""),
            ("return {} || ", "x", ""),
            ("Vec::<", "u8", ">"),
        ] {
            assert!(
                depth_ok(&nested(open, inner, close, limit / 10)),
                "`{open}` × {} is fine",
                limit / 10
            );
            assert!(
                !depth_ok(&nested(open, inner, close, limit + 1)),
                "`{open}` × {} is refused",
                limit + 1
            );
        }
    }

    #[test]
    fn the_error_points_at_the_first_token_too_deep() {
        let text = format!("struct A {{ a: {} }}", nested("Option<", "u8", ">", 20_000));
        let err = check(&text.parse().expect("lexes")).expect_err("too deep");
        let start = err.span.start();
        assert_eq!(start.line, 1);
        assert!(start.column > 7_000 && start.column < 8_000, "{start:?}");
    }
}
