//! Writes a parsed JSON value the way other languages' serializers would, so that the
//! diagnosis can reproduce a signature computed over re-serialized JSON.

use serde_json::{Map, Number, Value};

/// How object members and array items are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `{"a":1,"b":2}`: Java fastjson, JavaScript, Go, PHP.
    Compact,
    /// `{"a": 1, "b": 2}`: Python's `json.dumps` default.
    PythonSpaced,
    /// Indented by this many spaces, `": "` after keys (JSON.stringify / json.dumps with indent).
    Pretty(usize),
}

/// One serializer's habits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub sort_keys: bool,
    pub layout: Layout,
    /// Non-ASCII written as `\uXXXX` (Python `ensure_ascii`, PHP's default).
    pub ascii_only: bool,
    /// `/` written as `\/` (PHP's default).
    pub escape_slashes: bool,
    /// Integral floats such as `67000.0` written as `67000` (JavaScript, Go, PHP).
    pub integral_floats_as_integers: bool,
}

pub fn write(value: &Value, style: &Style) -> String {
    let mut out = String::new();
    write_value(&mut out, value, style, 0);
    out
}

fn write_value(out: &mut String, value: &Value, style: &Style, depth: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(out, n, style),
        Value::String(s) => write_string(out, s, style),
        Value::Array(items) => {
            write_container(out, '[', ']', items.len(), style, depth, |out, i| {
                write_value(out, &items[i], style, depth + 1)
            })
        }
        Value::Object(map) => write_object(out, map, style, depth),
    }
}

fn write_object(out: &mut String, map: &Map<String, Value>, style: &Style, depth: usize) {
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    if style.sort_keys {
        entries.sort_by(|a, b| a.0.cmp(b.0));
    }
    let colon = match style.layout {
        Layout::Compact => ":",
        _ => ": ",
    };
    write_container(out, '{', '}', entries.len(), style, depth, |out, i| {
        write_string(out, entries[i].0, style);
        out.push_str(colon);
        write_value(out, entries[i].1, style, depth + 1);
    });
}

fn write_container(
    out: &mut String,
    open: char,
    close: char,
    len: usize,
    style: &Style,
    depth: usize,
    mut item: impl FnMut(&mut String, usize),
) {
    out.push(open);
    if len == 0 {
        out.push(close);
        return;
    }
    for i in 0..len {
        if i > 0 {
            out.push_str(match style.layout {
                Layout::PythonSpaced => ", ",
                _ => ",",
            });
        }
        if let Layout::Pretty(indent) = style.layout {
            newline(out, indent * (depth + 1));
        }
        item(out, i);
    }
    if let Layout::Pretty(indent) = style.layout {
        newline(out, indent * depth);
    }
    out.push(close);
}

fn newline(out: &mut String, spaces: usize) {
    out.push('\n');
    out.extend(std::iter::repeat_n(' ', spaces));
}

fn write_number(out: &mut String, n: &Number, style: &Style) {
    if style.integral_floats_as_integers {
        if let Some(f) = n.as_f64().filter(|_| n.is_f64()) {
            if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
                out.push_str(&format!("{}", f as i64));
                return;
            }
        }
    }
    out.push_str(&n.to_string());
}

fn write_string(out: &mut String, s: &str, style: &Style) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '/' if style.escape_slashes => out.push_str("\\/"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if style.ascii_only && !c.is_ascii() => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style(layout: Layout) -> Style {
        Style {
            sort_keys: false,
            layout,
            ascii_only: false,
            escape_slashes: false,
            integral_floats_as_integers: false,
        }
    }

    // Expected strings: python3 -c 'import json; print(json.dumps(v, ...))' with the
    // matching options, and node -e 'JSON.stringify(v)'.
    #[test]
    fn matches_other_serializers() {
        let v: Value =
            serde_json::from_str(r#"{"b":67000.0,"a":["车/x",{}],"c":{"d":null}}"#).unwrap();
        assert_eq!(
            write(&v, &style(Layout::PythonSpaced)),
            r#"{"b": 67000.0, "a": ["车/x", {}], "c": {"d": null}}"#
        );
        let python_default = Style {
            ascii_only: true,
            ..style(Layout::PythonSpaced)
        };
        assert_eq!(
            write(&v, &python_default),
            r#"{"b": 67000.0, "a": ["\u8f66/x", {}], "c": {"d": null}}"#
        );
        let php = Style {
            ascii_only: true,
            escape_slashes: true,
            ..style(Layout::Compact)
        };
        assert_eq!(
            write(&v, &php),
            r#"{"b":67000.0,"a":["\u8f66\/x",{}],"c":{"d":null}}"#
        );
        let js_sorted = Style {
            sort_keys: true,
            integral_floats_as_integers: true,
            ..style(Layout::Compact)
        };
        assert_eq!(
            write(&v, &js_sorted),
            r#"{"a":["车/x",{}],"b":67000,"c":{"d":null}}"#
        );
        assert_eq!(
            write(&v, &style(Layout::Pretty(2))),
            "{\n  \"b\": 67000.0,\n  \"a\": [\n    \"车/x\",\n    {}\n  ],\n  \"c\": {\n    \"d\": null\n  }\n}"
        );
    }

    #[test]
    fn astral_characters_become_surrogate_pairs() {
        let v = Value::String("😀".into());
        let s = Style {
            ascii_only: true,
            ..style(Layout::Compact)
        };
        assert_eq!(write(&v, &s), r#""\ud83d\ude00""#);
    }
}
