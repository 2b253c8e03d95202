//! Secrets that cannot leak by accident: no `Debug` or `Display` shows their bytes, and
//! comparisons of signatures run in constant time.

use subtle::ConstantTimeEq;

/// The AutoX3 `appSecret`. Only its length is ever shown.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Secret(bytes.into())
    }

    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How the secret appears wherever a signed string is shown.
    pub fn placeholder(&self) -> String {
        placeholder(self.0.len())
    }
}

pub fn placeholder(len: usize) -> String {
    let unit = if len == 1 { "byte" } else { "bytes" };
    format!("<appSecret: {len} {unit}>")
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.placeholder())
    }
}

/// Compares two byte strings without an early exit, so timing does not reveal how many
/// leading bytes of a guessed signature were right.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_bytes() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "<appSecret: 7 bytes>");
        assert_eq!(placeholder(1), "<appSecret: 1 byte>");
    }

    #[test]
    fn constant_time_eq_is_equality() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
