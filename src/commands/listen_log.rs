//! What `listen` prints: the bound address first, a line per request as it is answered,
//! and a summary at the end — text on stderr, or JSON Lines on stdout with `--json`.

use std::net::SocketAddr;

use serde::Serialize;

use super::terminal::Json;
use super::terminal::Kind;
use super::Output;
use crate::listen::store::Forgotten;
use crate::listen::{Decision, Record, Tally};

pub(crate) struct Log {
    pub(crate) json: bool,
}

impl Log {
    pub(crate) fn listening(&self, addr: SocketAddr, output: &mut Output) {
        let _ = writeln!(output.stream(Kind::Note), "listening on http://{addr}");
        if self.json {
            output.line(Json(ListeningJson {
                event: "listening",
                addr: addr.to_string(),
            }));
        }
    }

    pub(crate) fn record(&self, record: &Record, output: &mut Output) {
        if self.json {
            output.line(Json(record_json(record)));
        } else {
            let _ = writeln!(output.stream(Kind::Progress), "{}", record_text(record));
        }
    }

    pub(crate) fn summary(&self, tally: &Tally, reason: &str, output: &mut Output) {
        let _ = writeln!(
            output.stream(Kind::Note),
            "listen: stopped ({reason}): {} requests, {} processed, {} duplicates, {} rejected, {} faults",
            tally.requests, tally.processed, tally.duplicates, tally.rejected, tally.faults
        );
        if self.json {
            output.line(Json(SummaryJson {
                event: "summary",
                reason,
                requests: tally.requests,
                processed: tally.processed,
                duplicates: tally.duplicates,
                rejected: tally.rejected,
                faults: tally.faults,
            }));
        }
    }

    /// The end of the summary when the id store was full: how many ids it forgot (an exact
    /// count), since a re-delivery of one of them is processed again, not answered as a
    /// duplicate. Nothing when it forgot none.
    pub(crate) fn forgotten(&self, forgotten: &Forgotten, output: &mut Output) {
        let n = forgotten.get();
        if n == 0 {
            return;
        }
        let _ = writeln!(
            output.stream(Kind::Note),
            "listen: the id store was full (--store-limit {}): it forgot its {n} oldest ids; a re-delivery of one of them is processed again",
            forgotten.limit
        );
        if self.json {
            output.line(Json(StoreJson {
                event: "store",
                limit: forgotten.limit,
                forgotten_ids: n,
            }));
        }
    }
}

/// The line after the summary when the id store forgot ids (`listen --store-limit`).
#[derive(Serialize)]
struct StoreJson {
    event: &'static str,
    limit: usize,
    forgotten_ids: u64,
}

/// The first line of `listen --json`.
#[derive(Serialize)]
struct ListeningJson {
    event: &'static str,
    addr: String,
}

/// What every request line of `listen --json` opens with, forwarding or not.
#[derive(Serialize)]
pub(super) struct RequestHead<'a> {
    event: &'static str,
    seq: u64,
    method: &'a str,
    path: &'a str,
    vendor: Option<&'static str>,
    id: Option<&'a str>,
    signature_valid: Option<bool>,
    duplicate: bool,
}

impl<'a> RequestHead<'a> {
    /// `decision` is none for a request `listen --forward` relayed without judging it.
    pub(super) fn new(
        seq: u64,
        method: &'a str,
        path: &'a str,
        decision: Option<&'a Decision>,
    ) -> Self {
        RequestHead {
            event: "request",
            seq,
            method,
            path,
            vendor: decision.and_then(|d| d.vendor),
            id: decision.and_then(|d| d.id.as_deref()),
            signature_valid: decision.and_then(|d| d.signature_valid),
            duplicate: decision.is_some_and(|d| d.duplicate),
        }
    }
}

/// A line per request.
#[derive(Serialize)]
struct RequestJson<'a> {
    #[serde(flatten)]
    head: RequestHead<'a>,
    acked: bool,
    http_status: Option<u16>,
    fault: Option<&'static str>,
    error: Option<&'a str>,
    warnings: &'a [String],
    saved: Option<String>,
    save_error: Option<&'a str>,
}

