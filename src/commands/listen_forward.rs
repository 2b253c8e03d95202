//! `cbtool listen --forward URL`: the receiver built by `listen` stands in front of the
//! user's app. This is the glue: check the URL, start the forwarder, log each request with
//! the verdict on the app's answer until a stop condition, and exit 1 under
//! `--expect-app-correct` when the app got any callback wrong.

use tokio::sync::mpsc;

use super::listen_forward_log::{ForwardLog, ForwardTally};
use super::signals::{self, Signals};
use super::Output;
use crate::cli::ListenArgs;
use crate::error::{Result, EXIT_CHECK_FAILED, EXIT_OK};
use crate::listen::forward::{self, Relayed};
use crate::listen::upstream::{AppClient, Upstream};
use crate::listen::{Limits, Receiver, Saver};

/// How long shutdown waits for requests in flight (the app may be slow: up to the
/// forward time-out is waited, at least the reference receiver's 2 s).
const GRACE: std::time::Duration = std::time::Duration::from_secs(2);

pub async fn serve(
    args: ListenArgs,
    receiver: Receiver,
    saver: Option<Saver>,
    output: &mut Output<'_>,
) -> Result<i32> {
    let url = args.forward.as_deref().unwrap_or_default();
    let upstream = Upstream::parse(url)?;
    let limits = Limits {
        max_body: args.max_body,
        read_timeout: args.read_timeout,
        max_connections: args.max_connections,
        delay: std::time::Duration::ZERO,
        hang: args.fail_hold,
        grace: GRACE.max(args.forward_timeout),
    };
    let app = AppClient::new(upstream, args.forward_timeout, args.max_body);
    let target = app.upstream().url().to_string();
    let mut running = forward::start(args.addr, receiver, saver, limits, app).await?;
    let log = ForwardLog {
        json: args.json,
        colour: output.colour_err,
    };
    log.listening(running.addr, &target, output);
    let mut tally = ForwardTally::default();
    let signals = Signals::install();
    let reason = watch_until_stop(
        &args,
        &log,
        &mut running.records,
        &mut tally,
        &signals,
        output,
    )
    .await;
    for record in running.stop().await {
        log.record(&record, output);
        tally.add(&record);
    }
    log.summary(&tally, reason, output);
    Ok(match signals.caught() {
        Some(n) => signals::exit_code(n),
        None if args.expect_app_correct && tally.app_errors() > 0 => EXIT_CHECK_FAILED,
        None => EXIT_OK,
    })
}

/// Logs requests until Ctrl-C, SIGTERM, `--exit-after` or `--max-requests`; returns which.
async fn watch_until_stop(
    args: &ListenArgs,
    log: &ForwardLog,
    records: &mut mpsc::Receiver<Relayed>,
    tally: &mut ForwardTally,
    signals: &Signals,
    output: &mut Output<'_>,
) -> &'static str {
    let deadline = tokio::time::sleep(args.exit_after.unwrap_or_default());
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            record = records.recv() => {
                let Some(record) = record else { return "server stopped" };
                log.record(&record, output);
                tally.add(&record);
                if args.max_requests.is_some_and(|n| tally.requests >= n) {
                    return "--max-requests reached";
                }
            }
            n = signals.received() => return super::listen::stop_reason(n),
            () = &mut deadline, if args.exit_after.is_some() => return "--exit-after reached",
        }
    }
}
