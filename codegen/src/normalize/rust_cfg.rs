//! Rust `cfg` predicate syntax: tokens to [`Predicate`] and back.
//!
//! Accepted: `name`, `name = "value"`, `all(..)` (empty is true), `any(..)` (empty is false),
//! `not(x)`, and the literals `true`/`false` (stable since Rust 1.88). Trailing commas are
//! accepted where rustc accepts them. Anything else (unstable `version(..)`, `accessible(..)`,
//! paths) is reported, not guessed at.

use proc_macro2::{Delimiter, Span, TokenTree};

use super::predicate::{Atom, Predicate};

/// Deeper nesting than this is refused, so hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

/// A predicate that does not parse, and where.
#[derive(Clone, Debug)]
pub struct CfgError {
    pub span: Span,
    pub message: String,
}

/// Parses the tokens inside `cfg( … )`: exactly one predicate, optionally followed by a comma.
pub fn parse(tokens: &[TokenTree], whole: Span) -> Result<Predicate, CfgError> {
    let mut items = parse_list(tokens, whole, 0)?;
    match items.len() {
        1 => Ok(items.remove(0)),
        0 => Err(CfgError {
            span: whole,
            message: "the cfg predicate is empty".into(),
        }),
        _ => Err(CfgError {
            span: whole,
            message: "a cfg takes one predicate; combine several with `all(..)` or `any(..)`"
                .into(),
        }),
    }
}

/// Whether any name in predicate position is a tag. Used before parsing, so that predicates
/// which do not concern us are never parsed (nor rejected).
/// Nesting past the parser's limit counts as a mention, so that the parser reports it.
pub fn mentions(tokens: &[TokenTree], tags: &[String]) -> bool {
    mentions_within(tokens, tags, 0)
}

fn mentions_within(tokens: &[TokenTree], tags: &[String], depth: usize) -> bool {
    tokens.iter().any(|t| match t {
        TokenTree::Ident(ident) => tags.iter().any(|tag| ident == tag.as_str()),
        TokenTree::Group(_) if depth > MAX_DEPTH => true,
        TokenTree::Group(group) => {
            let inner: Vec<TokenTree> = group.stream().into_iter().collect();
            mentions_within(&inner, tags, depth + 1)
        }
        _ => false,
    })
}

/// Comma-separated predicates (the arguments of `all`/`any`/`not`, or of `cfg` itself).
fn parse_list(tokens: &[TokenTree], whole: Span, depth: usize) -> Result<Vec<Predicate>, CfgError> {
    if depth > MAX_DEPTH {
        return Err(CfgError {
            span: whole,
            message: format!("the cfg predicate nests deeper than {MAX_DEPTH} levels"),
        });
    }
    let mut items = Vec::new();
    let mut rest = tokens;
    while !rest.is_empty() {
        let (item, after) = parse_one(rest, depth)?;
        items.push(item);
        rest = match after.split_first() {
            None => after,
            Some((TokenTree::Punct(p), after_comma)) if p.as_char() == ',' => after_comma,
            Some((other, _)) => {
                return Err(CfgError {
                    span: other.span(),
                    message: format!("expected `,` or the end of the list, found `{other}`"),
                });
            }
        };
    }
    Ok(items)
}

fn parse_one(tokens: &[TokenTree], depth: usize) -> Result<(Predicate, &[TokenTree]), CfgError> {
    let Some((first, rest)) = tokens.split_first() else {
        // parse_list only calls with a non-empty slice.
        return Err(CfgError {
            span: Span::call_site(),
            message: "expected a cfg predicate".into(),
        });
    };
    let TokenTree::Ident(ident) = first else {
        return Err(CfgError {
            span: first.span(),
            message: format!("expected a cfg name, `all`, `any` or `not`, found `{first}`"),
        });
    };
    let name = ident.to_string();
    match rest {
        [TokenTree::Punct(eq), TokenTree::Literal(value), after @ ..] if eq.as_char() == '=' => {
            let text = value.to_string();
            if !(text.starts_with('"') || text.starts_with("r\"") || text.starts_with("r#")) {
                return Err(CfgError {
                    span: value.span(),
                    message: format!("the value of `{name}` must be a string literal"),
                });
            }
            Ok((Predicate::Name(Atom::pair(name, text)), after))
        }
        [TokenTree::Punct(eq), ..] if eq.as_char() == '=' => Err(CfgError {
            span: eq.span(),
            message: format!("expected a string literal after `{name} =`"),
        }),
        [TokenTree::Group(args), after @ ..] if args.delimiter() == Delimiter::Parenthesis => {
            if !matches!(name.as_str(), "all" | "any" | "not") {
                return Err(CfgError {
                    span: ident.span(),
                    message: format!("unsupported cfg predicate `{name}(..)`"),
                });
            }
            let inner: Vec<TokenTree> = args.stream().into_iter().collect();
            let mut items = parse_list(&inner, args.span(), depth + 1)?;
            let predicate = match name.as_str() {
                "all" => Predicate::All(items),
                "not" if items.len() == 1 => Predicate::Not(Box::new(items.remove(0))),
                "not" => {
                    return Err(CfgError {
                        span: args.span(),
                        message: format!("`not` takes one predicate, found {}", items.len()),
                    });
                }
                // Only `any` is left: the name was checked above.
                _ => Predicate::Any(items),
            };
            Ok((predicate, after))
        }
        _ => {
            let predicate = match name.as_str() {
                "true" => Predicate::TRUE,
                "false" => Predicate::FALSE,
                _ => Predicate::Name(Atom::name(name)),
            };
            Ok((predicate, rest))
        }
    }
}

