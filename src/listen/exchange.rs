//! One HTTP exchange: read the request within the limits, let the [`Receiver`] decide,
//! save the request if asked, then answer, hang or close as decided; [`serve`] puts it
//! behind the connection loop of [`super::server`], which knows nothing of callbacks.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderMap, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, HOST};
use hyper::{Method, Request, Response, StatusCode};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};

use super::receiver::{Action, Decision, Receiver};
use super::save::{Received, Saver};
use super::server::{accept, Accept, Dropped};

/// What happened to one request, for the log.
#[derive(Debug, Clone)]
pub struct Record {
    /// Arrival number, from 1.
    pub seq: u64,
    pub(crate) method: String,
    pub(crate) path: String,
    pub decision: Decision,
    /// The status answered; none when the connection was closed or left hanging.
    pub http_status: Option<u16>,
    /// Where `--save` wrote the request, or why it could not.
    pub(crate) saved: Option<Result<PathBuf, String>>,
}

/// The server's bounds and timing.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest body accepted (413 above).
    pub max_body: usize,
    /// Time allowed for the request head, and separately for the body.
    pub read_timeout: Duration,
    /// Connections served at once; more wait in the accept backlog.
    pub max_connections: usize,
    /// Added before every answer (`--delay`).
    pub delay: Duration,
    /// How long a `timeout` fault holds the connection before closing it.
    pub hang: Duration,
    /// How long shutdown waits for answers in flight.
    pub grace: Duration,
    /// Threads that serve connections, each on a runtime of its own; 0 serves them on
    /// the caller's runtime (as `demo` does, beside its sender).
    pub workers: usize,
}

/// What every connection shares.
pub struct Shared {
    pub(crate) receiver: Receiver,
    pub(crate) saver: Option<Saver>,
    pub(crate) limits: Limits,
    pub(crate) local_addr: SocketAddr,
    pub(crate) events: mpsc::Sender<Record>,
    pub(crate) seq: AtomicU64,
}

impl Shared {
    pub(crate) fn new(
        receiver: Receiver,
        saver: Option<Saver>,
        limits: Limits,
        local_addr: SocketAddr,
        events: mpsc::Sender<Record>,
    ) -> Self {
        Shared {
            receiver,
            saver,
            limits,
            local_addr,
            events,
            seq: AtomicU64::new(0),
        }
    }
}

/// Serves until `shutdown` turns true (or its sender is dropped).
pub async fn serve(listener: TcpListener, shared: Arc<Shared>, shutdown: watch::Receiver<bool>) {
    let config = Accept {
        max_connections: shared.limits.max_connections,
        read_timeout: shared.limits.read_timeout,
        grace: shared.limits.grace,
        transparent: false,
        workers: shared.limits.workers,
    };
    let service = move || {
        let shared = Arc::clone(&shared);
        move |request| exchange(request, Arc::clone(&shared))
    };
    accept(listener, config, service, shutdown).await;
}

/// A request head and body as read.
struct Read {
    headers: Vec<(String, String)>,
    host: String,
    body: Bytes,
}

/// Handles one request from arrival to answer.
pub(crate) async fn exchange(
    request: Request<Incoming>,
    shared: Arc<Shared>,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let seq = shared.seq.fetch_add(1, Ordering::Relaxed) + 1;
    let method = request.method().to_string();
    let path = request
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_string(), |p| p.as_str().to_string());
    let (decision, saved) = if request.method() != Method::POST {
        let why = format!("{method} is not accepted: callbacks are POSTed");
        (Decision::generic(405, why), None)
    } else {
        match read(request, &shared).await {
            Ok(read) => decide(read, seq, &path, &shared).await,
            Err(refusal) => (refusal, None),
        }
    };
    if !shared.limits.delay.is_zero() {
        tokio::time::sleep(shared.limits.delay).await;
    }
    let action = decision.action.clone();
    let http_status = match &action {
        Action::Reply(r) => Some(r.status),
        Action::Hang | Action::Close => None,
    };
    // Queued before answering, waiting for room when the log is behind: a sender is
    // only told "taken" once its record is sure to be logged (see `running::LOG_QUEUE`).
    let _ = shared
        .events
        .send(Record {
            seq,
            method,
            path,
            decision,
            http_status,
            saved,
        })
        .await;
    act(action, shared.limits.hang).await
}

