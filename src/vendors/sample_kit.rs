//! What `Vendor::sample` takes and returns: the plan of one call, the generated callbacks,
//! and the generator whose seeded randomness and simulated clock every sample of one run
//! shares. The trait's vocabulary, so it lives in the core; building JSON the way each
//! vendor's sender writes it is the `sample` module's and the vendors' folders' job.

use super::sample_rng::Rng;
use super::sample_time as time;

/// How a generated history ends (`sample --lifecycle --path`), for a vendor whose
/// callbacks form one history per order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LifecyclePath {
    /// Carried out and accepted.
    Complete,
    /// Cancelled before the work starts, at a seeded point.
    Cancel,
    /// Carried out, then sent back for rework.
    Rework,
}

/// What to generate in one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// One callback.
    One,
    /// Every callback of one order, in the order they are sent.
    Lifecycle(LifecyclePath),
}

/// One generated callback: a compact, unsigned body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// What happened, for file names: `receivebase-create`, `created`, `rework`, …
    pub name: &'static str,
    pub body: Vec<u8>,
}

/// The randomness and the simulated clock shared by every sample of one run, so that a
/// seed fixes the whole output and successive samples move forward in time.
pub struct Generator {
    pub rng: Rng,
    now_ms: i64,
}

impl Generator {
    /// The clock starts at a seeded instant in the year after [`time::BASE_MS`].
    pub fn new(seed: u64) -> Generator {
        let mut rng = Rng::new(seed);
        let start = time::BASE_MS + rng.range(0, 300 * time::DAY_MS / time::SECOND_MS) * 1000;
        Generator { rng, now_ms: start }
    }

    /// The simulated time, in epoch milliseconds.
    pub(crate) fn now_ms(&self) -> i64 {
        self.now_ms
    }

    /// Moves the clock on by `min..=max` milliseconds and returns the new time.
    pub fn advance(&mut self, min: i64, max: i64) -> i64 {
        self.now_ms += self.rng.range(min, max);
        self.now_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_only_moves_forward() {
        let mut g = Generator::new(9);
        let start = g.now_ms();
        assert!(start >= time::BASE_MS);
        let later = g.advance(1000, 2000);
        assert!((start + 1000..=start + 2000).contains(&later));
    }
}
