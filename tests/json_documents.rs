//! Every `--json` document, byte for byte, against a committed expected document.
//!
//! The expected documents in `tests/expected/` were written by cbtool at commit b9b71ff,
//! when the documents were still built with `serde_json::json!`, before they became
//! typed `Serialize` structs: these tests hold the member names, their order and their
//! values to what users and scripts already read. What a run cannot repeat (times,
//! ports, temporary paths, fresh keys) is replaced by a placeholder on both sides.
//!
//! Refresh with `CBTOOL_BLESS=1 cargo test --test json_documents`, and read the diff.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed anyway

mod support;

use std::path::Path;

use serde_json::Value;
use support::cli::cbtool;
use support::{Action, Server};
use support::{COMPACT, PRIVATE_KEY as PRIVATE, SECRET_FILE as SECRET};

const PUBLIC: &str = "fixtures/dayu/keys/public.pem";

/// Compares `actual` with `tests/expected/NAME`, or writes it there under CBTOOL_BLESS.
fn expect(name: &str, actual: &[u8]) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/expected")
        .join(name);
    if std::env::var_os("CBTOOL_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; bless it (see the module doc)", path.display()));
    assert_eq!(
        String::from_utf8_lossy(actual),
        String::from_utf8_lossy(&expected),
        "{name} differs from the committed document"
    );
}

/// Runs cbtool and returns its stdout, checking the exit code.
fn stdout_of(args: &[&str], code: i32) -> Vec<u8> {
    let out = cbtool(args).run();
    assert_eq!(Some(out.code), Some(code), "{args:?}: {}", out.stderr);
    out.bytes
}

