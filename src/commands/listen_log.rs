//! What `listen` prints: the bound address first, a line per request as it is answered,
//! and a summary at the end — text on stderr, or JSON Lines on stdout with `--json`.

use std::net::SocketAddr;

use serde_json::json;

use super::Output;
use crate::listen::store::Forgotten;
use crate::listen::{Record, Tally};

pub struct Log {
    pub json: bool,
}

impl Log {
    pub fn listening(&self, addr: SocketAddr, output: &mut Output) {
        let _ = writeln!(output.err, "listening on http://{addr}");
        if self.json {
            output.line(json!({"event": "listening", "addr": addr.to_string()}));
        }
    }

    pub fn record(&self, record: &Record, output: &mut Output) {
        if self.json {
            output.line(record_json(record));
        } else {
            let _ = writeln!(output.err, "{}", record_text(record));
        }
    }

    pub fn summary(&self, tally: &Tally, reason: &str, output: &mut Output) {
        let _ = writeln!(
            output.err,
            "listen: stopped ({reason}): {} requests, {} processed, {} duplicates, {} rejected, {} faults",
            tally.requests, tally.processed, tally.duplicates, tally.rejected, tally.faults
        );
        if self.json {
            output.line(json!({
                "event": "summary",
                "reason": reason,
                "requests": tally.requests,
                "processed": tally.processed,
                "duplicates": tally.duplicates,
                "rejected": tally.rejected,
                "faults": tally.faults,
            }));
        }
    }
}

impl Log {
    /// The end of the summary when the id store was full: how many ids it forgot (an exact
    /// count), since a re-delivery of one of them is processed again, not answered as a
    /// duplicate. Nothing when it forgot none.
    pub fn forgotten(&self, forgotten: &Forgotten, output: &mut Output) {
        let n = forgotten.get();
        if n == 0 {
            return;
        }
        let _ = writeln!(
            output.err,
            "listen: the id store was full (--store-limit {}): it forgot its {n} oldest ids; a re-delivery of one of them is processed again",
            forgotten.limit
        );
        if self.json {
            output.line(json!({
                "event": "store",
                "limit": forgotten.limit,
                "forgotten_ids": n,
            }));
        }
    }
}

fn record_json(r: &Record) -> serde_json::Value {
    let d = &r.decision;
    let (saved, save_error) = match &r.saved {
        Some(Ok(path)) => (Some(path.display().to_string()), None),
        Some(Err(e)) => (None, Some(e.clone())),
        None => (None, None),
    };
    json!({
        "event": "request",
        "seq": r.seq,
        "method": r.method,
        "path": r.path,
        "vendor": d.vendor,
        "id": d.id,
        "signature_valid": d.signature_valid,
        "duplicate": d.duplicate,
        "acked": d.acked(),
        "http_status": r.http_status,
        "fault": d.fault.map(|f| f.id()),
        "error": d.error,
        "warnings": d.warnings,
        "saved": saved,
        "save_error": save_error,
    })
}

fn record_text(r: &Record) -> String {
    let d = &r.decision;
    let mut parts = Vec::new();
    match d.signature_valid {
        Some(true) => parts.push("signature valid".to_string()),
        Some(false) => parts.push("signature INVALID".to_string()),
        None => {}
    }
    if d.signature_valid == Some(true) && d.fault.is_none() && d.error.is_none() {
        parts.push(if d.duplicate { "duplicate" } else { "new" }.to_string());
    }
    if let Some(fault) = d.fault {
        parts.push(format!("fault {}", fault.id()));
    }
    let answer = match r.http_status {
        Some(status) => status.to_string(),
        None => "no answer".to_string(),
    };
    parts.push(format!(
        "{} ({answer})",
        if d.acked() { "acked" } else { "not acked" }
    ));
    let mut line = format!(
        "#{} {} {} {} {}: {}",
        r.seq,
        r.method,
        r.path,
        d.vendor.unwrap_or("-"),
        d.id.as_deref().unwrap_or("-"),
        parts.join(", ")
    );
    if let Some(error) = d.error.as_ref().filter(|_| d.fault.is_none()) {
        line.push_str(&format!(": {error}"));
    }
    for warning in &d.warnings {
        line.push_str(&format!("; warning: {warning}"));
    }
    match &r.saved {
        Some(Ok(path)) => line.push_str(&format!(" [saved {}]", path.display())),
        Some(Err(e)) => line.push_str(&format!(" [not saved: {e}]")),
        None => {}
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listen::{Action, Decision, FaultMode};
    use crate::vendors::Reply;

    fn record(decision: Decision, http_status: Option<u16>) -> Record {
        Record {
            seq: 7,
            method: "POST".into(),
            path: "/cb".into(),
            decision,
            http_status,
            saved: None,
        }
    }

    fn acked(duplicate: bool) -> Decision {
        Decision {
            vendor: Some("autox3"),
            id: Some("m1".into()),
            signature_valid: Some(true),
            duplicate,
            fault: None,
            warnings: vec!["createTime is sent as a string".into()],
            error: None,
            action: Action::Reply(Reply::generic(200, "")),
        }
    }

    #[test]
    fn text_lines_say_what_happened() {
        let line = record_text(&record(acked(true), Some(200)));
        assert_eq!(
            line,
            "#7 POST /cb autox3 m1: signature valid, duplicate, acked (200); warning: createTime is sent as a string"
        );
        let faulted = Decision {
            fault: Some(FaultMode::Close),
            error: Some("injected fault (close)".into()),
            warnings: Vec::new(),
            ..acked(false)
        };
        let line = record_text(&record(faulted, None));
        assert_eq!(
            line,
            "#7 POST /cb autox3 m1: signature valid, fault close, not acked (no answer)"
        );
        let garbage = Decision::generic(400, "the body is not JSON".into());
        let line = record_text(&record(garbage, Some(400)));
        assert_eq!(
            line,
            "#7 POST /cb - -: not acked (400): the body is not JSON"
        );
    }

    #[test]
    fn json_lines_carry_the_contract_fields_and_the_tally_adds_up() {
        let mut tally = Tally::default();
        let records = [
            record(acked(false), Some(200)),
            record(acked(true), Some(200)),
            record(Decision::generic(413, "too large".into()), Some(413)),
        ];
        for r in &records {
            tally.add(r);
        }
        let first = record_json(&records[0]);
        for key in ["id", "vendor", "signature_valid", "duplicate", "acked"] {
            assert!(first.get(key).is_some(), "{key} missing: {first}");
        }
        assert_eq!(first["acked"], true);
        assert_eq!(
            (
                tally.requests,
                tally.processed,
                tally.duplicates,
                tally.rejected
            ),
            (3, 1, 1, 1)
        );
    }
}
