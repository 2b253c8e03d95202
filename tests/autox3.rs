//! AutoX3 sign and verify end to end, against vectors computed outside cbtool
//! (`fixtures/autox3/vectors.tsv`: sha1sum, Python hashlib and Java agree on each).

mod support;

use support::*;

#[test]
fn sign_matches_every_independent_vector() {
    for row in vectors("fixtures/autox3/vectors.tsv") {
        let (name, expected) = (&row[0], &row[2]);
        if name.contains('#') {
            continue; // JSON Lines rows are checked in the stream test
        }
        let secret_file = match name.as_str() {
            "hand/m1.json" | "hand/m2-chinese.json" => "fixtures/autox3/hand/secret-s.txt",
            "hand/m3-empty-secret.json" => continue, // an empty secret is covered below
            _ => SECRET_FILE,
        };
        let run = cbtool([
            "sign",
            "--secret-file",
            secret_file,
            &format!("fixtures/autox3/{name}"),
        ])
        .run();
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        assert_eq!(run.stdout.trim(), expected, "{name}");
    }
}

#[test]
fn an_empty_secret_signs_as_the_vector_says() {
    // printf '%s' "$(cat fixtures/autox3/signed-strings/hand-m3.txt)" | sha1sum
    let run = cbtool([
        "sign",
        "--secret",
        "",
        "fixtures/autox3/hand/m3-empty-secret.json",
    ])
    .run();
    assert_eq!(
        run.stdout.trim(),
        "69D21F90CC84B88532FDA4A5795D8EA1485C7403",
        "{}",
        run.stderr
    );
}

#[test]
fn signed_string_is_byte_exact() {
    // The signed string cbtool builds is the one sha1sum hashed for the vector, secret hidden.
    let run = cbtool([
        "sign",
        "--json",
        "--secret-file",
        SECRET_FILE,
        "fixtures/autox3/receivebase-create.compact.json",
    ])
    .run();
    let shown = run.json()["signed_string"].as_str().unwrap().to_string();
    let correct = String::from_utf8(fixture(
        "fixtures/autox3/signed-strings/compact.correct.txt",
    ))
    .unwrap();
    let expected_shown = correct.strip_suffix(SECRET).unwrap();
    assert_eq!(shown, format!("{expected_shown}<appSecret: 23 bytes>"));
}

#[test]
fn embed_prints_compact_bytes_that_verify() {
    let run = cbtool([
        "sign",
        "--embed",
        "--secret-file",
        SECRET_FILE,
        "fixtures/autox3/receivebase-create.en.json",
    ])
    .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let embedded = run.stdout.trim_end();
    // Compact, key order kept, 67000.0 kept: the same bytes as the committed compact
    // fixture, whose signature was computed by sha1sum.
    let compact =
        String::from_utf8(fixture("fixtures/autox3/receivebase-create.compact.json")).unwrap();
    assert_eq!(embedded, compact.trim_end());
    let verify = cbtool(["verify", "--secret-file", SECRET_FILE, "-"])
        .stdin(embedded.as_bytes())
        .run();
    assert_eq!(verify.code, 0, "{}{}", verify.stdout, verify.stderr);
}

#[test]
fn verify_exit_codes_and_stdin() {
    let ok = cbtool([
        "verify",
        "--secret-file",
        SECRET_FILE,
        "fixtures/autox3/receivebase-create.zh.json",
    ])
    .run();
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(ok.stdout.starts_with("valid: "), "{}", ok.stdout);
    let bad = cbtool([
        "verify",
        "--secret",
        "wrong",
        "fixtures/autox3/receivebase-create.zh.json",
    ])
    .run();
    assert_eq!(bad.code, 1);
    assert!(
        bad.stdout.contains("signature does not match"),
        "{}",
        bad.stdout
    );
    let piped = cbtool(["verify", "--secret-file", SECRET_FILE])
        .stdin(fixture("fixtures/autox3/receivebase-create.en.json"))
        .run();
    assert_eq!(piped.code, 0, "{}", piped.stderr);
    assert!(piped.stdout.contains("<stdin>"), "{}", piped.stdout);
    let env = cbtool(["verify", "fixtures/autox3/receivebase-create.en.json"])
        .env("CBTOOL_AUTOX3_SECRET", SECRET)
        .run();
    assert_eq!(env.code, 0, "{}", env.stderr);
}

#[test]
fn missing_secret_is_a_usage_error() {
    cbtool(["verify", "fixtures/autox3/receivebase-create.en.json"])
        .run()
        .assert_input_error("--secret-file");
}

