//! How `verify` reports: a detailed block for one callback, one line per failure and a
//! summary for streams, and the JSON forms of both.

use serde::Serialize;

use super::terminal::Json;
use super::Output;
use crate::error::Error;
use crate::vendors::{Diagnosis, Verdict};

/// Failures kept for the JSON report of a stream; beyond this only counts grow, so
/// memory stays flat however bad the stream is.
const MAX_KEPT_FAILURES: usize = 10_000;

/// One callback that could be checked.
pub(crate) struct Checked {
    pub(crate) source: String,
    pub(crate) vendor_name: &'static str,
    pub(crate) verdict: Verdict,
    pub(crate) diagnosis: Option<Diagnosis>,
    pub(crate) comparison: Option<String>,
    /// Every difference in the user's signed string, by family (`--signed-string`).
    pub(crate) string_diagnosis: Option<Diagnosis>,
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
    pub(crate) fn valid(&self) -> bool {
        matches!(self, Outcome::Checked { checked, .. } if checked.verdict.valid)
    }
}

/// Counts for a stream, and the failures worth listing.
#[derive(Default)]
pub(crate) struct Tally {
    pub(crate) checked: usize,
    pub(crate) valid: usize,
    pub(crate) invalid: usize,
    pub(crate) errors: usize,
    pub(crate) failures: Vec<Outcome>,
    pub(crate) truncated: bool,
}

impl Tally {
    /// Counts a callback that verified and needs no report.
    pub(crate) fn add_passed(&mut self) {
        self.checked += 1;
        self.valid += 1;
    }

    pub(crate) fn add(&mut self, outcome: Outcome) {
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

pub(crate) fn print_single(outcome: &Outcome, output: &mut Output) {
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
pub(crate) fn print_stream_item(outcome: &Outcome, explain: bool, output: &mut Output) {
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

pub(crate) fn print_summary(tally: &Tally, output: &mut Output) {
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

/// `verify --json` of one callback, and of each failure of a stream.
#[derive(Serialize)]
struct CheckedJson<'a> {
    source: &'a str,
    vendor: &'a str,
    id: Option<&'a str>,
    valid: bool,
    reason: Option<&'a str>,
    signature: SignatureJson<'a>,
    signed_string: SignedStringJson,
    notes: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    diagnosis: Option<DiagnosisJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signed_string_comparison: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signed_string_diagnosis: Option<StringDiagnosisJson<'a>>,
    /// Only in a stream's failures, and there last (null for a single document).
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<Option<usize>>,
}

#[derive(Serialize)]
struct SignatureJson<'a> {
    received: &'a str,
    expected: Option<&'a str>,
}

#[derive(Serialize)]
struct SignedStringJson {
    text: String,
    bytes: usize,
}

#[derive(Serialize)]
struct DiagnosisJson<'a> {
    matched: Option<&'a str>,
    explanation: &'a str,
    signed_string: Option<String>,
    tried: &'a [&'static str],
    library: Option<&'a str>,
    snippet: Option<&'a str>,
}

#[derive(Serialize)]
struct StringDiagnosisJson<'a> {
    differences: Option<Vec<&'a str>>,
    explanation: &'a str,
}

/// A document that could not be checked: `{"line"?, "source", "valid": false, "error"}`.
#[derive(Serialize)]
struct FailedJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<Option<usize>>,
    source: &'a str,
    valid: bool,
    error: &'a str,
}

/// One entry of a stream's `failures`, or the single document.
#[derive(Serialize)]
#[serde(untagged)]
enum OutcomeJson<'a> {
    Checked(Box<CheckedJson<'a>>),
    Failed(FailedJson<'a>),
}

/// `verify --json` of a stream: `{"source", "valid", "summary", "failures", "failures_truncated"}`.
#[derive(Serialize)]
struct StreamJson<'a> {
    source: &'a str,
    valid: bool,
    summary: SummaryJson,
    failures: Vec<OutcomeJson<'a>>,
    failures_truncated: bool,
}

#[derive(Serialize)]
struct SummaryJson {
    checked: usize,
    valid: usize,
    invalid: usize,
    errors: usize,
}

fn checked_json(c: &Checked, line: Option<Option<usize>>) -> CheckedJson<'_> {
    let v = &c.verdict;
    CheckedJson {
        source: &c.source,
        vendor: v.vendor,
        id: v.id.as_deref(),
        valid: v.valid,
        reason: v.reason.as_deref(),
        signature: SignatureJson {
            received: v.received.trim(),
            expected: v.expected.as_deref(),
        },
        signed_string: SignedStringJson {
            text: v.signed_string.text(),
            bytes: v.signed_string.bytes().len(),
        },
        notes: &v.notes,
        diagnosis: c.diagnosis.as_ref().map(|d| DiagnosisJson {
            matched: d.matched.as_deref(),
            explanation: &d.explanation,
            signed_string: d.matched_string.as_ref().map(|s| s.text()),
            tried: &d.tried,
            library: d.library.as_deref(),
            snippet: d.snippet.as_deref(),
        }),
        signed_string_comparison: c.comparison.as_deref(),
        signed_string_diagnosis: c.string_diagnosis.as_ref().map(|d| StringDiagnosisJson {
            differences: d.matched.as_ref().map(|m| m.split('+').collect()),
            explanation: &d.explanation,
        }),
        line,
    }
}

fn outcome_json(
    outcome: &Outcome,
    line: impl Fn(Option<usize>) -> Option<Option<usize>>,
) -> OutcomeJson<'_> {
    match outcome {
        Outcome::Checked { line: at, checked } => {
            OutcomeJson::Checked(Box::new(checked_json(checked, line(*at))))
        }
        Outcome::Failed {
            line: at,
            source,
            error,
        } => OutcomeJson::Failed(FailedJson {
            line: line(*at),
            source,
            valid: false,
            error: error.message(),
        }),
    }
}

pub(crate) fn single_json(outcome: &Outcome) -> Json<impl Serialize + '_> {
    Json(outcome_json(outcome, |_| None))
}

pub(crate) fn stream_json<'a>(source: &'a str, tally: &'a Tally) -> Json<impl Serialize + 'a> {
    Json(StreamJson {
        source,
        valid: tally.invalid == 0 && tally.errors == 0,
        summary: SummaryJson {
            checked: tally.checked,
            valid: tally.valid,
            invalid: tally.invalid,
            errors: tally.errors,
        },
        failures: tally
            .failures
            .iter()
            .map(|o| outcome_json(o, Some))
            .collect(),
        failures_truncated: tally.truncated,
    })
}
