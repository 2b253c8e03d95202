//! Output files are checked before the first side effect and written atomically.
//!
//! A `replay` whose `--report` cannot be written must fail before it sends anything:
//! callbacks have effects on the receiver that a lost report leaves unexplained. And a
//! report is written to a temporary file in the same directory, then renamed over the
//! target, so a crash, a kill or a full disk leaves the previous file or the whole new
//! one, never half a JSON document.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A file to be written at the end of the run, known to be writable at the start.
#[derive(Debug)]
pub(crate) struct OutputFile {
    path: PathBuf,
    /// What the file is, for errors: `the report`, `the JUnit report`.
    what: &'static str,
}

impl OutputFile {
    /// Checks that `path` can be written now, by creating (and removing) the temporary
    /// file its content will later be renamed from.
    pub(crate) fn prepare(path: &Path, what: &'static str) -> Result<OutputFile> {
        let file = OutputFile {
            path: path.to_path_buf(),
            what,
        };
        if path.is_dir() {
            return Err(file.error("is a directory; give a file name"));
        }
        let temp = file.temp_path();
        create_new(&temp).map_err(|e| file.error(&e.to_string()))?;
        let _ = std::fs::remove_file(&temp);
        Ok(file)
    }

    /// Writes `bytes` to the temporary file, syncs it and renames it over the target.
    pub(crate) fn write(&self, bytes: &[u8]) -> Result<()> {
        let temp = self.temp_path();
        let written = create_new(&temp).and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        });
        let renamed = written.and_then(|()| std::fs::rename(&temp, &self.path));
        renamed.map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            self.error(&e.to_string())
        })
    }

    /// `.NAME.PID.tmp` beside the target: the same file system, so the rename is atomic.
    fn temp_path(&self) -> PathBuf {
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = format!(".{name}.{}.tmp", std::process::id());
        match self.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.join(temp),
            _ => PathBuf::from(temp),
        }
    }

    fn error(&self, why: &str) -> Error {
        Error::new(format!(
            "{}: cannot write {}: {why}",
            self.path.display(),
            self.what
        ))
    }
}

fn create_new(path: &Path) -> std::io::Result<File> {
    // A leftover from a killed run of this same process id is replaced.
    let _ = std::fs::remove_file(path);
    OpenOptions::new().write(true).create_new(true).open(path)
}

/// Prepares an optional output file.
pub(crate) fn prepare(path: Option<&Path>, what: &'static str) -> Result<Option<OutputFile>> {
    path.map(|p| OutputFile::prepare(p, what)).transpose()
}

/// Creates `dir` if needed and checks that files can be created in it.
pub(crate) fn writable_dir(dir: &Path, what: &str) -> Result<()> {
    let fail =
        |e: std::io::Error| Error::new(format!("{}: cannot write {what}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(fail)?;
    let probe = dir.join(format!(".cbtool-probe.{}.tmp", std::process::id()));
    create_new(&probe).map_err(fail)?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unwritable_place_is_refused_when_prepared() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing/r.json");
        let e = OutputFile::prepare(&missing, "the report").unwrap_err();
        assert!(
            e.message().contains("r.json: cannot write the report: "),
            "{e}"
        );
        let e = OutputFile::prepare(dir.path(), "the report").unwrap_err();
        assert!(e.message().contains("is a directory"), "{e}");
        let new = dir.path().join("new/sub");
        assert!(writable_dir(&new, "the samples").is_ok(), "it is created");
        // Nothing is left behind by the checks.
        assert_eq!(std::fs::read_dir(&new).unwrap().count(), 0);
        assert!(!missing.parent().unwrap().exists());
    }

    /// A reader polling the target while it is rewritten again and again only ever
    /// sees a whole document: the old one or the new one.
    #[test]
    fn a_reader_never_sees_half_a_report() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        let file = OutputFile::prepare(&path, "the report").unwrap();
        let big = |n: usize| format!("[{}]", vec![n.to_string(); 50_000].join(","));
        file.write(big(0).as_bytes()).unwrap();
        let done = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            s.spawn(|| {
                for n in 1..40 {
                    file.write(big(n).as_bytes()).unwrap();
                }
                done.store(true, std::sync::atomic::Ordering::SeqCst);
            });
            let mut reads = 0;
            while !done.load(std::sync::atomic::Ordering::SeqCst) || reads == 0 {
                let text = std::fs::read_to_string(&path).unwrap();
                let value: serde_json::Value = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("half a report ({} bytes): {e}", text.len()));
                assert_eq!(value.as_array().map(Vec::len), Some(50_000));
                reads += 1;
            }
        });
        let entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(entries.len(), 1, "only the report is left");
    }
}
