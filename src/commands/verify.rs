//! `cbtool verify`: check signatures one callback at a time, streaming JSON Lines, and
//! diagnose mismatches on request.

use super::verify_report::{self, Checked, Outcome, Tally};
use super::{choose_vendor, credentials, flush_warnings, input_spec, Output};
use std::collections::BTreeMap;
use std::sync::{mpsc, Mutex};

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
    let (path, format) = input_spec(&args.input, output)?;
    let mut tally = Tally::default();
    let mut single = None;
    let ctx = Context {
        args: &args,
        creds: &creds,
        theirs: theirs.as_deref(),
        path: &path,
    };
    // A file is checked on every core; standard input a line at a time, so a live
    // stream reports each line as it comes.
    let workers = if path == "-" { 1 } else { workers() };
    let docs = Documents::open(&path, format, args.input.max_size)?;
    let mut failed_single = None;
    check_stream(docs, &ctx, workers, |line, outcome| {
        flush_warnings(&creds, output);
        if line.is_none() {
            // One document: an input error is the command's error.
            match outcome {
                Outcome::Failed { error, .. } => failed_single = Some(error),
                outcome => single = Some(outcome),
            }
            return;
        }
        if !args.json {
            verify_report::print_stream_item(&outcome, args.explain, output);
        }
        tally.add(outcome);
    });
    if let Some(error) = failed_single {
        return Err(error);
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

/// Documents handed to a worker at once: enough to make the hand-over cheap, few enough
/// that batches in flight (`IN_FLIGHT` per worker) bound the memory a stream takes.
const BATCH: usize = 256;
const IN_FLIGHT: usize = 4;

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

/// Checks every document and hands each outcome to `report` in input order.
///
/// With several workers this is a pipeline: one thread reads and splits the input
/// into batches, the workers check batches as they come, and the calling thread puts
/// the outcomes back in order, so reading, checking and reporting overlap.
fn check_stream(
    docs: Documents,
    ctx: &Context,
    workers: usize,
    mut report: impl FnMut(Option<usize>, Outcome),
) {
    if workers <= 1 {
        for doc in docs {
            let (line, outcome) = check_one(doc, ctx);
            report(line, outcome);
        }
        return;
    }
    type Batch = (usize, Vec<Result<Document>>);
    type Checked = (usize, Vec<(Option<usize>, Outcome)>);
    let (batch_tx, batch_rx) = mpsc::sync_channel::<Batch>(workers * IN_FLIGHT);
    let batch_rx = Mutex::new(batch_rx);
    let (done_tx, done_rx) = mpsc::sync_channel::<Checked>(workers * IN_FLIGHT);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut docs = docs;
            for index in 0.. {
                let batch: Vec<_> = docs.by_ref().take(BATCH).collect();
                // A closed channel means the reporting side has stopped listening.
                if batch.is_empty() || batch_tx.send((index, batch)).is_err() {
                    break;
                }
            }
        });
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let batch_rx = &batch_rx;
            scope.spawn(move || loop {
                let next = match batch_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => break,
                };
                let Ok((index, batch)) = next else { break };
                let outcomes = batch.into_iter().map(|d| check_one(d, ctx)).collect();
                if done_tx.send((index, outcomes)).is_err() {
                    break;
                }
            });
        }
        drop(done_tx);
        // Batches finish out of order; hold the early ones until their turn.
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        for (index, outcomes) in done_rx {
            waiting.insert(index, outcomes);
            while let Some(outcomes) = waiting.remove(&next) {
                for (line, outcome) in outcomes {
                    report(line, outcome);
                }
                next += 1;
            }
        }
    });
}

/// One document's outcome, and its line for JSON Lines (`Some(0)` for an unreadable
/// input, `None` for a single document).
fn check_one(doc: Result<Document>, ctx: &Context) -> (Option<usize>, Outcome) {
    match doc {
        Ok(doc) => {
            let line = doc.line;
            let origin = doc.origin;
            let source = doc.source.clone();
            let outcome = match check(doc, ctx.args, ctx.creds, ctx.theirs) {
                Ok(checked) => Outcome::Checked {
                    line,
                    checked: Box::new(checked),
                },
                Err(error) => Outcome::Failed {
                    line,
                    error: crate::input::locate(&source, line, origin, error),
                    source,
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
    doc: Document,
    args: &VerifyArgs,
    creds: &Credentials,
    theirs: Option<&[u8]>,
) -> Result<Checked> {
    let msg = Message::with_headers(doc.source, &doc.body, doc.headers);
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
