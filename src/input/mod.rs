//! Turns a command's inputs into callbacks: one JSON body, JSON Lines (streamed, one
//! callback a line, in constant memory), a raw HTTP request, or a request envelope
//! `{"headers": {…}, "body": {…}}`. What kind an input is, is detected; it can be forced.

mod blocks;

pub use blocks::{Block, Item, Line};

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};

use crate::error::{Error, Position, Result};
use crate::http_request;
use crate::json::{JsonKind, TopLevel};

/// The largest document or line read by default: far above any real callback, far below
/// what would exhaust memory.
pub(crate) const DEFAULT_MAX_SIZE: usize = 16 * 1024 * 1024;

/// How to read an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Auto,
    Json,
    JsonLines,
    Request,
}

/// One callback read from an input.
#[derive(Debug, Clone)]
pub struct Document {
    /// The input's name, with `:line` for JSON Lines.
    pub(crate) source: String,
    /// The line number for JSON Lines input.
    pub line: Option<usize>,
    pub body: Vec<u8>,
    pub headers: Vec<(String, String)>,
    /// Where the body's first byte sits in the input, so that positions inside the body
    /// can be reported as positions in the file; `None` when the body was decoded from a
    /// JSON string (an envelope's `"body": "…"`) or a chunked request and maps to no span.
    pub(crate) origin: Option<Position>,
    /// What reading it found worth saying, shown with the verdict.
    pub(crate) notes: Vec<String>,
}

impl Document {
    fn new(source: String, line: Option<usize>, body: Vec<u8>) -> Self {
        Document {
            source,
            line,
            body,
            headers: Vec::new(),
            notes: Vec::new(),
            origin: Some(Position {
                line: line.unwrap_or(1),
                column: 1,
            }),
        }
    }

    /// The position in the input of byte `offset` of the body, if the body maps to a span.
    pub(crate) fn position(&self, offset: usize) -> Option<Position> {
        let origin = self.origin?;
        let inner = Position::of_offset(&self.body, offset);
        Some(origin.then(inner))
    }

    /// Moves an error positioned inside the body (`source:L:C: …`, as parsers and vendors
    /// report it) to where that byte sits in the input, so that every command names the
    /// same `file:line:column` an editor would jump to.
    pub(crate) fn locate(&self, error: Error) -> Error {
        locate(&self.source, self.line, self.origin, error)
    }

    /// Unwraps a request envelope, if this is one; bodies that are not stay as they are.
    fn unwrap_envelope(mut self) -> Result<Self> {
        if !contains(&self.body, b"\"headers\"") {
            return Ok(self);
        }
        let Ok(top) = TopLevel::parse(&self.source, &self.body) else {
            return Ok(self);
        };
        let (Some(headers), Some(body)) = (top.get("headers"), top.get("body")) else {
            return Ok(self);
        };
        if headers.kind() != JsonKind::Object || top.keys().count() != 2 {
            return Ok(self);
        }
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(headers.text)
            .map_err(|e| Error::new(format!("{}: envelope headers: {e}", self.source)))?;
        let mut parsed = Vec::with_capacity(map.len());
        for (name, value) in map {
            let value = match value {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            parsed.push((name, value));
        }
        // A body given as a JSON string holds the exact bytes that were sent.
        let (body_bytes, origin) = match body.kind() {
            JsonKind::String => (body.as_string().unwrap_or_default().into_bytes(), None),
            _ => (body.text.as_bytes().to_vec(), self.position(body.offset)),
        };
        self.headers = parsed;
        self.body = body_bytes;
        self.origin = origin;
        Ok(self)
    }
}

/// [`Document::locate`] for callers that have already taken the document apart.
pub(crate) fn locate(
    source: &str,
    line: Option<usize>,
    origin: Option<Position>,
    error: Error,
) -> Error {
    let Some(place) = error.place().filter(|p| p.source == source) else {
        return error;
    };
    let (inner, message) = (place.position, place.reason.as_str());
    // A JSON Lines source is `file:line`; the line goes into the position instead.
    let file = match line {
        Some(l) => source
            .strip_suffix(itoa::Buffer::new().format(l))
            .and_then(|s| s.strip_suffix(':'))
            .unwrap_or(source),
        None => source,
    };
    match origin {
        Some(origin) => Error::at(file, Some(origin.then(inner)), message),
        // The body was decoded (a JSON string, a chunked request): no span of the file
        // holds it, so the position can only be told relative to the decoded body.
        None => Error::new(format!(
            "{source}: {message} (at line {}, column {} of the decoded body)",
            inner.line, inner.column
        )),
    }
}

/// Where a request's body starts: after the first blank line, if the bytes there are
/// the body (not so for a chunked body).
fn body_start(request: &[u8], body: &[u8]) -> Option<Position> {
    let crlf = request
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4);
    let lf = request.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    let start = match (crlf, lf) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    request[start..]
        .starts_with(body)
        .then(|| Position::of_offset(request, start))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

/// Opens a path, or standard input for `-`.
pub(crate) fn open(path: &str) -> Result<Box<dyn BufRead + Send>> {
    if path == "-" {
        return Ok(Box::new(BufReader::with_capacity(1 << 16, io::stdin())));
    }
    let file = File::open(path)
        .map_err(|e| Error::at(path, None, format_args!("cannot open: {}", io_reason(&e))))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(Error::at(
            path,
            None,
            "is a directory; give a file (or - for standard input)",
        ));
    }
    Ok(Box::new(BufReader::with_capacity(1 << 16, file)))
}

