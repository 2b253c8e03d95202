//! The generator behind `cbtool sample`: seeded randomness, a simulated clock, people,
//! and JSON as the vendors' Java serializers write it, so that each vendor's folder can
//! build callbacks a real sender could have produced, reproducible from a seed (through
//! `Vendor::sample`). Generation only; signing and printing are the command's job, so this
//! module does no I/O and reads no clock.

pub(crate) mod curl;
pub(crate) mod people;

use serde_json::{Map, Value};

// What `Vendor::sample` takes and returns is the trait's vocabulary, so it lives in the
// core; these keep its old paths.
pub use crate::vendors::sample_kit::{Generator, LifecyclePath, Plan, Sample};
pub(crate) use crate::vendors::sample_rng::{self as rng, Rng};
pub(crate) use crate::vendors::sample_time as time;

/// A JSON object with its members in alphabetical order, as the vendors' Java
/// serializers (fastjson) write them.
pub(crate) fn sorted(members: Vec<(&str, Value)>) -> Value {
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
pub(crate) fn java_double(n: i64) -> Value {
    Value::from(n as f64)
}

/// Compact JSON bytes. Serializing a `Value` cannot fail (its keys are strings).
pub(crate) fn compact(value: &Value) -> Vec<u8> {
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
}
