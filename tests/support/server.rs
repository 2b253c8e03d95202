//! The one scripted test server: a real HTTP/1.1 receiver on a loopback thread. Each
//! test scripts the answer to every request (a list of actions, or one handler), every
//! request is recorded (arrival time, method, headers, exact bytes), and, as in xh's
//! tests, the server fails the test when it is dropped if a handler panicked, a request
//! came that the script did not expect, or an expected request never came.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// AutoX3's normal response.
pub const NORMAL: &str = r#"{"data":null,"errorInfo":"","status":0}"#;

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Action {
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Answer nothing for this long, then close.
    Hang(Duration),
    /// Reset the connection (RST) without answering.
    Reset,
    /// Answer 200 with a body that never ends.
    Endless,
    /// Send the head and part of the body, then stall this long and close.
    StallMidBody(Duration),
    /// Close the connection at once, without an answer.
    Close,
    /// Answer normally, after this long.
    Slow(Duration),
}

impl Action {
    pub fn status(status: u16, body: &str) -> Action {
        Action::Respond {
            status,
            headers: Vec::new(),
            body: body.to_string(),
        }
    }

    pub fn ok() -> Action {
        Action::status(200, NORMAL)
    }
}

/// One request as received.
#[derive(Debug, Clone)]
pub struct Received {
    pub at: Instant,
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The request exactly as it came: head and body.
    pub raw: Vec<u8>,
    /// Which accepted connection carried it (0, 1, … in accept order).
    pub connection: usize,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the body is JSON")
    }
}

type Handler = dyn Fn(usize, &Received) -> Action + Send + Sync;

/// How many requests the test expects; checked when the server is dropped.
#[derive(Debug, Clone, Copy)]
enum Hits {
    Exactly(usize),
    AtLeast(usize),
}

/// What the connection threads share with the test.
struct Log {
    requests: Mutex<Vec<Received>>,
    /// Handler panics and unexpected requests, reported when the server drops.
    failures: Mutex<Vec<String>>,
}

/// The server; stops when dropped, and fails the test then if the script was not met.
pub struct Server {
    addr: SocketAddr,
    scheme: &'static str,
    log: Arc<Log>,
    stop: Arc<AtomicBool>,
    started: Instant,
    hits: Hits,
}

impl Server {
    /// Answers request `n` (0-based, in arrival order) with `handler(n, &request)`;
    /// expects at least one request (say how many with [`Server::hits`]).
    pub fn new(handler: impl Fn(usize, &Received) -> Action + Send + Sync + 'static) -> Server {
        Server::start(Arc::new(handler), None, false, Hits::AtLeast(1))
    }

    /// Answers exactly these requests, in order, one action each: one request more or
    /// less fails the test.
    pub fn script(actions: Vec<Action>) -> Server {
        let count = actions.len();
        let handler = move |n: usize, _: &Received| match actions.get(n) {
            Some(action) => action.clone(),
            None => panic!("request {} came, the script has {}", n + 1, actions.len()),
        };
        Server::start(Arc::new(handler), None, false, Hits::Exactly(count))
    }

    /// Acknowledges everything, keeping each connection open for more requests (as
    /// HTTP/1.1 allows), so a test can see whether the client reuses connections.
    pub fn keep_alive() -> Server {
        Server::start(
            Arc::new(|_, _: &Received| Action::ok()),
            None,
            true,
            Hits::AtLeast(1),
        )
    }

    /// [`Server::new`] over TLS, with a fresh self-signed certificate for 127.0.0.1;
    /// returns the certificate (PEM) for `--cacert`.
    pub fn tls(
        handler: impl Fn(usize, &Received) -> Action + Send + Sync + 'static,
    ) -> (Server, String) {
        let certified =
            rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()])
                .unwrap();
        let key =
            rustls::pki_types::PrivateKeyDer::Pkcs8(certified.signing_key.serialize_der().into());
        let config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(vec![certified.cert.der().clone()], key)
            .unwrap();
        let server = Server::start(
            Arc::new(handler),
            Some(Arc::new(config)),
            false,
            Hits::AtLeast(1),
        );
        (server, certified.cert.pem())
    }

    /// Expects exactly `n` requests (0: the test asserts that nothing is sent).
    pub fn hits(mut self, n: usize) -> Server {
        self.hits = Hits::Exactly(n);
        self
    }

    /// Expects `n` requests or more.
    pub fn hits_at_least(mut self, n: usize) -> Server {
        self.hits = Hits::AtLeast(n);
        self
    }

    fn start(
        handler: Arc<Handler>,
        tls: Option<Arc<rustls::ServerConfig>>,
        keep_alive: bool,
        hits: Hits,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let log = Arc::new(Log {
            requests: Mutex::new(Vec::new()),
            failures: Mutex::new(Vec::new()),
        });
        let stop = Arc::new(AtomicBool::new(false));
        let (shared, halt) = (log.clone(), stop.clone());
        let scheme = if tls.is_some() { "https" } else { "http" };
        thread::spawn(move || {
            for (connection, stream) in listener.incoming().enumerate() {
                if halt.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (log, handler, tls) = (shared.clone(), handler.clone(), tls.clone());
                thread::spawn(move || match tls {
                    Some(config) => serve_tls(stream, connection, config, &log, &*handler),
                    None if keep_alive => serve_keep_alive(stream, connection, &log),
                    None => serve(stream, connection, &log, &*handler),
                });
            }
        });
        Server {
            addr,
            scheme,
            log,
            stop,
            started: Instant::now(),
            hits,
        }
    }

    pub fn url(&self) -> String {
        format!("{}://{}/callback", self.scheme, self.addr)
    }

    pub fn requests(&self) -> Vec<Received> {
        self.log.requests.lock().unwrap().clone()
    }

    /// Milliseconds between consecutive arrivals.
    pub fn gaps_ms(&self) -> Vec<u128> {
        let r = self.requests();
        r.windows(2)
            .map(|w| (w[1].at - w[0].at).as_millis())
            .collect()
    }

    pub fn since_start(&self, r: &Received) -> Duration {
        r.at - self.started
    }

    /// What is wrong with the script's run, if anything. A request still being read
    /// when the client exited is given a moment to be recorded.
    fn unmet(&self) -> Option<String> {
        let deadline = Instant::now() + Duration::from_secs(2);
        let count = loop {
            let count = self.log.requests.lock().unwrap().len();
            let short = match self.hits {
                Hits::Exactly(n) | Hits::AtLeast(n) => count < n,
            };
            if !short || Instant::now() > deadline {
                break count;
            }
            thread::sleep(Duration::from_millis(10));
        };
        let failures = self.log.failures.lock().unwrap().clone();
        if !failures.is_empty() {
            return Some(failures.join("\n"));
        }
        match self.hits {
            Hits::Exactly(n) if count != n => Some(format!("expected {n} request(s), got {count}")),
            Hits::AtLeast(n) if count < n => {
                Some(format!("expected at least {n} request(s), got {count}"))
            }
            _ => None,
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
        // A test that already failed keeps its own message (a second panic would abort).
        if thread::panicking() {
            return;
        }
        if let Some(why) = self.unmet() {
            panic!("test server {}: {why}", self.url());
        }
    }
}

