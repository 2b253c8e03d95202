//! The user's app as `listen --forward` reaches it: one URL, checked once, and a client
//! that sends it exactly the bytes and headers the sender sent — hop-by-hop headers
//! aside — and nothing to any other address.
//!
//! hyper's own client (through hyper-util, rustls for https) rather than reqwest: it keeps
//! the case of header names both ways, adds no headers of its own, follows no redirects
//! and reads no proxy variables, so the app sees what a direct delivery would show it.

use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper::header::{HeaderMap, HeaderName, HeaderValue, CONNECTION, HOST};
use hyper::http::request::Parts;
use hyper::http::response::Parts as ResponseParts;
use hyper::{Request, Uri, Version};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use crate::error::{Error, Result};

/// Headers that describe one connection, not the message (RFC 9110 §7.6.1), and `Expect`,
/// which the proxy has already answered by reading the whole body. They are neither
/// forwarded nor relayed; each side's connection gets its own.
const HOP_BY_HOP: [&str; 10] = [
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "expect",
];

/// Where the app is: scheme, authority and a base path, from `--forward URL`.
#[derive(Debug, Clone)]
pub(crate) struct Upstream {
    scheme: String,
    authority: String,
    base: String,
    /// The `Host` the app is sent: its own address, as a direct request would carry.
    host: HeaderValue,
    url: String,
}

impl Upstream {
    /// Checks `--forward URL`: http or https, a host, no user, query or fragment.
    pub(crate) fn parse(text: &str) -> Result<Upstream> {
        let bad = |why: &str| {
            Error::new(format!(
                "--forward {text}: {why}; give the app's URL, such as http://127.0.0.1:3000"
            ))
        };
        let url = reqwest::Url::parse(text).map_err(|e| bad(&format!("not a URL ({e})")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad(&format!(
                "the scheme `{}` is not http or https",
                url.scheme()
            )));
        }
        let Some(host) = url.host_str() else {
            return Err(bad("no host"));
        };
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("a user name in the URL would be sent to the app as is"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(bad(
                "no ?query or #fragment: each request's own path and query are appended",
            ));
        }
        let host = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        };
        let port = url.port_or_known_default().unwrap_or(80);
        let authority = format!("{}:{port}", url.host_str().unwrap_or_default());
        Ok(Upstream {
            scheme: url.scheme().to_string(),
            authority,
            base: url.path().trim_end_matches('/').to_string(),
            host: HeaderValue::from_str(&host)
                .map_err(|_| bad("the host is not a header value"))?,
            url: url.to_string(),
        })
    }

    /// The URL as given (normalised), for the log.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// The app's URI for a request to `path_and_query`: always the app's address; only the
    /// path and query come from the request, appended to the URL's path.
    pub(crate) fn uri_for(&self, path_and_query: &str) -> std::result::Result<Uri, String> {
        let separator = if path_and_query.starts_with('/') {
            ""
        } else {
            "/"
        };
        Uri::builder()
            .scheme(self.scheme.as_str())
            .authority(self.authority.as_str())
            .path_and_query(format!("{}{separator}{path_and_query}", self.base))
            .build()
            .map_err(|e| format!("cannot form the app's URL for {path_and_query}: {e}"))
    }
}

/// Removes hop-by-hop headers, and any header the `Connection` header names.
pub(crate) fn strip_hop_by_hop(headers: &mut HeaderMap) {
    let named: Vec<HeaderName> = headers
        .get_all(CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|name| HeaderName::from_bytes(name.trim().as_bytes()).ok())
        .collect();
    let hop = |name: &HeaderName| HOP_BY_HOP.contains(&name.as_str()) || named.contains(name);
    // Rebuilt rather than removed from: `HeaderMap::remove` moves the last header into
    // the gap, and the app should see the headers in the order the sender wrote them.
    let mut current: Option<HeaderName> = None;
    for (name, value) in std::mem::take(headers) {
        if let Some(name) = name {
            current = Some(name);
        }
        match &current {
            Some(name) if !hop(name) => {
                headers.append(name.clone(), value);
            }
            _ => {}
        }
    }
}

/// What the app did with one request.
#[derive(Debug)]
pub(crate) enum AppAnswer {
    Answered {
        head: ResponseParts,
        body: Bytes,
        latency: Duration,
    },
    /// No usable answer; `timed_out` when `--forward-timeout` ran out.
    Failed {
        why: String,
        timed_out: bool,
        latency: Duration,
    },
}

/// The client that talks to the app.
pub(crate) struct AppClient {
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
    upstream: Upstream,
    timeout: Duration,
    /// The largest answer relayed.
    max_answer: usize,
}

impl AppClient {
    /// A client to the same app with a pool of connections of its own.
    pub(crate) fn fresh(&self) -> AppClient {
        AppClient::new(self.upstream.clone(), self.timeout, self.max_answer)
    }

