//! `listen --json` with a stalled stdout (a pipe nobody reads) under a bounded flood:
//! the receiver holds its answers back instead of queueing records without limit, so
//! its memory stays bounded, and once the consumer reads again every callback that was
//! acknowledged is in the log.
#![cfg(target_os = "linux")]
// A test that cannot unwrap has failed: panicking is the report.
#![allow(clippy::unwrap_used)]

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::Value;
use support::listen::{autox3_body, listen, Listener};

/// Client connections, and requests each sends on its keep-alive connection.
const CLIENTS: usize = 4;
const PER_CLIENT: usize = 5_000;

/// Every record carries its request path; a long one makes an unbounded queue show: the
/// flood would hold `CLIENTS * PER_CLIENT` records of over 4 KiB each, about 85 MB.
const PATH_LEN: usize = 4096;

/// The bound: the receiver's resident memory while its stdout is stalled. A debug
/// build starts at about 10 MB; the log queue (1024 records) adds about 5 MB.
const RSS_BOUND_KB: u64 = 48 * 1024;

fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Whether a SIGTERM (signal 15, bit 14 of the mask) waits to be delivered to `pid`.
fn sigterm_pending(pid: u32) -> bool {
    let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
        return false;
    };
    status
        .lines()
        .filter_map(|l| {
            l.strip_prefix("ShdPnd:")
                .or_else(|| l.strip_prefix("SigPnd:"))
        })
        .filter_map(|mask| u64::from_str_radix(mask.trim(), 16).ok())
        .any(|mask| mask & (1 << 14) != 0)
}

/// A keep-alive connection without Nagle's delay: its reading and writing halves.
fn connect(addr: &str) -> (BufReader<TcpStream>, TcpStream) {
    let stream = TcpStream::connect(addr).unwrap();
    stream.set_nodelay(true).unwrap();
    (BufReader::new(stream.try_clone().unwrap()), stream)
}

/// A whole POST of `body` to `path`, to be sent in one write.
fn post(addr: &str, path: &str, body: &[u8]) -> Vec<u8> {
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    request
}

/// Sends `PER_CLIENT` requests on one connection; counts the acknowledged answers.
/// Stops early when the receiver goes away (the second-signal test).
fn flood(addr: String, body: Arc<Vec<u8>>, acked: Arc<AtomicUsize>) {
    let path = format!("/cb/{}", "x".repeat(PATH_LEN));
    let (mut reader, mut writer) = connect(&addr);
    let request = post(&addr, &path, &body);
    for _ in 0..PER_CLIENT {
        // One write a request: a head and a body in two small writes would wait for
        // the delayed ACK (Nagle), 40 ms a request.
        if writer.write_all(&request).is_err() {
            return;
        }
        let Some((status, answer)) = read_answer(&mut reader) else {
            return;
        };
        if status == 200 && answer.contains("\"status\":0") {
            acked.fetch_add(1, Ordering::SeqCst);
        }
    }
}

fn read_answer(reader: &mut BufReader<TcpStream>) -> Option<(u16, String)> {
    let mut status = 0;
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(code) = line.strip_prefix("HTTP/1.1 ") {
            status = code[..3].parse().unwrap();
        } else if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap();
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((status, String::from_utf8_lossy(&body).into_owned()))
}

/// Starts the flood and samples the receiver's memory until the flood is answered or
/// stops making progress (its log is full); the clients, the count and the peak kB.
fn flood_until_stalled(l: &Listener, total: usize) -> (Vec<JoinHandle<()>>, Arc<AtomicUsize>, u64) {
    let body = Arc::new(autox3_body());
    let acked = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (addr, body, acked) = (l.addr.clone(), Arc::clone(&body), Arc::clone(&acked));
            std::thread::spawn(move || flood(addr, body, acked))
        })
        .collect();
    let (mut peak, mut last, mut still) = (0, 0, 0);
    while still < 100 && acked.load(Ordering::SeqCst) < total {
        std::thread::sleep(Duration::from_millis(20));
        peak = peak.max(rss_kb(l.child.id()).expect("the receiver is running"));
        let now = acked.load(Ordering::SeqCst);
        still = if now == last { still + 1 } else { 0 };
        last = now;
    }
    (clients, acked, peak)
}