/// `name:line`, the source of one JSON Lines callback. Built by hand: this runs once a
/// line, and the formatting machinery costs more than the rest of reading the line.
fn line_source(name: &str, line: usize) -> String {
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(line);
    let mut source = String::with_capacity(name.len() + 1 + digits.len());
    source.push_str(name);
    source.push(':');
    source.push_str(digits);
    source
}

/// The name an input has in messages.
pub(crate) fn display_name(path: &str) -> String {
    if path == "-" {
        "<stdin>".to_string()
    } else {
        path.to_string()
    }
}

fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Reads the whole input (up to `max`), for inputs that are one document.
pub(crate) fn read_all(name: &str, reader: &mut dyn Read, max: usize) -> Result<Vec<u8>> {
    read_rest(name, reader, max, max)
}

/// Reads up to `budget` bytes, what is left of the limit `max` once part of the
/// document has been read; the error names `max`, the limit the user set.
fn read_rest(name: &str, reader: &mut dyn Read, budget: usize, max: usize) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(budget as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::new(format!("{name}: cannot read: {}", io_reason(&e))))?;
    if bytes.len() > budget {
        return Err(too_large(name, None, max));
    }
    Ok(bytes)
}

fn too_large(name: &str, line: Option<usize>, max: usize) -> Error {
    let what = match line {
        Some(l) => format!("{name}:{l}: the line is"),
        None => format!("{name}: the callback is"),
    };
    Error::new(format!(
        "{what} larger than {}, the limit for one callback; raise it with --max-size BYTES if this is intended",
        size(max)
    ))
}

/// A byte count as people set it: in KiB or MiB only when that is exact, otherwise in
/// bytes (with the rounded size beside it), so a limit of 100 never reads as "0 MiB".
pub(crate) fn size(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    match bytes {
        0 => "0 bytes".to_string(),
        1 => "1 byte".to_string(),
        n if n % MIB == 0 => format!("{} MiB", n / MIB),
        n if n % KIB == 0 => format!("{} KiB", n / KIB),
        n if n >= MIB => format!("{n} bytes ({:.1} MiB)", n as f64 / MIB as f64),
        n if n >= KIB => format!("{n} bytes ({:.1} KiB)", n as f64 / KIB as f64),
        n => format!("{n} bytes"),
    }
}

/// The callbacks in one input, read lazily so that JSON Lines stream.
pub struct Documents {
    name: String,
    reader: Box<dyn BufRead + Send>,
    max: usize,
    /// Set once the input is known to be JSON Lines.
    lines: bool,
    line: usize,
    /// The length of the last line read, to size the next buffer.
    last_len: usize,
    pending: Option<Document>,
    done: bool,
    /// The start of a line a block read but did not finish (see `next_block`).
    carry: Vec<u8>,
    /// A read that failed after a block's last whole line, reported after those lines.
    read_error: Option<io::Error>,
}