/// Answers, hangs for `hang` then drops, or drops the connection, as decided.
pub(crate) async fn act(action: Action, hang: Duration) -> Result<Response<Full<Bytes>>, Dropped> {
    match action {
        Action::Reply(reply) => Ok(response(reply.status, reply.body)),
        Action::Hang => {
            tokio::time::sleep(hang).await;
            Err(Dropped)
        }
        Action::Close => Err(Dropped),
    }
}

/// Reads the body within the size and time limits; a refusal when it cannot.
async fn read(request: Request<Incoming>, shared: &Shared) -> Result<Read, Decision> {
    let headers = header_list(request.headers());
    let host = request
        .headers()
        .get(HOST)
        .map(|h| String::from_utf8_lossy(h.as_bytes()).into_owned())
        .unwrap_or_else(|| shared.local_addr.to_string());
    let (parts, body) = request.into_parts();
    let body = read_body(&parts.headers, body, &shared.limits).await?;
    Ok(Read {
        headers,
        host,
        body,
    })
}

/// The request headers in arrival order, values as text (lossy: a callback's headers are ASCII).
pub(crate) fn header_list(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            let value = String::from_utf8_lossy(v.as_bytes()).into_owned();
            (k.as_str().to_string(), value)
        })
        .collect()
}

/// Reads a body within `--max-body` and `--read-timeout`; the refusal (413, 408, 400)
/// when it cannot.
pub(crate) async fn read_body(
    headers: &HeaderMap,
    body: Incoming,
    limits: &Limits,
) -> Result<Bytes, Decision> {
    let too_large = || {
        let why = format!(
            "the body is larger than {} bytes (the receiver's --max-body)",
            limits.max_body
        );
        Decision::generic(413, why)
    };
    if declared_length(headers).is_some_and(|n| n > limits.max_body as u64) {
        return Err(too_large());
    }
    let limited = Limited::new(body, limits.max_body);
    match tokio::time::timeout(limits.read_timeout, limited.collect()).await {
        Err(_) => {
            let why = format!(
                "the body did not arrive within {}",
                humantime::format_duration(limits.read_timeout)
            );
            Err(Decision::generic(408, why))
        }
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => Err(too_large()),
        Ok(Err(e)) => Err(Decision::generic(400, format!("cannot read the body: {e}"))),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
    }
}

fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers.get(CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
}

/// Bodies up to this size are decided on the async thread: their check takes tens of
/// microseconds. The schema check's time grows with the body, and a large hostile one can
/// take seconds, which must not stall the threads that serve every other connection.
const DECIDE_IN_PLACE_MAX: usize = 8 * 1024;

/// Verifies, checks and de-duplicates a request. What waits on the disk (an fsync of the
/// store, a saved request) or may take long (a large body) runs off the async threads;
/// otherwise the work (SHA-1, one RSA public-key operation, the schema check of a small
/// body) is cheaper to do in place than to hand to another thread and back.
async fn decide(
    read: Read,
    seq: u64,
    path: &str,
    shared: &Arc<Shared>,
) -> (Decision, Option<Result<PathBuf, String>>) {
    if !shared.receiver.writes_to_disk()
        && shared.saver.is_none()
        && read.body.len() <= DECIDE_IN_PLACE_MAX
    {
        return handle(&read, seq, path, shared);
    }
    let shared = Arc::clone(shared);
    let path = path.to_string();
    let work = tokio::task::spawn_blocking(move || handle(&read, seq, &path, &shared));
    match work.await {
        Ok(done) => done,
        Err(e) => (Decision::generic(500, format!("internal error: {e}")), None),
    }
}

fn handle(
    read: &Read,
    seq: u64,
    path: &str,
    shared: &Shared,
) -> (Decision, Option<Result<PathBuf, String>>) {
    let decision = shared.receiver.handle(&read.headers, &read.body);
    let saved = shared.saver.as_ref().map(|saver| {
        let received = Received {
            seq,
            path,
            host: &read.host,
            headers: &read.headers,
            body: &read.body,
        };
        saver
            .save(&received, decision.vendor)
            .map_err(|e| e.to_string())
    });
    (decision, saved)
}

fn response(status: u16, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
