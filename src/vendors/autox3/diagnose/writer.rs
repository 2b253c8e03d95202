//! Writes a JSON tree the way another language's serializer would.
//!
//! A serializer is a point in a space of independent choices (member order, whitespace,
//! number spelling, string escaping, nulls, empty containers): [`Style`]. Library
//! profiles (`profiles.rs`) are named points in it, and the search also walks a bounded
//! product of the choices, so an unnamed library's habits are still found. Hand-written
//! because the aim is other runtimes' exact bytes, which no Rust serializer promises.

use std::fmt::Write;

use super::numbers;
use super::tree::Node;

/// The order object members are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Order {
    Source,
    /// By key (Go maps, Jackson `ORDER_MAP_ENTRIES_BY_KEYS`, Python `sort_keys`).
    Sorted,
    /// Integer-like keys first, ascending, then the rest in source order (JavaScript objects).
    IntegerKeysFirst,
}

/// Whitespace between tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Space {
    /// `{"a":1,"b":[1,2]}`.
    Compact,
    /// `{"a": 1, "b": [1, 2]}`: Python's `json.dumps` default.
    Python,
    /// One member or item a line, indented, `": "` (JSON.stringify, json.dumps, Gson,
    /// Go `MarshalIndent`, PHP `JSON_PRETTY_PRINT`).
    Indented(u8),
    /// Jackson's `DefaultPrettyPrinter`: `"a" : 1`, arrays inline as `[ 1, 2 ]`, empty
    /// containers as `{ }` and `[ ]`.
    Jackson,
}

/// How numbers are spelled after parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Numbers {
    Source,
    /// Every number through a double, written as JavaScript and Go do (`67000.0` → `67000`).
    Js,
    /// Every number a Java `Double` (Gson into a `Map`): `114` → `114.0`.
    JavaAll,
    /// Fractions and exponents through `Double.toString` (Jackson), integers kept.
    JavaFloats,
    /// Fractions and exponents through Python's float `repr`, integers kept.
    PythonFloats,
}

/// Which characters are escaped as HTML-unsafe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Html {
    None,
    /// `< > & = '` (Gson's default `htmlSafe`).
    Gson,
    /// `< > &` (Go's encoding/json).
    Go,
    /// `< > & ' "` (PHP's `JSON_HEX_TAG | JSON_HEX_AMP | JSON_HEX_APOS | JSON_HEX_QUOT`).
    Php,
}

/// How strings are escaped beyond what JSON requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Escapes {
    /// Non-ASCII as `\uXXXX` (Python `ensure_ascii`, PHP, ujson).
    pub(crate) non_ascii: bool,
    pub(crate) html: Html,
    /// `/` as `\/` (PHP, ujson).
    pub(crate) slash: bool,
    /// `\u003C` rather than `\u003c`.
    pub(crate) upper_hex: bool,
}

/// One serializer's habits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Style {
    pub(crate) order: Order,
    pub(crate) space: Space,
    pub(crate) numbers: Numbers,
    pub(crate) escapes: Escapes,
    /// Object members whose value is null are left out (Gson's default).
    pub(crate) drop_nulls: bool,
    /// `{}` written as `[]` (PHP's `json_decode($body, true)`).
    pub(crate) empty_object_as_array: bool,
}

impl Style {
    /// The plain style: what JavaScript or Jackson write for a parsed value.
    pub(crate) const PLAIN: Style = Style {
        order: Order::Source,
        space: Space::Compact,
        numbers: Numbers::Source,
        escapes: Escapes {
            non_ascii: false,
            html: Html::None,
            slash: false,
            upper_hex: false,
        },
        drop_nulls: false,
        empty_object_as_array: false,
    };
}

pub(crate) fn write(node: &Node, style: &Style) -> String {
    let mut out = String::new();
    Writer {
        style,
        out: &mut out,
    }
    .value(node, 0);
    out
}

struct Writer<'s, 'o> {
    style: &'s Style,
    out: &'o mut String,
}

impl Writer<'_, '_> {
    fn value(&mut self, node: &Node, depth: usize) {
        match node {
            Node::Null => self.out.push_str("null"),
            Node::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Node::Number(text) => self.number(text),
            Node::String(value, _) => self.string(value),
            Node::Array(items) => self.array(items, depth),
            Node::Object(members) => self.object(members, depth),
        }
    }

    fn number(&mut self, text: &str) {
        let as_double = || text.parse::<f64>().ok();
        let integer = numbers::is_integer_text(text);
        let spelled = match self.style.numbers {
            Numbers::Source => None,
            Numbers::Js => as_double().map(numbers::js_number),
            Numbers::JavaAll => as_double().map(numbers::java_double),
            Numbers::JavaFloats if !integer => as_double().map(numbers::java_double),
            Numbers::PythonFloats if !integer => as_double().map(numbers::python_float),
            Numbers::JavaFloats | Numbers::PythonFloats => None,
        };
        self.out.push_str(spelled.as_deref().unwrap_or(text));
    }

