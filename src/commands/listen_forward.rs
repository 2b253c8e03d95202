//! `cbtool listen --forward URL`: the receiver built by `listen` stands in front of the
//! user's app. This is the glue: check the URL, start the forwarder, log each request with
//! the verdict on the app's answer until a stop condition, and exit 1 under
//! `--expect-app-correct` when the app got any callback wrong.

use super::listen_forward_log::{ForwardLog, ForwardTally};
use super::signals::{self, Signals};
use super::Output;
use crate::cli::ListenArgs;
use crate::error::{Result, EXIT_CHECK_FAILED, EXIT_OK};
use crate::listen::forward;
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
        workers: super::listen::serving_threads(),
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
    let reason =
        super::listen::watch_until_stop(&args, &mut running.records, &signals, output, |r, o| {
            log.record(r, o);
            tally.add(r);
            tally.requests
        })
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
