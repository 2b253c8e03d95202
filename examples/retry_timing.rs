//! Benchmark (not a test): how exactly replay keeps its retry schedule, measured where
//! it matters, at the receiver. A loopback receiver answers every request with 500 and
//! notes when each arrives; the real engine (reqwest transport, tokio clock) delivers
//! one message through the whole schedule. The gap between two arrivals is the wait
//! plus the failed attempt's round trip; the report shows how far each gap is from the
//! wait it should be.
//!
//! Run: `benches/retry_timing.sh` or
//! `cargo run --release --example retry_timing -- [TIME_SCALE] [RUNS] [SCHEDULE]` (defaults
//! 0.05, 3, the vendor's `2,4,8,16,32,64`). The last line, `p99_abs_late_ms X`, is what
//! `benches/compare.sh` reads.

use std::error::Error;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cbtool::replay::engine::{Engine, Settings, Silent, TokioClock};
use cbtool::replay::transport::{parse_url, HttpOptions, HttpTransport};
use cbtool::replay::{Ack, Outgoing, Recorder, Schedule};

/// The share of waits whose error is within the reported bound.
const PERCENTILE: f64 = 0.99;

type Arrivals = Arc<Mutex<Vec<Instant>>>;

/// A receiver that notes each request's arrival and answers 500.
fn receiver() -> Result<(String, Arrivals), Box<dyn Error>> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}/callback", listener.local_addr()?);
    let arrivals: Arrivals = Arc::default();
    let seen = arrivals.clone();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buf = [0u8; 65536];
            // One read holds this small request whole on loopback.
            if stream.read(&mut buf).unwrap_or(0) > 0 {
                seen.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(Instant::now());
            }
            let _ = stream
                .write_all(b"HTTP/1.1 500 X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    Ok((url, arrivals))
}

fn run_once(schedule: &Schedule, scale: f64) -> Result<Vec<(Duration, Duration)>, Box<dyn Error>> {
    let (url, arrivals) = receiver()?;
    let transport = HttpTransport::new(&HttpOptions {
        url: parse_url(&url)?,
        headers: Vec::new(),
        timeout: Duration::from_secs(5),
        cacert: None,
        insecure: false,
        keep_alive: false,
    })?;
    let settings = Settings {
        schedule: schedule.scaled(scale)?,
        concurrency: 1,
        duplicates: 0,
    };
    let message = Outgoing {
        source: "bench".into(),
        vendor: "autox3",
        id: None,
        lane: None,
        headers: Vec::new(),
        body: br#"{"msgId":"bench"}"#.to_vec(),
        ack: Ack::HTTP_2XX,
    };
    let messages = [message];
    let recorder = Recorder::new(&messages);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let clock = TokioClock::new();
    let engine = Engine {
        transport: &transport,
        clock: &clock,
        observer: &Silent,
        settings: &settings,
    };
    runtime.block_on(engine.run(&messages, &recorder));
    let times = arrivals.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let gaps = times.windows(2).map(|w| w[1] - w[0]);
    Ok(settings
        .schedule
        .waits()
        .iter()
        .copied()
        .zip(gaps)
        .collect())
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let scale: f64 = args.next().map_or(Ok(0.05), |a| a.parse())?;
    let runs: usize = args.next().map_or(Ok(3), |a| a.parse())?;
    let schedule = match args.next() {
        Some(text) => Schedule::parse(&text)?,
        None => Schedule::default(),
    };
    println!(
        "schedule {}, time scale {scale}, {runs} run(s); gap = arrival-to-arrival at the receiver",
        schedule.describe()
    );
    println!(
        "{:>5} {:>10} {:>10} {:>9}",
        "run", "wait ms", "gap ms", "late ms"
    );
    let mut lates = Vec::new();
    for run in 1..=runs {
        for (wait, gap) in run_once(&schedule, scale)? {
            let late = gap.as_secs_f64() * 1000.0 - wait.as_secs_f64() * 1000.0;
            lates.push(late);
            println!(
                "{run:>5} {:>10.1} {:>10.1} {late:>9.2}",
                wait.as_secs_f64() * 1000.0,
                gap.as_secs_f64() * 1000.0
            );
        }
    }
    lates.sort_by(f64::total_cmp);
    let mean = lates.iter().sum::<f64>() / lates.len().max(1) as f64;
    let median = lates.get(lates.len() / 2).copied().unwrap_or(0.0);
    let (min, max) = (
        lates.first().copied().unwrap_or(0.0),
        lates.last().copied().unwrap_or(0.0),
    );
    println!(
        "late (gap - wait), ms: min {min:.2}  median {median:.2}  mean {mean:.2}  max {max:.2}"
    );
    println!("p99_abs_late_ms {:.2}", percentile_abs(&lates, PERCENTILE));
    Ok(())
}

/// The `p` quantile (nearest rank) of the absolute errors.
fn percentile_abs(lates: &[f64], p: f64) -> f64 {
    let mut abs: Vec<f64> = lates.iter().map(|l| l.abs()).collect();
    abs.sort_by(f64::total_cmp);
    let rank = ((p * abs.len() as f64).ceil() as usize).clamp(1, abs.len().max(1));
    abs.get(rank - 1).copied().unwrap_or(0.0)
}
