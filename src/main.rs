//! The `cbtool` binary: all behaviour lives in the library.

use std::io::IsTerminal;
use std::process::ExitCode;

// glibc's allocator serialises frees of memory another thread allocated, which is what
// a pipeline does with every line; mimalloc does not (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let terminal = cbtool::Terminal {
        out_is_tty: stdout.is_terminal(),
        err_is_tty: stderr.is_terminal(),
        in_is_tty: std::io::stdin().is_terminal(),
        no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
    };
    let code = cbtool::run_on(
        std::env::args_os(),
        &mut stdout.lock(),
        &mut stderr.lock(),
        terminal,
    );
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}
