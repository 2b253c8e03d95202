//! Maps a JSON Pointer to the byte offset of its value in the source text, so findings
//! can name a line and column. The text is walked through serde_json's `RawValue`
//! (borrowed slices of the input) rather than re-serialized, so offsets are exact.

use std::collections::HashMap;

use serde_json::value::RawValue;

/// The byte offset in `text` of the value `pointer` names, or of its deepest existing
/// ancestor when the pointer goes further than the document (a missing member).
pub fn offset(text: &str, pointer: &str) -> Option<usize> {
    let root: &RawValue = serde_json::from_str(text).ok()?;
    let mut current = root.get();
    if !pointer.is_empty() && !pointer.starts_with('/') {
        return None;
    }
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        match child(current, &token) {
            Some(next) => current = next,
            None => break,
        }
    }
    Some(current.as_ptr() as usize - text.as_ptr() as usize)
}

/// The raw text of one member or element of a raw object or array.
fn child<'a>(raw: &'a str, token: &str) -> Option<&'a str> {
    match raw.as_bytes().first()? {
        b'{' => {
            let members: HashMap<String, &'a RawValue> = serde_json::from_str(raw).ok()?;
            members.get(token).map(|v| v.get())
        }
        b'[' => {
            let index: usize = token.parse().ok()?;
            let items: Vec<&'a RawValue> = serde_json::from_str(raw).ok()?;
            items.get(index).map(|v| v.get())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_members_elements_and_ancestors() {
        let text = r#"{ "a": {"b/c": [10, {"d": true}]}, "e~f": 1 }"#;
        let at = |p: &str| offset(text, p).map(|o| &text[o..(o + 4).min(text.len())]);
        assert_eq!(at(""), Some("{ \"a"));
        assert_eq!(at("/a/b~1c/0"), Some("10, "));
        assert_eq!(at("/a/b~1c/1/d"), Some("true"));
        assert_eq!(at("/e~0f"), Some("1 }"));
        // Missing member: the parent object.
        assert_eq!(at("/a/missing"), Some("{\"b/"));
        assert_eq!(at("/a/b~1c/7"), Some("[10,"));
        assert_eq!(offset("not json", ""), None);
    }
}