impl Documents {
    /// Reads `path` (or stdin for `-`) in the given format.
    pub(crate) fn open(path: &str, format: Format, max: usize) -> Result<Documents> {
        let name = display_name(path);
        let reader = open(path)?;
        let format = match format {
            Format::Auto if path.ends_with(".jsonl") || path.ends_with(".ndjson") => {
                Format::JsonLines
            }
            f => f,
        };
        Documents::from_reader(name, reader, format, max)
    }

    pub fn from_reader(
        name: String,
        mut reader: Box<dyn BufRead + Send>,
        format: Format,
        max: usize,
    ) -> Result<Documents> {
        let mut docs = Documents {
            name,
            reader: Box::new(io::empty()),
            max,
            lines: format == Format::JsonLines,
            line: 0,
            last_len: 0,
            pending: None,
            done: false,
            carry: Vec::new(),
            read_error: None,
        };
        let peek = reader
            .fill_buf()
            .map_err(|e| Error::new(format!("{}: cannot read: {}", docs.name, io_reason(&e))))?;
        let is_request = format == Format::Request
            || (format == Format::Auto && http_request::looks_like_request(peek));
        if is_request {
            let bytes = read_all(&docs.name, &mut reader, max)?;
            let request = http_request::parse(&docs.name, &bytes)?;
            let origin = body_start(&bytes, &request.body);
            let unframed = request.unframed();
            let mut doc = Document::new(docs.name.clone(), None, request.body);
            doc.headers = request.headers;
            if unframed {
                doc.notes.push(
                    "the request has no Content-Length (nor Transfer-Encoding), so a receiver reads no body (RFC 9112, 6.3): the rest of the file was checked as the body; a real sender must send Content-Length".into(),
                );
            }
            doc.origin = origin;
            docs.pending = Some(doc);
            docs.done = true;
            return Ok(docs);
        }
        if format == Format::Json {
            let bytes = read_all(&docs.name, &mut reader, max)?;
            docs.pending = Some(Document::new(docs.name.clone(), None, bytes).unwrap_envelope()?);
            docs.done = true;
            return Ok(docs);
        }
        docs.reader = reader;
        if format == Format::Auto {
            docs.detect()?;
        }
        Ok(docs)
    }

    /// JSON Lines when the first non-blank line is a whole JSON value and more follows;
    /// otherwise the input is one (possibly pretty-printed) document.
    fn detect(&mut self) -> Result<()> {
        let mut head = Vec::new();
        let mut first = Vec::new();
        while first.trim_ascii().is_empty() {
            head.extend_from_slice(&first);
            first.clear();
            self.line += 1;
            if !read_line(&mut *self.reader, &mut first, self.max)
                .map_err(|e| self.first_line_error(e))?
            {
                break;
            }
        }
        let complete = serde_json::from_slice::<serde::de::IgnoredAny>(&first).is_ok();
        if complete {
            let first_line = self.line;
            let mut rest = Vec::new();
            let more = self.peek_nonblank(&mut rest)?;
            if more {
                self.lines = true;
                let source = line_source(&self.name, first_line);
                self.pending = Some(
                    Document::new(source, Some(first_line), trim_newline(first))
                        .unwrap_envelope()?,
                );
                return Ok(());
            }
            head.extend_from_slice(&first);
            head.extend_from_slice(&rest);
        } else {
            head.extend_from_slice(&first);
            let remaining = self.max.saturating_sub(head.len());
            head.extend(read_rest(
                &self.name,
                &mut *self.reader,
                remaining,
                self.max,
            )?);
        }
        self.pending = Some(Document::new(self.name.clone(), None, head).unwrap_envelope()?);
        self.done = true;
        Ok(())
    }

