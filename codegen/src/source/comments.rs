//! Finds `//` line comments in raw Rust text.
//!
//! syn drops plain comments, so marker lines (`// +genclient`) must be read from the text. A
//! small lexer skips string, raw-string, char and block-comment contents so that `"// +x"` in a
//! literal is never mistaken for a marker.

/// One `//`, `///` or `//!` comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineComment {
    /// 1-based line.
    pub line: usize,
    /// 1-based character column where the comment body starts (after the slashes and `!`).
    pub body_column: usize,
    /// The text after `//`, `///` or `//!`.
    pub body: String,
    /// Nothing but white space precedes the comment on its line.
    pub own_line: bool,
}

/// Every line comment of `text`, in order.
pub fn line_comments(text: &str) -> Vec<LineComment> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    let mut line_start = 0; // index of the first char of the current line
    let mut code_on_line = false;

    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '\n' => {
                line += 1;
                line_start = i + 1;
                code_on_line = false;
                i += 1;
            }
            '/' if next == Some('/') => {
                let mut start = i + 2;
                if matches!(chars.get(start), Some('/') | Some('!')) {
                    start += 1;
                }
                let end = chars[start..]
                    .iter()
                    .position(|&c| c == '\n')
                    .map_or(chars.len(), |p| start + p);
                let body: String = chars[start..end].iter().collect();
                out.push(LineComment {
                    line,
                    body_column: start - line_start + 1,
                    body: body.trim_end_matches('\r').to_owned(),
                    own_line: !code_on_line,
                });
                i = end;
            }
            '/' if next == Some('*') => {
                i = skip_block_comment(&chars, i, &mut line, &mut line_start);
                code_on_line = true;
            }
            '"' => {
                i = skip_quoted(&chars, i + 1, '"', &mut line, &mut line_start);
                code_on_line = true;
            }
            '\'' => {
                i = skip_char_or_lifetime(&chars, i);
                code_on_line = true;
            }
            'r' | 'b' | 'c' if starts_raw_string(&chars, i) => {
                i = skip_raw_string(&chars, i, &mut line, &mut line_start);
                code_on_line = true;
            }
            c if c.is_whitespace() => i += 1,
            c if is_ident_char(c) => {
                // Consume whole identifiers so a trailing `r`/`b` inside one (`bar"`) is not
                // taken for a string prefix.
                while i < chars.len() && is_ident_char(chars[i]) {
                    i += 1;
                }
                code_on_line = true;
            }
            _ => {
                i += 1;
                code_on_line = true;
            }
        }
    }
    out
}

fn is_ident_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

fn newline(i: usize, line: &mut usize, line_start: &mut usize) {
    *line += 1;
    *line_start = i + 1;
}

/// Skips a (nestable) block comment starting at `i`; returns the index after it.
fn skip_block_comment(chars: &[char], mut i: usize, line: &mut usize, ls: &mut usize) -> usize {
    let mut depth = 0;
    while i < chars.len() {
        match (chars[i], chars.get(i + 1)) {
            ('/', Some('*')) => {
                depth += 1;
                i += 2;
            }
            ('*', Some('/')) => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            ('\n', _) => {
                newline(i, line, ls);
                i += 1;
            }
            _ => i += 1,
        }
    }
    i
}

