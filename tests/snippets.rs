//! Every snippet in `snippets/`, run with its language's real runtime and driven over
//! HTTP exactly as a user runs it: the fixtures verify, tampered bodies, wrong secrets and
//! keys are refused, `cbtool replay` (with duplicates) is acknowledged, and `cbtool
//! snippet` prints the very file that was run.
//! The requests and where their expectations come from: tests/support/snippets/cases.rs.
//! One test per language: the test harness runs them on parallel threads.

#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed anyway

mod support;

use support::snippets::cases::{
    autox3_cases, case, dayu_cases, envelope_signature, replace_once, text, Case, COMPACT, EN,
    EVENT_03, NORMAL,
};
use support::snippets::{path, read, runtime_present, Language, Prepared, Receiver};
use support::{cbtool, PUBLIC_KEY, SECRET};

/// Sends every case and checks the status and the body the vendor's rule gives.
fn check_cases(receiver: &Receiver, vendor: &str, cases: &[Case]) {
    for case in cases {
        let headers: Vec<(&str, &str)> = case
            .signature
            .iter()
            .map(|s| ("Dayu-Sign", s.as_str()))
            .collect();
        let (status, body) = receiver.post(&case.body, &headers);
        let what = format!("{} ({vendor}) on {}", receiver.file, case.name);
        assert_eq!(
            status,
            case.status,
            "{what}: {body}\nlog:\n{}",
            receiver.log()
        );
        let answer: serde_json::Value = serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {body}"));
        match (vendor, status) {
            ("autox3", 200) => assert_eq!(body, NORMAL, "{what}"),
            ("autox3", _) => {
                assert_eq!(answer["status"], 1, "{what}: {body}");
                assert!(
                    answer["errorInfo"].as_str().is_some_and(|e| !e.is_empty()),
                    "{what}: {body}"
                );
            }
            (_, 200) => assert_eq!(answer["ok"], true, "{what}: {body}"),
            _ => assert_eq!(answer["ok"], false, "{what}: {body}"),
        }
        assert!(
            !body.contains(SECRET) && !receiver.log().contains(SECRET),
            "{what}: the secret leaked"
        );
    }
}

/// `cbtool replay` of fixtures to the receiver; returns the exit code and the report.
fn replay(receiver: &Receiver, args: &[&str]) -> (i32, serde_json::Value) {
    let url = receiver.url();
    let mut all = vec![
        "replay",
        "--url",
        &url,
        "--no-retry",
        "--json",
        "--timeout",
        "30s",
    ];
    all.extend_from_slice(args);
    let run = cbtool(&all).run();
    assert!(
        run.code == 0 || run.code == 1,
        "{}: {}",
        receiver.file,
        run.stderr
    );
    (run.code, run.json())
}

fn count(log: &str, prefix: &str) -> usize {
    log.lines().filter(|l| l.starts_with(prefix)).count()
}

fn autox3(prepared: &Prepared) {
    let receiver = prepared.start("autox3", ("CBTOOL_AUTOX3_SECRET", SECRET));
    check_cases(&receiver, "autox3", &autox3_cases());
    // Verified first, then de-duplicated: one msgId processed once, its repeats acknowledged.
    let log = receiver.log();
    assert_eq!(
        count(&log, "processed e6ddea1d-0b8b-24e7-cb26-91c3aa0969db"),
        1,
        "{log}"
    );
    assert!(
        count(&log, "duplicate e6ddea1d-0b8b-24e7-cb26-91c3aa0969db") >= 5,
        "{log}"
    );

    let (code, report) = replay(
        &receiver,
        &[
            "--duplicate",
            "1",
            EN,
            COMPACT,
            "fixtures/autox3/receivebase-create.zh.json",
        ],
    );
    assert_eq!(
        (code, report["summary"]["delivered"].as_u64()),
        (0, Some(3)),
        "{report}"
    );
    let tampered = tempfile::tempdir().unwrap();
    let file = tampered.path().join("tampered.json");
    std::fs::write(&file, replace_once(&text(COMPACT), "BMW", "BMX")).unwrap();
    let (code, report) = replay(&receiver, &[file.to_str().unwrap()]);
    assert_eq!(
        (code, report["summary"]["failed"].as_u64()),
        (1, Some(1)),
        "{report}"
    );
    assert_eq!(
        report["messages"][0]["attempts"][0]["http_status"], 401,
        "{report}"
    );

    // Another secret: the fixtures are refused, the hand vectors signed with `s` verify.
    let other = prepared.start("autox3", ("CBTOOL_AUTOX3_SECRET", "s"));
    check_cases(
        &other,
        "autox3",
        &[
            case(COMPACT, read(COMPACT), 401),
            case("hand/m1.json", read("fixtures/autox3/hand/m1.json"), 200),
            case(
                "hand/m2-chinese.json",
                read("fixtures/autox3/hand/m2-chinese.json"),
                200,
            ),
        ],
    );
}

