//! JSON Lines read a block of lines at a time, for checking on several threads: one
//! buffer and one hand-over for many lines, where a [`Document`] per line costs an
//! allocation, a copy and a name before anything is checked.

use std::io::{self, BufRead, Read};
use std::ops::Range;

use super::{line_source, Document, Documents, LineError};
use crate::error::Result;

/// Lines end a block once it holds this many bytes: large enough that a block carries
/// hundreds of ordinary callbacks, small enough that the blocks in flight stay small.
const BLOCK_BYTES: usize = 256 * 1024;

/// Bytes asked of the reader at once: at least its buffer's size, so that reads go
/// straight into the block.
const READ_BYTES: usize = 64 * 1024;

/// Consecutive lines of one input, in one buffer.
pub struct Block {
    name: String,
    bytes: Vec<u8>,
    entries: Vec<Entry>,
}

enum Entry {
    Line { number: usize, range: Range<usize> },
    Document(Result<Document>),
}

/// One item of a block, in input order.
pub enum Item<'b> {
    Line(Line<'b>),
    /// A document read before the input was known to be JSON Lines, or an unreadable line.
    Document(Result<Document>),
}

/// One non-blank line, without its line break, borrowed from its block.
pub struct Line<'b> {
    name: &'b str,
    pub(crate) number: usize,
    pub(crate) bytes: &'b [u8],
}

impl Line<'_> {
    /// The line as [`Documents`] yields it one at a time.
    /// Its name in messages: `file:line`.
    pub(crate) fn source(&self) -> String {
        line_source(self.name, self.number)
    }

    pub fn into_document(self) -> Result<Document> {
        let source = line_source(self.name, self.number);
        Document::new(source, Some(self.number), self.bytes.to_vec()).unwrap_envelope()
    }
}

impl Block {
    /// Takes the items out in input order.
    pub fn items(&mut self) -> impl Iterator<Item = Item<'_>> {
        let Block {
            name,
            bytes,
            entries,
        } = self;
        let (name, bytes) = (name.as_str(), bytes.as_slice());
        entries.drain(..).map(move |entry| match entry {
            Entry::Line { number, range } => Item::Line(Line {
                name,
                number,
                bytes: &bytes[range],
            }),
            Entry::Document(doc) => Item::Document(doc),
        })
    }
}

impl Documents {
    /// The next block of at most `max_lines` items; `None` at the end. Yields the same
    /// documents, errors and line numbers as iterating, grouped. An input is read either
    /// by blocks or by iterating, not both: a block may have read part of the next line.
    pub fn next_block(&mut self, max_lines: usize) -> Option<Block> {
        let mut block = Block {
            name: self.name.clone(),
            bytes: Vec::with_capacity(BLOCK_BYTES + READ_BYTES),
            entries: Vec::with_capacity(max_lines),
        };
        if let Some(doc) = self.pending.take() {
            block.entries.push(Entry::Document(Ok(doc)));
        }
        if self.lines && !self.done {
            self.fill(&mut block, max_lines);
        }
        (!block.entries.is_empty()).then_some(block)
    }

