//! The attempt loop: send, judge, wait the next interval (counted from the end of the
//! failed attempt), send the same bytes again; one Dayu order's callbacks one after
//! another, different lanes concurrently. Time, network and display come in as traits.

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use futures_util::stream::{self, StreamExt};

use super::{Attempt, Outgoing, Recorder, Reply, Schedule, State};

/// Sends one message and reports what came back. Never fails: a failure is a [`Reply`].
pub trait Transport {
    /// A message in the transport's own form (headers validated, body shared), built
    /// once per message: every attempt sends the same bytes, so none rebuilds them.
    type Prepared;
    fn prepare(&self, message: &Outgoing) -> Self::Prepared;
    fn send(&self, prepared: &Self::Prepared) -> impl Future<Output = Reply>;
}

/// Monotonic time and waiting.
pub trait Clock {
    /// Time since an arbitrary, fixed origin.
    fn now(&self) -> Duration;
    fn sleep(&self, wait: Duration) -> impl Future<Output = ()>;
}

/// The real clock: tokio's (which tests can pause and advance instantly).
#[derive(Debug, Clone, Copy)]
pub struct TokioClock {
    origin: tokio::time::Instant,
}

impl TokioClock {
    pub fn new() -> Self {
        TokioClock {
            origin: tokio::time::Instant::now(),
        }
    }
}

impl Default for TokioClock {
    fn default() -> Self {
        TokioClock::new()
    }
}

impl Clock for TokioClock {
    fn now(&self) -> Duration {
        self.origin.elapsed()
    }

    fn sleep(&self, wait: Duration) -> impl Future<Output = ()> {
        tokio::time::sleep(wait)
    }
}

/// One attempt as it happened, for live display.
#[derive(Debug)]
pub struct AttemptEvent<'a> {
    pub(crate) index: usize,
    pub(crate) message: &'a Outgoing,
    pub(crate) attempt: &'a Attempt,
    /// `n` of `of`: attempt n/7, or duplicate n/N for `--duplicate` re-sends.
    pub(crate) ordinal: u32,
    pub(crate) of: u32,
    /// When the attempt started, since the run started (to the millisecond).
    pub(crate) offset: Duration,
}

/// Hears what the engine does, as it does it (the terminal display, or nothing).
pub trait Observer {
    fn attempted(&self, event: &AttemptEvent);
    fn waiting(&self, index: usize, message: &Outgoing, next_attempt: u32, wait: Duration);
    fn finished(&self, index: usize, message: &Outgoing, state: State);
}

/// An observer that ignores everything.
#[derive(Debug, Default)]
pub struct Silent;

impl Observer for Silent {
    fn attempted(&self, _: &AttemptEvent) {}
    fn waiting(&self, _: usize, _: &Outgoing, _: u32, _: Duration) {}
    fn finished(&self, _: usize, _: &Outgoing, _: State) {}
}

/// How a run delivers.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The waits; [`Schedule::per_vendor`] lets each message wait its vendor's.
    pub schedule: Schedule,
    /// Lanes in flight at once (at least 1).
    pub concurrency: usize,
    /// Identical re-sends after an acknowledgement, each of which must be acknowledged.
    pub duplicates: u32,
}

/// The delivery engine over a transport, a clock and an observer.
pub struct Engine<'a, T, C, O> {
    pub transport: &'a T,
    pub clock: &'a C,
    pub observer: &'a O,
    pub settings: &'a Settings,
}

