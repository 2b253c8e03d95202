//! The JSON report (`--report FILE`, `--json`): a contract, checked in tests.

use serde_json::{json, Value};

use super::{failure_reason, Exporter, Report};
use crate::error::Result;
use crate::replay::{Attempt, Outcome};

/// `{"summary": {…}, "messages": [{…, "attempts": […]}]}`.
pub struct JsonExporter;

impl JsonExporter {
    pub fn value(report: &Report) -> Value {
        let s = report.summary();
        json!({
            "summary": {
                "messages": s.messages,
                "delivered": s.delivered,
                "failed": s.failed,
                "unfinished": s.unfinished,
                "interrupted": report.interrupted,
            },
            "messages": report.outcomes.iter().map(message).collect::<Vec<_>>(),
        })
    }
}

fn message(o: &Outcome) -> Value {
    json!({
        "source": o.source,
        "vendor": o.vendor,
        "id": o.id,
        "delivered": o.delivered(),
        "state": o.state.id(),
        "reason": failure_reason(o),
        "attempts": o.attempts.iter().map(attempt).collect::<Vec<_>>(),
    })
}

fn attempt(a: &Attempt) -> Value {
    json!({
        "attempt": a.attempt,
        "started_ms": a.started_ms,
        "elapsed_ms": a.elapsed_ms,
        "http_status": a.http_status,
        "acked": a.acked,
        "error": a.error,
        "duplicate": a.duplicate,
    })
}

impl Exporter for JsonExporter {
    fn export(&self, report: &Report) -> Result<Vec<u8>> {
        let mut bytes = serde_json::to_vec_pretty(&JsonExporter::value(report))
            .map_err(|e| crate::error::Error::new(format!("cannot write the JSON report: {e}")))?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_shape() {
        let v = JsonExporter::value(&super::super::sample::report(true));
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
