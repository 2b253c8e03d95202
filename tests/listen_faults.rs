//! `listen` under connection abuse, on loopback: slow-loris clients that trickle a
//! request head, and a thousand connections at once. The receiver must keep answering
//! honest callbacks; every loop here is bounded.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

mod support;

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use support::listen::*;

/// Connections a test process may hold, leaving room for pipes and the runner.
fn connection_budget(want: usize) -> usize {
    let limit = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|l| {
            l.lines()
                .find(|l| l.starts_with("Max open files"))
                .and_then(|l| {
                    l.split_whitespace()
                        .nth(3)
                        .and_then(|n| n.parse::<usize>().ok())
                })
        })
        .unwrap_or(1024);
    want.min(limit.saturating_sub(100))
}

#[test]
fn slow_loris_clients_do_not_starve_honest_ones() {
    let mut l = listen(&["--read-timeout", "400ms", "--max-connections", "64"]);
    // 200 clients each send a few bytes of a head, then one more byte now and then.
    let mut loris: Vec<TcpStream> = (0..200)
        .filter_map(|_| TcpStream::connect(&l.addr).ok())
        .collect();
    for s in &mut loris {
        let _ = s.write_all(b"POST /callback HTTP/1.1\r\n");
    }
    let started = Instant::now();
    for round in 0..5 {
        for s in &mut loris {
            let _ = s.write_all(b"X");
        }
        let answer = post_with(&l.addr, &[], &autox3_body(), Duration::from_secs(15)).unwrap();
        assert_eq!(answer.status, 200, "round {round}: {}", answer.body);
        assert_eq!(l.record()["signature_valid"], true);
    }
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_thousand_connections_at_once_and_the_receiver_still_answers() {
    let mut l = listen(&["--read-timeout", "500ms"]);
    let n = connection_budget(1000);
    let idle: Vec<TcpStream> = (0..n)
        .filter_map(|_| TcpStream::connect(&l.addr).ok())
        .collect();
    assert!(
        idle.len() >= n * 9 / 10,
        "only {} of {n} connected",
        idle.len()
    );
    // Twenty honest deliveries in parallel, while every idle connection is still open.
    let addr = l.addr.clone();
    let workers: Vec<_> = (0..20)
        .map(|_| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                post_with(&addr, &[], &autox3_body(), Duration::from_secs(20)).map(|a| a.status)
            })
        })
        .collect();
    for w in workers {
        assert_eq!(w.join().unwrap().unwrap(), 200);
    }
    // One first delivery, nineteen duplicates: each answered, none lost.
    let records: Vec<_> = (0..20).map(|_| l.record()).collect();
    assert_eq!(
        records.iter().filter(|r| r["duplicate"] == false).count(),
        1
    );
    drop(idle);
}
