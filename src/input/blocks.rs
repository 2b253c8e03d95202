//! JSON Lines read a block of lines at a time, for checking on several threads: one
//! buffer and one hand-over for many lines, where a [`Document`] per line costs an
//! allocation, a copy and a name before anything is checked.

use std::ops::Range;

use super::{line_source, read_line, Document, Documents, LineError};
use crate::error::Result;

/// Lines end a block once it holds this many bytes: large enough that a block carries
/// hundreds of ordinary callbacks, small enough that the blocks in flight stay small.
const BLOCK_BYTES: usize = 256 * 1024;

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
    pub number: usize,
    pub bytes: &'b [u8],
}

impl Line<'_> {
    /// The line as [`Documents`] yields it one at a time.
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
    /// documents, errors and line numbers as iterating, grouped.
    pub fn next_block(&mut self, max_lines: usize) -> Option<Block> {
        let mut block = Block {
            name: self.name.clone(),
            bytes: Vec::with_capacity(BLOCK_BYTES + self.last_len),
            entries: Vec::with_capacity(max_lines),
        };
        if let Some(doc) = self.pending.take() {
            block.entries.push(Entry::Document(Ok(doc)));
        }
        while self.lines
            && !self.done
            && block.entries.len() < max_lines
            && block.bytes.len() < BLOCK_BYTES
        {
            let start = block.bytes.len();
            self.line += 1;
            match read_line(&mut *self.reader, &mut block.bytes, self.max) {
                Ok(false) => self.done = true,
                Ok(true) => {
                    if block.bytes[start..].trim_ascii().is_empty() {
                        block.bytes.truncate(start);
                        continue;
                    }
                    // Only the line break goes: trailing spaces are part of the line, as
                    // they are when lines are read one at a time.
                    let mut end = block.bytes.len();
                    while end > start && matches!(block.bytes[end - 1], b'\n' | b'\r') {
                        end -= 1;
                    }
                    self.last_len = end - start;
                    block.entries.push(Entry::Line {
                        number: self.line,
                        range: start..end,
                    });
                }
                Err(LineError::Io(e)) => {
                    self.done = true;
                    let error = self.line_error(LineError::Io(e));
                    block.entries.push(Entry::Document(Err(error)));
                }
                Err(e) => block.entries.push(Entry::Document(Err(self.line_error(e)))),
            }
        }
        (!block.entries.is_empty()).then_some(block)
    }
}
