//! The shell around cbtool: completions and man pages generated from the clap definitions
//! and checked in (a test fails when they are stale), examples at the end of every
//! `--help`, typo suggestions, colour only where it belongs, `-q` and `-v`.
//!
//! Refresh the checked-in files with `CBTOOL_BLESS=1 cargo test --test shell`.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed anyway

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::cbtool;

use clap::CommandFactory;
use clap_complete::{Generator, Shell};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const SECRET: &str = "fixtures/autox3/secret.txt";
const SAMPLE: &str = "fixtures/autox3/receivebase-create.en.json";
const REFRESH: &str = "CBTOOL_BLESS=1 cargo test --test shell";

/// The visible subcommands' names, from the clap definitions themselves.
fn subcommands() -> Vec<String> {
    cbtool::cli::Cli::command()
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| s.get_name().to_string())
        .collect()
}

/// Every generated file: its path under the crate root and the command that prints it.
fn generated() -> Vec<(PathBuf, Vec<String>)> {
    let mut files = Vec::new();
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::PowerShell,
        Shell::Elvish,
    ] {
        let path = Path::new("completions").join(shell.file_name("cbtool"));
        files.push((path, vec!["completions".into(), shell.to_string()]));
    }
    files.push(("man/cbtool.1".into(), vec!["man".into()]));
    for name in subcommands() {
        let path = PathBuf::from(format!("man/cbtool-{name}.1"));
        files.push((path, vec!["man".into(), name]));
    }
    files
}

#[test]
fn completions_and_man_pages_are_current() {
    let bless = std::env::var_os("CBTOOL_BLESS").is_some();
    let mut stale = Vec::new();
    for (path, args) in generated() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = cbtool(&args).run();
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        assert!(!out.stdout.is_empty(), "{args:?} printed nothing");
        let full = Path::new(ROOT).join(&path);
        if bless {
            std::fs::write(&full, &out.bytes).unwrap();
        } else if std::fs::read(&full).ok() != Some(out.bytes) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale or missing: {}; refresh them with `{REFRESH}`",
        stale.join(", ")
    );
}

#[test]
fn no_man_page_is_left_from_a_removed_command() {
    let expected: Vec<PathBuf> = generated().into_iter().map(|(p, _)| p).collect();
    for dir in ["man", "completions"] {
        for entry in std::fs::read_dir(Path::new(ROOT).join(dir)).unwrap() {
            let path = Path::new(dir).join(entry.unwrap().file_name());
            assert!(
                expected.contains(&path),
                "{} is not generated any more: delete it and run `{REFRESH}`",
                path.display()
            );
        }
    }
}

#[test]
fn completions_know_the_commands_and_flags() {
    let bash = cbtool(["completions", "bash"]).run().stdout;
    for word in [
        "verify",
        "--explain",
        "--signed-string",
        "--color",
        "replay",
    ] {
        assert!(bash.contains(word), "bash completion lacks {word}");
    }
    let zsh = cbtool(["completions", "zsh"]).run().stdout;
    assert!(zsh.starts_with("#compdef cbtool"));
    let out = cbtool(["completions", "tcsh"]).run();
    assert_eq!(out.code, 2);
}

#[test]
fn man_page_of_a_command_names_its_flags() {
    let page = cbtool(["man", "verify"]).run().stdout;
    assert!(page.contains(".TH cbtool-verify 1"), "{page}");
    assert!(page.contains("explain"));
    let out = cbtool(["man", "nosuch"]).run();
    assert_eq!(out.code, 2);
    assert!(out.stderr.starts_with("error: no command `nosuch`"));
}

