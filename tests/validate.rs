//! End-to-end tests of `cbtool validate`: every valid fixture, every invalid fixture against
//! the table in fixtures/invalid/README.md (computed outside cbtool), the warnings, the Dayu
//! history checker, and inputs that cannot be read.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed anyway

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;
use support::cbtool;

fn files(dir: &str, ext: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(ext))
        .map(|n| format!("{dir}/{n}"))
        .collect();
    names.sort();
    names
}

/// (severity, rule, path, "line:col") of every finding of one callback's JSON.
fn findings(doc: &Value) -> BTreeSet<(String, String, String, String)> {
    let mut set = BTreeSet::new();
    for severity in ["errors", "warnings"] {
        for f in doc[severity].as_array().unwrap() {
            set.insert((
                severity.trim_end_matches('s').to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                format!("{}:{}", f["line"], f["column"]),
            ));
        }
    }
    set
}

#[test]
fn every_dayu_sample_is_valid_without_findings() {
    let mut inputs = files("fixtures/dayu/events", ".json");
    inputs.extend(files("fixtures/dayu/envelopes", ".json"));
    inputs.extend(files("fixtures/dayu/requests", ".http"));
    inputs.push("fixtures/dayu/envelopes.jsonl".into());
    let args: Vec<&str> = ["validate", "--json", "--strict"]
        .into_iter()
        .chain(inputs.iter().map(String::as_str))
        .collect();
    let run = cbtool(&args).run();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let doc = run.json();
    assert_eq!(doc["valid"], true);
    assert_eq!(doc["summary"]["callbacks"], 11 + 10 + 2 + 8);
    for file in doc["files"].as_array().unwrap() {
        assert_eq!(findings(file), BTreeSet::new(), "{file}");
        assert_eq!(file["vendor"], "dayu");
        assert_eq!(file["schemas"], serde_json::json!(["dayu-order-progress"]));
    }
}

#[test]
fn the_documents_autox3_samples_warn_about_msg_type_only() {
    let mut inputs = files("fixtures/autox3", ".json");
    inputs.extend(files("fixtures/autox3/diagnosis", ".json"));
    assert_eq!(inputs.len(), 5 + 15);
    for input in &inputs {
        let run = cbtool(["validate", "--json", input]).run();
        assert_eq!(run.code, 0, "{input}: {}", run.stdout);
        let doc = run.json();
        let expected_position = if input.ends_with("en.json") || input.ends_with("zh.json") {
            "52:14".to_string()
        } else {
            let text = std::fs::read_to_string(input).unwrap();
            let column = text
                .find("\"event.autox3.order.detection.finish\"")
                .unwrap()
                + 1;
            format!("1:{column}")
        };
        let expected = BTreeSet::from([(
            "warning".to_string(),
            "autox3.msg-type".to_string(),
            "/msgType".to_string(),
            expected_position,
        )]);
        assert_eq!(findings(&doc), expected, "{input}");
        assert_eq!(doc["valid"], true);
        assert_eq!(
            doc["schemas"],
            serde_json::json!(["autox3-envelope", "autox3-receivebase-create"])
        );
    }
}

#[test]
fn strict_turns_the_msg_type_warning_into_a_failure() {
    let file = "fixtures/autox3/receivebase-create.en.json";
    let run = cbtool(["validate", file]).run();
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with(
        "fixtures/autox3/receivebase-create.en.json:52:14: warning [autox3.msg-type] /msgType: msgType is `event.autox3.order.detection.finish`"
    ), "{}", run.stdout);
    let run = cbtool(["validate", "--strict", "--json", file]).run();
    assert_eq!(run.code, 1);
    let doc = run.json();
    assert_eq!(doc["valid"], false);
    assert_eq!(doc["errors"], serde_json::json!([]));
    assert_eq!(doc["warnings"][0]["line"], 52);
    assert_eq!(doc["file"], file);
}

#[test]
fn the_documented_autox3_stream_has_no_findings_line_by_line() {
    let run = cbtool([
        "validate",
        "--json",
        "--strict",
        "fixtures/autox3/stream.jsonl",
    ])
    .run();
    assert_eq!(run.code, 0, "{}", run.stdout);
    let doc = run.json();
    let lines: Vec<_> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [1, 2, 3, 4, 5, 6]);
    assert_eq!(doc["summary"]["warnings"], 0);
}