    pub(crate) fn new(upstream: Upstream, timeout: Duration, max_answer: usize) -> AppClient {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(Some(timeout));
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_webpki_roots()
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let client = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .http1_preserve_header_case(true)
            .build(https);
        AppClient {
            client,
            upstream,
            timeout,
            max_answer,
        }
    }

    pub(crate) fn upstream(&self) -> &Upstream {
        &self.upstream
    }

    /// Sends the request head `parts` (as received) with `body` to the app and reads its
    /// answer, all within the forward time-out.
    pub(crate) async fn send(&self, mut parts: Parts, body: Bytes) -> AppAnswer {
        let started = Instant::now();
        let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        parts.uri = match self.upstream.uri_for(path) {
            Ok(uri) => uri,
            Err(why) => {
                return AppAnswer::Failed {
                    why,
                    timed_out: false,
                    latency: started.elapsed(),
                }
            }
        };
        parts.version = Version::HTTP_11;
        strip_hop_by_hop(&mut parts.headers);
        parts.headers.insert(HOST, self.upstream.host.clone());
        // The extensions carry the received header names' case, which the client writes.
        let request = Request::from_parts(parts, Full::new(body));
        let exchange = async {
            let response = self
                .client
                .request(request)
                .await
                .map_err(|e| describe(&e))?;
            let (mut head, body) = response.into_parts();
            let body = Limited::new(body, self.max_answer)
                .collect()
                .await
                .map_err(|e| {
                    format!(
                        "the app's answer broke off or exceeds {} bytes: {e}",
                        self.max_answer
                    )
                })?
                .to_bytes();
            strip_hop_by_hop(&mut head.headers);
            Ok::<_, String>((head, body))
        };
        match tokio::time::timeout(self.timeout, exchange).await {
            Ok(Ok((head, body))) => AppAnswer::Answered {
                head,
                body,
                latency: started.elapsed(),
            },
            Ok(Err(why)) => AppAnswer::Failed {
                why,
                timed_out: false,
                latency: started.elapsed(),
            },
            Err(_) => AppAnswer::Failed {
                why: format!(
                    "the app did not answer within {} (--forward-timeout)",
                    humantime::format_duration(self.timeout)
                ),
                timed_out: true,
                latency: started.elapsed(),
            },
        }
    }
}

/// A client error in one line, with its cause (`connection refused`), which hyper-util
/// keeps in the source chain.
fn describe(error: &hyper_util::client::legacy::Error) -> String {
    let mut text = if error.is_connect() {
        "cannot connect to the app".to_string()
    } else {
        "the app's connection failed".to_string()
    };
    let mut source = std::error::Error::source(error);
    let mut last = String::new();
    while let Some(cause) = source {
        last = cause.to_string();
        source = cause.source();
    }
    if !last.is_empty() {
        text.push_str(": ");
        text.push_str(&last);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_always_go_to_the_url_with_their_own_path_appended() {
        let up = Upstream::parse("http://127.0.0.1:3000/app/").unwrap();
        assert_eq!(
            up.uri_for("/cb?x=1").unwrap().to_string(),
            "http://127.0.0.1:3000/app/cb?x=1"
        );
        // A path that looks like another host stays a path on the app.
        let uri = up.uri_for("//evil.example/x").unwrap();
        assert_eq!(uri.authority().unwrap().as_str(), "127.0.0.1:3000");
        let bare = Upstream::parse("https://example.com").unwrap();
        assert_eq!(
            bare.uri_for("/").unwrap().to_string(),
            "https://example.com:443/"
        );
        assert_eq!(bare.host, "example.com");
        assert_eq!(up.host, "127.0.0.1:3000");
    }

    #[test]
    fn urls_the_forwarder_cannot_honour_are_refused_with_the_reason() {
        for (url, why) in [
            ("ftp://x/", "scheme `ftp`"),
            ("localhost:3000", "scheme `localhost` is not http or https"),
            ("127.0.0.1:3000", "not a URL"),
            ("http://u:p@127.0.0.1/", "user name"),
            ("http://127.0.0.1/?a=1", "no ?query"),
            ("nope", "not a URL"),
        ] {
            let e = Upstream::parse(url).unwrap_err();
            assert!(e.message().contains(why), "{url}: {e}");
            assert!(e.message().starts_with("--forward "), "{e}");
        }
    }

    #[test]
    fn hop_by_hop_headers_and_those_connection_names_are_removed() {
        let mut h = HeaderMap::new();
        for (k, v) in [
            ("connection", "keep-alive, x-hop"),
            ("x-hop", "1"),
            ("keep-alive", "timeout=5"),
            ("transfer-encoding", "chunked"),
            ("x-sign", "a+b="),
            ("content-length", "2"),
            ("x-later", "3"),
        ] {
            h.append(HeaderName::from_static(k), HeaderValue::from_static(v));
        }
        strip_hop_by_hop(&mut h);
        let left: Vec<&str> = h.keys().map(HeaderName::as_str).collect();
        assert_eq!(left, ["x-sign", "content-length", "x-later"]);
    }
}