    /// Whether anything but whitespace follows; whitespace read is kept in `skipped`.
    fn peek_nonblank(&mut self, skipped: &mut Vec<u8>) -> Result<bool> {
        loop {
            let buf = self.reader.fill_buf().map_err(|e| {
                Error::new(format!("{}: cannot read: {}", self.name, io_reason(&e)))
            })?;
            if buf.is_empty() {
                return Ok(false);
            }
            match buf.iter().position(|b| !b.is_ascii_whitespace()) {
                Some(i) => {
                    skipped.extend_from_slice(&buf[..i]);
                    self.line += buf[..i].iter().filter(|&&b| b == b'\n').count();
                    self.reader.consume(i);
                    return Ok(true);
                }
                None => {
                    let n = buf.len();
                    skipped.extend_from_slice(buf);
                    self.line += buf.iter().filter(|&&b| b == b'\n').count();
                    self.reader.consume(n);
                }
            }
        }
    }

    /// Until a second callback follows, the input may be one document: an overlong first
    /// line is then a callback too large, not a line.
    fn first_line_error(&self, e: LineError) -> Error {
        match e {
            LineError::TooLong if !self.lines => too_large(&self.name, None, self.max),
            e => self.line_error(e),
        }
    }

    fn line_error(&self, e: LineError) -> Error {
        match e {
            LineError::TooLong => too_large(&self.name, Some(self.line), self.max),
            LineError::Io(e) => Error::new(format!(
                "{}:{}: cannot read: {}",
                self.name,
                self.line,
                io_reason(&e)
            )),
        }
    }

    fn next_line(&mut self) -> Option<Result<Document>> {
        // Sized like the previous line: callbacks in one stream are alike, and growing a
        // buffer by doubling costs several copies per line.
        let mut buf = Vec::with_capacity(self.last_len + 64);
        loop {
            buf.clear();
            self.line += 1;
            match read_line(&mut *self.reader, &mut buf, self.max) {
                Ok(false) => return None,
                Ok(true) if buf.trim_ascii().is_empty() => continue,
                Ok(true) => {
                    self.last_len = buf.len();
                    let doc = Document::new(
                        line_source(&self.name, self.line),
                        Some(self.line),
                        trim_newline(buf),
                    );
                    return Some(doc.unwrap_envelope());
                }
                Err(LineError::Io(e)) => {
                    self.done = true;
                    return Some(Err(self.line_error(LineError::Io(e))));
                }
                Err(e) => return Some(Err(self.line_error(e))),
            }
        }
    }
}

impl Iterator for Documents {
    type Item = Result<Document>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(doc) = self.pending.take() {
            return Some(Ok(doc));
        }
        if self.done || !self.lines {
            return None;
        }
        self.next_line()
    }
}

fn trim_newline(mut line: Vec<u8>) -> Vec<u8> {
    while matches!(line.last(), Some(b'\n' | b'\r')) {
        line.pop();
    }
    line
}

enum LineError {
    TooLong,
    Io(io::Error),
}

