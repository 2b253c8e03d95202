//! Borrowing access to a JSON object's top-level members.
//!
//! Signatures are computed over the *exact text* of some values as they appear in the
//! body, so the tool must never re-serialize what it verifies. This module validates a
//! body once (with a fast scan for the common compact case, through serde_json for the
//! rest and for every error) and keeps every top-level value as a raw slice of the input,
//! with its byte offset for error positions and for splicing.

mod scan;

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::{Error, Position, Result};

/// The top-level members of a JSON object, in source order, values kept as raw text.
#[derive(Debug, Clone)]
pub struct TopLevel<'a> {
    text: &'a str,
    /// Keys (decoded) and raw values.
    members: Vec<(Cow<'a, str>, &'a str)>,
}

/// One raw value and where it sits in the input.
#[derive(Debug, Clone, Copy)]
pub struct RawField<'a> {
    pub text: &'a str,
    pub(crate) offset: usize,
}

impl<'a> RawField<'a> {
    pub(crate) fn end(&self) -> usize {
        self.offset + self.text.len()
    }

    pub(crate) fn kind(&self) -> JsonKind {
        JsonKind::of(self.text)
    }

    /// The decoded value when this is a JSON string.
    pub fn as_string(&self) -> Option<String> {
        self.as_str().map(Cow::into_owned)
    }

    /// The decoded value when this is a JSON string, borrowed from the input when it has
    /// no escapes (ids and signatures never do, and verifying a stream reads several per
    /// line).
    pub(crate) fn as_str(&self) -> Option<Cow<'a, str>> {
        if self.kind() != JsonKind::String {
            return None;
        }
        let inner = self.text.get(1..self.text.len().saturating_sub(1))?;
        // The parser has validated the text: without a backslash, what lies between the
        // quotes is the value.
        if self.text.len() >= 2 && !inner.contains('\\') {
            return Some(Cow::Borrowed(inner));
        }
        serde_json::from_str::<String>(self.text)
            .ok()
            .map(Cow::Owned)
    }
}

/// The JSON type of a raw value, read from its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonKind {
    Object,
    Array,
    String,
    Number,
    Bool,
    Null,
}

impl JsonKind {
    pub(crate) fn of(raw: &str) -> JsonKind {
        match raw.as_bytes().first() {
            Some(b'{') => JsonKind::Object,
            Some(b'[') => JsonKind::Array,
            Some(b'"') => JsonKind::String,
            Some(b't' | b'f') => JsonKind::Bool,
            Some(b'n') => JsonKind::Null,
            _ => JsonKind::Number,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            JsonKind::Object => "an object",
            JsonKind::Array => "an array",
            JsonKind::String => "a string",
            JsonKind::Number => "a number",
            JsonKind::Bool => "a boolean",
            JsonKind::Null => "null",
        }
    }
}

impl<'a> TopLevel<'a> {
    /// Parses `bytes` as one JSON object. `source` names the input in errors.
    pub fn parse(source: &str, bytes: &'a [u8]) -> Result<TopLevel<'a>> {
        #[cfg(test)]
        parse_count::record(bytes);
        if bytes.starts_with(b"\xef\xbb\xbf") {
            return Err(Error::at(
                source,
                None,
                "starts with a UTF-8 byte order mark (EF BB BF), which senders do not send and JSON forbids; save it as UTF-8 without BOM",
            ));
        }
        let text = utf8(source, bytes)?;
        let first = text.trim_start_matches(|c: char| c.is_ascii_whitespace());
        match first.as_bytes().first() {
            None => return Err(Error::at(source, None, "is empty; expected a JSON object")),
            Some(b'{') => {}
            Some(_) => {
                let offset = text.len() - first.len();
                let found = JsonKind::of(first);
                // `not json` starts like `null`: only a value that parses is named by kind.
                let what = if serde_json::from_str::<de::IgnoredAny>(first).is_ok() {
                    found.name()
                } else {
                    "something that is not JSON"
                };
                return Err(Error::at(
                    source,
                    Some(Position::of_offset(bytes, offset)),
                    format!("expected a JSON object, found {what}"),
                ));
            }
        }
        let members = match scan::members(text) {
            Some(members) => members
                .into_iter()
                .map(|(key, value)| (Cow::Borrowed(key), value))
                .collect(),
            None => {
                serde_json::from_str::<Members<'a>>(text)
                    .map_err(|e| json_error(source, &e))?
                    .0
            }
        };
        Ok(TopLevel { text, members })
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    pub fn get(&self, key: &str) -> Option<RawField<'a>> {
        self.members
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| self.field(v))
    }

    pub fn contains(&self, key: &str) -> bool {
        self.members.iter().any(|(k, _)| k == key)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.members.iter().map(|(k, _)| k.as_ref())
    }

    /// The position of a byte offset, for error messages.
    pub(crate) fn position(&self, offset: usize) -> Position {
        Position::of_offset(self.text.as_bytes(), offset)
    }

    fn field(&self, text: &'a str) -> RawField<'a> {
        // The raw value borrows from `self.text`, so the pointer difference is its offset.
        let offset = text.as_ptr() as usize - self.text.as_ptr() as usize;
        RawField { text, offset }
    }
}

/// Checks UTF-8 and names the first bad byte's position.
pub(crate) fn utf8<'a>(source: &str, bytes: &'a [u8]) -> Result<&'a str> {
    // The SIMD check is several times faster on text that is not all ASCII (most
    // callbacks carry names in Chinese); the standard one finds where a bad byte sits.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok(text);
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        Error::at(
            source,
            Some(Position::of_offset(bytes, offset)),
            format!(
                "invalid UTF-8 (byte 0x{:02x} at offset {offset}); JSON bodies must be UTF-8",
                bytes[offset]
            ),
        )
    })
}

