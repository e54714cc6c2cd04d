//! Label and field selectors, with the grammar of `k8s.io/apimachinery/pkg/labels`.
//!
//! Label selectors: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a` (exists), `!a`,
//! and the numeric `a>1`, `a<1`. Field selectors: `=`, `==`, `!=` on `metadata.name` and
//! `metadata.namespace` (what kube-apiserver supports for custom resources).

use std::collections::BTreeMap;

use serde_json::Value;

#[derive(Clone, Debug, PartialEq, Eq)]
enum LabelRequirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
    GreaterThan(String, i64),
    LessThan(String, i64),
}

/// A parsed label selector; the empty selector matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelSelector {
    requirements: Vec<LabelRequirement>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Word(String),
    Open,
    Close,
    Comma,
    Equals,
    DoubleEquals,
    NotEquals,
    Bang,
    Greater,
    Less,
}

fn tokenize(input: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = input.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            ' ' | '\t' => {
                chars.next();
            }
            '(' => {
                chars.next();
                tokens.push(Token::Open);
            }
            ')' => {
                chars.next();
                tokens.push(Token::Close);
            }
            ',' => {
                chars.next();
                tokens.push(Token::Comma);
            }
            '=' => {
                chars.next();
                if chars.peek() == Some(&'=') {
                    chars.next();
                    tokens.push(Token::DoubleEquals);
                } else {
                    tokens.push(Token::Equals);
                }
            }
            '!' => {
                chars.next();
                if chars.peek() == Some(&'=') {
                    chars.next();
                    tokens.push(Token::NotEquals);
                } else {
                    tokens.push(Token::Bang);
                }
            }
            '>' => {
                chars.next();
                tokens.push(Token::Greater);
            }
            '<' => {
                chars.next();
                tokens.push(Token::Less);
            }
            _ => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if " \t(),=!<>".contains(c) {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                tokens.push(Token::Word(word));
            }
        }
    }
    Ok(tokens)
}

