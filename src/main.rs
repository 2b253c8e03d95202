//! The `cbtool` binary: all behaviour lives in the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let code = cbtool::run(std::env::args_os(), &mut stdout.lock(), &mut stderr.lock());
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}
