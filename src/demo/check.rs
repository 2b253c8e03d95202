//! Judges a demo run: did each message end as the scenario says (acknowledged after the
//! injected faults, answered as a duplicate, or refused on every attempt), did the
//! receiver process each message exactly once, and do its counts add up?

use super::{key, Expect, Scenario};
use crate::listen::{Record, Tally};
use crate::replay::{Outcome, State};

/// One message's expectation against what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Check {
    pub(crate) source: String,
    pub(crate) id: Option<String>,
    pub(crate) expected: String,
    pub(crate) actual: String,
    pub(crate) ok: bool,
}

/// The whole run judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Verdict {
    pub(crate) checks: Vec<Check>,
    /// What the receiver counted, and what it should have.
    pub(crate) tally: Tally,
    pub(crate) expected_tally: Tally,
}

impl Verdict {
    pub(crate) fn ok(&self) -> bool {
        self.checks.iter().all(|c| c.ok) && self.tally == self.expected_tally
    }
}

/// Compares the sender's outcomes (indexed like the scenario) and the receiver's records.
pub(crate) fn check(scenario: &Scenario, outcomes: &[Outcome], records: &[Record]) -> Verdict {
    let mut tally = Tally::default();
    records.iter().for_each(|r| tally.add(r));
    let max = scenario.schedule.max_attempts();
    let checks = scenario
        .planned
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let outcome = outcomes.get(i);
            let (expected, ok) = judge(
                p.expect,
                &p.faults,
                max,
                outcome,
                records,
                &key(&p.outgoing),
            );
            Check {
                source: p.outgoing.source.clone(),
                id: p.outgoing.id.clone(),
                expected,
                actual: describe(outcome, records, &key(&p.outgoing)),
                ok,
            }
        })
        .collect();
    Verdict {
        checks,
        tally,
        expected_tally: expected_tally(scenario),
    }
}

fn judge(
    expect: Expect,
    faults: &[crate::listen::FaultMode],
    max: u32,
    outcome: Option<&Outcome>,
    records: &[Record],
    key: &str,
) -> (String, bool) {
    let attempts = outcome.map_or(0, |o| o.attempts.len());
    let delivered = outcome.is_some_and(|o| o.state == State::Delivered);
    let count = |f: &dyn Fn(&Record) -> bool| records.iter().filter(|r| of(r, key) && f(r)).count();
    match expect {
        Expect::Delivered { attempts: n } => {
            let after = if faults.is_empty() {
                String::new()
            } else {
                let ids: Vec<&str> = faults.iter().map(|f| f.id()).collect();
                format!(" after {}", ids.join(", "))
            };
            let processed = count(&|r| r.decision.acked() && !r.decision.duplicate);
            (
                format!("acknowledged on attempt {n}{after}; processed once"),
                delivered && attempts == n as usize && processed == 1,
            )
        }
        Expect::Duplicate => (
            "acknowledged at once as a duplicate; not processed again".to_string(),
            delivered && attempts == 1 && count(&|r| r.decision.duplicate) == 1,
        ),
        Expect::Rejected { status } => {
            let all =
                outcome.is_some_and(|o| o.attempts.iter().all(|a| a.http_status == Some(status)));
            (
                format!("refused with {status} on all {max} attempts; never processed"),
                outcome.is_some_and(|o| o.state == State::Failed)
                    && attempts == max as usize
                    && all
                    && count(&|r| r.decision.acked()) == 0,
            )
        }
    }
}

/// Whether a record is about the message keyed `key`.
fn of(record: &Record, key: &str) -> bool {
    let d = &record.decision;
    format!(
        "{}:{}",
        d.vendor.unwrap_or(""),
        d.id.as_deref().unwrap_or("")
    ) == key
}

fn describe(outcome: Option<&Outcome>, records: &[Record], key: &str) -> String {
    let Some(o) = outcome else {
        return "not in the run".to_string();
    };
    let statuses: Vec<String> = o
        .attempts
        .iter()
        .map(|a| {
            a.http_status
                .map_or_else(|| "no reply".to_string(), |s| s.to_string())
        })
        .collect();
    let mut seen = Tally::default();
    records
        .iter()
        .filter(|r| of(r, key))
        .for_each(|r| seen.add(r));
    format!(
        "{} after {} attempt(s) ({}); receiver: {} processed, {} duplicate(s), {} rejected, {} fault(s)",
        if o.delivered() { "acknowledged" } else { "not acknowledged" },
        o.attempts.len(),
        statuses.join(", "),
        seen.processed,
        seen.duplicates,
        seen.rejected,
        seen.faults
    )
}

/// The receiver's counts if every message goes as planned. A repeat shares its
/// original's key, so only the original's planned faults count.
pub(crate) fn expected_tally(scenario: &Scenario) -> Tally {
    let max = u64::from(scenario.schedule.max_attempts());
    let mut t = Tally::default();
    for p in &scenario.planned {
        let faults = p.faults.len() as u64;
        t.faults += faults;
        match p.expect {
            Expect::Delivered { attempts } => {
                t.requests += u64::from(attempts);
                t.processed += 1;
            }
            Expect::Duplicate => {
                t.requests += 1;
                t.duplicates += 1;
            }
            Expect::Rejected { .. } => {
                t.requests += max;
                t.rejected += max;
            }
        }
    }
    t
}
