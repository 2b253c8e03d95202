//! Fault injection: the receiver misbehaves on purpose so that a sender's retry logic
//! can be exercised — the first N deliveries of each message, a seeded random share, or
//! a script naming the faults of particular messages (`demo`).

use std::collections::HashMap;
use std::sync::Mutex;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// How a faulted delivery is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultMode {
    /// HTTP 500.
    Http500,
    /// The vendor's refusal with a success status where it has one (AutoX3: 200, `status` 1).
    Status1,
    /// No answer until the sender gives up.
    Timeout,
    /// The connection is closed without an answer.
    Close,
    /// HTTP 200 with a body that is not JSON (the normal response cut short).
    BadJson,
}

impl FaultMode {
    pub(crate) fn id(self) -> &'static str {
        match self {
            FaultMode::Http500 => "http500",
            FaultMode::Status1 => "status1",
            FaultMode::Timeout => "timeout",
            FaultMode::Close => "close",
            FaultMode::BadJson => "badjson",
        }
    }
}

/// Which deliveries get a fault.
pub struct FaultPlan {
    fail_first: u32,
    fail_rate: f64,
    mode: FaultMode,
    /// Per message key: the faults its first deliveries get, in order.
    script: HashMap<String, Vec<FaultMode>>,
    state: Mutex<State>,
}

struct State {
    deliveries: HashMap<String, u32>,
    rng: StdRng,
}

impl FaultPlan {
    /// `fail_rate` is a probability in 0..=1; `seed` makes the random share repeatable.
    pub fn new(fail_first: u32, fail_rate: f64, seed: u64, mode: FaultMode) -> Self {
        FaultPlan {
            fail_first,
            fail_rate,
            mode,
            script: HashMap::new(),
            state: Mutex::new(State {
                deliveries: HashMap::new(),
                rng: StdRng::seed_from_u64(seed),
            }),
        }
    }

    /// A plan that never faults.
    pub fn none() -> Self {
        FaultPlan::new(0, 0.0, 0, FaultMode::Http500)
    }

    /// Scripts message `key` (`vendor:id`): its n-th delivery gets `faults[n-1]`, later
    /// ones none. A scripted message ignores the other rules.
    pub(crate) fn with_script(mut self, key: impl Into<String>, faults: Vec<FaultMode>) -> Self {
        self.script.insert(key.into(), faults);
        self
    }

    pub(crate) fn is_active(&self) -> bool {
        self.fail_first > 0 || self.fail_rate > 0.0 || !self.script.is_empty()
    }

    /// Counts one delivery of message `key` and says whether it gets the fault.
    pub(crate) fn decide(&self, key: &str) -> Option<FaultMode> {
        if !self.is_active() {
            return None;
        }
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let count = state.deliveries.entry(key.to_string()).or_insert(0);
        *count = count.saturating_add(1);
        if let Some(script) = self.script.get(key) {
            let n = usize::try_from(*count).unwrap_or(usize::MAX);
            return script.get(n - 1).copied();
        }
        if *count <= self.fail_first {
            return Some(self.mode);
        }
        (self.fail_rate > 0.0 && state.rng.gen_bool(self.fail_rate.min(1.0))).then_some(self.mode)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fail_first_counts_per_message() {
        let plan = FaultPlan::new(2, 0.0, 0, FaultMode::Close);
        let a: Vec<_> = (0..3).map(|_| plan.decide("a")).collect();
        assert_eq!(a, [Some(FaultMode::Close), Some(FaultMode::Close), None]);
        assert_eq!(plan.decide("b"), Some(FaultMode::Close));
        assert_eq!(FaultPlan::none().decide("a"), None);
    }

    #[test]
    fn a_script_names_the_faults_of_one_message() {
        let plan = FaultPlan::none().with_script("a", vec![FaultMode::Close, FaultMode::BadJson]);
        let a: Vec<_> = (0..3).map(|_| plan.decide("a")).collect();
        assert_eq!(a, [Some(FaultMode::Close), Some(FaultMode::BadJson), None]);
        assert_eq!(plan.decide("b"), None);
    }

    #[test]
    fn fail_rate_is_repeatable_with_a_seed() {
        let run = |seed| {
            let plan = FaultPlan::new(0, 0.5, seed, FaultMode::Http500);
            (0..64)
                .map(|i| plan.decide(&i.to_string()).is_some())
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        let faults = run(7).iter().filter(|&&f| f).count();
        assert!((16..=48).contains(&faults), "{faults} of 64");
        let always = FaultPlan::new(0, 1.0, 1, FaultMode::Timeout);
        assert!((0..10).all(|_| always.decide("x").is_some()));
    }
}
