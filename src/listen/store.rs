//! The ids of callbacks already processed, so that a retried or re-sent callback is
//! acknowledged without being processed twice — exactly, under concurrency, and across
//! restarts when backed by a file.
//!
//! The file holds one JSON string a line. A new id is appended and synced to disk before
//! the claim returns, so an acknowledged id survives a kill; a torn last line (a kill in
//! the middle of a write) was never acknowledged and is cut off on open.
//!
//! The store remembers at most `limit` ids (`--store-limit`, default [`DEFAULT_LIMIT`]):
//! a receiver left running for days must not grow without bound, in memory or on disk.
//! When it is full, the oldest id is forgotten first — a sender retries a callback within
//! minutes, so the newest ids are the ones a duplicate can still hit — and every id
//! forgotten is counted exactly ([`Forgotten`]), for listen's closing summary. The file
//! is rewritten with just the remembered ids once it holds twice the limit, so it stays
//! bounded too.

use std::collections::{HashSet, VecDeque};
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};

/// How many ids a store remembers unless told otherwise. A million ids of 43 characters
/// (`autox3:` and a UUID) grew a process's resident memory by 131,592 kB (the text, a set
/// entry and a queue entry each; measured once with a debug build), and a million
/// callbacks is more than a test run delivers within the hours a sender keeps retrying.
pub(crate) const DEFAULT_LIMIT: usize = 1_000_000;

/// A set of seen ids, optionally persisted, holding at most `limit` of them.
///
/// What waits here is bounded by the server: a claim holds the lock across the fsync,
/// so claims queue on the mutex, one per connection at most (`--max-connections`).
/// The set grows only with ids whose signature held, so only with callbacks a holder of
/// the credential sent, never with a flood of forged or malformed requests; and it grows
/// only to its limit.
pub struct SeenIds {
    inner: Mutex<Inner>,
    /// Backed by a file: every claim of a new id waits for an fsync.
    durable: bool,
    forgotten: Forgotten,
}

struct Inner {
    seen: HashSet<Arc<str>>,
    /// The same ids, oldest first: the next one to forget is at the front.
    order: VecDeque<Arc<str>>,
    limit: usize,
    file: Option<StoreFile>,
}

struct StoreFile {
    file: File,
    path: PathBuf,
    /// Id lines in the file, remembered or not.
    lines: usize,
    /// Rewrite the file once it holds this many lines.
    compact_at: usize,
}

/// The exact number of ids a store has forgotten because it was full (including, for a
/// file, the older ids it held past the limit when opened): a handle that stays readable
/// after the store has moved into the server.
#[derive(Debug, Clone)]
pub(crate) struct Forgotten {
    count: Arc<AtomicU64>,
    pub(crate) limit: usize,
}

impl Forgotten {
    pub(crate) fn get(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }
}

/// What opening a store found, for the command to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Loaded {
    pub(crate) ids: usize,
    /// Bytes of an unfinished last line that were dropped.
    pub(crate) torn_bytes: usize,
    /// Older ids in the file beyond the limit, not loaded.
    pub(crate) forgotten: usize,
}

impl SeenIds {
    pub fn in_memory() -> Self {
        Self::bounded(DEFAULT_LIMIT)
    }

    /// An in-memory store that remembers at most `limit` ids (at least one).
    pub fn bounded(limit: usize) -> Self {
        Self::new(Vec::new(), limit.max(1), None, 0)
    }

    fn new(ids: Vec<Arc<str>>, limit: usize, file: Option<StoreFile>, forgotten: u64) -> Self {
        SeenIds {
            durable: file.is_some(),
            inner: Mutex::new(Inner {
                seen: ids.iter().cloned().collect(),
                order: ids.into(),
                limit,
                file,
            }),
            forgotten: Forgotten {
                count: Arc::new(AtomicU64::new(forgotten)),
                limit,
            },
        }
    }

    /// Opens (or creates) the store file and loads the newest `limit` ids it holds.
    pub(crate) fn open(path: &Path, limit: usize) -> Result<(Self, Loaded)> {
        let fail = |what: &str, e: std::io::Error| {
            Error::new(format!("{}: cannot {what} the store: {e}", path.display()))
        };
        let limit = limit.max(1);
        let created = !path.exists();
        let mut file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(path)
            .map_err(|e| fail("open", e))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(|e| fail("read", e))?;
        let (lines, complete) = parse(path, &bytes)?;
        let torn_bytes = bytes.len() - complete;
        if torn_bytes > 0 {
            file.set_len(complete as u64)
                .map_err(|e| fail("repair", e))?;
            file.sync_data().map_err(|e| fail("repair", e))?;
        }
        if created {
            sync_parent(path);
        }
        let (ids, forgotten) = newest(&lines, limit);
        let loaded = Loaded {
            ids: ids.len(),
            torn_bytes,
            forgotten,
        };
        let file = StoreFile {
            file,
            path: path.to_path_buf(),
            lines: lines.len(),
            compact_at: 2 * limit,
        };
        let store = Self::new(ids, limit, Some(file), forgotten as u64);
        Ok((store, loaded))
    }