#[test]
fn json_lines_report_each_failure_with_its_line() {
    let run = cbtool([
        "verify",
        "--secret-file",
        SECRET_FILE,
        "fixtures/autox3/stream.jsonl",
    ])
    .run();
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("stream.jsonl:3: AutoX3 msgId 8a8a4296-214c-afcb-7987-e1a012ff072a"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("stream.jsonl:5: AutoX3 msgId de0df759-845f-6c77-8344-abc6f0febc61"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .ends_with("checked 6 callbacks: 4 valid, 2 invalid\n"),
        "{}",
        run.stdout
    );
    let json = cbtool([
        "verify",
        "--json",
        "--secret-file",
        SECRET_FILE,
        "fixtures/autox3/stream.jsonl",
    ])
    .run()
    .json();
    assert_eq!(
        json["summary"],
        serde_json::json!({"checked": 6, "valid": 4, "invalid": 2, "errors": 0})
    );
    let lines: Vec<_> = json["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [3, 5]);
}

#[test]
fn a_long_file_is_reported_in_input_order() {
    // 3,000 lines: many batches, checked on several threads, reported in order.
    let repeats = 500;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.jsonl");
    std::fs::write(
        &path,
        fixture("fixtures/autox3/stream.jsonl").repeat(repeats),
    )
    .unwrap();
    let path = path.to_str().unwrap();
    let json = cbtool(["verify", "--json", "--secret-file", SECRET_FILE, path])
        .run()
        .json();
    assert_eq!(
        json["summary"],
        serde_json::json!({"checked": 3000, "valid": 2000, "invalid": 1000, "errors": 0})
    );
    let expected: Vec<u64> = (0..repeats as u64)
        .flat_map(|k| [6 * k + 3, 6 * k + 5])
        .take(json["failures"].as_array().unwrap().len())
        .collect();
    let lines: Vec<u64> = json["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, expected);
    let run = cbtool(["verify", "--secret-file", SECRET_FILE, path]).run();
    let reported: Vec<u64> = run
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix(&format!("invalid: {path}:")))
        .map(|rest| rest.split(':').next().unwrap().parse().unwrap())
        .collect();
    let all: Vec<u64> = (0..repeats as u64)
        .flat_map(|k| [6 * k + 3, 6 * k + 5])
        .collect();
    assert_eq!(reported, all, "{}", run.stdout);
}

#[test]
fn json_lines_keep_going_past_a_broken_line() {
    let mut stream = fixture("fixtures/autox3/stream.jsonl");
    stream.extend_from_slice(b"{\"msgId\": \n");
    stream.extend_from_slice(&fixture("fixtures/autox3/stream.jsonl")[..]);
    let run = cbtool(["verify", "--secret-file", SECRET_FILE, "--jsonl", "-"])
        .stdin(&stream)
        .run();
    assert_eq!(
        run.code, 2,
        "an unreadable line makes the run an input error"
    );
    assert!(run.stderr.contains("error: <stdin>:7:"), "{}", run.stderr);
    assert!(
        run.stdout
            .contains("checked 12 callbacks: 8 valid, 4 invalid, 1 unreadable"),
        "{}",
        run.stdout
    );
}

#[test]
fn raw_http_requests_verify_with_crlf_and_lf() {
    for file in ["receivebase-create.http", "receivebase-create.lf.http"] {
        let path = format!("fixtures/autox3/requests/{file}");
        let run = cbtool(["verify", "--secret-file", SECRET_FILE, "--request", &path]).run();
        assert_eq!(run.code, 0, "{file}: {}{}", run.stdout, run.stderr);
        // Detected without the flag too.
        assert_eq!(
            cbtool(["verify", "--secret-file", SECRET_FILE, &path])
                .run()
                .code,
            0
        );
    }
}

#[test]
fn lower_case_hex_is_valid_with_a_note() {
    let run = cbtool([
        "verify",
        "--explain",
        "--secret-file",
        SECRET_FILE,
        "fixtures/autox3/diagnosis/hex_case.json",
    ])
    .run();
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("lower-case hex"), "{}", run.stdout);
}

#[test]
fn content_sent_as_a_json_string_signs_its_decoded_text() {
    // printf '%s' 'm1t{}1{"a":1}s' | sha1sum  →  8135d1931da64c809bebcb32217e38279c7795f7
    let body = br#"{"msgId":"m1","msgType":"t","staffInfo":{},"createTime":1,"content":"{\"a\":1}","msgSignature":"8135D1931DA64C809BEBCB32217E38279C7795F7"}"#;
    let run = cbtool(["verify", "--secret", "s", "-"]).stdin(body).run();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("note: content is sent as a JSON string"),
        "{}",
        run.stdout
    );
}

#[test]
fn create_time_sent_as_a_string_signs_its_digits() {
    // printf '%s' 'm1t{}1{}s' | sha1sum  →  bbdf780fccbdcd58dcbd45b86663a8030d7c5012
    let body = br#"{"msgId":"m1","msgType":"t","staffInfo":{},"createTime":"1","content":{},"msgSignature":"BBDF780FCCBDCD58DCBD45B86663A8030D7C5012"}"#;
    let run = cbtool(["verify", "--secret", "s", "-"]).stdin(body).run();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("note: createTime is sent as a string"),
        "{}",
        run.stdout
    );
}
