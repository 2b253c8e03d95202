//! What happened to each message: its attempts and its final state, kept in a
//! [`Recorder`] that outlives an interrupted run so nothing is lost silently.

use std::sync::Mutex;

use super::Outgoing;

/// One send of a message (a first try, a retry, or a `--duplicate` re-send).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// 1-based, counting retries and duplicates alike.
    pub(crate) attempt: u32,
    /// Since the message's first attempt started.
    pub(crate) started_ms: u64,
    pub(crate) elapsed_ms: u64,
    pub(crate) http_status: Option<u16>,
    pub(crate) acked: bool,
    /// Why the attempt failed; `None` when acknowledged.
    pub(crate) error: Option<String>,
    /// A `--duplicate` re-send of an acknowledged message.
    pub(crate) duplicate: bool,
    /// `ordinal` of `of` within its series (attempt 2/7, duplicate 1/1), kept with the
    /// attempt so that every report numbers it as the console did.
    pub(crate) ordinal: u32,
    pub(crate) of: u32,
}

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Not sent yet (the run was interrupted before its turn).
    NotSent,
    /// Being sent or waiting for a retry.
    InProgress,
    Delivered,
    /// Given up after the last attempt, or a duplicate was not acknowledged.
    Failed,
}

impl State {
    pub(crate) fn id(self) -> &'static str {
        match self {
            State::NotSent => "not_sent",
            State::InProgress => "in_progress",
            State::Delivered => "delivered",
            State::Failed => "failed",
        }
    }
}

/// One message's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub(crate) source: String,
    pub(crate) vendor: &'static str,
    pub(crate) id: Option<String>,
    pub(crate) state: State,
    pub(crate) attempts: Vec<Attempt>,
}

impl Outcome {
    pub(crate) fn delivered(&self) -> bool {
        self.state == State::Delivered
    }
}

/// Every message's outcome, indexed like the messages; shared by the engine (which
/// updates it) and the command (which reads it, even after an interruption).
#[derive(Debug)]
pub struct Recorder {
    outcomes: Mutex<Vec<Outcome>>,
}

impl Recorder {
    pub fn new(messages: &[Outgoing]) -> Self {
        let outcomes = messages
            .iter()
            .map(|m| Outcome {
                source: m.source.clone(),
                vendor: m.vendor,
                id: m.id.clone(),
                state: State::NotSent,
                attempts: Vec::new(),
            })
            .collect();
        Recorder {
            outcomes: Mutex::new(outcomes),
        }
    }

    pub(crate) fn set_state(&self, index: usize, state: State) {
        self.with(index, |o| o.state = state);
    }

    pub(crate) fn push(&self, index: usize, attempt: Attempt) {
        self.with(index, |o| o.attempts.push(attempt));
    }

    /// A copy of every outcome, in input order.
    pub(crate) fn snapshot(&self) -> Vec<Outcome> {
        self.outcomes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn with(&self, index: usize, change: impl FnOnce(&mut Outcome)) {
        let mut outcomes = self.outcomes.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(outcome) = outcomes.get_mut(index) {
            change(outcome);
        }
    }
}
