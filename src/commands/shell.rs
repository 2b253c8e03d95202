//! `cbtool completions` and `cbtool man`: shell completions and man pages, generated
//! from the same clap definitions that parse the command line, so they cannot drift.

use clap::CommandFactory;

use super::Output;
use crate::cli::{Cli, CompletionsArgs, ManArgs};
use crate::error::{Error, Result, EXIT_OK};

pub(crate) fn completions(args: CompletionsArgs, output: &mut Output) -> Result<i32> {
    let mut command = Cli::command();
    // clap_complete panics when its writer fails, so the script is built in memory and
    // written the way every report line is: a closed pipe (`| head`) ends it quietly.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "cbtool", &mut script);
    let _ = output.out().write_all(&script);
    Ok(EXIT_OK)
}

pub(crate) fn man(args: ManArgs, output: &mut Output) -> Result<i32> {
    let mut command = Cli::command();
    // Building propagates global flags and sets `cbtool verify` as the synopsis name.
    command.build();
    let page = match &args.command {
        None => command,
        Some(name) => command
            .find_subcommand(name)
            .filter(|sub| !sub.is_hide_set())
            .map(|sub| sub.clone().name(format!("cbtool-{name}")))
            .ok_or_else(|| {
                Error::new(format!(
                    "no command `{name}`; `cbtool --help` lists the commands"
                ))
            })?,
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut roff)
        .map_err(|e| Error::new(format!("cannot render the man page: {e}")))?;
    // As with report lines: `cbtool man | head` closing the pipe is not an error.
    let _ = output.out().write_all(&roff);
    Ok(EXIT_OK)
}
