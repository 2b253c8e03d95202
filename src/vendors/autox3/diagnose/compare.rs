//! Names what differs between two spellings of the same JSON, family by family.
//!
//! The search reproduces a signature with some re-serialized text; this module says what
//! that text changed compared with the body (`114` became `114.0`, `=` became `\u003d`,
//! members sorted, …). The same comparison names every difference in a user's own
//! signed string (`--signed-string`), so the names come from what the bytes show, not
//! from which knob of the search produced them.

use std::collections::{HashMap, VecDeque};

use super::numbers;
use super::tree::{self, Node};

/// One kind of difference and its first example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Difference {
    pub(crate) family: &'static str,
    pub(crate) example: String,
}

/// Every family of difference between `body` (as the body has it) and `theirs`, or `None`
/// when the two are not the same JSON values up to those families.
pub(crate) fn differences(body: &str, theirs: &str) -> Option<Vec<Difference>> {
    let a = tree::parse(body)?;
    let b = tree::parse(theirs)?;
    let mut found = Found::default();
    walk(&a, &b, &mut found)?;
    let (la, lb) = (layout(body), layout(theirs));
    if la != lb || (lb != Layout::Compact && whitespace(body) != whitespace(theirs)) {
        let family = match lb {
            Layout::Compact => "compact_json",
            Layout::Python => "python_separators",
            Layout::Lines | Layout::Other => "pretty_printed",
        };
        found.add(family, String::new());
    }
    let mut list = found.0;
    merge_python_default(&mut list);
    Some(list)
}

#[derive(Default)]
struct Found(Vec<Difference>);

impl Found {
    fn add(&mut self, family: &'static str, example: String) {
        if !self.0.iter().any(|d| d.family == family) {
            self.0.push(Difference { family, example });
        }
    }
}

/// Python's defaults are one habit, not two: report them as one family, as users know it
/// (also when one part showed both and the other only the separators).
pub(crate) fn merge_python_default(list: &mut Vec<Difference>) {
    let position = |list: &[Difference], f: &str| list.iter().position(|d| d.family == f);
    if let (Some(s), Some(e)) = (
        position(list, "python_separators"),
        position(list, "unicode_escapes"),
    ) {
        list[s].family = "python_default";
        list[s].example = list[e].example.clone();
        list.remove(e);
    }
    if position(list, "python_default").is_some() {
        list.retain(|d| d.family != "python_separators" && d.family != "unicode_escapes");
    }
}

fn walk(a: &Node, b: &Node, found: &mut Found) -> Option<()> {
    match (a, b) {
        (Node::Object(ma), Node::Object(mb)) => objects(ma, mb, found),
        (Node::Object(ma), Node::Array(items)) if ma.is_empty() && items.is_empty() => {
            found.add("empty_object_as_array", "{} became []".into());
            Some(())
        }
        (Node::Array(ia), Node::Array(ib)) if ia.len() == ib.len() => {
            ia.iter().zip(ib).try_for_each(|(x, y)| walk(x, y, found))
        }
        (Node::Number(x), Node::Number(y)) => number(x, y, found),
        (Node::String(va, ra), Node::String(vb, rb)) if va == vb => {
            if ra != rb {
                strings(ra, rb, found);
            }
            Some(())
        }
        _ => (a == b).then_some(()),
    }
}

type Members<'a> = [(std::borrow::Cow<'a, str>, Node<'a>)];

fn objects(ma: &Members, mb: &Members, found: &mut Found) -> Option<()> {
    // Each key's values on the other side, in order: a key given twice (JSON allows it,
    // and every writer keeps both) pairs its n-th occurrence with the other's n-th, so a
    // text compared with itself is always the same value.
    let mut theirs = Pairing::new(mb);
    let mut kept = Vec::with_capacity(ma.len());
    for (key, value) in ma {
        match theirs.take(key.as_ref()) {
            Some(other) => kept.push((key.as_ref(), value, other)),
            None if *value == Node::Null => {
                found.add("nulls_dropped", format!("\"{key}\":null was left out"))
            }
            None => return None,
        }
    }
    if kept.len() != mb.len() {
        return None;
    }
    let order_a: Vec<&str> = kept.iter().map(|(k, _, _)| *k).collect();
    let order_b: Vec<&str> = mb.iter().map(|(k, _)| k.as_ref()).collect();
    if order_a != order_b {
        let sorted = order_b.windows(2).all(|w| w[0] <= w[1]);
        found.add(
            if sorted {
                "sorted_keys"
            } else {
                "member_order"
            },
            format!("{} became {}", keys_head(&order_a), keys_head(&order_b)),
        );
    }
    kept.into_iter()
        .try_for_each(|(_, value, other)| walk(value, other, found))
}

