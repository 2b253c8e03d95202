//! A stable-toolchain fuzz harness (see fuzz/README.md for why not cargo-fuzz or AFL):
//! mutates a committed seed corpus with a seeded PRNG, runs each target under
//! `catch_unwind`, and saves every input that panics to `fuzz/crashes/`.
//!
//! cargo run --example fuzz -- run TARGET SECONDS [SEED]
//! cargo run --example fuzz -- replay TARGET FILE

#![allow(clippy::unwrap_used, clippy::expect_used)] // a harness: a panic is its report

#[path = "../fuzz/targets.rs"]
mod targets;

use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Inputs grow by insertion and repetition; beyond this they only slow the loop down.
const MAX_LEN: usize = 64 * 1024;
const MAX_CORPUS: usize = 4096;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["run", target, secs, rest @ ..] => {
            let seed = rest.first().map(|s| s.parse().expect("SEED is a number"));
            let secs: u64 = secs.parse().expect("SECONDS is a number");
            let found = fuzz(&dir, target, Duration::from_secs(secs), seed.unwrap_or(1));
            std::process::exit(i32::from(found > 0));
        }
        ["replay", target, file] => {
            let data = std::fs::read(file).expect("readable input");
            println!("{:?}", targets::run(target, &data).expect("known target"));
        }
        _ => {
            eprintln!("usage: fuzz run TARGET SECONDS [SEED] | fuzz replay TARGET FILE");
            eprintln!("targets: {}", targets::TARGETS.join(", "));
            std::process::exit(2);
        }
    }
}

fn load_corpus(dir: &Path) -> Vec<Vec<u8>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

/// Runs one target for `budget`; returns the number of distinct crashes.
fn fuzz(dir: &Path, target: &str, budget: Duration, seed: u64) -> usize {
    assert!(
        targets::TARGETS.contains(&target),
        "unknown target {target}"
    );
    let mut corpus = load_corpus(&dir.join("corpus").join(target));
    let seeds = corpus.len();
    if corpus.is_empty() {
        corpus.push(Vec::new());
    }
    let last_panic = Arc::new(Mutex::new(String::new()));
    let hook_panic = Arc::clone(&last_panic);
    std::panic::set_hook(Box::new(move |info| {
        let at = info.location().map(|l| l.to_string()).unwrap_or_default();
        *hook_panic.lock().unwrap() = format!("{at}: {info}");
    }));
    let mut rng = StdRng::seed_from_u64(seed);
    let mut seen: HashSet<String> = HashSet::new();
    let mut crashes: HashMap<String, usize> = HashMap::new();
    let (start, mut execs, mut slowest) = (Instant::now(), 0u64, (Duration::ZERO, 0usize));
    while start.elapsed() < budget {
        let input = next_input(&mut rng, &corpus);
        let t = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| targets::run(target, &input)));
        let took = t.elapsed();
        if took > slowest.0 {
            slowest = (took, input.len());
            // Kept for a look: a slow input is how a hang starts.
            let _ = std::fs::create_dir_all(dir.join("slow"));
            let _ = std::fs::write(dir.join("slow").join(format!("{target}.bin")), &input);
        }
        execs += 1;
        match result {
            Ok(Some(class)) => {
                if seen.insert(class) && corpus.len() < MAX_CORPUS {
                    corpus.push(input);
                }
            }
            Ok(None) => unreachable!(),
            Err(_) => {
                let why = last_panic.lock().unwrap().clone();
                let place = why.split(": ").next().unwrap_or("").to_string();
                let n = crashes.entry(place).or_insert(0);
                if *n == 0 {
                    save_crash(dir, target, &input, &why);
                }
                *n += 1;
            }
        }
    }
    println!(
        "{target}: {execs} executions in {:.0?} ({:.0}/s), {seeds} seeds, {} outcome classes kept, corpus {}, slowest {:.1?} ({} bytes), {} distinct crash sites ({} crashing inputs)",
        start.elapsed(),
        execs as f64 / start.elapsed().as_secs_f64(),
        seen.len(),
        corpus.len(),
        slowest.0,
        slowest.1,
        crashes.len(),
        crashes.values().sum::<usize>(),
    );
    crashes.len()
}

