//! A JSON value tree that keeps the source text of every number and string.
//!
//! serde_json's `Value` forgets how a number was spelled (`114` and `114.0` become the
//! same kind of thing only sometimes, and integers past u64 turn into floats), and the
//! diagnosis needs exactly that spelling: it is what a re-serializer changes. So this is a
//! small hand-written parser, used only on texts that are already known to be JSON (the
//! members of a validated body) or on a user's signed string, where a parse failure just
//! means "not comparable".

use std::borrow::Cow;

/// One JSON value, borrowing its source text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node<'a> {
    Null,
    Bool(bool),
    /// The number's text exactly as written.
    Number(&'a str),
    /// The decoded value and the text between the quotes as written.
    String(Cow<'a, str>, &'a str),
    Array(Vec<Node<'a>>),
    /// Members in source order: decoded key, and value.
    Object(Vec<(Cow<'a, str>, Node<'a>)>),
}

/// Parses one whole JSON text (surrounding whitespace allowed).
pub(crate) fn parse(text: &str) -> Option<Node<'_>> {
    let (node, end) = parse_prefix(text, 0)?;
    text[end..]
        .bytes()
        .all(|b| b.is_ascii_whitespace())
        .then_some(node)
}

/// Parses the JSON value that starts at byte `from` (after optional whitespace) and
/// returns it with the offset just past its end.
pub(crate) fn parse_prefix(text: &str, from: usize) -> Option<(Node<'_>, usize)> {
    let mut p = Parser { text, pos: from };
    let node = p.value(0)?;
    Some((node, p.pos))
}

/// Deeper nesting than this is refused: a user's string could otherwise overflow the stack.
const MAX_DEPTH: usize = 128;

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    fn skip_ws(&mut self) {
        while self
            .bytes()
            .get(self.pos)
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_ws();
        if self.bytes().get(self.pos) == Some(&byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Option<Node<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_ws();
        match *self.bytes().get(self.pos)? {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => {
                let (value, raw) = self.string()?;
                Some(Node::String(value, raw))
            }
            b'n' => self.literal("null", Node::Null),
            b't' => self.literal("true", Node::Bool(true)),
            b'f' => self.literal("false", Node::Bool(false)),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn literal(&mut self, word: &str, node: Node<'a>) -> Option<Node<'a>> {
        self.text[self.pos..].starts_with(word).then(|| {
            self.pos += word.len();
            node
        })
    }

    fn number(&mut self) -> Option<Node<'a>> {
        let start = self.pos;
        while self
            .bytes()
            .get(self.pos)
            .is_some_and(|b| matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
        {
            self.pos += 1;
        }
        let text = &self.text[start..self.pos];
        // serde_json checks the grammar; the parser only needs the extent.
        serde_json::from_str::<serde_json::Number>(text).ok()?;
        Some(Node::Number(text))
    }

    fn string(&mut self) -> Option<(Cow<'a, str>, &'a str)> {
        let start = self.pos + 1;
        let mut i = start;
        let bytes = self.bytes();
        let mut escaped = false;
        loop {
            match *bytes.get(i)? {
                b'\\' => {
                    escaped = true;
                    i += 2;
                }
                b'"' => break,
                b if b < 0x20 => return None,
                _ => i += 1,
            }
        }
        let raw = &self.text[start..i];
        self.pos = i + 1;
        let value = if escaped {
            Cow::Owned(serde_json::from_str::<String>(&self.text[start - 1..=i]).ok()?)
        } else {
            Cow::Borrowed(raw)
        };
        Some((value, raw))
    }

    fn array(&mut self, depth: usize) -> Option<Node<'a>> {
        self.pos += 1;
        let mut items = Vec::new();
        if self.eat(b']') {
            return Some(Node::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            if self.eat(b']') {
                return Some(Node::Array(items));
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    fn object(&mut self, depth: usize) -> Option<Node<'a>> {
        self.pos += 1;
        let mut members = Vec::new();
        if self.eat(b'}') {
            return Some(Node::Object(members));
        }
        loop {
            self.skip_ws();
            if self.bytes().get(self.pos) != Some(&b'"') {
                return None;
            }
            let (key, _) = self.string()?;
            if !self.eat(b':') {
                return None;
            }
            members.push((key, self.value(depth + 1)?));
            if self.eat(b'}') {
                return Some(Node::Object(members));
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_spelling_and_order() {
        let node = parse(r#" {"b": 114.0, "a": ["\u8f66", null, {}], "c": 1E3} "#).unwrap();
        let Node::Object(members) = node else {
            panic!("not an object")
        };
        assert_eq!(members[0], ("b".into(), Node::Number("114.0")));
        assert_eq!(members[2], ("c".into(), Node::Number("1E3")));
        let Node::Array(items) = &members[1].1 else {
            panic!("not an array")
        };
        assert_eq!(items[0], Node::String("车".into(), "\\u8f66"));
    }

    #[test]
    fn refuses_what_is_not_json() {
        for text in ["{a:1}", "[1,]", "{\"a\":1", "01x", "[1] 2", "\"\n\""] {
            assert!(parse(text).is_none(), "{text}");
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(parse(&deep).is_none());
    }

    #[test]
    fn prefix_reports_where_the_value_ends() {
        let text = "abc{\"x\":[1]}tail";
        let (node, end) = parse_prefix(text, 3).unwrap();
        assert!(matches!(node, Node::Object(_)));
        assert_eq!(&text[end..], "tail");
    }
}
