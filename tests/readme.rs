//! The README tells the truth: every command it shows runs against the built binary and a
//! loopback receiver, and every `console` session prints what the README says it prints.
//!
//! - ` ```sh ` blocks: each command runs (in README order, in one scratch directory with
//!   `fixtures/` in it) and must exit 0 or 1 (1 is a failed check, which examples show on
//!   purpose) without an `error:` line.
//! - ` ```console ` blocks: `$ command` lines run the same way; the lines after one are its
//!   output (stdout and stderr as a terminal would interleave them). `…` inside a line stands
//!   for any text, a line of just `…` for any number of lines, and durations (`12ms`,
//!   `0.013s`) are compared as durations, not values.
//! - ` ```yaml ` blocks (the CI recipes): every `run:` step and `script:` line runs with the
//!   CI variables the recipe names pointed at the loopback receiver.
//!
//! `http://127.0.0.1:8080` is a `cbtool listen` the test starts on a free port; a `cbtool
//! listen` shown in the README runs on a free port of its own and stops after a moment.

#![allow(clippy::unwrap_used)]

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Commands shown but not run here, and why. Each must still appear in the README.
const NOT_RUN: &[(&str, &str)] = &[
    ("cargo ", "builds or tests this crate: .ci/run runs them"),
    ("benches/", "benchmarks take minutes and a quiet machine"),
    ("fuzz/", "fuzzing takes minutes per target"),
    ("cbtool demo --real-time", "waits the vendor's real 126 s"),
    ("| man -l", "needs man(1), which CI machines lack"),
];

/// How long one command may take before the README is called wrong.
const TIME_LIMIT: Duration = Duration::from_secs(60);

#[test]
fn every_command_in_the_readme_runs_and_prints_what_it_shows() {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    let sandbox = Sandbox::new();
    let mut skipped = vec![false; NOT_RUN.len()];
    let mut ran = 0;
    for block in blocks(&readme) {
        for step in block.steps() {
            if let Some(i) = NOT_RUN.iter().position(|(p, _)| step.script.contains(p)) {
                skipped[i] = true;
                continue;
            }
            let run = sandbox.run(&step.script, block.ci);
            ran += 1;
            let at = format!("README.md:{}: `{}`", step.line, step.script);
            assert!(
                run.code == Some(0) || run.code == Some(1),
                "{at} exited {:?}:\n{}",
                run.code,
                run.output
            );
            assert!(
                !run.output.lines().any(|l| l.starts_with("error:")),
                "{at} printed an error:\n{}",
                run.output
            );
            if let Some(expected) = &step.expected {
                let actual: Vec<&str> = run.output.lines().map(str::trim_end).collect();
                let expected: Vec<&str> = expected.iter().map(|l| l.trim_end()).collect();
                assert!(
                    session_matches(&expected, &actual),
                    "{at}: the output differs from the README's.\n--- README\n{}\n--- actual\n{}",
                    expected.join("\n"),
                    actual.join("\n")
                );
            }
        }
    }
    assert!(
        ran >= 30,
        "only {ran} README commands found: is the parser lost?"
    );
    for ((prefix, why), used) in NOT_RUN.iter().zip(skipped) {
        assert!(
            used,
            "NOT_RUN lists `{prefix}` ({why}) but the README has no such command"
        );
    }
}

// ---- the README's code blocks ---------------------------------------------------------

struct Block {
    info: String,
    /// 1-based line of the block's first content line.
    line: usize,
    lines: Vec<String>,
    /// A CI recipe: runs with the CI variables set.
    ci: bool,
}

/// One thing to run: a shell script (a command, or a CI step) and, for a console
/// session, the output it must print.
struct Step {
    line: usize,
    script: String,
    expected: Option<Vec<String>>,
}

fn blocks(readme: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, Block)> = None;
    for (i, raw) in readme.lines().enumerate() {
        let indent = raw.len() - raw.trim_start().len();
        let trimmed = raw.trim_start();
        match open.take() {
            None => {
                if let Some(info) = trimmed.strip_prefix("```") {
                    let info = info.trim().to_string();
                    let ci = info == "yaml";
                    open = Some((
                        indent,
                        Block {
                            info,
                            line: i + 2,
                            lines: Vec::new(),
                            ci,
                        },
                    ));
                }
            }
            Some((fence_indent, mut block)) => {
                if trimmed.starts_with("```") {
                    blocks.push(block);
                } else {
                    let cut = indent.min(fence_indent);
                    block.lines.push(raw[cut..].to_string());
                    open = Some((fence_indent, block));
                }
            }
        }
    }
    assert!(open.is_none(), "README.md ends inside a code block");
    blocks
}

impl Block {
    fn steps(&self) -> Vec<Step> {
        match self.info.as_str() {
            "sh" => self.commands(),
            "console" => self.session(),
            "yaml" => self.ci_steps(),
            _ => Vec::new(),
        }
    }

