//! A fast path for [`TopLevel::parse`](super::TopLevel::parse): the members of one
//! compact JSON object, validated, as raw text.
//!
//! Verifying a stream spends most of its time outside SHA-1 validating JSON, and the
//! maintained parsers walk strings a byte or a call at a time. Counted with callgrind on
//! typical 1 KB callbacks: serde_json takes ~13,400 instructions a line inside `verify`
//! and this scan ~8,400; in a separate harness collecting the same members, sonic-rs
//! (built without `-C target-cpu=native`) took ~13,100 and jiter ~15,700. The scan
//! finds every quote of the text first, eight bytes at a time, then walks the structure
//! stepping over each string in one step.
//!
//! It is a shortcut, never the judge. It gives up (`None`) on anything outside the
//! common case (a backslash or a control character anywhere, deep nesting, a repeated
//! key) and on anything invalid, and the caller then asks serde_json, which decides and
//! words the error. Everything it accepts, serde_json accepts with the same members:
//! the property tests below hold it to that.

/// Nesting deeper than this (below the top level) is left to serde_json, which stops
/// at 128; the open containers are bits of one `u64`.
const MAX_DEPTH: usize = 63;

const ONES: u64 = 0x0101_0101_0101_0101;
const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const HIGH: u64 = !LOW7;

/// The top-level members of `text`, which must be one JSON object and nothing else,
/// as (key, raw value) in source order; `None` when the fast path does not apply.
pub(crate) fn members(text: &str) -> Option<Vec<(&str, &str)>> {
    // The quotes of a text up to 2 KiB (most callbacks) fit on the stack.
    let blocks = text.len() / 64 + 1;
    let (mut short, mut long) = ([0u64; 32], Vec::new());
    let words = if blocks <= short.len() {
        &mut short[..blocks]
    } else {
        long.resize(blocks, 0);
        &mut long[..]
    };
    let quotes = Quotes::find(text.as_bytes(), words)?;
    let mut scan = Scan {
        bytes: text.as_bytes(),
        at: 0,
        quotes,
    };
    scan.spaces();
    scan.expect(b'{')?;
    let mut members: Vec<(&str, &str)> = Vec::with_capacity(8);
    scan.spaces();
    if !scan.eat(b'}') {
        loop {
            scan.spaces();
            let key = scan.string()?;
            let key = &text[key.start + 1..key.end - 1];
            if members.iter().any(|(k, _)| *k == key) {
                return None;
            }
            scan.spaces();
            scan.expect(b':')?;
            scan.spaces();
            let start = scan.at;
            scan.value()?;
            members.push((key, &text[start..scan.at]));
            scan.spaces();
            match scan.next()? {
                b',' => {}
                b'}' => break,
                _ => return None,
            }
        }
    }
    scan.spaces();
    (scan.at == text.len()).then_some(members)
}

/// Where the quotes are: bit `i % 64` of word `i / 64` is set when byte `i` is `"`.
struct Quotes<'w>(&'w [u64]);

