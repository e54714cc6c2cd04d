//! Splicing: replace byte ranges of the original text and keep every other byte as it was.

use std::ops::Range;

/// Replace `range` of the original text with `text` (empty to delete).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub text: String,
}

impl Edit {
    pub fn delete(range: Range<usize>) -> Edit {
        Edit {
            range,
            text: String::new(),
        }
    }

    pub fn replace(range: Range<usize>, text: impl Into<String>) -> Edit {
        Edit {
            range,
            text: text.into(),
        }
    }
}

/// Applies edits in order of position. Overlapping deletions merge (two removed attributes may
/// both claim the whitespace between them); a range that is out of bounds or not on a character
/// boundary is skipped rather than trusted.
pub fn apply(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut copied_to = 0;
    for edit in edits {
        let start = edit.range.start.max(copied_to);
        let end = edit.range.end;
        if end < start || text.get(copied_to..start).is_none() || text.get(start..end).is_none() {
            continue;
        }
        out.push_str(&text[copied_to..start]);
        out.push_str(&edit.text);
        copied_to = end;
    }
    out.push_str(text.get(copied_to..).unwrap_or_default());
    out
}

/// The byte offset where the line containing `offset` starts.
pub fn line_start(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1)
}

/// The byte offset just past the end of the line containing `offset`, its `\n` included.
pub fn line_end_inclusive(text: &str, offset: usize) -> usize {
    text.get(offset..)
        .and_then(|after| after.find('\n'))
        .map_or(text.len(), |i| offset + i + 1)
}

/// The line terminator the text uses at `offset`'s line (`\r\n` or `\n`), for inserted lines.
pub fn newline_at(text: &str, offset: usize) -> &'static str {
    let end = line_end_inclusive(text, offset);
    if text.get(..end).is_some_and(|l| l.ends_with("\r\n")) {
        "\r\n"
    } else {
        "\n"
    }
}

/// 1-based line and column (in characters) of a byte offset, as diagnostics show them.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before[line_start(before, before.len())..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_in_position_order_and_keeps_the_rest() {
        let out = apply(
            "abcdef",
            vec![
                Edit::replace(4..5, "E"),
                Edit::delete(0..1),
                Edit::replace(2..2, "+"),
            ],
        );
        assert_eq!(out, "b+cdEf");
    }

    #[test]
    fn merges_overlapping_deletions() {
        let out = apply("aa  bb\ncc", vec![Edit::delete(0..4), Edit::delete(2..6)]);
        assert_eq!(out, "\ncc");
    }

    #[test]
    fn skips_ranges_that_do_not_fit() {
        assert_eq!(apply("é", vec![Edit::delete(1..2)]), "é");
        assert_eq!(apply("ab", vec![Edit::delete(1..9)]), "ab");
    }

    #[test]
    fn lines_and_columns() {
        let text = "ab\r\nçd\nx";
        assert_eq!(line_start(text, 6), 4);
        assert_eq!(line_end_inclusive(text, 0), 4);
        assert_eq!(line_end_inclusive(text, 8), 9);
        assert_eq!(newline_at(text, 1), "\r\n");
        assert_eq!(newline_at(text, 5), "\n");
        assert_eq!(line_column(text, 6), (2, 2));
        assert_eq!(line_column(text, 0), (1, 1));
    }
}