    fn string(&mut self, s: &str) {
        let e = self.style.escapes;
        self.out.push('"');
        for c in s.chars() {
            let html = match e.html {
                Html::None => false,
                Html::Gson => matches!(c, '<' | '>' | '&' | '=' | '\''),
                Html::Go => matches!(c, '<' | '>' | '&'),
                Html::Php => matches!(c, '<' | '>' | '&' | '\'' | '"'),
            };
            match c {
                '"' if !html => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                '\r' => self.out.push_str("\\r"),
                '\t' => self.out.push_str("\\t"),
                '\u{8}' => self.out.push_str("\\b"),
                '\u{c}' => self.out.push_str("\\f"),
                '/' if e.slash => self.out.push_str("\\/"),
                '\u{2028}' | '\u{2029}' if e.html != Html::None => self.unicode(c),
                c if (c as u32) < 0x20 || html || (e.non_ascii && !c.is_ascii()) => self.unicode(c),
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }

    fn unicode(&mut self, c: char) {
        let mut units = [0u16; 2];
        for unit in c.encode_utf16(&mut units) {
            let _ = if self.style.escapes.upper_hex {
                write!(self.out, "\\u{unit:04X}")
            } else {
                write!(self.out, "\\u{unit:04x}")
            };
        }
    }

    fn array(&mut self, items: &[Node], depth: usize) {
        if items.is_empty() {
            self.out.push_str(if self.style.space == Space::Jackson {
                "[ ]"
            } else {
                "[]"
            });
            return;
        }
        self.out.push('[');
        // Jackson's arrays are inline: they add no indentation level.
        let inner = if self.style.space == Space::Jackson {
            depth
        } else {
            depth + 1
        };
        for (i, item) in items.iter().enumerate() {
            self.separator(i, inner, true);
            self.value(item, inner);
        }
        self.close(']', depth, true);
    }

    fn object(&mut self, members: &[(std::borrow::Cow<str>, Node)], depth: usize) {
        let mut entries: Vec<&(std::borrow::Cow<str>, Node)> = members
            .iter()
            .filter(|(_, v)| !(self.style.drop_nulls && *v == Node::Null))
            .collect();
        match self.style.order {
            Order::Source => {}
            Order::Sorted => entries.sort_by(|a, b| a.0.cmp(&b.0)),
            Order::IntegerKeysFirst => {
                entries.sort_by_key(|(k, _)| array_index(k).map_or((1, 0), |n| (0, n)))
            }
        }
        if entries.is_empty() {
            self.out
                .push_str(match (self.style.empty_object_as_array, self.style.space) {
                    (true, Space::Jackson) => "[ ]",
                    (true, _) => "[]",
                    (false, Space::Jackson) => "{ }",
                    (false, _) => "{}",
                });
            return;
        }
        self.out.push('{');
        for (i, (key, value)) in entries.iter().enumerate() {
            self.separator(i, depth + 1, false);
            self.string(key);
            self.out.push_str(match self.style.space {
                Space::Compact => ":",
                Space::Jackson => " : ",
                _ => ": ",
            });
            self.value(value, depth + 1);
        }
        self.close('}', depth, false);
    }

    /// What comes before item `i` of a container whose items sit at `depth`.
    fn separator(&mut self, i: usize, depth: usize, in_array: bool) {
        if i > 0 {
            self.out.push(',');
        }
        match self.style.space {
            Space::Compact => {}
            Space::Python if i > 0 => self.out.push(' '),
            Space::Python => {}
            Space::Jackson if in_array => self.out.push(' '),
            Space::Jackson => self.newline(2 * depth),
            Space::Indented(n) => self.newline(n as usize * depth),
        }
    }

    fn close(&mut self, bracket: char, depth: usize, in_array: bool) {
        match self.style.space {
            Space::Compact | Space::Python => {}
            Space::Jackson if in_array => self.out.push(' '),
            Space::Jackson => self.newline(2 * depth),
            Space::Indented(n) => self.newline(n as usize * depth),
        }
        self.out.push(bracket);
    }

    fn newline(&mut self, spaces: usize) {
        // Indents are short: one copy from a run of spaces, not a char at a time (this
        // runs for every line of every indented candidate the search writes).
        const SPACES: &str = "                                                                ";
        self.out.push('\n');
        let mut left = spaces;
        while left > 0 {
            let n = left.min(SPACES.len());
            self.out.push_str(&SPACES[..n]);
            left -= n;
        }
    }
}

/// A key that JavaScript treats as an array index, and so orders first.
fn array_index(key: &str) -> Option<u64> {
    let canonical = key == "0" || (!key.starts_with('0') && !key.is_empty());
    if !canonical || !key.bytes().all(|b| b.is_ascii_digit()) || key.len() > 10 {
        return None;
    }
    key.parse::<u64>().ok().filter(|&n| n < u64::from(u32::MAX))
}
