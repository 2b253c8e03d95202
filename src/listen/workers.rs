//! Threads that serve accepted connections, each on a single-threaded runtime of its own:
//! a connection is handed over once, and every request on it is then read, checked,
//! forwarded and answered on that one thread.
//!
//! Why not tokio's multi-threaded runtime: a request here is a few tens of microseconds
//! of work, and its scheduler's wake-ups between threads cost more than that (under wrk,
//! `listen --forward` took 86 µs of CPU a request on it, 47 µs on one thread). One thread
//! wastes the other cores instead; a thread per core, sharing nothing per request but
//! the receiver's state and the log, keeps the one-thread cost and uses them
//! (BENCHMARKS.md, "listen --forward").
//!
//! Accepting has a thread of its own as well ([`on_own_thread`]): the caller's thread
//! writes the log, and while a stalled stdout holds it, new connections must still be
//! accepted and answered as long as the log queue has room.

use std::future::Future;
use std::time::Duration;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot, watch, OwnedSemaphorePermit};
use tokio::task::JoinSet;

use super::server::{accept_loop, spawn_connection, Accept, Dropped};

/// An accepted connection and its place under `--max-connections`.
type Handed = (std::net::TcpStream, OwnedSemaphorePermit);

/// The serving threads, fed connections in turn.
pub(crate) struct Workers {
    inboxes: Vec<mpsc::UnboundedSender<Handed>>,
    finished: Vec<oneshot::Receiver<()>>,
    next: usize,
}

impl Workers {
    /// Starts `config.workers` threads, each with a service from `make_service` (so that
    /// what a service keeps per thread, such as a pool of connections to the app, stays on
    /// its thread). None when a thread or its runtime cannot be started: the caller then
    /// serves on its own runtime.
    pub(crate) fn start<M, S, F>(
        config: Accept,
        make_service: &M,
        shutdown: &watch::Receiver<bool>,
    ) -> Option<Workers>
    where
        M: Fn() -> S,
        S: Fn(Request<Incoming>) -> F + Clone + Send + Sync + 'static,
        F: Future<Output = Result<Response<Full<Bytes>>, Dropped>> + Send + 'static,
    {
        let mut workers = Workers {
            inboxes: Vec::new(),
            finished: Vec::new(),
            next: 0,
        };
        for n in 0..config.workers {
            let (inbox, connections) = mpsc::unbounded_channel();
            let (service, stop) = (make_service(), shutdown.clone());
            let work = move || serve(connections, config, service, stop);
            // Threads started already stop when `workers` drops their inboxes.
            let finished = runtime_thread(format!("listen-{n}"), work)?;
            workers.inboxes.push(inbox);
            workers.finished.push(finished);
        }
        Some(workers)
    }

    /// Hands `stream` to the next thread in turn. A thread that has ended (a panic) is
    /// passed over from then on; when none is left the connection comes back, for the
    /// caller to serve.
    pub(crate) fn hand(
        &mut self,
        stream: TcpStream,
        permit: OwnedSemaphorePermit,
    ) -> Option<(TcpStream, OwnedSemaphorePermit)> {
        let Ok(stream) = stream.into_std() else {
            // A connection that cannot leave this runtime is closed, as a failed accept is.
            return None;
        };
        let mut handed = (stream, permit);
        while !self.inboxes.is_empty() {
            let at = self.next % self.inboxes.len();
            self.next = self.next.wrapping_add(1);
            match self.inboxes[at].send(handed) {
                Ok(()) => return None,
                Err(returned) => {
                    handed = returned.0;
                    self.inboxes.swap_remove(at);
                }
            }
        }
        let (stream, permit) = handed;
        TcpStream::from_std(stream).ok().map(|s| (s, permit))
    }

    /// Takes no more connections and waits until every thread has finished its own (each
    /// within the grace period).
    pub(crate) async fn finish(self) {
        drop(self.inboxes);
        for finished in self.finished {
            let _ = finished.await;
        }
    }
}

/// One thread's loop: serve what it is handed until the acceptor stops, then drain.
async fn serve<S, F>(
    mut handed: mpsc::UnboundedReceiver<Handed>,
    config: Accept,
    service: S,
    stop: watch::Receiver<bool>,
) where
    S: Fn(Request<Incoming>) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Result<Response<Full<Bytes>>, Dropped>> + Send + 'static,
{
    let mut connections = JoinSet::new();
    while let Some((stream, permit)) = handed.recv().await {
        let Ok(stream) = TcpStream::from_std(stream) else {
            continue;
        };
        spawn_connection(&mut connections, stream, permit, config, &service, &stop);
    }
    drain(connections, config.grace).await;
}

/// Lets the connections finish for `grace`, then drops the rest.
pub(crate) async fn drain(mut connections: JoinSet<()>, grace: Duration) {
    let drained = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(grace, drained).await.is_err() {
        connections.abort_all();
        while connections.join_next().await.is_some() {}
    }
}

/// What the accepting thread is given: the bound socket, the serving threads, the service
/// for connections no serving thread takes, and the stop signal.
pub(crate) type AcceptJob<S> = (TcpListener, Workers, S, watch::Receiver<bool>);

/// Runs [`accept_loop`] on a thread of its own and waits until it has finished. The job
/// comes back, for the caller to run, when that thread or its runtime cannot be started.
pub(crate) async fn on_own_thread<S, F>(config: Accept, job: AcceptJob<S>) -> Option<AcceptJob<S>>
where
    S: Fn(Request<Incoming>) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Result<Response<Full<Bytes>>, Dropped>> + Send + 'static,
{
    let (listener, workers, service, shutdown) = job;
    let Ok(std_listener) = listener.into_std() else {
        return None;
    };
    // The socket crosses as a std listener, registered again on the runtime that uses it.
    type Moved<S> = (std::net::TcpListener, Workers, S, watch::Receiver<bool>);
    let (give, take) = std::sync::mpsc::channel::<Moved<S>>();
    let work = move || async move {
        let Ok((listener, workers, service, shutdown)) = take.recv() else {
            return;
        };
        if let Ok(listener) = TcpListener::from_std(listener) {
            accept_loop(listener, config, Some(workers), service, shutdown).await;
        }
    };
    let Some(finished) = runtime_thread("listen-accept".into(), work) else {
        let listener = TcpListener::from_std(std_listener).ok()?;
        return Some((listener, workers, service, shutdown));
    };
    let _ = give.send((std_listener, workers, service, shutdown));
    let _ = finished.await;
    None
}

/// Starts a thread named `name` that builds a single-threaded runtime and runs what `work`
/// returns on it; resolves the receiver when that is done. None when the thread or its
/// runtime cannot be started. The runtime is built on its own thread: one dropped inside
/// the caller's runtime would panic.
fn runtime_thread<W, Fut>(name: String, work: W) -> Option<oneshot::Receiver<()>>
where
    W: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    let (ready, started) = std::sync::mpsc::channel();
    let (done, finished) = oneshot::channel();
    std::thread::Builder::new()
        .name(name)
        .spawn(move || {
            let built = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            let _ = ready.send(built.is_ok());
            if let Ok(runtime) = built {
                runtime.block_on(work());
                let _ = done.send(());
            }
        })
        .ok()?;
    (started.recv() == Ok(true)).then_some(finished)
}
