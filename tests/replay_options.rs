//! `cbtool replay` end to end, inputs and CI features: captured requests, duplicates,
//! `--fresh`, directories, usage errors, Ctrl-C and TLS, against real loopback servers.

// Helpers here are test code too: a failed set-up should stop the test loudly.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::replay::*;
use support::*;

#[test]
fn a_raw_http_request_is_sent_as_captured() {
    let server = Server::script(vec![Action::ok()]);
    let file = "fixtures/dayu/requests/03-accepted.http";
    let (code, report, _) = replay(&server, &["--header", "X-Trace: ci-1", file]);
    assert_eq!(code, 0);
    let raw = std::fs::read(file).unwrap();
    let captured = cbtool::http_request::parse(file, &raw).unwrap();
    let got = &server.requests()[0];
    assert_eq!(got.body, captured.body);
    let carried = captured
        .headers
        .iter()
        .find(|(k, _)| k == "Dayu-Sign")
        .unwrap();
    assert_eq!(got.header("dayu-sign"), Some(carried.1.as_str()));
    assert_eq!(got.header("x-trace"), Some("ci-1"));
    assert_eq!(report["messages"][0]["vendor"], "dayu");
    assert_eq!(report["messages"][0]["id"], "5577/2");
}

#[test]
fn duplicates_must_be_acknowledged_too() {
    let server = Server::script(vec![
        Action::ok(),
        Action::ok(),
        Action::status(409, "duplicate msgId"),
    ]);
    let (code, report, _) = replay(&server, &["--duplicate", "2", COMPACT]);
    assert_eq!(code, 1);
    let a = attempts(&report, 0);
    assert_eq!(a.len(), 3);
    assert_eq!(a[2]["duplicate"], true);
    assert!(report["messages"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("a duplicate was not acknowledged"));
    let got = server.requests();
    assert!(got.iter().all(|r| r.body == got[0].body));
}

#[test]
fn junit_numbers_duplicates_as_the_console_does() {
    // The message and its one duplicate.
    let server = Server::script(vec![Action::ok(); 2]);
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("junit.xml");
    let (code, _, err) = replay(
        &server,
        &[
            "--duplicate",
            "1",
            "--junit",
            junit.to_str().unwrap(),
            COMPACT,
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("duplicate 1/1"), "{err}");
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("attempt 1/7 at +"), "{xml}");
    assert!(xml.contains("duplicate 1/1 at +"), "{xml}");
}

#[test]
fn receiver_bodies_are_shown_as_received() {
    let body = r#"{"data":null,"errorInfo":"bad \"sig\"","status":1}"#;
    let server = Server::script(vec![Action::status(401, body)]);
    let (code, report, err) = replay(&server, &["--no-retry", COMPACT]);
    assert_eq!(code, 1);
    let expected = format!("HTTP 401: {body}");
    assert_eq!(errors(&report, 0)[0], expected);
    assert!(err.contains(&expected), "{err}");
}

#[test]
fn fresh_gives_new_ids_that_still_verify() {
    let server = Server::script(vec![Action::ok(); 2]);
    let args = ["--secret-file", SECRET_FILE, "--fresh", COMPACT];
    assert_eq!(replay(&server, &args).0, 0);
    assert_eq!(replay(&server, &args).0, 0);
    let got = server.requests();
    let ids: Vec<Value> = got.iter().map(|r| r.json()["msgId"].clone()).collect();
    assert_ne!(ids[0], ids[1]);
    let original: Value = serde_json::from_slice(&std::fs::read(COMPACT).unwrap()).unwrap();
    assert_ne!(ids[0], original["msgId"]);
    let dir = tempfile::tempdir().unwrap();
    let body = dir.path().join("body.json");
    std::fs::write(&body, &got[1].body).unwrap();
    cbtool([
        "verify",
        "--secret-file",
        SECRET_FILE,
        body.to_str().unwrap(),
    ])
    .run()
    .success();
}

#[test]
fn usage_and_input_errors_exit_2() {
    let cases: [(&[&str], &str); 5] = [
        (&["replay", "--url", "ftp://x/", COMPACT], "scheme `ftp`"),
        (
            &["replay", "--url", "http://127.0.0.1:1/", "missing.json"],
            "missing.json: cannot open",
        ),
        (
            &[
                "replay",
                "--url",
                "http://127.0.0.1:1/",
                "--schedule",
                "2,soon",
                COMPACT,
            ],
            "`soon`",
        ),
        (
            &["replay", "--url", "http://127.0.0.1:1/", "--fresh", COMPACT],
            "--fresh",
        ),
        (
            &[
                "replay",
                "--url",
                "http://127.0.0.1:1/",
                "-H",
                "nocolon",
                COMPACT,
            ],
            "--header",
        ),
    ];
    for (args, needle) in cases {
        let out = cbtool(args).run();
        assert_eq!(out.code, 2, "{args:?}");
        let err = &out.stderr;
        assert!(
            err.starts_with("error: ") && err.contains(needle),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn keep_alive_reuses_connections_and_the_default_does_not() {
    let stream = "fixtures/autox3/stream.jsonl";
    let server = Server::keep_alive().hits(6);
    let (code, _, _) = replay(&server, &["--concurrency", "1", stream]);
    assert_eq!(code, 0);
    let fresh: Vec<usize> = server.requests().iter().map(|r| r.connection).collect();
    assert_eq!(fresh, [0, 1, 2, 3, 4, 5], "a fresh connection per attempt");
    let server = Server::keep_alive().hits(6);
    let (code, _, _) = replay(&server, &["--concurrency", "1", "--keep-alive", stream]);
    assert_eq!(code, 0);
    let reused: Vec<usize> = server.requests().iter().map(|r| r.connection).collect();
    assert_eq!(reused, [0; 6], "one connection for every message");
}

#[test]
fn directories_are_sent_in_name_order() {
    let server = Server::script(vec![Action::ok(); 10]);
    let (code, report, _) = replay(&server, &["--concurrency", "1", "fixtures/dayu/envelopes"]);
    assert_eq!(code, 0);
    assert_eq!(report["summary"]["messages"], 10);
    let steps: Vec<i64> = server.requests().iter().map(progress).collect();
    // 01-created … 10-cancelled: the documents' steps, in file-name order.
    assert_eq!(steps, [0, 1, 2, 3, 5, 6, 7, 8, 9, 10]);
    assert!(Path::new("fixtures/dayu/envelopes").is_dir());
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_and_reports_what_was_not_acknowledged() {
    let server = Server::new(|_, _| Action::status(500, "down")).hits(1);
    let dir = tempfile::tempdir().unwrap();
    let report_path = dir.path().join("report.json");
    let url = server.url();
    let report = report_path.to_str().unwrap();
    let child = cbtool([
        "replay",
        "--concurrency",
        "1",
        "--url",
        &url,
        "--report",
        report,
    ])
    .command()
    .args([COMPACT, "fixtures/dayu/envelopes/01-created.json"])
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.requests().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    // The first attempt failed; cbtool now waits 2 s for the retry.
    std::thread::sleep(Duration::from_millis(100));
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    let report: Value = serde_json::from_slice(&std::fs::read(&report_path).unwrap()).unwrap();
    assert_eq!(report["summary"]["interrupted"], true);
    assert_eq!(report["summary"]["failed"], 2);
    assert_eq!(report["messages"][0]["state"], "in_progress");
    assert_eq!(report["messages"][1]["state"], "not_sent");
    assert!(
        err.contains("INTERRUPTED") && err.contains("NOT SENT"),
        "{err}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn tls_is_verified_unless_trusted_or_insecure() {
    let (server, ca_pem) = Server::tls(|_, _| Action::ok());
    // The refused handshake never reaches the handler: two requests, with the CA and insecure.
    let server = server.hits(2);
    let (code, report, _) = replay(&server, &["--no-retry", COMPACT]);
    assert_eq!(code, 1);
    let e = &errors(&report, 0)[0];
    assert!(e.contains("UnknownIssuer") && e.contains("--cacert"), "{e}");
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, ca_pem).unwrap();
    let ca = ca.to_str().unwrap();
    let (code, _, err) = replay(&server, &["--no-retry", "--cacert", ca, COMPACT]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = replay(&server, &["--no-retry", "--insecure", COMPACT]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn ack_overrides_the_vendor_rule() {
    // AutoX3 normally needs `status: 0`; with http-2xx a bare 200 "OK" is enough.
    let server = Server::new(|_, _| Action::status(200, "OK")).hits(3);
    let (code, _, _) = replay(&server, &["--no-retry", "--ack", "http-2xx", COMPACT]);
    assert_eq!(code, 0);
    // Dayu normally takes any 2xx; with autox3-status the same answer is a failure.
    let dayu = "fixtures/dayu/envelopes/03-accepted.json";
    let (code, report, _) = replay(&server, &["--no-retry", "--ack", "autox3-status", dayu]);
    assert_eq!(code, 1);
    assert!(errors(&report, 0)[0].contains("not JSON"));
    assert_eq!(replay(&server, &["--no-retry", dayu]).0, 0);
}

#[test]
fn json_lines_from_stdin_are_sent_line_by_line() {
    let server = Server::script(vec![Action::ok(); 6]);
    let url = server.url();
    let lines = std::fs::read("fixtures/autox3/stream.jsonl").unwrap();
    let out = cbtool(["replay", "--json", "--concurrency", "1", "--url", &url, "-"])
        .stdin(&lines)
        .run();
    out.success();
    let report = out.json();
    assert_eq!(report["summary"]["delivered"], 6);
    assert_eq!(report["messages"][2]["source"], "<stdin>:3");
    let sent: Vec<Vec<u8>> = server.requests().into_iter().map(|r| r.body).collect();
    let expected: Vec<Vec<u8>> = lines
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(<[u8]>::to_vec)
        .collect();
    assert_eq!(sent, expected);
}
