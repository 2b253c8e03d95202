//! `verify` on a JSON Lines file with a stalled stdout (a pipe nobody reads): the
//! pipeline between the reader and the workers is bounded, so once the reports cannot be
//! written the reader stops too, well before the end of the file, and memory stays
//! bounded; once the consumer reads again every line's report comes, in order.
#![cfg(target_os = "linux")]
// A test that cannot unwrap has failed: panicking is the report.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Lines a worker holds in flight at most (`IN_FLIGHT` blocks of `BATCH` lines in
/// src/commands/verify.rs): the file is eight times what all workers may hold, so a
/// reader that ran ahead of the stalled reports would reach its end.
const LINES_IN_FLIGHT_PER_WORKER: usize = 4 * 256;

/// The bound: verify's resident memory while its stdout is stalled. A debug build
/// checking a stream starts at about 10 MB; what is in flight (blocks of ~1 KB lines and
/// their reports) adds about 3 MB a worker.
fn rss_bound_kb(workers: usize) -> u64 {
    (32 + 4 * workers as u64) * 1024
}

fn proc_status(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The CPU time the process has used, in clock ticks (utime + stime of /proc/PID/stat).
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// How far the process has read `path`: the offset of its descriptor for that file.
fn read_offset(pid: u32, path: &Path) -> Option<u64> {
    for entry in std::fs::read_dir(format!("/proc/{pid}/fd")).ok()? {
        let entry = entry.ok()?;
        if std::fs::read_link(entry.path()).ok().as_deref() != Some(path) {
            continue;
        }
        let info = std::fs::read_to_string(format!(
            "/proc/{pid}/fdinfo/{}",
            entry.file_name().to_str()?
        ))
        .ok()?;
        let pos = info.lines().find_map(|l| l.strip_prefix("pos:"))?;
        return pos.trim().parse().ok();
    }
    None
}

/// The first callback of the AutoX3 stream fixture with a wrong signature: a line whose
/// report goes to stdout.
fn invalid_line() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let stream = std::fs::read_to_string(root.join("fixtures/autox3/stream.jsonl")).unwrap();
    let first = stream.lines().next().unwrap();
    let signature = first.split("\"msgSignature\":\"").nth(1).unwrap()[..40].to_string();
    first.replace(&signature, &"0".repeat(40))
}

fn spawn_verify(input: &Path) -> Child {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    Command::new(env!("CARGO_BIN_EXE_cbtool"))
        .arg("verify")
        .arg("--secret-file")
        .arg(root.join("fixtures/autox3/secret.txt"))
        .arg(input)
        .env_remove("CBTOOL_AUTOX3_SECRET")
        .env_remove("CBTOOL_DAYU_PUBLIC_KEY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn a_stalled_stdout_holds_the_reader_back_and_every_report_comes_once_it_reads() {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    if workers == 1 {
        // Not a missing tool: on one core verify checks a file on one thread, and there
        // is no pipeline whose queues could grow.
        eprintln!("skipped: one core, so verify has no pipeline");
        return;
    }
    // More cores than this would make a file of hundreds of MB; the reader's limit still
    // stays below its end (twice as many lines as all workers may hold).
    let lines = 8 * LINES_IN_FLIGHT_PER_WORKER * workers.min(16);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("stream.jsonl");
    let line = invalid_line();
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&input).unwrap());
        for _ in 0..lines {
            writeln!(file, "{line}").unwrap();
        }
    }
    let size = std::fs::metadata(&input).unwrap().len();
    let mut child = spawn_verify(&input);
    let pid = child.id();
    // Nobody reads stdout. Sample until verify has used no CPU and read nothing more for
    // a second (every thread waits: it is held back, not slow), or has read everything.
    let (mut peak, mut offset, mut still) = (0, 0, 0);
    let mut ticks = cpu_ticks(pid).unwrap();
    while still < 50 {
        std::thread::sleep(Duration::from_millis(20));
        let Some(now) = read_offset(pid, &input) else {
            offset = size; // closed: read to the end
            break;
        };
        peak = peak.max(proc_status(pid, "VmRSS:").unwrap());
        let now_ticks = cpu_ticks(pid).unwrap();
        still = if now == offset && now_ticks == ticks {
            still + 1
        } else {
            0
        };
        (offset, ticks) = (now, now_ticks);
        if offset == size {
            break;
        }
    }
    let bound = rss_bound_kb(workers);
    eprintln!(
        "stalled: read {offset} of {size} bytes ({lines} lines, {workers} workers), peak VmRSS {peak} kB (bound {bound} kB)"
    );
    assert!(
        offset > 0 && offset < size / 2,
        "the reader went on while nobody read the reports: {offset} of {size} bytes"
    );
    assert!(peak < bound, "VmRSS {peak} kB over {bound} kB");
    // The consumer resumes: a report for every line, in order, and the summary.
    let mut stderr = String::new();
    let mut reports = 0;
    let mut last = String::new();
    for text in BufReader::new(child.stdout.take().unwrap()).lines() {
        let text = text.unwrap();
        if text.starts_with("invalid: ") {
            reports += 1;
            assert!(
                text.contains(&format!("stream.jsonl:{reports}: ")),
                "report {reports} out of order: {text}"
            );
        } else {
            last = text;
        }
    }
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(reports, lines, "{stderr}");
    assert_eq!(
        last,
        format!("checked {lines} callbacks: 0 valid, {lines} invalid"),
        "{stderr}"
    );
    assert_eq!(status.code(), Some(1), "{stderr}");
}
