//! Judging the user's app behind `listen --forward`: from what cbtool found about a
//! callback (its signature, whether the app already acknowledged it, which delivery this
//! is) and what the app answered, say whether the vendor's sender takes the answer as an
//! acknowledgement, whether and when it sends the callback again, and whether the app got
//! it wrong. No I/O: the forwarder hands in facts and gets a [`Judgement`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use crate::replay::{Ack, Reply, Schedule};

/// What the app got wrong, in the sender's eyes. Every kind fails `--expect-app-correct`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Flag {
    /// It acknowledged a callback whose signature is invalid: anyone can forge callbacks.
    AckedForged,
    /// It answered a new callback with a valid signature, but not with an acknowledgement.
    RefusedValid,
    /// It answered a repeat of a callback it had acknowledged with an error.
    DuplicateRefused,
    /// It gave no answer to a callback with a valid signature (down, too slow, reset).
    ValidUnanswered,
}

impl Flag {
    pub(crate) const ALL: [Flag; 4] = [
        Flag::AckedForged,
        Flag::RefusedValid,
        Flag::DuplicateRefused,
        Flag::ValidUnanswered,
    ];

    /// The id in JSON lines and the summary.
    pub(crate) fn id(self) -> &'static str {
        match self {
            Flag::AckedForged => "acked_forged",
            Flag::RefusedValid => "refused_valid",
            Flag::DuplicateRefused => "duplicate_refused",
            Flag::ValidUnanswered => "valid_unanswered",
        }
    }
}

/// Whether and when the sender delivers the callback again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Retry {
    /// Acknowledged: the sender stops.
    Stops,
    /// Not acknowledged: attempt `next` comes after `wait`.
    After { wait: Duration, next: u32, of: u32 },
    /// Not acknowledged, and that was the sender's last attempt: the callback is lost.
    GivesUp { attempts: u32 },
    /// Not acknowledged, and the vendor documents no retries.
    Undocumented,
}

impl Retry {
    /// After a delivery that was not acknowledged: `attempt` is 1-based.
    pub(crate) fn after_failure(schedule: Option<&Schedule>, attempt: u32) -> Retry {
        let Some(schedule) = schedule else {
            return Retry::Undocumented;
        };
        match schedule.wait_after(attempt) {
            Some(wait) => Retry::After {
                wait,
                next: attempt + 1,
                of: schedule.max_attempts(),
            },
            None => Retry::GivesUp { attempts: attempt },
        }
    }

    /// One clause for the log line.
    pub(crate) fn describe(&self, vendor: &str) -> String {
        match self {
            Retry::Stops => "the sender stops".to_string(),
            Retry::After { wait, next, of } => {
                format!(
                    "the sender will retry in {} (attempt {next} of {of})",
                    spoken(*wait)
                )
            }
            Retry::GivesUp { attempts } => {
                format!("the sender gives up after attempt {attempts}: this callback is lost")
            }
            Retry::Undocumented => {
                format!("{vendor}'s documents give no retry schedule: this callback may never come again")
            }
        }
    }

    /// Seconds until the next attempt, for JSON; none when no attempt follows.
    pub(crate) fn wait_secs(&self) -> Option<f64> {
        match self {
            Retry::After { wait, .. } => Some(wait.as_secs_f64()),
            _ => None,
        }
    }
}

/// A wait as people say it: `2 s`, `500 ms`, `1.5 s`.
fn spoken(wait: Duration) -> String {
    let text = crate::replay::schedule::format_wait(wait);
    match text.strip_suffix("ms") {
        Some(n) => format!("{n} ms"),
        None => format!("{} s", text.trim_end_matches('s')),
    }
}

/// What the judge is told about one forwarded callback.
#[derive(Debug, Clone)]
pub(crate) struct Facts<'a> {
    /// The vendor's acknowledgement rule.
    pub(crate) ack: Ack,
    /// The vendor's documented retries, if it documents any.
    pub(crate) schedule: Option<&'a Schedule>,
    /// `None` when the signature could not be checked (no credential, not a callback).
    pub(crate) signature_valid: Option<bool>,
    /// The app had acknowledged this message before.
    pub(crate) duplicate: bool,
    /// Which delivery of the message this is since the app last acknowledged it, from 1.
    pub(crate) attempt: u32,
}

/// The verdict on the app's answer to one callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Judgement {
    /// The sender takes the answer as an acknowledgement.
    pub(crate) app_acked: bool,
    /// Why it does not, when it does not (the acknowledgement rule's words).
    pub(crate) not_acked: Option<String>,
    pub(crate) flag: Option<Flag>,
    pub(crate) retry: Retry,
}

/// Judges the app's answer (`Reply::Failed` when it gave none).
pub(crate) fn judge(facts: &Facts, reply: &Reply) -> Judgement {
    let verdict = facts.ack.judge(reply);
    let app_acked = verdict.is_ok();
    let answered = matches!(reply, Reply::Response { .. });
    let flag = match (facts.signature_valid, app_acked) {
        (Some(false), true) => Some(Flag::AckedForged),
        (Some(true), false) if !answered => Some(Flag::ValidUnanswered),
        (Some(true), false) if facts.duplicate => Some(Flag::DuplicateRefused),
        (Some(true), false) => Some(Flag::RefusedValid),
        _ => None,
    };
    let retry = if app_acked {
        Retry::Stops
    } else {
        Retry::after_failure(facts.schedule, facts.attempt)
    };
    Judgement {
        app_acked,
        not_acked: verdict.err(),
        flag,
        retry,
    }
}

