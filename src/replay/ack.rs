//! When a receiver has acknowledged a callback. Each vendor has its own rule (see
//! `Vendor::default_ack`); `--ack` overrides it.

use super::Reply;
use crate::signed_string::visible;

/// An acknowledgement rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ack {
    /// Any 2xx status (Dayu: its documents say nothing more).
    Http2xx,
    /// HTTP 200 and a JSON body whose `status` is `0` (AutoX3's normal response).
    AutoX3Status,
}

impl Ack {
    pub fn id(self) -> &'static str {
        match self {
            Ack::Http2xx => "http-2xx",
            Ack::AutoX3Status => "autox3-status",
        }
    }

    /// `Ok` when `reply` acknowledges the callback, otherwise why it does not.
    pub fn judge(self, reply: &Reply) -> Result<(), String> {
        let (status, body, location) = match reply {
            Reply::Failed(why) => return Err(why.clone()),
            Reply::Response {
                status,
                body,
                location,
            } => (*status, body.as_slice(), location),
        };
        if (300..400).contains(&status) {
            let to = location.as_deref().unwrap_or("no Location header");
            return Err(format!(
                "HTTP {status} redirect to {to} (redirects are not followed: give the final URL)"
            ));
        }
        match self {
            Ack::Http2xx if (200..300).contains(&status) => Ok(()),
            Ack::Http2xx => Err(format!("HTTP {status}: {}", excerpt(body, 120))),
            Ack::AutoX3Status if status != 200 => {
                Err(format!("HTTP {status}: {}", excerpt(body, 120)))
            }
            Ack::AutoX3Status => autox3_status(body),
        }
    }
}

fn autox3_status(body: &[u8]) -> Result<(), String> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|_| {
        format!(
            "HTTP 200 but the body is not JSON: {} (expected {{\"data\":null,\"errorInfo\":\"\",\"status\":0}})",
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

/// The start of a body on one line, as received: quotes and backslashes stay as they
/// are (a receiver's JSON must read as that JSON); line breaks and other invisible or
/// control characters are marked as in signed strings ([`visible`]), so that the excerpt
/// stays one line and cannot drive the terminal; cut at `max` characters.
pub fn excerpt(body: &[u8], max: usize) -> String {
    if body.is_empty() {
        return "(empty body)".to_string();
    }
    let text = String::from_utf8_lossy(body);
    let kept: String = text.chars().take(max).collect();
    let mut out = visible(kept.as_bytes());
    if text.chars().count() > max {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str) -> Reply {
        Reply::Response {
            status,
            body: body.as_bytes().to_vec(),
            location: None,
        }
    }

    #[test]
    fn autox3_needs_200_and_status_zero() {
        let ack = Ack::AutoX3Status;
        assert!(ack
            .judge(&response(200, r#"{"data":null,"errorInfo":"","status":0}"#))
            .is_ok());
        let e = ack.judge(&response(200, r#"{"status":1}"#)).unwrap_err();
        assert!(e.contains("status 1 (not 0)"), "{e}");
        let e = ack.judge(&response(200, "OK")).unwrap_err();
        assert!(e.contains("not JSON: OK"), "{e}");
        let e = ack.judge(&response(204, "")).unwrap_err();
        assert_eq!(e, "HTTP 204: (empty body)");
        let e = ack.judge(&response(200, r#"{"status":"0"}"#)).unwrap_err();
        assert!(e.contains("status \"0\""), "{e}");
    }

    #[test]
    fn http_2xx_takes_any_success_and_rejects_redirects() {
        assert!(Ack::Http2xx.judge(&response(204, "")).is_ok());
        assert!(Ack::Http2xx.judge(&response(500, "boom\n")).is_err());
        let redirect = Reply::Response {
            status: 302,
            body: Vec::new(),
            location: Some("https://x/y".into()),
        };
        let e = Ack::Http2xx.judge(&redirect).unwrap_err();
        assert!(e.starts_with("HTTP 302 redirect to https://x/y"), "{e}");
        let e = Ack::Http2xx
            .judge(&Reply::Failed("connection refused".into()))
            .unwrap_err();
        assert_eq!(e, "connection refused");
    }

    #[test]
    fn excerpts_are_one_line_and_bounded() {
        assert_eq!(excerpt(b"a\nb", 10), "a␊b");
        assert_eq!(excerpt(b"abcdef", 3), "abc…");
        assert_eq!(
            excerpt(br#"{"data":null,"path":"C:\x"}"#, 100),
            r#"{"data":null,"path":"C:\x"}"#
        );
        assert_eq!(excerpt(b"a\x1b[31mb\tc", 100), "a⟨U+001B⟩[31mb␉c");
        assert_eq!(excerpt("a\u{202e}b".as_bytes(), 100), "a⟨U+202E⟩b");
    }
}
