//! The receiver started in-process: bind, serve on the current tokio runtime, and hand
//! back the bound address, the stream of answered requests and a clean stop — for the
//! `listen` command and for `demo`, which runs a receiver and a sender side by side.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use super::exchange::{serve, Limits, Record, Shared};
use super::receiver::Receiver;
use super::save::Saver;
use crate::error::{Error, Result};

/// Records waiting for the log, at most. When the log falls behind (a stalled stdout,
/// a slow `| consumer`), each exchange waits for room *before* it answers, so the
/// senders slow down with the log: memory stays bounded (this many records, plus one
/// request per connection, `--max-connections`), and no callback is acknowledged whose
/// record could still be lost. Dropping records instead would keep answering fast, but a
/// test receiver's log is its evidence, and a sender held back only retries later.
pub(crate) const LOG_QUEUE: usize = 1024;

/// A receiver serving in the background until [`Running::stop`].
pub struct Running {
    /// The address actually bound (port 0 becomes a free port).
    pub addr: SocketAddr,
    /// One record per request, queued just before it is answered; at most
    /// [`LOG_QUEUE`] wait here.
    pub records: mpsc::Receiver<Record>,
    stop: watch::Sender<bool>,
    server: JoinHandle<()>,
}

/// Binds `addr` and starts serving; must be called inside a tokio runtime.
pub async fn start(
    addr: SocketAddr,
    receiver: Receiver,
    saver: Option<Saver>,
    limits: Limits,
) -> Result<Running> {
    let (listener, local) = bind(addr).await?;
    let (events, records) = mpsc::channel(LOG_QUEUE);
    let (stop, stopped) = watch::channel(false);
    let shared = Arc::new(Shared::new(receiver, saver, limits, local, events));
    let server = tokio::spawn(serve(listener, shared, stopped));
    Ok(Running {
        addr: local,
        records,
        stop,
        server,
    })
}

/// Binds `addr` (advice in the error when that fails); the listener and the bound address.
pub(crate) async fn bind(addr: SocketAddr) -> Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| Error::new(format!("cannot listen on {addr}: {e}{}", bind_advice(&e))))?;
    let local = listener
        .local_addr()
        .map_err(|e| Error::new(format!("cannot read the bound address: {e}")))?;
    Ok((listener, local))
}

impl Running {
    /// Stops accepting, lets answers in flight finish (within the grace period), and
    /// returns the records not yet taken from [`Running::records`].
    pub(crate) async fn stop(mut self) -> Vec<Record> {
        stop_serving(&self.stop, &mut self.server, &mut self.records).await
    }
}

/// Tells the server to stop and waits until it has, taking the records it still queues:
/// answers in flight may be waiting for room in the queue, and would otherwise wait out
/// the grace period unanswered. The records not yet taken, in order.
pub(crate) async fn stop_serving<R>(
    stop: &watch::Sender<bool>,
    server: &mut JoinHandle<()>,
    records: &mut mpsc::Receiver<R>,
) -> Vec<R> {
    let _ = stop.send(true);
    let mut rest = Vec::new();
    loop {
        tokio::select! {
            _ = &mut *server => break,
            Some(record) = records.recv() => rest.push(record),
        }
    }
    while let Ok(record) = records.try_recv() {
        rest.push(record);
    }
    rest
}

/// What to do about a failed bind, for the kinds a person can fix from the command line.
fn bind_advice(error: &std::io::Error) -> &'static str {
    match error.kind() {
        std::io::ErrorKind::AddrInUse => {
            "; stop the other receiver, or pass --addr 127.0.0.1:0 for a free port"
        }
        std::io::ErrorKind::PermissionDenied => {
            "; ports below 1024 need privileges: pick a port such as 8080, or 0 for a free one"
        }
        std::io::ErrorKind::AddrNotAvailable => {
            "; this machine has no such address: use 127.0.0.1, or localhost"
        }
        _ => "",
    }
}
