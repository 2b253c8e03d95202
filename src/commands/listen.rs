//! `cbtool listen`: build the receiver from the flags, bind, run the server on a tokio
//! runtime, and log each request as it is answered until a stop condition.

use tokio::sync::mpsc;

use super::listen_log::Log;
use super::signals::{self, Signals};
use super::terminal::Kind;
use super::{credentials, flush_warnings, Output};
use crate::cli::{FailMode, ListenArgs};
use crate::credentials::Credentials;
use crate::error::{Error, Result, EXIT_OK};
use crate::listen::{
    self, FaultMode, FaultPlan, Limits, Receiver, Saver, SchemaCheck, SeenIds, Tally,
};
use crate::vendors::{self, Vendor};

/// How long shutdown waits for answers in flight.
const GRACE: std::time::Duration = std::time::Duration::from_secs(2);

pub(crate) fn run(args: ListenArgs, output: &mut Output) -> Result<i32> {
    check_address(&args, output)?;
    let creds = credentials(&args.credentials)?;
    let forced = args.vendor.map(super::vendor_for);
    check_vendors(&creds, forced, output)?;
    let seen = open_store(&args, output)?;
    let forgotten = seen.forgotten();
    let faults = FaultPlan::new(
        args.fail_first,
        args.fail_rate,
        args.seed,
        fault_mode(args.fail_mode),
    );
    let saver = args.save.as_deref().map(Saver::new).transpose()?;
    // Findings are warnings on the log line; they never change the answer.
    let receiver = Receiver::new(creds, forced, seen, faults).with_check(Box::new(SchemaCheck));
    // This thread prints the log; connections are accepted on a thread of their own and
    // served on a thread per core (`listen::workers`, which says why).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::new(format!("cannot start the server runtime: {e}")))?;
    let log = Log { json: args.json };
    let code = if args.forward.is_some() {
        runtime.block_on(super::listen_forward::serve(args, receiver, saver, output))?
    } else {
        runtime.block_on(serve(args, receiver, saver, output))?
    };
    log.forgotten(&forgotten, output);
    Ok(code)
}

/// Threads that serve connections: one a core.
pub(super) fn serving_threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// A receiver reachable from other machines answers anyone: only on request.
fn check_address(args: &ListenArgs, output: &mut Output) -> Result<()> {
    if args.addr.ip().is_loopback() {
        return Ok(());
    }
    if !args.allow_remote {
        return Err(Error::new(format!(
            "--addr {}: not a loopback address; other machines could reach the receiver. Use 127.0.0.1, or pass --allow-remote",
            args.addr
        )));
    }
    output.warn(format!(
        "listening on {}, reachable from other machines (--allow-remote)",
        args.addr
    ));
    Ok(())
}

/// At least one vendor must be checkable; callbacks of the others will get a 500.
fn check_vendors(
    creds: &Credentials,
    forced: Option<&'static dyn Vendor>,
    output: &mut Output,
) -> Result<()> {
    let vendors: Vec<&dyn Vendor> = match forced {
        Some(v) => vec![v],
        None => vendors::all().to_vec(),
    };
    let mut problems = Vec::new();
    for v in &vendors {
        if let Err(e) = v.verifier_ready(creds) {
            problems.push((v.name(), e));
        }
    }
    flush_warnings(creds, output);
    if problems.len() == vendors.len() {
        let all: Vec<String> = problems.iter().map(|(_, e)| e.to_string()).collect();
        return Err(Error::new(format!(
            "listen cannot check any callback: {}",
            all.join("; ")
        )));
    }
    for (name, e) in problems {
        output.warn(format!("{name} callbacks will be answered 500: {e}"));
    }
    Ok(())
}

