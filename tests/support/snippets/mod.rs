//! Runs the receivers in `snippets/` with their real runtimes and speaks HTTP to them.
//!
//! A runtime that is missing fails the test in CI (CI=true) and is skipped, loudly,
//! elsewhere: a silent skip would let CI pass without running a language at all.
pub mod cases;

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// How a language's snippets are started.
#[derive(Debug, Clone, Copy)]
pub struct Language {
    pub id: &'static str,
    /// The runtime's program, and the arguments that print its version.
    pub program: &'static str,
    pub version: &'static [&'static str],
    /// The snippet files, AutoX3 then Dayu.
    pub autox3: &'static str,
    pub dayu: &'static str,
}

pub const JAVA: Language = Language {
    id: "java",
    program: "java",
    version: &["-version"],
    autox3: "snippets/java/AutoX3Receiver.java",
    dayu: "snippets/java/DayuReceiver.java",
};
pub const PYTHON: Language = Language {
    id: "python",
    program: "python3",
    version: &["-V"],
    autox3: "snippets/python/autox3_receiver.py",
    dayu: "snippets/python/dayu_receiver.py",
};
pub const NODE: Language = Language {
    id: "node",
    program: "node",
    version: &["-v"],
    autox3: "snippets/node/autox3-receiver.js",
    dayu: "snippets/node/dayu-receiver.js",
};
pub const GO: Language = Language {
    id: "go",
    program: "go",
    version: &["version"],
    autox3: "snippets/go/autox3_receiver.go",
    dayu: "snippets/go/dayu_receiver.go",
};
pub const PHP: Language = Language {
    id: "php",
    program: "php",
    version: &["-v"],
    autox3: "snippets/php/autox3_receiver.php",
    dayu: "snippets/php/dayu_receiver.php",
};
pub const ALL: [Language; 5] = [JAVA, PYTHON, NODE, GO, PHP];

/// Whether the language's runtime is installed; in CI its absence is a failure.
pub fn runtime_present(language: &Language) -> bool {
    let found = Command::new(language.program)
        .args(language.version)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if found {
        return true;
    }
    let message = format!(
        "`{}` is not installed: the {} snippets were NOT run (.ci/run installs it)",
        language.program, language.id
    );
    assert!(std::env::var("CI").as_deref() != Ok("true"), "{message}");
    // Written to the stream itself: the test harness captures eprintln! of passing tests.
    let _ = writeln!(std::io::stderr(), "SKIPPED: {message}");
    false
}

/// A language's runtime, ready to start its snippets: Go's are compiled once, the
/// others run from source, as their first comment says.
pub struct Prepared {
    pub language: Language,
    dir: tempfile::TempDir,
}

impl Prepared {
    pub fn new(language: Language) -> Prepared {
        let dir = tempfile::tempdir().unwrap();
        if language.id == "go" {
            for (file, name) in [(language.autox3, "autox3"), (language.dayu, "dayu")] {
                let out = Command::new("go")
                    .args(["build", "-o"])
                    .arg(dir.path().join(name))
                    .arg(Path::new(ROOT).join(file))
                    .current_dir(dir.path())
                    .output()
                    .unwrap();
                let errors = String::from_utf8_lossy(&out.stderr);
                assert!(out.status.success(), "go build {file}:\n{errors}");
            }
        }
        Prepared { language, dir }
    }

    /// Starts the receiver of `vendor` with the credential variable set, on a free port.
    /// The port is free when chosen but may be taken before the receiver binds it (other
    /// tests run at the same time): then the receiver exits, and another port is tried.
    pub fn start(&self, vendor: &str, credential: (&str, &str)) -> Receiver {
        let mut last = String::new();
        for _ in 0..3 {
            let mut receiver = self.spawn(vendor, credential);
            match receiver.wait_until_listening() {
                Ok(()) => return receiver,
                Err(why) => last = why,
            }
        }
        panic!("{last}")
    }

    fn spawn(&self, vendor: &str, credential: (&str, &str)) -> Receiver {
        let file = if vendor == "autox3" {
            self.language.autox3
        } else {
            self.language.dayu
        };
        let port = free_port();
        let source = Path::new(ROOT).join(file);
        let mut command = match self.language.id {
            "go" => Command::new(self.dir.path().join(vendor)),
            "php" => {
                let mut php = Command::new("php");
                php.arg("-S").arg(format!("127.0.0.1:{port}")).arg(&source);
                php
            }
            _ => {
                let mut command = Command::new(self.language.program);
                command.arg(&source);
                command
            }
        };
        let scratch = tempfile::tempdir().unwrap();
        let log = scratch.path().join("log.txt");
        let child = command
            .current_dir(scratch.path())
            .env_remove("CBTOOL_AUTOX3_SECRET")
            .env_remove("CBTOOL_DAYU_PUBLIC_KEY")
            .env("PORT", port.to_string())
            .env(credential.0, credential.1)
            .env("SEEN_IDS_FILE", scratch.path().join("seen.txt"))
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(std::fs::File::create(scratch.path().join("stderr.txt")).unwrap())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {file}: {e}"));
        Receiver {
            child,
            port,
            file,
            scratch,
        }
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    listener.local_addr().unwrap().port()
}

/// A running receiver; killed when dropped.
pub struct Receiver {
    child: Child,
    pub port: u16,
    pub file: &'static str,
    scratch: tempfile::TempDir,
}

impl Receiver {
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/callback", self.port)
    }

    /// Everything the receiver printed: one line per callback (PHP's on stderr, with
    /// the built-in server's own lines).
    pub fn log(&self) -> String {
        let read = |name: &str| std::fs::read_to_string(self.scratch.path().join(name));
        format!(
            "{}{}",
            read("log.txt").unwrap_or_default(),
            read("stderr.txt").unwrap_or_default()
        )
    }

    /// Waits until this receiver says it listens on its port (every snippet prints
    /// `127.0.0.1:PORT` once bound; PHP's server does too), so that a connection never
    /// reaches some other program that took the port first.
    fn wait_until_listening(&mut self) -> Result<(), String> {
        // Java compiles the file first; on a loaded machine that takes a while.
        let deadline = Instant::now() + Duration::from_secs(120);
        let address = format!("127.0.0.1:{}", self.port);
        while !self.log().contains(&address)
            || TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)).is_err()
        {
            if let Some(status) = self.child.try_wait().unwrap() {
                let log = self.log();
                return Err(format!(
                    "{} exited ({status}) before listening:\n{log}",
                    self.file
                ));
            }
            assert!(
                Instant::now() < deadline,
                "{} never listened:\n{}",
                self.file,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    }

    /// POSTs `body` with extra headers; returns the status and the answer's body.
    pub fn post(&self, body: &[u8], headers: &[(&str, &str)]) -> (u16, String) {
        let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        // HTTP/1.0: the answer is delimited by the connection closing, never chunked.
        let mut head = format!(
            "POST /callback HTTP/1.0\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
            self.port,
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).unwrap();
        let text = String::from_utf8_lossy(&answer).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("{}: not an HTTP answer: {text:?}", self.file));
        (status, body.to_string())
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A file of the crate, as bytes.
pub fn read(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(ROOT).join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn path(relative: &str) -> PathBuf {
    Path::new(ROOT).join(relative)
}
