//! `listen --forward URL`: the receiver stands in front of the user's own app. Each
//! request is read within the limits, checked as the reference receiver checks it
//! (signature, cause, schema; duplicates marked, never swallowed), faulted on the sender's
//! side when `--fail-*` says so, otherwise forwarded to the app byte for byte; the app's
//! answer goes back to the sender unchanged and is judged as the vendor's sender reads it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::http::request::Parts;
use hyper::{Method, Request, Response};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use super::exchange::{act, header_list, read_body, Limits};
use super::judge::{judge, Deliveries, Facts, Judgement, Retry};
use super::receiver::{Action, Decision, Receiver};
use super::running::{bind, stop_serving};
use super::save::{Received, Saver};
use super::server::{accept, Accept, Dropped};
use super::upstream::{AppAnswer, AppClient};
use crate::error::Result;
use crate::replay::transport::BODY_CAP;
use crate::replay::{Ack, Reply as SenderView};
use crate::vendors;

/// Requests logged but not yet printed; beyond this the connections wait for the log.
const LOG_QUEUE: usize = 1024;

/// What the app side of one request came to.
#[derive(Debug, Clone)]
pub(crate) enum AppSide {
    /// Not sent to the app: a fault was injected, or the body could not be read.
    NotForwarded(String),
    Answered {
        status: u16,
        latency: Duration,
        /// The start of the app's body, one line.
        excerpt: String,
    },
    /// No answer from the app; the sender got 502 (504 on a time-out).
    Failed { why: String, latency: Duration },
}

/// One relayed request, for the log.
#[derive(Debug, Clone)]
pub(crate) struct Relayed {
    pub(crate) seq: u64,
    pub(crate) method: String,
    pub(crate) path: String,
    /// What the checks found; none for a request that is not a POST (forwarded unjudged).
    pub(crate) decision: Option<Decision>,
    /// Which delivery of this message since the app last acknowledged it.
    pub(crate) attempt: u32,
    pub(crate) app: AppSide,
    /// The verdict on the app's answer, when the vendor is known.
    pub(crate) judgement: Option<Judgement>,
    /// The status the sender got; none when its connection was closed or left hanging.
    pub(crate) http_status: Option<u16>,
    /// Where `--save` wrote the request, and the app's answer beside it.
    pub(crate) saved: Option<Result<PathBuf, String>>,
    pub(crate) saved_answer: Option<Result<PathBuf, String>>,
}

/// What every forwarded connection shares.
pub(crate) struct Forwarder {
    pub(crate) receiver: Receiver,
    pub(crate) saver: Option<Saver>,
    pub(crate) limits: Limits,
    pub(crate) app: AppClient,
    deliveries: Deliveries,
    events: mpsc::Sender<Relayed>,
    seq: AtomicU64,
}

/// A forwarder serving in the background until [`Forwarding::stop`].
pub(crate) struct Forwarding {
    pub(crate) addr: SocketAddr,
    pub(crate) records: mpsc::Receiver<Relayed>,
    stop: watch::Sender<bool>,
    server: JoinHandle<()>,
}

/// Binds `addr` and starts forwarding to `app`; must be called inside a tokio runtime.
pub async fn start(
    addr: SocketAddr,
    receiver: Receiver,
    saver: Option<Saver>,
    limits: Limits,
    app: AppClient,
) -> Result<Forwarding> {
    let (listener, local) = bind(addr).await?;
    let (events, records) = mpsc::channel(LOG_QUEUE);
    let (stop, stopped) = watch::channel(false);
    let config = Accept {
        max_connections: limits.max_connections,
        read_timeout: limits.read_timeout,
        grace: limits.grace,
        transparent: true,
        workers: limits.workers,
    };
    let shared = Arc::new(Forwarder {
        receiver,
        saver,
        limits,
        app,
        deliveries: Deliveries::default(),
        events,
        seq: AtomicU64::new(0),
    });
    // Each serving thread talks to the app through a pool of its own, so that a
    // connection to the app is driven by the thread whose requests it carries.
    let service = move || {
        let (shared, app) = (Arc::clone(&shared), Arc::new(shared.app.fresh()));
        move |request| relay(request, Arc::clone(&shared), Arc::clone(&app))
    };
    let server = tokio::spawn(accept(listener, config, service, stopped));
    Ok(Forwarding {
        addr: local,
        records,
        stop,
        server,
    })
}

impl Forwarding {
    /// Stops accepting, lets requests in flight finish (within the grace period), and
    /// returns the records not yet taken.
    pub(crate) async fn stop(mut self) -> Vec<Relayed> {
        stop_serving(&self.stop, &mut self.server, &mut self.records).await
    }
}

