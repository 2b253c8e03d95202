//! A JSON Lines file is read in blocks of lines and checked on several threads; standard
//! input is read one document at a time and checked on one. The two paths must agree on
//! every line of a stream that mixes what real streams hold.
#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure report

mod common;

use common::*;

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
        let from_file = cbtool(&[&args[..], &[path]].concat());
        let from_stdin = cbtool_stdin(&[&args[..], &["--jsonl", "-"]].concat(), &stream);
        assert_eq!(from_file.code, 2, "{}", from_file.stderr);
        assert_eq!(from_stdin.code, 2, "{}", from_stdin.stderr);
        assert_eq!(strip_path(&from_file.stdout, path), from_stdin.stdout);
        assert_eq!(strip_path(&from_file.stderr, path), from_stdin.stderr);
        if json {
            let summary = &from_file.json()["summary"];
            // Per copy: AutoX3 6 + 2 + 1 (4 + 2 + 1 valid), Dayu 8 (7 valid); unreadable:
            // the broken line, `[1]` and the two long lines.
            assert_eq!(
                *summary,
                serde_json::json!({"checked": 680, "valid": 560, "invalid": 120, "errors": 160}),
                "{summary}"
            );
        }
    }
}

#[test]
fn lines_longer_than_a_block_verify_whole() {
    // A callback of ~600 KB (over two blocks), signed by `sign --embed`, between
    // ordinary lines.
    let compact =
        String::from_utf8(fixture("fixtures/autox3/receivebase-create.compact.json")).unwrap();
    let long = compact.replacen(
        "\"remark\":\"",
        &format!("\"remark\":\"{}", "长".repeat(200_000)),
        1,
    );
    assert_ne!(long, compact);
    let signed = cbtool_stdin(
        &["sign", "--embed", "--secret-file", SECRET_FILE, "-"],
        long.as_bytes(),
    );
    assert_eq!(signed.code, 0, "{}", signed.stderr);
    let ordinary = fixture("fixtures/autox3/stream.jsonl");
    let mut stream = Vec::new();
    for _ in 0..3 {
        stream.extend_from_slice(&ordinary);
        stream.extend_from_slice(signed.stdout.trim_end().as_bytes());
        stream.push(b'\n');
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.jsonl");
    std::fs::write(&path, &stream).unwrap();
    let from_file = cbtool(&[
        "verify",
        "--json",
        "--secret-file",
        SECRET_FILE,
        path.to_str().unwrap(),
    ]);
    let summary = &from_file.json()["summary"];
    assert_eq!(
        *summary,
        serde_json::json!({"checked": 21, "valid": 15, "invalid": 6, "errors": 0}),
        "{summary}"
    );
    let from_stdin = cbtool_stdin(
        &[
            "verify",
            "--json",
            "--secret-file",
            SECRET_FILE,
            "--jsonl",
            "-",
        ],
        &stream,
    );
    assert_eq!(from_stdin.json()["summary"], *summary);
}