/// The example lines at the end of a help text, failing when there is no Examples: block.
fn examples_of(command: &str, help: &str) -> Vec<String> {
    let (_, examples) = help
        .rsplit_once("\nExamples:\n")
        .unwrap_or_else(|| panic!("`{command} --help` has no Examples: block:\n{help}"));
    examples
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn every_help_ends_with_real_examples() {
    let names = subcommands();
    assert!(names.len() >= 8, "{names:?}");
    for name in names {
        let help = cbtool([&name, "--help"]).run().stdout;
        let lines = examples_of(&format!("cbtool {name}"), &help);
        let prefix = format!("  cbtool {name} ");
        let starts = lines.iter().filter(|l| l.starts_with(&prefix)).count();
        assert!(starts >= 2, "{name}: fewer than two examples:\n{lines:#?}");
        // Every line is a whole command: a wrapped one breaks copy and paste.
        assert!(
            lines
                .iter()
                .all(|l| l.starts_with(&prefix) || *l == format!("  cbtool {name}")),
            "{name}: an example wraps or something follows the examples:\n{lines:#?}"
        );
    }
    let help = cbtool(["--help"]).run().stdout;
    let lines = examples_of("cbtool", &help);
    assert!(lines.len() >= 2, "{lines:#?}");
    assert!(
        lines.iter().all(|l| l.starts_with("  cbtool ")),
        "{lines:#?}"
    );
}

/// clap wraps help at the terminal's width, or 100 columns off a terminal: an example
/// longer than that is split mid-command, wherever the help is read.
#[test]
fn no_example_is_longer_than_100_columns() {
    let mut root = cbtool::cli::Cli::command();
    root.build();
    let mut commands = vec![root.clone()];
    commands.extend(root.get_subcommands().cloned());
    for command in commands {
        let text = command.get_after_help().map(|h| h.to_string());
        let text = text.unwrap_or_default();
        for line in text.lines() {
            assert!(
                line.chars().count() <= 100,
                "`{} --help`: an example of {} columns:\n{line}",
                command.get_name(),
                line.chars().count()
            );
        }
    }
}

#[test]
fn flags_with_defaults_say_them() {
    let help = cbtool(["listen", "--help"]).run().stdout;
    assert!(help.contains("[default: 127.0.0.1:8080]"));
    assert!(help.contains("[default: 60s]"));
    let help = cbtool(["verify", "--help"]).run().stdout;
    assert!(help.contains("in bytes") && help.contains("[default: 16777216]"));
}

#[test]
fn a_typo_gets_a_suggestion() {
    let out = cbtool(["verfy"]).run();
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("similar subcommand exists: 'verify'"),
        "{}",
        out.stderr
    );
    let out = cbtool(["verify", "--explian"]).run();
    assert!(out.stderr.contains("--explain"), "{}", out.stderr);
}

const ANSI: &str = "\x1b[";

#[test]
fn piped_output_has_no_colour_unless_asked() {
    let args = ["verify", "--secret-file", SECRET, SAMPLE];
    let out = cbtool(args).run();
    assert!(out.stdout.starts_with("valid: "), "{}", out.stdout);
    assert!(!out.stdout.contains(ANSI) && !out.stderr.contains(ANSI));
    let out = cbtool(["--color", "always", args[0], args[1], args[2], args[3]]).run();
    assert!(
        out.stdout.starts_with("\x1b[1m\x1b[32mvalid:\x1b[0m "),
        "{:?}",
        out.stdout
    );
    let out = cbtool([
        "verify",
        "--color",
        "always",
        "--secret-file",
        SECRET,
        "nosuch.json",
    ])
    .run();
    assert!(out.stderr.starts_with("\x1b[1m\x1b[31merror:\x1b[0m "));
    let out = cbtool([
        "validate",
        "--color",
        "always",
        "fixtures/dayu/events/03-accepted.json",
    ])
    .run();
    assert!(
        out.stdout.contains(": \x1b[1m\x1b[32mvalid\x1b[0m ("),
        "{:?}",
        out.stdout
    );
}

/// Runs cbtool under a pseudo-terminal (util-linux `script`), returning what it printed.
fn on_a_terminal(command: &str, no_color: bool) -> String {
    let (out, code) = on_a_terminal_with_code(command, no_color);
    assert_eq!(code, Some(0), "{out}");
    out
}

