//! Go build-constraint expressions, as `go/build/constraint` reads and gofmt writes them.
//!
//! `//go:build` takes `!`, `&&`, `||` and parentheses over tags (letters, digits, `_`, `.`);
//! `&&` binds tighter than `||`. Printing follows gofmt: `&&` and `||` chains without
//! parentheses, an `&&` chain inside `||` in parentheses (`a || (b && c)`), an `||` chain inside
//! `&&` in parentheses (`a && (b || c)`), and `!` directly on a tag or on a parenthesized chain.
//! Legacy `// +build` lines use spaces for OR and commas for AND.

use super::predicate::{Atom, Predicate};

/// Parentheses nested deeper than this are refused, so hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 100;

/// A `//go:build` expression that does not parse: the message and the byte offset in the
/// expression text where the problem was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Open,
    Close,
    Not,
    And,
    Or,
    Tag(String),
}

/// Letters, digits, `_` and `.`, as `go/build/constraint` accepts in a tag.
fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '.'
}

fn lex(text: &str) -> Result<Vec<(usize, Token)>, SyntaxError> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let token = match c {
            ' ' | '\t' => continue,
            '(' => Token::Open,
            ')' => Token::Close,
            '!' => Token::Not,
            '&' | '|' => {
                if chars.next_if(|&(_, d)| d == c).is_none() {
                    return Err(SyntaxError {
                        offset: at,
                        message: format!("invalid syntax at `{c}`: expected `{c}{c}`"),
                    });
                }
                if c == '&' { Token::And } else { Token::Or }
            }
            c if is_tag_char(c) => {
                let mut end = at + c.len_utf8();
                while let Some((i, d)) = chars.next_if(|&(_, d)| is_tag_char(d)) {
                    end = i + d.len_utf8();
                }
                Token::Tag(text[at..end].to_string())
            }
            other => {
                return Err(SyntaxError {
                    offset: at,
                    message: format!("invalid syntax at `{other}`"),
                });
            }
        };
        tokens.push((at, token));
    }
    Ok(tokens)
}

/// Parses the text after `//go:build`.
pub fn parse(text: &str) -> Result<Predicate, SyntaxError> {
    let tokens = lex(text)?;
    let mut parser = Parser {
        tokens: &tokens,
        next: 0,
        end: text.len(),
    };
    let predicate = parser.or(0)?;
    match parser.peek() {
        None => Ok(predicate),
        Some((at, token)) => Err(SyntaxError {
            offset: at,
            message: format!("unexpected {}", describe(token)),
        }),
    }
}

struct Parser<'a> {
    tokens: &'a [(usize, Token)],
    next: usize,
    /// Offset reported for "unexpected end".
    end: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<(usize, &Token)> {
        self.tokens.get(self.next).map(|(at, t)| (*at, t))
    }

    fn eat(&mut self, wanted: &Token) -> bool {
        let found = self.peek().is_some_and(|(_, t)| t == wanted);
        if found {
            self.next += 1;
        }
        found
    }

    fn or(&mut self, depth: usize) -> Result<Predicate, SyntaxError> {
        let mut items = vec![self.and(depth)?];
        while self.eat(&Token::Or) {
            items.push(self.and(depth)?);
        }
        Ok(single_or(items, Predicate::Any))
    }

    fn and(&mut self, depth: usize) -> Result<Predicate, SyntaxError> {
        let mut items = vec![self.not(depth)?];
        while self.eat(&Token::And) {
            items.push(self.not(depth)?);
        }
        Ok(single_or(items, Predicate::All))
    }

    fn not(&mut self, depth: usize) -> Result<Predicate, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(SyntaxError {
                offset: self.peek().map_or(self.end, |(at, _)| at),
                message: format!("expression nests deeper than {MAX_DEPTH} levels"),
            });
        }
        if self.eat(&Token::Not) {
            return Ok(Predicate::Not(Box::new(self.not(depth + 1)?)));
        }
        self.atom(depth)
    }

    fn atom(&mut self, depth: usize) -> Result<Predicate, SyntaxError> {
        let Some((at, token)) = self.peek().map(|(at, t)| (at, t.clone())) else {
            return Err(SyntaxError {
                offset: self.end,
                message: "unexpected end of expression".into(),
            });
        };
        self.next += 1;
        match token {
            Token::Tag(name) => Ok(Predicate::Name(Atom::name(name))),
            Token::Open => {
                let inner = self.or(depth + 1)?;
                if self.eat(&Token::Close) {
                    Ok(inner)
                } else {
                    Err(SyntaxError {
                        offset: self.peek().map_or(self.end, |(at, _)| at),
                        message: "missing `)`".into(),
                    })
                }
            }
            other => Err(SyntaxError {
                offset: at,
                message: format!("unexpected {}", describe(&other)),
            }),
        }
    }
}

fn single_or(mut items: Vec<Predicate>, build: fn(Vec<Predicate>) -> Predicate) -> Predicate {
    if items.len() == 1 {
        items.remove(0)
    } else {
        build(items)
    }
}

fn describe(token: &Token) -> String {
    match token {
        Token::Open => "`(`".into(),
        Token::Close => "`)`".into(),
        Token::Not => "`!`".into(),
        Token::And => "`&&`".into(),
        Token::Or => "`||`".into(),
        Token::Tag(name) => format!("tag `{name}`"),
    }
}

