//! The reference receiver behind `cbtool listen`: an HTTP server on loopback that
//! verifies, de-duplicates and answers callbacks as the vendor documents say a receiver
//! should, and misbehaves on request so that senders' retries can be tested.
//!
//! [`receiver`] decides (no I/O but the id store), [`exchange`] turns one HTTP request
//! into a decision and an answer, [`server`] accepts connections and shuts down cleanly
//! (for the receiver and for the proxy alike: it imports neither), on [`workers`], a
//! thread per core.
//! [`forward`] puts the same checks in front of the user's own app (`--forward`),
//! [`upstream`] reaches the app, [`judge`] says what the vendor's sender makes of its answer.

mod exchange;
pub(crate) mod faults;
pub(crate) mod forward;
pub(crate) mod judge;
pub(crate) mod receiver;
mod running;
pub(crate) mod save;
mod schema_check;
pub(crate) mod server;
pub(crate) mod store;
mod tally;
pub(crate) mod upstream;
mod workers;

pub use exchange::{serve, Limits, Record, Shared};
pub use faults::{FaultMode, FaultPlan};
pub use receiver::{Action, Decision, MessageCheck, Receiver};
pub use running::{start, Running};
pub(crate) use save::Saver;
pub use schema_check::SchemaCheck;
pub use store::SeenIds;
pub(crate) use tally::Tally;