fn open_store(args: &ListenArgs, output: &mut Output) -> Result<SeenIds> {
    let Some(path) = &args.store else {
        return Ok(SeenIds::bounded(args.store_limit));
    };
    let (seen, loaded) = SeenIds::open(path, args.store_limit)?;
    if loaded.torn_bytes > 0 {
        output.warn(format!(
            "{}: dropped an unfinished last line ({} bytes; it was never acknowledged)",
            path.display(),
            loaded.torn_bytes
        ));
    }
    let _ = writeln!(
        output.stream(Kind::Note),
        "{}: {} ids already seen",
        path.display(),
        loaded.ids
    );
    if loaded.forgotten > 0 {
        let _ = writeln!(
            output.err,
            "{}: {} older ids not loaded (--store-limit {})",
            path.display(),
            loaded.forgotten,
            args.store_limit
        );
    }
    Ok(seen)
}

fn fault_mode(mode: FailMode) -> FaultMode {
    match mode {
        FailMode::Http500 => FaultMode::Http500,
        FailMode::Status1 => FaultMode::Status1,
        FailMode::Timeout => FaultMode::Timeout,
        FailMode::Close => FaultMode::Close,
        FailMode::BadJson => FaultMode::BadJson,
    }
}

async fn serve(
    args: ListenArgs,
    receiver: Receiver,
    saver: Option<Saver>,
    output: &mut Output<'_>,
) -> Result<i32> {
    let limits = Limits {
        max_body: args.max_body,
        read_timeout: args.read_timeout,
        max_connections: args.max_connections,
        delay: args.delay,
        hang: args.fail_hold,
        grace: GRACE,
        workers: serving_threads(),
    };
    let mut running = listen::start(args.addr, receiver, saver, limits).await?;
    let log = Log { json: args.json };
    log.listening(running.addr, output);
    let mut tally = Tally::default();
    let signals = Signals::install();
    let reason = watch_until_stop(&args, &mut running.records, &signals, output, |r, o| {
        log.record(r, o);
        tally.add(r);
        tally.requests
    })
    .await;
    // Answers that were in flight at the stop are still logged.
    for record in running.stop().await {
        log.record(&record, output);
        tally.add(&record);
    }
    log.summary(&tally, reason, output);
    Ok(signals.caught().map_or(EXIT_OK, signals::exit_code))
}

/// At most this many records are logged in one buffered write, so that a flood of
/// requests cannot keep a stop signal or `--exit-after` waiting.
const LOG_BATCH: usize = 256;

/// Logs records (with `log`, which counts them and returns the requests so far) until
/// a stop signal, `--exit-after` or `--max-requests`; returns which. Records that are
/// already waiting are logged together, in one write.
pub(super) async fn watch_until_stop<R>(
    args: &ListenArgs,
    records: &mut mpsc::Receiver<R>,
    signals: &Signals,
    output: &mut Output<'_>,
    mut log: impl FnMut(&R, &mut Output<'_>) -> u64,
) -> &'static str {
    let deadline = tokio::time::sleep(args.exit_after.unwrap_or_default());
    tokio::pin!(deadline);
    let reached = |requests: u64| args.max_requests.is_some_and(|n| requests >= n);
    loop {
        tokio::select! {
            record = records.recv() => {
                let Some(first) = record else { return "server stopped" };
                let done = output.buffered(|batch| {
                    let mut record = first;
                    for _ in 1..LOG_BATCH {
                        if reached(log(&record, batch)) {
                            return true;
                        }
                        match records.try_recv() {
                            Ok(next) => record = next,
                            Err(_) => return false,
                        }
                    }
                    reached(log(&record, batch))
                });
                if done {
                    return "--max-requests reached";
                }
            }
            n = signals.received() => return stop_reason(n),
            () = &mut deadline, if args.exit_after.is_some() => return "--exit-after reached",
        }
    }
}

/// Why listen stopped, by signal: the words the summary has always used.
pub(super) fn stop_reason(signal: i32) -> &'static str {
    match signal {
        signals::SIGINT => "interrupted",
        1 => "hung up",
        _ => "terminated",
    }
}