/// The last line.
#[derive(Serialize)]
struct SummaryJson<'a> {
    event: &'static str,
    reason: &'a str,
    requests: u64,
    processed: u64,
    duplicates: u64,
    rejected: u64,
    faults: u64,
}

fn record_json(r: &Record) -> RequestJson<'_> {
    let d = &r.decision;
    let (saved, save_error) = match &r.saved {
        Some(Ok(path)) => (Some(path.display().to_string()), None),
        Some(Err(e)) => (None, Some(e.as_str())),
        None => (None, None),
    };
    RequestJson {
        head: RequestHead::new(r.seq, &r.method, &r.path, Some(d)),
        acked: d.acked(),
        http_status: r.http_status,
        fault: d.fault.map(|f| f.id()),
        error: d.error.as_deref(),
        warnings: &d.warnings,
        saved,
        save_error,
    }
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
    use crate::commands::terminal::Verbosity;
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
            vendor: Some("hooksy"),
            id: Some("m1".into()),
            signature_valid: Some(true),
            duplicate,
            fault: None,
            warnings: vec!["createTime is sent as a string".into()],
            error: None,
            action: Action::Reply(Reply {
                status: 200,
                body: String::new(),
            }),
        }
    }

    #[test]
    fn text_lines_say_what_happened() {
        let line = record_text(&record(acked(true), Some(200)));
        assert_eq!(
            line,
            "#7 POST /cb hooksy m1: signature valid, duplicate, acked (200); warning: createTime is sent as a string"
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
            "#7 POST /cb hooksy m1: signature valid, fault close, not acked (no answer)"
        );
        let garbage = Decision::generic(400, "the body is not JSON".into());
        let line = record_text(&record(garbage, Some(400)));
        assert_eq!(
            line,
            "#7 POST /cb - -: not acked (400): the body is not JSON"
        );
    }

    /// Every JSON line `listen --json` prints, byte for byte: the lines as they were
    /// when they were built with `serde_json::json!` (commit b9b71ff).
    #[test]
    fn json_lines_are_the_documented_bytes() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut output = Output::new(&mut out, &mut err, Verbosity::Normal, true);
        let log = Log { json: true };
        log.listening(SocketAddr::from(([127, 0, 0, 1], 8080)), &mut output);
        let mut saved = record(acked(false), Some(200));
        saved.saved = Some(Ok("saved/0007.http".into()));
        log.record(&saved, &mut output);
        let faulted = Decision {
            fault: Some(FaultMode::Close),
            error: Some("injected fault (close)".into()),
            ..acked(true)
        };
        let mut unsaved = record(faulted, None);
        unsaved.saved = Some(Err("disk full".into()));
        log.record(&unsaved, &mut output);
        let mut tally = Tally::default();
        tally.add(&saved);
        tally.add(&unsaved);
        log.summary(&tally, "--max-requests reached", &mut output);
        assert_eq!(String::from_utf8(out).unwrap(), EXPECTED_LINES);
    }

    const EXPECTED_LINES: &str = concat!(
        r#"{"event":"listening","addr":"127.0.0.1:8080"}"#,
        "\n",
        r#"{"event":"request","seq":7,"method":"POST","path":"/cb","vendor":"hooksy","id":"m1","signature_valid":true,"duplicate":false,"acked":true,"http_status":200,"fault":null,"error":null,"warnings":["createTime is sent as a string"],"saved":"saved/0007.http","save_error":null}"#,
        "\n",
        r#"{"event":"request","seq":7,"method":"POST","path":"/cb","vendor":"hooksy","id":"m1","signature_valid":true,"duplicate":true,"acked":false,"http_status":null,"fault":"close","error":"injected fault (close)","warnings":["createTime is sent as a string"],"saved":null,"save_error":"disk full"}"#,
        "\n",
        r#"{"event":"summary","reason":"--max-requests reached","requests":2,"processed":1,"duplicates":0,"rejected":0,"faults":1}"#,
        "\n",
    );

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
        let first = serde_json::to_value(record_json(&records[0])).unwrap();
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
