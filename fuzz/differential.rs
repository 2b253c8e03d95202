//! Differential targets: each holds a fast or hand-written implementation to the answer
//! of a maintained one (serde_json) or of the simple path it shortcuts, and panics with
//! both answers when they disagree.

use std::io::{self, BufReader, Read};

use cbtool::error::Result;
use cbtool::input::{Document, Documents, Format, Item};
use cbtool::json::{self, TopLevel};
use cbtool::vendors::autox3::restyle_for_fuzzing;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// `json::scan_members` (the fast path) and `TopLevel::parse` (scan, then serde_json)
/// against serde_json's own reading of the object: accept and reject, keys, values.
///
/// The judge of syntax is serde_json's `RawValue`, which `TopLevel` keeps values as: it
/// checks the grammar without computing numbers or pairing surrogates, so `1e400` and
/// `"\udbee"` pass there, and only building a `Value` rejects them. Members are compared
/// whenever serde_json can build the value.
pub fn json_scan(data: &[u8]) -> String {
    let Ok(text) = std::str::from_utf8(data) else {
        return "not utf8".into();
    };
    let syntax = serde_json::from_str::<&RawValue>(text)
        .map(|raw| raw.get().starts_with('{'))
        .unwrap_or(false);
    let theirs = serde_json::from_str::<Map<String, Value>>(text);
    if let Some(members) = json::scan_members(text) {
        assert!(
            syntax,
            "the scan accepted what serde_json rejects: {text:?}"
        );
        match &theirs {
            Ok(map) => same_members(&members, map, text),
            // The scan leaves every backslash to serde_json: only a number can be it.
            Err(e) => assert!(
                e.to_string().contains("number out of range"),
                "the scan accepted what no Value holds ({e}): {text:?}"
            ),
        }
    }
    match TopLevel::parse("fuzz", data) {
        Ok(top) => {
            assert!(
                syntax,
                "TopLevel accepted what serde_json rejects: {text:?}"
            );
            let members: Vec<(&str, &str)> = top
                .keys()
                .map(|k| (k, top.get(k).map_or("", |f| f.text)))
                .collect();
            if let Ok(map) = &theirs {
                same_members(&members, map, text);
            }
            "ok".into()
        }
        Err(e) => {
            // serde_json keeps the last of two equal keys; TopLevel refuses them.
            if theirs.is_ok() && !e.message().contains("duplicate key") {
                panic!("TopLevel rejected what serde_json accepts ({e}): {text:?}");
            }
            "rejected".into()
        }
    }
}

fn same_members(members: &[(&str, &str)], map: &Map<String, Value>, text: &str) {
    let keys: Vec<&str> = members.iter().map(|(k, _)| *k).collect();
    let theirs: Vec<&str> = map.keys().map(String::as_str).collect();
    assert_eq!(keys, theirs, "keys differ: {text:?}");
    for (key, raw) in members {
        let value: Value = serde_json::from_str(raw)
            .unwrap_or_else(|e| panic!("raw value of `{key}` is not JSON ({e}): {raw:?}"));
        assert_eq!(
            Some(&value),
            map.get(*key),
            "value of `{key}` differs: {text:?}"
        );
        assert_eq!(
            raw.trim(),
            *raw,
            "raw value of `{key}` has spaces: {text:?}"
        );
    }
}

/// A reader that hands out at most `step` bytes a call, so that reads end anywhere.
struct Trickle {
    data: Vec<u8>,
    at: usize,
    step: usize,
}

impl Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let rest = &self.data[self.at..];
        let n = buf.len().min(self.step).min(rest.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.at += n;
        Ok(n)
    }
}

fn open_lines(data: &[u8], step: usize, max: usize) -> Documents {
    let trickle = Trickle {
        data: data.to_vec(),
        at: 0,
        step,
    };
    let reader = Box::new(BufReader::with_capacity(64, trickle));
    // A JSON Lines reader starts without reading: it cannot fail.
    Documents::from_reader("in".into(), reader, Format::JsonLines, max)
        .unwrap_or_else(|e| panic!("opening JSON Lines failed: {e}"))
}

fn shown(doc: Result<Document>) -> String {
    match doc {
        Ok(doc) => format!("{:?} {:?}", doc.line, doc.body),
        Err(e) => format!("error: {}", e.message()),
    }
}

/// The block reader (`Documents::next_block`, what `verify` uses on files) against the
/// line reader (iterating `Documents`, what it uses on stdin): the same documents,
/// errors and line numbers, for any block size, line limit and read boundaries. The
/// first two bytes choose the limits; the rest is the input.
pub fn blocks(data: &[u8]) -> String {
    let [a, b, input @ ..] = data else {
        return "short".into();
    };
    let max = usize::from(*a) * 4 + 1;
    let step = usize::from(*b % 64) + 1;
    let max_lines = usize::from(*b / 64) * 3 + 1;
    let expected: Vec<String> = open_lines(input, step, max).map(shown).collect();
    let mut docs = open_lines(input, step, max);
    let mut got = Vec::new();
    while let Some(mut block) = docs.next_block(max_lines) {
        got.extend(block.items().map(|item| match item {
            Item::Line(line) => shown(line.into_document()),
            Item::Document(doc) => shown(doc),
        }));
    }
    assert_eq!(
        got, expected,
        "blocks of {max_lines}, limit {max}, reads of {step}"
    );
    format!("{}", expected.len().min(4))
}

/// `json::minify` and every library profile of `--explain` against serde_json: minify
/// keeps the value, every profile writes JSON that serde_json reads, and the diagnosis's
/// own comparison sees the same value in it (what it names comes from that comparison).
pub fn minify(data: &[u8]) -> String {
    let Ok(text) = std::str::from_utf8(data) else {
        return "not utf8".into();
    };
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return "not json".into();
    };
    let minified = json::minify(text);
    let again: Value = serde_json::from_str(&minified)
        .unwrap_or_else(|e| panic!("minify broke the JSON ({e}): {text:?} -> {minified:?}"));
    assert_eq!(
        again, value,
        "minify changed the value: {text:?} -> {minified:?}"
    );
    let Some(styled) = restyle_for_fuzzing(text) else {
        // The tree refuses only nesting past its limit, which serde_json also refuses.
        return "too deep".into();
    };
    for (id, written, comparable) in styled {
        let back: Result<Value, _> = serde_json::from_str(&written);
        assert!(back.is_ok(), "{id} wrote bad JSON: {text:?} -> {written:?}");
        assert!(
            comparable,
            "{id}: the comparison does not read it back: {text:?} -> {written:?}"
        );
    }
    "ok".into()
}
