//! End-to-end tests of `cbtool listen` operations: fault injection, the id store across
//! a kill, time-outs, connection limits, stop conditions and address safety.

// A test that cannot unwrap has failed: panicking is the report.
#![allow(clippy::unwrap_used)]

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::listen::*;
use support::{cbtool, SECRET_FILE};

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
fn a_full_store_forgets_its_oldest_id_first_and_counts_it() {
    let mut l = listen(&["--store-limit", "1", "--max-requests", "4"]);
    let (body, sign) = dayu_event();
    let mut duplicate = |headers: &[(&str, &str)], body: &[u8]| {
        assert_eq!(post(&l.addr, headers, body).status, 200);
        l.record()["duplicate"].clone()
    };
    assert_eq!(duplicate(&[], &autox3_body()), false);
    // Within the bound a re-delivery is still a duplicate.
    assert_eq!(duplicate(&[], &autox3_body()), true);
    // A second id fills the one place: the AutoX3 id is forgotten, and processed again.
    assert_eq!(duplicate(&[("Dayu-Sign", &sign)], &body), false);
    assert_eq!(duplicate(&[], &autox3_body()), false);
    let (code, out, err) = l.finish();
    assert_eq!(code, 0, "{err}");
    let store: Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    assert_eq!(
        store,
        serde_json::json!({"event": "store", "limit": 1, "forgotten_ids": 2})
    );
    assert!(
        err.contains("(--store-limit 1): it forgot its 2 oldest ids"),
        "{err}"
    );
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
fn ctrl_c_sigterm_or_sighup_stops_cleanly_with_a_one_line_summary() {
    for (signal, reason, exit) in [
        ("-INT", "interrupted", 130),
        ("-TERM", "terminated", 143),
        ("-HUP", "hung up", 129),
    ] {
        let l = listen(&[]);
        assert_eq!(post(&l.addr, &[], &autox3_body()).status, 200);
        let status = Command::new("kill")
            .args([signal, &l.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let (code, _, err) = l.finish();
        assert_eq!(code, exit, "{err}");
        let summary: Vec<&str> = err
            .lines()
            .filter(|l| l.starts_with("listen: stopped"))
            .collect();
        let expected = format!(
            "listen: stopped ({reason}): 1 requests, 1 processed, 0 duplicates, 0 rejected, 0 faults"
        );
        assert_eq!(summary, [expected]);
    }
}

#[test]
fn a_non_loopback_address_needs_allow_remote() {
    let out = cbtool([
        "listen",
        "--addr",
        "0.0.0.0:0",
        "--secret-file",
        SECRET_FILE,
    ])
    .run();
    out.code(2);
    let err = &out.stderr;
    assert!(
        err.starts_with("error: --addr 0.0.0.0:0: not a loopback address"),
        "{err}"
    );
    assert!(err.contains("--allow-remote"), "{err}");
    cbtool(["listen", "--addr", "127.0.0.1:0"])
        .run()
        .code(2)
        .stderr_contains("listen cannot check any callback");
}

#[test]
fn the_connection_limit_makes_extra_connections_wait() {
    let mut l = listen(&["--max-connections", "1"]);
    let mut holder = TcpStream::connect(&l.addr).unwrap();
    holder.write_all(b"POST / HTTP/1.1\r\nHost: x\r\n").unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let addr = l.addr.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(post(&addr, &[], &autox3_body()).status));
    assert!(
        rx.recv_timeout(Duration::from_millis(400)).is_err(),
        "a second connection was served while the only slot was taken"
    );
    drop(holder);
    assert_eq!(rx.recv_timeout(Duration::from_secs(5)).unwrap(), 200);
    assert_eq!(l.record()["acked"], true);
}

#[test]
fn allow_remote_binds_with_a_warning() {
    let out = cbtool([
        "listen",
        "--addr",
        "0.0.0.0:0",
        "--allow-remote",
        "--exit-after",
        "100ms",
        "--secret-file",
        SECRET_FILE,
    ])
    .run();
    let err = &out.stderr;
    out.success();
    assert!(
        err.contains("warning: listening on 0.0.0.0:0, reachable from other machines"),
        "{err}"
    );
    assert!(
        err.contains("listen: stopped (--exit-after reached): 0 requests"),
        "{err}"
    );
}

#[test]
fn a_port_in_use_is_a_one_line_error() {
    let l = listen(&[]);
    let out = cbtool(["listen", "--addr", &l.addr, "--secret-file", SECRET_FILE]).run();
    out.code(2);
    let err = &out.stderr;
    let last = err.lines().last().unwrap();
    assert!(
        last.starts_with(&format!("error: cannot listen on {}:", l.addr)),
        "{err}"
    );
    assert!(
        last.ends_with("; stop the other receiver, or pass --addr 127.0.0.1:0 for a free port"),
        "{err}"
    );
}

/// `listen` with `extra` flags and a secret, run to its end; (exit code, stderr).
fn listen_once(extra: &[&str]) -> (Option<i32>, String) {
    let mut args = vec!["listen"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--secret-file", SECRET_FILE]);
    let out = cbtool(args).run();
    (Some(out.code), out.stderr)
}

#[test]
fn a_host_name_that_resolves_to_loopback_is_accepted() {
    let (code, err) = listen_once(&["--addr", "localhost:0", "--exit-after", "100ms"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("listening on http://127.0.0.1:"), "{err}");
    assert!(!err.contains("reachable from other machines"), "{err}");
    for (addr, says) in [
        ("localhost", "`localhost` has no port"),
        ("nosuch.invalid:8080", "cannot resolve `nosuch.invalid`"),
    ] {
        let (code, err) = listen_once(&["--addr", addr]);
        assert_eq!(code, Some(2), "{err}");
        assert!(err.starts_with("error: ") && err.contains(says), "{err}");
        assert!(err.contains("localhost:8080"), "{err}");
    }
}

#[test]
fn every_duration_flag_takes_bare_seconds_and_units_like_replay() {
    let started = Instant::now();
    let (code, err) = listen_once(&[
        "--addr",
        "127.0.0.1:0",
        "--delay",
        "0",
        "--read-timeout",
        "2",
        "--fail-hold",
        "1.5",
        "--exit-after",
        "0.2",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("(--exit-after reached)"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    for flag in ["--delay", "--exit-after", "--read-timeout", "--fail-hold"] {
        let (code, err) = listen_once(&[flag, "5x"]);
        assert_eq!(code, Some(2), "{flag}: {err}");
        assert!(
            err.contains("`5x` is not a duration") && err.contains("(`500ms`, `2s`, `1m`)"),
            "{flag}: {err}"
        );
        assert!(!err.contains("5sec"), "{flag}: {err}");
    }
}

/// Faults and refusals answer in the form of the vendor whose sender reads them: Dayu's
/// `{"ok":…}` (README, "listen": the Dayu column), never AutoX3's `errorInfo` shape.
#[test]
fn a_dayu_sender_gets_dayu_shaped_faults_and_refusals() {
    let (body, sign) = dayu_event();
    let header = [("Dayu-Sign", sign.as_str())];
    let mut l = listen(&["--fail-first", "1", "--fail-mode", "badjson"]);
    let cut = post(&l.addr, &header, &body);
    // Dayu's acknowledgement `{"ok":true}` cut short: 200, and not JSON.
    assert_eq!((cut.status, cut.body.as_str()), (200, r#"{"ok":true"#));
    assert_eq!(l.record()["fault"], "badjson");
    let mut l = listen(&["--fail-first", "1", "--fail-mode", "http500"]);
    let failed = post(&l.addr, &header, &body);
    assert_eq!(
        (failed.status, failed.body.as_str()),
        (500, r#"{"ok":false,"error":"injected fault (http500)"}"#)
    );
    assert_eq!(l.record()["fault"], "http500");
    // `--vendor dayu` says whose sender it is, even for a body that is not JSON.
    let mut l = listen(&["--vendor", "dayu"]);
    let garbage = post(&l.addr, &[], b"not json");
    assert_eq!(garbage.status, 400);
    let answer: Value = serde_json::from_str(&garbage.body).unwrap();
    assert_eq!(answer["ok"], false, "{}", garbage.body);
    assert!(answer["error"]
        .as_str()
        .unwrap()
        .starts_with("the body is not JSON"));
    assert_eq!(l.record()["acked"], false);
    // Without --vendor, a body that is not JSON has no vendor: the documented generic shape.
    let mut l = listen(&[]);
    let garbage = post(&l.addr, &[], b"not json");
    let answer: Value = serde_json::from_str(&garbage.body).unwrap();
    assert_eq!((garbage.status, answer["status"].clone()), (400, 1.into()));
    assert_eq!(l.record()["vendor"], Value::Null);
}
