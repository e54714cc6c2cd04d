//! Bytes on disk to source text: UTF-8 or a located error, and the byte-order mark.

use std::path::Path;

use crate::diagnostic::Diagnostic;

/// The UTF-8 byte-order mark some editors put first. rustc and the Go toolchain both ignore it.
pub const BOM: &str = "\u{feff}";

/// A file that is not UTF-8: the error at its first invalid byte, and the text with invalid
/// sequences replaced (U+FFFD), for quoting the line.
#[derive(Debug)]
pub struct NotUtf8 {
    pub diagnostic: Diagnostic,
    pub lossy: String,
}

/// Decodes `bytes` as UTF-8; `rel` names the file in the error.
pub fn decode(rel: &Path, bytes: Vec<u8>) -> Result<String, Box<NotUtf8>> {
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let offset = e.utf8_error().valid_up_to();
        // The prefix up to the first invalid byte is valid by definition.
        let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
        let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
        let line = valid.matches('\n').count() + 1;
        let column = valid[line_start..].chars().count() + 1;
        let diagnostic = Diagnostic::new(
            rel,
            format!(
                "this file is not valid UTF-8: invalid byte 0x{:02x} at byte offset {offset}",
                bytes[offset]
            ),
        )
        .at(line, column)
        .width(1)
        .help("source files must be UTF-8: re-save the file as UTF-8 (for example with `iconv -f latin1 -t utf-8`)");
        Box::new(NotUtf8 {
            diagnostic,
            lossy: String::from_utf8_lossy(bytes).into_owned(),
        })
    })
}

/// `text` without a leading byte-order mark.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix(BOM).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_bytes_are_located() {
        let bytes = b"// ok\npub struct \xc3A;\n".to_vec();
        let err = decode(Path::new("a.rs"), bytes).expect_err("invalid");
        assert_eq!(err.diagnostic.location(), "a.rs:2:12");
        assert_eq!(
            err.diagnostic.message,
            "this file is not valid UTF-8: invalid byte 0xc3 at byte offset 17"
        );
        assert_eq!(err.lossy, "// ok\npub struct \u{fffd}A;\n");
        let first = decode(Path::new("b.rs"), vec![0xff]).expect_err("invalid");
        assert_eq!(first.diagnostic.location(), "b.rs:1:1");
        assert_eq!(
            decode(Path::new("c.rs"), "é\n".into()).ok().as_deref(),
            Some("é\n")
        );
    }

    #[test]
    fn the_bom_is_stripped_once() {
        assert_eq!(strip_bom("\u{feff}\u{feff}x"), "\u{feff}x");
        assert_eq!(strip_bom("x"), "x");
    }
}
