//! The generator behind `cbtool sample`: seeded randomness, a simulated clock, people,
//! and JSON as the vendors' Java serializers write it, so that each vendor's folder can
//! build callbacks a real sender could have produced, reproducible from a seed (through
//! `Vendor::sample`). Generation only; signing and printing are the command's job, so this
//! module does no I/O and reads no clock.

pub mod curl;
pub mod people;
pub mod rng;
pub mod time;

use serde_json::{Map, Value};

pub use rng::Rng;

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
    pub fn now_ms(&self) -> i64 {
        self.now_ms
    }

    /// Moves the clock on by `min..=max` milliseconds and returns the new time.
    pub fn advance(&mut self, min: i64, max: i64) -> i64 {
        self.now_ms += self.rng.range(min, max);
        self.now_ms
    }
}

/// A JSON object with its members in alphabetical order, as the vendors' Java
/// serializers (fastjson) write them.
pub fn sorted(members: Vec<(&str, Value)>) -> Value {
    let mut members = members;
    members.sort_by(|a, b| a.0.cmp(b.0));
    Value::Object(
        members
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<Map<String, Value>>(),
    )
}

/// A whole number written as a Java `double` prints it (`67000.0`): the documents'
/// odometer readings are doubles.
pub fn java_double(n: i64) -> Value {
    Value::from(n as f64)
}

/// Compact JSON bytes. Serializing a `Value` cannot fail (its keys are strings).
pub fn compact(value: &Value) -> Vec<u8> {
    value.to_string().into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_print_like_java() {
        assert_eq!(compact(&java_double(67000)), b"67000.0");
        assert_eq!(
            compact(&sorted(vec![("b", 1.into()), ("a", "x".into())])),
            br#"{"a":"x","b":1}"#
        );
    }

    #[test]
    fn the_clock_only_moves_forward() {
        let mut g = Generator::new(9);
        let start = g.now_ms();
        assert!(start >= time::BASE_MS);
        let later = g.advance(1000, 2000);
        assert!((start + 1000..=start + 2000).contains(&later));
    }
}
