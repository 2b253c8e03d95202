//! Delivering callbacks the way the real sender does: the same bytes again and again on
//! the vendor's retry schedule until the receiver acknowledges them.
//!
//! The core here does no printing, sleeping or network I/O of its own: the engine takes a
//! [`engine::Transport`], a [`engine::Clock`] and an [`engine::Observer`], so tests drive it
//! instantly and exactly, and the command wires in reqwest, tokio and the terminal.

pub mod engine;
pub(crate) mod outcome;
pub(crate) mod report;
pub mod transport;

// The acknowledgement rule, the schedule and what an attempt gets back are the
// vocabulary of the `Vendor` trait, so they live in the core; these keep their old paths.
pub use crate::vendors::ack::{self, Ack, Reply};
pub use crate::vendors::schedule::{self, Schedule};
pub use outcome::{Attempt, Outcome, Recorder, State};

/// One callback ready to send: prepared (and signed) once, then sent byte for byte on
/// every attempt.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// Names the input: a path, `<stdin>`, or `path:line` for JSON Lines.
    pub source: String,
    pub vendor: &'static str,
    /// msgId for AutoX3, `orderId/serviceProgessTimeNum` for Dayu.
    pub id: Option<String>,
    /// Messages sharing a lane are delivered one after another, in input order (one
    /// Dayu order); `None` is a lane of its own.
    pub lane: Option<String>,
    /// Headers besides `Content-Type: application/json`, which is always sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub ack: Ack,
}
