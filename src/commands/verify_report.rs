//! How `verify` reports: a detailed block for one callback, one line per failure and a
//! summary for streams, and the JSON forms of both.

use serde_json::{json, Value};

use super::Output;
use crate::error::Error;
use crate::vendors::{Diagnosis, Verdict};

/// Failures kept for the JSON report of a stream; beyond this only counts grow, so
/// memory stays flat however bad the stream is.
const MAX_KEPT_FAILURES: usize = 10_000;

/// One callback that could be checked.
pub struct Checked {
    pub source: String,
    pub vendor_name: &'static str,
    pub verdict: Verdict,
    pub diagnosis: Option<Diagnosis>,
    pub comparison: Option<String>,
    /// Every difference in the user's signed string, by family (`--signed-string`).
    pub string_diagnosis: Option<Diagnosis>,
}

/// What happened to one input document.
pub enum Outcome {
    Checked {
        line: Option<usize>,
        checked: Box<Checked>,
    },
    Failed {
        line: Option<usize>,
        source: String,
        error: Error,
    },
}

impl Outcome {
    pub fn valid(&self) -> bool {
        matches!(self, Outcome::Checked { checked, .. } if checked.verdict.valid)
    }
}

/// Counts for a stream, and the failures worth listing.
#[derive(Default)]
pub struct Tally {
    pub checked: usize,
    pub valid: usize,
    pub invalid: usize,
    pub errors: usize,
    pub failures: Vec<Outcome>,
    pub truncated: bool,
}

impl Tally {
    /// Counts a callback that verified and needs no report.
    pub fn add_passed(&mut self) {
        self.checked += 1;
        self.valid += 1;
    }

    pub fn add(&mut self, outcome: Outcome) {
        match &outcome {
            Outcome::Failed { .. } => self.errors += 1,
            o if o.valid() => return self.add_passed(),
            _ => {
                self.checked += 1;
                self.invalid += 1;
            }
        }
        if self.failures.len() < MAX_KEPT_FAILURES {
            self.failures.push(outcome);
        } else {
            self.truncated = true;
        }
    }
}

fn headline(c: &Checked) -> String {
    let v = &c.verdict;
    let id_name = crate::vendors::by_id(v.vendor).map_or("id", |vendor| vendor.id_word());
    let id = v.id.as_deref().unwrap_or("?");
    format!("{}: {} {id_name} {id}", c.source, c.vendor_name)
}

pub fn print_single(outcome: &Outcome, output: &mut Output) {
    let Outcome::Checked { checked: c, .. } = outcome else {
        return;
    };
    let v = &c.verdict;
    match &v.reason {
        None => output.verdict(true, headline(c)),
        Some(reason) => {
            output.verdict(false, format_args!("{}: {reason}", headline(c)));
            // Shown escaped: a header is the sender's bytes, and may hold control characters.
            output.line(format!(
                "  received: {}",
                crate::signed_string::visible(v.received.trim().as_bytes())
            ));
            if let Some(expected) = &v.expected {
                output.line(format!("  expected: {expected}"));
            }
        }
    }
    print_details(c, output);
}

fn print_details(c: &Checked, output: &mut Output) {
    let v = &c.verdict;
    for note in &v.notes {
        output.line(format!("  note: {note}"));
    }
    if c.diagnosis.is_some() || output.verbose() {
        output.line(format!(
            "  signed string ({} bytes): {}",
            v.signed_string.bytes().len(),
            v.signed_string.visible()
        ));
    }
    if let Some(d) = &c.diagnosis {
        output.line(format!(
            "  cause: {}",
            match (&d.matched, v.valid) {
                (Some(m), _) => m.as_str(),
                (None, true) => "none (the signature is valid)",
                (None, false) => "none found",
            }
        ));
        output.line(format!("  {}", d.explanation));
        if let Some(s) = d.matched_string.as_ref().filter(|s| **s != v.signed_string) {
            output.line(format!(
                "  {} ({} bytes): {}",
                if d.matched.is_some() {
                    "reproduced by"
                } else {
                    "the signature covers"
                },
                s.bytes().len(),
                s.visible()
            ));
        }
        output.line(format!("  tried: {}", d.tried.join(", ")));
    }
    if let Some(comparison) = &c.comparison {
        output.line(format!("  your signed string: {comparison}"));
    }
    if let Some(d) = &c.string_diagnosis {
        output.line(format!(
            "  differences: {}",
            d.matched.as_deref().unwrap_or("none named")
        ));
        output.line(format!("  {}", d.explanation));
    }
}

/// A line (or block, with --explain) for each stream member that is not valid.
pub fn print_stream_item(outcome: &Outcome, explain: bool, output: &mut Output) {
    match outcome {
        Outcome::Failed { error, .. } => output.error(error),
        Outcome::Checked { checked: c, .. } => {
            if let Some(reason) = &c.verdict.reason {
                output.verdict(false, format_args!("{}: {reason}", headline(c)));
                if explain {
                    print_details(c, output);
                }
            }
        }
    }
}

pub fn print_summary(tally: &Tally, output: &mut Output) {
    let mut line = format!(
        "checked {} callback{}: {} valid, {} invalid",
        tally.checked,
        if tally.checked == 1 { "" } else { "s" },
        tally.valid,
        tally.invalid
    );
    if tally.errors > 0 {
        line.push_str(&format!(", {} unreadable", tally.errors));
    }
    output.line(line);
}

fn checked_json(c: &Checked) -> Value {
    let v = &c.verdict;
    let mut object = json!({
        "source": c.source,
        "vendor": v.vendor,
        "id": v.id,
        "valid": v.valid,
        "reason": v.reason,
        "signature": { "received": v.received.trim(), "expected": v.expected },
        "signed_string": { "text": v.signed_string.text(), "bytes": v.signed_string.bytes().len() },
        "notes": v.notes,
    });
    if let Some(d) = &c.diagnosis {
        object["diagnosis"] = json!({
            "matched": d.matched,
            "explanation": d.explanation,
            "signed_string": d.matched_string.as_ref().map(|s| s.text()),
            "tried": d.tried,
            "library": d.library,
            "snippet": d.snippet,
        });
    }
    if let Some(comparison) = &c.comparison {
        object["signed_string_comparison"] = Value::String(comparison.clone());
    }
    if let Some(d) = &c.string_diagnosis {
        object["signed_string_diagnosis"] = json!({
            "differences": d.matched.as_ref().map(|m| m.split('+').collect::<Vec<_>>()),
            "explanation": d.explanation,
        });
    }
    object
}

pub fn single_json(outcome: &Outcome) -> Value {
    match outcome {
        Outcome::Checked { checked, .. } => checked_json(checked),
        Outcome::Failed { source, error, .. } => {
            json!({ "source": source, "valid": false, "error": error.message() })
        }
    }
}

pub fn stream_json(source: &str, tally: &Tally) -> Value {
    let failures: Vec<Value> = tally
        .failures
        .iter()
        .map(|o| match o {
            Outcome::Checked { line, checked } => {
                let mut v = checked_json(checked);
                v["line"] = json!(line);
                v
            }
            Outcome::Failed {
                line,
                source,
                error,
            } => {
                json!({ "line": line, "source": source, "valid": false, "error": error.message() })
            }
        })
        .collect();
    json!({
        "source": source,
        "valid": tally.invalid == 0 && tally.errors == 0,
        "summary": {
            "checked": tally.checked,
            "valid": tally.valid,
            "invalid": tally.invalid,
            "errors": tally.errors,
        },
        "failures": failures,
        "failures_truncated": tally.truncated,
    })
}
