//! `cbtool replay` end to end, delivery: the built binary against real loopback servers
//! that script a fault per attempt and record what arrives.

// Helpers here are test code too: a failed set-up should stop the test loudly.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::{Duration, Instant};

use serde_json::Value;
use support::replay::*;
use support::*;

#[test]
fn retries_a_500_with_the_same_signed_bytes() {
    let server = Server::script(vec![
        Action::status(500, "boom"),
        Action::status(503, ""),
        Action::ok(),
    ]);
    let (code, report, err) = replay(
        &server,
        &[
            "--secret-file",
            SECRET_FILE,
            "--schedule",
            "50ms,100ms",
            COMPACT,
        ],
    );
    assert_eq!(code, 0, "{err}");
    let got = server.requests();
    assert_eq!(got.len(), 3);
    // The compact fixture carries its own correct signature (computed outside cbtool):
    // signing it again must send exactly its bytes, on every attempt.
    let expected = std::fs::read(COMPACT).unwrap();
    assert!(got.iter().all(|r| r.body == expected));
    assert!(got
        .iter()
        .all(|r| r.header("content-type") == Some("application/json")));
    assert_eq!(report["summary"]["delivered"], 1);
    assert_eq!(errors(&report, 0)[0], "HTTP 500: boom");
    assert!(err.contains("attempt 2/3"), "{err}");
    let gaps = server.gaps_ms();
    assert!(gaps[0] >= 50 && gaps[0] < 600, "{gaps:?}");
    assert!(gaps[1] >= 100 && gaps[1] < 650, "{gaps:?}");
}

