//! End-to-end tests of `cbtool listen --forward`: the real binary in front of a real app
//! on loopback — `tests/apps/callback_app.py`, a Python `http.server` receiver written as a
//! user would write one, right or wrong in the ways real receivers are (`--mode`).
//!
//! Expected values come from outside cbtool: the app's own view of what it received
//! (Python `hashlib.sha256` of the body, `http.server`'s header list), the `sha2`/`sha1`
//! crates, and the AutoX3 fixtures' signed strings (fixtures/README.md).

#![allow(clippy::unwrap_used)]

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use serde_json::Value;
use sha2::Digest;
use support::listen::*;
use support::{cbtool, SECRET_FILE};

const APP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/apps/callback_app.py");

/// A running app; killed on drop.
struct App {
    child: Child,
    url: String,
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether python3 with `cryptography` is here. CI installs both (.ci/run): there a
/// missing one fails the test; elsewhere the test says so and skips.
fn have_python() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import cryptography"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "python3 with the cryptography package is required (.ci/run installs python3-cryptography)"
        );
        eprintln!("skipped: python3 with the cryptography package is not installed");
    }
    ok
}

fn app(mode: &str, extra: &[&str]) -> App {
    let mut child = Command::new("python3")
        .arg(APP)
        .args(["--mode", mode, "--secret-file"])
        .arg(fixture("autox3/secret.txt"))
        .arg("--public-key")
        .arg(fixture("dayu/keys/public.pem"))
        .args(extra)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_string();
    App {
        child,
        url: format!("http://127.0.0.1:{port}"),
    }
}

fn forward(app: &App, extra: &[&str]) -> Listener {
    let mut args = vec!["--forward", app.url.as_str()];
    args.extend_from_slice(extra);
    listen(&args)
}

type Lines = std::io::Lines<BufReader<std::process::ChildStderr>>;

/// A forwarder logging text on stderr: the child, its stderr lines after the `listening
/// on` line, and its address.
fn text_forward(app: &App, extra: &[&str]) -> (Child, Lines, String) {
    let mut child = cbtool(["listen", "--addr", "127.0.0.1:0", "--secret-file"])
        .command()
        .arg(fixture("autox3/secret.txt"))
        .arg("--public-key")
        .arg(fixture("dayu/keys/public.pem"))
        .args(["--forward", &app.url])
        .args(extra)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines
        .by_ref()
        .map(Result::unwrap)
        .find(|l| l.starts_with("listening on "))
        .unwrap();
    let addr = first.split(' ').nth(2).unwrap().trim_end_matches(',');
    let addr = addr.trim_start_matches("http://").to_string();
    (child, lines, addr)
}

/// The compact AutoX3 fixture with message id `id`, signed over the fixture's signed
/// string with that id (SHA-1 by the `sha1` crate).
fn autox3_with_id(id: &str) -> Vec<u8> {
    const ID: &str = "e6ddea1d-0b8b-24e7-cb26-91c3aa0969db";
    const SIGNATURE: &str = "E60158B65CAC5E411CF26A925CA952FA5A350D52"; // fixtures/autox3/vectors.tsv
    let signed = String::from_utf8(read("autox3/signed-strings/compact.correct.txt"))
        .unwrap()
        .replacen(ID, id, 1);
    let signature = hex::encode_upper(sha1::Sha1::digest(signed.as_bytes()));
    String::from_utf8(autox3_body())
        .unwrap()
        .replacen(ID, id, 1)
        .replacen(SIGNATURE, &signature, 1)
        .into_bytes()
}

fn tampered() -> Vec<u8> {
    String::from_utf8(autox3_body())
        .unwrap()
        .replace("Old Customer", "New Customer")
        .into_bytes()
}

/// Sends raw request bytes and reads the whole answer (the request says `Connection: close`).
fn raw_exchange(addr: &str, request: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    raw
}

fn host_port(url: &str) -> &str {
    url.trim_start_matches("http://")
}

