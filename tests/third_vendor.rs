//! A third vendor, Acme Hooks (HMAC-SHA256 in a header, its own answer and retry
//! sequence), defined in `tests/acme_vendor/` and plugged in through
//! `cbtool::vendors::register` only: sign, verify, explain, validate, listen and replay
//! all take it end to end, in this process. The expected signatures come from Python's
//! `hmac` module, not from cbtool.

// A test that cannot unwrap has failed: panicking is the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod acme_vendor;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

const KEY: &str = "acme-test-key";
const BODY: &str = r#"{"eventId":"evt_3f9a","type":"order.paid","createdAt":1733097600,"data":{"amount":4200,"currency":"EUR"}}"#;

fn setup() {
    cbtool::vendors::register(&acme_vendor::Acme).unwrap();
}

/// Runs cbtool in this process: (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let argv = std::iter::once("cbtool").chain(args.iter().copied());
    let code = cbtool::run(argv, &mut out, &mut err);
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (code, text(out), text(err))
}

/// HMAC-SHA256 of `bytes` under KEY, in lower-case hex, by Python's standard library.
fn python_hmac(bytes: &[u8]) -> String {
    let mut child = std::process::Command::new("python3")
        .args([
            "-c",
            "import hmac,hashlib,sys; print(hmac.new(sys.argv[1].encode(), sys.stdin.buffer.read(), hashlib.sha256).hexdigest())",
            KEY,
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs (CI installs it)");
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

fn envelope(signature: &str, body: &str) -> String {
    format!(r#"{{"headers":{{"X-Acme-Signature":"{signature}"}},"body":{body}}}"#)
}

#[test]
fn registering_twice_is_a_no_op_and_a_clashing_vendor_is_refused() {
    setup();
    setup();
    let ids: Vec<&str> = cbtool::vendors::all().iter().map(|v| v.id()).collect();
    assert_eq!(ids.iter().filter(|id| **id == "acme").count(), 1, "{ids:?}");
    // The built-ins come first, so detection of their callbacks never changes.
    assert_eq!(ids.last(), Some(&"acme"));
}

#[test]
fn sign_and_verify_with_the_vendors_own_flags() {
    setup();
    let dir = tempfile::tempdir().unwrap();
    let body = write(dir.path(), "event.json", BODY.as_bytes());
    let (code, out, err) = run(&["sign", "--acme-secret", KEY, &body]);
    assert_eq!(
        (code, out.trim()),
        (0, python_hmac(BODY.as_bytes()).as_str()),
        "{err}"
    );

    let (code, signed, err) = run(&["sign", "--embed", "--acme-secret", KEY, &body]);
    assert_eq!(code, 0, "{err}");
    let signed = write(dir.path(), "signed.json", signed.as_bytes());
    let (code, out, err) = run(&["verify", "--acme-secret", KEY, &signed]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("valid:"), "{out}");

    // The variable works as the flag, and a missing secret says how to give it.
    let (code, _, err) = run(&["verify", &signed]);
    assert_eq!(code, 2);
    assert!(err.contains("pass --acme-secret-file PATH"), "{err}");
}

#[test]
fn a_signature_over_the_body_and_a_newline_is_explained() {
    setup();
    let dir = tempfile::tempdir().unwrap();
    let with_newline = python_hmac(format!("{BODY}\n").as_bytes());
    let file = write(
        dir.path(),
        "e.json",
        envelope(&with_newline, BODY).as_bytes(),
    );
    let (code, out, err) = run(&["verify", "--explain", "--acme-secret", KEY, &file]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("cause: trailing_newline"), "{out}");
    let (code, out, _) = run(&["verify", "--explain", "--json", "--acme-secret", KEY, &file]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(code, 1);
    assert_eq!(doc["vendor"], "acme", "{doc}");
    assert_eq!(doc["diagnosis"]["matched"], "trailing_newline", "{doc}");
}

#[test]
fn validate_checks_the_vendors_schema() {
    setup();
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.json", BODY.as_bytes());
    let bad = BODY.replace("1733097600", "\"yesterday\"");
    let bad = write(dir.path(), "bad.json", bad.as_bytes());
    let (code, out, err) = run(&["validate", &good]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, _) = run(&["validate", "--json", &bad]);
    assert_eq!(code, 1, "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["schemas"][0], "acme-event", "{doc}");
    assert_eq!(doc["errors"][0]["path"], "/createdAt", "{doc}");
    let (code, schema, _) = run(&["validate", "--print-schema", "acme-event"]);
    assert_eq!(code, 0);
    assert!(schema.contains("Acme Hooks event"), "{schema}");
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "listen never opened {port}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// One raw POST; the answer's status line and body.
fn post(port: u16, signature: &str, body: &str) -> (String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "POST /acme HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{}: {signature}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        acme_vendor::HEADER,
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer.lines().next().unwrap_or_default().to_string();
    let body = answer
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    (status, body)
}

#[test]
fn listen_answers_and_replay_retries_as_the_vendor_says() {
    setup();
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    // The first delivery is refused (a fault); the sender's retry 1 s later (x0.01) is
    // acknowledged with Acme's answer; then a forged callback is refused in Acme's form.
    let listen = {
        let addr = addr.clone();
        std::thread::spawn(move || {
            run(&[
                "listen",
                "--addr",
                &addr,
                "--acme-secret",
                KEY,
                "--fail-first",
                "1",
                "--max-requests",
                "3",
                "--json",
            ])
        })
    };
    wait_for(port);
    let signed = envelope(&python_hmac(BODY.as_bytes()), BODY);
    let input = write(dir.path(), "signed.json", signed.as_bytes());
    let report = dir.path().join("report.json");
    let (code, out, err) = run(&[
        "replay",
        "--url",
        &format!("http://{addr}/acme"),
        "--time-scale",
        "0.01",
        "--report",
        report.to_str().unwrap(),
        &input,
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let message = &report["messages"][0];
    assert_eq!(message["state"], "delivered", "{report}");
    let attempts = message["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 2, "{report}");

    let (status, body) = post(port, &"0".repeat(64), BODY);
    assert!(status.contains(" 401 "), "{status}");
    assert!(body.contains("\"received\":false"), "{body}");

    let (code, log, err) = listen.join().unwrap();
    assert_eq!(code, 0, "{err}");
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let requests: Vec<&serde_json::Value> =
        lines.iter().filter(|l| l["event"] == "request").collect();
    assert_eq!(requests.len(), 3, "{log}");
    assert!(requests.iter().all(|r| r["vendor"] == "acme"), "{log}");
    assert_eq!(requests[0]["acked"], false, "the fault: {log}");
    assert_eq!(requests[1]["acked"], true, "the retry: {log}");
    assert_eq!(requests[2]["signature_valid"], false, "the forgery: {log}");
}

#[test]
fn replay_waits_the_vendors_documented_retries() {
    setup();
    let schedule = cbtool::replay::Schedule::per_vendor();
    let acme: &dyn cbtool::vendors::Vendor = &acme_vendor::Acme;
    let waits: Vec<u64> = schedule
        .for_vendor(Some(acme))
        .waits()
        .iter()
        .map(|w| w.as_secs())
        .collect();
    assert_eq!(waits, [1, 5, 25]);
}