impl<T: Transport, C: Clock, O: Observer> Engine<'_, T, C, O> {
    /// Delivers every message, recording each attempt in `recorder` as it happens, so
    /// that dropping this future (a stop signal) leaves a true record behind.
    ///
    /// Bounded by construction: there is no queue between lanes, only `concurrency`
    /// lanes polled at once, each sending one message at a time and waiting for its
    /// answer; what grows is the record, at most the schedule's attempts per message.
    pub async fn run(&self, messages: &[Outgoing], recorder: &Recorder) {
        let origin = self.clock.now();
        stream::iter(lanes(messages))
            .map(|lane| async move {
                for index in lane {
                    self.deliver(index, &messages[index], recorder, origin)
                        .await;
                }
            })
            .buffer_unordered(self.settings.concurrency.max(1))
            .for_each(|()| async {})
            .await;
    }

    async fn deliver(&self, index: usize, message: &Outgoing, rec: &Recorder, origin: Duration) {
        rec.set_state(index, State::InProgress);
        let first = self.clock.now();
        let vendor = crate::vendors::by_id(message.vendor);
        let schedule = self.settings.schedule.for_vendor(vendor);
        let max = schedule.max_attempts();
        let sent = (message, &self.transport.prepare(message));
        let mut n = 0;
        let state = loop {
            n += 1;
            let attempt = self.attempt(sent, n, first, false, (n, max)).await;
            let acked = attempt.acked;
            self.record(index, message, rec, attempt, (n, max), (first, origin));
            if acked {
                break self.duplicates(index, sent, rec, n, first, origin).await;
            }
            match schedule.wait_after(n) {
                Some(wait) => {
                    self.observer.waiting(index, message, n + 1, wait);
                    self.clock.sleep(wait).await;
                }
                None => break State::Failed,
            }
        };
        rec.set_state(index, state);
        self.observer.finished(index, message, state);
    }

    /// Re-sends an acknowledged message; each copy must be acknowledged too.
    async fn duplicates(
        &self,
        index: usize,
        sent: Sent<'_, T>,
        rec: &Recorder,
        acked_at: u32,
        first: Duration,
        origin: Duration,
    ) -> State {
        let total = self.settings.duplicates;
        for d in 1..=total {
            let attempt = self
                .attempt(sent, acked_at + d, first, true, (d, total))
                .await;
            let acked = attempt.acked;
            self.record(index, sent.0, rec, attempt, (d, total), (first, origin));
            if !acked {
                return State::Failed;
            }
        }
        State::Delivered
    }

    async fn attempt(
        &self,
        (message, prepared): Sent<'_, T>,
        n: u32,
        first: Duration,
        dup: bool,
        (ordinal, of): (u32, u32),
    ) -> Attempt {
        let start = self.clock.now();
        let reply = self.transport.send(prepared).await;
        let end = self.clock.now();
        let verdict = message.ack.judge(&reply);
        Attempt {
            attempt: n,
            started_ms: millis(start.saturating_sub(first)),
            elapsed_ms: millis(end.saturating_sub(start)),
            http_status: match reply {
                Reply::Response { status, .. } => Some(status),
                Reply::Failed(_) => None,
            },
            acked: verdict.is_ok(),
            error: verdict.err(),
            duplicate: dup,
            ordinal,
            of,
        }
    }

    fn record(
        &self,
        index: usize,
        message: &Outgoing,
        rec: &Recorder,
        attempt: Attempt,
        (ordinal, of): (u32, u32),
        (first, origin): (Duration, Duration),
    ) {
        let offset = first.saturating_sub(origin) + Duration::from_millis(attempt.started_ms);
        self.observer.attempted(&AttemptEvent {
            index,
            message,
            attempt: &attempt,
            ordinal,
            of,
            offset,
        });
        rec.push(index, attempt);
    }
}

/// A message and its transport form, as every attempt sends it.
type Sent<'a, T> = (&'a Outgoing, &'a <T as Transport>::Prepared);

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Groups messages into lanes: one per lane key (in order of first appearance, messages
/// in input order), and one per message without a key.
pub(crate) fn lanes(messages: &[Outgoing]) -> Vec<Vec<usize>> {
    let mut lanes: Vec<Vec<usize>> = Vec::new();
    let mut by_key: HashMap<&str, usize> = HashMap::new();
    for (index, message) in messages.iter().enumerate() {
        match &message.lane {
            Some(key) => match by_key.get(key.as_str()) {
                Some(&lane) => lanes[lane].push(index),
                None => {
                    by_key.insert(key, lanes.len());
                    lanes.push(vec![index]);
                }
            },
            None => lanes.push(vec![index]),
        }
    }
    lanes
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