/// Checks a label key: optional DNS-subdomain prefix and `/`, then a name of at most 63
/// characters of alphanumerics, `-`, `_`, `.`, beginning and ending alphanumeric.
fn validate_key(key: &str) -> Result<(), String> {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if let Some(p) = prefix
        && (p.is_empty()
            || p.len() > 253
            || !p
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.'))
    {
        return Err(format!(
            "invalid label key \"{key}\": prefix part must be a DNS subdomain"
        ));
    }
    validate_label_value(name).map_err(|why| format!("invalid label key \"{key}\": {why}"))?;
    if name.is_empty() {
        return Err(format!(
            "invalid label key \"{key}\": name part must be non-empty"
        ));
    }
    Ok(())
}

fn validate_label_value(value: &str) -> Result<(), String> {
    if value.len() > 63 {
        return Err("must be no more than 63 characters".to_owned());
    }
    let ok_chars = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
    let ok_ends = value.is_empty()
        || (value.starts_with(|c: char| c.is_ascii_alphanumeric())
            && value.ends_with(|c: char| c.is_ascii_alphanumeric()));
    if ok_chars && ok_ends {
        Ok(())
    } else {
        Err(format!(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (got \"{value}\")"
        ))
    }
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn word(&mut self, what: &str) -> Result<String, String> {
        match self.next() {
            Some(Token::Word(w)) => Ok(w),
            other => Err(format!("found '{other:?}', expected: {what}")),
        }
    }

    fn value(&mut self) -> Result<String, String> {
        // A value may be empty (`a=`), which shows up as the next token being a comma or end.
        match self.peek() {
            Some(Token::Word(_)) => self.word("value"),
            Some(Token::Comma) | None => Ok(String::new()),
            Some(other) => Err(format!("found '{other:?}', expected: identifier")),
        }
    }

    fn values(&mut self) -> Result<Vec<String>, String> {
        match self.next() {
            Some(Token::Open) => {}
            other => Err(format!("found '{other:?}', expected: '('"))?,
        }
        let mut values = Vec::new();
        loop {
            match self.next() {
                Some(Token::Word(w)) => values.push(w),
                Some(Token::Close) if values.is_empty() => return Ok(values),
                other => return Err(format!("found '{other:?}', expected: value")),
            }
            match self.next() {
                Some(Token::Comma) => continue,
                Some(Token::Close) => return Ok(values),
                other => return Err(format!("found '{other:?}', expected: ',' or ')'")),
            }
        }
    }

    fn requirement(&mut self) -> Result<LabelRequirement, String> {
        if self.peek() == Some(&Token::Bang) {
            self.next();
            let key = self.word("identifier")?;
            validate_key(&key)?;
            return Ok(LabelRequirement::DoesNotExist(key));
        }
        let key = self.word("identifier")?;
        validate_key(&key)?;
        let requirement = match self.peek().cloned() {
            None | Some(Token::Comma) => LabelRequirement::Exists(key),
            Some(Token::Equals) | Some(Token::DoubleEquals) => {
                self.next();
                let v = self.value()?;
                validate_label_value(&v)?;
                LabelRequirement::Equals(key, v)
            }
            Some(Token::NotEquals) => {
                self.next();
                let v = self.value()?;
                validate_label_value(&v)?;
                LabelRequirement::NotEquals(key, v)
            }
            Some(Token::Greater) | Some(Token::Less) => {
                let greater = self.next() == Some(Token::Greater);
                let raw = self.word("integer")?;
                let n: i64 = raw.parse().map_err(|_| {
                    format!(
                        "for 'Gt', 'Lt' operators, the value must be an integer (got \"{raw}\")"
                    )
                })?;
                if greater {
                    LabelRequirement::GreaterThan(key, n)
                } else {
                    LabelRequirement::LessThan(key, n)
                }
            }
            Some(Token::Word(op)) if op == "in" || op == "notin" => {
                self.next();
                let values = self.values()?;
                if values.is_empty() {
                    return Err("for 'in', 'notin' operators, values set can't be empty".to_owned());
                }
                for v in &values {
                    validate_label_value(v)?;
                }
                if op == "in" {
                    LabelRequirement::In(key, values)
                } else {
                    LabelRequirement::NotIn(key, values)
                }
            }
            Some(other) => {
                return Err(format!(
                    "found '{other:?}', expected: in, notin, =, ==, !=, gt, lt"
                ));
            }
        };
        Ok(requirement)
    }
}

impl LabelSelector {
    /// Parses a selector; the error text is what kube-apiserver puts after
    /// `unable to parse requirement: `.
    pub fn parse(input: &str) -> Result<Self, String> {
        let tokens = tokenize(input)?;
        let mut parser = Parser { tokens, pos: 0 };
        let mut requirements = Vec::new();
        if parser.peek().is_none() {
            return Ok(LabelSelector::default());
        }
        loop {
            requirements.push(parser.requirement()?);
            match parser.next() {
                None => break,
                Some(Token::Comma) => continue,
                Some(other) => {
                    return Err(format!(
                        "found '{other:?}', expected: ',' or 'end of string'"
                    ));
                }
            }
        }
        Ok(LabelSelector { requirements })
    }

    /// Whether a label map satisfies every requirement.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.requirements.iter().all(|r| match r {
            LabelRequirement::Equals(k, v) => labels.get(k) == Some(v),
            LabelRequirement::NotEquals(k, v) => labels.get(k) != Some(v),
            LabelRequirement::In(k, vs) => labels.get(k).is_some_and(|l| vs.contains(l)),
            LabelRequirement::NotIn(k, vs) => labels.get(k).is_none_or(|l| !vs.contains(l)),
            LabelRequirement::Exists(k) => labels.contains_key(k),
            LabelRequirement::DoesNotExist(k) => !labels.contains_key(k),
            LabelRequirement::GreaterThan(k, n) => labels
                .get(k)
                .and_then(|l| l.parse::<i64>().ok())
                .is_some_and(|l| l > *n),
            LabelRequirement::LessThan(k, n) => labels
                .get(k)
                .and_then(|l| l.parse::<i64>().ok())
                .is_some_and(|l| l < *n),
        })
    }

    /// Whether an object's `metadata.labels` satisfy the selector.
    pub fn matches_object(&self, object: &Value) -> bool {
        if self.requirements.is_empty() {
            return true;
        }
        let labels: BTreeMap<String, String> = object
            .pointer("/metadata/labels")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())))
                    .collect()
            })
            .unwrap_or_default();
        self.matches(&labels)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum FieldRequirement {
    Equals(String, String),
    NotEquals(String, String),
}

