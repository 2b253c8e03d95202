//! Bad input gets one `error:` line naming the file (and position) and exit 2; never a
//! panic. And the secret never shows, whatever happens.

mod support;

use support::*;

fn verify_bytes(bytes: &[u8]) -> Run {
    cbtool(["verify", "--secret-file", SECRET_FILE, "-"])
        .stdin(bytes)
        .run()
}

#[test]
fn malformed_bodies() {
    verify_bytes(b"").assert_input_error("<stdin>: is empty");
    verify_bytes(b" \n\t\n").assert_input_error("is empty");
    verify_bytes(b"hello").assert_input_error(
        "<stdin>:1:1: expected a JSON object, found something that is not JSON",
    );
    verify_bytes(b"[1,2]").assert_input_error("found an array");
    verify_bytes(b"null").assert_input_error("found null");
    verify_bytes(b"{\"msgId\": \"x\",\n \"content\": {").assert_input_error("truncated");
    verify_bytes(b"{\"msgId\": \"\xff\"}").assert_input_error("<stdin>:1:12: invalid UTF-8");
    verify_bytes(b"{\"msgId\":\"a\",\"msgId\":\"b\"}").assert_input_error("duplicate key `msgId`");
    verify_bytes(b"\xef\xbb\xbf{}")
        .assert_input_error("<stdin>: starts with a UTF-8 byte order mark");
}

/// A Dayu body on stdin, with a signature so that verify reaches its fields.
fn verify_dayu_bytes(bytes: &[u8]) -> Run {
    cbtool([
        "verify",
        "--public-key",
        PUBLIC_KEY,
        "--signature",
        "AAAA",
        "-",
    ])
    .stdin(bytes)
    .run()
}

