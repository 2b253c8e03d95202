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
    let ctx = Context {
        args: &args,
        creds: &creds,
        theirs: theirs.as_deref(),
        path: &path,
    };
    // A file is checked in batches on every core; standard input a line at a time, so a
    // live stream reports each line as it comes.
    let (batch, workers) = if path == "-" {
        (1, 1)
    } else {
        (BATCH, workers())
    };
    let mut docs = Documents::open(&path, format, args.input.max_size)?;
    loop {
        let chunk: Vec<Result<Document>> = docs.by_ref().take(batch).collect();
        if chunk.is_empty() {
            break;
        }
        for (line, outcome) in check_all(chunk, &ctx, workers) {
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

/// Documents read ahead and checked together; bounds the memory a stream takes.
const BATCH: usize = 1024;

/// What checking one document needs besides the document.
struct Context<'a> {
    args: &'a VerifyArgs,
    creds: &'a Credentials,
    theirs: Option<&'a [u8]>,
    path: &'a str,
}

fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Checks `docs`, split over `workers` threads; outcomes come back in input order.
fn check_all(
    docs: Vec<Result<Document>>,
    ctx: &Context,
    workers: usize,
) -> Vec<(Option<usize>, Outcome)> {
    // Below this, starting threads costs more than it saves.
    const MIN_PER_WORKER: usize = 64;
    let workers = workers.min(docs.len() / MIN_PER_WORKER).max(1);
    if workers == 1 {
        return docs.into_iter().map(|d| check_one(d, ctx)).collect();
    }
    let per = docs.len().div_ceil(workers);
    let mut docs = docs.into_iter();
    let parts: Vec<Vec<Result<Document>>> = (0..workers)
        .map(|_| docs.by_ref().take(per).collect())
        .collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|part| {
                scope.spawn(move || {
                    part.into_iter()
                        .map(|d| check_one(d, ctx))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(outcomes) => outcomes,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}

/// One document's outcome, and its line for JSON Lines (`Some(0)` for an unreadable
/// input, `None` for a single document).
fn check_one(doc: Result<Document>, ctx: &Context) -> (Option<usize>, Outcome) {
    match doc {
        Ok(doc) => {
            let line = doc.line;
            let outcome = match check(&doc, ctx.args, ctx.creds, ctx.theirs) {
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
                source: ctx.path.to_string(),
                error,
            },
        ),
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