#[test]
fn status_1_and_a_non_json_200_are_failed_attempts() {
    let server = Server::script(vec![
        Action::status(200, r#"{"data":null,"errorInfo":"busy","status":1}"#),
        Action::status(200, "OK"),
        Action::ok(),
    ]);
    let (code, report, _) = replay(&server, &["--schedule", "10ms,10ms", COMPACT]);
    assert_eq!(code, 0);
    let e = errors(&report, 0);
    assert!(e[0].contains("status 1 (not 0)"), "{e:?}");
    assert!(e[1].contains("not JSON: OK"), "{e:?}");
    assert_eq!(e[2], "");
    // Without a credential the file's bytes go out exactly as they are.
    assert!(server
        .requests()
        .iter()
        .all(|r| r.body == std::fs::read(COMPACT).unwrap()));
}

#[test]
fn a_time_out_and_a_reset_are_failed_attempts() {
    let server = Server::script(vec![
        Action::Hang(Duration::from_millis(1500)),
        Action::Reset,
        Action::ok(),
    ]);
    let started = Instant::now();
    let (code, report, _) = replay(
        &server,
        &["--timeout", "200ms", "--schedule", "10ms,10ms", COMPACT],
    );
    assert_eq!(code, 0);
    let e = errors(&report, 0);
    assert!(e[0].starts_with("time-out"), "{e:?}");
    assert!(e[1].contains("reset") || e[1].contains("closed"), "{e:?}");
    let a = attempts(&report, 0);
    assert!(a[0]["elapsed_ms"].as_u64().unwrap() >= 200);
    assert!(a[0]["http_status"].is_null());
    assert!(started.elapsed() < Duration::from_millis(1400));
}

#[test]
fn nothing_listening_gives_up_after_seven_attempts() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/cb");
    let dir = tempfile::tempdir().unwrap();
    let report_path = dir.path().join("report.json");
    let junit_path = dir.path().join("junit.xml");
    let out = cbtool([
        "replay",
        "--url",
        &url,
        "--time-scale",
        "0.001",
        COMPACT,
        "--report",
        report_path.to_str().unwrap(),
        "--junit",
        junit_path.to_str().unwrap(),
    ])
    .run();
    out.code(1);
    let report: Value = serde_json::from_slice(&std::fs::read(&report_path).unwrap()).unwrap();
    assert_eq!(
        report["summary"],
        serde_json::json!({"messages": 1, "delivered": 0, "failed": 1, "unfinished": 0, "interrupted": false})
    );
    let a = attempts(&report, 0);
    assert_eq!(a.len(), 7);
    assert!(errors(&report, 0)
        .iter()
        .all(|e| e.contains("connection refused")));
    // 2+4+…+64 ms of waits at scale 0.001.
    assert!(a[6]["started_ms"].as_u64().unwrap() >= 126);
    let junit = std::fs::read_to_string(&junit_path).unwrap();
    assert!(
        junit.contains(r#"tests="1""#) && junit.contains("<failure"),
        "{junit}"
    );
    assert!(junit.contains("attempt 7/7 at +"), "{junit}");
    assert!(out
        .stderr
        .contains("1 message(s): 0 delivered, 1 not acknowledged"));
}

#[test]
fn the_schedule_keeps_its_shape_when_scaled() {
    let server = Server::new(|_, _| Action::status(500, "")).hits(7);
    let (code, report, _) = replay(&server, &["--time-scale", "0.005", COMPACT]);
    assert_eq!(code, 1);
    assert_eq!(attempts(&report, 0).len(), 7);
    let gaps = server.gaps_ms();
    for (gap, wait) in gaps.iter().zip([10u128, 20, 40, 80, 160, 320]) {
        assert!(*gap >= wait && *gap < wait + 250, "gaps {gaps:?}");
    }
    // Each wait roughly doubles the last: the vendor's shape, not a fixed interval.
    assert!(gaps[5] > gaps[3] * 2, "gaps {gaps:?}");
}

#[test]
fn one_dayu_order_goes_in_order_while_others_go_concurrently() {
    // The first callback of order 5577 fails once; its later steps must wait for it,
    // while an unrelated AutoX3 message is delivered meanwhile.
    let server = Server::new(|n, r| {
        let first_of_order = r.json().get("orderId").is_some() && progress(r) == 0;
        if first_of_order && n < 2 {
            Action::status(500, "not yet")
        } else {
            Action::ok()
        }
    })
    .hits(10);
    let (code, report, err) = replay(
        &server,
        &[
            "--private-key",
            PRIVATE_KEY,
            "--concurrency",
            "4",
            "--schedule",
            "300ms",
            "fixtures/dayu/envelopes.jsonl",
            COMPACT,
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(report["summary"]["delivered"], 9);
    let got = server.requests();
    let dayu: Vec<&Received> = got
        .iter()
        .filter(|r| r.header("dayu-sign").is_some())
        .collect();
    let order: Vec<i64> = dayu.iter().map(|r| progress(r)).collect();
    assert_eq!(order, [0, 0, 1, 2, 3, 5, 6, 7, 8], "{order:?}");
    // The AutoX3 message did not wait behind the order's retry.
    let autox3 = got
        .iter()
        .position(|r| r.header("dayu-sign").is_none())
        .unwrap();
    let retry = got.iter().position(|r| std::ptr::eq(r, dayu[1])).unwrap();
    assert!(autox3 < retry, "AutoX3 at {autox3}, retry at {retry}");
    // Both attempts of step 0 carry the same bytes and signature, and it verifies.
    assert_eq!(dayu[0].body, dayu[1].body);
    assert_eq!(dayu[0].header("dayu-sign"), dayu[1].header("dayu-sign"));
    assert_verifies_as_dayu(dayu[1]);
}

/// Saves a received request in `listen --save` form and verifies it with cbtool.
fn assert_verifies_as_dayu(r: &Received) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("req.http");
    let bytes = cbtool::http_request::render(&r.path, "127.0.0.1", &r.headers, &r.body);
    std::fs::write(&path, bytes).unwrap();
    let out = cbtool([
        "verify",
        "--public-key",
        "fixtures/dayu/keys/public.pem",
        path.to_str().unwrap(),
    ])
    .run();
    out.code(0);
}

#[test]
fn a_redirect_is_a_failure_that_names_its_target() {
    let server = Server::script(vec![Action::Respond {
        status: 302,
        headers: vec![("Location".into(), "https://elsewhere.example/cb".into())],
        body: String::new(),
    }]);
    let (code, report, _) = replay(&server, &["--no-retry", COMPACT]);
    assert_eq!(code, 1);
    assert_eq!(server.requests().len(), 1);
    assert!(errors(&report, 0)[0].contains("redirect to https://elsewhere.example/cb"));
}

#[test]
fn an_endless_body_is_cut_at_the_cap() {
    let server = Server::script(vec![Action::Endless]);
    let started = Instant::now();
    let (code, report, _) = replay(
        &server,
        &[
            "--no-retry",
            "--timeout",
            "5s",
            "fixtures/dayu/envelopes/03-accepted.json",
        ],
    );
    assert_eq!(code, 0, "Dayu takes any 2xx");
    assert_eq!(attempts(&report, 0)[0]["http_status"], 200);
    assert!(started.elapsed() < Duration::from_secs(3));
}
