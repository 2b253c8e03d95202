//! The one scripted test server: a real HTTP/1.1 receiver on a loopback thread. Each
//! test scripts the answer to every request (a list of actions, or one handler), every
//! request is recorded (arrival time, method, headers, exact bytes), and, as in xh's
//! tests, the server fails the test when it is dropped if a handler panicked, a request
//! came that the script did not expect, or an expected request never came.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::wire::{serve, serve_keep_alive, serve_tls};

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

pub(super) type Handler = dyn Fn(usize, &Received) -> Action + Send + Sync;

/// How many requests the test expects; checked when the server is dropped.
#[derive(Debug, Clone, Copy)]
enum Hits {
    Exactly(usize),
    AtLeast(usize),
}

/// What the connection threads share with the test.
pub(super) struct Log {
    pub(super) requests: Mutex<Vec<Received>>,
    /// Handler panics and unexpected requests, reported when the server drops.
    pub(super) failures: Mutex<Vec<String>>,
    /// Connections still being served (a request may be on its way to the log).
    pub(super) reading: AtomicUsize,
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
            reading: AtomicUsize::new(0),
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
                // Counted from the accept, so that no request is between two counts.
                log.reading.fetch_add(1, Ordering::SeqCst);
                thread::spawn(move || {
                    match tls {
                        Some(config) => serve_tls(stream, connection, config, &log, &*handler),
                        None if keep_alive => serve_keep_alive(stream, connection, &log),
                        None => serve(stream, connection, &log, &*handler),
                    }
                    log.reading.fetch_sub(1, Ordering::SeqCst);
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
    /// when the client exited is given a moment to be recorded; none is waited for when
    /// no connection is open.
    fn unmet(&self) -> Option<String> {
        let deadline = Instant::now() + Duration::from_secs(2);
        let count = loop {
            let count = self.log.requests.lock().unwrap().len();
            let short = match self.hits {
                Hits::Exactly(n) | Hits::AtLeast(n) => count < n,
            };
            let reading = self.log.reading.load(Ordering::SeqCst) > 0;
            if !short || !reading || Instant::now() > deadline {
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
pub(super) fn handle(request: Received, log: &Log, handler: &Handler) -> Action {
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
