//! The one way the tests run the built binary: a builder in the style of assert_cmd or
//! just's test builder, so every test gets the same clean environment (run from the crate
//! root, no `CBTOOL_*` credential or `NO_COLOR` inherited from the developer's shell), a
//! deadline instead of a hang, and assertions that print the whole output when they fail.
//!
//! ```ignore
//! cbtool(["verify", "--secret-file", SECRET_FILE, "-"]).stdin(body).run().success();
//! ```

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Generous: the machine running CI may be loaded; a hang is minutes, not seconds.
const DEADLINE: Duration = Duration::from_secs(120);

/// `cbtool ARGS…`, not yet run.
#[must_use = "call .run()"]
pub struct Cmd {
    args: Vec<OsString>,
    stdin: Option<Vec<u8>>,
    env: Vec<(OsString, Option<OsString>)>,
    dir: PathBuf,
    deadline: Duration,
}

/// The binary with `args`, from the crate root, so tests name fixtures by the same
/// relative paths the README uses.
pub fn cbtool<I, S>(args: I) -> Cmd
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Cmd {
        args: args.into_iter().map(|a| a.as_ref().to_owned()).collect(),
        stdin: None,
        env: Vec::new(),
        dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        deadline: DEADLINE,
    }
}

impl Cmd {
    /// One more argument (a path, say), after those given to [`cbtool`].
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Cmd {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    /// Bytes for the child's stdin (otherwise stdin is /dev/null).
    pub fn stdin(mut self, bytes: impl AsRef<[u8]>) -> Cmd {
        self.stdin = Some(bytes.as_ref().to_vec());
        self
    }

    pub fn env(mut self, name: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Cmd {
        self.env
            .push((name.as_ref().to_owned(), Some(value.as_ref().to_owned())));
        self
    }

    pub fn env_remove(mut self, name: impl AsRef<OsStr>) -> Cmd {
        self.env.push((name.as_ref().to_owned(), None));
        self
    }

    pub fn current_dir(mut self, dir: impl Into<PathBuf>) -> Cmd {
        self.dir = dir.into();
        self
    }

    /// Kill the child and fail the test when it runs longer than this.
    pub fn timeout(mut self, deadline: Duration) -> Cmd {
        self.deadline = deadline;
        self
    }

    /// The command, configured but not started, for tests that drive a long-running
    /// child themselves (signals, `listen`).
    pub fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_cbtool"));
        command.args(&self.args).current_dir(&self.dir);
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("CBTOOL_") || name == "NO_COLOR" {
                command.env_remove(name);
            }
        }
        for (name, value) in &self.env {
            match value {
                Some(value) => command.env(name, value),
                None => command.env_remove(name),
            };
        }
        command
    }

    /// Runs to the end (or to the deadline, which fails the test).
    pub fn run(self) -> Run {
        let mut child = self
            .command()
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cbtool starts");
        if let (Some(bytes), Some(mut pipe)) = (self.stdin.clone(), child.stdin.take()) {
            // Written on a thread: a large input would otherwise dead-lock against full pipes.
            std::thread::spawn(move || {
                let _ = pipe.write_all(&bytes);
            });
        }
        let drain = |mut stream: Box<dyn Read + Send>| {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                let _ = stream.read_to_end(&mut bytes);
                bytes
            })
        };
        let out = drain(Box::new(child.stdout.take().expect("stdout")));
        let err = drain(Box::new(child.stderr.take().expect("stderr")));
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for cbtool") {
                break status;
            }
            if started.elapsed() > self.deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "cbtool {:?} still running after {:?}",
                    self.args, self.deadline
                );
            }
            // Most runs end within milliseconds: poll finely at first, then coarsely.
            let fine = started.elapsed() < Duration::from_millis(200);
            std::thread::sleep(Duration::from_millis(if fine { 1 } else { 10 }));
        };
        let bytes = out.join().expect("stdout reader");
        let stderr = err.join().expect("stderr reader");
        Run {
            args: self.args,
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&bytes).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
            bytes,
        }
    }
}

/// A finished run: exit code and output, with assertions that show all of it on failure.
pub struct Run {
    pub args: Vec<OsString>,
    /// The exit code, -1 when a signal ended the process.
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// stdout exactly as written, for output that need not be UTF-8.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cbtool {:?} exited {}\n--- stdout\n{}\n--- stderr\n{}",
            self.args, self.code, self.stdout, self.stderr
        )
    }
}

/// An empty needle is in every text: a check with one would pass whatever ran.
fn needle_ok(needle: &str) {
    assert!(!needle.is_empty(), "an empty needle matches anything");
}

impl Run {
    /// Everything the process printed, for assertions that something never appears.
    pub fn all_output(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:?}"))
    }

    pub fn code(&self, code: i32) -> &Run {
        assert_eq!(self.code, code, "{self:?}");
        self
    }

    pub fn success(&self) -> &Run {
        self.code(0)
    }

    /// Never a panic, whatever the exit code.
    pub fn no_panic(&self) -> &Run {
        assert!(!self.all_output().contains("panicked"), "{self:?}");
        self
    }

    pub fn stdout_contains(&self, needle: &str) -> &Run {
        needle_ok(needle);
        assert!(
            self.stdout.contains(needle),
            "`{needle}` not on stdout: {self:?}"
        );
        self
    }

    pub fn stderr_contains(&self, needle: &str) -> &Run {
        needle_ok(needle);
        assert!(
            self.stderr.contains(needle),
            "`{needle}` not on stderr: {self:?}"
        );
        self
    }

    pub fn stdout_is(&self, expected: &str) -> &Run {
        assert_eq!(self.stdout, expected, "{self:?}");
        self
    }

    /// stderr without `warning:` lines.
    pub fn error_lines(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| !l.starts_with("warning:"))
            .collect()
    }

    /// The shape every input error must have: exit 2, one `error:` line with `needle`,
    /// no panic.
    pub fn assert_input_error(&self, needle: &str) -> &Run {
        needle_ok(needle);
        self.code(2).no_panic();
        let lines = self.error_lines();
        assert_eq!(lines.len(), 1, "want one error line: {self:?}");
        assert!(lines[0].starts_with("error: "), "{self:?}");
        assert!(
            lines[0].contains(needle),
            "`{needle}` not in the error: {self:?}"
        );
        self
    }
}
