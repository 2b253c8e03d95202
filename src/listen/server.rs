//! Accepts connections on the bound socket, with a connection limit and a header
//! time-out, and shuts down cleanly: stop accepting, let answers in flight finish for a
//! grace period, then drop what is left.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch, Semaphore};
use tokio::task::JoinSet;

use super::exchange::{exchange, Dropped, Record};
use super::receiver::Receiver;
use super::save::Saver;

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
}

/// What every connection shares.
pub struct Shared {
    pub receiver: Receiver,
    pub saver: Option<Saver>,
    pub limits: Limits,
    pub local_addr: SocketAddr,
    pub events: mpsc::Sender<Record>,
    pub seq: AtomicU64,
}

impl Shared {
    pub fn new(
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
    };
    let service = move |request| exchange(request, Arc::clone(&shared));
    accept(listener, config, service, shutdown).await;
}

/// How connections are accepted and served, whatever answers them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Accept {
    pub max_connections: usize,
    pub read_timeout: Duration,
    pub grace: Duration,
    /// A proxy's connections: header names keep their case and no `Date` is added, so
    /// that what is relayed is what the other side wrote.
    pub transparent: bool,
}

/// Accepts connections until `shutdown`, each answered by `service`; then stops
/// accepting, lets answers in flight finish for the grace period, and drops the rest.
pub(crate) async fn accept<S, F>(
    listener: TcpListener,
    config: Accept,
    service: S,
    shutdown: watch::Receiver<bool>,
) where
    S: Fn(Request<Incoming>) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Result<Response<Full<Bytes>>, Dropped>> + Send + 'static,
{
    let permits = Arc::new(Semaphore::new(config.max_connections.max(1)));
    let mut connections = JoinSet::new();
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
        let service = service.clone();
        let stop = shutdown.clone();
        connections.spawn(async move {
            connection(stream, config, service, stop).await;
            drop(permit);
        });
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    let drained = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(config.grace, drained).await.is_err() {
        connections.abort_all();
        while connections.join_next().await.is_some() {}
    }
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
