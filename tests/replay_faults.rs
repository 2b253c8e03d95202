//! `replay` against receivers that misbehave in ways tests/replay.rs does not script:
//! a body that stalls halfway, a connection closed without an answer, a slow but timely
//! answer, an oversized finite body. None may hang past `--timeout`, and every message
//! is accounted for in the report.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

mod support;

use std::time::{Duration, Instant};

use support::replay::*;
use support::*;

#[test]
fn a_body_that_stalls_halfway_times_out_and_is_retried() {
    let server = Server::script(vec![
        Action::StallMidBody(Duration::from_secs(3)),
        Action::ok(),
    ]);
    let started = Instant::now();
    let (code, report, err) = replay(
        &server,
        &["--timeout", "300ms", "--schedule", "10ms", COMPACT],
    );
    assert_eq!(code, 0, "{err}");
    let e = errors(&report, 0);
    assert!(e[0].contains("time-out") || e[0].contains("body"), "{e:?}");
    assert_eq!(e[1], "");
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_connection_closed_without_an_answer_is_a_failed_attempt() {
    let server = Server::script(vec![Action::Close, Action::Close]);
    let (code, report, err) = replay(&server, &["--timeout", "2s", "--schedule", "10ms", COMPACT]);
    assert_eq!(code, 1, "{err}");
    let e = errors(&report, 0);
    assert_eq!(e.len(), 2, "{e:?}");
    assert!(e.iter().all(|e| !e.is_empty()), "{e:?}");
    assert_eq!(report["summary"]["delivered"], 0);
}

#[test]
fn a_slow_answer_within_the_timeout_is_delivered() {
    let server = Server::script(vec![Action::Slow(Duration::from_millis(300))]);
    let (code, report, err) = replay(&server, &["--timeout", "3s", "--no-retry", COMPACT]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(report["summary"]["delivered"], 1);
    assert!(attempts(&report, 0)[0]["elapsed_ms"].as_u64().unwrap() >= 300);
}

#[test]
fn an_oversized_finite_body_is_cut_and_the_attempt_judged() {
    let huge = format!(
        "{{\"status\":0,\"pad\":\"{}\"}}",
        "x".repeat(8 * 1024 * 1024)
    );
    let server = Server::script(vec![Action::status(200, &huge)]);
    let started = Instant::now();
    let (code, report, err) = replay(&server, &["--timeout", "5s", "--no-retry", COMPACT]);
    // Cut at the cap, the body is no longer JSON: AutoX3's acknowledgement fails.
    assert_eq!(code, 1, "{err}");
    assert_eq!(attempts(&report, 0)[0]["http_status"], 200);
    assert!(started.elapsed() < Duration::from_secs(4));
}

/// Checks one attempt's error against the fault the server scripted for it.
fn assert_met(fault: usize, error: &str) {
    let met = match fault {
        0 => !error.is_empty(),
        1 => error.contains("reset") || error.contains("closed"),
        2 => error.contains("time-out") || error.contains("body"),
        3 => error.starts_with("time-out"),
        _ => error.is_empty(),
    };
    assert!(met, "fault {fault} gave {error:?}");
}

#[test]
fn every_message_is_accounted_for_whatever_each_attempt_meets() {
    // Request n meets fault n % 5: close, reset, a stalled body, a hang, then an answer.
    // With one message at a time and three attempts each, the six messages alternate:
    // even ones meet close, reset, stall and fail; odd ones meet a hang, then the answer.
    let server = Server::new(|n, _| match n % 5 {
        0 => Action::Close,
        1 => Action::Reset,
        2 => Action::StallMidBody(Duration::from_secs(2)),
        3 => Action::Hang(Duration::from_secs(2)),
        _ => Action::ok(),
    })
    .hits(15);
    let started = Instant::now();
    let (code, report, err) = replay(
        &server,
        &[
            "--timeout",
            "250ms",
            "--schedule",
            "10ms,10ms",
            "--concurrency",
            "1",
            "fixtures/autox3/stream.jsonl",
        ],
    );
    assert_eq!(code, 1, "three messages fail: {err}");
    let lines = std::fs::read_to_string("fixtures/autox3/stream.jsonl").unwrap();
    let count = lines.lines().filter(|l| !l.trim().is_empty()).count();
    assert_eq!(count, 6);
    assert_eq!(
        report["summary"],
        serde_json::json!({"messages": 6, "delivered": 3, "failed": 3, "unfinished": 0, "interrupted": false}),
        "{err}"
    );
    let messages = report["messages"].as_array().unwrap();
    assert_eq!(messages.len(), count);
    let mut request = 0;
    for (i, message) in messages.iter().enumerate() {
        assert_eq!(
            message["source"],
            format!("fixtures/autox3/stream.jsonl:{}", i + 1)
        );
        let e = errors(&report, i);
        assert_eq!(
            e.len(),
            if i % 2 == 0 { 3 } else { 2 },
            "message {i}: {e:?}"
        );
        for error in &e {
            assert_met(request % 5, error);
            request += 1;
        }
    }
    assert_eq!(request, 15);
    assert!(
        err.contains("6 message(s): 3 delivered, 3 not acknowledged"),
        "{err}"
    );
    // Three attempts at most per message, each bounded by --timeout (plus slack).
    assert!(started.elapsed() < Duration::from_secs(3 * count as u64 + 5));
}

/// The test server itself: a scripted request that never comes fails the test.
#[test]
#[should_panic(expected = "expected 1 request(s), got 0")]
fn the_test_server_fails_a_test_whose_request_never_came() {
    let _server = Server::script(vec![Action::ok()]);
}

/// The test server itself: a handler that panics fails the test, even though cbtool
/// only saw a 500 (which a test expecting a failure could take for its own).
#[test]
#[should_panic(expected = "the handler panicked on request 1: boom")]
fn the_test_server_fails_a_test_whose_handler_panicked() {
    let server = Server::new(|_, _| panic!("boom"));
    let (code, _, err) = replay(&server, &["--no-retry", COMPACT]);
    assert_eq!(code, 1, "{err}");
}