fn dayu(prepared: &Prepared) {
    let receiver = prepared.start(
        "dayu",
        (
            "CBTOOL_DAYU_PUBLIC_KEY",
            &path(PUBLIC_KEY).display().to_string(),
        ),
    );
    check_cases(&receiver, "dayu", &dayu_cases());
    let log = receiver.log();
    assert_eq!(count(&log, "processed 5577/2"), 1, "{log}");
    assert!(count(&log, "duplicate 5577/2") >= 3, "{log}");

    let (code, report) = replay(&receiver, &["--duplicate", "1", "fixtures/dayu/envelopes/"]);
    assert_eq!(
        (code, report["summary"]["delivered"].as_u64()),
        (0, Some(10)),
        "{report}"
    );
    assert!(
        count(&receiver.log(), "duplicate 5548/10") >= 1,
        "{}",
        receiver.log()
    );
    let (code, report) = replay(&receiver, &["fixtures/dayu/envelopes.jsonl"]);
    assert_eq!(code, 1, "{report}");
    let refused: Vec<&serde_json::Value> = report["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["delivered"] == false)
        .collect();
    assert_eq!(refused.len(), 1, "{report}");
    assert_eq!(refused[0]["attempts"][0]["http_status"], 401, "{report}");

    // The key in Java's base64 forms verifies the same; another key refuses.
    let sig03 = envelope_signature("fixtures/dayu/envelopes/03-accepted.json");
    for (key, status) in [
        ("public.b64", 200),
        ("public.wrapped.b64", 200),
        ("other-public.pem", 401),
    ] {
        let key_path = path(&format!("fixtures/dayu/keys/{key}"))
            .display()
            .to_string();
        let other = prepared.start("dayu", ("CBTOOL_DAYU_PUBLIC_KEY", &key_path));
        let case = Case {
            signature: Some(sig03.clone()),
            ..case(&format!("event 03 with {key}"), read(EVENT_03), status)
        };
        check_cases(&other, "dayu", &[case]);
    }
}

fn run_language(language: Language) {
    if !runtime_present(&language) {
        return;
    }
    let prepared = Prepared::new(language);
    autox3(&prepared);
    dayu(&prepared);
}

#[test]
fn java() {
    run_language(support::snippets::JAVA);
}

#[test]
fn python() {
    run_language(support::snippets::PYTHON);
}

#[test]
fn node() {
    run_language(support::snippets::NODE);
}

#[test]
fn go() {
    run_language(support::snippets::GO);
}

#[test]
fn php() {
    run_language(support::snippets::PHP);
}

/// The rule the cases assert is cbtool's own: `cbtool verify` gives each the same verdict.
#[test]
fn every_case_gets_the_same_verdict_from_cbtool_verify() {
    let dir = tempfile::tempdir().unwrap();
    for (vendor, cases) in [("autox3", autox3_cases()), ("dayu", dayu_cases())] {
        for (i, case) in cases.iter().enumerate() {
            let file = dir.path().join(format!("{vendor}-{i}.json"));
            std::fs::write(&file, &case.body).unwrap();
            let file = file.display().to_string();
            let mut args = vec![
                "verify",
                "--vendor",
                vendor,
                "--secret",
                SECRET,
                "--public-key",
                PUBLIC_KEY,
            ];
            if let Some(signature) = &case.signature {
                args.extend(["--signature", signature.as_str()]);
            }
            args.push(&file);
            let run = cbtool(&args).run();
            // 0 valid, 1 refused (a missing signature is a usage error to verify), 2 not a callback.
            let expected = match case.status {
                200 => vec![0],
                401 => vec![1, 2],
                _ => vec![2],
            };
            assert!(
                expected.contains(&run.code),
                "{vendor} {}: cbtool verify exited {}: {}{}",
                case.name,
                run.code,
                run.stdout,
                run.stderr
            );
        }
    }
}

/// What `cbtool snippet` prints is, byte for byte, the file the tests above ran.
#[test]
fn the_printed_snippet_is_the_tested_file() {
    let dir = tempfile::tempdir().unwrap();
    for language in support::snippets::ALL {
        for (vendor, file) in [("autox3", language.autox3), ("dayu", language.dayu)] {
            let printed = cbtool(["snippet", language.id, "--vendor", vendor]).run();
            printed.success();
            assert!(
                printed.bytes == read(file),
                "`cbtool snippet {} --vendor {vendor}` differs from {file}",
                language.id
            );
            let out = dir.path().join(format!("{}-{vendor}", language.id));
            let out = out.to_str().unwrap();
            let run = cbtool(["snippet", language.id, "--vendor", vendor, "--out", out]).run();
            assert_eq!(run.code, 0, "{}", run.stderr);
            assert!(
                std::fs::read(out).unwrap() == read(file),
                "--out {out} differs from {file}"
            );
            let again = cbtool(["snippet", language.id, "--vendor", vendor, "--out", out]).run();
            again.assert_input_error("already exists; pass --force");
        }
    }
}

#[test]
fn list_shows_every_snippet_and_how_to_run_it() {
    let run = cbtool(["snippet", "--list", "--json"]).run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let listed = run.json()["snippets"].as_array().unwrap().clone();
    assert_eq!(listed.len(), 10);
    for language in support::snippets::ALL {
        for (vendor, file) in [("autox3", language.autox3), ("dayu", language.dayu)] {
            let entry = listed
                .iter()
                .find(|e| e["language"] == language.id && e["vendor"] == vendor)
                .unwrap_or_else(|| panic!("{} {vendor} not listed", language.id));
            let name = file.rsplit('/').next().unwrap();
            assert_eq!(entry["file"], name);
            assert_eq!(
                entry["command"],
                format!("cbtool snippet {} --vendor {vendor}", language.id)
            );
            // The run command is the file's own first comment.
            let run_line = entry["run"].as_str().unwrap();
            assert!(run_line.contains(name), "{run_line}");
            assert!(String::from_utf8(read(file))
                .unwrap()
                .lines()
                .take(3)
                .any(|l| l.ends_with(run_line)));
        }
    }
    let human = cbtool(["snippet", "--list", "--vendor", "dayu"]).run();
    assert_eq!(
        human
            .stdout
            .lines()
            .filter(|l| l.contains("--vendor dayu"))
            .count(),
        5,
        "{}",
        human.stdout
    );
    assert!(!human.stdout.contains("autox3"), "{}", human.stdout);
}

#[test]
fn an_unknown_language_is_a_usage_error_naming_the_choices() {
    let run = cbtool(["snippet", "ruby", "--vendor", "autox3"]).run();
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with("error: invalid value 'ruby'"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("[possible values: java, python, node, go, php]"),
        "{}",
        run.stderr
    );
    let run = cbtool(["snippet", "java"]).run();
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--vendor"), "{}", run.stderr);
    // JavaScript is Node's.
    let run = cbtool(["snippet", "javascript", "--vendor", "dayu"]).run();
    assert_eq!(
        run.stdout.as_bytes(),
        read("snippets/node/dayu-receiver.js")
    );
}
