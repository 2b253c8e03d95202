//! `--save DIR`: every received callback as a raw HTTP request file, exact body bytes,
//! named by arrival number so that `ls` lists them in arrival order and
//! `cbtool verify --request` reads them back.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::http_request;

/// Writes request files into one directory.
pub struct Saver {
    dir: PathBuf,
}

/// One request as received.
pub(crate) struct Received<'a> {
    pub(crate) seq: u64,
    pub(crate) path: &'a str,
    pub(crate) host: &'a str,
    pub(crate) headers: &'a [(String, String)],
    pub(crate) body: &'a [u8],
}

impl Saver {
    /// Creates the directory if needed and checks that files can be written in it, so
    /// that `listen` refuses to start rather than answer callbacks it cannot save.
    pub(crate) fn new(dir: &Path) -> Result<Saver> {
        let fail = |what: &str, e: std::io::Error| {
            Error::new(format!(
                "{}: cannot {what} the --save directory: {e}",
                dir.display()
            ))
        };
        std::fs::create_dir_all(dir).map_err(|e| fail("create", e))?;
        let probe = dir.join(format!(".cbtool-probe.{}.tmp", std::process::id()));
        std::fs::write(&probe, b"").map_err(|e| fail("write in", e))?;
        let _ = std::fs::remove_file(&probe);
        Ok(Saver {
            dir: dir.to_path_buf(),
        })
    }

    /// Writes `request`; `vendor` (or `unknown`) is part of the name for `ls` readers.
    pub(crate) fn save(
        &self,
        request: &Received,
        vendor: Option<&str>,
    ) -> std::io::Result<PathBuf> {
        let name = format!("{:08}-{}.http", request.seq, vendor.unwrap_or("unknown"));
        let path = self.dir.join(name);
        // The body is stored decoded, so a chunked transfer coding no longer applies.
        let headers: Vec<(String, String)> = request
            .headers
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("transfer-encoding"))
            .cloned()
            .collect();
        let bytes = http_request::render(request.path, request.host, &headers, request.body);
        std::fs::write(&path, bytes)?;
        Ok(path)
    }

    /// Writes the answer to request `seq` (`listen --forward`: the app's raw HTTP response)
    /// beside it, as `NNNNNNNN-vendor.response`: not `.http`, so that `verify --request
    /// DIR/*.http` reads the requests only.
    pub(crate) fn save_answer(
        &self,
        seq: u64,
        vendor: Option<&str>,
        bytes: &[u8],
    ) -> std::io::Result<PathBuf> {
        let name = format!("{seq:08}-{}.response", vendor.unwrap_or("unknown"));
        let path = self.dir.join(name);
        std::fs::write(&path, bytes)?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_read_back_with_the_exact_body_and_sort_by_arrival() {
        let dir = tempfile::tempdir().unwrap();
        let saver = Saver::new(&dir.path().join("new")).unwrap();
        let headers = vec![("X-Sign".to_string(), "a+b=".to_string())];
        let body = b"{ \"id\" : 1 }\n";
        let request = |seq| Received {
            seq,
            path: "/cb",
            host: "127.0.0.1:1",
            headers: &headers,
            body,
        };
        let second = saver.save(&request(10), Some("hooksy")).unwrap();
        let first = saver.save(&request(9), None).unwrap();
        assert!(first < second);
        let parsed = http_request::parse("f", &std::fs::read(&second).unwrap()).unwrap();
        assert_eq!(parsed.body, body);
        assert_eq!(parsed.headers[1], headers[0]);
    }
}