#[test]
fn a_correct_app_acknowledges_and_its_answer_comes_back_with_the_verdict() {
    if !have_python() {
        return;
    }
    let app = app("correct", &[]);
    let mut l = forward(&app, &[]);
    let answer = post(&l.addr, &[], &autox3_body());
    assert_eq!((answer.status, answer.body.as_str()), (200, NORMAL));
    let r = l.record();
    assert_eq!(r["signature_valid"], true);
    assert_eq!(r["forwarded"], true);
    assert_eq!(r["app_status"], 200);
    assert_eq!(r["app_acked"], true);
    assert_eq!(r["verdict"], Value::Null);
    assert!(r["app_latency_ms"].as_f64().unwrap() >= 0.0, "{r}");
    assert_eq!(r["duplicate"], false);
    // Not de-duplicated: the repeat reaches the app, marked as a duplicate.
    let again = post(&l.addr, &[], &autox3_body());
    assert_eq!(again.status, 200);
    let r = l.record();
    assert_eq!(
        (r["duplicate"].clone(), r["forwarded"].clone()),
        (true.into(), true.into())
    );
    assert_eq!(r["app_acked"], true);
    // Dayu: any 2xx acknowledges.
    let (event, sign) = dayu_event();
    let answer = post(&l.addr, &[("Dayu-Sign", &sign)], &event);
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (200, r#"{"ok":true}"#)
    );
    let r = l.record();
    assert_eq!(
        (r["vendor"].clone(), r["app_acked"].clone()),
        ("dayu".into(), true.into())
    );
}

#[test]
fn an_app_that_acknowledges_forged_callbacks_is_a_security_hole_and_fails_the_check() {
    if !have_python() {
        return;
    }
    let app = app("acks-forged", &[]);
    let mut l = forward(&app, &["--expect-app-correct", "--max-requests", "2"]);
    let answer = post(&l.addr, &[], &tampered());
    assert_eq!((answer.status, answer.body.as_str()), (200, NORMAL));
    let r = l.record();
    assert_eq!(r["signature_valid"], false);
    assert_eq!(r["app_acked"], true);
    assert_eq!(r["verdict"], "acked_forged");
    assert_eq!(post(&l.addr, &[], &autox3_body()).status, 200);
    let (code, out, err) = l.finish();
    assert_eq!(code, 1, "{err}");
    let summary: Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    assert_eq!(summary["acked_forged"], 1);
    assert_eq!(summary["app_correct"], false);
    assert!(
        err.contains("1 forged acknowledged (security hole)"),
        "{err}"
    );
    // The same in text: the line says it loudly.
    let (mut text, mut lines, addr) = text_forward(&app, &["--max-requests", "1"]);
    post(&addr, &[], &tampered());
    let line = lines.next().unwrap().unwrap();
    assert!(line.contains("signature INVALID"), "{line}");
    assert!(
        line.contains("SECURITY HOLE: the app acknowledged a callback whose signature is invalid"),
        "{line}"
    );
    assert!(
        text.wait().unwrap().success(),
        "no --expect-app-correct: exit 0"
    );
}

