//! Text for people: the line printed per attempt and the summary table at the end.

use super::{failure_reason, Exporter, Report};
use crate::error::Result;
use crate::replay::engine::AttemptEvent;
use crate::replay::Attempt;

/// `+  2.104s  attempt 2/7   HTTP 500    12ms  a.json (id): HTTP 500: oops`.
pub(crate) fn attempt_line(event: &AttemptEvent) -> String {
    let a = event.attempt;
    let label = if a.duplicate {
        format!("duplicate {}/{}", event.ordinal, event.of)
    } else {
        format!("attempt {}/{}", event.ordinal, event.of)
    };
    let status = a
        .http_status
        .map_or_else(|| "no reply".to_string(), |s| format!("HTTP {s}"));
    let detail = a.error.as_deref().unwrap_or("acknowledged");
    format!(
        "+{:>8.3}s  {label:<15} {status:<9} {:>6}ms  {}: {detail}",
        event.offset.as_secs_f64(),
        a.elapsed_ms,
        name(&event.message.source, event.message.id.as_deref()),
    )
}

/// One attempt on one line, for JUnit output.
pub(crate) fn attempt_summary(a: &Attempt) -> String {
    let status = a
        .http_status
        .map_or_else(|| "no reply".to_string(), |s| format!("HTTP {s}"));
    format!(
        "{} {}/{} at +{}ms: {status} in {}ms: {}",
        if a.duplicate { "duplicate" } else { "attempt" },
        a.ordinal,
        a.of,
        a.started_ms,
        a.elapsed_ms,
        a.error.as_deref().unwrap_or("acknowledged")
    )
}

fn name(source: &str, id: Option<&str>) -> String {
    match id {
        Some(id) => format!("{source} ({id})"),
        None => source.to_string(),
    }
}

/// The table printed at the end of a run.
pub(crate) struct HumanExporter;

impl Exporter for HumanExporter {
    fn export(&self, report: &Report) -> Result<Vec<u8>> {
        let mut out = String::from("result       attempts  vendor  message\n");
        for o in &report.outcomes {
            let result = match o.state {
                crate::replay::State::Delivered => "delivered",
                crate::replay::State::Failed => "FAILED",
                crate::replay::State::InProgress => "INTERRUPTED",
                crate::replay::State::NotSent => "NOT SENT",
            };
            out.push_str(&format!(
                "{result:<12} {:>8}  {:<6}  {}\n",
                o.attempts.len(),
                o.vendor,
                name(&o.source, o.id.as_deref())
            ));
            if let Some(reason) = failure_reason(o) {
                out.push_str(&format!("{:>32}{reason}\n", ""));
            }
        }
        let s = report.summary();
        out.push_str(&format!(
            "{} message(s): {} delivered, {} not acknowledged",
            s.messages, s.delivered, s.failed
        ));
        if report.interrupted {
            out.push_str(&format!(" (interrupted: {} unfinished)", s.unfinished));
        }
        out.push('\n');
        Ok(out.into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_lists_every_message_and_why() {
        let text = String::from_utf8(
            HumanExporter
                .export(&super::super::sample::report(true))
                .unwrap(),
        )
        .unwrap();
        assert!(
            text.contains("delivered           2  hooksy  a.json (id-a.json)"),
            "{text}"
        );
        assert!(
            text.contains("not acknowledged after the last attempt: connection refused"),
            "{text}"
        );
        assert!(text.contains("NOT SENT"), "{text}");
        assert!(
            text.ends_with(
                "3 message(s): 1 delivered, 2 not acknowledged (interrupted: 1 unfinished)\n"
            ),
            "{text}"
        );
    }
}