#[test]
fn missing_and_mistyped_fields() {
    verify_bytes(br#"{"msgId":"m","msgSignature":"AB"}"#).assert_input_error("missing `msgType`");
    verify_bytes(br#"{"msgId":"m","msgType":"t","staffInfo":{},"createTime":"soon","content":{},"msgSignature":"AB"}"#)
        .assert_input_error("`createTime` is `\"soon\"`");
    verify_bytes(br#"{"msgId":"m","msgType":"t","staffInfo":{},"createTime":1,"content":{},"msgSignature":5}"#)
        .assert_input_error("<stdin>:1:86: `msgSignature` is a number");
    verify_bytes(br#"{"something":"else"}"#).assert_input_error("cannot tell the vendor");
    verify_dayu_bytes(br#"{"orderId":5577}"#).assert_input_error("missing `orderRecord`");
    verify_dayu_bytes(br#"{"orderId":"x","orderRecord":{"serviceProgessTimeNum":1}}"#)
        .assert_input_error("`orderId` is `\"x\"`");
}

#[test]
fn files_that_cannot_be_read() {
    cbtool(["verify", "--secret-file", SECRET_FILE, "no/such/file.json"])
        .run()
        .assert_input_error("no/such/file.json: cannot open: no such file");
    cbtool(["verify", "--secret-file", SECRET_FILE, "fixtures"])
        .run()
        .assert_input_error("is a directory");
    cbtool([
        "verify",
        "--secret-file",
        "no-secret.txt",
        "fixtures/autox3/receivebase-create.en.json",
    ])
    .run()
    .assert_input_error("--secret-file: no such file (the path is not shown");
    cbtool([
        "verify",
        "--secret-file",
        "fixtures",
        "fixtures/autox3/receivebase-create.en.json",
    ])
    .run()
    .assert_input_error("fixtures: cannot read the secret file: is a directory");
    let run = cbtool(["verify", "--no-such-flag"]).run();
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error:"), "{}", run.stderr);
}

#[test]
fn a_100_mb_line_is_refused_without_reading_it_whole() {
    let mut big = Vec::with_capacity(100 * 1024 * 1024 + 64);
    big.extend_from_slice(b"{\"msgId\":\"");
    big.resize(100 * 1024 * 1024, b'a');
    big.extend_from_slice(b"\"}\n");
    let run = verify_bytes(&big);
    run.assert_input_error("larger than 16 MiB");
}

#[test]
fn the_secret_never_appears() {
    let runs = [
        cbtool([
            "sign",
            "--secret",
            SECRET,
            "fixtures/autox3/receivebase-create.en.json",
        ])
        .run(),
        cbtool([
            "sign",
            "--json",
            "--secret",
            SECRET,
            "fixtures/autox3/receivebase-create.en.json",
        ])
        .run(),
        cbtool([
            "sign",
            "--embed",
            "--secret",
            SECRET,
            "fixtures/autox3/receivebase-create.en.json",
        ])
        .run(),
        cbtool([
            "verify",
            "--explain",
            "--secret",
            SECRET,
            "fixtures/autox3/diagnosis/wrong_secret.json",
        ])
        .run(),
        cbtool([
            "verify",
            "--explain",
            "--json",
            "--secret",
            SECRET,
            "fixtures/autox3/diagnosis/trailing_newline.json",
        ])
        .run(),
        cbtool([
            "verify",
            "--explain",
            "--json",
            "--secret",
            SECRET,
            "fixtures/autox3/stream.jsonl",
        ])
        .run(),
        cbtool([
            "verify",
            "--secret",
            SECRET,
            "--signed-string",
            "fixtures/autox3/signed-strings/en.correct.txt",
            "fixtures/autox3/receivebase-create.en.json",
        ])
        .run(),
        cbtool([
            "verify",
            "--secret",
            SECRET,
            "--signed-string",
            "fixtures/autox3/diagnosis/signed-strings/secret_first.txt",
            "fixtures/autox3/receivebase-create.compact.json",
        ])
        .run(),
        cbtool(["verify", "--secret", SECRET, "not-there.json"]).run(),
        // The secret given where its file's path belongs.
        cbtool([
            "verify",
            "--secret-file",
            SECRET,
            "fixtures/autox3/receivebase-create.en.json",
        ])
        .run(),
        cbtool([
            "replay",
            "--url",
            "http://127.0.0.1:9/",
            "--secret-file",
            SECRET,
            "fixtures/autox3/receivebase-create.en.json",
        ])
        .run(),
        cbtool(["verify", "--secret", SECRET, "-"])
            .stdin(b"{\"msgId\":1}")
            .run(),
        cbtool(["verify", "--help"])
            .env("CBTOOL_AUTOX3_SECRET", SECRET)
            .run(),
    ];
    for run in runs {
        assert!(
            !run.all_output().contains(SECRET),
            "secret leaked:\n{}",
            run.all_output()
        );
        assert!(
            !run.all_output().contains("panicked"),
            "{}",
            run.all_output()
        );
    }
}

#[test]
fn request_is_a_flag_so_a_second_file_is_a_usage_error() {
    // `--request FILE` once swallowed the next path, so the positional one went unchecked.
    for command in ["verify", "sign"] {
        let with = |extra: &[&str]| {
            let mut args = vec![
                command,
                "--private-key",
                PRIVATE_KEY,
                "--public-key",
                PUBLIC_KEY,
                "--request",
                "fixtures/dayu/requests/03-accepted.http",
            ];
            args.extend_from_slice(extra);
            cbtool(&args).run()
        };
        let run = with(&["fixtures/dayu/events/03-accepted.json"]);
        assert_eq!(run.code, 2, "{command}: {}", run.stderr);
        assert!(run.stderr.starts_with("error:"), "{}", run.stderr);
        let run = with(&[]);
        assert_eq!(run.code, 0, "{command}: {}", run.stderr);
    }
}

#[test]
fn positions_are_in_the_file_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let stream = String::from_utf8(fixture("fixtures/autox3/stream.jsonl")).unwrap();
    let mut text: String = stream.lines().take(2).map(|l| format!("{l}\n")).collect();
    text.push_str("{\"msgId\":\"m\",}\n");
    let jsonl = dir.path().join("mixed.jsonl");
    std::fs::write(&jsonl, text).unwrap();
    let jsonl = jsonl.to_str().unwrap();
    let want = format!("{jsonl}:3:14: ");
    let runs = [
        cbtool(["verify", "--secret-file", SECRET_FILE, jsonl]).run(),
        cbtool(["sign", "--secret-file", SECRET_FILE, jsonl]).run(),
        cbtool(["validate", jsonl]).run(),
        cbtool(["replay", "--url", "http://127.0.0.1:9/", jsonl]).run(),
    ];
    for run in runs {
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(
            run.stderr.contains(&want),
            "`{want}` not in:\n{}",
            run.stderr
        );
    }

    // The body of a raw request starts on line 7: positions count from the file's start.
    let request = String::from_utf8(fixture("fixtures/dayu/requests/03-accepted.http")).unwrap();
    let broken = request.replacen("\"orderId\":5577", "\"orderId\":55x7", 1);
    assert_ne!(broken, request);
    let http = dir.path().join("x.http");
    std::fs::write(&http, broken).unwrap();
    let http = http.to_str().unwrap();
    cbtool(["verify", "--public-key", PUBLIC_KEY, http])
        .run()
        .assert_input_error(&format!("{http}:7:"));
    cbtool(["sign", "--private-key", PRIVATE_KEY, "--request", http])
        .run()
        .assert_input_error(&format!("{http}:7:"));
}

#[test]
fn the_size_limit_is_told_as_set() {
    let verify_within = |max: &str, file: &str| {
        cbtool([
            "verify",
            "--secret-file",
            SECRET_FILE,
            "--max-size",
            max,
            file,
        ])
        .run()
    };
    verify_within("100", "fixtures/autox3/receivebase-create.compact.json").assert_input_error(
        "fixtures/autox3/receivebase-create.compact.json: the callback is larger than 100 bytes, the limit for one callback",
    );
    // A pretty-printed file: the limit told is the one set, not what is left after its first line.
    verify_within("100", "fixtures/autox3/receivebase-create.en.json")
        .assert_input_error("the callback is larger than 100 bytes");
    let run = verify_within("1024", "fixtures/autox3/stream.jsonl");
    assert!(
        run.stderr.contains("the line is larger than 1 KiB"),
        "{}",
        run.stderr
    );
}
