//! Turns `replay`'s inputs into messages ready to send: directories expanded, every
//! callback read, refreshed (`--fresh`) and signed once, before anything is sent, so
//! that an input error stops the run (exit 2) instead of leaving it half done.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use super::choose_vendor;
use crate::cli::VendorArg;
use crate::credentials::Credentials;
use crate::error::{Error, Result};
use crate::input::{Document, Documents, Format};
use crate::replay::transport::check_header;
use crate::replay::Outgoing;
use crate::vendors::{Delivery, Fresh, Message, Vendor};

/// File names a directory contributes.
const EXTENSIONS: [&str; 4] = ["json", "jsonl", "ndjson", "http"];

/// Carried headers that describe one connection or are set by the transport; the
/// vendor's own headers (`Dayu-Sign`, …) and the rest go out as they were.
const NOT_CARRIED: [&str; 10] = [
    "host",
    "content-length",
    "content-type",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "te",
    "upgrade",
    "expect",
    "accept-encoding",
];

/// What shapes every message.
pub(crate) struct Prepare<'a> {
    pub(crate) vendor: Option<VendorArg>,
    /// `--ack`: a rule of the registry, by id.
    pub(crate) ack: Option<&'a str>,
    pub(crate) fresh: bool,
    pub(crate) max_size: usize,
    pub(crate) creds: &'a Credentials,
}

/// The input files in order: directories become their callback files, sorted by name.
pub(crate) fn expand(inputs: &[String]) -> Result<Vec<String>> {
    let mut files = Vec::new();
    for input in inputs {
        let path = Path::new(input);
        if input == "-" || !path.is_dir() {
            files.push(input.clone());
            continue;
        }
        let entries = std::fs::read_dir(path)
            .map_err(|e| Error::new(format!("{input}: cannot list the directory: {e}")))?;
        let mut found: Vec<String> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && is_callback_file(p))
            .map(|p| p.display().to_string())
            .collect();
        if found.is_empty() {
            return Err(Error::new(format!(
                "{input}: no callback files (.json, .jsonl, .ndjson, .http) in this directory"
            )));
        }
        found.sort();
        files.extend(found);
    }
    Ok(files)
}

fn is_callback_file(path: &Path) -> bool {
    let hidden = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_none_or(|n| n.starts_with('.'));
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    !hidden && EXTENSIONS.contains(&ext)
}

/// Every callback in `files`, prepared for sending.
pub(crate) fn collect(files: &[String], prepare: &Prepare) -> Result<Vec<Outgoing>> {
    let mut messages = Vec::new();
    for file in files {
        for doc in Documents::open(file, Format::Auto, prepare.max_size)? {
            let doc = doc?;
            let located = (doc.source.clone(), doc.line, doc.origin);
            let message = prepare.message(doc).map_err(|e| {
                let (source, line, origin) = &located;
                crate::input::locate(source, *line, *origin, e)
            })?;
            messages.push(message);
        }
    }
    Ok(messages)
}

impl Prepare<'_> {
    /// One message, parsed once: detection, the id, the lane and signing all read the
    /// same parsed body (the refreshed one with `--fresh`), and the delivery built here
    /// is what every attempt sends.
    fn message(&self, doc: Document) -> Result<Outgoing> {
        let original = Message::with_headers(doc.source, &doc.body, doc.headers);
        let vendor = choose_vendor(self.vendor, &original.source, original.top_level()?)?;
        let can_sign = vendor.can_sign(self.creds);
        let refreshed = if self.fresh {
            if !can_sign {
                return Err(Error::new(format!(
                    "{}: --fresh changes the message, which must then be signed again: give the {} credential ({})",
                    original.source,
                    vendor.name(),
                    signing_flag(vendor)
                )));
            }
            Some(vendor.refresh(&original, &fresh())?)
        } else {
            None
        };
        let refreshed_msg = refreshed.as_deref().map(|body| {
            Message::with_headers(original.source.clone(), body, original.headers.clone())
        });
        let msg = refreshed_msg.as_ref().unwrap_or(&original);
        let delivery = if can_sign {
            vendor.signed_delivery(msg, self.creds)?
        } else {
            Delivery {
                headers: msg.headers.clone(),
                body: msg.body.to_vec(),
            }
        };
        let top = msg.top_level()?;
        Ok(Outgoing {
            vendor: vendor.id(),
            id: vendor.message_id(msg),
            lane: vendor
                .sequence_key(top)
                .map(|k| format!("{}:{k}", vendor.id())),
            headers: carried(&msg.source, delivery.headers)?,
            body: delivery.body,
            ack: match self.ack {
                Some(id) => crate::replay::ack::by_id(id)
                    .ok_or_else(|| Error::new(format!("--ack {id}: no such rule")))?,
                None => vendor.default_ack(),
            },
            source: original.source.clone(),
        })
    }
}

