//! `cbtool replay`: read and sign the callbacks, deliver them with the retry schedule,
//! then report (stderr table, `--json`, `--report`, `--junit`). Ctrl-C, SIGTERM or
//! SIGHUP stops sending and still reports every message, exit 128+N.

use std::io::IsTerminal;

use super::outputs::{self, OutputFile};
use super::replay_input::{self, Prepare};
use super::replay_live::Live;
use super::signals::{self, Signals};
use super::terminal::Kind;
use super::{credentials, flush_warnings, Output};
use crate::cli::ReplayArgs;
use crate::error::{Error, Result, EXIT_CHECK_FAILED, EXIT_OK};
use crate::replay::engine::{Engine, Settings, TokioClock};
use crate::replay::report::human::HumanExporter;
use crate::replay::report::json::JsonExporter;
use crate::replay::report::junit::JunitExporter;
use crate::replay::report::{Exporter, Report};

use crate::replay::transport::{parse_url, HttpOptions, HttpTransport};
use crate::replay::{Outgoing, Recorder, Schedule};

pub(crate) fn run(args: ReplayArgs, output: &mut Output) -> Result<i32> {
    let settings = settings(&args)?;
    let http = http_options(&args)?;
    // Before anything is sent: a report that cannot be written is refused now.
    let reports = ReportFiles {
        report: outputs::prepare(args.report.as_deref(), "the report")?,
        junit: outputs::prepare(args.junit.as_deref(), "the JUnit report")?,
    };
    let creds = credentials(&args.credentials)?;
    let files = replay_input::expand(&args.inputs)?;
    let prepare = Prepare {
        vendor: args.vendor,
        ack: args.ack.as_deref(),
        fresh: args.fresh,
        max_size: args.max_size,
        creds: &creds,
    };
    let messages = replay_input::collect(&files, &prepare)?;
    flush_warnings(&creds, output);
    if messages.is_empty() {
        return Err(Error::new(format!(
            "{}: no callbacks to send",
            args.inputs.join(", ")
        )));
    }
    let transport = HttpTransport::new(&http)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::new(format!("cannot start the async runtime: {e}")))?;
    let recorder = Recorder::new(&messages);
    let terminal = std::io::stderr().is_terminal() && output.shows(Kind::Progress);
    let signals = Signals::install();
    let stopped_by = {
        let live = Live::new(output.stream(Kind::Progress), terminal);
        let engine = Engine {
            transport: &transport,
            clock: &TokioClock::new(),
            observer: &live,
            settings: &settings,
        };
        let stopped = runtime.block_on(deliver(&engine, &live, &messages, &recorder, &signals));
        live.clear();
        stopped
    };
    let report = Report {
        outcomes: recorder.snapshot(),
        interrupted: stopped_by.is_some(),
    };
    finish(&args, &reports, &report, stopped_by, output)
}

/// Runs the engine until it is done or a stop signal; the signal, when stopped. What
/// was in flight is abandoned at once (the recorder already holds every attempt made).
async fn deliver(
    engine: &Engine<'_, HttpTransport, TokioClock, Live<'_>>,
    live: &Live<'_>,
    messages: &[Outgoing],
    recorder: &Recorder,
    signals: &Signals,
) -> Option<i32> {
    tokio::select! {
        () = engine.run(messages, recorder) => None,
        n = signals.received() => Some(n),
        () = live.tick() => None,
    }
}

fn settings(args: &ReplayArgs) -> Result<Settings> {
    let schedule = match (&args.schedule, args.no_retry) {
        (_, true) => Schedule::no_retry(),
        (Some(schedule), false) => schedule.clone(),
        (None, false) => Schedule::per_vendor(),
    };
    Ok(Settings {
        schedule: schedule.scaled(args.time_scale).map_err(Error::new)?,
        concurrency: usize::try_from(args.concurrency).unwrap_or(1),
        duplicates: args.duplicate,
    })
}

fn http_options(args: &ReplayArgs) -> Result<HttpOptions> {
    let cacert = match &args.cacert {
        Some(path) => {
            let name = path.display().to_string();
            let pem = std::fs::read(path)
                .map_err(|e| Error::new(format!("{name}: cannot read the CA file: {e}")))?;
            Some((name, pem))
        }
        None => None,
    };
    Ok(HttpOptions {
        url: parse_url(&args.url)?,
        headers: args
            .headers
            .iter()
            .map(|h| replay_input::parse_header(h))
            .collect::<Result<_>>()?,
        timeout: args.timeout,
        cacert,
        insecure: args.insecure,
        keep_alive: args.keep_alive,
    })
}

/// The summary table, the report files, `--json`, and the exit code.
/// `--report` and `--junit`, checked before the run.
struct ReportFiles {
    report: Option<OutputFile>,
    junit: Option<OutputFile>,
}

fn finish(
    args: &ReplayArgs,
    files: &ReportFiles,
    report: &Report,
    stopped_by: Option<i32>,
    output: &mut Output,
) -> Result<i32> {
    let table = HumanExporter.export(report)?;
    let _ = output.stream(Kind::Note).write_all(&table);
    if let Some(n) = stopped_by {
        let _ = writeln!(
            output.stream(Kind::Note),
            "interrupted ({}): sending stopped; the messages not acknowledged are listed above",
            signals::name(n)
        );
    }
    let mut failed_write = None;
    let files: [(&Option<OutputFile>, &dyn Exporter); 2] = [
        (&files.report, &JsonExporter),
        (&files.junit, &JunitExporter),
    ];
    for (file, exporter) in files {
        if let Some(file) = file {
            if let Err(e) = file.write(&exporter.export(report)?) {
                output.error(&e);
                failed_write = Some(e);
            }
        }
    }
    if args.json {
        let _ = output.out().write_all(&JsonExporter.export(report)?);
    }
    Ok(if let Some(n) = stopped_by {
        signals::exit_code(n)
    } else if failed_write.is_some() {
        crate::error::EXIT_USAGE
    } else if report.summary().failed > 0 {
        EXIT_CHECK_FAILED
    } else {
        EXIT_OK
    })
}