/// What a receiver must answer for the sender to stop, in words.
pub(crate) fn ack_needs(ack: Ack) -> String {
    ack.needs()
}

/// The deliveries seen of each message (`vendor:id`): which attempt this is, and
/// whether the app acknowledged the message before (the next delivery is a duplicate).
#[derive(Debug, Default)]
pub(crate) struct Deliveries {
    seen: Mutex<HashMap<String, Seen>>,
}

#[derive(Debug, Default, Clone, Copy)]
struct Seen {
    since_ack: u32,
    acked: bool,
}

/// One delivery's place in its message's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Arrival {
    pub(crate) attempt: u32,
    pub(crate) duplicate: bool,
}

impl Deliveries {
    /// Counts a delivery of `key`.
    pub(crate) fn arrive(&self, key: &str) -> Arrival {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let entry = seen.entry(key.to_string()).or_default();
        entry.since_ack = entry.since_ack.saturating_add(1);
        Arrival {
            attempt: entry.since_ack,
            duplicate: entry.acked,
        }
    }

    /// Records the outcome of a delivery of `key`: an acknowledgement starts a new count,
    /// as the sender's next delivery of it is a new sequence.
    pub(crate) fn settle(&self, key: &str, acked: bool) {
        if !acked {
            return;
        }
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = seen.get_mut(key) {
            *entry = Seen {
                since_ack: 0,
                acked: true,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> Reply {
        Reply::Response {
            status,
            body: body.as_bytes().to_vec(),
            location: None,
        }
    }

    fn facts(valid: Option<bool>, duplicate: bool, attempt: u32, s: &Schedule) -> Facts<'_> {
        Facts {
            ack: Ack::HTTP_2XX,
            schedule: Some(s),
            signature_valid: valid,
            duplicate,
            attempt,
        }
    }

    /// A documented schedule of six waits, 2 s doubling to 64 s.
    fn documented() -> Schedule {
        Schedule::parse("2,4,8,16,32,64").unwrap()
    }

    #[test]
    fn an_app_refusing_a_valid_callback_is_told_when_it_comes_again() {
        let s = documented();
        let j = judge(&facts(Some(true), false, 1, &s), &answer(503, "busy"));
        assert!(!j.app_acked);
        assert_eq!(j.flag, Some(Flag::RefusedValid));
        assert_eq!(j.not_acked.as_deref(), Some("HTTP 503: busy"));
        assert_eq!(
            j.retry.describe("Acme"),
            "the sender will retry in 2 s (attempt 2 of 7)"
        );
        let last = judge(&facts(Some(true), false, 7, &s), &answer(500, ""));
        assert_eq!(last.retry, Retry::GivesUp { attempts: 7 });
    }

    #[test]
    fn forged_acks_duplicates_and_silence_are_each_their_own_flag() {
        let s = documented();
        let forged = judge(&facts(Some(false), false, 1, &s), &answer(200, "{}"));
        assert_eq!(
            (forged.app_acked, forged.flag),
            (true, Some(Flag::AckedForged))
        );
        assert_eq!(forged.retry, Retry::Stops);
        let refused = judge(&facts(Some(false), false, 1, &s), &answer(401, "no"));
        assert_eq!(refused.flag, None, "refusing a forgery is right");
        let dup = judge(&facts(Some(true), true, 1, &s), &answer(409, "seen"));
        assert_eq!(dup.flag, Some(Flag::DuplicateRefused));
        let down = judge(
            &facts(Some(true), false, 3, &s),
            &Reply::Failed("connection refused".into()),
        );
        assert_eq!(down.flag, Some(Flag::ValidUnanswered));
        assert_eq!(down.retry.wait_secs(), Some(8.0));
        let unchecked = judge(&facts(None, false, 1, &s), &answer(204, ""));
        assert_eq!((unchecked.app_acked, unchecked.flag), (true, None));
    }

    #[test]
    fn a_vendor_without_a_schedule_says_so() {
        let f = Facts {
            ack: Ack::HTTP_2XX,
            schedule: None,
            signature_valid: Some(true),
            duplicate: false,
            attempt: 1,
        };
        let j = judge(&f, &answer(204, ""));
        assert!(j.app_acked && j.flag.is_none());
        let j = judge(&f, &answer(500, "boom"));
        assert_eq!(j.retry, Retry::Undocumented);
        assert!(j
            .retry
            .describe("Acme")
            .starts_with("Acme's documents give no retry"));
    }

    #[test]
    fn deliveries_count_attempts_until_an_acknowledgement() {
        let d = Deliveries::default();
        assert_eq!(d.arrive("a").attempt, 1);
        d.settle("a", false);
        let second = d.arrive("a");
        assert_eq!((second.attempt, second.duplicate), (2, false));
        d.settle("a", true);
        let again = d.arrive("a");
        assert_eq!((again.attempt, again.duplicate), (1, true));
        assert_eq!(d.arrive("b").attempt, 1);
        assert_eq!(spoken(Duration::from_millis(500)), "500 ms");
        assert_eq!(spoken(Duration::from_millis(1500)), "1.5 s");
    }
}
