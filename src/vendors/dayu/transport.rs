//! The text forms a Dayu-Sign value arrives in. Dayu sends standard base64 on one line;
//! real code also sends URL-safe base64, base64 wrapped over lines, hex, base64 of the
//! hex text, or a value whose `+` became a space when the header was URL-decoded. Each
//! form is decoded here; which one yields a block the key opens decides what happened.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;

/// How the signature text was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Form {
    /// Standard base64 on one line: the rule.
    Base64,
    /// Standard base64 over several lines of `width` characters.
    Wrapped {
        lines: usize,
        width: usize,
    },
    UrlSafe,
    PlusAsSpace,
    Hex,
    Base64OfHex,
}

impl Form {
    pub(super) fn cause(self) -> Option<&'static str> {
        match self {
            Form::Base64 => None,
            Form::Wrapped { .. } => Some("wrapped_base64"),
            Form::UrlSafe => Some("urlsafe_base64"),
            Form::PlusAsSpace => Some("plus_as_space"),
            Form::Hex => Some("hex_signature"),
            Form::Base64OfHex => Some("base64_of_hex"),
        }
    }

    /// What the form is, for a sentence: "the signature is …".
    pub(super) fn described(self) -> String {
        match self {
            Form::Base64 => "standard base64".into(),
            Form::Wrapped { lines, width } => format!(
                "standard base64 wrapped over {lines} lines of {width} characters ({})",
                wrapper(width)
            ),
            Form::UrlSafe => "URL-safe base64 (`-` and `_` for `+` and `/`)".into(),
            Form::PlusAsSpace => {
                "base64 whose `+` characters became spaces: the header was URL-decoded (Python unquote_plus, Java URLDecoder.decode, PHP urldecode)".into()
            }
            Form::Hex => "hex, not base64".into(),
            Form::Base64OfHex => "base64 of the signature's hex text (encoded twice)".into(),
        }
    }
}

/// Who writes base64 at this line width.
fn wrapper(width: usize) -> &'static str {
    match width {
        64 => "as `openssl base64` and PEM write it",
        76 => "as MIME encoders write it: Java Base64.getMimeEncoder(), Python base64.encodebytes, PHP chunk_split",
        _ => "a line-wrapping encoder",
    }
}

/// Every reading of `signature`, the rule's first. Readings that fail to decode are
/// left out; a caller keeps the one whose length and block fit the key.
pub(super) fn decodings(signature: &str) -> Vec<(Form, Vec<u8>)> {
    let trimmed = signature.trim();
    let joined: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = Vec::new();
    if let Ok(bytes) = STANDARD.decode(&joined) {
        let lines: Vec<&str> = trimmed.lines().collect();
        let form = if lines.len() > 1 {
            Form::Wrapped {
                lines: lines.len(),
                width: lines[0].trim_end().len(),
            }
        } else if trimmed.contains(' ') {
            Form::PlusAsSpace
        } else {
            Form::Base64
        };
        if form != Form::PlusAsSpace {
            out.push((form, bytes.clone()));
        }
        if let Some(hex) = hex_text(&bytes) {
            out.push((Form::Base64OfHex, hex));
        }
    }
    if joined.contains(['-', '_']) || joined.len() % 4 != 0 {
        if let Ok(bytes) = URL_SAFE_NO_PAD.decode(joined.trim_end_matches('=')) {
            out.push((Form::UrlSafe, bytes));
        }
    }
    if trimmed.contains(' ') {
        let restored: String = trimmed
            .chars()
            .filter(|c| !matches!(c, '\n' | '\r' | '\t'))
            .map(|c| if c == ' ' { '+' } else { c })
            .collect();
        if let Ok(bytes) = STANDARD.decode(&restored) {
            out.push((Form::PlusAsSpace, bytes));
        }
    }
    if let Some(bytes) = hex_text(joined.as_bytes()) {
        out.push((Form::Hex, bytes));
    }
    out
}

/// The bytes `text` spells in hex (either case), if it is hex.
fn hex_text(text: &[u8]) -> Option<Vec<u8>> {
    if text.is_empty() || !text.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    hex::decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(signature: &str) -> Vec<Form> {
        decodings(signature).into_iter().map(|(f, _)| f).collect()
    }

    #[test]
    fn each_form_decodes() {
        assert_eq!(
            decodings("ab-_"),
            vec![(Form::UrlSafe, vec![0x69, 0xbf, 0xbf])]
        );
        assert!(forms("a+b/ A==").contains(&Form::PlusAsSpace));
        assert_eq!(
            decodings("0aFF")
                .into_iter()
                .find(|(f, _)| *f == Form::Hex)
                .map(|(_, b)| b),
            Some(vec![0x0a, 0xff])
        );
        // "0aff" in base64 is MGFmZg==.
        assert!(decodings("MGFmZg==").contains(&(Form::Base64OfHex, vec![0x0a, 0xff])));
        assert_eq!(
            forms("QUJD\r\nREVG\r\n")[0],
            Form::Wrapped { lines: 2, width: 4 }
        );
    }
}
