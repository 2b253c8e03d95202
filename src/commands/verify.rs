//! `cbtool verify`: check signatures one callback at a time, streaming JSON Lines, and
//! diagnose mismatches on request.

use super::verify_report::{self, Checked, Outcome, Tally};
use super::{choose_vendor, credentials, flush_warnings, input_spec, Output};
use std::collections::BTreeMap;
use std::sync::{mpsc, Mutex};

use crate::cli::VerifyArgs;
use crate::credentials::Credentials;
use crate::error::{Error, Result, EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE};
use crate::input::{Block, Document, Documents, Item};
use crate::vendors::{self, Message};

pub(crate) fn run(args: VerifyArgs, output: &mut Output) -> Result<i32> {
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
    let name = crate::input::display_name(&path);
    let ctx = Context {
        args: &args,
        creds: &creds,
        theirs: theirs.as_deref(),
        name: &name,
    };
    // A file is checked on every core; standard input a line at a time, so a live
    // stream reports each line as it comes.
    let workers = if path == "-" { 1 } else { workers() };
    let docs = Documents::open(&path, format, args.input.max_size)?;
    let mut failed_single = None;
    check_stream(docs, &ctx, workers, |report| {
        let (line, outcome) = match report {
            Report::Passed => return tally.add_passed(),
            Report::Done(line, outcome) => (line, outcome),
        };
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
    // Warnings about the credentials (a private key given as the public one, a weak
    // key) come with the first outcome reported; a stream where every line passed has
    // none, so they are shown here.
    flush_warnings(&creds, output);
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
                output.line(verify_report::stream_json(&name, &tally));
            } else {
                verify_report::print_summary(&tally, output);
            }
            Ok(exit_code(tally.invalid == 0, tally.errors > 0))
        }
    }
}

/// Lines handed to a worker at once: enough to make the hand-over cheap, few enough
/// that blocks in flight (`IN_FLIGHT` per worker, counted from being read to being
/// reported) bound the memory a stream takes.
const BATCH: usize = 256;
const IN_FLIGHT: usize = 4;

/// What checking one document needs besides the document.
struct Context<'a> {
    args: &'a VerifyArgs,
    creds: &'a Credentials,
    theirs: Option<&'a [u8]>,
    /// The input's name in messages (`<stdin>` for `-`).
    name: &'a str,
}

fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// What the reporting side gets for one document, in input order.
enum Report {
    /// A JSON Lines callback that verified: nothing to show, one to count.
    Passed,
    /// The outcome, and the line for JSON Lines (`Some(0)` for an unreadable input,
    /// `None` for a single document).
    Done(Option<usize>, Outcome),
}

/// Checks every document and hands each report to `report` in input order.
///
/// With several workers this is a pipeline: one thread reads the input in blocks of
/// lines, the workers check blocks as they come, and the calling thread puts the
/// reports back in order, so reading, checking and reporting overlap.
///
/// Memory is bounded by credits, not only by the bounded channels: a block that waits
/// for an earlier, slower one sits outside any channel, so without them one slow line
/// would let the reader run ahead through the whole input. The reader takes a credit
/// per block and the reporting side returns it once the block is reported.
fn check_stream(docs: Documents, ctx: &Context, workers: usize, mut report: impl FnMut(Report)) {
    if workers <= 1 {
        for doc in docs {
            report(check_document(doc, ctx));
        }
        return;
    }
    let in_flight = workers * IN_FLIGHT;
    let (block_tx, block_rx) = mpsc::sync_channel::<(usize, Block)>(in_flight);
    let block_rx = Mutex::new(block_rx);
    let (done_tx, done_rx) = mpsc::sync_channel::<(usize, Vec<Report>)>(in_flight);
    let (credit_tx, credit_rx) = mpsc::sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        let _ = credit_tx.send(());
    }
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut docs = docs;
            for index in 0.. {
                // A closed channel means the reporting side has stopped listening.
                if credit_rx.recv().is_err() {
                    break;
                }
                let Some(block) = docs.next_block(BATCH) else {
                    break;
                };
                if block_tx.send((index, block)).is_err() {
                    break;
                }
            }
        });
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let block_rx = &block_rx;
            scope.spawn(move || loop {
                let next = match block_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => break,
                };
                let Ok((index, mut block)) = next else { break };
                let reports = block.items().map(|item| check_item(item, ctx)).collect();
                if done_tx.send((index, reports)).is_err() {
                    break;
                }
            });
        }
        drop(done_tx);
        // Blocks finish out of order; hold the early ones until their turn.
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        for (index, reports) in done_rx {
            waiting.insert(index, reports);
            while let Some(reports) = waiting.remove(&next) {
                reports.into_iter().for_each(&mut report);
                next += 1;
                let _ = credit_tx.send(());
            }
        }
    });
}

