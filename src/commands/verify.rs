//! `cbtool verify`: check signatures one callback at a time, streaming JSON Lines, and
//! diagnose mismatches on request.

use super::verify_report::{self, Checked, Outcome, Tally};
use super::{choose_vendor, credentials, flush_warnings, input_spec, Output};
use crate::cli::VerifyArgs;
use crate::credentials::Credentials;
use crate::error::{Error, Result, EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE};
use crate::input::{Document, Documents};
use crate::signed_string;
use crate::vendor::{self, Message};

pub fn run(args: VerifyArgs, output: &mut Output) -> Result<i32> {
    let creds = credentials(&args.credentials)?;
    let theirs = match &args.signed_string {
        Some(path) => Some(std::fs::read(path).map_err(|e| {
            Error::new(format!(
                "{}: cannot read the signed string: {e}",
                path.display()
            ))
        })?),
        None => None,
    };
    let (path, format) = input_spec(&args.input);
    let mut tally = Tally::default();
    let mut single = None;
    for doc in Documents::open(&path, format, args.input.max_size)? {
        let (line, outcome) = match doc {
            Ok(doc) => {
                let line = doc.line;
                let outcome = match check(&doc, &args, &creds, theirs.as_deref()) {
                    Ok(checked) => Outcome::Checked {
                        line,
                        checked: Box::new(checked),
                    },
                    Err(error) => Outcome::Failed {
                        line,
                        source: doc.source.clone(),
                        error,
                    },
                };
                (line, outcome)
            }
            Err(error) => (
                Some(0),
                Outcome::Failed {
                    line: None,
                    source: path.clone(),
                    error,
                },
            ),
        };
        flush_warnings(&creds, output);
        if line.is_none() {
            // One document: an input error is the command's error.
            if let Outcome::Failed { error, .. } = outcome {
                return Err(error);
            }
            single = Some(outcome);
            continue;
        }
        if !args.json {
            verify_report::print_stream_item(&outcome, args.explain, output);
        }
        tally.add(outcome);
    }
    match (single, args.json) {
        (Some(outcome), false) => {
            verify_report::print_single(&outcome, output);
            Ok(exit_code(outcome.valid(), false))
        }
        (Some(outcome), true) => {
            output.line(verify_report::single_json(&outcome));
            Ok(exit_code(outcome.valid(), false))
        }
        (None, json) => {
            if json {
                output.line(verify_report::stream_json(
                    &crate::input::display_name(&path),
                    &tally,
                ));
            } else {
                verify_report::print_summary(&tally, output);
            }
            Ok(exit_code(tally.invalid == 0, tally.errors > 0))
        }
    }
}

fn check(
    doc: &Document,
    args: &VerifyArgs,
    creds: &Credentials,
    theirs: Option<&[u8]>,
) -> Result<Checked> {
    let msg = Message::with_headers(doc.source.clone(), &doc.body, doc.headers.clone());
    let top = msg.top_level()?;
    let vendor = choose_vendor(args.input.vendor, &msg.source, top)?;
    let target = vendor::target(vendor, &msg, args.signature.as_deref())?;
    let verdict = vendor.verify(&msg, creds, &target)?;
    let diagnosis = if args.explain {
        Some(vendor.diagnose(&msg, creds, &target)?)
    } else {
        None
    };
    let comparison = theirs.map(|t| signed_string::compare(&verdict.signed_string, t));
    Ok(Checked {
        source: msg.source,
        vendor_name: vendor.name(),
        verdict,
        diagnosis,
        comparison,
    })
}

/// 2 if any input could not be read, else 1 if any signature failed, else 0.
fn exit_code(all_valid: bool, unreadable: bool) -> i32 {
    if unreadable {
        EXIT_USAGE
    } else if all_valid {
        EXIT_OK
    } else {
        EXIT_CHECK_FAILED
    }
}
