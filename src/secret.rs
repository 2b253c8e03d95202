//! Secrets that cannot leak by accident: no `Debug` or `Display` shows their bytes, and
//! comparisons of signatures run in constant time.

use subtle::ConstantTimeEq;

/// A shared secret (AutoX3's `appSecret`). Only its name and length are ever shown.
#[derive(Clone)]
pub struct Secret {
    bytes: Vec<u8>,
    /// What the vendor calls it, in placeholders: `appSecret`.
    label: &'static str,
}

impl Secret {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Secret {
            bytes: bytes.into(),
            label: "secret",
        }
    }

    /// The same secret, shown under the vendor's name for it.
    pub(crate) fn labelled(mut self, label: &'static str) -> Self {
        self.label = label;
        self
    }

    pub(crate) fn label(&self) -> &'static str {
        self.label
    }

    pub fn expose(&self) -> &[u8] {
        &self.bytes
    }

    pub(crate) fn len(&self) -> usize {
        self.bytes.len()
    }

    /// How the secret appears wherever a signed string is shown.
    pub(crate) fn placeholder(&self) -> String {
        placeholder(self.label, self.bytes.len())
    }
}

/// `<LABEL: N bytes>`: a secret as it is shown.
pub(crate) fn placeholder(label: &str, len: usize) -> String {
    let unit = if len == 1 { "byte" } else { "bytes" };
    format!("<{label}: {len} {unit}>")
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
        let s = Secret::new("hunter2").labelled("appSecret");
        assert_eq!(format!("{s:?}"), "<appSecret: 7 bytes>");
        assert_eq!(placeholder("key", 1), "<key: 1 byte>");
    }

    #[test]
    fn constant_time_eq_is_equality() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