/// Skips the rest of an escaped literal whose body starts at `i`; returns the index after it.
fn skip_quoted(
    chars: &[char],
    mut i: usize,
    quote: char,
    line: &mut usize,
    ls: &mut usize,
) -> usize {
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                // `\` before a line break continues the string on the next line.
                if chars.get(i + 1) == Some(&'\n') {
                    newline(i + 1, line, ls);
                }
                i += 2;
            }
            '\n' => {
                newline(i, line, ls);
                i += 1;
            }
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// `'a'`, `'\n'`, `'\u{1F600}'` are chars; `'a` and `'static` are lifetimes or labels.
fn skip_char_or_lifetime(chars: &[char], i: usize) -> usize {
    match (chars.get(i + 1), chars.get(i + 2)) {
        (Some('\\'), _) => {
            // The escape starts right after the opening quote: `'\\'`, `'\''`, `'\u{7f}'`.
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '\'' && chars[j] != '\n' {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            // An unclosed literal stops at the line break, which the caller must still count.
            if chars.get(j) == Some(&'\n') {
                j
            } else {
                j + 1
            }
        }
        (Some(_), Some('\'')) => i + 3,
        _ => i + 1,
    }
}

/// `r"…"`, `r#"…"#`, `br"…"`, `cr"…"`: a raw string starts here (not `r#ident`).
fn starts_raw_string(chars: &[char], i: usize) -> bool {
    let mut j = i;
    if matches!(chars[j], 'b' | 'c') {
        j += 1;
    }
    if chars.get(j) != Some(&'r') {
        // `b"…"` and `c"…"` are escaped strings: handled when the `"` is reached.
        return false;
    }
    j += 1;
    while chars.get(j) == Some(&'#') {
        j += 1;
    }
    chars.get(j) == Some(&'"')
}

fn skip_raw_string(chars: &[char], mut i: usize, line: &mut usize, ls: &mut usize) -> usize {
    while chars[i] != 'r' {
        i += 1;
    }
    i += 1;
    let mut hashes = 0;
    while chars.get(i) == Some(&'#') {
        hashes += 1;
        i += 1;
    }
    i += 1; // the opening quote
    while i < chars.len() {
        if chars[i] == '\n' {
            newline(i, line, ls);
        } else if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
            return i + 1 + hashes;
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies(text: &str) -> Vec<(usize, usize, String, bool)> {
        line_comments(text)
            .into_iter()
            .map(|c| (c.line, c.body_column, c.body, c.own_line))
            .collect()
    }

    #[test]
    fn finds_plain_doc_and_inner_comments() {
        let text = "//! +groupName=a.io\n  // +genclient\n/// +k8s:deepcopy-gen=true\nstruct A; // trailing\n";
        assert_eq!(
            bodies(text),
            vec![
                (1, 4, " +groupName=a.io".into(), true),
                (2, 5, " +genclient".into(), true),
                (3, 4, " +k8s:deepcopy-gen=true".into(), true),
                (4, 13, " trailing".into(), false),
            ]
        );
    }

    #[test]
    fn skips_literals_and_block_comments() {
        let text = "const A: &str = \"// +genclient\n// +x\";\n\
                    const B: &str = r#\"\n// +raw\n\"#;\n\
                    /* // +block\n /* nested */ // +still\n*/\n\
                    const C: char = '\"';\nfn f<'a>(x: &'a str) {}\n// +real\n";
        let found = bodies(text);
        assert_eq!(found, vec![(11, 3, " +real".into(), true)]);
    }

    #[test]
    fn escaped_quotes_and_crlf() {
        let text = "let s = \"a\\\"// no\";\r\n// +yes\r\n";
        assert_eq!(bodies(text), vec![(2, 3, " +yes".into(), true)]);
    }

    #[test]
    fn escaped_char_literals_end_at_their_closing_quote() {
        let text = "let a = '\\\\'; let b = '\\''; let c = '\\u{7f}';\n// +after\n";
        assert_eq!(bodies(text), vec![(2, 3, " +after".into(), true)]);
        let text = "let a = b'\\\\'; // +same\n";
        assert_eq!(bodies(text), vec![(1, 18, " +same".into(), false)]);
    }

    #[test]
    fn string_line_continuations_count_lines() {
        let text = "let s = \"one \\\n    two\";\n// +after\n";
        assert_eq!(bodies(text), vec![(3, 3, " +after".into(), true)]);
        let text = "let s = \"one \\\r\n    two\";\r\n// +after\r\n";
        assert_eq!(bodies(text), vec![(3, 3, " +after".into(), true)]);
    }

    #[test]
    fn identifiers_ending_in_r_or_b_are_not_string_prefixes() {
        let text = "let bar = 1; let b = br\"x\"; let r = 2;\n// +after\n";
        assert_eq!(bodies(text), vec![(2, 3, " +after".into(), true)]);
    }
}
