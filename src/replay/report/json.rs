//! The JSON report (`--report FILE`, `--json`): a contract, checked in tests.

use serde::Serialize;

use super::{failure_reason, Exporter, Report};
use crate::error::Result;
use crate::replay::{Attempt, Outcome};

/// `{"summary": {…}, "messages": [{…, "attempts": […]}]}`.
pub(crate) struct JsonExporter;

/// The report's document; the demo's JSON embeds it as its `replay` member.
#[derive(Serialize)]
pub(crate) struct ReportJson<'a> {
    summary: SummaryJson,
    messages: Vec<MessageJson<'a>>,
}

#[derive(Serialize)]
struct SummaryJson {
    messages: usize,
    delivered: usize,
    failed: usize,
    unfinished: usize,
    interrupted: bool,
}

#[derive(Serialize)]
struct MessageJson<'a> {
    source: &'a str,
    vendor: &'static str,
    id: Option<&'a str>,
    delivered: bool,
    state: &'static str,
    reason: Option<String>,
    attempts: Vec<AttemptJson<'a>>,
}

#[derive(Serialize)]
struct AttemptJson<'a> {
    attempt: u32,
    started_ms: u64,
    elapsed_ms: u64,
    http_status: Option<u16>,
    acked: bool,
    error: Option<&'a str>,
    duplicate: bool,
}

impl JsonExporter {
    pub(crate) fn document(report: &Report) -> ReportJson<'_> {
        let s = report.summary();
        ReportJson {
            summary: SummaryJson {
                messages: s.messages,
                delivered: s.delivered,
                failed: s.failed,
                unfinished: s.unfinished,
                interrupted: report.interrupted,
            },
            messages: report.outcomes.iter().map(message).collect(),
        }
    }
}

fn message(o: &Outcome) -> MessageJson<'_> {
    MessageJson {
        source: &o.source,
        vendor: o.vendor,
        id: o.id.as_deref(),
        delivered: o.delivered(),
        state: o.state.id(),
        reason: failure_reason(o),
        attempts: o.attempts.iter().map(attempt).collect(),
    }
}

fn attempt(a: &Attempt) -> AttemptJson<'_> {
    AttemptJson {
        attempt: a.attempt,
        started_ms: a.started_ms,
        elapsed_ms: a.elapsed_ms,
        http_status: a.http_status,
        acked: a.acked,
        error: a.error.as_deref(),
        duplicate: a.duplicate,
    }
}

impl Exporter for JsonExporter {
    fn export(&self, report: &Report) -> Result<Vec<u8>> {
        let mut bytes = serde_json::to_vec_pretty(&JsonExporter::document(report))
            .map_err(|e| crate::error::Error::new(format!("cannot write the JSON report: {e}")))?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;

    #[test]
    fn the_documented_shape() {
        let report = super::super::sample::report(true);
        let v = serde_json::to_value(JsonExporter::document(&report)).unwrap();
        assert_eq!(
            v["summary"],
            json!({"messages": 3, "delivered": 1, "failed": 2, "unfinished": 1, "interrupted": true})
        );
        let a = &v["messages"][0];
        assert_eq!(a["source"], "a.json");
        assert_eq!(a["delivered"], true);
        assert_eq!(a["attempts"][1]["started_ms"], 2012);
        assert_eq!(a["attempts"][0]["http_status"], 500);
        assert_eq!(v["messages"][1]["attempts"][0]["http_status"], Value::Null);
        assert_eq!(v["messages"][2]["state"], "not_sent");
        assert!(v["messages"][2]["reason"]
            .as_str()
            .unwrap()
            .contains("interrupted"));
    }
}
