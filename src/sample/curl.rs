//! `--curl`: a ready-to-run command that sends exactly the signed bytes, for poking a
//! staging endpoint from a shell.

/// `text` as one POSIX shell word: single quotes, with each `'` written as `'\''`.
pub(crate) fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// `curl` posting `body` to `url` with `headers`. `--data-binary` keeps every byte
/// (plain `-d` would strip newlines); the body is compact JSON, so it never starts with
/// `@` (which would make curl read a file).
pub(crate) fn command(url: &str, headers: &[(String, String)], body: &str) -> String {
    let mut parts = vec![
        "curl".to_string(),
        "-sS".to_string(),
        "-X".to_string(),
        "POST".to_string(),
        shell_quote(url),
    ];
    for (name, value) in headers {
        parts.push("-H".to_string());
        parts.push(shell_quote(&format!("{name}: {value}")));
    }
    parts.push("--data-binary".to_string());
    parts.push(shell_quote(body));
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_single_quotes() {
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
        let headers = vec![("Content-Type".to_string(), "application/json".to_string())];
        assert_eq!(
            command("http://h/x", &headers, r#"{"a":"b'c"}"#),
            r#"curl -sS -X POST 'http://h/x' -H 'Content-Type: application/json' --data-binary '{"a":"b'\''c"}'"#
        );
    }
}
