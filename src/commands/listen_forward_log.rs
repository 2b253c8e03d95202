//! What `listen --forward` prints: where it listens and forwards to, a line per request
//! with both halves of the conversation — what cbtool found in the callback, what the app
//! answered and what the vendor's sender makes of that — with the app's mistakes flagged
//! loudly, and a summary that counts each kind. Text on stderr, or JSON Lines on stdout.

use std::net::SocketAddr;

use super::listen_forward_json;
use super::terminal::{paint, Json, Kind, Tone};
use super::Output;
use crate::listen::forward::{ack_of, AppSide, Relayed};
use crate::listen::judge::{ack_needs, Flag};

pub(crate) struct ForwardLog {
    pub(crate) json: bool,
    /// Colour the flags on stderr.
    pub(crate) colour: bool,
}

/// Counts for the closing summary.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct ForwardTally {
    pub(crate) requests: u64,
    pub(crate) forwarded: u64,
    pub(crate) app_acked: u64,
    /// The app gave no answer (the sender got 502 or 504).
    pub(crate) app_unanswered: u64,
    pub(crate) duplicates: u64,
    pub(crate) faults: u64,
    /// Per [`Flag::ALL`], in that order.
    pub(crate) flags: [u64; 4],
}

impl ForwardTally {
    pub(crate) fn add(&mut self, record: &Relayed) {
        self.requests += 1;
        match &record.app {
            AppSide::NotForwarded(_) => {}
            AppSide::Answered { .. } => self.forwarded += 1,
            AppSide::Failed { .. } => {
                self.forwarded += 1;
                self.app_unanswered += 1;
            }
        }
        let decision = record.decision.as_ref();
        if decision.is_some_and(|d| d.fault.is_some()) {
            self.faults += 1;
        }
        if decision.is_some_and(|d| d.duplicate) {
            self.duplicates += 1;
        }
        if let Some(j) = &record.judgement {
            self.app_acked += u64::from(j.app_acked);
            if let Some(flag) = j.flag {
                let i = Flag::ALL.iter().position(|f| *f == flag).unwrap_or(0);
                self.flags[i] += 1;
            }
        }
    }

    /// Callbacks the app got wrong, of every kind.
    pub(crate) fn app_errors(&self) -> u64 {
        self.flags.iter().sum()
    }

    pub(super) fn count(&self, flag: Flag) -> u64 {
        Flag::ALL
            .iter()
            .position(|f| *f == flag)
            .map_or(0, |i| self.flags[i])
    }
}

impl ForwardLog {
    pub(crate) fn listening(&self, addr: SocketAddr, target: &str, output: &mut Output) {
        let _ = writeln!(
            output.stream(Kind::Note),
            "listening on http://{addr}, forwarding to {target}"
        );
        if self.json {
            output.line(Json(listen_forward_json::listening(addr, target)));
        }
    }

    pub(crate) fn record(&self, record: &Relayed, output: &mut Output) {
        if self.json {
            output.line(Json(listen_forward_json::record(record)));
        } else {
            // One write a line: stderr is unbuffered, and a busy forwarder logs thousands a second.
            let mut line = record_text(record, self.colour);
            line.push('\n');
            let _ = output.stream(Kind::Progress).write_all(line.as_bytes());
        }
    }

    pub(crate) fn summary(&self, t: &ForwardTally, reason: &str, output: &mut Output) {
        let _ = writeln!(
            output.stream(Kind::Note),
            "listen: stopped ({reason}): {} requests, {} forwarded, {} acknowledged by the app, {} unanswered, {} duplicates, {} faults",
            t.requests, t.forwarded, t.app_acked, t.app_unanswered, t.duplicates, t.faults
        );
        let verdict = if t.app_errors() == 0 {
            "the app answered every judged callback as the sender needs".to_string()
        } else {
            format!(
                "the app got {} callbacks wrong: {} forged acknowledged (security hole), {} valid refused, {} duplicates refused, {} valid unanswered",
                t.app_errors(),
                t.count(Flag::AckedForged),
                t.count(Flag::RefusedValid),
                t.count(Flag::DuplicateRefused),
                t.count(Flag::ValidUnanswered)
            )
        };
        let _ = writeln!(output.stream(Kind::Note), "listen: {verdict}");
        if self.json {
            output.line(Json(listen_forward_json::summary(t, reason)));
        }
    }
}

