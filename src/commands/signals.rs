//! SIGINT, SIGTERM and SIGHUP, handled alike by the commands that run until they are
//! done or stopped (`replay`, `listen`, `demo`). CI runners cancel a job with SIGTERM,
//! `timeout(1)` sends it, a closed terminal sends SIGHUP: each must leave the same
//! summary and reports as Ctrl-C, and the exit code says which signal it was (128+N).
//!
//! The signals are watched on a thread of their own, with its own small runtime, so
//! that a second signal ends the process at once even when the command's thread is
//! stuck (a write to a stalled stdout, a report on a slow disk).

use tokio::sync::watch;

/// SIGINT: the exit code is 130.
pub(crate) const SIGINT: i32 = 2;

/// How a stop by signal `n` exits, as shells report it.
pub(crate) fn exit_code(signal: i32) -> i32 {
    128 + signal
}

/// The name of a signal, for the stop reason shown to people.
pub(crate) fn name(signal: i32) -> &'static str {
    match signal {
        1 => "SIGHUP",
        2 => "SIGINT",
        15 => "SIGTERM",
        _ => "a signal",
    }
}

/// Watches for the first stop signal; a second one exits the process with 128+N.
pub(crate) struct Signals {
    first: watch::Receiver<i32>,
}

impl Signals {
    /// Starts watching. Until this is called the signals keep their default effect
    /// (the process ends), which is right before anything has been sent or received.
    pub(crate) fn install() -> Signals {
        let (tx, first) = watch::channel(0);
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || watch_signals(tx, ready_tx));
        // Wait until the handlers are in place: a signal sent right after this returns
        // must be seen as a stop, not end the process unrecorded.
        if spawned.is_ok() {
            let _ = ready_rx.recv();
        }
        Signals { first }
    }

    /// Resolves with the number of the first stop signal; never if none comes.
    pub(crate) async fn received(&self) -> i32 {
        let mut first = self.first.clone();
        let caught = first.wait_for(|&n| n != 0).await.map(|n| *n);
        match caught {
            Ok(n) => n,
            Err(_) => std::future::pending().await,
        }
    }

    /// The first stop signal, if one has come.
    pub(crate) fn caught(&self) -> Option<i32> {
        Some(*self.first.borrow()).filter(|&n| n != 0)
    }
}

fn watch_signals(tx: watch::Sender<i32>, ready: std::sync::mpsc::Sender<()>) {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return;
    };
    runtime.block_on(watch_on_runtime(tx, ready));
}

#[cfg(unix)]
async fn watch_on_runtime(tx: watch::Sender<i32>, ready: std::sync::mpsc::Sender<()>) {
    use tokio::signal::unix::{signal, SignalKind};
    let kinds = [
        (SIGINT, SignalKind::interrupt()),
        (15, SignalKind::terminate()),
        (1, SignalKind::hangup()),
    ];
    let mut streams = Vec::new();
    for (n, kind) in kinds {
        if let Ok(stream) = signal(kind) {
            streams.push((n, stream));
        }
    }
    let _ = ready.send(());
    if streams.is_empty() {
        return;
    }
    let mut count = 0;
    loop {
        let next = streams.iter_mut().map(|(n, s)| {
            let n = *n;
            Box::pin(async move { s.recv().await.map(|()| n) })
        });
        let (got, _, _) = futures_util::future::select_all(next).await;
        let Some(n) = got else { return };
        count += 1;
        if count > 1 {
            // Second signal: the user means it. Reports are written atomically, so
            // this leaves either the whole report or the previous file.
            std::process::exit(exit_code(n));
        }
        let _ = tx.send(n);
    }
}

#[cfg(not(unix))]
async fn watch_on_runtime(tx: watch::Sender<i32>, ready: std::sync::mpsc::Sender<()>) {
    let _ = ready.send(());
    if tokio::signal::ctrl_c().await.is_ok() {
        let _ = tx.send(SIGINT);
    }
    if tokio::signal::ctrl_c().await.is_ok() {
        std::process::exit(exit_code(SIGINT));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_shell_convention() {
        // bash(1), EXIT STATUS: "128+n" for a command that dies on fatal signal n;
        // signal(7) numbers SIGHUP 1, SIGINT 2, SIGTERM 15.
        assert_eq!(exit_code(SIGINT), 130);
        assert_eq!(exit_code(15), 143);
        assert_eq!(exit_code(1), 129);
        assert_eq!(name(15), "SIGTERM");
    }
}
