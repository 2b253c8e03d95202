//! Command glue: read inputs and credentials, call the core, render the outcome.

mod demo;
mod demo_report;
mod keygen;
mod listen;
mod listen_forward;
mod listen_forward_json;
mod listen_forward_log;
mod listen_log;
mod outputs;
mod replay;
mod replay_input;
mod replay_live;
mod sample;
mod shell;
mod sign;
mod signals;
mod snippet;
pub(crate) mod terminal;
mod validate;
mod validate_report;
mod verify;
mod verify_report;

use std::io::Write;

use crate::cli::{Command, CredentialArgs, GivenArg, VendorArg};
use crate::credentials::{read_secret_file, CredentialKind, Credentials, Given};
use crate::error::{Error, Result};
use crate::json::TopLevel;
use crate::secret::Secret;
use crate::vendors::{self, Vendor};
use terminal::{paint, Kind, Tone, Verbosity};

/// Where a command writes: the report on `out`, diagnostics on `err`; and how:
/// which stream is coloured, how much to say. Every stderr message goes through here
/// with its [`Kind`], so `-q` is decided by the kind, never by reading the text.
pub(crate) struct Output<'a> {
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    /// Where what the verbosity hides is written.
    hidden: std::io::Sink,
    /// Standard output carries only human text, which `-q` hides too.
    out_hidden: bool,
    pub(crate) colour_out: bool,
    pub(crate) colour_err: bool,
    /// Standard input is a terminal, so reading it by default would wait on the user.
    pub(crate) in_is_tty: bool,
    pub(crate) verbosity: Verbosity,
}

impl<'a> Output<'a> {
    /// Uncoloured output on two streams. `prints_data`: stdout carries data (a JSON
    /// report, a signature, keys), which `-q` keeps, rather than human text, which it hides.
    pub(crate) fn new(
        out: &'a mut dyn Write,
        err: &'a mut dyn Write,
        verbosity: Verbosity,
        prints_data: bool,
    ) -> Self {
        Output {
            out,
            err,
            hidden: std::io::sink(),
            out_hidden: verbosity == Verbosity::Quiet && !prints_data,
            colour_out: false,
            colour_err: false,
            in_is_tty: false,
            verbosity,
        }
    }
}

impl Output<'_> {
    /// Standard output: the report.
    pub(crate) fn out(&mut self) -> &mut dyn Write {
        if self.out_hidden {
            &mut self.hidden
        } else {
            &mut *self.out
        }
    }

    /// Standard error for messages of `kind`; a sink when the verbosity hides them.
    pub(crate) fn stream(&mut self, kind: Kind) -> &mut dyn Write {
        if self.shows(kind) {
            &mut *self.err
        } else {
            &mut self.hidden
        }
    }

    /// Whether messages of `kind` are shown (e.g. to skip drawing countdowns at all).
    pub(crate) fn shows(&self, kind: Kind) -> bool {
        self.verbosity.shows(kind)
    }

    /// Writes a line of the report. A closed pipe (`| head`) is not an error worth
    /// reporting, so write failures are ignored.
    pub(crate) fn line(&mut self, text: impl std::fmt::Display) {
        let _ = writeln!(self.out(), "{text}");
    }

    /// A report line opening with `valid:` or `invalid:`, coloured on a terminal.
    pub(crate) fn verdict(&mut self, valid: bool, rest: impl std::fmt::Display) {
        let word = if valid {
            paint("valid:", Tone::Good, self.colour_out)
        } else {
            paint("invalid:", Tone::Bad, self.colour_out)
        };
        self.line(format_args!("{word} {rest}"));
    }

    /// A severity word (`error`, `warning`) for a report line on `out`.
    pub(crate) fn severity(&self, word: &str, error: bool) -> String {
        let tone = if error { Tone::Bad } else { Tone::Warning };
        paint(word, tone, self.colour_out)
    }

    /// A word that says a check held (`valid`), for a report line on `out`.
    pub(crate) fn good(&self, word: &str) -> String {
        paint(word, Tone::Good, self.colour_out)
    }

    pub(crate) fn verbose(&self) -> bool {
        self.verbosity == Verbosity::Verbose
    }

    /// Runs `f` with both streams buffered, then writes what it wrote in one go. A
    /// server's log uses this for a run of lines: standard error is unbuffered, and a
    /// write per piece of each line was half of `listen`'s system time under load.
    pub(crate) fn buffered<T>(&mut self, f: impl FnOnce(&mut Output<'_>) -> T) -> T {
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, &mut *self.out);
        let mut err = std::io::BufWriter::with_capacity(64 * 1024, &mut *self.err);
        let mut batch = Output {
            out: &mut out,
            err: &mut err,
            hidden: std::io::sink(),
            out_hidden: self.out_hidden,
            colour_out: self.colour_out,
            colour_err: self.colour_err,
            in_is_tty: self.in_is_tty,
            verbosity: self.verbosity,
        };
        let result = f(&mut batch);
        let _ = out.flush();
        let _ = err.flush();
        result
    }

    pub(crate) fn warn(&mut self, text: impl std::fmt::Display) {
        let prefix = paint("warning:", Tone::Warning, self.colour_err);
        let _ = writeln!(self.stream(Kind::Warning), "{prefix} {text}");
    }

    pub(crate) fn error(&mut self, error: &Error) {
        let prefix = paint("error:", Tone::Bad, self.colour_err);
        let _ = writeln!(self.stream(Kind::Error), "{prefix} {error}");
    }
}

