//! Engine tests on an injected clock and a scripted transport: instant and exact.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use super::*;
use crate::replay::ack::excerpt;
use crate::replay::{Ack, Outcome};
use crate::vendors::AckRule;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Time that moves only when slept on or when the transport says a request took time.
#[derive(Default)]
struct ManualClock {
    now: Cell<Duration>,
    sleeps: RefCell<Vec<Duration>>,
}

impl Clock for ManualClock {
    fn now(&self) -> Duration {
        self.now.get()
    }

    fn sleep(&self, wait: Duration) -> impl Future<Output = ()> {
        self.sleeps.borrow_mut().push(wait);
        self.now.set(self.now.get() + wait);
        std::future::ready(())
    }
}

/// How a scripted request takes time: outside the engine's own sleeps.
trait Latency: Clock {
    fn pass(&self, d: Duration) -> impl Future<Output = ()>;
}

impl Latency for ManualClock {
    fn pass(&self, d: Duration) -> impl Future<Output = ()> {
        self.now.set(self.now.get() + d);
        std::future::ready(())
    }
}

impl Latency for TokioClock {
    fn pass(&self, d: Duration) -> impl Future<Output = ()> {
        tokio::time::sleep(d)
    }
}

/// The acknowledgement of the tests' rule, [`Exact`].
const OK: &[u8] = br#"{"ok":true}"#;

/// A rule stricter than a status: HTTP 200 with [`OK`], so that a 200 can fail too.
struct Exact;

impl AckRule for Exact {
    fn id(&self) -> &'static str {
        "exact"
    }

    fn summary(&self) -> &'static str {
        "HTTP 200 and the body {\"ok\":true}"
    }

    fn needs(&self) -> String {
        "HTTP 200 with {\"ok\":true}".into()
    }

    fn judge(&self, status: u16, body: &[u8]) -> Result<(), String> {
        match (status, body) {
            (200, OK) => Ok(()),
            _ => Err(format!("HTTP {status}: {}", excerpt(body, 120))),
        }
    }
}

fn ok() -> Reply {
    Reply::Response {
        status: 200,
        body: OK.to_vec(),
        location: None,
    }
}

fn status(code: u16, body: &str) -> Reply {
    Reply::Response {
        status: code,
        body: body.as_bytes().to_vec(),
        location: None,
    }
}

/// A recorded send: source, body, start and end.
type Sent = (String, Vec<u8>, Duration, Duration);

/// Replies scripted per message source (then acknowledgements); records every send.
struct Script<'c, C> {
    clock: &'c C,
    latency: Duration,
    replies: RefCell<HashMap<String, VecDeque<Reply>>>,
    sent: RefCell<Vec<Sent>>,
    /// How many times a message was prepared.
    prepared: Cell<usize>,
}

impl<'c, C: Latency> Script<'c, C> {
    fn new(clock: &'c C, latency: Duration) -> Self {
        Script {
            clock,
            latency,
            replies: RefCell::default(),
            sent: RefCell::default(),
            prepared: Cell::default(),
        }
    }

    fn script(self, source: &str, replies: Vec<Reply>) -> Self {
        self.replies
            .borrow_mut()
            .insert(source.to_string(), replies.into());
        self
    }

    fn sources(&self) -> Vec<String> {
        self.sent.borrow().iter().map(|s| s.0.clone()).collect()
    }
}

impl<C: Latency> Transport for Script<'_, C> {
    type Prepared = Outgoing;

    fn prepare(&self, message: &Outgoing) -> Outgoing {
        self.prepared.set(self.prepared.get() + 1);
        message.clone()
    }

    async fn send(&self, message: &Outgoing) -> Reply {
        let start = self.clock.now();
        self.clock.pass(self.latency).await;
        let reply = self
            .replies
            .borrow_mut()
            .get_mut(&message.source)
            .and_then(VecDeque::pop_front)
            .unwrap_or_else(ok);
        let end = self.clock.now();
        self.sent
            .borrow_mut()
            .push((message.source.clone(), message.body.clone(), start, end));
        reply
    }
}

fn message(source: &str, lane: Option<&str>) -> Outgoing {
    Outgoing {
        source: source.to_string(),
        vendor: "acme",
        id: Some(format!("id-{source}")),
        lane: lane.map(str::to_string),
        headers: Vec::new(),
        body: format!("{{\"id\":\"{source}\"}}").into_bytes(),
        ack: Ack::new(&Exact),
    }
}

fn settings(schedule: Schedule, concurrency: usize, duplicates: u32) -> Settings {
    Settings {
        schedule,
        concurrency,
        duplicates,
    }
}