#[test]
fn an_app_that_rejects_valid_callbacks_is_pointed_to_verify_explain_and_the_snippets() {
    if !have_python() {
        return;
    }
    let app = app("rejects-valid", &[]);
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().to_str().unwrap();
    let extra = [
        "--max-requests",
        "1",
        "--expect-app-correct",
        "--save",
        save,
    ];
    let (mut text, mut lines, addr) = text_forward(&app, &extra);
    let answer = post(&addr, &[], &autox3_body());
    assert_eq!(answer.status, 401, "the app's own refusal is relayed");
    let line = lines.next().unwrap().unwrap();
    let request = dir.path().join("00000001-autox3.http");
    assert!(line.contains("signature valid, new → app 401"), "{line}");
    assert!(
        line.contains("APP BUG: the app refused a callback whose signature is valid"),
        "{line}"
    );
    assert!(
        line.contains(&format!(
            "cbtool verify --explain --request {}",
            request.display()
        )),
        "{line}"
    );
    assert!(
        line.contains("cbtool snippet LANG --vendor autox3"),
        "{line}"
    );
    assert_eq!(text.wait().unwrap().code(), Some(1));
    // The pair on disk: the request verifies as it was received, the answer is the app's.
    cbtool(["verify", "--request", "--secret-file", SECRET_FILE])
        .arg(&request)
        .run()
        .success();
    let saved_answer =
        std::fs::read_to_string(dir.path().join("00000001-autox3.response")).unwrap();
    assert!(
        saved_answer.starts_with("HTTP/1.1 401 Unauthorized\r\n"),
        "{saved_answer}"
    );
    assert!(
        saved_answer.ends_with(r#""errorInfo":"bad signature","status":1}"#),
        "{saved_answer}"
    );
}

#[test]
fn an_autox3_app_answering_code_0_makes_the_sender_retry_in_2_s() {
    if !have_python() {
        return;
    }
    let app = app("code0", &[]);
    let mut l = forward(&app, &[]);
    let answer = post(&l.addr, &[], &autox3_body());
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (200, r#"{"code":0}"#)
    );
    let r = l.record();
    assert_eq!(r["app_status"], 200);
    assert_eq!(r["app_acked"], false);
    assert_eq!(r["verdict"], "refused_valid");
    assert_eq!(r["retry"], "the sender will retry in 2 s (attempt 2 of 7)");
    assert_eq!(r["retry_in_s"], 2.0);
    // The sender's retry is attempt 2: the next wait is 4 s.
    post(&l.addr, &[], &autox3_body());
    assert_eq!(l.record()["retry_in_s"], 4.0);
}

/// The advice names what the vendor's sender needs: for AutoX3, the documents' normal
/// response (seeds 000 and 002), byte for byte.
#[test]
fn the_log_tells_an_app_whose_answer_is_not_an_acknowledgement_what_the_sender_needs() {
    if !have_python() {
        return;
    }
    let app = app("code0", &[]);
    let (mut text, mut lines, addr) = text_forward(&app, &["--max-requests", "1"]);
    post(&addr, &[], &autox3_body());
    let line = lines.next().unwrap().unwrap();
    assert!(
        line.contains(r#"NOT acknowledged (HTTP 200 but the JSON has no `status`: {"code":0})"#),
        "{line}"
    );
    assert!(
        line.contains(r#"APP BUG: the app took a valid callback but its answer is not an acknowledgement; AutoX3 needs HTTP 200 with {"data":null,"errorInfo":"","status":0}; "#),
        "{line}"
    );
    let _ = text.wait();
}

#[test]
fn an_app_that_refuses_duplicates_is_flagged() {
    if !have_python() {
        return;
    }
    let app = app("rejects-duplicates", &[]);
    let mut l = forward(&app, &[]);
    assert_eq!(post(&l.addr, &[], &autox3_body()).status, 200);
    assert_eq!(l.record()["verdict"], Value::Null);
    assert_eq!(post(&l.addr, &[], &autox3_body()).status, 409);
    let r = l.record();
    assert_eq!(
        (r["duplicate"].clone(), r["verdict"].clone()),
        (true.into(), "duplicate_refused".into())
    );
}

#[test]
fn an_app_slower_than_the_forward_timeout_gets_504_and_the_log_says_why() {
    if !have_python() {
        return;
    }
    let app = app("slow", &["--delay", "3"]);
    let mut l = forward(&app, &["--forward-timeout", "300ms"]);
    let started = Instant::now();
    let answer = post(&l.addr, &[], &autox3_body());
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(answer.status, 504);
    assert!(answer.body.contains("--forward-timeout"), "{}", answer.body);
    let r = l.record();
    assert_eq!(r["app_status"], Value::Null);
    assert!(
        r["app_error"]
            .as_str()
            .unwrap()
            .contains("did not answer within 300ms"),
        "{r}"
    );
    assert_eq!(r["verdict"], "valid_unanswered");
    assert_eq!(r["http_status"], 504);
}

#[test]
fn an_app_that_is_down_gets_502_and_the_log_says_why() {
    let port = {
        let free = TcpListener::bind("127.0.0.1:0").unwrap();
        free.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/cb");
    let mut l = listen(&["--forward", &url]);
    let answer = post(&l.addr, &[], &autox3_body());
    assert_eq!(answer.status, 502);
    let r = l.record();
    let why = r["app_error"].as_str().unwrap().to_lowercase();
    assert!(
        why.contains("cannot connect to the app") && why.contains("refused"),
        "{r}"
    );
    assert_eq!(
        (r["forwarded"].clone(), r["verdict"].clone()),
        (true.into(), "valid_unanswered".into())
    );
    assert!(
        answer.body.contains("cannot connect to the app"),
        "{}",
        answer.body
    );
}

#[test]
fn fifty_concurrent_callbacks_are_each_forwarded_and_acknowledged() {
    if !have_python() {
        return;
    }
    let app = app("correct", &[]);
    let l = forward(&app, &["--max-requests", "50", "--expect-app-correct"]);
    let barrier = Arc::new(Barrier::new(50));
    let threads: Vec<_> = (0..50)
        .map(|i| {
            let (addr, barrier) = (l.addr.clone(), Arc::clone(&barrier));
            std::thread::spawn(move || {
                let body = autox3_with_id(&format!("concurrent-{i:02}"));
                barrier.wait();
                post(&addr, &[], &body)
            })
        })
        .collect();
    for t in threads {
        let answer = t.join().unwrap();
        assert_eq!((answer.status, answer.body.as_str()), (200, NORMAL));
    }
    let (code, out, err) = l.finish();
    assert_eq!(code, 0, "{err}");
    let records: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let requests: Vec<&Value> = records.iter().filter(|r| r["event"] == "request").collect();
    assert_eq!(requests.len(), 50);
    assert!(requests
        .iter()
        .all(|r| r["app_acked"] == true && r["duplicate"] == false));
    let summary = records.last().unwrap();
    assert_eq!(
        (summary["forwarded"].clone(), summary["app_acked"].clone()),
        (50.into(), 50.into())
    );
}

/// The app's view of one request, from the echo mode.
fn echoed(raw: &[u8]) -> Value {
    let text = String::from_utf8_lossy(raw);
    let (_, body) = text.split_once("\r\n\r\n").unwrap();
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn bodies_and_headers_reach_the_app_exactly_chunked_or_large() {
    if !have_python() {
        return;
    }
    let app = app("echo", &[]);
    let mut l = forward(&app, &[]);
    let app_host = host_port(&app.url);
    // A chunked request: header names in their own case, a repeated header, spacing inside
    // a value, and hop-by-hop headers that must stay on this side.
    let chunked =
        "POST /hooks/autox3?x=1&y=%20 HTTP/1.1\r\nHost: tunnel.example\r\nX-Request-ID: abc\r\n\
        Connection: keep-alive, X-Hop\r\nX-Hop: drop me\r\nKeep-Alive: timeout=5\r\n\
        Proxy-Authorization: Basic dTpw\r\nTE: trailers\r\nDayu-Sign: a+b/c==\r\nx-dup: 1\r\n\
        X-Value:  two  spaces\r\nX-Dup: 2\r\nTransfer-Encoding: chunked\r\n\r\n\
        5\r\n{\"a\":\r\n3\r\n\"é\r\n2\r\n\"}\r\n0\r\n\r\n";
    let raw = raw_exchange(&l.addr, chunked.as_bytes());
    let seen = echoed(&raw);
    let body = "{\"a\":\"é\"}".as_bytes();
    assert_eq!(seen["body_sha256"], hex::encode(sha2::Sha256::digest(body)));
    assert_eq!(seen["path"], "/hooks/autox3?x=1&y=%20");
    let headers: Vec<(String, String)> = seen["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h[0].as_str().unwrap().into(), h[1].as_str().unwrap().into()))
        .collect();
    let expected = [
        ("Host", app_host),
        ("X-Request-ID", "abc"),
        ("Dayu-Sign", "a+b/c=="),
        ("x-dup", "1"),
        ("X-Dup", "2"),
        ("X-Value", "two  spaces"),
        ("content-length", "10"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(headers, expected, "the app saw {seen}");
    l.record();
    // A large body, not JSON, not UTF-8: forwarded unjudged, byte for byte.
    let large: Vec<u8> = (0..900_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let head = format!(
        "POST /big HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        large.len()
    );
    let mut request = head.into_bytes();
    request.extend_from_slice(&large);
    let seen = echoed(&raw_exchange(&l.addr, &request));
    assert_eq!(seen["body_len"], large.len());
    assert_eq!(
        seen["body_sha256"],
        hex::encode(sha2::Sha256::digest(&large))
    );
    let r = l.record();
    assert_eq!(
        (r["forwarded"].clone(), r["app_acked"].clone()),
        (true.into(), Value::Null)
    );
}

#[test]
fn the_apps_answer_is_relayed_exactly_and_no_request_goes_anywhere_but_the_url() {
    if !have_python() {
        return;
    }
    let app = app("echo", &[]);
    let l = forward(&app, &[]);
    let request = |host: &str| {
        format!("POST /fixed HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{{}}")
    };
    let app_host = host_port(&app.url);
    let direct = raw_exchange(app_host, request(app_host).as_bytes());
    let relayed = raw_exchange(&l.addr, request(&l.addr).as_bytes());
    // Each connection has its own Date and Connection lines; everything else is the app's.
    let comparable = |raw: &[u8]| -> Vec<u8> {
        let mut out = Vec::new();
        for line in raw.split_inclusive(|&b| b == b'\n') {
            let lower = String::from_utf8_lossy(line).to_lowercase();
            if !lower.starts_with("date:") && !lower.starts_with("connection:") {
                out.extend_from_slice(line);
            }
        }
        out
    };
    assert!(
        direct.starts_with(b"HTTP/1.1 201 Made It\r\n"),
        "{}",
        String::from_utf8_lossy(&direct)
    );
    assert_eq!(
        String::from_utf8_lossy(&comparable(&relayed)),
        String::from_utf8_lossy(&comparable(&direct))
    );
    assert_eq!(comparable(&relayed), comparable(&direct));
    // An absolute-form target naming another host still goes to the app, path only.
    let sneaky = b"GET http://evil.example:9/steal HTTP/1.1\r\nHost: evil.example:9\r\nConnection: close\r\n\r\n";
    let seen = echoed(&raw_exchange(&l.addr, sneaky));
    assert_eq!(
        (seen["method"].clone(), seen["path"].clone()),
        ("GET".into(), "/steal".into())
    );
    let host = &seen["headers"].as_array().unwrap()[0];
    assert_eq!(host[1], app_host);
}

#[test]
fn faults_apply_on_the_senders_side_before_the_app() {
    if !have_python() {
        return;
    }
    let app = app("correct", &[]);
    let mut l = forward(&app, &["--fail-first", "1"]);
    let answer = post(&l.addr, &[], &autox3_body());
    assert_eq!(answer.status, 500);
    let r = l.record();
    assert_eq!(
        (r["fault"].clone(), r["forwarded"].clone()),
        ("http500".into(), false.into())
    );
    assert_eq!(r["retry"], "the sender will retry in 2 s (attempt 2 of 7)");
    let answer = post(&l.addr, &[], &autox3_body());
    assert_eq!((answer.status, answer.body.as_str()), (200, NORMAL));
    let r = l.record();
    assert_eq!(
        (r["attempt"].clone(), r["app_acked"].clone()),
        (2.into(), true.into())
    );
    assert_eq!(
        r["duplicate"], false,
        "the app never saw the faulted delivery"
    );
}

#[test]
fn dayu_is_judged_by_any_2xx_and_has_no_documented_retries() {
    if !have_python() {
        return;
    }
    let (event, sign) = dayu_event();
    let forger = app("acks-forged", &[]);
    let mut l = forward(&forger, &[]);
    // A signature of the right shape that this key never made: the first character changed.
    let forged = format!(
        "{}{}",
        if sign.starts_with('A') { "B" } else { "A" },
        &sign[1..]
    );
    assert_eq!(post(&l.addr, &[("Dayu-Sign", &forged)], &event).status, 200);
    let r = l.record();
    assert_eq!(
        (r["vendor"].clone(), r["signature_valid"].clone()),
        ("dayu".into(), false.into())
    );
    assert_eq!(r["verdict"], "acked_forged");
    let strict = app("rejects-duplicates", &[]);
    let mut l = forward(&strict, &[]);
    assert_eq!(post(&l.addr, &[("Dayu-Sign", &sign)], &event).status, 200);
    assert_eq!(l.record()["app_acked"], true);
    assert_eq!(post(&l.addr, &[("Dayu-Sign", &sign)], &event).status, 409);
    let r = l.record();
    assert_eq!(r["verdict"], "duplicate_refused");
    assert_eq!(r["retry_in_s"], Value::Null);
    assert!(
        r["retry"]
            .as_str()
            .unwrap()
            .starts_with("Dayu's documents give no retry schedule"),
        "{r}"
    );
}