/// Rows of the markdown table that follows `heading` in fixtures/invalid/README.md.
fn table(heading: &str) -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/invalid/README.md"),
    )
    .unwrap();
    let section = &readme[readme.find(heading).unwrap()..];
    section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().trim_matches('`').to_string())
                .collect()
        })
        .collect()
}

#[test]
fn every_invalid_fixture_gives_exactly_its_documented_findings() {
    let rows = table("## One file each");
    let mut by_file: std::collections::BTreeMap<String, (BTreeSet<_>, i32)> = Default::default();
    for row in &rows {
        let entry = by_file.entry(row[0].clone()).or_default();
        entry.0.insert((
            row[2].clone(),
            row[3].clone(),
            row[4].clone(),
            row[5].clone(),
        ));
        entry.1 = row[6].parse().unwrap();
    }
    let on_disk = files("fixtures/invalid", ".json");
    assert_eq!(
        on_disk.len(),
        by_file.len(),
        "every invalid fixture has a row"
    );
    for (file, (expected, code)) in by_file {
        let path = format!("fixtures/invalid/{file}");
        let run = cbtool(["validate", "--json", &path]).run();
        assert_eq!(run.code, code, "{file}: {}", run.stdout);
        assert_eq!(findings(&run.json()), expected, "{file}");
        // Warnings fail only with --strict.
        let strict = cbtool(["validate", "--strict", &path]).run();
        assert_eq!(strict.code, 1, "{file}");
    }
}

#[test]
fn findings_say_why_in_words() {
    let run = cbtool([
        "validate",
        "fixtures/invalid/autox3-create-time-seconds.json",
    ])
    .run();
    assert_eq!(run.stdout.trim(), "fixtures/invalid/autox3-create-time-seconds.json:51:17: error [autox3.create-time] /createTime: createTime 1616502610 has 10 digits: that is seconds; AutoX3 sends milliseconds (13 digits, e.g. 1616502610000)");
    let run = cbtool(["validate", "fixtures/invalid/dayu-cancel-wrong-status.json"]).run();
    assert!(run.stdout.contains("status is 5 已完成 (completed) but serviceProgessTimeNum 10 取消 (cancelled) leaves the order in status 6 已取消 (cancelled)"), "{}", run.stdout);
    let run = cbtool(["validate", "fixtures/invalid/dayu-status-undocumented.json"]).run();
    assert!(
        run.stdout.contains("7 is not one of") && run.stdout.contains("8.待派单"),
        "{}",
        run.stdout
    );
}

#[test]
fn legal_histories_pass_the_sequence_check() {
    for file in files("fixtures/dayu/histories", ".jsonl")
        .iter()
        .chain(["fixtures/dayu/envelopes.jsonl".to_string()].iter())
    {
        let run = cbtool(["validate", "--sequence", "--json", file]).run();
        assert_eq!(run.code, 0, "{file}: {}", run.stdout);
        let doc = run.json();
        assert_eq!(doc["sequence"]["legal"], true);
        assert_eq!(doc["sequence"]["order_id"], 5577);
    }
    // Files given one by one, in order, are one history too.
    let mut events = files("fixtures/dayu/events", ".json");
    events.retain(|f| !f.contains("compact") && !f.contains("09-") && !f.contains("10-"));
    let args: Vec<&str> = ["validate", "--sequence"]
        .into_iter()
        .chain(events.iter().map(String::as_str))
        .collect();
    let run = cbtool(&args).run();
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run
        .stdout
        .contains("sequence: legal history of order 5577 (8 callbacks)"));
}

