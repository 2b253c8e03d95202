//! Raw HTTP requests as captured by a proxy, `nc -l`, a log, or `listen --save`:
//! request line, headers, blank line, body. The body is returned byte for byte.

use crate::error::{Error, Result};

/// A parsed request: its headers, in order, and the exact body bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRequest {
    pub method: String,
    pub(crate) path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawRequest {
    /// A body sent with neither `Content-Length` nor `Transfer-Encoding`: HTTP/1.1 gives
    /// such a request no body (RFC 9112, section 6.3), so a receiver (hyper, `listen`)
    /// reads none. `parse` still takes the rest as the body, for hand-written captures.
    pub fn unframed(&self) -> bool {
        let framed = self.headers.iter().any(|(k, _)| {
            k.eq_ignore_ascii_case("content-length") || k.eq_ignore_ascii_case("transfer-encoding")
        });
        !framed && !self.body.is_empty()
    }
}

/// Whether `bytes` begins like an HTTP/1.x request line.
pub(crate) fn looks_like_request(bytes: &[u8]) -> bool {
    let line_end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len())
        .min(8192);
    let line = String::from_utf8_lossy(&bytes[..line_end]);
    let mut parts = line.split_whitespace();
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(m), Some(_), Some(v)) if m.bytes().all(|b| b.is_ascii_uppercase()) && v.starts_with("HTTP/1.")
    )
}

/// Parses one request. Bare LF line endings are accepted, since logs often lose the CR.
pub fn parse(source: &str, bytes: &[u8]) -> Result<RawRequest> {
    let mut headers = [httparse::EMPTY_HEADER; 128];
    let mut request = httparse::Request::new(&mut headers);
    let head_len = match request.parse(bytes) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => {
            return Err(Error::new(format!(
                "{source}: the HTTP request ends inside its headers: no blank line separates headers from the body"
            )))
        }
        Err(e) => {
            return Err(Error::new(format!(
                "{source}: not a raw HTTP request ({e}); expected a request line such as `POST /callback HTTP/1.1`, headers, a blank line, then the body"
            )))
        }
    };
    let headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_string(),
                String::from_utf8_lossy(h.value).trim().to_string(),
            )
        })
        .collect();
    let rest = &bytes[head_len..];
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let body = if header("Transfer-Encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
    {
        dechunk(source, rest)?
    } else if let Some(length) = header("Content-Length") {
        let length: usize = length.parse().map_err(|_| {
            Error::new(format!(
                "{source}: Content-Length `{length}` is not a number"
            ))
        })?;
        if rest.len() < length {
            return Err(Error::new(format!(
                "{source}: the body has {} bytes but Content-Length says {length}: the capture is truncated",
                rest.len()
            )));
        }
        rest[..length].to_vec()
    } else {
        rest.to_vec()
    };
    Ok(RawRequest {
        method: request.method.unwrap_or_default().to_string(),
        path: request.path.unwrap_or_default().to_string(),
        headers,
        body,
    })
}

fn dechunk(source: &str, mut rest: &[u8]) -> Result<Vec<u8>> {
    let bad = |why: &str| Error::new(format!("{source}: bad chunked body: {why}"));
    let mut body = Vec::new();
    loop {
        let line_end = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| bad("a chunk size line has no end"))?;
        let size_text = String::from_utf8_lossy(&rest[..line_end]);
        let size_text = size_text
            .trim()
            .split(';')
            .next()
            .unwrap_or_default()
            .to_string();
        let size = usize::from_str_radix(&size_text, 16)
            .map_err(|_| bad(&format!("chunk size `{size_text}` is not hex")))?;
        rest = &rest[line_end + 1..];
        if size == 0 {
            return Ok(body);
        }
        if rest.len() < size {
            return Err(bad("a chunk is cut short"));
        }
        body.extend_from_slice(&rest[..size]);
        rest = &rest[size..];
        rest = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))
            .ok_or_else(|| bad("a chunk is not followed by a line break"))?;
    }
}

/// Writes a request in the form `parse` reads back: CRLF, exact Content-Length.
pub fn render(path: &str, host: &str, headers: &[(String, String)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("POST {path} HTTP/1.1\r\nHost: {host}\r\n").into_bytes();
    for (name, value) in headers {
        if !name.eq_ignore_ascii_case("host") && !name.eq_ignore_ascii_case("content-length") {
            out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_crlf_lf_and_chunked() {
        let r = parse(
            "r",
            b"POST /cb HTTP/1.1\r\nX-Sign: a+b=\r\nContent-Length: 2\r\n\r\n{}junk",
        )
        .unwrap();
        assert_eq!(r.body, b"{}");
        assert_eq!(r.headers[0], ("X-Sign".to_string(), "a+b=".to_string()));
        let r = parse("r", b"POST /cb HTTP/1.1\nHost: x\n\n{\"a\":1}\n").unwrap();
        assert_eq!(r.body, b"{\"a\":1}\n");
        assert!(r.unframed(), "no Content-Length: a receiver reads no body");
        let r = parse("r", b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{\"a\r\n4\r\n\":1}\r\n0\r\n\r\n").unwrap();
        assert_eq!(r.body, b"{\"a\":1}");
        assert!(!r.unframed());
    }

    #[test]
    fn truncation_is_named() {
        let e = parse("r", b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n{}").unwrap_err();
        assert!(e.message().contains("truncated"), "{e}");
        assert!(looks_like_request(b"POST /x HTTP/1.1\r\n"));
        assert!(!looks_like_request(b"{\"a\":1}"));
    }

    #[test]
    fn render_round_trips() {
        let bytes = render("/cb", "h", &[("X-Sign".into(), "x".into())], b"{}");
        let r = parse("r", &bytes).unwrap();
        assert_eq!(r.body, b"{}");
        assert_eq!(r.path, "/cb");
    }
}
