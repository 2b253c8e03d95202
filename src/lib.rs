//! cbtool: sign, verify, diagnose, validate and replay AutoX3 and Dayu HTTP callbacks.
//!
//! The binary is a thin shell over [`run`]; everything it does is reachable from tests.

pub mod cli;
mod commands;
pub mod credentials;
mod demo;
pub mod error;
pub mod http_request;
pub mod input;
pub mod json;
pub mod keys;
pub mod listen;
pub mod replay;
pub mod sample;
pub mod schema;
pub mod secret;
pub mod signed_string;
mod snippet;
pub mod vendors;

use std::ffi::OsString;
use std::io::Write;

use clap::Parser;

use crate::commands::terminal::{ErrorDocument, Json, Verbosity};
use crate::error::EXIT_USAGE;

pub use commands::terminal::Terminal;

/// Parses `args`, runs the command, and returns the process exit code. Reports go to
/// `out`, diagnostics to `err`; neither is a terminal.
pub fn run(
    args: impl IntoIterator<Item = impl Into<OsString> + Clone>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    run_on(args, out, err, Terminal::default())
}

/// [`run`], knowing which streams are terminals and whether `NO_COLOR` is set.
pub fn run_on(
    args: impl IntoIterator<Item = impl Into<OsString> + Clone>,
    out: &mut dyn Write,
    err: &mut dyn Write,
    terminal: Terminal,
) -> i32 {
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout and exit 0; usage errors go to stderr, exit 2.
            let (target, code): (&mut dyn Write, i32) = if e.use_stderr() {
                (err, EXIT_USAGE)
            } else {
                (out, 0)
            };
            let _ = write!(target, "{}", e.render());
            return code;
        }
    };
    let verbosity = Verbosity::from_flags(cli.quiet, cli.verbose);
    let mut output = commands::Output::new(out, err, verbosity, cli.command.prints_data());
    output.colour_out = terminal.colour(cli.color, terminal.out_is_tty);
    output.colour_err = terminal.colour(cli.color, terminal.err_is_tty);
    output.in_is_tty = terminal.in_is_tty;
    let json = cli.command.json();
    match commands::dispatch(cli.command, &mut output) {
        Ok(code) => code,
        Err(e) => {
            output.error(&e);
            // Whoever reads the JSON on stdout learns of the error there too.
            if json {
                output.line(Json(ErrorDocument::of(&e)));
            }
            EXIT_USAGE
        }
    }
}