/// Parses the text after `// +build`: space-separated options (OR) of comma-separated terms
/// (AND), each a tag or `!tag`. As in Go, a malformed term (`!!x`, `!`, `a-b`) stands for the
/// tag `ignore`, which is never set.
pub fn parse_plus_build(text: &str) -> Predicate {
    let options: Vec<Predicate> = text
        .split_whitespace()
        .map(|option| {
            let terms = option.split(',').map(plus_build_term).collect();
            single_or(terms, Predicate::All)
        })
        .collect();
    if options.is_empty() {
        return Predicate::Name(Atom::name("ignore"));
    }
    single_or(options, Predicate::Any)
}

fn plus_build_term(term: &str) -> Predicate {
    let ignore = || Predicate::Name(Atom::name("ignore"));
    let (negated, name) = match term.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, term),
    };
    if name.is_empty() || !name.chars().all(is_tag_char) {
        return ignore();
    }
    let tag = Predicate::Name(Atom::name(name));
    if negated {
        Predicate::Not(Box::new(tag))
    } else {
        tag
    }
}

/// Whether the expression names one of `tags` (by its words, so that it answers for text that
/// does not parse as well).
pub fn mentions(text: &str, tags: &[String]) -> bool {
    text.split(|c: char| !is_tag_char(c))
        .any(|word| tags.iter().any(|t| t == word))
}

/// Prints in gofmt's form. Meant for simplified predicates: an empty `All`/`Any` (a constant)
/// has no spelling in Go and prints as nothing.
pub fn print(predicate: &Predicate) -> String {
    match predicate {
        Predicate::Name(atom) => atom.name.clone(),
        Predicate::Not(inner) => format!("!{}", operand(inner, |_| true)),
        Predicate::All(items) => join(items, " && ", |p| matches!(p, Predicate::Any(_))),
        Predicate::Any(items) => join(items, " || ", |p| matches!(p, Predicate::All(_))),
    }
}

fn join(items: &[Predicate], separator: &str, needs_parens: fn(&Predicate) -> bool) -> String {
    items
        .iter()
        .map(|p| operand(p, needs_parens))
        .collect::<Vec<_>>()
        .join(separator)
}

/// Prints an operand, in parentheses when it is a chain (two or more items) that
/// `needs_parens` says would otherwise read differently.
fn operand(predicate: &Predicate, needs_parens: fn(&Predicate) -> bool) -> String {
    match predicate {
        Predicate::All(items) | Predicate::Any(items) if items.len() == 1 => {
            operand(&items[0], needs_parens)
        }
        Predicate::All(items) | Predicate::Any(items)
            if items.len() > 1 && needs_parens(predicate) =>
        {
            format!("({})", print(predicate))
        }
        _ => print(predicate),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(text: &str) -> String {
        match parse(text) {
            Ok(p) => print(&p),
            Err(e) => format!("error at {}: {}", e.offset, e.message),
        }
    }

    #[test]
    fn prints_in_gofmt_form() {
        assert_eq!(canonical("linux"), "linux");
        assert_eq!(canonical("  linux&&amd64 "), "linux && amd64");
        assert_eq!(canonical("a || b && c"), "a || (b && c)");
        assert_eq!(canonical("(a || b) && c"), "(a || b) && c");
        assert_eq!(canonical("a && (b && c)"), "a && b && c");
        assert_eq!(canonical("((a))"), "a");
        assert_eq!(canonical("!(a && b)"), "!(a && b)");
        assert_eq!(canonical("! !a"), "!!a");
        assert_eq!(
            canonical("go1.21 && !ignore_autogenerated"),
            "go1.21 && !ignore_autogenerated"
        );
    }

    #[test]
    fn reports_syntax_errors_with_offsets() {
        assert_eq!(
            canonical("a &"),
            "error at 2: invalid syntax at `&`: expected `&&`"
        );
        assert_eq!(
            canonical("a && "),
            "error at 5: unexpected end of expression"
        );
        assert_eq!(canonical("(a"), "error at 2: missing `)`");
        assert_eq!(canonical("a b"), "error at 2: unexpected tag `b`");
        assert_eq!(canonical("a)"), "error at 1: unexpected `)`");
        assert_eq!(canonical(""), "error at 0: unexpected end of expression");
        assert_eq!(canonical("a-b"), "error at 1: invalid syntax at `-`");
        let deep = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(canonical(&deep).contains("nests deeper"));
        let nots = format!("{}a", "!".repeat(10_000));
        assert!(canonical(&nots).contains("nests deeper"));
    }

    #[test]
    fn reads_plus_build_like_go() {
        assert_eq!(
            print(&parse_plus_build("linux,amd64 darwin")),
            "(linux && amd64) || darwin"
        );
        assert_eq!(
            print(&parse_plus_build(" !ignore_autogenerated ")),
            "!ignore_autogenerated"
        );
        assert_eq!(print(&parse_plus_build("!!a b")), "ignore || b");
        assert_eq!(print(&parse_plus_build("")), "ignore");
    }

    #[test]
    fn mentions_by_whole_words() {
        let tags = vec!["ignore_autogenerated".to_string()];
        assert!(mentions("!ignore_autogenerated", &tags));
        assert!(mentions("a&&(ignore_autogenerated", &tags));
        assert!(!mentions("!ignore_autogenerated2", &tags));
    }
}
