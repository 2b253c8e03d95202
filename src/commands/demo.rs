//! `cbtool demo`: fresh test credentials, the real `listen` receiver on an ephemeral
//! loopback port with faults injected, the bundled fixtures delivered through the real
//! replay engine and HTTP transport, then the summary and the verdict. The scenario and
//! its expectations live in [`crate::demo`]; this module wires and renders.

use std::io::IsTerminal;
use std::time::Duration;

use rand::distributions::{Alphanumeric, DistString};

use super::demo_report::{self, Run};
use super::replay_input::fresh;
use super::replay_live::Live;
use super::signals::{self, Signals};
use super::terminal::Kind;
use super::Output;
use crate::cli::DemoArgs;
use crate::demo::{self, check, Scenario};
use crate::error::{Error, Result, EXIT_CHECK_FAILED, EXIT_OK};
use crate::keys;
use crate::listen::{self, Limits, Receiver, SchemaCheck, SeenIds};
use crate::replay::engine::{lanes, Engine, Settings, TokioClock};
use crate::replay::report::Report;
use crate::replay::transport::{HttpOptions, HttpTransport};
use crate::replay::{Recorder, Schedule};
use crate::secret::Secret;

/// Length of the random secret made for each vendor that signs with one.
const SECRET_LEN: usize = 32;

pub(crate) fn run(args: DemoArgs, output: &mut Output) -> Result<i32> {
    let scale = if args.real_time { 1.0 } else { args.time_scale };
    let schedule = Schedule::default().scaled(scale).map_err(Error::new)?;
    let secret = Secret::new(match &args.secret {
        Some(s) => s.clone(),
        None => Alphanumeric.sample_string(&mut rand::thread_rng(), SECRET_LEN),
    });
    let bits = usize::try_from(args.bits).unwrap_or(2048);
    let pair = keys::generate(bits)?;
    let private = keys::private_key("the generated key", pair.private_pem.as_bytes())?.key;
    let (sender, receiving, intro) = demo::credentials(&secret, &private, bits);
    let scenario = demo::scenario(&sender, schedule, &mut fresh)?;
    let receiver = Receiver::new(receiving, None, SeenIds::in_memory(), scenario.fault_plan())
        .with_check(Box::new(SchemaCheck));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::new(format!("cannot start the async runtime: {e}")))?;
    let signals = Signals::install();
    let run = runtime.block_on(deliver(
        &scenario, receiver, &intro, scale, &signals, output,
    ))?;
    let verdict = check::check(&scenario, &run.report.outcomes, &run.records);
    demo_report::render(&run, &verdict, scale, args.json, output)?;
    if let Some(n) = signals.caught() {
        let _ = writeln!(
            output.stream(Kind::Note),
            "demo: interrupted ({}): sending stopped; the summary above shows what was not delivered",
            signals::name(n)
        );
        return Ok(signals::exit_code(n));
    }
    Ok(if verdict.ok() {
        EXIT_OK
    } else {
        EXIT_CHECK_FAILED
    })
}

/// Starts the receiver, delivers every message with the live per-attempt lines, stops
/// the receiver and returns both sides' records.
async fn deliver(
    scenario: &Scenario,
    receiver: Receiver,
    intro: &str,
    scale: f64,
    signals: &Signals,
    output: &mut Output<'_>,
) -> Result<Run> {
    let limits = Limits {
        max_body: 1 << 20,
        read_timeout: Duration::from_secs(10),
        max_connections: 64,
        delay: Duration::ZERO,
        hang: Duration::from_secs(1),
        grace: Duration::from_secs(2),
        // Served beside the sender, on demo's own runtime.
        workers: 0,
    };
    let local = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
    let running = listen::start(local, receiver, None, limits).await?;
    let url = format!("http://{}/callback", running.addr);
    let transport = HttpTransport::new(&HttpOptions {
        url: crate::replay::transport::parse_url(&url)?,
        headers: Vec::new(),
        timeout: Duration::from_secs(10),
        cacert: None,
        insecure: false,
        keep_alive: false,
    })?;
    let messages = scenario.messages();
    let _ = writeln!(output.stream(Kind::Note), "{intro} on {url}");
    let _ = writeln!(
        output.stream(Kind::Note),
        "demo: replaying {} callbacks with faults injected; retry waits {} (the vendor's schedule × {scale})",
        messages.len(),
        scenario.schedule.describe(),
    );
    let settings = Settings {
        schedule: scenario.schedule.clone(),
        concurrency: lanes(&messages).len(),
        duplicates: 0,
    };
    let recorder = Recorder::new(&messages);
    {
        let terminal = std::io::stderr().is_terminal() && output.shows(Kind::Progress);
        let live = Live::new(output.stream(Kind::Progress), terminal);
        let engine = Engine {
            transport: &transport,
            clock: &TokioClock::new(),
            observer: &live,
            settings: &settings,
        };
        // A stop signal abandons what is in flight; the receiver is stopped below.
        tokio::select! {
            () = engine.run(&messages, &recorder) => {}
            () = live.tick() => {}
            _ = signals.received() => {}
        }
        live.clear();
    }
    let addr = running.addr;
    let records = running.stop().await;
    Ok(Run {
        addr,
        report: Report {
            outcomes: recorder.snapshot(),
            interrupted: signals.caught().is_some(),
        },
        records,
    })
}
