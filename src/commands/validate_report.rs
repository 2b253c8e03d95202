//! How `validate` reports: one line per finding (`file:line:col: severity [rule]
//! /pointer: message`) and a summary, or the JSON documents described in the README.

use serde::Serialize;

use super::terminal::{ErrorJson, Json};
use super::Output;
use crate::error::{Error, Position};
use crate::schema::{locate, Finding, Findings, Severity};

/// One finding and where it is in the input file.
pub(crate) struct Located {
    pub(crate) finding: Finding,
    pub(crate) position: Option<Position>,
}

/// The outcome for one callback (one file, or one line of a JSON Lines file).
pub(crate) struct Checked {
    /// The input's name as given.
    pub(crate) file: String,
    /// `file`, or `file:line` for JSON Lines.
    pub(crate) source: String,
    pub(crate) line: Option<usize>,
    pub(crate) vendor: Option<&'static str>,
    pub(crate) schemas: Vec<&'static str>,
    pub(crate) findings: Vec<Located>,
    /// Why the callback could not be checked at all.
    pub(crate) unreadable: Option<Error>,
    /// The parsed body, kept only for `--sequence` and a vendor whose callbacks form
    /// histories: the history check reads it.
    pub(crate) history: Option<serde_json::Value>,
    /// The body, kept only for `--sequence` (to place its finding).
    pub(crate) body: Vec<u8>,
    pub(crate) origin: Option<Position>,
}

impl Checked {
    pub(crate) fn unreadable(file: &str, line: Option<usize>, error: Error) -> Checked {
        Checked {
            file: file.to_string(),
            source: file.to_string(),
            line,
            vendor: None,
            schemas: Vec::new(),
            findings: Vec::new(),
            unreadable: Some(error),
            history: None,
            body: Vec::new(),
            origin: None,
        }
    }

    pub(crate) fn add_error(&mut self, path: &str, rule: &str, message: &str) {
        let mut found = Findings::default();
        found.error(path, rule, message);
        let mut finding = found.items.remove(0);
        let text = std::str::from_utf8(&self.body).unwrap_or_default();
        finding.offset = locate::offset(text, path);
        let position = match (self.origin, finding.offset) {
            (Some(origin), Some(offset)) => {
                Some(origin.then(Position::of_offset(&self.body, offset)))
            }
            _ => None,
        };
        self.findings.push(Located { finding, position });
    }

    fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.finding.severity == severity)
            .count()
    }

    pub(crate) fn valid(&self, strict: bool) -> bool {
        self.unreadable.is_none()
            && self.count(Severity::Error) == 0
            && !(strict && self.count(Severity::Warning) > 0)
    }
}

/// What the history check found.
pub(crate) struct Sequence {
    pub(crate) callbacks: usize,
    pub(crate) order_id: Option<i64>,
    /// Index (in the reports) of the callback with the first illegal step.
    pub(crate) first_illegal: Option<usize>,
}

pub(crate) fn print(
    reports: &[Checked],
    sequence: Option<&Sequence>,
    strict: bool,
    output: &mut Output,
) {
    for report in reports.iter().filter(|r| r.unreadable.is_none()) {
        if report.findings.is_empty() {
            let valid = output.good("valid");
            output.line(format_args!(
                "{}: {valid} ({})",
                report.source,
                report.schemas.join(", ")
            ));
        }
        for located in &report.findings {
            let line = finding_line(report, located, output);
            output.line(line);
        }
    }
    if let Some(s) = sequence {
        output.line(sequence_line(reports, s));
    }
    if reports.len() > 1 {
        output.line(summary_line(reports, strict));
    }
}

fn finding_line(report: &Checked, located: &Located, output: &Output) -> String {
    let f = &located.finding;
    let place = match located.position {
        Some(p) => format!("{}:{}:{}", report.file, p.line, p.column),
        None => report.source.clone(),
    };
    let severity = match f.severity {
        Severity::Error => output.severity("error", true),
        Severity::Warning => output.severity("warning", false),
    };
    let path = if f.path.is_empty() { "/" } else { &f.path };
    format!("{place}: {severity} [{}] {path}: {}", f.rule, f.message)
}

fn sequence_line(reports: &[Checked], s: &Sequence) -> String {
    let order = s
        .order_id
        .map_or("(no orderId)".to_string(), |o| o.to_string());
    match s.first_illegal {
        None => format!("sequence: legal history of order {order} ({} callbacks)", s.callbacks),
        Some(i) => format!("sequence: illegal history of order {order}: first illegal step at {} (see the sequence.* error above)", reports[i].source),
    }
}