/// A new msgId (a UUID, the documents' form) and the current time.
pub(crate) fn fresh() -> Fresh {
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    Fresh {
        msg_id: uuid::Uuid::new_v4().to_string(),
        now_ms,
    }
}

fn carried(source: &str, headers: Vec<(String, String)>) -> Result<Vec<(String, String)>> {
    let kept: Vec<(String, String)> = headers
        .into_iter()
        .filter(|(k, _)| !NOT_CARRIED.iter().any(|n| k.eq_ignore_ascii_case(n)))
        .collect();
    for (name, value) in &kept {
        check_header(name, value).map_err(|why| Error::new(format!("{source}: {why}")))?;
    }
    Ok(kept)
}

/// Parses `--header 'Name: value'`.
pub(crate) fn parse_header(text: &str) -> Result<(String, String)> {
    let bad = || {
        Error::new(format!(
            "--header '{text}': give a header as 'Name: value', e.g. --header 'X-Trace: 1'"
        ))
    };
    let (name, value) = text.split_once(':').ok_or_else(bad)?;
    let (name, value) = (name.trim(), value.trim());
    if name.is_empty() {
        return Err(bad());
    }
    check_header(name, value).map_err(|why| Error::new(format!("--header '{text}': {why}")))?;
    Ok((name.to_string(), value.to_string()))
}

/// The flags that give what `vendor` signs with: `--secret-file PATH`.
fn signing_flag(vendor: &dyn Vendor) -> String {
    let flags: Vec<String> = vendor
        .credentials()
        .iter()
        .filter(|spec| spec.signs())
        .map(|spec| spec.flag_with_value())
        .collect();
    flags.join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_parse_and_hop_by_hop_ones_are_dropped() {
        assert_eq!(
            parse_header("X-Trace:  a b ").unwrap(),
            ("X-Trace".to_string(), "a b".to_string())
        );
        assert!(parse_header("novalue").is_err());
        assert!(parse_header(": v").is_err());
        let kept = carried(
            "s",
            vec![
                ("Host".into(), "h".into()),
                ("X-Sign".into(), "x".into()),
                ("content-length".into(), "2".into()),
            ],
        )
        .unwrap();
        assert_eq!(kept, [("X-Sign".to_string(), "x".to_string())]);
    }

    #[test]
    fn directories_expand_to_sorted_callback_files() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.json", "a.http", "c.txt", ".hidden.json", "d.jsonl"] {
            std::fs::write(dir.path().join(name), "{}").unwrap();
        }
        let d = dir.path().display().to_string();
        let files = expand(std::slice::from_ref(&d)).unwrap();
        let names: Vec<&str> = files.iter().map(|f| &f[d.len() + 1..]).collect();
        assert_eq!(names, ["a.http", "b.json", "d.jsonl"]);
        let empty = tempfile::tempdir().unwrap();
        let e = expand(&[empty.path().display().to_string()]).unwrap_err();
        assert!(e.message().contains("no callback files"), "{e}");
    }
}