/// Records the request and asks the handler what to do; a panicking handler is
/// answered with a 500 and reported when the server drops.
fn handle(request: Received, log: &Log, handler: &Handler) -> Action {
    let n = {
        let mut all = log.requests.lock().unwrap();
        all.push(request.clone());
        all.len() - 1
    };
    match catch_unwind(AssertUnwindSafe(|| handler(n, &request))) {
        Ok(action) => action,
        Err(panic) => {
            let why = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(not a string)");
            log.failures
                .lock()
                .unwrap()
                .push(format!("the handler panicked on request {}: {why}", n + 1));
            Action::status(500, "the test's handler panicked")
        }
    }
}

fn respond(stream: &mut impl Write, status: u16, headers: &[(String, String)], body: &str) {
    respond_on(stream, status, headers, body, "close");
}

fn respond_on(
    stream: &mut impl Write,
    status: u16,
    headers: &[(String, String)],
    body: &str,
    connection: &str,
) {
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: {connection}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
    let _ = stream.flush();
}

fn serve_tls(
    stream: TcpStream,
    connection: usize,
    config: Arc<rustls::ServerConfig>,
    log: &Log,
    handler: &Handler,
) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let Ok(conn) = rustls::ServerConnection::new(config) else {
        return;
    };
    let mut tls = rustls::StreamOwned::new(conn, stream);
    let Some(request) = read_request(&mut tls, connection) else {
        return;
    };
    if let Action::Respond {
        status,
        headers,
        body,
    } = handle(request, log, handler)
    {
        respond(&mut tls, status, &headers, &body);
        tls.conn.send_close_notify();
        let _ = tls.flush();
    }
}

/// Answers requests on one connection until the client closes it.
fn serve_keep_alive(mut stream: TcpStream, connection: usize, log: &Log) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    while let Some(request) = read_request(&mut stream, connection) {
        log.requests.lock().unwrap().push(request);
        respond_on(&mut stream, 200, &[], NORMAL, "keep-alive");
    }
}

fn serve(mut stream: TcpStream, connection: usize, log: &Log, handler: &Handler) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let Some(request) = read_request(&mut stream, connection) else {
        return;
    };
    match handle(request, log, handler) {
        Action::Respond {
            status,
            headers,
            body,
        } => respond(&mut stream, status, &headers, &body),
        Action::Hang(d) => thread::sleep(d),
        Action::Reset => {
            let _ = socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO));
        }
        Action::Endless => {
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n");
            let chunk = [b'x'; 8192];
            while stream.write_all(&chunk).is_ok() {}
        }
        Action::StallMidBody(d) => {
            let body = NORMAL.as_bytes();
            let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len());
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body[..body.len() / 2]);
            let _ = stream.flush();
            thread::sleep(d);
        }
        Action::Close => drop(stream),
        Action::Slow(d) => {
            thread::sleep(d);
            respond(&mut stream, 200, &[], NORMAL);
        }
    }
}

fn read_request(stream: &mut impl Read, connection: usize) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut req = httparse::Request::new(&mut headers);
        if let Ok(httparse::Status::Complete(head_len)) = req.parse(&buf) {
            let headers: Vec<(String, String)> = req
                .headers
                .iter()
                .map(|h| {
                    (
                        h.name.to_string(),
                        String::from_utf8_lossy(h.value).into_owned(),
                    )
                })
                .collect();
            let length: usize = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            let path = req.path.unwrap_or_default().to_string();
            let method = req.method.unwrap_or_default().to_string();
            while buf.len() < head_len + length {
                let n = stream.read(&mut chunk).ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let at = Instant::now();
            let body = buf[head_len..head_len + length].to_vec();
            buf.truncate(head_len + length);
            return Some(Received {
                at,
                method,
                path,
                headers,
                body,
                raw: buf,
                connection,
            });
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}