fn summary_line(reports: &[Checked], strict: bool) -> String {
    let t = Totals::of(reports, strict);
    format!(
        "{} callbacks: {} valid, {} invalid, {} unreadable; {} errors, {} warnings",
        t.callbacks, t.valid, t.invalid, t.unreadable, t.errors, t.warnings
    )
}

/// The counts of a run, in the text summary and as the JSON's `summary`.
#[derive(Serialize)]
struct Totals {
    callbacks: usize,
    valid: usize,
    invalid: usize,
    unreadable: usize,
    errors: usize,
    warnings: usize,
}

impl Totals {
    fn of(reports: &[Checked], strict: bool) -> Totals {
        let unreadable = reports.iter().filter(|r| r.unreadable.is_some()).count();
        let valid = reports.iter().filter(|r| r.valid(strict)).count();
        Totals {
            callbacks: reports.len(),
            valid,
            invalid: reports.len() - valid - unreadable,
            unreadable,
            errors: reports.iter().map(|r| r.count(Severity::Error)).sum(),
            warnings: reports.iter().map(|r| r.count(Severity::Warning)).sum(),
        }
    }
}

/// The JSON for one callback: `{"valid", "file", "line", "vendor", "schemas", "errors", "warnings"}`,
/// plus `"unreadable"` (the error) when it could not be checked.
#[derive(Serialize)]
struct DocumentJson<'a> {
    valid: bool,
    file: &'a str,
    line: Option<usize>,
    vendor: Option<&'static str>,
    schemas: &'a [&'static str],
    errors: Vec<FindingJson<'a>>,
    warnings: Vec<FindingJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unreadable: Option<&'a str>,
    /// With `unreadable`: the error, placed, as every `--json` error is.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorJson<'a>>,
}

#[derive(Serialize)]
struct FindingJson<'a> {
    path: &'a str,
    line: Option<usize>,
    column: Option<usize>,
    rule: &'a str,
    message: &'a str,
}

/// The JSON for several callbacks: `{"valid", "summary", "files": [per callback], "sequence"}`.
#[derive(Serialize)]
struct RunJson<'a> {
    valid: bool,
    summary: Totals,
    files: Vec<DocumentJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sequence: Option<SequenceJson<'a>>,
}

#[derive(Serialize)]
struct SequenceJson<'a> {
    legal: bool,
    callbacks: usize,
    order_id: Option<i64>,
    first_illegal: Option<PlaceJson<'a>>,
}

#[derive(Serialize)]
struct PlaceJson<'a> {
    file: &'a str,
    line: Option<usize>,
}

fn document(report: &Checked, strict: bool) -> DocumentJson<'_> {
    let list = |severity| -> Vec<FindingJson<'_>> {
        report
            .findings
            .iter()
            .filter(|f| f.finding.severity == severity)
            .map(finding_json)
            .collect()
    };
    DocumentJson {
        valid: report.valid(strict),
        file: &report.file,
        line: report.line,
        vendor: report.vendor,
        schemas: &report.schemas,
        errors: list(Severity::Error),
        warnings: list(Severity::Warning),
        unreadable: report.unreadable.as_ref().map(Error::message),
        error: report.unreadable.as_ref().map(ErrorJson::of),
    }
}

fn finding_json(located: &Located) -> FindingJson<'_> {
    let f = &located.finding;
    FindingJson {
        path: &f.path,
        line: located.position.map(|p| p.line),
        column: located.position.map(|p| p.column),
        rule: &f.rule,
        message: &f.message,
    }
}

pub(crate) fn document_json(report: &Checked, strict: bool) -> Json<impl Serialize + '_> {
    Json(document(report, strict))
}

pub(crate) fn run_json<'a>(
    reports: &'a [Checked],
    sequence: Option<&Sequence>,
    strict: bool,
) -> Json<impl Serialize + 'a> {
    let t = Totals::of(reports, strict);
    let illegal = sequence.is_some_and(|s| s.first_illegal.is_some());
    Json(RunJson {
        valid: t.valid == t.callbacks && !illegal,
        summary: t,
        files: reports.iter().map(|r| document(r, strict)).collect(),
        sequence: sequence.map(|s| SequenceJson {
            legal: s.first_illegal.is_none(),
            callbacks: s.callbacks,
            order_id: s.order_id,
            first_illegal: s.first_illegal.map(|i| PlaceJson {
                file: &reports[i].file,
                line: reports[i].line,
            }),
        }),
    })
}