    /// Commands one per line (a trailing `\` continues one); `#` lines are comments.
    fn commands(&self) -> Vec<Step> {
        let mut steps = Vec::new();
        let mut pending: Option<Step> = None;
        for (i, line) in self.lines.iter().enumerate() {
            let text = line.trim();
            if pending.is_none() && (text.is_empty() || text.starts_with('#')) {
                continue;
            }
            let step = pending.get_or_insert_with(|| Step {
                line: self.line + i,
                script: String::new(),
                expected: None,
            });
            match text.strip_suffix('\\') {
                Some(part) => step.script.push_str(part),
                None => {
                    step.script.push_str(text);
                    steps.extend(pending.take());
                }
            }
        }
        steps.extend(pending);
        steps
    }

    /// `$ command` lines, each followed by the output it prints.
    fn session(&self) -> Vec<Step> {
        let mut steps: Vec<Step> = Vec::new();
        for (i, line) in self.lines.iter().enumerate() {
            if let Some(command) = line.strip_prefix("$ ") {
                steps.push(Step {
                    line: self.line + i,
                    script: command.to_string(),
                    expected: Some(Vec::new()),
                });
            } else if let Some(Step {
                expected: Some(out),
                ..
            }) = steps.last_mut()
            {
                out.push(line.clone());
            } else {
                panic!(
                    "README.md:{}: a console block must open with `$ command`",
                    self.line + i
                );
            }
        }
        steps
    }

    /// GitHub Actions `run:` steps (one line, or a `|` block) and GitLab `script:` items.
    fn ci_steps(&self) -> Vec<Step> {
        let mut steps = Vec::new();
        let mut lines = self.lines.iter().enumerate().peekable();
        let mut in_script: Option<usize> = None;
        while let Some((i, line)) = lines.next() {
            let indent = line.len() - line.trim_start().len();
            let text = line.trim_start().trim_start_matches("- ");
            if let Some(limit) = in_script {
                if let Some(item) = line.trim_start().strip_prefix("- ") {
                    if indent > limit {
                        steps.push(self.step(i, item.to_string()));
                        continue;
                    }
                }
                in_script = None;
            }
            if text.trim_end() == "script:" {
                in_script = Some(indent);
            } else if let Some(run) = text.strip_prefix("run:") {
                let run = run.trim();
                if run != "|" {
                    steps.push(self.step(i, run.to_string()));
                    continue;
                }
                let mut script = String::new();
                while let Some((_, next)) =
                    lines.next_if(|(_, l)| l.trim().is_empty() || indent_of(l) > indent)
                {
                    script.push_str(next.trim());
                    script.push('\n');
                }
                steps.push(self.step(i, script));
            }
        }
        steps
    }