/// Prints a predicate in the usual rustfmt spelling: `all(a, b)`, `not(x)`, `name = "v"`.
pub fn print(predicate: &Predicate) -> String {
    match predicate {
        Predicate::Name(Atom { name, value: None }) => name.clone(),
        Predicate::Name(Atom {
            name,
            value: Some(value),
        }) => format!("{name} = {value}"),
        Predicate::Not(inner) => format!("not({})", print(inner)),
        // The constants, should a caller print one: `all()`/`any()` parse on every Rust version.
        Predicate::All(items) => format!("all({})", join(items)),
        Predicate::Any(items) => format!("any({})", join(items)),
    }
}

fn join(items: &[Predicate]) -> String {
    items.iter().map(print).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proc_macro2::TokenStream;

    fn parse_str(text: &str) -> Result<Predicate, String> {
        let stream: TokenStream = text.parse().map_err(|e| format!("lex: {e}"))?;
        let tokens: Vec<TokenTree> = stream.into_iter().collect();
        parse(&tokens, Span::call_site()).map_err(|e| e.message)
    }

    fn err(text: &str) -> String {
        match parse_str(text) {
            Ok(p) => format!("unexpectedly parsed as {p:?}"),
            Err(e) => e,
        }
    }

    fn round_trip(text: &str) -> String {
        print(&parse_str(text).unwrap_or_else(|e| panic!("{text}: {e}")))
    }

    #[test]
    fn parses_and_prints_every_form() {
        assert_eq!(round_trip("unix"), "unix");
        assert_eq!(round_trip(r#"feature="serde""#), r#"feature = "serde""#);
        assert_eq!(round_trip(r##"feature = r#"x"#"##), r##"feature = r#"x"#"##);
        assert_eq!(
            round_trip("all(unix,not( test ),any(a,b,),)"),
            "all(unix, not(test), any(a, b))"
        );
        assert_eq!(round_trip("true"), "all()");
        assert_eq!(round_trip("false"), "any()");
        assert_eq!(round_trip("all()"), "all()");
        assert_eq!(round_trip("not(x,)"), "not(x)");
    }

    #[test]
    fn rejects_what_rustc_rejects() {
        assert_eq!(err(""), "the cfg predicate is empty");
        assert!(err("a, b").contains("one predicate"));
        assert!(err("not(a, b)").contains("`not` takes one"));
        assert!(err("version(\"1.80\")").contains("unsupported"));
        assert!(err("feature = 1").contains("string literal"));
        assert!(err("feature =").contains("string literal"));
        assert!(err("a b").contains("expected `,`"));
        assert!(err("::a").contains("expected a cfg name"));
    }

    #[test]
    fn refuses_deep_nesting_without_overflowing() {
        let deep = format!("{}a{}", "not(".repeat(5000), ")".repeat(5000));
        assert!(err(&deep).contains("nests deeper"));
    }

    #[test]
    fn mentions_only_looks_at_names() {
        let tags = vec!["ignore_autogenerated".to_string()];
        let tokens = |s: &str| -> Vec<TokenTree> {
            s.parse::<TokenStream>()
                .map(|t| t.into_iter().collect())
                .unwrap_or_default()
        };
        assert!(mentions(
            &tokens("all(a, not(ignore_autogenerated))"),
            &tags
        ));
        assert!(mentions(&tokens("ignore_autogenerated = \"x\""), &tags));
        assert!(!mentions(
            &tokens("feature = \"ignore_autogenerated\""),
            &tags
        ));
        assert!(!mentions(&tokens("not(ignore_autogenerated_x)"), &tags));
    }
}