    /// Reads straight into the block (no copy through the reader's buffer) and takes
    /// every whole line; the start of an unfinished line waits in `carry` for the next.
    fn fill(&mut self, block: &mut Block, max_lines: usize) {
        let Block { bytes, entries, .. } = block;
        bytes.append(&mut self.carry);
        let mut start = 0;
        loop {
            while let Some(i) = memchr::memchr(b'\n', &bytes[start..]) {
                let end = start + i + 1;
                self.line += 1;
                self.take_line(bytes, start..end, entries);
                start = end;
                if entries.len() >= max_lines {
                    break;
                }
            }
            // A block ends with at least one entry: an empty one would read as the end
            // of the input.
            if entries.len() >= max_lines || (!entries.is_empty() && bytes.len() >= BLOCK_BYTES) {
                break;
            }
            if entries.is_empty() && start > 0 {
                // Only blank lines so far: let them go, so the block does not fill up
                // with them while a long line is still coming.
                bytes.drain(..start);
                start = 0;
            }
            if bytes.len() - start > self.max + 2 {
                // A line over the limit: skip to its end without keeping it.
                bytes.truncate(start);
                self.line += 1;
                let error = match skip_line(&mut *self.reader) {
                    Ok(()) => LineError::TooLong,
                    Err(e) => {
                        self.done = true;
                        LineError::Io(e)
                    }
                };
                entries.push(Entry::Document(Err(self.line_error(error))));
                if self.done {
                    break;
                }
                continue;
            }
            if let Some(e) = self.read_error.take() {
                // Every whole line read before the error has been taken: the error is
                // the next line's, as when reading a line at a time.
                self.done = true;
                self.line += 1;
                entries.push(Entry::Document(Err(self.line_error(LineError::Io(e)))));
                break;
            }
            match (&mut *self.reader)
                .take(READ_BYTES as u64)
                .read_to_end(bytes)
            {
                Ok(0) => {
                    // The last line may end without a line break.
                    if start < bytes.len() {
                        self.line += 1;
                        self.take_line(bytes, start..bytes.len(), entries);
                        start = bytes.len();
                    }
                    self.done = true;
                    break;
                }
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // Bytes read before the error stay in the block; their whole lines are
                // taken first.
                Err(e) => self.read_error = Some(e),
            }
        }
        self.carry = bytes.split_off(start);
    }

    /// Adds the line at `range` of `bytes` (line break included, if any): blank lines
    /// are skipped, a line over the limit is an error, as when reading a line at a time.
    fn take_line(&self, bytes: &[u8], range: Range<usize>, entries: &mut Vec<Entry>) {
        let line = &bytes[range.clone()];
        // Length first: a line over the limit is an error even when it is blank.
        if line.len() > self.max + 2 {
            let error = self.line_error(LineError::TooLong);
            entries.push(Entry::Document(Err(error)));
            return;
        }
        if line.trim_ascii().is_empty() {
            return;
        }
        // Only the line break goes: trailing spaces are part of the line.
        let mut end = range.end;
        while end > range.start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        entries.push(Entry::Line {
            number: self.line,
            range: range.start..end,
        });
    }
}

/// Consumes the rest of a line, its line break included.
fn skip_line(reader: &mut dyn BufRead) -> io::Result<()> {
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(());
        }
        let (n, found) = match memchr::memchr(b'\n', available) {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        reader.consume(n);
        if found {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Format, Item};
    use std::io::{BufReader, Read};

    /// Gives `data` a little at a time, then fails.
    struct FailsAfter {
        data: Vec<u8>,
        at: usize,
    }

    impl Read for FailsAfter {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.at == self.data.len() {
                return Err(io::Error::other("the disk went away"));
            }
            let n = buf.len().min(self.data.len() - self.at).min(1000);
            buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    fn open(data: &[u8]) -> Documents {
        let reader = FailsAfter {
            data: data.to_vec(),
            at: 0,
        };
        let reader = Box::new(BufReader::with_capacity(4096, reader));
        Documents::from_reader("in".into(), reader, Format::JsonLines, 1 << 20).unwrap()
    }

    fn shown(doc: Result<Document>) -> String {
        match doc {
            Ok(doc) => format!("{:?} {}", doc.line, String::from_utf8_lossy(&doc.body)),
            Err(e) => format!("error: {}", e.message()),
        }
    }

    #[test]
    fn a_read_error_comes_after_every_line_read_before_it() {
        let mut data: String = (0..500).map(|i| format!("{{\"n\":{i}}}\n\n")).collect();
        data.push_str("{\"cut\":");
        let expected: Vec<String> = open(data.as_bytes()).map(shown).collect();
        assert_eq!(expected.len(), 501);
        assert!(
            expected[500].starts_with("error: in:1001: cannot read"),
            "{}",
            expected[500]
        );
        for max_lines in [1, 3, 256] {
            let mut docs = open(data.as_bytes());
            let mut got = Vec::new();
            while let Some(mut block) = docs.next_block(max_lines) {
                got.extend(block.items().map(|item| match item {
                    Item::Line(line) => shown(line.into_document()),
                    Item::Document(doc) => shown(doc),
                }));
            }
            assert_eq!(got, expected, "blocks of {max_lines}");
        }
    }
}