#[test]
fn illegal_histories_report_their_first_illegal_step() {
    for row in table("## Dayu order histories") {
        let file = format!("fixtures/invalid/{}", row[0]);
        let run = cbtool(["validate", "--sequence", "--json", &file]).run();
        assert_eq!(run.code, 1, "{file}: {}", run.stdout);
        let doc = run.json();
        assert_eq!(doc["sequence"]["legal"], false);
        let line: u64 = row[2].parse().unwrap();
        assert_eq!(doc["sequence"]["first_illegal"]["line"], line, "{file}");
        let errors: Vec<&Value> = doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|f| f["errors"].as_array().unwrap())
            .collect();
        assert_eq!(errors.len(), 1, "{file}: {errors:?}");
        assert_eq!(errors[0]["rule"], row[3].as_str());
        assert_eq!(errors[0]["path"], row[4].as_str());
        assert_eq!(errors[0]["line"], line);
        // Without --sequence each callback on its own is fine.
        assert_eq!(cbtool(["validate", &file]).run().code, 0, "{file}");
    }
}

#[test]
fn unreadable_inputs_exit_2_with_one_error_line() {
    for row in table("## Unreadable input") {
        let file = format!("fixtures/invalid/{}", row[0]);
        let run = cbtool(["validate", &file]).run();
        assert_eq!(run.code, 2, "{file}");
        assert!(
            run.stderr.starts_with(&format!("error: {file}")),
            "{file}: {}",
            run.stderr
        );
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        let run = cbtool(["validate", "--json", &file]).run();
        assert_eq!(run.code, 2);
        assert_eq!(run.json()["valid"], false);
        assert!(run.json()["unreadable"]
            .as_str()
            .unwrap()
            .starts_with(&file));
    }
    let run = cbtool(["validate", "fixtures/invalid/unreadable/truncated.json"]).run();
    assert_eq!(run.stderr.trim(), "error: fixtures/invalid/unreadable/truncated.json:2:1: not valid JSON: EOF while parsing an object (the JSON is truncated)");
    let run = cbtool(["validate", "no/such/file.json"]).run();
    assert_eq!(
        (run.code, run.stderr.trim()),
        (2, "error: no/such/file.json: cannot open: no such file")
    );
}

#[test]
fn huge_and_deep_inputs_are_refused_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.json");
    let mut body = b"{\"orderId\": 1, \"pad\": \"".to_vec();
    body.resize(17 * 1024 * 1024, b'x');
    body.extend_from_slice(b"\"}");
    std::fs::write(&huge, &body).unwrap();
    let run = cbtool(["validate", huge.to_str().unwrap()]).run();
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("larger than 16 MiB") && run.stderr.contains("--max-size"),
        "{}",
        run.stderr
    );
    let run = cbtool([
        "validate",
        "--max-size",
        "100",
        "fixtures/dayu/events/01-created.json",
    ])
    .run();
    assert_eq!(run.code, 2);
    let deep = dir.path().join("deep.json");
    std::fs::write(
        &deep,
        format!("{{\"orderId\": {}{}}}", "[".repeat(5000), "]".repeat(5000)),
    )
    .unwrap();
    let run = cbtool(["validate", deep.to_str().unwrap()]).run();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("recursion limit"), "{}", run.stderr);
}

#[test]
fn directories_are_read_in_name_order_and_one_bad_file_does_not_stop_the_rest() {
    let run = cbtool([
        "validate",
        "--json",
        "fixtures/dayu/events",
        "missing.json",
        "fixtures/invalid/dayu-time-format.json",
    ])
    .run();
    assert_eq!(run.code, 2, "unreadable wins over invalid");
    let doc = run.json();
    let names: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    let mut expected: Vec<String> = files("fixtures/dayu/events", ".json");
    expected.push("missing.json".into());
    expected.push("fixtures/invalid/dayu-time-format.json".into());
    assert_eq!(names, expected);
    assert_eq!(
        doc["summary"],
        serde_json::json!({"callbacks": 13, "valid": 11, "invalid": 1, "unreadable": 1, "errors": 1, "warnings": 0})
    );
    let run = cbtool(["validate", "fixtures/invalid"]).run();
    assert_eq!(run.code, 2, "the directory holds unreadable fixtures");
    let run = cbtool(["validate", "fixtures/dayu/keys"]).run();
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no callback files"), "{}", run.stderr);
}

