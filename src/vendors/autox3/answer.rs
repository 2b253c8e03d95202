//! What AutoX3's sender reads in a receiver's answer: the documents' normal response
//! acknowledges, anything else (their error shape, `status` 1) is retried on the
//! documented schedule.

use std::time::Duration;

use super::NORMAL_RESPONSE;
use crate::replay::Ack;
use crate::vendors::answer::{excerpt, AckRule};
use crate::vendors::{Outcome, Reply};

/// The documented waits between attempts, in seconds: six retries, seven attempts.
pub(crate) const RETRY_WAITS_SECS: [u64; 6] = [2, 4, 8, 16, 32, 64];

/// The documented waits.
pub(crate) fn retry_waits() -> Vec<Duration> {
    RETRY_WAITS_SECS.map(Duration::from_secs).to_vec()
}

/// The rule of AutoX3's sender, as `replay` applies it.
pub(crate) const STATUS_ZERO: Ack = Ack::new(&StatusZero);

/// HTTP 200 and a JSON body whose `status` is `0` (the normal response).
#[derive(Debug, Clone, Copy)]
pub(crate) struct StatusZero;

impl AckRule for StatusZero {
    fn id(&self) -> &'static str {
        "autox3-status"
    }

    fn summary(&self) -> &'static str {
        "HTTP 200 and a JSON body whose `status` is 0"
    }

    fn needs(&self) -> String {
        format!("HTTP 200 with {NORMAL_RESPONSE}")
    }

    fn judge(&self, status: u16, body: &[u8]) -> Result<(), String> {
        if status != 200 {
            return Err(format!("HTTP {status}: {}", excerpt(body, 120)));
        }
        let value: serde_json::Value = serde_json::from_slice(body).map_err(|_| {
            format!(
                "HTTP 200 but the body is not JSON: {} (expected {NORMAL_RESPONSE})",
                excerpt(body, 120)
            )
        })?;
        match value.get("status") {
            Some(s) if s.as_i64() == Some(0) => Ok(()),
            Some(s) => Err(format!(
                "HTTP 200 with status {s} (not 0): {}",
                excerpt(body, 120)
            )),
            None => Err(format!(
                "HTTP 200 but the JSON has no `status`: {}",
                excerpt(body, 120)
            )),
        }
    }
}

/// The documents: the sender retries until it gets [`NORMAL_RESPONSE`]; anything else is
/// a failure, so every non-acknowledgement carries `status` 1 and a reason.
pub(crate) fn answer(outcome: &Outcome) -> Reply {
    let (status, reason) = match outcome {
        Outcome::Processed | Outcome::Duplicate => {
            return Reply {
                status: 200,
                body: NORMAL_RESPONSE.to_string(),
            }
        }
        Outcome::BadSignature(why) => (401, why),
        Outcome::BadMessage(why) => (400, why),
        Outcome::Refused(why) => (200, why),
        Outcome::ReceiverError(why) => (500, why),
    };
    error_answer(status, reason)
}

/// The documents' error shape: `status` 1 and the reason in `errorInfo`.
pub(crate) fn error_answer(status: u16, reason: &str) -> Reply {
    let body = serde_json::json!({"data": null, "errorInfo": reason, "status": 1});
    Reply {
        status,
        body: body.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acknowledged_by_200_and_status_zero_only() {
        let rule = StatusZero;
        // The normal response, byte for byte as documents 000 and 002 show it.
        assert!(rule
            .judge(200, br#"{"data":null,"errorInfo":"","status":0}"#)
            .is_ok());
        let e = rule.judge(200, br#"{"status":1}"#).unwrap_err();
        assert!(e.contains("status 1 (not 0)"), "{e}");
        let e = rule.judge(200, b"OK").unwrap_err();
        assert!(e.contains("not JSON: OK"), "{e}");
        let e = rule.judge(204, b"").unwrap_err();
        assert_eq!(e, "HTTP 204: (empty body)");
        let e = rule.judge(200, br#"{"status":"0"}"#).unwrap_err();
        assert!(e.contains("status \"0\""), "{e}");
        let e = rule.judge(200, br#"{"code":0}"#).unwrap_err();
        assert_eq!(e, r#"HTTP 200 but the JSON has no `status`: {"code":0}"#);
    }

    #[test]
    fn errors_keep_the_documented_shape() {
        let reply = error_answer(500, "injected fault (http500)");
        assert_eq!(reply.status, 500);
        assert_eq!(
            reply.body,
            r#"{"data":null,"errorInfo":"injected fault (http500)","status":1}"#
        );
        assert_eq!(
            retry_waits().iter().sum::<Duration>(),
            Duration::from_secs(126)
        );
    }
}