fn save_crash(dir: &Path, target: &str, input: &[u8], why: &str) {
    let crashes = dir.join("crashes");
    std::fs::create_dir_all(&crashes).expect("fuzz/crashes is writable");
    let hash: u64 = input.iter().fold(0xcbf29ce484222325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    });
    let path = crashes.join(format!("{target}-{hash:016x}.bin"));
    std::fs::write(&path, input).expect("crash input saved");
    println!("CRASH {target}: {why}\n  saved {}", path.display());
}

/// A corpus entry (or, now and then, random bytes) with one to four mutations.
fn next_input(rng: &mut StdRng, corpus: &[Vec<u8>]) -> Vec<u8> {
    if rng.gen_ratio(1, 20) {
        let len = rng.gen_range(0..256);
        return (0..len).map(|_| rng.gen()).collect();
    }
    let mut data = corpus[rng.gen_range(0..corpus.len())].clone();
    for _ in 0..rng.gen_range(1..=4) {
        mutate(rng, &mut data, corpus);
    }
    data.truncate(MAX_LEN);
    data
}

/// Bytes that matter to JSON, PEM, HTTP and durations: mutations favour them.
const INTERESTING: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b":",
    b",",
    b"\\",
    b"\\u",
    b"\\ud800",
    b"null",
    b"-0",
    b"1e400",
    b"18446744073709551616",
    b"-----BEGIN ",
    b"-----END ",
    b"\r\n",
    b"\r\n\r\n",
    b"Content-Length: ",
    b"Transfer-Encoding: chunked",
    b"\0",
    b"\xef\xbb\xbf",
    b"\xff",
    b"ms",
    b"h",
    b"s",
    b"m",
    b"d",
    b"y",
    b"99999999999",
    b"0.",
    b"\xe8\xbd\xa6",
    b"=",
    b"/",
];

const NUMBERS: &[&[u8]] = &[b"0", b"-1", b"4294967296", b"1e-400", b"9.999e999"];

fn mutate(rng: &mut StdRng, data: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    let len = data.len();
    match rng.gen_range(0..8) {
        0 if len > 0 => {
            let i = rng.gen_range(0..len);
            data[i] ^= 1 << rng.gen_range(0..8);
        }
        1 if len > 0 => {
            let i = rng.gen_range(0..len);
            data[i] = rng.gen();
        }
        2 => {
            let i = rng.gen_range(0..=len);
            let token = INTERESTING[rng.gen_range(0..INTERESTING.len())];
            data.splice(i..i, token.iter().copied());
        }
        3 if len > 0 => {
            let a = rng.gen_range(0..len);
            let b = (a + rng.gen_range(1..=16)).min(len);
            data.drain(a..b);
        }
        4 => {
            // Splice: our head, another entry's tail.
            let other = &corpus[rng.gen_range(0..corpus.len())];
            let a = rng.gen_range(0..=len);
            let b = rng.gen_range(0..=other.len());
            data.truncate(a);
            data.extend_from_slice(&other[b..]);
        }
        5 if len > 0 => {
            // Repeat a slice: deep nesting, long numbers, many headers.
            let a = rng.gen_range(0..len);
            let b = (a + rng.gen_range(1..=8)).min(len);
            let chunk = data[a..b].to_vec();
            let most = if rng.gen_ratio(1, 50) { 4096 } else { 64 };
            let times = rng.gen_range(2..=most);
            let insert: Vec<u8> = chunk
                .iter()
                .copied()
                .cycle()
                .take(chunk.len() * times)
                .collect();
            data.splice(b..b, insert);
        }
        6 if len > 0 => {
            data.truncate(rng.gen_range(0..len));
        }
        _ => {
            // Insert an edge-case number.
            let i = rng.gen_range(0..=len);
            let n = NUMBERS[rng.gen_range(0..NUMBERS.len())];
            data.splice(i..i, n.iter().copied());
        }
    }
}
