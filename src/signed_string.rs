//! The exact bytes a signature covers, with the secret's position known so that the
//! string can be shown to a user without revealing the secret.

use std::ops::Range;

use crate::secret::placeholder;

/// Bytes that are hashed or signed, and where (if anywhere) the secret sits in them.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedString {
    bytes: Vec<u8>,
    secret: Option<Range<usize>>,
    /// The vendor's name for the secret, in its placeholder (see [`SignedString::shown_as`]).
    label: &'static str,
}

impl SignedString {
    pub fn public(bytes: Vec<u8>) -> Self {
        SignedString {
            bytes,
            secret: None,
            label: "secret",
        }
    }

    /// Builds a string from parts, one of which may be the secret.
    pub(crate) fn from_parts(parts: &[Part]) -> Self {
        let total = parts
            .iter()
            .map(|p| match p {
                Part::Text(t) | Part::Secret(t) => t.len(),
            })
            .sum();
        let mut bytes = Vec::with_capacity(total);
        let mut secret = None;
        for part in parts {
            match part {
                Part::Text(t) => bytes.extend_from_slice(t),
                Part::Secret(s) => {
                    secret = Some(bytes.len()..bytes.len() + s.len());
                    bytes.extend_from_slice(s);
                }
            }
        }
        SignedString {
            bytes,
            secret,
            label: "secret",
        }
    }

    /// The same string, its secret shown under the vendor's name for it (`appSecret`).
    pub(crate) fn shown_as(mut self, label: &'static str) -> Self {
        self.label = label;
        self
    }

    pub(crate) fn secret_label(&self) -> &'static str {
        self.label
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub(crate) fn secret_range(&self) -> Option<Range<usize>> {
        self.secret.clone()
    }

    /// The string for a person to read, the secret replaced by a placeholder naming its
    /// length and every invisible character made visible (see [`visible`]).
    pub(crate) fn visible(&self) -> String {
        self.render(visible)
    }

    /// The exact string, the secret replaced by its placeholder: for JSON reports, whose
    /// own escaping keeps every character. Invalid UTF-8 becomes U+FFFD.
    pub(crate) fn text(&self) -> String {
        self.render(|bytes| String::from_utf8_lossy(bytes).into_owned())
    }

    fn render(&self, show: impl Fn(&[u8]) -> String) -> String {
        match &self.secret {
            None => show(&self.bytes),
            Some(r) => format!(
                "{}{}{}",
                show(&self.bytes[..r.start]),
                placeholder(self.label, r.len()),
                show(&self.bytes[r.end..])
            ),
        }
    }
}

impl std::fmt::Debug for SignedString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.visible())
    }
}

/// A piece of a signed string.
pub(crate) enum Part<'p> {
    Text(&'p [u8]),
    Secret(&'p [u8]),
}

/// Shows bytes so that everything that could hide a difference is seen, without
/// changing what is already visible: text (any script) and backslashes stay as they are,
/// so a JSON escape such as `\n` or `\u68a6` in the signed text reads exactly as sent.
/// Line feed, carriage return and tab become the Unicode control pictures `␊` `␍` `␉`;
/// other control and invisible characters (zero-width, no-break and wide spaces, BOM,
/// bidirectional marks) become `⟨U+200B⟩`; invalid UTF-8 bytes become `⟨0xFF⟩`.
pub(crate) fn visible(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\n' => out.push('␊'),
                '\r' => out.push('␍'),
                '\t' => out.push('␉'),
                // A control picture in the text itself would read as the character it
                // pictures; name it instead.
                c if is_invisible(c) || ('\u{2400}'..='\u{2426}').contains(&c) => {
                    out.push_str(&format!("⟨U+{:04X}⟩", c as u32))
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("⟨0x{b:02X}⟩"));
        }
    }
    out
}

/// Characters that print as nothing or as an ordinary space, so two strings that differ
/// only in them would look the same.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00A0}'
                | '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'..='\u{1160}'
                | '\u{17B4}'..='\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{2000}'..='\u{200F}'
                | '\u{2028}'..='\u{202F}'
                | '\u{205F}'..='\u{206F}'
                | '\u{3000}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFFB}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_shows_what_could_hide_and_keeps_the_rest() {
        assert_eq!(
            visible("a b\\\n\t\r\u{200b}\u{3000}车\\u68a6".as_bytes()),
            "a b\\␊␉␍⟨U+200B⟩⟨U+3000⟩车\\u68a6"
        );
        assert_eq!(visible(b"\x00\xff"), "⟨U+0000⟩⟨0xFF⟩");
        assert_eq!(visible("␊".as_bytes()), "⟨U+240A⟩");
    }

    #[test]
    fn text_is_exact_but_for_the_secret() {
        let s = SignedString::from_parts(&[
            Part::Text("车\\t\n".as_bytes()),
            Part::Secret(b"topsecret"),
        ])
        .shown_as("appSecret");
        assert_eq!(s.text(), "车\\t\n<appSecret: 9 bytes>");
    }

    #[test]
    fn secret_is_replaced_by_its_length() {
        let s = SignedString::from_parts(&[Part::Text(b"m1"), Part::Secret(b"topsecret")]);
        assert_eq!(s.bytes(), b"m1topsecret");
        assert_eq!(s.visible(), "m1<secret: 9 bytes>");
        let s = s.shown_as("appSecret");
        assert_eq!(format!("{s:?}"), "m1<appSecret: 9 bytes>");
    }
}

