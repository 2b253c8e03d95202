//! A JSON Lines file is read in blocks of lines and checked on several threads; standard
//! input is read one document at a time and checked on one. The two paths must agree on
//! every line of a stream that mixes what real streams hold.
#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure report

mod support;

use support::*;

/// Lines of both vendors, valid and not, with what line-splitting gets wrong: blank and
/// whitespace-only lines, CRLF, trailing spaces, a broken line, a value that is not an
/// object, lower-case hex, a line over `--max-size`, and no line break at the end.
fn mixed_stream() -> Vec<u8> {
    let autox3 = fixture("fixtures/autox3/stream.jsonl");
    let first = String::from_utf8(autox3.split(|&b| b == b'\n').next().unwrap().to_vec()).unwrap();
    let signature = first.split("\"msgSignature\":\"").nth(1).unwrap()[..40].to_string();
    let lower = first.replace(&signature, &signature.to_lowercase());
    let mut out = autox3.clone();
    out.extend_from_slice(b"\n   \t\n");
    out.extend_from_slice(format!("{first}\r\n{lower}  \n").as_bytes());
    out.extend_from_slice(b"{\"msgId\": \n[1]\n");
    out.extend_from_slice(&fixture("fixtures/dayu/envelopes.jsonl"));
    out.extend_from_slice(format!("{{\"pad\":\"{}\"}}\n", "x".repeat(5000)).as_bytes());
    // Blank, but over the limit: still an error, as line by line.
    out.extend_from_slice(format!("{}\n", " ".repeat(5000)).as_bytes());
    // Longer than one read: the limit is seen before the line ends.
    out.extend_from_slice(format!("{{\"pad\":\"{}\"}}\n", "y".repeat(100_000)).as_bytes());
    out.extend_from_slice(first.as_bytes());
    out
}

fn strip_path(text: &str, path: &str) -> String {
    text.replace(path, "<stdin>")
}

#[test]
fn a_file_in_blocks_and_stdin_line_by_line_report_the_same() {
    // Repeated so that blocks end at many different places in the mix.
    let stream = vec![mixed_stream(); 40].join(&b'\n');
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mixed.jsonl");
    std::fs::write(&path, &stream).unwrap();
    let path = path.to_str().unwrap();
    let flags = [
        "--secret-file",
        SECRET_FILE,
        "--public-key",
        PUBLIC_KEY,
        "--max-size",
        "4096",
    ];
    for json in [false, true] {
        let mut args = vec!["verify"];
        if json {
            args.push("--json");
        }
        args.extend(flags);
        let from_file = cbtool([&args[..], &[path]].concat()).run();
        let from_stdin = cbtool([&args[..], &["--jsonl", "-"]].concat())
            .stdin(&stream)
            .run();
        assert_eq!(from_file.code, 2, "{}", from_file.stderr);
        assert_eq!(from_stdin.code, 2, "{}", from_stdin.stderr);
        assert_eq!(strip_path(&from_file.stdout, path), from_stdin.stdout);
        assert_eq!(strip_path(&from_file.stderr, path), from_stdin.stderr);
        if json {
            let summary = &from_file.json()["summary"];
            // Per copy: AutoX3 6 + 2 + 1 (4 + 2 + 1 valid), Dayu 8 (7 valid); unreadable:
            // the broken line, `[1]` and the three long lines.
            assert_eq!(
                *summary,
                serde_json::json!({"checked": 680, "valid": 560, "invalid": 120, "errors": 200}),
                "{summary}"
            );
        }
    }
}

/// `verify --json` of `stream` as a file and on stdin: the same summary, returned.
fn same_summary_both_ways(stream: &[u8]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stream.jsonl");
    std::fs::write(&path, stream).unwrap();
    let args = ["verify", "--json", "--secret-file", SECRET_FILE];
    let from_file = cbtool([&args[..], &[path.to_str().unwrap()]].concat()).run();
    let from_stdin = cbtool([&args[..], &["--jsonl", "-"]].concat())
        .stdin(stream)
        .run();
    let summary = from_file.json()["summary"].clone();
    assert_eq!(from_stdin.json()["summary"], summary);
    summary
}

/// A signed AutoX3 callback of about 600 KB, longer than a block.
fn long_signed_callback() -> String {
    let compact =
        String::from_utf8(fixture("fixtures/autox3/receivebase-create.compact.json")).unwrap();
    let long = compact.replacen(
        "\"remark\":\"",
        &format!("\"remark\":\"{}", "长".repeat(200_000)),
        1,
    );
    assert_ne!(long, compact);
    let signed = cbtool(["sign", "--embed", "--secret-file", SECRET_FILE, "-"])
        .stdin(long.as_bytes())
        .run();
    assert_eq!(signed.code, 0, "{}", signed.stderr);
    signed.stdout.trim_end().to_string()
}

/// A block that holds only blank lines when it fills up must not read as the end of the
/// input (a forged line after 256 KiB of newlines went unreported once).
#[test]
fn blank_lines_do_not_end_the_stream() {
    let invalid = String::from_utf8(fixture("fixtures/autox3/stream.jsonl"))
        .unwrap()
        .lines()
        .nth(2)
        .unwrap()
        .to_string();
    let mut after_newlines = vec![b'\n'; 300 * 1024];
    after_newlines.extend_from_slice(invalid.as_bytes());
    assert_eq!(
        same_summary_both_ways(&after_newlines),
        serde_json::json!({"checked": 1, "valid": 0, "invalid": 1, "errors": 0})
    );
    let long = format!("\n{}\n{invalid}\n", long_signed_callback());
    assert_eq!(
        same_summary_both_ways(long.as_bytes()),
        serde_json::json!({"checked": 2, "valid": 1, "invalid": 1, "errors": 0})
    );
}

/// Warnings about the credential come with the first reported line; a stream where
/// every line passes reports none, and must still show them.
#[test]
fn credential_warnings_show_when_every_line_passes() {
    // Line 4 is the fixture's one invalid envelope.
    let text = String::from_utf8(fixture("fixtures/dayu/envelopes.jsonl")).unwrap();
    let valid: Vec<&str> = text
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != 3)
        .map(|(_, line)| line)
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("valid.jsonl");
    std::fs::write(&path, valid.join("\n")).unwrap();
    let run = cbtool([
        "verify",
        "--public-key",
        PRIVATE_KEY,
        path.to_str().unwrap(),
    ])
    .run();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("7 valid, 0 invalid"), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("holds a private key where a public key is expected"),
        "{}",
        run.stderr
    );
}

#[test]
fn lines_longer_than_a_block_verify_whole() {
    // A callback of ~600 KB (over two blocks), signed by `sign --embed`, between
    // ordinary lines.
    let signed = long_signed_callback();
    let ordinary = fixture("fixtures/autox3/stream.jsonl");
    let mut stream = Vec::new();
    for _ in 0..3 {
        stream.extend_from_slice(&ordinary);
        stream.extend_from_slice(signed.as_bytes());
        stream.push(b'\n');
    }
    assert_eq!(
        same_summary_both_ways(&stream),
        serde_json::json!({"checked": 21, "valid": 15, "invalid": 6, "errors": 0})
    );
}
