//! How human output looks on this terminal: whether to colour, how much to say.
//! The core never sees any of this; commands ask `Output` to paint a word.

use anstyle::{AnsiColor, Style};

use crate::cli::ColorArg;
use crate::error::Error;

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
    pub(crate) fn colour(&self, choice: ColorArg, is_tty: bool) -> bool {
        match choice {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => is_tty && !self.no_color,
        }
    }
}

/// How much human text a command prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verbosity {
    /// Only errors (`-q`); JSON reports are still printed.
    Quiet,
    Normal,
    /// Extra detail (`-v`), e.g. the signed string of a valid callback.
    Verbose,
}

/// What a message on stderr is. Commands say which kind they write, and the verbosity
/// alone decides what is shown: nothing has to read the text back to tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// What stopped the command or made it fail; always shown.
    Error,
    /// Something the user should fix although the command went on.
    Warning,
    /// Human chatter: where a receiver listens, what was written, a human summary.
    Note,
    /// Lines and countdowns while a run goes on.
    Progress,
}

impl Verbosity {
    /// The flags' verbosity: `-q` wins (clap refuses both anyway).
    pub(crate) fn from_flags(quiet: bool, verbose: bool) -> Verbosity {
        match (quiet, verbose) {
            (true, _) => Verbosity::Quiet,
            (false, true) => Verbosity::Verbose,
            (false, false) => Verbosity::Normal,
        }
    }

    /// Whether a message of `kind` reaches stderr: `-q` keeps only errors.
    pub(crate) fn shows(self, kind: Kind) -> bool {
        self != Verbosity::Quiet || kind == Kind::Error
    }
}

/// The words cbtool colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
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

/// A `Serialize` document shown as its compact JSON, so that a report line can be one.
pub(crate) struct Json<T>(pub(crate) T);

impl<T: serde::Serialize> std::fmt::Display for Json<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Only a map with non-string keys fails to serialise, and no document has one.
        let text = serde_json::to_string(&self.0).map_err(|_| std::fmt::Error)?;
        f.write_str(&text)
    }
}

/// What `--json` prints on stdout for an error that stopped the command:
/// `{"error": {"message", "file", "line", "column"}}`, the members null when unknown.
#[derive(serde::Serialize)]
pub(crate) struct ErrorDocument<'a> {
    error: ErrorJson<'a>,
}

/// An error as JSON, where it is known: the document above, and `validate`'s entry for
/// an input it could not read.
#[derive(serde::Serialize)]
pub(crate) struct ErrorJson<'a> {
    /// The `error:` line's text.
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
}

impl<'a> ErrorDocument<'a> {
    pub(crate) fn of(error: &'a Error) -> Self {
        ErrorDocument {
            error: ErrorJson::of(error),
        }
    }
}

impl<'a> ErrorJson<'a> {
    pub(crate) fn of(error: &'a Error) -> Self {
        let place = error.place();
        ErrorJson {
            message: error.message(),
            file: place.map(|p| p.source.as_str()).or(error.file()),
            line: place.map(|p| p.position.line),
            column: place.map(|p| p.position.column),
        }
    }
}

/// `word` in its tone's colour, or plain when `colour` is off.
pub(crate) fn paint(word: &str, tone: Tone, colour: bool) -> String {
    if colour {
        let style = tone.style();
        format!("{style}{word}{style:#}")
    } else {
        word.to_string()
    }
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
    fn quiet_shows_only_errors() {
        let kinds = [Kind::Error, Kind::Warning, Kind::Note, Kind::Progress];
        let shown = |v: Verbosity| kinds.iter().filter(|k| v.shows(**k)).count();
        assert_eq!(shown(Verbosity::Quiet), 1);
        assert!(Verbosity::Quiet.shows(Kind::Error));
        assert_eq!(shown(Verbosity::Normal), 4);
        assert_eq!(shown(Verbosity::Verbose), 4);
        assert_eq!(Verbosity::from_flags(true, true), Verbosity::Quiet);
        assert_eq!(Verbosity::from_flags(false, true), Verbosity::Verbose);
        assert_eq!(Verbosity::from_flags(false, false), Verbosity::Normal);
    }

    #[test]
    fn paint_wraps_only_when_colouring() {
        assert_eq!(paint("valid:", Tone::Good, false), "valid:");
        let painted = paint("valid:", Tone::Good, true);
        assert!(painted.starts_with("\x1b[") && painted.ends_with("\x1b[0m"));
    }
}
