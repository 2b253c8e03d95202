//! Accepts connections on the bound socket, with a connection limit and a header
//! time-out, and shuts down cleanly: stop accepting, let answers in flight finish for a
//! grace period, then drop what is left.
//!
//! It knows nothing of callbacks: the receiver ([`super::exchange`]) and the proxy
//! ([`super::forward`]) both hand it the service that answers, so it depends on neither.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;

use super::workers::{drain, on_own_thread, Workers};

/// The service error that makes hyper drop the connection without an answer.
#[derive(Debug)]
pub(crate) struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose (fault injection)")
    }
}

impl std::error::Error for Dropped {}

/// How connections are accepted and served, whatever answers them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Accept {
    pub(crate) max_connections: usize,
    pub(crate) read_timeout: Duration,
    pub(crate) grace: Duration,
    /// A proxy's connections: header names keep their case and no `Date` is added, so
    /// that what is relayed is what the other side wrote.
    pub(crate) transparent: bool,
    /// Threads that serve the connections ([`Workers`]); 0 serves them on the caller's
    /// runtime.
    pub(crate) workers: usize,
}

/// Accepts connections until `shutdown`, each answered by a service from `make_service`
/// (one a serving thread); then stops accepting, lets answers in flight finish for the
/// grace period, and drops the rest.
pub(crate) async fn accept<M, S, F>(
    listener: TcpListener,
    config: Accept,
    make_service: M,
    shutdown: watch::Receiver<bool>,
) where
    M: Fn() -> S,
    S: Fn(Request<Incoming>) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Result<Response<Full<Bytes>>, Dropped>> + Send + 'static,
{
    let workers = match config.workers {
        0 => None,
        _ => Workers::start(config, &make_service, &shutdown),
    };
    // Connections are served here without serving threads, or when none is left.
    let service = make_service();
    let Some(workers) = workers else {
        return accept_loop(listener, config, None, service, shutdown).await;
    };
    // With serving threads, accepting gets a thread of its own too: the caller's thread
    // also writes the log, and a stalled stdout must not keep connections waiting.
    let job = (listener, workers, service, shutdown);
    if let Some((listener, workers, service, shutdown)) = on_own_thread(config, job).await {
        accept_loop(listener, config, Some(workers), service, shutdown).await;
    }
}

/// The accepting itself, on whichever runtime runs it.
pub(crate) async fn accept_loop<S, F>(
    listener: TcpListener,
    config: Accept,
    mut workers: Option<Workers>,
    service: S,
    shutdown: watch::Receiver<bool>,
) where
    S: Fn(Request<Incoming>) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Result<Response<Full<Bytes>>, Dropped>> + Send + 'static,
{
    let permits = Arc::new(Semaphore::new(config.max_connections.max(1)));
    let mut here = JoinSet::new();
    let mut stop = shutdown.clone();
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&permits).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            _ = stop.changed() => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // Out of descriptors or a connection reset before accept: back off briefly.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = stop.changed() => break,
        };
        let left = match &mut workers {
            Some(workers) => workers.hand(stream, permit),
            None => Some((stream, permit)),
        };
        if let Some((stream, permit)) = left {
            spawn_connection(&mut here, stream, permit, config, &service, &shutdown);
        }
    }
    drop(listener);
    if let Some(workers) = workers {
        workers.finish().await;
    }
    drain(here, config.grace).await;
}

/// Serves `stream` as a task of `connections`, which holds its place (`permit`) until it
/// closes; finished tasks are reaped on the way.
pub(crate) fn spawn_connection<S, F>(
    connections: &mut JoinSet<()>,
    stream: TcpStream,
    permit: OwnedSemaphorePermit,
    config: Accept,
    service: &S,
    shutdown: &watch::Receiver<bool>,
) where
    S: Fn(Request<Incoming>) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Result<Response<Full<Bytes>>, Dropped>> + Send + 'static,
{
    let (service, stop) = (service.clone(), shutdown.clone());
    connections.spawn(async move {
        connection(stream, config, service, stop).await;
        drop(permit);
    });
    while connections.try_join_next().is_some() {}
}

/// One connection: HTTP/1.1 with keep-alive, closed gracefully on shutdown.
async fn connection<S, F>(
    stream: TcpStream,
    config: Accept,
    service: S,
    mut stop: watch::Receiver<bool>,
) where
    S: Fn(Request<Incoming>) -> F + Send + Sync + 'static,
    F: Future<Output = Result<Response<Full<Bytes>>, Dropped>> + Send + 'static,
{
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(config.read_timeout)
        .preserve_header_case(config.transparent)
        .auto_date_header(!config.transparent)
        .serve_connection(TokioIo::new(stream), service_fn(service));
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        _ = stop.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}