fn run<T: Transport, C: Latency>(t: &T, c: &C, s: &Settings, msgs: &[Outgoing]) -> Vec<Outcome> {
    let recorder = Recorder::new(msgs);
    let engine = Engine {
        transport: t,
        clock: c,
        observer: &Silent,
        settings: s,
    };
    futures_util::FutureExt::now_or_never(engine.run(msgs, &recorder))
        .expect("a manual clock never blocks");
    recorder.snapshot()
}

#[test]
fn gives_up_after_seven_attempts_with_the_vendor_waits() {
    let clock = ManualClock::default();
    let transport = Script::new(&clock, Duration::ZERO).script("a", vec![status(500, "x"); 9]);
    let msgs = [message("a", None)];
    let out = run(
        &transport,
        &clock,
        &settings(Schedule::default(), 1, 0),
        &msgs,
    );
    let secs: Vec<u64> = clock
        .sleeps
        .borrow()
        .iter()
        .map(Duration::as_secs)
        .collect();
    assert_eq!(secs, [2, 4, 8, 16, 32, 64]);
    assert_eq!(out[0].state, State::Failed);
    assert_eq!(out[0].attempts.len(), 7);
    let starts: Vec<u64> = out[0].attempts.iter().map(|a| a.started_ms).collect();
    assert_eq!(starts, [0, 2000, 6000, 14000, 30000, 62000, 126000]);
    assert!(transport.sent.borrow().iter().all(|s| s.1 == msgs[0].body));
    assert_eq!(
        transport.prepared.get(),
        1,
        "prepared once for seven attempts"
    );
    assert_eq!(out[0].attempts[6].error.as_deref(), Some("HTTP 500: x"));
}