/// What [`compare`] says when the strings are the same bytes.
pub(crate) const IDENTICAL: &str = "your signed string is identical to the correct one: any difference is in how it is hashed, encoded or keyed";

/// Compares the string a user's code hashed with the correct one and describes the first
/// difference with a little context. The secret never shows: context stops where the
/// secret begins (it is last in both strings when the rule is followed), and any copy of
/// the secret in the user's string is masked.
pub(crate) fn compare(expected: &SignedString, theirs: &[u8]) -> String {
    let want = expected.bytes();
    if want == theirs {
        return IDENTICAL.to_string();
    }
    let first = want
        .iter()
        .zip(theirs)
        .position(|(a, b)| a != b)
        .unwrap_or(want.len().min(theirs.len()));
    let secret = expected.secret_range();
    let secret_start = secret.as_ref().map_or(want.len(), |r| r.start);
    let secret_len = secret.as_ref().map_or(0, |r| r.len());
    let label = expected.secret_label();
    if first >= want.len()
        && theirs.len() > want.len()
        && secret.as_ref().is_none_or(|r| r.end <= first)
    {
        return format!(
            "yours has {} extra byte(s) at the end, after everything the rule signs: `{}`",
            theirs.len() - want.len(),
            visible(&mask(&theirs[want.len()..], expected))
        );
    }
    if first >= secret_start {
        // Where inside the secret the strings part would tell how much of a guessed
        // secret is right: an oracle for the secret. Only the region is named.
        return format!(
            "the strings agree up to where the {label} begins (byte {secret_start}) and differ after it (the correct string has {} there, yours has {} bytes from that point): the secrets differ, or yours has extra bytes after it",
            placeholder(label, secret_len),
            theirs.len().saturating_sub(secret_start)
        );
    }
    // Excerpts start and end on character boundaries, so that a cut never shows as a
    // bad byte the strings do not have.
    let from = char_start(want, first.saturating_sub(24));
    let show = |bytes: &[u8], limit: usize| {
        let end = char_start(bytes, (first + 24).min(limit).max(first));
        let slice = &bytes[from.min(end)..end];
        let ellipsis = if end < bytes.len() { "…" } else { "" };
        format!("…{}{ellipsis}", visible(&mask(slice, expected)))
    };
    format!(
        "first difference at byte {first} (line {} of the string):\n  expected: {}\n  yours:    {}",
        want[..first].iter().filter(|&&b| b == b'\n').count() + 1,
        show(want, secret_start),
        show(theirs, theirs.len().saturating_sub(secret_len))
    )
}

/// `at`, moved back to the start of the UTF-8 character it falls in.
fn char_start(bytes: &[u8], mut at: usize) -> usize {
    at = at.min(bytes.len());
    while at > 0 && at < bytes.len() && (bytes[at] & 0xC0) == 0x80 {
        at -= 1;
    }
    at
}

/// The bytes with every copy of the expected string's secret replaced by a placeholder.
fn mask(bytes: &[u8], expected: &SignedString) -> Vec<u8> {
    let Some(r) = expected.secret_range().filter(|r| !r.is_empty()) else {
        return bytes.to_vec();
    };
    let secret = &expected.bytes()[r.clone()];
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(secret) {
            out.extend_from_slice(placeholder(expected.secret_label(), secret.len()).as_bytes());
            i += secret.len();
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod compare_tests {
    use super::*;

    fn expected() -> SignedString {
        SignedString::from_parts(&[Part::Text(b"m1t{\"a\":1}1{}"), Part::Secret(b"sekret")])
            .shown_as("appSecret")
    }

    #[test]
    fn shows_the_first_difference_without_the_secret() {
        let report = compare(&expected(), b"m1t{\"a\": 1}1{}sekret");
        assert!(report.contains("first difference at byte 8"), "{report}");
        assert!(report.contains("yours:    …m1t{\"a\": 1}1{}"), "{report}");
        assert!(!report.contains("sekret"), "{report}");
    }

    #[test]
    fn trailing_bytes_and_secret_differences() {
        let report = compare(&expected(), b"m1t{\"a\":1}1{}sekret\n");
        assert!(
            report.contains("1 extra byte(s) at the end") && report.contains("`␊`"),
            "{report}"
        );
        let report = compare(&expected(), b"m1t{\"a\":1}1{}other!");
        assert!(
            report.contains("up to where the appSecret begins (byte 13)"),
            "{report}"
        );
        assert!(!report.contains("other"), "{report}");
        // A secret right but for its last byte, or cut short, is reported the same way:
        // nothing says how much of it was right.
        for guess in [&b"sekreX"[..], b"sek"] {
            let mut theirs = b"m1t{\"a\":1}1{}".to_vec();
            theirs.extend_from_slice(guess);
            let report = compare(&expected(), &theirs);
            assert!(report.contains("(byte 13) and differ after it"), "{report}");
            assert!(!report.contains("16") && !report.contains("18"), "{report}");
        }
    }
}