pub(super) fn vendor_name(id: &str) -> &'static str {
    crate::vendors::by_id(id).map_or("the vendor", |v| v.name())
}

/// One line: `#seq METHOD path vendor id: what cbtool found → what the app did: verdict`.
fn record_text(r: &Relayed, colour: bool) -> String {
    let d = r.decision.as_ref();
    let vendor = d.and_then(|d| d.vendor).unwrap_or("-");
    let mut found = Vec::new();
    match d.and_then(|d| d.signature_valid) {
        Some(true) => found.push("signature valid".to_string()),
        Some(false) => found.push("signature INVALID".to_string()),
        None => {}
    }
    if let Some(d) = d.filter(|d| d.signature_valid == Some(true) && d.fault.is_none()) {
        found.push(if d.duplicate { "duplicate" } else { "new" }.to_string());
    }
    let error = d
        .filter(|d| d.fault.is_none())
        .and_then(|d| d.error.as_ref());
    match (error, found.last_mut()) {
        (Some(error), Some(last)) => last.push_str(&format!(" ({error})")),
        (Some(error), None) => found.push(error.clone()),
        _ => {}
    }
    if d.is_none() && r.method != "POST" {
        found.push("not a POST: forwarded unjudged".to_string());
    }
    let mut line = format!(
        "#{} {} {} {vendor} {}: {}",
        r.seq,
        r.method,
        r.path,
        d.and_then(|d| d.id.as_deref()).unwrap_or("-"),
        found.join(", ")
    );
    line.push_str(&app_text(r));
    if let Some(j) = &r.judgement {
        let forged = d.and_then(|d| d.signature_valid) == Some(false);
        match (&j.not_acked, &r.app) {
            (_, AppSide::NotForwarded(_) | AppSide::Failed { .. }) => {}
            (None, _) => line.push_str(": acknowledged"),
            (Some(why), _) if forged => line.push_str(&format!(": refused, rightly ({why})")),
            (Some(why), _) => line.push_str(&format!(": NOT acknowledged ({why})")),
        }
        if !j.app_acked && !forged {
            line.push_str(&format!("; {}", j.retry.describe(vendor_name(vendor))));
        }
        if let Some(flag) = j.flag {
            let (word, advice) = flag_text(flag, r);
            line.push_str(&format!(" — {} {advice}", paint(word, Tone::Bad, colour)));
        }
    }
    for warning in d.map(|d| d.warnings.as_slice()).unwrap_or_default() {
        line.push_str(&format!("; warning: {warning}"));
    }
    match (&r.saved, &r.saved_answer) {
        (Some(Ok(req)), Some(Ok(ans))) => {
            line.push_str(&format!(" [saved {} and {}]", req.display(), ans.display()));
        }
        (Some(Ok(req)), None) => line.push_str(&format!(" [saved {}]", req.display())),
        (Some(Err(e)), _) | (_, Some(Err(e))) => line.push_str(&format!(" [not saved: {e}]")),
        _ => {}
    }
    line
}

/// ` → app 200 in 3ms` and the like.
fn app_text(r: &Relayed) -> String {
    let ms = |l: &std::time::Duration| format!("{:.0}ms", l.as_secs_f64() * 1000.0);
    match &r.app {
        AppSide::NotForwarded(why) => {
            let answer = r
                .http_status
                .map_or("no answer".to_string(), |s| s.to_string());
            format!(" → not forwarded ({why}); answered {answer}")
        }
        AppSide::Answered {
            status, latency, ..
        } => format!(" → app {status} in {}", ms(latency)),
        AppSide::Failed { why, latency } => {
            let answer = r
                .http_status
                .map_or("no answer".to_string(), |s| s.to_string());
            format!(
                " → app gave no answer after {} ({why}); answered {answer}",
                ms(latency)
            )
        }
    }
}

