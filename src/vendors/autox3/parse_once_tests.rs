//! Each command parses a callback's body once on its way through, however many steps
//! (detection, the carried signature, verification, diagnosis) read it.

use crate::json::parse_count;

const SECRET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/autox3/secret.txt");
const COMPACT: &str = include_str!("../../../fixtures/autox3/receivebase-create.compact.json");

/// The document's compact sample with its own msgId (so no other test parses the same
/// bytes) and one byte changed after signing, so that it fails and is explained.
fn failing_body(tag: &str) -> String {
    let id = COMPACT
        .split("\"msgId\":\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    COMPACT
        .trim_end()
        .replace(id, &format!("parse-once-{tag}"))
        .replace("\"carNum\":\"JING\"", "\"carNum\":\"JINQ\"")
}

fn verify(args: &[&str], input: &str) -> i32 {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("input");
    std::fs::write(&path, input).unwrap();
    let path = path.to_str().unwrap();
    let mut argv = vec!["cbtool", "verify", "--explain", "--secret-file", SECRET];
    argv.extend_from_slice(args);
    argv.push(path);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = crate::run(argv, &mut out, &mut err);
    assert!(
        !String::from_utf8_lossy(&out).contains("error:"),
        "{}",
        String::from_utf8_lossy(&err)
    );
    code
}

#[test]
fn verify_explain_parses_a_failing_stream_line_once() {
    let (a, b) = (failing_body("line-a"), failing_body("line-b"));
    assert_eq!(verify(&["--jsonl"], &format!("{a}\n{b}\n")), 1);
    assert_eq!(parse_count::of(a.as_bytes()), 1);
    assert_eq!(parse_count::of(b.as_bytes()), 1);
}

#[test]
fn verify_explain_parses_a_failing_document_once() {
    let body = failing_body("document");
    assert_eq!(verify(&[], &body), 1);
    assert_eq!(parse_count::of(body.as_bytes()), 1);
}