/// Appends one line to `buf`; false at the end of input. A line over `max` is skipped
/// to its end (so the next line can still be read) and reported.
fn read_line(reader: &mut dyn BufRead, buf: &mut Vec<u8>, max: usize) -> Result<bool, LineError> {
    let start = buf.len();
    let mut too_long = false;
    let mut read_any = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(LineError::Io(e)),
        };
        if available.is_empty() {
            break;
        }
        read_any = true;
        let (chunk, found) = match memchr::memchr(b'\n', available) {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        if !too_long {
            if buf.len() - start + chunk.len() > max + 2 {
                too_long = true;
                buf.truncate(start);
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        let n = chunk.len();
        reader.consume(n);
        if found {
            break;
        }
    }
    if too_long {
        return Err(LineError::TooLong);
    }
    Ok(read_any)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(text: &str) -> Vec<Result<Document>> {
        let reader: Box<dyn BufRead + Send> = Box::new(io::Cursor::new(text.as_bytes().to_vec()));
        Documents::from_reader("in".into(), reader, Format::Auto, 64)
            .unwrap()
            .collect()
    }

    #[test]
    fn sizes_use_units_only_when_exact() {
        assert_eq!(size(100), "100 bytes");
        assert_eq!(size(1), "1 byte");
        assert_eq!(size(2048), "2 KiB");
        assert_eq!(size(16 * 1024 * 1024), "16 MiB");
        assert_eq!(size(1500), "1500 bytes (1.5 KiB)");
        assert_eq!(size(3 * 1024 * 1024 + 1), "3145729 bytes (3.0 MiB)");
    }

    #[test]
    fn line_sources_name_the_line() {
        assert_eq!(line_source("a.jsonl", 7), "a.jsonl:7");
        assert_eq!(line_source("", 1_234_567), ":1234567");
    }

    #[test]
    fn pretty_json_is_one_document() {
        let d = docs("{\n  \"a\": 1\n}\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].as_ref().unwrap().body, b"{\n  \"a\": 1\n}\n");
    }

    #[test]
    fn json_lines_stream_with_line_numbers() {
        let d = docs("{\"a\":1}\n\n{\"a\":2}\r\n{\"a\":3}");
        let lines: Vec<_> = d.iter().map(|r| r.as_ref().unwrap().line).collect();
        assert_eq!(lines, [Some(1), Some(3), Some(4)]);
        assert_eq!(d[1].as_ref().unwrap().body, b"{\"a\":2}");
    }

    #[test]
    fn overlong_lines_are_skipped_and_reported() {
        let long = "x".repeat(100);
        let d = docs(&format!("{{\"a\":1}}\n{{\"b\":\"{long}\"}}\n{{\"a\":3}}\n"));
        assert_eq!(d.len(), 3);
        assert!(d[1]
            .as_ref()
            .unwrap_err()
            .message()
            .starts_with("in:2: the line is larger"));
        assert_eq!(d[2].as_ref().unwrap().body, b"{\"a\":3}");
    }

    #[test]
    fn body_positions_become_file_positions() {
        let bad = |source: &str| {
            let at = Position {
                line: 1,
                column: 11,
            };
            Error::at(source, Some(at), "not valid JSON: x")
        };
        let d = docs("{\"a\":1}\n\n{\"a\":2}\n");
        let doc = d[1].as_ref().unwrap();
        assert_eq!(
            doc.locate(bad("in:3")).message(),
            "in:3:11: not valid JSON: x"
        );
        let d = docs("POST / HTTP/1.1\r\nA: b\r\n\r\n{}");
        let doc = d[0].as_ref().unwrap();
        assert_eq!(
            doc.locate(bad("in")).message(),
            "in:4:11: not valid JSON: x"
        );
        let d = docs(r#"{"headers":{},"body":"{}"}"#);
        let doc = d[0].as_ref().unwrap();
        assert_eq!(
            doc.locate(bad("in")).message(),
            "in: not valid JSON: x (at line 1, column 11 of the decoded body)"
        );
        let other = Error::new("in: something else");
        assert_eq!(doc.locate(other.clone()), other);
    }

    #[test]
    fn envelopes_and_requests_carry_headers() {
        let d = docs(r#"{"headers":{"X-Sign":"abc"},"body":{"id":1}}"#);
        let doc = d[0].as_ref().unwrap();
        assert_eq!(doc.body, br#"{"id":1}"#);
        assert_eq!(doc.headers, [("X-Sign".to_string(), "abc".to_string())]);
        let d = docs("POST / HTTP/1.1\r\nX-Sign: x\r\n\r\n{}");
        assert_eq!(d[0].as_ref().unwrap().headers[0].1, "x");
        // No Content-Length: a receiver would read no body, which the note says (the
        // difference the `listen` fuzz target found).
        assert!(d[0].as_ref().unwrap().notes[0].contains("no Content-Length"));
        let d = docs("POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}");
        assert!(d[0].as_ref().unwrap().notes.is_empty());
        assert_eq!(
            d[0].as_ref().unwrap().position(1),
            Some(Position { line: 4, column: 2 })
        );
        let d = docs("{\"headers\":{},\n \"body\": {\"a\":\n 1}}");
        let doc = d[0].as_ref().unwrap();
        assert_eq!(
            doc.position(0),
            Some(Position {
                line: 2,
                column: 10
            })
        );
        assert_eq!(doc.position(7), Some(Position { line: 3, column: 2 }));
    }
}