/// Runs a parsed command and returns its exit code.
pub(crate) fn dispatch(command: Command, output: &mut Output) -> Result<i32> {
    match command {
        Command::Sign(args) => sign::run(args, output),
        Command::Verify(args) => verify::run(args, output),
        Command::Keygen(args) => keygen::run(args, output),
        Command::Listen(args) => listen::run(args, output),
        Command::Replay(args) => replay::run(args, output),
        Command::Validate(args) => validate::run(args, output),
        Command::Demo(args) => demo::run(args, output),
        Command::Completions(args) => shell::completions(args, output),
        Command::Man(args) => shell::man(args, output),
        Command::Sample(args) => sample::run(args, output),
        Command::Snippet(args) => snippet::run(args, output),
    }
}

/// Builds credentials from flags and variables (clap has already merged the two): each
/// value goes to the spec that declared its flag.
pub(crate) fn credentials(args: &CredentialArgs) -> Result<Credentials> {
    let mut creds = Credentials::default();
    for &(spec, ref given) in &args.given {
        let given = match (spec.kind, given) {
            (CredentialKind::Secret, GivenArg::File(path)) => {
                Given::Secret(read_secret_file(spec, path)?)
            }
            (CredentialKind::Secret, GivenArg::Value(s)) => {
                Given::Secret(Secret::new(s.as_bytes()))
            }
            (_, GivenArg::File(path)) => Given::Path(path.clone()),
            (_, GivenArg::Value(path)) => Given::Path(path.into()),
        };
        creds = creds.with(spec, given);
    }
    Ok(creds)
}

/// The vendor forced on the command line, or the one the body's members name.
pub(crate) fn choose_vendor(
    forced: Option<VendorArg>,
    source: &str,
    top: &TopLevel,
) -> Result<&'static dyn Vendor> {
    match forced {
        Some(arg) => Ok(vendor_for(arg)),
        None => vendors::detect(source, top),
    }
}

/// The vendor a `--vendor`-style argument names.
pub(crate) fn vendor_for(arg: VendorArg) -> &'static dyn Vendor {
    arg.0
}

/// The input path and format from the input flags.
///
/// Without a FILE the input is standard input, but not a terminal's: like jq with no
/// input and ripgrep, cbtool will not sit waiting on a keyboard nobody means to type on,
/// which looks like a hang. `-` given explicitly still reads the terminal.
pub(crate) fn input_spec(
    args: &crate::cli::InputArgs,
    output: &Output,
) -> Result<(String, crate::input::Format)> {
    use crate::input::Format;
    let file = match &args.file {
        Some(file) => file.clone(),
        None if output.in_is_tty => {
            return Err(Error::new(
                "no FILE given and standard input is a terminal; give a FILE, pipe the callbacks in, or pass - to type them (Ctrl-D ends)",
            ))
        }
        None => "-".to_string(),
    };
    let format = if args.request {
        Format::Request
    } else if args.jsonl {
        Format::JsonLines
    } else {
        Format::Auto
    };
    Ok((file, format))
}

/// Prints the warnings the credentials gathered while loading.
pub(crate) fn flush_warnings(creds: &Credentials, output: &mut Output) {
    for warning in creds.take_warnings() {
        output.warn(warning);
    }
}
