//! What a vendor contributes to `cbtool demo`: its bundled callbacks and the faults the
//! demo's receiver answers them with. Plain data, so that the demo (a feature) reads
//! it and the vendors import nothing of the demo's.

/// One embedded fixture: its path in the repository (to name it) and its bytes, embedded
/// in the binary so that `cbtool demo` works with no checkout around it.
#[derive(Debug, Clone, Copy)]
pub struct Fixture {
    pub(crate) path: &'static str,
    pub(crate) body: &'static [u8],
}

/// Embeds `fixtures/PATH` (relative to the repository) as a [`Fixture`].
#[macro_export]
#[doc(hidden)]
macro_rules! fixture {
    ($path:literal) => {
        $crate::vendors::Fixture {
            path: concat!("fixtures/", $path),
            body: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/", $path)),
        }
    };
}

/// A listen fault the demo's receiver answers a delivery with (`--fail-mode` values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Http500,
    /// The vendor's own "not processed" answer (AutoX3: `status` 1).
    Refused,
    BadJson,
    Close,
}

/// One callback of the demo.
#[derive(Debug, Clone, Copy)]
pub struct DemoStep {
    pub(crate) fixture: Fixture,
    /// Give it a new identity first (several steps share a document's id).
    pub(crate) fresh: bool,
    /// The receiver's answers to its first deliveries; the next one acknowledges it.
    pub(crate) faults: &'static [Fault],
    /// Send it again once acknowledged: the receiver must take the copy as a duplicate.
    pub(crate) again: bool,
    /// Change the signed body: `(text, byte offset in it, new byte)`, what a man in the
    /// middle would deliver; the receiver must refuse it.
    pub(crate) tamper: Option<(&'static [u8], usize, u8)>,
}

impl DemoStep {
    /// A step delivered after `faults`.
    pub(crate) const fn new(fixture: Fixture, faults: &'static [Fault]) -> Self {
        DemoStep {
            fixture,
            fresh: false,
            faults,
            again: false,
            tamper: None,
        }
    }
}