#[test]
fn a_stalled_log_holds_answers_back_and_loses_no_acknowledged_callback() {
    let total = CLIENTS * PER_CLIENT;
    let max = total.to_string();
    // The first stdout line (the bound address) is read; then nobody reads stdout.
    let mut l = listen(&["--max-requests", &max, "--max-connections", "8"]);
    let (clients, acked, peak) = flood_until_stalled(&l, total);
    let acked_while_stalled = acked.load(Ordering::SeqCst);
    eprintln!(
        "stalled: {acked_while_stalled} of {total} acknowledged, peak VmRSS {peak} kB (bound {RSS_BOUND_KB} kB)"
    );
    assert!(
        acked_while_stalled < total,
        "the whole flood was answered while nobody read the log"
    );
    assert!(
        peak < RSS_BOUND_KB,
        "VmRSS {peak} kB over {RSS_BOUND_KB} kB"
    );
    // The consumer resumes: every answer comes, and the log has every acknowledged one.
    let mut out = String::new();
    let reader = std::thread::scope(|s| {
        let reader = s.spawn(|| l.stdout.read_to_string(&mut out));
        for client in clients {
            client.join().unwrap();
        }
        reader.join().unwrap()
    });
    reader.unwrap();
    let logged_acked = out
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter(|v| v["event"] == "request" && v["acked"] == true)
        .count();
    assert_eq!(acked.load(Ordering::SeqCst), total);
    assert_eq!(
        logged_acked, total,
        "acknowledged callbacks missing from the log"
    );
    let (code, _, err) = l.finish();
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_second_signal_ends_listen_at_once_even_with_its_stdout_stalled() {
    let total = CLIENTS * PER_CLIENT;
    let l = listen(&["--max-connections", "8"]);
    let (_clients, acked, _) = flood_until_stalled(&l, total);
    assert!(acked.load(Ordering::SeqCst) < total);
    // The first SIGTERM cannot finish: the summary waits on the stalled stdout. The
    // second ends the process (without it, `finish` fails: "listen did not stop").
    // Two signals sent before the first is delivered would merge into one, so the
    // second waits until the first has left the pending set, and a moment more: tokio
    // also merges a signal its watcher thread has not read yet, and on a busy machine
    // that thread can wait its turn for milliseconds (a person's second Ctrl-C comes
    // far later).
    for _ in 0..2 {
        let status = std::process::Command::new("kill")
            .args(["-TERM", &l.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        while sigterm_pending(l.child.id()) {
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    let (code, _, _) = l.finish();
    assert_eq!(code, 143);
}

/// Sends `n` requests on one new connection; how many were acknowledged.
fn send_on_new_connection(addr: &str, body: &[u8], n: usize) -> usize {
    let (mut reader, mut writer) = connect(addr);
    writer
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let request = post(addr, "/cb", body);
    let mut acked = 0;
    for _ in 0..n {
        writer.write_all(&request).unwrap();
        match read_answer(&mut reader) {
            Some((200, answer)) if answer.contains("\"status\":0") => acked += 1,
            _ => break,
        }
    }
    acked
}

#[test]
fn a_stalled_log_does_not_stop_new_connections_while_the_queue_has_room() {
    // Nobody reads stdout: a few hundred JSON lines fill the pipe and the thread that
    // writes the log waits; the queue (1024 records) still has room, so callbacks on a
    // connection opened after that are answered.
    let l = listen(&["--max-connections", "8"]);
    let body = autox3_body();
    assert_eq!(send_on_new_connection(&l.addr, &body, 400), 400);
    assert_eq!(send_on_new_connection(&l.addr, &body, 5), 5);
}
