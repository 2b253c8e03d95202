//! A real HTTP/1.1 receiver on a loopback thread for replay's end-to-end tests: each
//! test scripts the answer to every request with a closure, and every request is
//! recorded (arrival time, headers, exact body). The xh test-server model, on std.

// Test-only code: a failed set-up should stop the test loudly.
#![allow(dead_code, clippy::unwrap_used)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
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
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
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

/// The server; stops when dropped.
pub struct Server {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Received>>>,
    stop: Arc<AtomicBool>,
    started: Instant,
}

impl Server {
    /// Answers request `n` (0-based, in arrival order) with `handler(n, &request)`.
    pub fn new(handler: impl Fn(usize, &Received) -> Action + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let (reqs, halt) = (requests.clone(), stop.clone());
        thread::spawn(move || {
            for stream in listener.incoming() {
                if halt.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (reqs, handler) = (reqs.clone(), handler.clone());
                thread::spawn(move || serve(stream, &reqs, &*handler));
            }
        });
        Server {
            addr,
            requests,
            stop,
            started: Instant::now(),
        }
    }

    /// Answers the scripted actions in order, then acknowledges everything.
    pub fn script(actions: Vec<Action>) -> Server {
        Server::new(move |n, _| actions.get(n).cloned().unwrap_or_else(Action::ok))
    }

    pub fn url(&self) -> String {
        format!("http://{}/callback", self.addr)
    }

    pub fn requests(&self) -> Vec<Received> {
        self.requests.lock().unwrap().clone()
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
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve(mut stream: TcpStream, requests: &Mutex<Vec<Received>>, handler: &Handler) {
    let Some(request) = read_request(&mut stream) else {
        return;
    };
    let n = {
        let mut all = requests.lock().unwrap();
        all.push(request.clone());
        all.len() - 1
    };
    match handler(n, &request) {
        Action::Respond {
            status,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body.as_bytes());
        }
        Action::Hang(d) => thread::sleep(d),
        Action::Reset => {
            let _ = socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO));
        }
        Action::Endless => {
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n");
            let chunk = [b'x'; 8192];
            while stream.write_all(&chunk).is_ok() {}
        }
    }
}

fn read_request(stream: &mut TcpStream) -> Option<Received> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
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
            while buf.len() < head_len + length {
                let n = stream.read(&mut chunk).ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let at = Instant::now();
            let body = buf[head_len..head_len + length].to_vec();
            return Some(Received {
                at,
                path,
                headers,
                body,
            });
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}
