//! The order-history check of `validate --sequence`, for a vendor whose callbacks form
//! per-order histories: the vendor states the rules ([`History`], in its own folder), and
//! `validate` hands it the bodies in delivery order.

use serde_json::Value;

/// The rules a sequence of one vendor's callbacks must follow.
pub trait History: Sync {
    /// What one history is, for the finding on a callback that cannot be part of it
    /// (`not a Name callback: a history is …`): e.g. `one Dayu order's callbacks`.
    fn what(&self) -> &'static str;
    /// The history's number in reports (`order N`, `order_id` in JSON), read from its
    /// first callback.
    fn id(&self, first: &Value) -> Option<i64>;
    /// Checks the callbacks in delivery order and returns the first illegal step.
    fn check(&self, bodies: &[&Value]) -> Result<(), Illegal>;
}

/// The first step that breaks the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Illegal {
    /// Index of the offending callback in the sequence.
    pub(crate) index: usize,
    /// JSON Pointer of the offending member.
    pub(crate) path: &'static str,
    pub(crate) rule: &'static str,
    pub(crate) message: String,
}