    /// Records `id` and says whether it is new. The lock is held across the disk write so
    /// that of many simultaneous claims exactly one wins, and wins only once it is durable.
    pub(crate) fn claim(&self, id: &str) -> std::io::Result<bool> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.seen.contains(id) {
            return Ok(false);
        }
        if let Some(store) = inner.file.as_mut() {
            let mut line = serde_json::Value::from(id).to_string();
            line.push('\n');
            store.file.write_all(line.as_bytes())?;
            store.file.sync_data()?;
            store.lines += 1;
        }
        let id: Arc<str> = Arc::from(id);
        inner.seen.insert(Arc::clone(&id));
        inner.order.push_back(id);
        while inner.order.len() > inner.limit {
            if let Some(oldest) = inner.order.pop_front() {
                inner.seen.remove(&oldest);
                self.forgotten.count.fetch_add(1, Ordering::Relaxed);
            }
        }
        inner.compact_if_due();
        Ok(true)
    }

    /// The count of forgotten ids, readable after the store has moved into the server.
    pub(crate) fn forgotten(&self) -> Forgotten {
        self.forgotten.clone()
    }

    /// Whether claiming an id writes to disk (and so blocks on an fsync).
    pub(crate) fn is_durable(&self) -> bool {
        self.durable
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .seen
            .len()
    }
}

impl Inner {
    /// Rewrites the file with the remembered ids once it holds twice the limit (so the
    /// cost, one write of the remembered ids, comes once per `limit` new ids). The new file
    /// is complete and synced before it replaces the old one, so a kill at any point
    /// leaves every remembered id on disk. A failure leaves the old file growing, and is
    /// tried again `limit` ids later.
    fn compact_if_due(&mut self) {
        let Some(store) = self.file.as_mut() else {
            return;
        };
        if store.lines < store.compact_at {
            return;
        }
        let mut temporary = store.path.clone().into_os_string();
        temporary.push(".compacting");
        let temporary = PathBuf::from(temporary);
        match rewrite(&temporary, &store.path, &self.order) {
            Ok(file) => {
                store.file = file;
                store.lines = self.order.len();
                store.compact_at = 2 * self.limit;
            }
            Err(_) => {
                let _ = std::fs::remove_file(&temporary);
                store.compact_at = store.lines + self.limit;
            }
        }
    }
}

fn rewrite(temporary: &Path, path: &Path, ids: &VecDeque<Arc<str>>) -> std::io::Result<File> {
    let mut out = BufWriter::new(File::create(temporary)?);
    for id in ids {
        writeln!(out, "{}", serde_json::Value::from(id.as_ref()))?;
    }
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    std::fs::rename(temporary, path)?;
    sync_parent(path);
    OpenOptions::new().append(true).open(path)
}

/// The newest `limit` distinct ids of the file's lines, oldest first (an id given twice,
/// claimed again after it was forgotten, counts at its last line), and how many older
/// distinct ids did not fit.
fn newest(lines: &[String], limit: usize) -> (Vec<Arc<str>>, usize) {
    let mut distinct = HashSet::new();
    let mut latest_first: Vec<&str> = lines
        .iter()
        .rev()
        .filter(|id| distinct.insert(id.as_str()))
        .map(String::as_str)
        .collect();
    let forgotten = latest_first.len().saturating_sub(limit);
    latest_first.truncate(limit);
    let ids = latest_first.into_iter().rev().map(Arc::from).collect();
    (ids, forgotten)
}

/// The id of every complete line, in order, and where the complete lines end.
fn parse(path: &Path, bytes: &[u8]) -> Result<(Vec<String>, usize)> {
    let mut ids = Vec::new();
    let mut complete = 0;
    for (index, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        let Some(text) = line.strip_suffix(b"\n") else {
            break; // torn: never acknowledged
        };
        complete += line.len();
        if text.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let id: String = serde_json::from_slice(text).map_err(|e| {
            Error::new(format!(
                "{}:{}: not a store line ({e}); the file holds one JSON string a line, written by `cbtool listen --store`",
                path.display(),
                index + 1
            ))
        })?;
        ids.push(id);
    }
    Ok((ids, complete))
}

/// Makes a new file's directory entry durable too; best effort, as not every platform
/// can open a directory.
fn sync_parent(path: &Path) {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if let Ok(dir) = File::open(parent) {
        let _ = dir.sync_all();
    }
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
