//! The real transport: an HTTP POST with reqwest (rustls), one fresh connection per
//! attempt unless asked to keep connections alive, no redirects followed, the response
//! body read up to a cap.

use std::error::Error as _;
use std::io;
use std::time::Duration;

use hyper::body::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE, LOCATION};

use super::engine::Transport;
use super::{Outgoing, Reply};
use crate::error::{Error, Result};

/// How much of a response body is kept: enough to show and judge any real
/// acknowledgement, small enough that an endless body cannot exhaust memory.
pub(crate) const BODY_CAP: usize = 64 * 1024;

/// Where and how to send.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    pub url: reqwest::Url,
    /// `--header` values; they replace a carried header of the same name.
    pub headers: Vec<(String, String)>,
    pub timeout: Duration,
    /// Extra trusted roots (PEM), from `--cacert`.
    pub cacert: Option<(String, Vec<u8>)>,
    pub insecure: bool,
    /// Reuse idle connections (`--keep-alive`) instead of one fresh connection per attempt.
    pub keep_alive: bool,
}

/// Sends messages with reqwest.
#[derive(Debug)]
pub struct HttpTransport {
    client: reqwest::Client,
    url: reqwest::Url,
    headers: HeaderMap,
    timeout: Duration,
}

/// Checks a URL given on the command line: absolute, `http` or `https`.
pub fn parse_url(text: &str) -> Result<reqwest::Url> {
    let url = reqwest::Url::parse(text).map_err(|e| {
        Error::new(format!(
            "--url {text}: not a URL ({e}); give one such as http://127.0.0.1:8080/callback"
        ))
    })?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        other => Err(Error::new(format!(
            "--url {text}: the scheme `{other}` is not supported; callbacks go over http or https"
        ))),
    }
}

/// Checks one header for sending, naming it in the error.
pub(crate) fn check_header(name: &str, value: &str) -> std::result::Result<(), String> {
    HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("`{name}` is not a valid header name"))?;
    HeaderValue::from_str(value)
        .map_err(|_| format!("the value of `{name}` is not a valid header value"))?;
    Ok(())
}

impl HttpTransport {
    pub fn new(options: &HttpOptions) -> Result<Self> {
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(options.timeout)
            .connect_timeout(options.timeout)
            .pool_max_idle_per_host(if options.keep_alive { usize::MAX } else { 0 })
            .user_agent(concat!("cbtool/", env!("CARGO_PKG_VERSION")))
            .danger_accept_invalid_certs(options.insecure);
        if let Some((path, pem)) = &options.cacert {
            let certs = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| {
                Error::new(format!(
                    "{path}: not a PEM certificate bundle ({e}); --cacert takes PEM"
                ))
            })?;
            if certs.is_empty() {
                return Err(Error::new(format!("{path}: no PEM certificate found")));
            }
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        let client = builder
            .build()
            .map_err(|e| Error::new(format!("cannot set up the HTTP client: {e}")))?;
        let mut headers = HeaderMap::new();
        for (name, value) in &options.headers {
            let (Ok(n), Ok(v)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) else {
                return Err(Error::new(format!(
                    "--header '{name}: {value}': not a valid header"
                )));
            };
            headers.insert(n, v);
        }
        Ok(HttpTransport {
            client,
            url: options.url.clone(),
            headers,
            timeout: options.timeout,
        })
    }

    /// Content type, the message's carried headers, then `--header` (which wins).
    fn headers_for(&self, message: &Outgoing) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        for (name, value) in &message.headers {
            if let (Ok(n), Ok(v)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                map.insert(n, v);
            }
        }
        for (name, value) in &self.headers {
            map.insert(name.clone(), value.clone());
        }
        map
    }

    fn describe(&self, e: &reqwest::Error) -> String {
        if e.is_timeout() {
            return format!(
                "time-out: no complete response within {} ms",
                self.timeout.as_millis()
            );
        }
        let mut source = e.source();
        while let Some(s) = source {
            if let Some(io) = s.downcast_ref::<io::Error>() {
                match io.kind() {
                    io::ErrorKind::ConnectionRefused => {
                        return "connection refused: nothing listening at the URL".into()
                    }
                    io::ErrorKind::ConnectionReset => {
                        return "connection reset by the receiver".into()
                    }
                    io::ErrorKind::ConnectionAborted => return "connection aborted".into(),
                    _ => {}
                }
            }
            source = s.source();
        }
        let chain = error_chain(e);
        if chain.contains("connection closed before message completed") {
            return "the receiver closed the connection without answering".into();
        }
        if chain.contains("certificate") {
            return format!("TLS: {chain} (trust the receiver's CA with --cacert FILE, or test with --insecure)");
        }
        chain
    }
}

/// An error and its causes on one line, without repeats.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

/// A message as reqwest sends it: the header map built and checked once, the body
/// shared by every attempt instead of copied.
#[derive(Debug)]
pub struct Prepared {
    headers: HeaderMap,
    body: Bytes,
}

impl Transport for HttpTransport {
    type Prepared = Prepared;

    fn prepare(&self, message: &Outgoing) -> Prepared {
        Prepared {
            headers: self.headers_for(message),
            body: Bytes::from(message.body.clone()),
        }
    }

    async fn send(&self, prepared: &Prepared) -> Reply {
        let request = self
            .client
            .post(self.url.clone())
            .headers(prepared.headers.clone())
            .body(prepared.body.clone());
        let mut response = match request.send().await {
            Ok(r) => r,
            Err(e) => return Reply::Failed(self.describe(&e)),
        };
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get(LOCATION)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let mut body = Vec::new();
        // Stop reading at the cap: the rest of an endless body is never needed.
        while body.len() < BODY_CAP {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    let room = BODY_CAP - body.len();
                    body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                }
                Ok(None) => break,
                Err(e) => {
                    return Reply::Failed(format!(
                        "HTTP {status}, then {} while reading the body",
                        self.describe(&e)
                    ))
                }
            }
        }
        Reply::Response {
            status,
            body,
            location,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_urls() {
        assert!(parse_url("http://127.0.0.1:1/cb").is_ok());
        assert!(parse_url("https://example.com/cb").is_ok());
        let e = parse_url("ftp://example.com/").unwrap_err();
        assert!(e.message().contains("scheme `ftp`"), "{e}");
        assert!(parse_url("example.com/cb").is_err());
    }

    #[test]
    fn headers_are_checked() {
        assert!(check_header("X-Trace", "1").is_ok());
        assert!(check_header("bad name", "1").is_err());
        assert!(check_header("X", "a\nb").is_err());
    }
}
