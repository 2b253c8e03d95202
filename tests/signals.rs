//! Stops and outputs as a CI runner sees them: SIGTERM (a cancelled job, `timeout(1)`)
//! during `replay` leaves the whole `--report` and `--junit` with every unfinished
//! message and exits 143; an output that cannot be written is refused before anything
//! is sent; a report file is replaced whole; `demo` stops with its summary too.
#![cfg(unix)]
// Helpers here are test code too: a failed set-up should stop the test loudly.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::*;

const DAYU: &str = "fixtures/dayu/envelopes/01-created.json";

fn spawn_replay(server: &Server, report: &Path, junit: &Path) -> Child {
    cbtool(["replay", "--concurrency", "1", "--url", &server.url()])
        .command()
        .arg("--report")
        .arg(report)
        .arg("--junit")
        .arg(junit)
        .args([COMPACT, DAYU])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn wait_for_hits(server: &Server, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.requests().len() < n {
        assert!(Instant::now() < deadline, "the receiver saw no request");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn kill(signal: &str, child: &Child) {
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// A replay of two messages to `server`, sent `signal` once the first request
/// arrived: its output, the JSON report, the JUnit report, and what the directory holds.
fn replay_stopped_by(
    server: &Server,
    signal: &str,
) -> (std::process::Output, Value, String, usize) {
    let dir = tempfile::tempdir().unwrap();
    let (report_path, junit_path) = (dir.path().join("r.json"), dir.path().join("j.xml"));
    let child = spawn_replay(server, &report_path, &junit_path);
    wait_for_hits(server, 1);
    kill(signal, &child);
    let out = child.wait_with_output().unwrap();
    let report = serde_json::from_slice(&std::fs::read(&report_path).unwrap()).unwrap();
    let junit = std::fs::read_to_string(&junit_path).unwrap();
    let files = std::fs::read_dir(dir.path()).unwrap().count();
    (out, report, junit, files)
}

#[test]
fn sigterm_during_replay_writes_both_reports_and_exits_143() {
    // Every attempt hangs: the first message is in flight when the signal comes.
    let server = Server::new(|_, _| Action::Hang(Duration::from_secs(30)));
    let (out, report, junit, files) = replay_stopped_by(&server, "-TERM");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(143), "{err}");
    assert!(err.contains("interrupted (SIGTERM)"), "{err}");
    assert_eq!(report["summary"]["interrupted"], true);
    assert_eq!(report["summary"]["messages"], 2);
    assert_eq!(report["summary"]["unfinished"], 2);
    assert_eq!(report["messages"][0]["state"], "in_progress");
    assert_eq!(report["messages"][1]["state"], "not_sent");
    assert!(junit.trim_end().ends_with("</testsuites>"), "{junit}");
    assert_eq!(junit.matches("<testcase").count(), 2, "{junit}");
    // The hanging attempt never finished: it is abandoned, not counted.
    assert!(junit.contains("interrupted after 0 attempt(s)"), "{junit}");
    assert!(
        junit.contains("not sent: the run was interrupted first"),
        "{junit}"
    );
    // Nothing but the two reports is left in the directory (no temporary file).
    assert_eq!(files, 2);
}

#[test]
fn sighup_stops_replay_too_and_exits_129() {
    // The first attempt fails; replay then waits 2 s for the retry.
    let server = Server::new(|_, _| Action::status(500, "down"));
    let (out, report, junit, _) = replay_stopped_by(&server, "-HUP");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(129), "{err}");
    assert_eq!(report["summary"]["unfinished"], 2);
    assert!(junit.contains("interrupted after 1 attempt(s)"), "{junit}");
}

#[test]
fn an_unwritable_report_is_refused_before_anything_is_sent() {
    let server = Server::new(|_, _| Action::ok()).hits(0);
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing/r.json");
    let good = dir.path().join("j.xml");
    for (flag, path, other) in [
        ("--report", &missing, "--junit"),
        ("--junit", &missing, "--report"),
    ] {
        let (path, good) = (path.to_str().unwrap(), good.to_str().unwrap());
        let out = cbtool([
            "replay",
            "--url",
            &server.url(),
            flag,
            path,
            other,
            good,
            COMPACT,
        ])
        .run();
        let err = &out.stderr;
        assert_eq!(out.code, 2, "{err}");
        assert!(
            err.starts_with("error: ") && err.contains("missing/r.json: cannot write the"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    assert_eq!(server.requests().len(), 0, "a request was sent");
    assert!(!good.exists(), "the other report was written");
}

#[test]
fn a_report_is_replaced_whole_and_never_left_half_written() {
    let server = Server::new(|_, _| Action::ok());
    let dir = tempfile::tempdir().unwrap();
    let report_path = dir.path().join("r.json");
    // The previous run's report stays as it is until the new one is complete.
    std::fs::write(&report_path, r#"{"previous": true}"#).unwrap();
    let report = report_path.to_str().unwrap();
    cbtool([
        "replay",
        "--url",
        &server.url(),
        "--report",
        report,
        COMPACT,
    ])
    .run()
    .success();
    let report: Value = serde_json::from_slice(&std::fs::read(&report_path).unwrap()).unwrap();
    assert_eq!(report["summary"]["delivered"], 1);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // A kill before the end leaves the previous report whole, not truncated.
    let hang = Server::new(|_, _| Action::Hang(Duration::from_secs(30)));
    let child = spawn_replay(&hang, &report_path, &dir.path().join("j.xml"));
    wait_for_hits(&hang, 1);
    kill("-KILL", &child);
    let _ = child.wait_with_output().unwrap();
    let again: Value = serde_json::from_slice(&std::fs::read(&report_path).unwrap()).unwrap();
    assert_eq!(again, report);
}

#[test]
fn sigterm_during_demo_prints_the_summary_and_exits_143() {
    use std::io::{BufRead, BufReader, Read};
    // At the vendor's real pace the first retry waits 2 s: the signal comes first.
    let mut child = cbtool(["demo", "--bits", "512", "--time-scale", "1"])
        .command()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    while !seen.contains("demo: replaying") {
        assert!(err.read_line(&mut seen).unwrap() > 0, "{seen}");
    }
    kill("-TERM", &child);
    err.read_to_string(&mut seen).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(143), "{seen}");
    assert!(seen.contains("demo: interrupted (SIGTERM)"), "{seen}");
    // The summary: every message, the unfinished ones counted.
    assert!(seen.contains("unfinished)"), "{seen}");
    assert!(seen.contains("NOT SENT"), "{seen}");
}
