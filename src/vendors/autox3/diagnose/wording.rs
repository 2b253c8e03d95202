//! What each family means and what to change, in the words the diagnosis prints.

/// Advice shared by every re-serialization family.
pub(crate) const RAW: &str = "hash the exact text of staffInfo and content as they appear in the request body instead of parsing and re-serializing them";

/// What `family` means, and what to do about it.
pub(crate) fn describe(family: &str) -> (&'static str, &'static str) {
    match family {
        "hex_case" => ("lower-case hex", "compare hex case-insensitively"),
        "compact_json" => ("whitespace removed from staffInfo and content while the body has it", RAW),
        "sorted_keys" => ("object members sorted by key", RAW),
        "member_order" => ("object members in another order", RAW),
        "python_separators" => ("Python's default separators `, ` and `: `", RAW),
        "python_default" => ("Python json.dumps defaults: `, ` and `: ` separators and non-ASCII as \\uXXXX", RAW),
        "unicode_escapes" => ("non-ASCII characters spelled differently (\\uXXXX escapes on one side, the characters themselves on the other)", RAW),
        "escaped_slashes" => ("`/` spelled differently (`\\/` on one side, `/` on the other)", RAW),
        "html_escape" => ("characters HTML treats specially written as \\u escapes", RAW),
        "control_escapes" => ("control characters escaped differently", RAW),
        "float_as_integer" => ("whole-number floats written without their fraction", RAW),
        "java_doubles" => ("integers written as Java doubles", RAW),
        "number_precision" => ("numbers changed by a round trip through a double", RAW),
        "nulls_dropped" => ("members whose value is null left out", RAW),
        "empty_object_as_array" => ("empty objects `{}` written as `[]`", RAW),
        "pretty_printed" => ("pretty-printed (indented) JSON", RAW),
        "part_newline" => ("a newline after staffInfo and after content (Go's json.Encoder adds one)", "hash the parts' raw text itself, not what a json.Encoder writes (it appends a newline)"),
        "stringified_part" => ("a part converted to text by the language instead of taken from the body", RAW),
        "empty_part" => ("a part that is empty or missing", "take staffInfo and content from the top level of the body; check the member names (they are case-sensitive)"),
        "url_decoded" => ("the body URL-decoded before hashing", "hash the body as received: it is JSON, not form data, so never URL-decode it"),
        "inner_staff_info" => ("the staffInfo inside content instead of the top-level staffInfo", "use the top-level staffInfo (the operator of the callback), not content.staffInfo"),
        "content_as_string" => ("content in the other JSON form: a quoted JSON string where the body has an object, or the quoted text where the body has a string", "hash content as its JSON text: an object's raw text, or a string's decoded value"),
        "create_time_string" => ("createTime in double quotes", "append createTime as bare digits"),
        "create_time_float" => ("createTime written as a floating-point number", "append createTime as the digits of the body, not a parsed double"),
        "trailing_newline" => ("a newline after the appSecret (an `echo`, or a secret file's final newline)", "drop the trailing newline (use printf, or trim the secret file)"),
        "no_secret" => ("no appSecret at all", "append the appSecret: it is empty or missing where the signature is made"),
        "secret_first" => ("the appSecret first", "put the appSecret last"),
        "field_order" => ("the parts in another order", "concatenate msgId, msgType, staffInfo, createTime, content and appSecret, in that order"),
        "charset" => ("the string encoded in another charset", "encode the string as UTF-8 before hashing (Java `getBytes(StandardCharsets.UTF_8)`, Python `s.encode('utf-8')`, Node `hash.update(s, 'utf8')`)"),
        "whole_body" => ("the whole request body instead of the six parts", "hash msgId + msgType + staffInfo + createTime + content + appSecret, not the body"),
        "hmac_sha1" => ("HMAC-SHA1 keyed with the appSecret", "use plain SHA-1 over the string with the appSecret appended, not HMAC"),
        "sha256" => ("SHA-256", "use SHA-1"),
        "md5" => ("MD5", "use SHA-1"),
        "base64_digest" => ("the digest base64-encoded", "encode the digest as hex"),
        _ => ("an unnamed variation", "follow the documented rule"),
    }
}

/// Joins phrases as a sentence does: `a`, `a and b`, `a, b and c`.
pub(crate) fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The fixes for `families`, each said once, in order.
pub(crate) fn fixes(families: &[&str]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for f in families {
        let fix = describe(f).1;
        if !out.contains(&fix) {
            out.push(fix);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences() {
        assert_eq!(join(&["a".into()]), "a");
        assert_eq!(join(&["a".into(), "b".into(), "c".into()]), "a, b and c");
        assert_eq!(
            fixes(&["sorted_keys", "java_doubles", "hex_case"]),
            [RAW, "compare hex case-insensitively"]
        );
    }
}