#[test]
fn waits_count_from_the_end_of_the_failed_attempt() {
    let clock = ManualClock::default();
    let failures = vec![status(200, r#"{"status":1}"#), status(502, "")];
    let transport = Script::new(&clock, ms(300)).script("a", failures);
    let schedule = Schedule::parse("1s,5s").unwrap();
    let out = run(
        &transport,
        &clock,
        &settings(schedule, 1, 0),
        &[message("a", None)],
    );
    let a = &out[0].attempts;
    assert_eq!(out[0].state, State::Delivered);
    assert_eq!(
        a.iter().map(|a| a.started_ms).collect::<Vec<_>>(),
        [0, 1300, 6600]
    );
    assert_eq!(a.iter().map(|a| a.elapsed_ms).collect::<Vec<_>>(), [300; 3]);
    assert_eq!(a[0].http_status, Some(200));
    assert!(!a[0].acked && !a[1].acked && a[2].acked);
    assert_eq!(a[0].error.as_deref(), Some(r#"HTTP 200: {"status":1}"#));
}

#[test]
fn no_retry_means_one_attempt() {
    let clock = ManualClock::default();
    let transport = Script::new(&clock, ms(1)).script("a", vec![Reply::Failed("refused".into())]);
    let out = run(
        &transport,
        &clock,
        &settings(Schedule::no_retry(), 1, 0),
        &[message("a", None)],
    );
    assert_eq!(out[0].attempts.len(), 1);
    assert_eq!(out[0].state, State::Failed);
    assert!(clock.sleeps.borrow().is_empty());
}

#[test]
fn duplicates_must_each_be_acknowledged() {
    let clock = ManualClock::default();
    let transport =
        Script::new(&clock, ms(5)).script("b", vec![ok(), ok(), status(409, "duplicate id")]);
    let msgs = [message("a", None), message("b", None)];
    let out = run(
        &transport,
        &clock,
        &settings(Schedule::default(), 1, 2),
        &msgs,
    );
    assert_eq!(out[0].state, State::Delivered);
    assert_eq!(out[0].attempts.len(), 3);
    assert!(out[0].attempts[1].duplicate && out[0].attempts[2].duplicate);
    assert_eq!(out[1].state, State::Failed);
    assert_eq!(out[1].attempts[2].attempt, 3);
    assert_eq!(
        out[1].attempts[2].error.as_deref(),
        Some("HTTP 409: duplicate id")
    );
    // Duplicates are sent at once, never after a retry wait.
    assert!(clock.sleeps.borrow().is_empty());
}

#[test]
fn lanes_group_one_order_in_input_order() {
    let msgs = [
        message("o1-a", Some("1")),
        message("x", None),
        message("o2-a", Some("2")),
        message("o1-b", Some("1")),
    ];
    assert_eq!(lanes(&msgs), [vec![0, 3], vec![1], vec![2]]);
}

#[tokio::test(start_paused = true)]
async fn one_order_waits_while_other_messages_go_concurrently() {
    let clock = TokioClock::new();
    let transport =
        Script::new(&clock, ms(100)).script("o1-a", vec![status(500, ""), status(500, "")]);
    let msgs = [
        message("o1-a", Some("5577")),
        message("o1-b", Some("5577")),
        message("x", None),
        message("y", None),
    ];
    let recorder = Recorder::new(&msgs);
    let s = settings(Schedule::parse("1s,1s").unwrap(), 4, 0);
    let engine = Engine {
        transport: &transport,
        clock: &clock,
        observer: &Silent,
        settings: &s,
    };
    engine.run(&msgs, &recorder).await;
    let sent = transport.sent.borrow();
    let when = |src: &str| -> Vec<u64> {
        sent.iter()
            .filter(|s| s.0 == src)
            .map(|s| s.2.as_millis() as u64)
            .collect()
    };
    // x and y go at once beside the order; o1-b only after o1-a is acknowledged.
    assert_eq!(when("x"), [0]);
    assert_eq!(when("y"), [0]);
    assert_eq!(when("o1-a"), [0, 1100, 2200]);
    assert_eq!(when("o1-b"), [2300]);
    assert!(recorder.snapshot().iter().all(Outcome::delivered));
    drop(sent);
    assert_eq!(transport.sources().len(), 6);
}

#[tokio::test(start_paused = true)]
async fn concurrency_one_sends_lane_after_lane() {
    let clock = TokioClock::new();
    let transport = Script::new(&clock, ms(10));
    let msgs = [message("a", None), message("b", None), message("c", None)];
    let recorder = Recorder::new(&msgs);
    let s = settings(Schedule::default(), 1, 0);
    let engine = Engine {
        transport: &transport,
        clock: &clock,
        observer: &Silent,
        settings: &s,
    };
    engine.run(&msgs, &recorder).await;
    let starts: Vec<u128> = transport
        .sent
        .borrow()
        .iter()
        .map(|s| s.2.as_millis())
        .collect();
    assert_eq!(starts, [0, 10, 20]);
}

#[tokio::test(start_paused = true)]
async fn an_interrupted_run_leaves_a_true_record() {
    let clock = TokioClock::new();
    let transport = Script::new(&clock, ms(10)).script("a", vec![status(500, ""); 3]);
    let msgs = [message("a", None), message("b", None)];
    let recorder = Recorder::new(&msgs);
    let s = settings(Schedule::default(), 1, 0);
    let engine = Engine {
        transport: &transport,
        clock: &clock,
        observer: &Silent,
        settings: &s,
    };
    // Stop during the wait before attempt 3 (attempt 2 ends at 2.02 s).
    let stopped = tokio::time::timeout(ms(3000), engine.run(&msgs, &recorder)).await;
    assert!(stopped.is_err());
    let out = recorder.snapshot();
    assert_eq!(out[0].state, State::InProgress);
    assert_eq!(out[0].attempts.len(), 2);
    assert_eq!(out[1].state, State::NotSent);
}

/// Notes what the engine reports, as one line per event.
#[derive(Default)]
struct Notes(RefCell<Vec<String>>);

impl Observer for Notes {
    fn attempted(&self, e: &AttemptEvent) {
        let kind = if e.attempt.duplicate { "dup" } else { "try" };
        let line = format!(
            "{kind} {}/{} at {}ms",
            e.ordinal,
            e.of,
            e.offset.as_millis()
        );
        self.0.borrow_mut().push(line);
    }

    fn waiting(&self, _: usize, _: &Outgoing, next: u32, wait: Duration) {
        self.0
            .borrow_mut()
            .push(format!("wait {}ms for {next}", wait.as_millis()));
    }

    fn finished(&self, _: usize, _: &Outgoing, state: State) {
        self.0.borrow_mut().push(format!("done {}", state.id()));
    }
}

#[test]
fn the_observer_hears_attempts_waits_and_duplicates_in_order() {
    let clock = ManualClock::default();
    let transport = Script::new(&clock, ms(10)).script("a", vec![status(500, "")]);
    let notes = Notes::default();
    let s = settings(Schedule::parse("1s,2s").unwrap(), 1, 1);
    let msgs = [message("a", None)];
    let recorder = Recorder::new(&msgs);
    let engine = Engine {
        transport: &transport,
        clock: &clock,
        observer: &notes,
        settings: &s,
    };
    futures_util::FutureExt::now_or_never(engine.run(&msgs, &recorder)).unwrap();
    assert_eq!(
        *notes.0.borrow(),
        [
            "try 1/3 at 0ms",
            "wait 1000ms for 2",
            "try 2/3 at 1010ms",
            "dup 1/1 at 1020ms",
            "done delivered",
        ]
    );
}