/// [`on_a_terminal`] for a run that may fail: what it printed (stdout and stderr both go
/// to the terminal) and its exit code, which `script -e` passes on.
fn on_a_terminal_with_code(command: &str, no_color: bool) -> (String, Option<i32>) {
    let bin = env!("CARGO_BIN_EXE_cbtool");
    let mut script = Command::new("script");
    script
        .args(["-qec", &format!("{bin} {command}"), "/dev/null"])
        .current_dir(ROOT)
        .env_remove("NO_COLOR");
    if no_color {
        script.env("NO_COLOR", "1");
    }
    let out = script
        .output()
        .expect("`script` from util-linux runs cbtool under a pseudo-terminal");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code(),
    )
}

#[test]
fn a_terminal_gets_colour_unless_no_color_or_never() {
    let verify = format!("verify --secret-file {SECRET} {SAMPLE}");
    let coloured = on_a_terminal(&verify, false);
    assert!(coloured.contains("\x1b[32mvalid:"), "{coloured:?}");
    let plain = on_a_terminal(&verify, true);
    assert!(
        plain.starts_with("valid: ") && !plain.contains(ANSI),
        "{plain:?}"
    );
    let never = on_a_terminal(&format!("--color never {verify}"), false);
    assert!(!never.contains(ANSI), "{never:?}");
    let forced = on_a_terminal(&format!("--color always {verify}"), true);
    assert!(
        forced.contains(ANSI),
        "--color always beats NO_COLOR: {forced:?}"
    );
}

#[test]
fn quiet_prints_only_errors_and_keeps_json() {
    let out = cbtool(["-q", "verify", "--secret-file", SECRET, SAMPLE]).run();
    assert_eq!(out.code, 0);
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    let out = cbtool(["verify", "-q", "--json", "--secret-file", SECRET, SAMPLE]).run();
    assert!(out.stdout.starts_with('{'));
    let diagnosis = "fixtures/autox3/diagnosis/python_separators.json";
    let out = cbtool(["-q", "verify", "--secret-file", SECRET, diagnosis]).run();
    assert_eq!(out.code, 1);
    assert!(out.stdout.is_empty());
    let out = cbtool(["-q", "verify", "--secret-file", SECRET, "nosuch.json"]).run();
    assert!(
        out.stderr.starts_with("error: nosuch.json"),
        "{}",
        out.stderr
    );
    let out = cbtool(["-q", "-v", "verify", "--secret-file", SECRET, SAMPLE]).run();
    assert_eq!(out.code, 2, "-q and -v conflict");
}

/// `-q` hides notes (a drawn seed, where a receiver listens) and warnings, keeps errors.
#[test]
fn quiet_hides_notes_and_warnings_but_not_errors() {
    let out = cbtool(["sample", "autox3"]).run();
    assert!(
        out.stderr.clone().starts_with("seed: "),
        "{}",
        out.stderr.clone()
    );
    let out = cbtool(["-q", "sample", "autox3"]).run();
    assert_eq!(Some(out.code), Some(0));
    assert!(out.stdout.starts_with('{') && out.stderr.is_empty());
    let args = ["listen", "--addr", "127.0.0.1:0", "--exit-after", "0.1"];
    let out = cbtool([&args[..], &["--secret-file", SECRET]].concat()).run();
    let text = out.stderr.clone();
    assert!(text.contains("\nlistening on http://127.0.0.1:"), "{text}");
    assert!(
        text.starts_with("warning: Dayu callbacks will be answered 500"),
        "{text}"
    );
    let out = cbtool([&["-q"], &args[..], &["--secret-file", SECRET]].concat()).run();
    assert_eq!(
        (Some(out.code), out.stderr.clone()),
        (Some(0), String::new())
    );
    // A weak key's warning, then the error of a file where the directory should be.
    let keygen = ["keygen", "--bits", "512", "--out", "Cargo.toml"];
    assert!(cbtool(keygen)
        .run()
        .stderr
        .starts_with("warning: a 512-bit"));
    let out = cbtool([&["-q"], &keygen[..]].concat()).run();
    let text = out.stderr.clone();
    assert_eq!(Some(out.code), Some(2));
    assert!(
        text.starts_with("error: Cargo.toml: ") && text.lines().count() == 1,
        "{text}"
    );
}

