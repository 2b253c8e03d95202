//! What `demo` prints after the run: replay's table, the receiver's tally and the
//! warnings its schema check logged, each expectation with ok or FAIL, and the verdict —
//! on stderr, or as one JSON document on stdout with `--json`.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use serde::Serialize;

use super::terminal::{Json, Kind};
use super::Output;
use crate::demo::check::Verdict;
use crate::error::Result;
use crate::listen::{Record, Tally};
use crate::replay::report::human::HumanExporter;
use crate::replay::report::json::{JsonExporter, ReportJson};
use crate::replay::report::{Exporter, Report};

/// Both sides of a finished run.
pub(crate) struct Run {
    pub(crate) addr: SocketAddr,
    pub(crate) report: Report,
    pub(crate) records: Vec<Record>,
}

pub(crate) fn render(
    run: &Run,
    verdict: &Verdict,
    scale: f64,
    json: bool,
    output: &mut Output,
) -> Result<()> {
    let _ = output
        .stream(Kind::Note)
        .write_all(&HumanExporter.export(&run.report)?);
    let t = verdict.tally;
    let e = verdict.expected_tally;
    let _ = writeln!(
        output.stream(Kind::Note),
        "receiver: {} requests: {} processed, {} duplicates, {} rejected, {} faults injected{}",
        t.requests,
        t.processed,
        t.duplicates,
        t.rejected,
        t.faults,
        if t == e {
            " (as expected)".to_string()
        } else {
            format!(
                " (expected {} requests: {} processed, {} duplicates, {} rejected, {} faults)",
                e.requests, e.processed, e.duplicates, e.rejected, e.faults
            )
        }
    );
    let warnings = warnings(&run.records);
    if !warnings.is_empty() {
        let _ = writeln!(
            output.stream(Kind::Note),
            "receiver warnings (they never change the answer):"
        );
        for (text, count) in &warnings {
            let _ = writeln!(output.stream(Kind::Note), "  {count}× {text}");
        }
    }
    let _ = writeln!(output.stream(Kind::Note), "expected:");
    for c in &verdict.checks {
        let name = match &c.id {
            Some(id) => format!("{} ({id})", c.source),
            None => c.source.clone(),
        };
        if c.ok {
            let _ = writeln!(output.stream(Kind::Note), "  ok    {name}: {}", c.expected);
        } else {
            let _ = writeln!(
                output.stream(Kind::Note),
                "  FAIL  {name}: expected {}; got: {}",
                c.expected,
                c.actual
            );
        }
    }
    let _ = writeln!(output.stream(Kind::Note), "{}", closing(verdict));
    if json {
        output.line(Json(document(run, verdict, scale, &warnings)));
    }
    Ok(())
}

fn closing(verdict: &Verdict) -> String {
    let failed = verdict.checks.iter().filter(|c| !c.ok).count();
    if verdict.ok() {
        format!(
            "demo: OK: all {} expectations held (retries, de-duplication and the refused tampered callback)",
            verdict.checks.len()
        )
    } else if failed == 0 {
        "demo: FAILED: the receiver's counts differ from the expected ones".to_string()
    } else {
        format!(
            "demo: FAILED: {failed} of {} expectations did not hold",
            verdict.checks.len()
        )
    }
}

/// Each distinct warning the receiver logged, with how many requests carried it.
fn warnings(records: &[Record]) -> BTreeMap<String, usize> {
    let mut seen = BTreeMap::new();
    for r in records {
        for w in &r.decision.warnings {
            *seen.entry(w.clone()).or_insert(0) += 1;
        }
    }
    seen
}

/// `demo --json`: the verdict, the receiver's side, each expectation, replay's report.
#[derive(Serialize)]
struct DemoJson<'a> {
    ok: bool,
    time_scale: f64,
    receiver: ReceiverJson<'a>,
    checks: Vec<CheckJson<'a>>,
    replay: ReportJson<'a>,
}

#[derive(Serialize)]
struct ReceiverJson<'a> {
    addr: String,
    tally: TallyJson,
    expected_tally: TallyJson,
    warnings: Vec<WarningJson<'a>>,
}

#[derive(Serialize)]
struct TallyJson {
    requests: u64,
    processed: u64,
    duplicates: u64,
    rejected: u64,
    faults: u64,
}

impl From<&Tally> for TallyJson {
    fn from(t: &Tally) -> Self {
        TallyJson {
            requests: t.requests,
            processed: t.processed,
            duplicates: t.duplicates,
            rejected: t.rejected,
            faults: t.faults,
        }
    }
}

#[derive(Serialize)]
struct WarningJson<'a> {
    warning: &'a str,
    requests: usize,
}

#[derive(Serialize)]
struct CheckJson<'a> {
    source: &'a str,
    id: Option<&'a str>,
    ok: bool,
    expected: &'a str,
    actual: &'a str,
}

fn document<'a>(
    run: &'a Run,
    verdict: &'a Verdict,
    scale: f64,
    warnings: &'a BTreeMap<String, usize>,
) -> DemoJson<'a> {
    DemoJson {
        ok: verdict.ok(),
        time_scale: scale,
        receiver: ReceiverJson {
            addr: run.addr.to_string(),
            tally: (&verdict.tally).into(),
            expected_tally: (&verdict.expected_tally).into(),
            warnings: warnings
                .iter()
                .map(|(w, n)| WarningJson {
                    warning: w,
                    requests: *n,
                })
                .collect(),
        },
        checks: verdict
            .checks
            .iter()
            .map(|c| CheckJson {
                source: &c.source,
                id: c.id.as_deref(),
                ok: c.ok,
                expected: &c.expected,
                actual: &c.actual,
            })
            .collect(),
        replay: JsonExporter::document(&run.report),
    }
}
