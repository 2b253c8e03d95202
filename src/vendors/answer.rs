//! What a receiver answers a callback, per vendor: the sender decides from the answer
//! whether to retry, so each vendor's documented acknowledgement lives with the vendor.

/// What the receiver made of one callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// New, signature valid: processed and acknowledged.
    Processed,
    /// Seen before: acknowledged again, not processed again.
    Duplicate,
    /// The signature is missing or does not verify. The reason names the problem with the
    /// received signature only: naming the expected one would make the receiver a signing oracle.
    BadSignature(String),
    /// The body is JSON but not a usable callback of this vendor (a field missing, a wrong type).
    BadMessage(String),
    /// The receiver declines a valid callback (fault injection: `--fail-mode status1`).
    Refused(String),
    /// The receiver cannot check the callback (no credential for this vendor).
    ReceiverError(String),
}

impl Outcome {
    /// Whether the sender is told the callback was taken (it stops retrying).
    pub fn acknowledged(&self) -> bool {
        matches!(self, Outcome::Processed | Outcome::Duplicate)
    }
}

/// An HTTP answer: status code and JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Reply {
    /// The answer for requests no vendor owns (not JSON, too large, unknown vendor): the
    /// AutoX3 error shape, since it is the only documented one and never reads as an
    /// acknowledgement.
    pub fn generic(status: u16, error: &str) -> Reply {
        let body = serde_json::json!({"data": null, "errorInfo": error, "status": 1});
        Reply {
            status,
            body: body.to_string(),
        }
    }
}
