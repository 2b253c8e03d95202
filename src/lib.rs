//! cbtool: sign, verify, diagnose, validate and replay AutoX3 and Dayu HTTP callbacks.
//!
//! The binary is a thin shell over [`run`]; everything it does is reachable from tests.

pub mod cli;
mod commands;
pub mod credentials;
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
pub mod vendor;

use std::ffi::OsString;
use std::io::Write;

use clap::Parser;

use crate::error::EXIT_USAGE;

/// Parses `args`, runs the command, and returns the process exit code. Reports go to
/// `out`, diagnostics to `err`.
pub fn run(
    args: impl IntoIterator<Item = impl Into<OsString> + Clone>,
    out: &mut dyn Write,
    err: &mut dyn Write,
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
    let mut output = commands::Output { out, err };
    match commands::dispatch(cli.command, &mut output) {
        Ok(code) => code,
        Err(e) => {
            output.error(&e);
            EXIT_USAGE
        }
    }
}