/// Replaces the values of the named members, wherever they are, and re-serialises in
/// the same member order and layout (`pretty` for the replay report's form).
fn mask(text: &[u8], members: &[&str], pretty: bool) -> Vec<u8> {
    fn walk(v: &mut Value, members: &[&str]) {
        match v {
            Value::Object(map) => {
                for (k, child) in map.iter_mut() {
                    if members.contains(&k.as_str()) && !child.is_null() {
                        *child = Value::String(format!("<{k}>"));
                    } else {
                        walk(child, members);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|c| walk(c, members)),
            _ => {}
        }
    }
    let mut lines = Vec::new();
    let docs: Vec<Value> = if pretty {
        vec![serde_json::from_slice(text).unwrap()]
    } else {
        text.split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_slice(l).unwrap())
            .collect()
    };
    for mut doc in docs {
        walk(&mut doc, members);
        let mut bytes = if pretty {
            serde_json::to_vec_pretty(&doc).unwrap()
        } else {
            serde_json::to_vec(&doc).unwrap()
        };
        bytes.push(b'\n');
        lines.extend(bytes);
    }
    lines
}

#[test]
fn verify_documents() {
    let valid = ["verify", "--json", "--secret-file", SECRET, COMPACT];
    expect("verify-valid.json", &stdout_of(&valid, 0));
    let diagnosis = "fixtures/autox3/diagnosis/python_separators.json";
    let explain = [
        "verify",
        "--json",
        "--explain",
        "--secret-file",
        SECRET,
        diagnosis,
    ];
    expect("verify-explain.json", &stdout_of(&explain, 1));
    let dayu = "fixtures/dayu/envelopes/01-created.json";
    let dayu = ["verify", "--json", "--public-key", PUBLIC, dayu];
    expect("verify-dayu.json", &stdout_of(&dayu, 0));
    // A stream with a failure of each kind: a wrong signature, an unreadable line.
    let dir = tempfile::tempdir().unwrap();
    let stream = dir.path().join("s.jsonl");
    let good = std::fs::read_to_string(COMPACT).unwrap();
    let bad = good.replacen("\"msgSignature\":\"", "\"msgSignature\":\"00", 1);
    std::fs::write(
        &stream,
        format!("{}\n{}\n{{nope\n", good.trim(), bad.trim()),
    )
    .unwrap();
    let stream = stream.to_str().unwrap();
    let args = [
        "verify",
        "--json",
        "--explain",
        "--secret-file",
        SECRET,
        stream,
    ];
    let text = String::from_utf8(stdout_of(&args, 2)).unwrap();
    expect(
        "verify-stream.json",
        text.replace(stream, "<stream>").as_bytes(),
    );
}

#[test]
fn validate_documents() {
    let one = [
        "validate",
        "--json",
        "fixtures/invalid/dayu-time-format.json",
    ];
    expect("validate-one.json", &stdout_of(&one, 1));
    let many = [
        "validate",
        "--json",
        "--sequence",
        "fixtures/dayu/envelopes/01-created.json",
        "fixtures/dayu/envelopes/03-accepted.json",
        "fixtures/invalid/autox3-create-time-string.json",
    ];
    expect("validate-sequence.json", &stdout_of(&many, 1));
}

#[test]
fn replay_report() {
    let server = Server::script(vec![Action::status(500, "boom"), Action::ok()]);
    let url = server.url();
    let args = ["replay", "--json", "--url", &url, "--schedule", "10ms"];
    let out = stdout_of(
        &[&args[..], &["--secret-file", SECRET, COMPACT]].concat(),
        0,
    );
    let masked = mask(&out, &["started_ms", "elapsed_ms"], true);
    expect("replay-report.json", &masked);
}

#[test]
fn demo_document() {
    // The demo draws fresh message ids on every run.
    let args = ["demo", "--json", "--time-scale", "0.001", "--bits", "1024"];
    let out = stdout_of(&args, 0);
    let masked = mask(&out, &["addr", "id", "started_ms", "elapsed_ms"], false);
    expect("demo.json", &masked);
}

#[test]
fn keygen_and_sample_documents() {
    let keys = ["private_pem", "public_pem", "private_java", "public_java"];
    let printed = stdout_of(&["keygen", "--json", "--bits", "512"], 0);
    expect("keygen-printed.json", &mask(&printed, &keys, false));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap();
    let written = stdout_of(&["keygen", "--json", "--bits", "512", "--out", path], 0);
    let written = String::from_utf8(written).unwrap().replace(path, "<dir>");
    expect(
        "keygen-written.json",
        &mask(written.as_bytes(), &keys, false),
    );
    let args = ["sample", "dayu", "--lifecycle", "--seed", "7", "--json"];
    let out = [
        &args[..],
        &["--private-key", PRIVATE, "--out", path, "--force"],
    ]
    .concat();
    let summary = String::from_utf8(stdout_of(&out, 0)).unwrap();
    expect(
        "sample-summary.json",
        summary.replace(path, "<dir>").as_bytes(),
    );
}

#[test]
fn sign_and_snippet_documents() {
    let sign = ["sign", "--json", "--secret-file", SECRET, COMPACT];
    expect("sign.json", &stdout_of(&sign, 0));
    let embed = ["sign", "--json", "--embed", "--private-key", PRIVATE];
    let embed = [&embed[..], &["fixtures/dayu/envelopes/01-created.json"]].concat();
    expect("sign-embed.json", &stdout_of(&embed, 0));
    expect(
        "snippet-list.json",
        &stdout_of(&["snippet", "--list", "--json"], 0),
    );
    let code = ["snippet", "python", "--vendor", "autox3", "--json"];
    expect("snippet-code.json", &stdout_of(&code, 0));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.go");
    let file = file.to_str().unwrap();
    let written = ["snippet", "go", "--vendor", "dayu", "--json", "--out", file];
    let written = String::from_utf8(stdout_of(&written, 0)).unwrap();
    expect(
        "snippet-written.json",
        written.replace(file, "<file>").as_bytes(),
    );
}

/// With `--json`, an error that stops the command is also a document on stdout,
/// `{"error": {"message", "file", "line", "column"}}`, while stderr keeps its one line.
#[test]
fn an_input_error_is_a_json_document_too() {
    let truncated = "fixtures/invalid/unreadable/truncated.json";
    let message = format!(
        "{truncated}:2:1: not valid JSON: EOF while parsing an object (the JSON is truncated)"
    );
    let placed = serde_json::json!({"error": {"message": message, "file": truncated, "line": 2, "column": 1}});
    let out = cbtool(["verify", "--json", "--secret-file", SECRET, truncated]).run();
    assert_eq!(Some(out.code), Some(2));
    assert_eq!(out.stderr, format!("error: {message}\n"));
    assert_eq!(serde_json::from_slice::<Value>(&out.bytes).unwrap(), placed);
    assert_eq!(
        out.bytes.iter().filter(|&&b| b == b'\n').count(),
        1,
        "one line"
    );
    // Known file, no position; and no file at all (a missing credential).
    let out = cbtool(["verify", "--json", "--secret-file", SECRET, "no/such.json"]).run();
    let doc: Value = serde_json::from_slice(&out.bytes).unwrap();
    let missing = "no/such.json: cannot open: no such file";
    let expected = serde_json::json!({"error": {"message": missing, "file": "no/such.json", "line": null, "column": null}});
    assert_eq!((Some(out.code), &doc), (Some(2), &expected));
    let out = cbtool(["verify", "--json", COMPACT]).run();
    let doc: Value = serde_json::from_slice(&out.bytes).unwrap();
    assert_eq!(Some(out.code), Some(2));
    assert!(
        doc["error"]["message"]
            .as_str()
            .unwrap()
            .contains("appSecret"),
        "{doc}"
    );
    assert_eq!(
        (&doc["error"]["file"], &doc["error"]["line"]),
        (&Value::Null, &Value::Null)
    );
    // Without --json, stdout stays empty.
    let out = cbtool(["verify", "--secret-file", SECRET, truncated]).run();
    assert!(out.stdout.is_empty() && Some(out.code) == Some(2));
    // validate reports every input, so an unreadable one carries the same `error` object
    // in its entry, beside `unreadable`.
    let out = cbtool(["validate", "--json", truncated]).run();
    assert_eq!(Some(out.code), Some(2));
    assert_eq!(out.stderr, format!("error: {message}\n"));
    let doc: Value = serde_json::from_slice(&out.bytes).unwrap();
    assert_eq!(doc["unreadable"], message.as_str());
    assert_eq!(doc["error"], placed["error"]);
    let out = cbtool(["validate", "--json", COMPACT, "no/such.json"]).run();
    let doc: Value = serde_json::from_slice(&out.bytes).unwrap();
    assert_eq!(Some(out.code), Some(2));
    assert_eq!(
        doc["files"][0].get("error"),
        None,
        "a readable input has none"
    );
    assert_eq!(doc["files"][1]["error"], expected["error"]);
}