/// Turns a serde_json error into one line naming the input and the position.
pub(crate) fn json_error(source: &str, e: &serde_json::Error) -> Error {
    let message = e.to_string();
    // serde_json appends " at line L column C"; the position goes in front instead.
    let message = match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => &message,
    };
    let hint = match e.classify() {
        serde_json::error::Category::Eof => " (the JSON is truncated)",
        _ => "",
    };
    let position = (e.line() > 0).then(|| Position {
        line: e.line(),
        column: e.column().max(1),
    });
    Error::at(source, position, format!("not valid JSON: {message}{hint}"))
}

/// The fast scan's members of `text`, or `None` where it leaves the text to serde_json.
/// Public only for the differential fuzz target (fuzz/targets.rs), which holds the scan
/// to serde_json's verdict on arbitrary bytes.
#[doc(hidden)]
pub fn scan_members(text: &str) -> Option<Vec<(&str, &str)>> {
    scan::members(text)
}

/// Removes all whitespace outside strings, keeping every other byte as it is: key order,
/// number spelling and escapes survive, which re-serializing would not guarantee.
pub fn minify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            out.push(c);
        }
    }
    out
}

/// Collects map members without building values, rejecting duplicate keys: with two
/// `msgId`s, sender and receiver could each sign a different one.
struct Members<'a>(Vec<(Cow<'a, str>, &'a str)>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(MembersVisitor)
    }
}

struct MembersVisitor;

impl<'de> Visitor<'de> for MembersVisitor {
    type Value = Members<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members: Vec<(Cow<'de, str>, &'de str)> = Vec::with_capacity(8);
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if members.iter().any(|(k, _)| *k == key) {
                return Err(de::Error::custom(format_args!(
                    "duplicate key `{key}`; the sender and the receiver could each read a different one"
                )));
            }
            let value: &'de RawValue = map.next_value()?;
            members.push((key, value.get()));
        }
        Ok(Members(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_raw_text_and_offsets() {
        let body = br#"{ "a" : {"x": 1.0 , "y":[1, 2]}, "b":"s"}"#;
        let top = TopLevel::parse("t", body).unwrap();
        let a = top.get("a").unwrap();
        assert_eq!(a.text, r#"{"x": 1.0 , "y":[1, 2]}"#);
        assert_eq!(&body[a.offset..a.end()], a.text.as_bytes());
        assert_eq!(top.get("b").unwrap().as_string().as_deref(), Some("s"));
        assert!(matches!(
            top.get("b").unwrap().as_str(),
            Some(Cow::Borrowed("s"))
        ));
        let escaped = TopLevel::parse("t", br#"{"e":"a\"b\u00e9"}"#).unwrap();
        assert_eq!(
            escaped.get("e").unwrap().as_str().as_deref(),
            Some("a\"b\u{e9}")
        );
        assert_eq!(top.get("a").unwrap().as_str(), None);
        assert_eq!(top.keys().collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn rejects_duplicates_and_non_objects_with_positions() {
        let e = TopLevel::parse("f.json", br#"{"a":1,"a":2}"#).unwrap_err();
        assert!(e.message().starts_with("f.json:1:"), "{e}");
        assert!(e.message().contains("duplicate key `a`"), "{e}");
        let e = TopLevel::parse("f.json", b"\n [1]").unwrap_err();
        assert_eq!(
            e.message(),
            "f.json:2:2: expected a JSON object, found an array"
        );
        let e = TopLevel::parse("f.json", b"not json").unwrap_err();
        assert_eq!(
            e.message(),
            "f.json:1:1: expected a JSON object, found something that is not JSON"
        );
        let e = TopLevel::parse("f.json", b"  ").unwrap_err();
        assert!(e.message().contains("empty"), "{e}");
        let e = TopLevel::parse("f.json", b"{\"a\":").unwrap_err();
        assert!(e.message().contains("truncated"), "{e}");
        let e = TopLevel::parse("f.json", b"{\"a\":\"\xff\"}").unwrap_err();
        assert!(e.message().contains("f.json:1:7: invalid UTF-8"), "{e}");
    }

    #[test]
    fn minify_keeps_strings_intact() {
        assert_eq!(
            minify("{ \"a b\" : [1 , 2.0],\n \"c\": \"x\\\" y\" }"),
            "{\"a b\":[1,2.0],\"c\":\"x\\\" y\"}"
        );
    }
}

/// How often each body was parsed, for the tests that hold every command to one parse
/// of a callback (`parse_count::of`). Test builds only: the counter costs a lock.
#[cfg(test)]
pub(crate) mod parse_count {
    use std::collections::HashMap;
    use std::sync::Mutex;

    static COUNTS: Mutex<Option<HashMap<Vec<u8>, usize>>> = Mutex::new(None);

    pub(crate) fn record(bytes: &[u8]) {
        let mut counts = COUNTS.lock().unwrap_or_else(|e| e.into_inner());
        *counts
            .get_or_insert_with(HashMap::new)
            .entry(bytes.to_vec())
            .or_default() += 1;
    }

    /// How many times `bytes` were parsed so far, in any thread.
    pub(crate) fn of(bytes: &[u8]) -> usize {
        let counts = COUNTS.lock().unwrap_or_else(|e| e.into_inner());
        counts
            .as_ref()
            .and_then(|c| c.get(bytes))
            .copied()
            .unwrap_or(0)
    }
}
