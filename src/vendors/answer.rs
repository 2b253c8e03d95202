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
    pub(crate) fn acknowledged(&self) -> bool {
        matches!(self, Outcome::Processed | Outcome::Duplicate)
    }
}

/// An HTTP answer: status code and JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

/// A rule that tells whether a receiver's answer acknowledges a callback, as one vendor's
/// sender reads it. A vendor brings its own ([`super::Vendor::ack_rules`]); `replay
/// --ack` offers every rule of the registry ([`super::ack_rules`]).
pub trait AckRule: Sync {
    /// The name `--ack` takes: lower case, words joined by `-`.
    fn id(&self) -> &'static str;
    /// One line for `replay --help`.
    fn summary(&self) -> &'static str;
    /// What a receiver must answer for the sender to stop, in words.
    fn needs(&self) -> String;
    /// `Ok` when an answer (never a redirect: the caller refuses those) acknowledges,
    /// otherwise why not, in one line that quotes the body with [`excerpt`].
    fn judge(&self, status: u16, body: &[u8]) -> Result<(), String>;
}

/// Any 2xx status: the rule for a vendor that documents no answer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Http2xx;

impl AckRule for Http2xx {
    fn id(&self) -> &'static str {
        "http-2xx"
    }

    fn summary(&self) -> &'static str {
        "Any 2xx status"
    }

    fn needs(&self) -> String {
        "any 2xx status".to_string()
    }

    fn judge(&self, status: u16, body: &[u8]) -> Result<(), String> {
        if (200..300).contains(&status) {
            Ok(())
        } else {
            Err(format!("HTTP {status}: {}", excerpt(body, 120)))
        }
    }
}

/// The start of a body on one line, as received: quotes and backslashes stay as they
/// are (a receiver's JSON must read as that JSON); line breaks and other invisible or
/// control characters are marked as in signed strings ([`visible`]), so that the excerpt
/// stays one line and cannot drive the terminal; cut at `max` characters.
///
/// [`visible`]: crate::signed_string::visible
pub(crate) fn excerpt(body: &[u8], max: usize) -> String {
    if body.is_empty() {
        return "(empty body)".to_string();
    }
    let text = String::from_utf8_lossy(body);
    let kept: String = text.chars().take(max).collect();
    let mut out = crate::signed_string::visible(kept.as_bytes());
    if text.chars().count() > max {
        out.push('…');
    }
    out
}
