//! `cbtool completions` and `cbtool man`: shell completions and man pages, generated
//! from the same clap definitions that parse the command line, so they cannot drift.

use clap::CommandFactory;

use super::Output;
use crate::cli::{Cli, CompletionsArgs, ManArgs};
use crate::error::{Error, Result, EXIT_OK};

pub fn completions(args: CompletionsArgs, output: &mut Output) -> Result<i32> {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "cbtool", &mut output.out);
    Ok(EXIT_OK)
}

pub fn man(args: ManArgs, output: &mut Output) -> Result<i32> {
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
    clap_mangen::Man::new(page)
        .render(&mut output.out)
        .map_err(|e| Error::new(format!("cannot write the man page: {e}")))?;
    Ok(EXIT_OK)
}
