//! One error type for the whole tool, so that every failure reaches the user as a
//! single `error:` line and maps to the documented exit code.

use std::fmt;

/// Exit code when the check held.
pub(crate) const EXIT_OK: i32 = 0;
/// Exit code when the check failed (bad signature, not acknowledged, schema violation).
pub(crate) const EXIT_CHECK_FAILED: i32 = 1;
/// Exit code for usage and input errors.
pub(crate) const EXIT_USAGE: i32 = 2;

/// A failure that stops a command. Every variant is a usage or input problem
/// (exit 2): a failed *check* is not an error, it is an outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    message: String,
    place: Option<Place>,
    /// The named input the error is about, known even without a position.
    file: Option<String>,
}

/// Where an error sits in a named input, kept apart from the rendered line so that a
/// caller who knows where that input lies in a larger file (a JSON Lines line, a request's
/// body) can move the position there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    pub(crate) source: String,
    pub(crate) position: Position,
    /// The message without its `source:line:column: ` prefix.
    pub(crate) reason: String,
}

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            message: message.into(),
            place: None,
            file: None,
        }
    }

    /// An error about a named input (file path or `<stdin>`), optionally at a position.
    pub(crate) fn at(source: &str, position: Option<Position>, message: impl fmt::Display) -> Self {
        match position {
            Some(p) => Error {
                message: format!("{source}:{}:{}: {message}", p.line, p.column),
                place: Some(Place {
                    source: source.to_string(),
                    position: p,
                    reason: message.to_string(),
                }),
                file: Some(source.to_string()),
            },
            None => Error {
                file: Some(source.to_string()),
                ..Error::new(format!("{source}: {message}"))
            },
        }
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub(crate) fn place(&self) -> Option<&Place> {
        self.place.as_ref()
    }

    /// The named input (file path, `file:line` of JSON Lines, `<stdin>`), when known.
    pub(crate) fn file(&self) -> Option<&str> {
        self.file.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A 1-based line and column in a text input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Position {
    pub(crate) line: usize,
    pub(crate) column: usize,
}

impl Position {
    /// The line and column (in characters) of a byte offset in `text`.
    pub(crate) fn of_offset(text: &[u8], offset: usize) -> Position {
        let before = &text[..offset.min(text.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        Position { line, column }
    }

    /// The position `inner` (counted from the start of a span) takes when the span
    /// starts at `self`: a span's first line continues the line it starts on.
    pub(crate) fn then(self, inner: Position) -> Position {
        if inner.line == 1 {
            Position {
                line: self.line,
                column: self.column + inner.column - 1,
            }
        } else {
            Position {
                line: self.line + inner.line - 1,
                column: inner.column,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "ab\n车c\nx".as_bytes();
        assert_eq!(
            Position::of_offset(text, 0),
            Position { line: 1, column: 1 }
        );
        // '车' is three bytes but one column.
        assert_eq!(
            Position::of_offset(text, 6),
            Position { line: 2, column: 2 }
        );
        assert_eq!(
            Position::of_offset(text, 8),
            Position { line: 3, column: 1 }
        );
    }

    #[test]
    fn positions_inside_a_span_shift_by_where_it_starts() {
        let start = Position {
            line: 4,
            column: 10,
        };
        let first_line = Position { line: 1, column: 3 };
        assert_eq!(
            start.then(first_line),
            Position {
                line: 4,
                column: 12
            }
        );
        let later = Position { line: 3, column: 3 };
        assert_eq!(start.then(later), Position { line: 6, column: 3 });
    }
}