/// The other side's members, each taken once, in order per key. Objects in callbacks
/// have a handful of members, where a scan beats hashing every key (this runs for each
/// candidate the search compares); a large object gets a map.
enum Pairing<'m, 'a> {
    Scan(&'m Members<'a>, Vec<bool>),
    Map(HashMap<&'m str, VecDeque<&'m Node<'a>>>),
}

impl<'m, 'a> Pairing<'m, 'a> {
    const SCAN_UP_TO: usize = 32;

    fn new(members: &'m Members<'a>) -> Self {
        if members.len() <= Self::SCAN_UP_TO {
            return Pairing::Scan(members, vec![false; members.len()]);
        }
        let mut map: HashMap<&str, VecDeque<&Node>> = HashMap::new();
        for (key, value) in members {
            map.entry(key.as_ref()).or_default().push_back(value);
        }
        Pairing::Map(map)
    }

    /// The first value of `key` not taken yet.
    fn take(&mut self, key: &str) -> Option<&'m Node<'a>> {
        match self {
            Pairing::Scan(members, taken) => {
                let i = (0..members.len()).find(|&i| !taken[i] && members[i].0 == key)?;
                taken[i] = true;
                Some(&members[i].1)
            }
            Pairing::Map(map) => map.get_mut(key).and_then(VecDeque::pop_front),
        }
    }
}

fn keys_head(keys: &[&str]) -> String {
    let head: Vec<&str> = keys.iter().take(3).copied().collect();
    let more = if keys.len() > 3 { ", …" } else { "" };
    format!("`{}{more}`", head.join(", "))
}

/// Two spellings of a number: `None` when their values differ beyond what a double
/// round trip explains.
fn number(x: &str, y: &str, found: &mut Found) -> Option<()> {
    if x == y {
        return Some(());
    }
    let (fx, fy) = (x.parse::<f64>().ok()?, y.parse::<f64>().ok()?);
    if fx != fy {
        return None;
    }
    let (int_x, int_y) = (numbers::is_integer_text(x), numbers::is_integer_text(y));
    let family = if int_x && !exact_integer(x, fx) {
        "number_precision"
    } else if int_x {
        "java_doubles"
    } else if int_y {
        "float_as_integer"
    } else if y.contains('E') {
        "java_doubles"
    } else {
        "number_precision"
    };
    found.add(family, format!("{x} became {y}"));
    Some(())
}

/// Whether an integer's text survives a double unchanged in value.
fn exact_integer(text: &str, f: f64) -> bool {
    match text.parse::<i128>() {
        Ok(n) => (f as i128) == n && f.abs() < 9.007_199_254_740_992e15,
        Err(_) => false,
    }
}

/// Each character of a string's raw text, with the spelling it has there.
fn spelled(raw: &str) -> Vec<(char, &str)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let rest = &raw[i..];
        let (c, len) = if let Some(esc) = rest.strip_prefix('\\') {
            match esc.as_bytes().first() {
                Some(b'u') => unicode_escape(rest),
                Some(&b) => (short_escape(b), 2),
                None => break,
            }
        } else {
            let c = rest.chars().next().unwrap_or('\0');
            (c, c.len_utf8())
        };
        out.push((c, &raw[i..(i + len).min(raw.len())]));
        i += len.max(1);
    }
    out
}

fn short_escape(b: u8) -> char {
    match b {
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        other => other as char,
    }
}

/// A `\uXXXX` escape (two for a surrogate pair): the character and the length of its text.
fn unicode_escape(rest: &str) -> (char, usize) {
    let unit = |s: &str| s.get(2..6).and_then(|h| u32::from_str_radix(h, 16).ok());
    let Some(high) = unit(rest) else {
        return ('\u{fffd}', 2);
    };
    if (0xd800..0xdc00).contains(&high) {
        if let Some(low) = rest
            .get(6..)
            .filter(|r| r.starts_with("\\u"))
            .and_then(unit)
        {
            let c = 0x10000 + ((high - 0xd800) << 10) + (low.wrapping_sub(0xdc00) & 0x3ff);
            return (char::from_u32(c).unwrap_or('\u{fffd}'), 12);
        }
    }
    (char::from_u32(high).unwrap_or('\u{fffd}'), 6)
}