/// One request from arrival to the relayed answer.
async fn relay(
    request: Request<Incoming>,
    shared: Arc<Forwarder>,
    app: Arc<AppClient>,
) -> std::result::Result<Response<Full<Bytes>>, Dropped> {
    let seq = shared.seq.fetch_add(1, Ordering::Relaxed) + 1;
    let (parts, body) = request.into_parts();
    let mut record = Relayed::new(seq, &parts);
    let body = match read_body(&parts.headers, body, &shared.limits).await {
        Ok(body) => body,
        Err(refusal) => {
            record.app = AppSide::NotForwarded("the body could not be read".into());
            return finish(&shared, record, refusal.action.clone(), Some(refusal)).await;
        }
    };
    // The headers as text, for the checks and for --save; taken before the head moves on.
    let headers = header_list(&parts.headers);
    let host = parts
        .headers
        .get(hyper::header::HOST)
        .map(|h| String::from_utf8_lossy(h.as_bytes()).into_owned());
    if parts.method == Method::POST {
        let mut decision = decide(&shared, &headers, &body).await;
        if let Some(key) = message_key(&decision) {
            let arrival = shared.deliveries.arrive(&key);
            record.attempt = arrival.attempt;
            decision.duplicate = arrival.duplicate && decision.signature_valid == Some(true);
        }
        if let Some(mode) = decision.fault {
            record.app = AppSide::NotForwarded(format!("fault {} injected", mode.id()));
            record.judgement = fault_judgement(&decision, record.attempt);
            let action = decision.action.clone();
            return finish(&shared, record, action, Some(decision)).await;
        }
        record.decision = Some(decision);
    }
    let answer = app.send(parts, body.clone()).await;
    record.app = app_side(&answer);
    judge_answer(&shared, &mut record, &answer);
    if shared.saver.is_some() {
        (record.saved, record.saved_answer) =
            save_pair(&shared, &record, headers, host, &body, &answer).await;
    }
    match answer {
        AppAnswer::Answered { head, body, .. } => {
            record.http_status = Some(head.status.as_u16());
            let _ = shared.events.send(record).await;
            Ok(Response::from_parts(head, Full::new(body)))
        }
        AppAnswer::Failed { why, timed_out, .. } => {
            // 504 says the app was too slow, 502 that it could not be reached or broke off.
            let status = if timed_out { 504 } else { 502 };
            let why = format!("cbtool listen --forward: {why}");
            // In the vendor's error form when the request was a callback it knows.
            let vendor = record
                .decision
                .as_ref()
                .and_then(|d| vendors::by_id(d.vendor?));
            let reply = match vendor {
                Some(v) => v.error_answer(status, &why),
                None => vendors::unowned_answer(status, &why),
            };
            finish(&shared, record, Action::Reply(reply), None).await
        }
    }
}

impl Relayed {
    /// A request just arrived: nothing known yet but its place and target.
    fn new(seq: u64, parts: &Parts) -> Relayed {
        Relayed {
            seq,
            method: parts.method.to_string(),
            path: parts
                .uri
                .path_and_query()
                .map_or_else(|| "/".to_string(), |p| p.as_str().to_string()),
            decision: None,
            attempt: 1,
            app: AppSide::NotForwarded(String::new()),
            judgement: None,
            http_status: None,
            saved: None,
            saved_answer: None,
        }
    }
}

/// Judges the app's answer to a checked POST and counts an acknowledgement of a valid
/// callback, after which its next delivery is a duplicate.
fn judge_answer(shared: &Forwarder, record: &mut Relayed, answer: &AppAnswer) {
    let Some(decision) = &record.decision else {
        return;
    };
    record.judgement = judgement(decision, record.attempt, &sender_view(answer));
    if let (Some(key), Some(j)) = (message_key(decision), &record.judgement) {
        let valid = decision.signature_valid == Some(true);
        shared.deliveries.settle(&key, j.app_acked && valid);
    }
}

/// Logs `record` and answers the sender as `action` says (a refusal, a fault, a 502).
async fn finish(
    shared: &Forwarder,
    mut record: Relayed,
    action: Action,
    decision: Option<Decision>,
) -> std::result::Result<Response<Full<Bytes>>, Dropped> {
    if decision.is_some() {
        record.decision = decision;
    }
    record.http_status = match &action {
        Action::Reply(r) => Some(r.status),
        Action::Hang | Action::Close => None,
    };
    let _ = shared.events.send(record).await;
    act(action, shared.limits.hang).await
}

/// Bodies up to this size are checked on the async thread (tens of microseconds); larger
/// ones on the blocking pool, as the reference receiver does, so that a slow schema check
/// of a hostile body cannot stall every other connection.
const DECIDE_IN_PLACE_MAX: usize = 8 * 1024;