fn check_item(item: Item, ctx: &Context) -> Report {
    let line = match item {
        Item::Line(line) => line,
        Item::Document(doc) => return check_document(doc, ctx),
    };
    // Most lines of a stream verify: those are checked straight from the block, and
    // only the rest get a name and a full verdict, from the same parsed message. A line
    // that is an envelope or not JSON takes the document path, which unwraps it or
    // names the error at its place.
    let mut msg = Message::new(String::new(), line.bytes);
    if !msg.top_level().is_ok_and(|top| !top.contains("headers")) {
        return check_document(line.into_document(), ctx);
    }
    if passes(&msg, ctx) {
        return Report::Passed;
    }
    msg.source = line.source();
    let origin = Some(crate::error::Position {
        line: line.number,
        column: 1,
    });
    checked(msg, Vec::new(), Some(line.number), origin, ctx)
}

fn check_document(doc: Result<Document>, ctx: &Context) -> Report {
    let doc = match doc {
        Ok(doc) => doc,
        Err(error) => {
            return Report::Done(
                Some(0),
                Outcome::Failed {
                    line: None,
                    source: ctx.name.to_string(),
                    error,
                },
            )
        }
    };
    let msg = Message::with_headers(doc.source, &doc.body, doc.headers);
    // A stream's line (read one at a time, from standard input) that verifies is only
    // counted, as in a block.
    if doc.line.is_some() && passes(&msg, ctx) {
        return Report::Passed;
    }
    checked(msg, doc.notes, doc.line, doc.origin, ctx)
}

/// The full check of one message, as the report's outcome.
fn checked(
    msg: Message,
    notes: Vec<String>,
    line: Option<usize>,
    origin: Option<crate::error::Position>,
    ctx: &Context,
) -> Report {
    let source = msg.source.clone();
    let outcome = match check(msg, notes, ctx.args, ctx.creds, ctx.theirs) {
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
    Report::Done(line, outcome)
}

/// Whether a stream callback verifies, checked without building its report. Errors
/// are not kept (the message may have no name yet): a callback that does not pass is
/// checked again in full, from the same parsed body, which names what is wrong.
fn passes(msg: &Message, ctx: &Context) -> bool {
    let Ok(top) = msg.top_level() else {
        return false;
    };
    // A request envelope is checked once unwrapped, which the full check does.
    if top.contains("headers") {
        return false;
    }
    let Ok(vendor) = choose_vendor(ctx.args.input.vendor, "", top) else {
        return false;
    };
    vendor.passes(msg, ctx.creds, ctx.args.signature.as_deref())
}

fn check(
    msg: Message,
    notes: Vec<String>,
    args: &VerifyArgs,
    creds: &Credentials,
    theirs: Option<&[u8]>,
) -> Result<Checked> {
    // A line reaches here parsed (see `check_item`), a document with its name: an error
    // names the input either way.
    let top = msg.top_level()?;
    let vendor = choose_vendor(args.input.vendor, &msg.source, top)?;
    let target = vendors::target(vendor, &msg, args.signature.as_deref())?;
    let mut verdict = vendor.verify(&msg, creds, &target)?;
    verdict.notes.extend(notes);
    let diagnosis = if args.explain {
        Some(vendor.diagnose(&msg, creds, &target)?)
    } else {
        None
    };
    let comparison = match theirs {
        Some(t) => {
            let text =
                vendor.compare_signed_string(&msg, creds, &target, &verdict.signed_string, t)?;
            // The plain byte comparison's "identical" says where a difference might be;
            // with a valid signature there is none, so say so.
            Some(
                if verdict.valid && text == crate::signed_string::IDENTICAL {
                    "identical to the correct one, and the signature verifies: nothing to change"
                        .to_string()
                } else {
                    text
                },
            )
        }
        None => None,
    };
    let string_diagnosis =
        theirs.and_then(|t| vendor.explain_signed_string(&msg, creds, t, &target));
    Ok(Checked {
        source: msg.source,
        vendor_name: vendor.name(),
        verdict,
        diagnosis,
        comparison,
        string_diagnosis,
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