/// Each command's flags sit under headings, and the flags every command takes come
/// last under their own: `Options:` keeps only help and version.
#[test]
fn help_groups_flags_under_headings_with_the_global_ones_last() {
    for name in subcommands() {
        let help = cbtool([name.as_str(), "-h"]).run().stdout;
        let headings: Vec<&str> = help
            .lines()
            .filter(|l| l.ends_with(':') && !l.starts_with(' '))
            .collect();
        let last = headings.iter().rposition(|h| *h != "Examples:");
        assert_eq!(
            last.map(|i| headings[i]),
            Some("Global options:"),
            "{name}: {help}"
        );
        let options = help.split("\nOptions:\n").nth(1).unwrap_or_default();
        let options = options.split("\n\n").next().unwrap_or_default();
        let flags: Vec<&str> = options.lines().map(str::trim).collect();
        assert_eq!(flags.len(), 2, "{name}: only help and version: {options}");
        assert!(
            flags
                .iter()
                .all(|f| f.starts_with("-h, --help") || f.starts_with("-V, --version")),
            "{name}: {options}"
        );
        let global = help.split("\nGlobal options:\n").nth(1).unwrap_or_default();
        assert!(
            global.contains("-q, --quiet") && global.contains("--color"),
            "{name}"
        );
    }
    let verify = cbtool(["verify", "-h"]).run().stdout;
    let diagnosis = verify.split("\nDiagnosis:\n").nth(1).unwrap_or_default();
    assert!(
        diagnosis.trim_start().starts_with("--signature"),
        "{verify}"
    );
    assert!(
        verify.contains("\nCredentials:\n      --secret <S>"),
        "{verify}"
    );
}

#[test]
fn verbose_shows_the_signed_string_of_a_valid_callback() {
    let out = cbtool(["-v", "verify", "--secret-file", SECRET, SAMPLE]).run();
    let text = out.stdout;
    assert!(text.starts_with("valid: "));
    assert!(
        text.contains("  signed string (") && text.contains("<appSecret: 23 bytes>"),
        "{text}"
    );
    let normal = cbtool(["verify", "--secret-file", SECRET, SAMPLE])
        .run()
        .stdout;
    assert!(!normal.contains("signed string"));
}

#[test]
fn a_closed_pipe_ends_man_and_completions_quietly() {
    for args in [
        &["man"][..],
        &["man", "verify"],
        &["completions", "bash"],
        &["verify", "--secret-file", SECRET, SAMPLE],
    ] {
        // The reading end is closed before cbtool starts, so every write fails with
        // EPIPE, as after `| head -1` has read its line: no race with the reader.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = cbtool(args.iter())
            .command()
            .stdout(writer)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(out.stderr.is_empty(), "{args:?}: {err}");
    }
}

#[test]
fn no_file_on_a_terminal_is_a_usage_error_instead_of_a_silent_wait() {
    for command in ["verify", "sign", "verify --jsonl", "sign --request"] {
        let (out, code) =
            on_a_terminal_with_code(&format!("{command} --secret-file {SECRET}"), true);
        assert_eq!(code, Some(2), "{command}: {out}");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 1, "{command}: {out}");
        assert!(
            lines[0]
                .starts_with("error: no FILE given and standard input is a terminal; give a FILE"),
            "{command}: {out}"
        );
    }
    // Piped in, standard input is still the default.
    let out = cbtool(["verify", "--secret-file", SECRET])
        .command()
        .stdin(std::fs::File::open(Path::new(ROOT).join(SAMPLE)).unwrap())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(text.starts_with("valid: "), "{text}");
}