/// The flag's loud word and what to do about it.
fn flag_text(flag: Flag, r: &Relayed) -> (&'static str, String) {
    let vendor = r.decision.as_ref().and_then(|d| d.vendor).unwrap_or("-");
    let name = vendor_name(vendor);
    match flag {
        Flag::AckedForged => (
            "SECURITY HOLE:",
            "the app acknowledged a callback whose signature is invalid: anyone can make it act on forged callbacks".to_string(),
        ),
        Flag::RefusedValid => match (&r.app, ack_of(r)) {
            (AppSide::Answered { status, .. }, Some(ack)) if (200..300).contains(status) => (
                "APP BUG:",
                format!(
                    "the app took a valid callback but its answer is not an acknowledgement; {name} needs {}",
                    ack_needs(ack)
                ),
            ),
            _ => {
                let saved = match &r.saved {
                    Some(Ok(path)) => path.display().to_string(),
                    _ => "REQUEST.http (save it with --save DIR)".to_string(),
                };
                (
                    "APP BUG:",
                    format!(
                        "the app refused a callback whose signature is valid: its verification is broken; see `cbtool verify --explain --request {saved}` and the receiver code of `cbtool snippet LANG --vendor {vendor}`"
                    ),
                )
            }
        },
        Flag::DuplicateRefused => (
            "APP BUG:",
            "the app answered a duplicate with an error: a callback it already took must be acknowledged again (de-duplicate by its id), or the sender keeps retrying".to_string(),
        ),
        Flag::ValidUnanswered => (
            "APP FAILED:",
            "the app gave no answer to a valid callback".to_string(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::commands::terminal::Verbosity;
    use crate::listen::judge::{Judgement, Retry};
    use crate::listen::{Action, Decision};
    use crate::vendors::Reply;

    fn relayed(valid: bool, status: u16, judgement: Judgement) -> Relayed {
        Relayed {
            seq: 3,
            method: "POST".into(),
            path: "/cb".into(),
            decision: Some(Decision {
                vendor: Some("hooksy"),
                id: Some("m1".into()),
                signature_valid: Some(valid),
                duplicate: false,
                fault: None,
                warnings: Vec::new(),
                error: (!valid).then(|| "signature does not match".to_string()),
                action: Action::Reply(Reply {
                    status: 200,
                    body: String::new(),
                }),
            }),
            attempt: 1,
            app: AppSide::Answered {
                status,
                latency: Duration::from_millis(2),
                excerpt: r#"{"code":0}"#.into(),
            },
            judgement: Some(judgement),
            http_status: Some(status),
            saved: None,
            saved_answer: None,
        }
    }

    /// Every JSON line `listen --forward --json` prints, byte for byte: the lines as they
    /// were when they were built with `serde_json::json!` (commit b9b71ff).
    #[test]
    fn json_lines_are_the_documented_bytes() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut output = Output::new(&mut out, &mut err, Verbosity::Normal, true);
        let log = ForwardLog {
            json: true,
            colour: false,
        };
        log.listening(
            SocketAddr::from(([127, 0, 0, 1], 8080)),
            "http://127.0.0.1:3000/",
            &mut output,
        );
        let refused = Judgement {
            app_acked: false,
            not_acked: Some("HTTP 500".into()),
            flag: Some(Flag::RefusedValid),
            retry: Retry::After {
                wait: Duration::from_millis(2500),
                next: 2,
                of: 7,
            },
        };
        let mut answered = relayed(true, 500, refused);
        answered.saved = Some(Ok("saved/0003.http".into()));
        answered.saved_answer = Some(Err("disk full".into()));
        let mut failed = relayed(
            false,
            502,
            Judgement {
                app_acked: false,
                not_acked: None,
                flag: None,
                retry: Retry::Stops,
            },
        );
        failed.app = AppSide::Failed {
            why: "connection refused".into(),
            latency: Duration::from_micros(1500),
        };
        let mut unjudged = relayed(true, 200, acked_stops());
        unjudged.decision = None;
        unjudged.judgement = None;
        unjudged.method = "GET".into();
        unjudged.app = AppSide::NotForwarded("not a POST".into());
        let mut tally = ForwardTally::default();
        for r in [&answered, &failed, &unjudged] {
            log.record(r, &mut output);
            tally.add(r);
        }
        log.summary(&tally, "--exit-after reached", &mut output);
        assert_eq!(String::from_utf8(out).unwrap(), EXPECTED_LINES);
    }

    fn acked_stops() -> Judgement {
        Judgement {
            app_acked: true,
            not_acked: None,
            flag: None,
            retry: Retry::Stops,
        }
    }

    const EXPECTED_LINES: &str = concat!(
        r#"{"event":"listening","addr":"127.0.0.1:8080","forward":"http://127.0.0.1:3000/"}"#,
        "\n",
        r#"{"event":"request","seq":3,"method":"POST","path":"/cb","vendor":"hooksy","id":"m1","signature_valid":true,"duplicate":false,"attempt":1,"fault":null,"error":null,"warnings":[],"forwarded":true,"app_status":500,"app_latency_ms":2.0,"app_error":null,"app_body":"{\"code\":0}","app_acked":false,"app_not_acked":"HTTP 500","verdict":"refused_valid","retry":"the sender will retry in 2.5 s (attempt 2 of 7)","retry_in_s":2.5,"http_status":500,"saved":"saved/0003.http","saved_answer":null,"save_error":"disk full"}"#,
        "\n",
        r#"{"event":"request","seq":3,"method":"POST","path":"/cb","vendor":"hooksy","id":"m1","signature_valid":false,"duplicate":false,"attempt":1,"fault":null,"error":"signature does not match","warnings":[],"forwarded":true,"app_status":null,"app_latency_ms":1.5,"app_error":"connection refused","app_body":null,"app_acked":false,"app_not_acked":null,"verdict":null,"retry":"the sender stops","retry_in_s":null,"http_status":502,"saved":null,"saved_answer":null,"save_error":null}"#,
        "\n",
        r#"{"event":"request","seq":3,"method":"GET","path":"/cb","vendor":null,"id":null,"signature_valid":null,"duplicate":false,"attempt":1,"fault":null,"error":null,"warnings":[],"forwarded":false,"app_status":null,"app_latency_ms":null,"app_error":"not a POST","app_body":null,"app_acked":null,"app_not_acked":null,"verdict":null,"retry":null,"retry_in_s":null,"http_status":200,"saved":null,"saved_answer":null,"save_error":null}"#,
        "\n",
        r#"{"event":"summary","reason":"--exit-after reached","requests":3,"forwarded":2,"app_acked":0,"app_unanswered":1,"duplicates":0,"faults":0,"app_correct":false,"acked_forged":0,"refused_valid":1,"duplicate_refused":0,"valid_unanswered":0}"#,
        "\n",
    );

    #[test]
    fn lines_carry_both_halves_and_the_flag() {
        let code0 = Judgement {
            app_acked: false,
            not_acked: Some("HTTP 200 but the JSON has no `status`: {\"code\":0}".into()),
            flag: Some(Flag::RefusedValid),
            retry: Retry::After {
                wait: Duration::from_secs(2),
                next: 2,
                of: 7,
            },
        };
        // A vendor the registry does not know: no rule to quote, so the advice is the
        // general one (the known vendors' wording is checked end to end in
        // tests/listen_forward.rs).
        assert_eq!(
            record_text(&relayed(true, 200, code0), false),
            "#3 POST /cb hooksy m1: signature valid, new → app 200 in 2ms: NOT acknowledged (HTTP 200 but the JSON has no `status`: {\"code\":0}); the sender will retry in 2 s (attempt 2 of 7) — APP BUG: the app refused a callback whose signature is valid: its verification is broken; see `cbtool verify --explain --request REQUEST.http (save it with --save DIR)` and the receiver code of `cbtool snippet LANG --vendor hooksy`"
        );
        let forged = Judgement {
            app_acked: true,
            not_acked: None,
            flag: Some(Flag::AckedForged),
            retry: Retry::Stops,
        };
        let record = relayed(false, 200, forged);
        assert_eq!(
            record_text(&record, false),
            "#3 POST /cb hooksy m1: signature INVALID (signature does not match) → app 200 in 2ms: acknowledged — SECURITY HOLE: the app acknowledged a callback whose signature is invalid: anyone can make it act on forged callbacks"
        );
        let json = serde_json::to_value(listen_forward_json::record(&record)).unwrap();
        assert_eq!(json["verdict"], "acked_forged");
        assert_eq!(json["app_status"], 200);
        assert_eq!(json["app_acked"], true);
        assert_eq!(json["app_latency_ms"], 2.0);
        let mut tally = ForwardTally::default();
        tally.add(&record);
        assert_eq!(
            (tally.forwarded, tally.app_acked, tally.app_errors()),
            (1, 1, 1)
        );
        assert_eq!(tally.count(Flag::AckedForged), 1);
    }
}
