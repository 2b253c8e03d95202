//! The ids of callbacks already processed, so that a retried or re-sent callback is
//! acknowledged without being processed twice — exactly, under concurrency, and across
//! restarts when backed by a file.
//!
//! The file holds one JSON string a line. A new id is appended and synced to disk before
//! the claim returns, so an acknowledged id survives a kill; a torn last line (a kill in
//! the middle of a write) was never acknowledged and is cut off on open.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};

/// A set of seen ids, optionally persisted.
///
/// What waits here is bounded by the server: a claim holds the lock across the fsync,
/// so claims queue on the mutex, one per connection at most (`--max-connections`).
/// The set itself grows only with ids whose signature held, so only with callbacks a
/// holder of the credential sent, never with a flood of forged or malformed requests;
/// forgetting an id would break de-duplication, the store's one promise.
pub struct SeenIds {
    inner: Mutex<Inner>,
    /// Backed by a file: every claim of a new id waits for an fsync.
    durable: bool,
}

struct Inner {
    seen: HashSet<String>,
    file: Option<File>,
}

/// What opening a store found, for the command to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub ids: usize,
    /// Bytes of an unfinished last line that were dropped.
    pub torn_bytes: usize,
}

impl SeenIds {
    pub fn in_memory() -> Self {
        SeenIds {
            inner: Mutex::new(Inner {
                seen: HashSet::new(),
                file: None,
            }),
            durable: false,
        }
    }

    /// Opens (or creates) the store file and loads the ids it holds.
    pub fn open(path: &Path) -> Result<(Self, Loaded)> {
        let fail = |what: &str, e: std::io::Error| {
            Error::new(format!("{}: cannot {what} the store: {e}", path.display()))
        };
        let created = !path.exists();
        let mut file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(path)
            .map_err(|e| fail("open", e))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(|e| fail("read", e))?;
        let (seen, complete) = parse(path, &bytes)?;
        let torn_bytes = bytes.len() - complete;
        if torn_bytes > 0 {
            file.set_len(complete as u64)
                .map_err(|e| fail("repair", e))?;
            file.sync_data().map_err(|e| fail("repair", e))?;
        }
        if created {
            sync_parent(path);
        }
        let loaded = Loaded {
            ids: seen.len(),
            torn_bytes,
        };
        let store = SeenIds {
            inner: Mutex::new(Inner {
                seen,
                file: Some(file),
            }),
            durable: true,
        };
        Ok((store, loaded))
    }

    /// Records `id` and says whether it is new. The lock is held across the disk write so
    /// that of many simultaneous claims exactly one wins, and wins only once it is durable.
    pub fn claim(&self, id: &str) -> std::io::Result<bool> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.seen.contains(id) {
            return Ok(false);
        }
        if let Some(file) = inner.file.as_mut() {
            let mut line = serde_json::Value::from(id).to_string();
            line.push('\n');
            file.write_all(line.as_bytes())?;
            file.sync_data()?;
        }
        inner.seen.insert(id.to_string());
        Ok(true)
    }

    /// Whether claiming an id writes to disk (and so blocks on an fsync).
    pub fn is_durable(&self) -> bool {
        self.durable
    }

    pub fn len(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .seen
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The ids of every complete line, and where the complete lines end.
fn parse(path: &Path, bytes: &[u8]) -> Result<(HashSet<String>, usize)> {
    let mut seen = HashSet::new();
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
        seen.insert(id);
    }
    Ok((seen, complete))
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
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn exactly_one_of_many_concurrent_claims_wins() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = SeenIds::open(&dir.path().join("seen")).unwrap();
        let store = Arc::new(store);
        let wins: usize = (0..20)
            .map(|_| {
                let store = Arc::clone(&store);
                std::thread::spawn(move || store.claim("hooksy:m1").unwrap())
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|t| usize::from(t.join().unwrap()))
            .sum();
        assert_eq!(wins, 1);
        assert_eq!(store.len(), 1);
    }

    #[test]
    fn ids_survive_reopen_and_a_torn_line_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seen");
        {
            let (store, loaded) = SeenIds::open(&path).unwrap();
            assert_eq!(loaded.ids, 0);
            assert!(store.claim("a\nb").unwrap());
            assert!(store.claim("c").unwrap());
        }
        // A kill in the middle of a write leaves half a line.
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"\"half").unwrap();
        let (store, loaded) = SeenIds::open(&path).unwrap();
        assert_eq!(
            loaded,
            Loaded {
                ids: 2,
                torn_bytes: 5
            }
        );
        assert!(!store.claim("a\nb").unwrap());
        assert!(store.claim("half").unwrap());
        drop(store);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, "\"a\\nb\"\n\"c\"\n\"half\"\n");
    }

    #[test]
    fn a_corrupt_complete_line_is_an_error_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seen");
        std::fs::write(&path, "\"a\"\nnot json\n").unwrap();
        let e = SeenIds::open(&path).err().unwrap();
        assert!(e.message().contains("seen:2: not a store line"), "{e}");
    }
}
