//! End-to-end tests of `cbtool listen`: the real binary on 127.0.0.1:0, real HTTP/1.1
//! over TCP from a small blocking client, every child killed when its guard drops.

// A test that cannot unwrap has failed: panicking is the report.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_cbtool");
const NORMAL: &str = r#"{"data":null,"errorInfo":"","status":0}"#;

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path)
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(fixture(path)).unwrap()
}

fn secret() -> String {
    String::from_utf8(read("autox3/secret.txt"))
        .unwrap()
        .trim_end()
        .to_string()
}

/// A running `cbtool listen`; killed and reaped on drop.
struct Listener {
    child: Child,
    addr: String,
    stdout: BufReader<ChildStdout>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the receiver with both test credentials and `extra` flags, and reads the
/// bound address from the first JSON line.
fn listen(extra: &[&str]) -> Listener {
    let mut child = Command::new(BIN)
        .args(["listen", "--addr", "127.0.0.1:0", "--json", "--secret-file"])
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
    fn record(&mut self) -> Value {
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
    fn finish(mut self) -> (i32, String, String) {
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
struct Answer {
    status: u16,
    body: String,
}

/// POSTs `body` with `Connection: close` and reads the whole answer.
fn post_with(
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

fn parse_answer(raw: &[u8]) -> std::io::Result<Answer> {
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

fn post(addr: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    let answer = post_with(addr, headers, body, Duration::from_secs(5)).unwrap();
    assert!(
        !answer.body.contains(&secret()),
        "the secret leaked: {}",
        answer.body
    );
    answer
}

/// A Dayu event and its `Dayu-Sign` header value, from the captured request fixture.
fn dayu_event() -> (Vec<u8>, String) {
    let raw = String::from_utf8(read("dayu/requests/03-accepted.http")).unwrap();
    let sign = raw
        .lines()
        .find_map(|l| l.strip_prefix("Dayu-Sign: "))
        .unwrap()
        .trim()
        .to_string();
    (read("dayu/events/03-accepted.compact.json"), sign)
}

fn autox3_body() -> Vec<u8> {
    read("autox3/receivebase-create.compact.json")
}

#[test]
fn a_valid_autox3_callback_is_acked_and_its_repeat_is_a_duplicate() {
    let mut l = listen(&[]);
    let first = post(&l.addr, &[], &autox3_body());
    assert_eq!((first.status, first.body.as_str()), (200, NORMAL));
    let record = l.record();
    assert_eq!(record["vendor"], "autox3");
    assert_eq!(record["id"], "e6ddea1d-0b8b-24e7-cb26-91c3aa0969db");
    assert_eq!(record["signature_valid"], true);
    assert_eq!(record["duplicate"], false);
    assert_eq!(record["acked"], true);
    let again = post(&l.addr, &[], &autox3_body());
    assert_eq!((again.status, again.body.as_str()), (200, NORMAL));
    let record = l.record();
    assert_eq!(
        (record["duplicate"].clone(), record["acked"].clone()),
        (true.into(), true.into())
    );
}

#[test]
fn a_tampered_callback_gets_401_naming_the_problem_but_not_the_expected_signature() {
    let mut l = listen(&[]);
    let tampered = String::from_utf8(autox3_body())
        .unwrap()
        .replace("Old Customer", "New Customer");
    let signed = Command::new(BIN)
        .args(["sign", "--secret-file"])
        .arg(fixture("autox3/secret.txt"))
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    signed
        .stdin
        .as_ref()
        .unwrap()
        .write_all(tampered.as_bytes())
        .unwrap();
    let out = signed.wait_with_output().unwrap();
    let expected = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert_eq!(expected.len(), 40, "{expected}");
    let answer = post(&l.addr, &[], tampered.as_bytes());
    assert_eq!(answer.status, 401);
    let body: Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(body["status"], 1);
    assert_eq!(body["errorInfo"], "signature does not match");
    assert!(!answer.body.to_uppercase().contains(&expected));
    let record = l.record();
    assert_eq!(record["signature_valid"], false);
    assert_eq!(record["acked"], false);
    assert!(!record.to_string().to_uppercase().contains(&expected));
    // Without any signature: still 401, and the answer says where it belongs.
    let unsigned = tampered.replace("\"msgSignature\":", "\"msgSignatur\":");
    let answer = post(&l.addr, &[], unsigned.as_bytes());
    assert_eq!(answer.status, 401);
    assert!(answer.body.contains("no msgSignature"), "{}", answer.body);
}

#[test]
fn twenty_simultaneous_deliveries_of_one_message_are_processed_exactly_once() {
    let mut l = listen(&[]);
    let barrier = Arc::new(Barrier::new(20));
    let threads: Vec<_> = (0..20)
        .map(|_| {
            let (addr, barrier) = (l.addr.clone(), Arc::clone(&barrier));
            std::thread::spawn(move || {
                barrier.wait();
                post(&addr, &[], &autox3_body())
            })
        })
        .collect();
    for thread in threads {
        let answer = thread.join().unwrap();
        assert_eq!((answer.status, answer.body.as_str()), (200, NORMAL));
    }
    let duplicates: Vec<bool> = (0..20)
        .map(|_| l.record()["duplicate"].as_bool().unwrap())
        .collect();
    assert_eq!(
        duplicates.iter().filter(|d| !**d).count(),
        1,
        "{duplicates:?}"
    );
}

#[test]
fn garbage_and_oversize_bodies_are_refused_and_the_server_keeps_serving() {
    let mut l = listen(&["--max-body", "2000"]);
    let answer = post(&l.addr, &[], b"this is not json");
    assert_eq!(answer.status, 400);
    assert!(answer.body.contains("not JSON"), "{}", answer.body);
    let answer = post(&l.addr, &[], br#"{"hello":"world"}"#);
    assert_eq!(answer.status, 400);
    assert!(
        answer.body.contains("cannot tell the vendor"),
        "{}",
        answer.body
    );
    // Declared too large: refused from the head alone.
    let mut stream = TcpStream::connect(&l.addr).unwrap();
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n\r\n")
        .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    assert_eq!(parse_answer(&raw).unwrap().status, 413);
    // Too large without a length (chunked): refused once the limit is passed.
    let chunk = vec![b' '; 3000];
    let mut stream = TcpStream::connect(&l.addr).unwrap();
    let mut request =
        b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\nbb8\r\n".to_vec();
    request.extend_from_slice(&chunk);
    request.extend_from_slice(b"\r\n0\r\n\r\n");
    stream.write_all(&request).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    assert_eq!(parse_answer(&raw).unwrap().status, 413);
    // Not HTTP at all.
    let mut stream = TcpStream::connect(&l.addr).unwrap();
    stream.write_all(b"\x00\x01garbage\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    for _ in 0..4 {
        assert_eq!(l.record()["acked"], false);
    }
    let answer = post(&l.addr, &[], &autox3_body());
    assert_eq!((answer.status, answer.body.as_str()), (200, NORMAL));
}

#[test]
fn dayu_valid_is_acked_once_and_invalid_or_unsigned_is_401() {
    let mut l = listen(&[]);
    let (body, sign) = dayu_event();
    let answer = post(&l.addr, &[("Dayu-Sign", &sign)], &body);
    assert_eq!(answer.status, 200);
    let record = l.record();
    assert_eq!(record["vendor"], "dayu");
    assert_eq!(record["id"], "5577/2");
    assert_eq!(record["signature_valid"], true);
    assert_eq!(record["duplicate"], false);
    // Header names are case-insensitive.
    let answer = post(&l.addr, &[("dayu-sign", &sign)], &body);
    assert_eq!(answer.status, 200);
    assert_eq!(l.record()["duplicate"], true);
    let wrong = String::from_utf8(read("dayu/diagnosis/wrong_key.sig")).unwrap();
    let answer = post(&l.addr, &[("Dayu-Sign", wrong.trim())], &body);
    assert_eq!(answer.status, 401);
    assert!(!answer.body.contains(&sign), "the valid signature leaked");
    assert_eq!(
        serde_json::from_str::<Value>(&answer.body).unwrap()["ok"],
        false
    );
    assert_eq!(l.record()["signature_valid"], false);
    let answer = post(&l.addr, &[], &body);
    assert_eq!(answer.status, 401);
    assert!(answer.body.contains("Dayu-Sign"), "{}", answer.body);
}

#[test]
fn fail_first_two_gives_two_failures_then_an_ack_in_every_mode() {
    for mode in ["http500", "status1", "close", "badjson"] {
        let mut l = listen(&["--fail-first", "2", "--fail-mode", mode]);
        for attempt in 1..=2 {
            let answer = post_with(&l.addr, &[], &autox3_body(), Duration::from_secs(5));
            match (mode, answer) {
                ("http500", Ok(a)) => assert_eq!(a.status, 500),
                ("status1", Ok(a)) => {
                    assert_eq!(a.status, 200);
                    let body: Value = serde_json::from_str(&a.body).unwrap();
                    assert_eq!(body["status"], 1);
                }
                ("close", Err(e)) => assert_eq!(e.kind(), std::io::ErrorKind::UnexpectedEof),
                ("badjson", Ok(a)) => {
                    assert_eq!(a.status, 200);
                    assert!(
                        serde_json::from_str::<Value>(&a.body).is_err(),
                        "{}",
                        a.body
                    );
                }
                (mode, other) => panic!("{mode} attempt {attempt}: {other:?}"),
            }
            let record = l.record();
            assert_eq!(record["fault"], mode, "{record}");
            assert_eq!(record["acked"], false);
        }
        let answer = post(&l.addr, &[], &autox3_body());
        assert_eq!(
            (answer.status, answer.body.as_str()),
            (200, NORMAL),
            "{mode}"
        );
        let record = l.record();
        assert_eq!(
            (record["acked"].clone(), record["duplicate"].clone()),
            (true.into(), false.into())
        );
    }
}

#[test]
fn timeout_faults_hold_the_answer_and_delay_slows_every_answer() {
    let mut l = listen(&[
        "--fail-first",
        "1",
        "--fail-mode",
        "timeout",
        "--fail-hold",
        "5s",
    ]);
    let started = Instant::now();
    let e = post_with(&l.addr, &[], &autox3_body(), Duration::from_millis(300)).unwrap_err();
    assert!(
        matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
        "{e}"
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(l.record()["fault"], "timeout");
    assert_eq!(post(&l.addr, &[], &autox3_body()).status, 200);
    drop(l);
    let l = listen(&["--delay", "300ms"]);
    let started = Instant::now();
    assert_eq!(post(&l.addr, &[], &autox3_body()).status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[test]
fn fail_rate_one_faults_every_delivery() {
    let mut l = listen(&["--fail-rate", "1", "--seed", "7"]);
    for _ in 0..3 {
        assert_eq!(post(&l.addr, &[], &autox3_body()).status, 500);
        assert_eq!(l.record()["fault"], "http500");
    }
}

#[test]
fn the_store_keeps_acknowledged_ids_across_a_kill() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("seen.ids");
    let store_arg = store.to_str().unwrap();
    let mut l = listen(&["--store", store_arg]);
    assert_eq!(post(&l.addr, &[], &autox3_body()).status, 200);
    assert_eq!(l.record()["duplicate"], false);
    drop(l); // SIGKILL: no chance to flush anything
             // A kill in the middle of the next write leaves a torn line behind.
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&store)
        .unwrap();
    file.write_all(b"\"autox3:torn").unwrap();
    let mut l = listen(&["--store", store_arg]);
    let answer = post(&l.addr, &[], &autox3_body());
    assert_eq!((answer.status, answer.body.as_str()), (200, NORMAL));
    assert_eq!(l.record()["duplicate"], true);
    let (body, sign) = dayu_event();
    assert_eq!(post(&l.addr, &[("Dayu-Sign", &sign)], &body).status, 200);
    assert_eq!(l.record()["duplicate"], false);
    let text = std::fs::read_to_string(&store).unwrap();
    assert_eq!(
        text,
        "\"autox3:e6ddea1d-0b8b-24e7-cb26-91c3aa0969db\"\n\"dayu:5577/2\"\n"
    );
}

#[test]
fn saved_requests_verify_with_verify_request_in_arrival_order() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("saved");
    let mut l = listen(&["--save", save.to_str().unwrap()]);
    let (dayu, sign) = dayu_event();
    assert_eq!(post(&l.addr, &[], &autox3_body()).status, 200);
    assert_eq!(post(&l.addr, &[("Dayu-Sign", &sign)], &dayu).status, 200);
    let saved: Vec<String> = (0..2)
        .map(|_| l.record()["saved"].as_str().unwrap().to_string())
        .collect();
    let mut names: Vec<_> = std::fs::read_dir(&save)
        .unwrap()
        .map(|e| e.unwrap().path().to_str().unwrap().to_string())
        .collect();
    names.sort();
    assert_eq!(names, saved, "sorted names follow arrival");
    assert!(names[0].ends_with("00000001-autox3.http") && names[1].ends_with("00000002-dayu.http"));
    for path in &names {
        let out = Command::new(BIN)
            .args(["verify", "--json", "--secret-file"])
            .arg(fixture("autox3/secret.txt"))
            .arg("--public-key")
            .arg(fixture("dayu/keys/public.pem"))
            .args(["--request", path])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["valid"], true);
    }
    let raw = std::fs::read(&names[1]).unwrap();
    assert!(raw.ends_with(&dayu), "the body is kept byte for byte");
}

#[test]
fn a_slow_request_head_times_out_without_stopping_the_server() {
    let mut l = listen(&["--read-timeout", "300ms"]);
    let mut slow = TcpStream::connect(&l.addr).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    slow.write_all(b"POST / HTTP/1.1\r\nHost: x\r\n").unwrap();
    let started = Instant::now();
    let mut raw = Vec::new();
    let _ = slow.read_to_end(&mut raw);
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "the head time-out did not fire"
    );
    assert_eq!(post(&l.addr, &[], &autox3_body()).status, 200);
    assert_eq!(l.record()["acked"], true);
}

#[test]
fn max_requests_stops_with_a_summary() {
    let mut l = listen(&["--max-requests", "2"]);
    assert_eq!(post(&l.addr, &[], &autox3_body()).status, 200);
    assert_eq!(post(&l.addr, &[], b"{").status, 400);
    l.record();
    l.record();
    let (code, out, err) = l.finish();
    assert_eq!(code, 0, "{err}");
    let summary: Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    assert_eq!(summary["event"], "summary");
    assert_eq!(
        (summary["processed"].clone(), summary["rejected"].clone()),
        (1.into(), 1.into())
    );
    assert!(err.contains("listening on http://127.0.0.1:"), "{err}");
    assert!(
        err.contains("listen: stopped (--max-requests reached): 2 requests, 1 processed"),
        "{err}"
    );
}

#[test]
fn ctrl_c_stops_cleanly_with_a_one_line_summary() {
    let l = listen(&[]);
    assert_eq!(post(&l.addr, &[], &autox3_body()).status, 200);
    let status = Command::new("kill")
        .args(["-INT", &l.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let (code, _, err) = l.finish();
    assert_eq!(code, 0, "{err}");
    let summary: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("listen: stopped"))
        .collect();
    assert_eq!(summary, ["listen: stopped (interrupted): 1 requests, 1 processed, 0 duplicates, 0 rejected, 0 faults"]);
}

#[test]
fn a_non_loopback_address_needs_allow_remote() {
    let out = Command::new(BIN)
        .args(["listen", "--addr", "0.0.0.0:0", "--secret-file"])
        .arg(fixture("autox3/secret.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("error: --addr 0.0.0.0:0: not a loopback address"),
        "{err}"
    );
    assert!(err.contains("--allow-remote"), "{err}");
    let out = Command::new(BIN)
        .args(["listen", "--addr", "127.0.0.1:0"])
        .env_remove("CBTOOL_AUTOX3_SECRET")
        .env_remove("CBTOOL_DAYU_PUBLIC_KEY")
        .env_remove("CBTOOL_DAYU_PRIVATE_KEY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("listen cannot check any callback"));
}
