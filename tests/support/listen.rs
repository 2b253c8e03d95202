//! Shared by the `listen` end-to-end tests: start the real binary on 127.0.0.1:0 and
//! read its bound address, a small blocking HTTP/1.1 client over TcpStream, fixtures.
//! Every child is killed when its guard drops.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub use super::{BIN, NORMAL};

pub fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path)
}

pub fn read(path: &str) -> Vec<u8> {
    std::fs::read(fixture(path)).unwrap()
}

pub fn secret() -> String {
    String::from_utf8(read("autox3/secret.txt"))
        .unwrap()
        .trim_end()
        .to_string()
}

/// A running `cbtool listen`; killed and reaped on drop.
pub struct Listener {
    pub child: Child,
    pub addr: String,
    pub stdout: BufReader<ChildStdout>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the receiver with both test credentials and `extra` flags, and reads the
/// bound address from the first JSON line.
pub fn listen(extra: &[&str]) -> Listener {
    let mut child = super::cbtool(["listen", "--addr", "127.0.0.1:0", "--json", "--secret-file"])
        .command()
        .arg(fixture("autox3/secret.txt"))
        .arg("--public-key")
        .arg(fixture("dayu/keys/public.pem"))
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let mut listener = Listener {
        child,
        addr: String::new(),
        stdout,
    };
    let line: Value = serde_json::from_str(&first)
        .unwrap_or_else(|e| panic!("first line {first:?} is not JSON: {e}"));
    assert_eq!(line["event"], "listening");
    listener.addr = line["addr"].as_str().unwrap().to_string();
    assert!(listener.addr.starts_with("127.0.0.1:"), "{}", listener.addr);
    listener
}

impl Listener {
    /// The next per-request JSON line.
    pub fn record(&mut self) -> Value {
        loop {
            let mut line = String::new();
            assert!(
                self.stdout.read_line(&mut line).unwrap() > 0,
                "stdout ended"
            );
            let value: Value = serde_json::from_str(&line).unwrap();
            if value["event"] == "request" {
                return value;
            }
        }
    }

    /// Waits for the process to exit by itself; its stdout rest and stderr.
    pub fn finish(mut self) -> (i32, String, String) {
        let mut child_err = self.child.stderr.take().unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "listen did not stop");
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut out = String::new();
        self.stdout.read_to_string(&mut out).unwrap();
        let mut err = String::new();
        child_err.read_to_string(&mut err).unwrap();
        (status.code().unwrap_or(-1), out, err)
    }
}

#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// POSTs `body` with `Connection: close` and reads the whole answer.
pub fn post_with(
    addr: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    timeout: Duration,
) -> std::io::Result<Answer> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(timeout))?;
    let mut request = format!(
        "POST /callback HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;
    stream.write_all(body)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_answer(&raw)
}

pub fn parse_answer(raw: &[u8]) -> std::io::Result<Answer> {
    let text = String::from_utf8_lossy(raw);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            format!("no answer: {text:?}"),
        ));
    };
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    Ok(Answer {
        status,
        body: body.to_string(),
    })
}

pub fn post(addr: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    let answer = post_with(addr, headers, body, Duration::from_secs(5)).unwrap();
    assert!(
        !answer.body.contains(&secret()),
        "the secret leaked: {}",
        answer.body
    );
    answer
}

/// A Dayu event and its `Dayu-Sign` header value, from the captured request fixture.
pub fn dayu_event() -> (Vec<u8>, String) {
    let raw = String::from_utf8(read("dayu/requests/03-accepted.http")).unwrap();
    let sign = raw
        .lines()
        .find_map(|l| l.strip_prefix("Dayu-Sign: "))
        .unwrap()
        .trim()
        .to_string();
    (read("dayu/events/03-accepted.compact.json"), sign)
}

pub fn autox3_body() -> Vec<u8> {
    read("autox3/receivebase-create.compact.json")
}