#[test]
fn stdin_envelopes_and_requests_report_positions_in_the_input() {
    let event = std::fs::read_to_string("fixtures/invalid/dayu-cancel-wrong-status.json").unwrap();
    let envelope = format!("{{\"headers\": {{\"Dayu-Sign\": \"x\"}},\n \"body\": {event}}}\n");
    let run = cbtool(["validate", "--json", "-"])
        .stdin(envelope.as_bytes())
        .run();
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let doc = run.json();
    assert_eq!(doc["file"], "<stdin>");
    // The event's line 13 is the envelope's line 14; the column is unchanged.
    assert_eq!(
        (
            doc["errors"][0]["line"].as_u64(),
            doc["errors"][0]["column"].as_u64()
        ),
        (Some(14), Some(13))
    );
    let request = format!(
        "POST /cb HTTP/1.1\r\nDayu-Sign: x\r\nContent-Length: {}\r\n\r\n{event}",
        event.len()
    );
    let run = cbtool(["validate", "--json", "-"])
        .stdin(request.as_bytes())
        .run();
    let doc = run.json();
    assert_eq!(doc["errors"][0]["line"], 17);
    assert_eq!(doc["errors"][0]["rule"], "dayu.progress-status");
}

#[test]
fn vendor_can_be_forced() {
    let run = cbtool([
        "validate",
        "--vendor",
        "dayu",
        "--json",
        "fixtures/invalid/unreadable/no-vendor.json",
    ])
    .run();
    assert_eq!(run.code, 1);
    let doc = run.json();
    let rules: Vec<&str> = doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["schema.required"; 4]);
}

#[test]
fn every_schema_prints_as_committed() {
    for (name, file) in [
        (
            "autox3-envelope",
            "src/vendors/autox3/autox3-envelope.schema.json",
        ),
        (
            "autox3-receivebase-create",
            "src/vendors/autox3/autox3-receivebase-create.schema.json",
        ),
        (
            "dayu-order-progress",
            "src/vendors/dayu/dayu-order-progress.schema.json",
        ),
    ] {
        let run = cbtool(["validate", "--print-schema", name]).run();
        assert_eq!(run.code, 0);
        let committed = std::fs::read_to_string(file).unwrap();
        assert_eq!(run.stdout.trim_end(), committed.trim_end());
        let schema: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
    }
    let run = cbtool(["validate", "--print-schema", "nope"]).run();
    assert_eq!(run.code, 2);
    assert_eq!(cbtool(["validate"]).run().code, 2, "FILE is required");
}

#[test]
fn a_history_is_dayu_callbacks_only() {
    let run = cbtool([
        "validate",
        "--sequence",
        "--json",
        "fixtures/dayu/events/01-created.json",
        "fixtures/autox3/receivebase-create.en.json",
    ])
    .run();
    assert_eq!(run.code, 1, "{}", run.stdout);
    let doc = run.json();
    assert_eq!(doc["files"][1]["errors"][0]["rule"], "sequence.vendor");
    assert_eq!(doc["files"][1]["errors"][0]["path"], "");
    assert_eq!(
        doc["sequence"]["legal"], true,
        "the Dayu part alone is legal"
    );
    assert_eq!(doc["valid"], false);
}

#[test]
fn a_bad_json_lines_line_is_reported_at_its_line_and_the_rest_still_checked() {
    let good = std::fs::read_to_string("fixtures/dayu/envelopes.jsonl").unwrap();
    let (first, rest) = good.split_once('\n').unwrap();
    let input = format!("{first}\n{{\"orderId\":1,}}\n{rest}");
    let run = cbtool(["validate", "--json", "-"])
        .stdin(input.as_bytes())
        .run();
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.trim(),
        "error: <stdin>:2:14: not valid JSON: trailing comma"
    );
    let doc = run.json();
    assert_eq!(doc["summary"]["valid"], 8);
    assert_eq!(doc["summary"]["unreadable"], 1);
    // A bad first line looks like one broken document, unless --jsonl says otherwise.
    let input = format!("{{\"orderId\":1,}}\n{good}");
    let run = cbtool(["validate", "--jsonl", "--json", "-"])
        .stdin(input.as_bytes())
        .run();
    assert_eq!(run.code, 2);
    assert_eq!(run.json()["summary"]["valid"], 8);
}