async fn decide(shared: &Arc<Forwarder>, headers: &[(String, String)], body: &Bytes) -> Decision {
    if body.len() <= DECIDE_IN_PLACE_MAX {
        return shared.receiver.handle(headers, body);
    }
    let (shared, body, headers) = (Arc::clone(shared), body.clone(), headers.to_vec());
    tokio::task::spawn_blocking(move || shared.receiver.handle(&headers, &body))
        .await
        .unwrap_or_else(|e| Decision::generic(500, format!("internal error: {e}")))
}

fn message_key(decision: &Decision) -> Option<String> {
    Some(format!("{}:{}", decision.vendor?, decision.id.as_ref()?))
}

/// The app's answer as the vendor's sender judges it: no answer is a failed attempt.
fn sender_view(answer: &AppAnswer) -> SenderView {
    match answer {
        AppAnswer::Answered { head, body, .. } => SenderView::Response {
            status: head.status.as_u16(),
            body: body[..body.len().min(BODY_CAP)].to_vec(),
            location: head
                .headers
                .get(hyper::header::LOCATION)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
        },
        AppAnswer::Failed { why, .. } => SenderView::Failed(why.clone()),
    }
}

fn app_side(answer: &AppAnswer) -> AppSide {
    match answer {
        AppAnswer::Answered {
            head,
            body,
            latency,
        } => AppSide::Answered {
            status: head.status.as_u16(),
            latency: *latency,
            excerpt: vendors::answer::excerpt(body, 120),
        },
        AppAnswer::Failed { why, latency, .. } => AppSide::Failed {
            why: why.clone(),
            latency: *latency,
        },
    }
}

/// The judgement of the app's answer; none when the vendor is unknown.
fn judgement(decision: &Decision, attempt: u32, reply: &SenderView) -> Option<Judgement> {
    let vendor = vendors::by_id(decision.vendor?)?;
    let schedule = vendor.documented_retries();
    let facts = Facts {
        ack: vendor.default_ack(),
        schedule: schedule.as_ref(),
        signature_valid: decision.signature_valid,
        duplicate: decision.duplicate,
        attempt,
    };
    Some(judge(&facts, reply))
}

/// A faulted delivery never reaches the app; the sender sees a failure and retries.
fn fault_judgement(decision: &Decision, attempt: u32) -> Option<Judgement> {
    let vendor = vendors::by_id(decision.vendor?)?;
    let schedule = vendor.documented_retries();
    Some(Judgement {
        app_acked: false,
        not_acked: Some("a fault was injected before the app".into()),
        flag: None,
        retry: Retry::after_failure(schedule.as_ref(), attempt),
    })
}

type Saved = Option<Result<PathBuf, String>>;

/// Writes the request and, beside it, the app's answer, off the async threads; the
/// errors as text.
async fn save_pair(
    shared: &Arc<Forwarder>,
    record: &Relayed,
    headers: Vec<(String, String)>,
    host: Option<String>,
    body: &Bytes,
    answer: &AppAnswer,
) -> (Saved, Saved) {
    let host = host.unwrap_or_default();
    let answer = match answer {
        AppAnswer::Answered { head, body, .. } => Some(render_answer(head, body)),
        AppAnswer::Failed { .. } => None,
    };
    let vendor = record.decision.as_ref().and_then(|d| d.vendor);
    let (seq, path, body) = (record.seq, record.path.clone(), body.clone());
    let shared = Arc::clone(shared);
    let work = tokio::task::spawn_blocking(move || {
        let saver = shared.saver.as_ref()?;
        let received = Received {
            seq,
            path: &path,
            host: &host,
            headers: &headers,
            body: &body,
        };
        let request = saver.save(&received, vendor).map_err(|e| e.to_string());
        let answer = answer.map(|bytes| {
            saver
                .save_answer(seq, vendor, &bytes)
                .map_err(|e| e.to_string())
        });
        Some((Some(request), answer))
    });
    match work.await {
        Ok(Some(saved)) => saved,
        Ok(None) => (None, None),
        Err(e) => (Some(Err(format!("internal error: {e}"))), None),
    }
}

/// The app's answer as a raw HTTP/1.1 response (status line, headers, blank line, body).
fn render_answer(head: &hyper::http::response::Parts, body: &[u8]) -> Vec<u8> {
    let reason = head.status.canonical_reason().unwrap_or("");
    let mut out = format!("HTTP/1.1 {} {reason}\r\n", head.status.as_u16()).into_bytes();
    for (name, value) in &head.headers {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

/// The acknowledgement rule of a judged record, for the log's advice.
pub(crate) fn ack_of(record: &Relayed) -> Option<Ack> {
    let vendor = vendors::by_id(record.decision.as_ref()?.vendor?)?;
    Some(vendor.default_ack())
}