impl<'w> Quotes<'w> {
    /// Fills `words` (one for every 64 bytes, and one more). `None` when the text holds
    /// a backslash or a control character: then a quote may be escaped, or a string may
    /// hold a byte JSON forbids, which is for the full parser to sort out.
    fn find(bytes: &[u8], words: &'w mut [u64]) -> Option<Quotes<'w>> {
        // One pass the compiler vectorizes; most texts have neither.
        let unusual = bytes
            .iter()
            .fold(false, |seen, &b| seen | (b < 0x20) | (b == b'\\'));
        if unusual {
            return None;
        }
        let mut blocks = bytes.chunks_exact(64);
        for (word, block) in words.iter_mut().zip(&mut blocks) {
            *word = block_quotes(block.try_into().unwrap_or(&[0; 64]));
        }
        let mut last = [b' '; 64];
        last[..blocks.remainder().len()].copy_from_slice(blocks.remainder());
        *words.last_mut()? = block_quotes(&last);
        Some(Quotes(words))
    }

    /// The position of the first quote after `from`, if any.
    fn after(&self, from: usize) -> Option<usize> {
        let start = from + 1;
        let mut word = start / 64;
        let mut bits = *self.0.get(word)? & (!0u64 << (start % 64));
        while bits == 0 {
            word += 1;
            bits = *self.0.get(word)?;
        }
        Some(word * 64 + bits.trailing_zeros() as usize)
    }
}

/// The quotes of 64 bytes: bit `i` for byte `i`.
fn block_quotes(block: &[u8; 64]) -> u64 {
    let mut quotes = 0u64;
    for (k, chunk) in block.chunks_exact(8).enumerate() {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        quotes |= gather(zero_bytes(word ^ (ONES * u64::from(b'"')))) << (8 * k);
    }
    quotes
}

/// The high bit of every byte of `word` that is zero, exactly: the low seven bits are
/// added to 0x7f, so no carry reaches the next byte.
fn zero_bytes(word: u64) -> u64 {
    !(((word & LOW7) + LOW7) | word) & HIGH
}

/// Eight high bits (one a byte) to the low eight bits, byte `i` to bit `i`.
fn gather(high_bits: u64) -> u64 {
    (high_bits >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

struct Scan<'a> {
    bytes: &'a [u8],
    at: usize,
    quotes: Quotes<'a>,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.at += 1;
        Some(byte)
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        self.at += usize::from(found);
        found
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.eat(byte).then_some(())
    }

    /// Only spaces: the text holds no tab, CR or LF (see [`Quotes::find`]).
    fn spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.at += 1;
        }
    }

    /// A string here, quotes included. Its content needs no check: the text is UTF-8
    /// (checked before) and holds no backslash and no control character.
    fn string(&mut self) -> Option<std::ops::Range<usize>> {
        if self.peek() != Some(b'"') {
            return None;
        }
        let start = self.at;
        self.at = self.quotes.after(start)? + 1;
        Some(start..self.at)
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, as serde_json reads it.
    fn number(&mut self) -> Option<()> {
        self.eat(b'-');
        match self.next()? {
            b'0' => {}
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        if self.eat(b'.') && self.digits() == 0 {
            return None;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        // A digit right after a number (`01`) is not part of it: invalid.
        (!matches!(self.peek(), Some(b'0'..=b'9'))).then_some(())
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let found = self.bytes[self.at..].starts_with(word);
        self.at += if found { word.len() } else { 0 };
        found.then_some(())
    }

    /// Steps over one value of any depth. Containers are walked in a loop rather than
    /// by recursion, the open ones kept as bits (1 for an object, 0 for an array).
    fn value(&mut self) -> Option<()> {
        let mut open = 0u64;
        let mut depth = 0;
        loop {
            // A value starts here.
            match self.peek()? {
                b'"' => {
                    self.string()?;
                }
                b'{' | b'[' => {
                    let object = self.next()? == b'{';
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return None;
                    }
                    open = open << 1 | u64::from(object);
                    self.spaces();
                    let close = if object { b'}' } else { b']' };
                    if !self.eat(close) {
                        if object {
                            self.key()?;
                        }
                        continue;
                    }
                    depth -= 1;
                    open >>= 1;
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                _ => self.number()?,
            }
            // After a value: the next one of the container, or its end (maybe several).
            loop {
                if depth == 0 {
                    return Some(());
                }
                self.spaces();
                let object = open & 1 == 1;
                match (self.next()?, object) {
                    (b',', true) => {
                        self.spaces();
                        self.key()?;
                        break;
                    }
                    (b',', false) => {
                        self.spaces();
                        break;
                    }
                    (b'}', true) | (b']', false) => {
                        depth -= 1;
                        open >>= 1;
                    }
                    _ => return None,
                }
            }
        }
    }

    /// A member's key and colon, up to the value.
    fn key(&mut self) -> Option<()> {
        self.string()?;
        self.spaces();
        self.expect(b':')?;
        self.spaces();
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value;

    /// What serde_json makes of `text`, as the members the scan would give.
    fn serde(text: &str) -> Option<Vec<(String, String)>> {
        let members = serde_json::from_str::<super::super::Members>(text).ok()?.0;
        Some(
            members
                .into_iter()
                .map(|(k, v)| (k.into_owned(), v.to_string()))
                .collect(),
        )
    }

    fn scan(text: &str) -> Option<Vec<(String, String)>> {
        members(text).map(|m| {
            m.into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "[ -~]{0,12}|[\u{4e00}-\u{4e20}·]{0,6}".prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map("[a-zA-Z]{0,8}", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn json_object() -> impl Strategy<Value = String> {
        (
            prop::collection::btree_map("[a-zA-Z]{0,8}", json_value(), 0..8),
            any::<bool>(),
        )
            .prop_map(|(m, pretty_spaces)| {
                let text = Value::Object(m.into_iter().collect()).to_string();
                if pretty_spaces {
                    // Spaces around punctuation outside strings (inside strings too,
                    // which changes them but keeps them valid).
                    text.replace(',', " , ")
                        .replace(':', " : ")
                        .replace('{', "{ ")
                } else {
                    text
                }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// On valid objects without backslashes the scan applies and agrees.
        #[test]
        fn valid_objects_scan_as_serde_json_reads_them(text in json_object()) {
            let expected = serde(&text);
            prop_assert!(expected.is_some(), "{text}");
            if text.contains('\\') {
                prop_assert_eq!(scan(&text), None);
            } else {
                prop_assert_eq!(scan(&text), expected, "{}", text);
            }
        }

        /// Whatever an edit breaks, the scan never accepts what serde_json rejects, and
        /// what it accepts it reads the same.
        #[test]
        fn edited_objects_are_never_accepted_wrongly(
            text in json_object(),
            at in any::<prop::sample::Index>(),
            edit in 0..3u8,
            byte in prop::sample::select(b"{}[],:\" 0123456789-+.eEtrufalsn\\x\t".to_vec()),
        ) {
            let mut bytes = text.into_bytes();
            let at = at.index(bytes.len() + 1);
            match edit {
                0 => bytes.insert(at, byte),
                1 if at < bytes.len() => { bytes.remove(at); }
                _ if at < bytes.len() => bytes[at] = byte,
                _ => bytes.push(byte),
            }
            let Ok(text) = String::from_utf8(bytes) else { return Ok(()) };
            if let Some(found) = scan(&text) {
                prop_assert_eq!(Some(found), serde(&text), "{}", text);
            }
        }
    }

    #[test]
    fn gives_up_on_what_it_leaves_to_serde_json() {
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(64), "]".repeat(64));
        for text in [
            r#"{"a":01}"#,
            r#"{"a":1.}"#,
            r#"{"a":-}"#,
            r#"{"a":1e}"#,
            r#"{"a":[1,]}"#,
            r#"{"a":{"b":1,}}"#,
            r#"{"a":tru}"#,
            r#"{"a":1}x"#,
            r#"{"a":1,"a":2}"#,
            r#"{"a":"x\"y"}"#,
            "{\"a\":\"\u{1}\"}",
            "{\"a\":\n1}",
            r#"{"a":"unterminated}"#,
            r#"{"a" 1}"#,
            r#"[1]"#,
            "",
            &deep,
        ] {
            assert_eq!(scan(text), None, "{text}");
        }
        let shallow = format!("{{\"a\":{}1{}}}", "[".repeat(62), "]".repeat(62));
        assert_eq!(scan(&shallow), serde(&shallow));
    }

    #[test]
    fn reads_members_as_raw_text() {
        let text = r#" { "a" : {"x": 1.5e-3 , "y":[true,false,null,"京A·1"]}, "b":"s","" :-0 } "#;
        assert_eq!(
            scan(text).unwrap(),
            [
                (
                    "a".to_string(),
                    r#"{"x": 1.5e-3 , "y":[true,false,null,"京A·1"]}"#.to_string()
                ),
                ("b".to_string(), r#""s""#.to_string()),
                (String::new(), "-0".to_string()),
            ]
        );
        assert_eq!(scan(text), serde(text));
        assert_eq!(scan("{}"), Some(vec![]));
        // A quote in the last bytes, past the last whole block of 64.
        let long = format!("{{\"k\":\"{}\"}}", "v".repeat(120));
        assert_eq!(scan(&long), serde(&long));
    }
}