fn strings(ra: &str, rb: &str, found: &mut Found) {
    let (sa, sb) = (spelled(ra), spelled(rb));
    for ((c, a), (_, b)) in sa.iter().zip(&sb) {
        if a == b {
            continue;
        }
        let family = match c {
            '<' | '>' | '&' | '=' | '\'' | '"' => "html_escape",
            '/' => "escaped_slashes",
            c if !c.is_ascii() => "unicode_escapes",
            _ => "control_escapes",
        };
        found.add(family, format!("{a} became {b}"));
    }
}

/// The whitespace habit of a JSON text, judged outside strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    Compact,
    Python,
    Lines,
    Other,
}

pub(crate) fn layout(text: &str) -> Layout {
    let outside = outside_strings(text);
    let trimmed = outside.trim();
    if !trimmed.contains([' ', '\t', '\n', '\r']) {
        Layout::Compact
    } else if trimmed.contains('\n') {
        Layout::Lines
    } else if trimmed
        .replace(", ", ",")
        .replace(": ", ":")
        .contains([' ', '\t'])
    {
        Layout::Other
    } else {
        Layout::Python
    }
}

/// The runs of whitespace outside strings, in order: two texts of the same layout class
/// (both indented, say) may still be indented differently.
fn whitespace(text: &str) -> Vec<String> {
    let outside = outside_strings(text);
    let mut runs = Vec::new();
    let mut run = String::new();
    for c in outside.trim().chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            run.push(c);
        } else if !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    runs
}

/// The text with every string's contents removed (quotes kept), so whitespace and
/// punctuation inside strings do not count as layout.
fn outside_strings(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
                out.push(c);
            }
        } else {
            if c == '"' {
                in_string = true;
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn families(a: &str, b: &str) -> Vec<&'static str> {
        let mut list: Vec<_> = differences(a, b)
            .unwrap()
            .iter()
            .map(|d| d.family)
            .collect();
        list.sort();
        list
    }

    #[test]
    fn names_each_family_once() {
        let body = r#"{"b":114,"a":"x=y/车","n":null,"e":{},"f":67000.0}"#;
        // What Gson writes for this body parsed into a Map (see the corpus for the
        // library's own output): doubles, HTML-safe escapes, nulls dropped.
        let gson = r#"{"b":114.0,"a":"x\u003dy/车","e":{},"f":67000.0}"#;
        assert_eq!(
            families(body, gson),
            ["html_escape", "java_doubles", "nulls_dropped"]
        );
        let php = r#"{"b":114,"a":"x=y\/\u8f66","n":null,"e":[],"f":67000.0}"#;
        assert_eq!(
            families(body, php),
            [
                "empty_object_as_array",
                "escaped_slashes",
                "unicode_escapes"
            ]
        );
        let python = r#"{"b": 114, "a": "x=y/\u8f66", "n": null, "e": {}, "f": 67000.0}"#;
        assert_eq!(families(body, python), ["python_default"]);
        let go = r#"{"a":"x=y/车","b":114,"e":{},"f":67000,"n":null}"#;
        assert_eq!(families(body, go), ["float_as_integer", "sorted_keys"]);
    }

    #[test]
    fn different_values_are_not_comparable() {
        assert!(differences(r#"{"a":1}"#, r#"{"a":2}"#).is_none());
        assert!(differences(r#"{"a":"x"}"#, r#"{"a":"y"}"#).is_none());
        assert!(differences(r#"{"a":1}"#, r#"{"b":1}"#).is_none());
        assert_eq!(differences(r#"{"a":1}"#, r#"{"a":1}"#), Some(vec![]));
    }

    #[test]
    fn a_repeated_key_pairs_occurrence_by_occurrence() {
        // Found by the minify fuzz target (fuzz/regressions/minify-duplicate-key.json):
        // a text with a key given twice did not compare equal to itself.
        let body = r#"{"c":{"":-1.5,"m":"x","":2}}"#;
        assert_eq!(differences(body, body), Some(vec![]));
        let sorted = r#"{"c":{"":-1.5,"":2,"m":"x"}}"#;
        assert_eq!(families(body, sorted), ["sorted_keys"]);
        assert!(differences(body, r#"{"c":{"":2,"m":"x","":-1.5}}"#).is_none());
        assert!(differences(body, r#"{"c":{"":-1.5,"m":"x"}}"#).is_none());
    }

    #[test]
    fn layouts() {
        assert_eq!(layout(r#"{"a":"x y","b":[1,2]}"#), Layout::Compact);
        assert_eq!(layout(r#"{"a": "x", "b": [1, 2]}"#), Layout::Python);
        assert_eq!(layout("{\n  \"a\" : 1\n}"), Layout::Lines);
    }
}