/// A parsed field selector over `metadata.name` and `metadata.namespace`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldSelector {
    requirements: Vec<FieldRequirement>,
}

const SUPPORTED_FIELDS: [&str; 2] = ["metadata.name", "metadata.namespace"];

impl FieldSelector {
    /// Parses `f=v,f!=v`; an unsupported field gives kube-apiserver's
    /// `field label not supported: <field>`.
    pub fn parse(input: &str) -> Result<Self, String> {
        let mut requirements = Vec::new();
        for part in input.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (field, value, negated) = if let Some((f, v)) = part.split_once("!=") {
                (f, v, true)
            } else if let Some((f, v)) = part.split_once("==") {
                (f, v, false)
            } else if let Some((f, v)) = part.split_once('=') {
                (f, v, false)
            } else {
                return Err(format!(
                    "invalid selector: '{part}'; can't understand '{part}'"
                ));
            };
            let field = field.trim().to_owned();
            if !SUPPORTED_FIELDS.contains(&field.as_str()) {
                return Err(format!("field label not supported: {field}"));
            }
            let value = value.trim().to_owned();
            requirements.push(if negated {
                FieldRequirement::NotEquals(field, value)
            } else {
                FieldRequirement::Equals(field, value)
            });
        }
        Ok(FieldSelector { requirements })
    }

    /// The `metadata.name=` value when the selector pins one name (lets a list skip the scan).
    pub fn pinned_name(&self) -> Option<&str> {
        self.requirements.iter().find_map(|r| match r {
            FieldRequirement::Equals(f, v) if f == "metadata.name" => Some(v.as_str()),
            _ => None,
        })
    }

    /// Whether the object's fields satisfy every requirement.
    pub fn matches_object(&self, object: &Value) -> bool {
        self.requirements.iter().all(|r| {
            let (field, value, negated) = match r {
                FieldRequirement::Equals(f, v) => (f, v, false),
                FieldRequirement::NotEquals(f, v) => (f, v, true),
            };
            let pointer = format!("/{}", field.replace('.', "/"));
            let actual = object
                .pointer(&pointer)
                .and_then(Value::as_str)
                .unwrap_or("");
            (actual == value) != negated
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn every_operator_matches_like_apimachinery() {
        let l = labels(&[("app", "web"), ("tier", "front"), ("n", "5")]);
        let cases = [
            ("app=web", true),
            ("app==web", true),
            ("app!=web", false),
            ("app!=db", true),
            ("missing!=x", true),
            ("app in (web,db)", true),
            ("app in (db)", false),
            ("app notin (db)", true),
            ("missing notin (db)", true),
            ("app notin (web)", false),
            ("tier", true),
            ("missing", false),
            ("!missing", true),
            ("!app", false),
            ("app=web,tier=front", true),
            ("app=web, tier=back", false),
            ("n>4", true),
            ("n<4", false),
            ("", true),
        ];
        for (selector, expected) in cases {
            let parsed = LabelSelector::parse(selector);
            assert!(parsed.is_ok(), "{selector}: {parsed:?}");
            assert_eq!(
                parsed.unwrap_or_default().matches(&l),
                expected,
                "{selector}"
            );
        }
    }

    #[test]
    fn malformed_selectors_are_errors() {
        for bad in [
            "app in web",
            "app in ()",
            "=web",
            "app=web=x",
            "app in (a,",
            "a b",
            "n>x",
            "Bad Key!=1",
        ] {
            assert!(LabelSelector::parse(bad).is_err(), "{bad} should not parse");
        }
    }

    #[test]
    fn field_selector_supports_name_and_namespace_only() {
        let obj = json!({"metadata": {"name": "a", "namespace": "ns1"}});
        let s = FieldSelector::parse("metadata.name=a,metadata.namespace!=ns2").unwrap_or_default();
        assert!(s.matches_object(&obj));
        assert_eq!(s.pinned_name(), Some("a"));
        let s = FieldSelector::parse("metadata.name==b").unwrap_or_default();
        assert!(!s.matches_object(&obj));
        assert_eq!(
            FieldSelector::parse("spec.x=1"),
            Err("field label not supported: spec.x".to_owned())
        );
    }
}
