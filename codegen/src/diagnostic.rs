//! User-facing errors: values with a location, rendered once at the edge in rustc's style.

use std::fmt;
use std::path::{Path, PathBuf};

/// A 1-based line and column in a source file (columns count characters, as rustc does).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// One error the user can act on: where, what, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as the user named it (relative to the root when inside it).
    pub path: PathBuf,
    /// Where in the file; `None` for errors about a file as a whole.
    pub position: Option<Position>,
    /// How many characters to underline from `position` (at least 1 when shown).
    pub width: usize,
    pub message: String,
    /// What to do about it (`help: …`).
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            position: None,
            width: 0,
            message: message.into(),
            help: None,
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.position = Some(Position { line, column });
        self
    }

    pub fn width(mut self, width: usize) -> Self {
        self.width = width;
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `path:line:col`, the form editors and terminals turn into links.
    pub fn location(&self) -> String {
        match self.position {
            Some(p) => format!("{}:{}:{}", self.path.display(), p.line, p.column),
            None => self.path.display().to_string(),
        }
    }

    /// Renders like rustc, quoting the source line when `source` (the file's text) is given.
    pub fn render(&self, source: Option<&str>) -> String {
        let mut out = format!("error: {}\n", self.message);
        let quoted = self.position.and_then(|p| {
            source
                .and_then(|s| s.lines().nth(p.line.checked_sub(1)?))
                .map(|text| (p, text))
        });
        match quoted {
            Some((p, text)) => {
                let gutter = " ".repeat(p.line.to_string().len());
                out += &format!("{gutter}--> {}\n", self.location());
                out += &format!("{gutter} |\n");
                out += &format!("{} | {}\n", p.line, text.trim_end());
                let pad = " ".repeat(p.column.saturating_sub(1));
                out += &format!("{gutter} | {pad}{}\n", "^".repeat(self.width.max(1)));
                if let Some(help) = &self.help {
                    out += &format!("{gutter} = help: {help}\n");
                }
            }
            None => {
                out += &format!(" --> {}\n", self.location());
                if let Some(help) = &self.help {
                    out += &format!("  = help: {help}\n");
                }
            }
        }
        out
    }

    /// Makes the path relative to `root` when it lies inside it, for shorter messages.
    pub fn relative_to(mut self, root: &Path) -> Self {
        if let Ok(rel) = self.path.strip_prefix(root) {
            self.path = rel.to_path_buf();
        }
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)?;
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_source_and_help() {
        let d = Diagnostic::new("api/v1/mod.rs", "unknown marker `+genclient:nonNamespace`")
            .at(2, 4)
            .width(23)
            .help("did you mean `+genclient:nonNamespaced`?");
        let text = d.render(Some("// +groupName=a.io\n// +genclient:nonNamespace\n"));
        assert_eq!(
            text,
            "error: unknown marker `+genclient:nonNamespace`\n\
             \x20--> api/v1/mod.rs:2:4\n\
             \x20 |\n\
             2 | // +genclient:nonNamespace\n\
             \x20 |    ^^^^^^^^^^^^^^^^^^^^^^^\n\
             \x20 = help: did you mean `+genclient:nonNamespaced`?\n"
        );
        assert_eq!(
            d.to_string(),
            "api/v1/mod.rs:2:4: unknown marker `+genclient:nonNamespace` (help: did you mean `+genclient:nonNamespaced`?)"
        );
    }

    #[test]
    fn renders_without_source() {
        let d = Diagnostic::new("/r/a.rs", "boom").relative_to(Path::new("/r"));
        assert_eq!(d.render(None), "error: boom\n --> a.rs\n");
    }
}