    fn step(&self, i: usize, script: String) -> Step {
        Step {
            line: self.line + i,
            script,
            expected: None,
        }
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

// ---- comparing output -----------------------------------------------------------------

/// Whether `actual` is what the README shows: `…` lines take any number of lines.
fn session_matches(expected: &[&str], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((e, rest)) if e.trim() == "…" => {
            (0..=actual.len()).any(|k| session_matches(rest, &actual[k..]))
        }
        Some((e, rest)) => match actual.split_first() {
            Some((a, more)) => line_matches(e, a) && session_matches(rest, more),
            None => false,
        },
    }
}

/// One line: `…` stands for any text; durations are compared as durations, and runs of
/// spaces as one (columns widen with the numbers in them).
fn line_matches(expected: &str, actual: &str) -> bool {
    let normal = |line: &str| {
        durations_blanked(line)
            .split(' ')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (expected, actual) = (normal(expected), normal(actual));
    let pieces: Vec<&str> = expected.split('…').collect();
    let (first, last) = (pieces[0], pieces[pieces.len() - 1]);
    if pieces.len() == 1 {
        return expected == actual;
    }
    let Some(mut rest) = actual.strip_prefix(first) else {
        return false;
    };
    for middle in &pieces[1..pieces.len() - 1] {
        match rest.find(middle) {
            Some(at) => rest = &rest[at + middle.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// `12ms`, `0.013s`, `1.5 s` become `<t>`: timings differ from run to run.
fn durations_blanked(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let starts_number = chars[i].is_ascii_digit()
            && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '.'));
        if starts_number {
            let mut j = i;
            while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == '.') {
                j += 1;
            }
            let unit = chars[j..]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect::<String>();
            if unit == "ms" || unit == "s" {
                out.push_str("<t>");
                i = j + unit.len();
                continue;
            }
            out.extend(&chars[i..j]);
            i = j;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

// ---- where the commands run -----------------------------------------------------------

struct Sandbox {
    dir: tempfile::TempDir,
    path: String,
    receiver: Child,
    port: u16,
}

struct Ran {
    code: Option<i32>,
    output: String,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(
            Path::new(ROOT).join("fixtures"),
            dir.path().join("fixtures"),
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join(".local/share/bash-completion/completions"))
            .unwrap();
        let bin = PathBuf::from(env!("CARGO_BIN_EXE_cbtool"));
        let path = format!(
            "{}:{}",
            bin.parent().unwrap().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut receiver = Command::new(&bin)
            .args([
                "listen",
                "--secret-file",
                "fixtures/autox3/secret.txt",
                "--public-key",
                "fixtures/dayu/keys/public.pem",
                "--addr",
                "127.0.0.1:0",
            ])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(receiver.stderr.take().unwrap()).lines();
        let first = lines
            .by_ref()
            .map_while(Result::ok)
            .find(|l| l.starts_with("listening on "))
            .expect("listen says where it listens");
        let port = first
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("listen printed `{first}` first"));
        // Keep reading so that the receiver never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Sandbox {
            dir,
            path,
            receiver,
            port,
        }
    }

    /// Runs a README command in the scratch directory with stdout and stderr interleaved.
    fn run(&self, script: &str, ci: bool) -> Ran {
        let here = format!("127.0.0.1:{}", self.port);
        let mut script = script.replace("127.0.0.1:8080", &here);
        if script.starts_with("cbtool listen") {
            // A receiver of its own on a free port that stops by itself; the flags go
            // before a trailing `# comment`.
            let command = script.split(" #").next().unwrap_or_default();
            let mut command = command.trim_end().replace(&here, "127.0.0.1:0");
            if !command.contains("--addr") {
                command.push_str(" --addr 127.0.0.1:0");
            }
            command.push_str(" --exit-after 300ms");
            script = command;
        }
        let log_path = self.dir.path().join(".output");
        let log = File::create(&log_path).unwrap();
        let mut command = Command::new("sh");
        command
            .args(["-ec", &script])
            .current_dir(self.dir.path())
            .env("PATH", &self.path)
            .env("HOME", self.dir.path())
            .env_remove("NO_COLOR")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        for var in [
            "CBTOOL_AUTOX3_SECRET",
            "CBTOOL_DAYU_PRIVATE_KEY",
            "CBTOOL_DAYU_PUBLIC_KEY",
        ] {
            command.env_remove(var);
        }
        if ci {
            self.ci_variables(&mut command);
        }
        let mut child = command.spawn().unwrap();
        let started = Instant::now();
        let code = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status.code();
            }
            if started.elapsed() > TIME_LIMIT {
                let _ = child.kill();
                let _ = child.wait();
                panic!("`{script}` still running after {TIME_LIMIT:?}");
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let output = std::fs::read_to_string(&log_path)
            .unwrap()
            .replace(&here, "127.0.0.1:8080");
        Ran { code, output }
    }

    /// What the CI recipes read from their CI's variables and secrets store.
    fn ci_variables(&self, command: &mut Command) {
        let fixture = |p: &str| Path::new(ROOT).join("fixtures").join(p);
        let secret = std::fs::read_to_string(fixture("autox3/secret.txt")).unwrap();
        let private_key = std::fs::read_to_string(fixture("dayu/keys/private.pem")).unwrap();
        command
            .env(
                "AUTOX3_CALLBACK_URL",
                format!("http://127.0.0.1:{}/autox3", self.port),
            )
            .env(
                "DAYU_CALLBACK_URL",
                format!("http://127.0.0.1:{}/dayu", self.port),
            )
            .env("CBTOOL_AUTOX3_SECRET", secret.trim_end())
            .env("DAYU_PRIVATE_KEY", private_key)
            // GitLab's "File" variables hold the path of a file with the value.
            .env("CBTOOL_DAYU_PRIVATE_KEY", fixture("dayu/keys/private.pem"))
            .env("RUNNER_TEMP", self.dir.path());
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.receiver.kill();
        let _ = self.receiver.wait();
    }
}

#[test]
fn output_comparison_rules() {
    assert!(line_matches("took 12ms, ok", "took 3ms, ok"));
    assert!(line_matches(
        "HTTP 200      15ms  x",
        "HTTP 200       3ms  x"
    ));
    assert!(line_matches(
        "+   0.000s  attempt 1/7",
        "+   1.250s  attempt 1/7"
    ));
    assert!(!line_matches("attempt 1/7", "attempt 2/7"));
    assert!(line_matches("received: …", "received: ABC"));
    assert!(line_matches("a … c … e", "a b c d e"));
    assert!(!line_matches("a … c", "a b d"));
    assert!(!line_matches(
        "checked 100 callbacks",
        "checked 10 callbacks"
    ));
    assert!(session_matches(&["a", "…", "z"], &["a", "b", "c", "z"]));
    assert!(session_matches(&["a", "…"], &["a"]));
    assert!(!session_matches(&["a", "z"], &["a", "b", "z"]));
}
