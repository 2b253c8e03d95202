//! `cbtool validate`: read callbacks from files, directories, JSON Lines and envelopes,
//! check each against the schemas and rules (`crate::schema`), optionally check that
//! they form one Dayu order's legal history, and report.

use std::path::Path;

use super::validate_report::{self, Checked, Located};
use super::{choose_vendor, Output};
use crate::cli::{SchemaName, ValidateArgs};
use crate::error::{Error, Result, EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE};
use crate::input::{display_name, Document, Documents, Format};
use crate::json::TopLevel;
use crate::schema::{self, sequence};

/// File names a directory contributes; files named on the command line are always read.
const EXTENSIONS: [&str; 4] = ["json", "jsonl", "ndjson", "http"];

pub fn run(args: ValidateArgs, output: &mut Output) -> Result<i32> {
    if let Some(name) = args.print_schema {
        output.line(print_schema(name)?.trim_end());
        return Ok(EXIT_OK);
    }
    let format = if args.jsonl {
        Format::JsonLines
    } else {
        Format::Auto
    };
    let mut reports = Vec::new();
    for path in expand(&args.files, &mut reports) {
        read_file(&path, format, &args, &mut reports);
    }
    let sequence = args.sequence.then(|| check_sequence(&mut reports));
    for report in &reports {
        if let Some(error) = &report.unreadable {
            output.error(error);
        }
    }
    let single = reports.len() == 1 && reports[0].line.is_none() && !args.sequence;
    if args.json {
        if single {
            output.line(validate_report::document_json(&reports[0], args.strict));
        } else {
            output.line(validate_report::run_json(
                &reports,
                sequence.as_ref(),
                args.strict,
            ));
        }
    } else {
        validate_report::print(&reports, sequence.as_ref(), args.strict, output);
    }
    Ok(exit_code(&reports, sequence.as_ref(), args.strict))
}

fn print_schema(name: SchemaName) -> Result<&'static str> {
    let id = match name {
        SchemaName::Autox3Envelope => "autox3-envelope",
        SchemaName::Autox3ReceivebaseCreate => "autox3-receivebase-create",
        SchemaName::DayuOrderProgress => "dayu-order-progress",
    };
    schema::schema_text(id).ok_or_else(|| Error::new(format!("no embedded schema `{id}`")))
}

/// The files to read: arguments as given, directories walked in name order.
fn expand(args: &[String], reports: &mut Vec<Checked>) -> Vec<String> {
    let mut files = Vec::new();
    for arg in args {
        let path = Path::new(arg);
        if arg == "-" || !path.is_dir() {
            files.push(arg.clone());
            continue;
        }
        let before = files.len();
        if let Err(e) = walk(path, &mut files) {
            reports.push(Checked::unreadable(
                arg,
                None,
                Error::new(format!("{arg}: cannot read the directory: {e}")),
            ));
        } else if files.len() == before {
            let message = format!(
                "{arg}: no callback files (*.json, *.jsonl, *.ndjson, *.http) in this directory"
            );
            reports.push(Checked::unreadable(arg, None, Error::new(message)));
        }
    }
    files
}

fn walk(dir: &Path, files: &mut Vec<String>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<std::io::Result<_>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        // Symbolic links to directories are not followed: no cycles.
        if entry.file_type()?.is_dir() {
            walk(&path, files)?;
        } else if path
            .extension()
            .is_some_and(|x| EXTENSIONS.iter().any(|e| x == *e))
        {
            files.push(path.to_string_lossy().into_owned());
        }
    }
    Ok(())
}

fn read_file(path: &str, format: Format, args: &ValidateArgs, reports: &mut Vec<Checked>) {
    let name = display_name(path);
    let documents = match Documents::open(path, format, args.max_size) {
        Ok(d) => d,
        Err(e) => return reports.push(Checked::unreadable(&name, None, e)),
    };
    let mut any = false;
    for doc in documents {
        any = true;
        let report = match doc {
            Ok(doc) => check(&name, &doc, args)
                .unwrap_or_else(|e| Checked::unreadable(&name, doc.line, doc.locate(e))),
            Err(e) => Checked::unreadable(&name, None, e),
        };
        reports.push(report);
    }
    if !any {
        reports.push(Checked::unreadable(
            &name,
            None,
            Error::new(format!("{name}: is empty; expected a JSON callback")),
        ));
    }
}

fn check(name: &str, doc: &Document, args: &ValidateArgs) -> Result<Checked> {
    let top = TopLevel::parse(&doc.source, &doc.body)?;
    let vendor = choose_vendor(args.vendor, &doc.source, &top)?;
    let found = schema::validate(vendor.id(), top.text())
        .map_err(|e| Error::new(format!("{}: {e}", doc.source)))?;
    let event = schema::history_event(vendor.id(), top.text());
    let findings = found
        .items
        .into_iter()
        .map(|f| Located {
            position: f.offset.and_then(|o| doc.position(o)),
            finding: f,
        })
        .collect();
    Ok(Checked {
        file: name.to_string(),
        source: doc.source.clone(),
        line: doc.line,
        vendor: Some(vendor.id()),
        schemas: found.schemas,
        findings,
        unreadable: None,
        event,
        body: if args.sequence {
            doc.body.clone()
        } else {
            Vec::new()
        },
        origin: doc.origin,
    })
}

/// Runs the history check over every readable callback and files its first illegal
/// step as an error of the callback where it happened.
fn check_sequence(reports: &mut [Checked]) -> validate_report::Sequence {
    let mut events = Vec::new();
    let mut owners = Vec::new();
    for (i, report) in reports.iter_mut().enumerate() {
        if report.unreadable.is_some() {
            continue;
        }
        match &report.event {
            Some(event) => {
                events.push(event.clone());
                owners.push(i);
            }
            None => report.add_error(
                "",
                "sequence.vendor",
                "not a Dayu callback: a history is one Dayu order's callbacks",
            ),
        }
    }
    let order_id = events.first().and_then(|e| e.order_id);
    let illegal = sequence::check(&events).err().map(|illegal| {
        let owner = owners[illegal.index];
        reports[owner].add_error(illegal.path, illegal.rule, &illegal.message);
        owner
    });
    validate_report::Sequence {
        callbacks: events.len(),
        order_id,
        first_illegal: illegal,
    }
}

/// 2 when any input was unreadable, else 1 when anything is invalid, else 0.
fn exit_code(
    reports: &[Checked],
    sequence: Option<&validate_report::Sequence>,
    strict: bool,
) -> i32 {
    if reports.iter().any(|r| r.unreadable.is_some()) {
        EXIT_USAGE
    } else if reports.iter().all(|r| r.valid(strict))
        && sequence.is_none_or(|s| s.first_illegal.is_none())
    {
        EXIT_OK
    } else {
        EXIT_CHECK_FAILED
    }
}
