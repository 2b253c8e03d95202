//! `cbtool validate`: read callbacks from files, directories, JSON Lines and envelopes,
//! check each against its vendor's schemas and rules (`crate::schema`, through
//! `Vendor::rules`), optionally check that they form one order's legal history (the
//! history rules of the vendor whose callbacks form histories), and report.

use std::path::Path;

use super::validate_report::{self, Checked, Located};
use super::{choose_vendor, Output};
use crate::cli::ValidateArgs;
use crate::error::{Error, Result, EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE};
use crate::input::{display_name, Document, Documents, Format};
use crate::json::TopLevel;
use crate::schema::{self, History};
use crate::vendors::{self, Vendor};

/// File names a directory contributes; files named on the command line are always read.
const EXTENSIONS: [&str; 4] = ["json", "jsonl", "ndjson", "http"];

pub(crate) fn run(args: ValidateArgs, output: &mut Output) -> Result<i32> {
    if let Some(name) = &args.print_schema {
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

/// The text of the schema `--print-schema` names (clap has checked the name against the
/// same registry).
fn print_schema(name: &str) -> Result<&'static str> {
    vendors::schemas()
        .find(|s| s.name == name)
        .map(|s| s.text)
        .ok_or_else(|| Error::new(format!("no embedded schema `{name}`")))
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
    let in_source = |e: Error| Error::new(format!("{}: {e}", doc.source));
    // Parsed once: the schemas, the rules and the history check all read this value.
    let body = schema::parse(top.text()).map_err(in_source)?;
    let mut found = schema::check(vendor.rules(), &body).map_err(in_source)?;
    schema::locate_all(&mut found, top.text());
    let history = (args.sequence && vendor.rules().history().is_some()).then_some(body);
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
        history,
        body: if args.sequence {
            doc.body.clone()
        } else {
            Vec::new()
        },
        origin: doc.origin,
    })
}

/// The history rules `--sequence` applies: those of the first callback's vendor that has
/// them, or else of the first such vendor in the registry (for the finding that says what
/// a history is).
fn history_of(reports: &[Checked]) -> Option<(&'static dyn Vendor, &'static dyn History)> {
    let with_history = |v: &'static dyn Vendor| v.rules().history().map(|h| (v, h));
    reports
        .iter()
        .filter(|r| r.unreadable.is_none())
        .filter_map(|r| r.vendor.and_then(vendors::by_id))
        .chain(vendors::all().iter().copied())
        .find_map(with_history)
}

/// Runs the history check over every readable callback and files its first illegal
/// step as an error of the callback where it happened.
fn check_sequence(reports: &mut [Checked]) -> validate_report::Sequence {
    let Some((vendor, history)) = history_of(reports) else {
        for report in reports.iter_mut().filter(|r| r.unreadable.is_none()) {
            report.add_error(
                "",
                "sequence.vendor",
                "no vendor's callbacks form a history",
            );
        }
        return validate_report::Sequence {
            callbacks: 0,
            order_id: None,
            first_illegal: None,
        };
    };
    let mut owners = Vec::new();
    let not_in_history = format!(
        "not a {} callback: a history is {}",
        vendor.name(),
        history.what()
    );
    for (i, report) in reports.iter_mut().enumerate() {
        if report.unreadable.is_some() {
            continue;
        }
        if report.history.is_some() && report.vendor == Some(vendor.id()) {
            owners.push(i);
        } else {
            report.add_error("", "sequence.vendor", &not_in_history);
        }
    }
    let bodies: Vec<&serde_json::Value> = owners
        .iter()
        .filter_map(|&i| reports[i].history.as_ref())
        .collect();
    let order_id = bodies.first().and_then(|b| history.id(b));
    let callbacks = bodies.len();
    let illegal = history.check(&bodies).err().map(|illegal| {
        let owner = owners[illegal.index];
        reports[owner].add_error(illegal.path, illegal.rule, &illegal.message);
        owner
    });
    validate_report::Sequence {
        callbacks,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `--print-schema` takes names from every vendor at once: each must be unique and
    /// start with its vendor's id, and print its own text.
    #[test]
    fn every_registered_schema_prints_by_its_unique_name() {
        let mut names = Vec::new();
        for vendor in vendors::all() {
            for schema in vendor.rules().schemas() {
                assert!(schema.name.starts_with(vendor.id()), "{}", schema.name);
                assert!(!names.contains(&schema.name), "{} twice", schema.name);
                names.push(schema.name);
                assert!(std::ptr::eq(
                    print_schema(schema.name).unwrap(),
                    schema.text
                ));
            }
        }
        assert_eq!(
            names,
            vendors::schemas().map(|s| s.name).collect::<Vec<_>>()
        );
        let e = print_schema("nobody-schema").unwrap_err();
        assert_eq!(e.to_string(), "no embedded schema `nobody-schema`");
    }
}
