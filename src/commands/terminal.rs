//! How human output looks on this terminal: whether to colour, how much to say.
//! The core never sees any of this; commands ask `Output` to paint a word.

use std::io::Write;

use anstyle::{AnsiColor, Style};

use crate::cli::ColorArg;

/// What the process knows about where its output goes, gathered once by `main`
/// (the library reads no environment).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Terminal {
    /// Standard output is a terminal.
    pub out_is_tty: bool,
    /// Standard error is a terminal.
    pub err_is_tty: bool,
    /// Standard input is a terminal: nobody is piping anything in.
    pub in_is_tty: bool,
    /// `NO_COLOR` is set to a non-empty value (<https://no-color.org>).
    pub no_color: bool,
}

impl Terminal {
    /// Whether a stream gets colour: `--color` wins, else only a terminal without `NO_COLOR`.
    pub fn colour(&self, choice: ColorArg, is_tty: bool) -> bool {
        match choice {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => is_tty && !self.no_color,
        }
    }
}

/// How much human text a command prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    /// Only errors (`-q`); JSON reports are still printed.
    Quiet,
    Normal,
    /// Extra detail (`-v`), e.g. the signed string of a valid callback.
    Verbose,
}

/// The words cbtool colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Bad,
    Warning,
}

impl Tone {
    fn style(self) -> Style {
        let colour = match self {
            Tone::Good => AnsiColor::Green,
            Tone::Bad => AnsiColor::Red,
            Tone::Warning => AnsiColor::Yellow,
        };
        Style::new().fg_color(Some(colour.into())).bold()
    }
}

/// `word` in its tone's colour, or plain when `colour` is off.
pub fn paint(word: &str, tone: Tone, colour: bool) -> String {
    if colour {
        let style = tone.style();
        format!("{style}{word}{style:#}")
    } else {
        word.to_string()
    }
}

/// Passes on only the lines that are errors: `-q` keeps stderr for what went wrong.
/// Lines are buffered until their newline so a line split across writes is judged whole.
pub struct ErrorsOnly<'a> {
    inner: &'a mut dyn Write,
    line: Vec<u8>,
}

impl<'a> ErrorsOnly<'a> {
    pub fn new(inner: &'a mut dyn Write) -> Self {
        ErrorsOnly {
            inner,
            line: Vec::new(),
        }
    }

    fn emit(&mut self) -> std::io::Result<()> {
        if is_error_line(&self.line) {
            self.inner.write_all(&self.line)?;
        }
        self.line.clear();
        Ok(())
    }
}

impl Write for ErrorsOnly<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        for &byte in buf {
            self.line.push(byte);
            if byte == b'\n' {
                self.emit()?;
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl Drop for ErrorsOnly<'_> {
    fn drop(&mut self) {
        let _ = self.emit();
        let _ = self.inner.flush();
    }
}

/// Whether a line starts with `error:`, once any colour escapes are skipped.
fn is_error_line(line: &[u8]) -> bool {
    let mut rest = line;
    while let Some(after) = rest.strip_prefix(b"\x1b[") {
        match after.iter().position(|&b| b == b'm') {
            Some(end) => rest = &after[end + 1..],
            None => return false,
        }
    }
    rest.starts_with(b"error:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_follows_choice_tty_and_no_color() {
        let tty = Terminal {
            out_is_tty: true,
            err_is_tty: true,
            in_is_tty: true,
            no_color: false,
        };
        assert!(tty.colour(ColorArg::Auto, true));
        assert!(!tty.colour(ColorArg::Auto, false));
        assert!(!tty.colour(ColorArg::Never, true));
        let no_color = Terminal {
            no_color: true,
            ..tty
        };
        assert!(!no_color.colour(ColorArg::Auto, true));
        assert!(no_color.colour(ColorArg::Always, false));
    }

    #[test]
    fn paint_wraps_only_when_colouring() {
        assert_eq!(paint("valid:", Tone::Good, false), "valid:");
        let painted = paint("valid:", Tone::Good, true);
        assert!(painted.starts_with("\x1b[") && painted.ends_with("\x1b[0m"));
    }

    #[test]
    fn errors_only_keeps_error_lines_whole() {
        let mut sink = Vec::new();
        {
            let mut filter = ErrorsOnly::new(&mut sink);
            filter.write_all(b"warning: x\nerr").unwrap();
            filter
                .write_all(b"or: y\n\x1b[1;31merror:\x1b[0m z\nattempt 1")
                .unwrap();
        }
        assert_eq!(sink, b"error: y\n\x1b[1;31merror:\x1b[0m z\n");
    }
}
