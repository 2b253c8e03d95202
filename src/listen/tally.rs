//! The receiver's counts of what it answered — processed, duplicates, rejected, faults —
//! for `listen`'s closing summary and for `demo`'s check of the outcome.

use super::exchange::Record;

/// Counts for the closing summary.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tally {
    pub(crate) requests: u64,
    pub(crate) processed: u64,
    pub(crate) duplicates: u64,
    pub(crate) rejected: u64,
    pub(crate) faults: u64,
}

impl Tally {
    pub(crate) fn add(&mut self, record: &Record) {
        let d = &record.decision;
        self.requests += 1;
        if d.fault.is_some() {
            self.faults += 1;
        } else if !d.acked() {
            self.rejected += 1;
        } else if d.duplicate {
            self.duplicates += 1;
        } else {
            self.processed += 1;
        }
    }
}
