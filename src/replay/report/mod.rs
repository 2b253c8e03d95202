//! The run's record in each output format, behind one tiny trait that returns bytes;
//! the command decides where the bytes go.

pub(crate) mod human;
pub(crate) mod json;
pub(crate) mod junit;

use crate::error::Result;
use crate::replay::{Outcome, State};

/// Everything a report shows.
#[derive(Debug, Clone)]
pub(crate) struct Report {
    pub(crate) outcomes: Vec<Outcome>,
    /// Stopped by Ctrl-C before every message was finished.
    pub(crate) interrupted: bool,
}

/// The counts every format shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Summary {
    pub(crate) messages: usize,
    pub(crate) delivered: usize,
    /// Not acknowledged, for whatever reason (including an interruption).
    pub(crate) failed: usize,
    /// Of the failed: not finished because the run was interrupted.
    pub(crate) unfinished: usize,
}

impl Report {
    pub(crate) fn summary(&self) -> Summary {
        let count = |f: &dyn Fn(&Outcome) -> bool| self.outcomes.iter().filter(|o| f(o)).count();
        let delivered = count(&|o| o.delivered());
        Summary {
            messages: self.outcomes.len(),
            delivered,
            failed: self.outcomes.len() - delivered,
            unfinished: count(&|o| matches!(o.state, State::NotSent | State::InProgress)),
        }
    }
}

/// One output format.
pub(crate) trait Exporter {
    fn export(&self, report: &Report) -> Result<Vec<u8>>;
}

/// Why a message was not delivered, in one line.
pub(crate) fn failure_reason(outcome: &Outcome) -> Option<String> {
    let last_error = outcome.attempts.iter().rev().find_map(|a| a.error.clone());
    match outcome.state {
        State::Delivered => None,
        State::NotSent => Some("not sent: the run was interrupted first".to_string()),
        State::InProgress => Some(format!(
            "interrupted after {} attempt(s){}",
            outcome.attempts.len(),
            last_error
                .map(|e| format!("; last: {e}"))
                .unwrap_or_default()
        )),
        State::Failed => {
            let dup = outcome.attempts.last().is_some_and(|a| a.duplicate);
            let what = if dup {
                "a duplicate was not acknowledged"
            } else {
                "not acknowledged after the last attempt"
            };
            Some(format!("{what}: {}", last_error.unwrap_or_default()))
        }
    }
}

#[cfg(test)]
pub(crate) mod sample {
    use crate::replay::{Attempt, Outcome, State};

    /// A delivered message after one failure, a failed one, and one never sent.
    pub(crate) fn report(interrupted: bool) -> super::Report {
        let attempt = |n, started_ms, status: Option<u16>, error: Option<&str>| Attempt {
            attempt: n,
            started_ms,
            elapsed_ms: 12,
            http_status: status,
            acked: error.is_none(),
            error: error.map(str::to_string),
            duplicate: false,
            ordinal: n,
            of: 7,
        };
        let outcome = |source: &str, state, attempts| Outcome {
            source: source.to_string(),
            vendor: "hooksy",
            id: Some(format!("id-{source}")),
            state,
            attempts,
        };
        super::Report {
            outcomes: vec![
                outcome(
                    "a.json",
                    State::Delivered,
                    vec![
                        attempt(1, 0, Some(500), Some("HTTP 500: <oops>")),
                        attempt(2, 2012, Some(200), None),
                    ],
                ),
                outcome(
                    "b.json",
                    State::Failed,
                    vec![attempt(1, 0, None, Some("connection refused"))],
                ),
                outcome("c.json", State::NotSent, vec![]),
            ],
            interrupted,
        }
    }
}
