//! `cbtool sample` from the command line: byte-for-byte reproducible output (golden
//! files), files per callback, errors, and `--curl` commands that deliver verifiable
//! bytes to a real loopback server.
#![allow(clippy::unwrap_used)]

mod support;

use std::process::Command;

use cbtool::vendors::{self, Message, Target};
use serde_json::Value;
use support::{cbtool, creds, root, Action, Server, PRIVATE_KEY, SECRET, SECRET_FILE};

#[test]
fn same_seed_same_bytes_as_the_golden_files() {
    let cases: &[(&str, &[&str])] = &[
        (
            "autox3-seed42-signed.jsonl",
            &[
                "sample",
                "autox3",
                "--seed",
                "42",
                "--count",
                "5",
                "--secret-file",
                SECRET_FILE,
            ],
        ),
        (
            "autox3-seed42-unsigned.jsonl",
            &["sample", "autox3", "--seed", "42", "--count", "2"],
        ),
        (
            "dayu-seed42-unsigned.jsonl",
            &["sample", "dayu", "--seed", "42", "--count", "5"],
        ),
        (
            "dayu-lifecycle-complete-seed7-signed.jsonl",
            &[
                "sample",
                "dayu",
                "--seed",
                "7",
                "--lifecycle",
                "--private-key",
                PRIVATE_KEY,
            ],
        ),
        (
            "dayu-lifecycle-rework-seed7-unsigned.jsonl",
            &[
                "sample",
                "dayu",
                "--seed",
                "7",
                "--lifecycle",
                "--path",
                "rework",
            ],
        ),
    ];
    for (file, args) in cases {
        let out = cbtool(*args).run();
        out.success();
        assert!(out.stderr.is_empty(), "{out:?}");
        let golden = std::fs::read(root().join("fixtures/samples").join(file)).unwrap();
        assert!(
            out.bytes == golden,
            "{file}: output differs from the golden file"
        );
    }
}

#[test]
fn signing_fills_msg_signature_in_place_and_hides_the_secret() {
    let read = |f: &str| std::fs::read_to_string(root().join("fixtures/samples").join(f)).unwrap();
    let signed = read("autox3-seed42-signed.jsonl");
    let unsigned = read("autox3-seed42-unsigned.jsonl");
    for (s, u) in signed.lines().zip(unsigned.lines()) {
        let sig = &s[s.find(r#""msgSignature":""#).unwrap() + 16..][..40];
        assert_eq!(s.replace(sig, ""), u);
    }
    let out = cbtool(["sample", "autox3", "--count", "3", "--secret", SECRET]).run();
    assert!(!out.all_output().contains(SECRET));
    // The signed stream verifies with the real verifier.
    cbtool([
        "verify",
        "--secret-file",
        SECRET_FILE,
        "fixtures/samples/autox3-seed42-signed.jsonl",
    ])
    .run()
    .success();
}

#[test]
fn without_a_seed_the_seed_is_printed_and_repeats_the_output() {
    let out = cbtool(["sample", "dayu", "--count", "2"]).run();
    out.success();
    let stderr = &out.stderr;
    let seed = stderr.split_whitespace().nth(1).unwrap();
    assert!(stderr.starts_with("seed: "), "{stderr}");
    let again = cbtool(["sample", "dayu", "--count", "2", "--seed", seed]).run();
    assert_eq!(again.stdout, out.stdout);
}

#[test]
fn lifecycle_out_writes_one_file_per_callback_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("order");
    let out_arg = out_dir.to_str().unwrap();
    let args = [
        "sample",
        "dayu",
        "--lifecycle",
        "--path",
        "cancel",
        "--seed",
        "3",
        "--json",
        "--out",
        out_arg,
    ];
    let out = cbtool(args).run();
    out.success();
    let summary: Value = out.json();
    let files: Vec<String> = summary["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().rsplit('/').next().unwrap().to_string())
        .collect();
    assert_eq!(files.first().map(String::as_str), Some("01-created.json"));
    assert!(
        files.last().unwrap().ends_with("-cancelled.json"),
        "{files:?}"
    );
    let mut names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, files);
    // A second run refuses to overwrite: one error line, exit 2.
    let again = cbtool(args).run();
    assert_eq!(again.code, 2);
    let stderr = &again.stderr;
    assert!(
        stderr.starts_with("error: ")
            && stderr.contains("01-created.json")
            && stderr.lines().count() == 1,
        "{stderr}"
    );
}

#[test]
fn usage_errors_are_one_line_and_exit_2() {
    for (args, needle) in [
        (
            &["sample", "autox3", "--lifecycle", "--seed", "1"][..],
            "--lifecycle is for Dayu",
        ),
        (&["sample", "dayu", "--count", "0"][..], "error"),
        (&["sample", "dayu", "--path", "cancel"][..], "--lifecycle"),
        (
            &["sample", "dayu", "--private-key", "no/such.pem"][..],
            "no/such.pem",
        ),
    ] {
        let out = cbtool(args).run();
        let stderr = &out.stderr;
        assert_eq!(out.code, 2, "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(needle),
            "{args:?}: {stderr}"
        );
        assert!(out.stdout.is_empty());
    }
}

fn curl_delivers_a_verifiable_request(vendor_id: &str, credential: &[&str]) {
    if Command::new("curl").arg("--version").output().is_err() {
        eprintln!("SKIPPED: `curl` is not installed, so the --curl commands cannot be run");
        return;
    }
    // One request, answered with AutoX3's normal response (what the curl command prints).
    let server = Server::script(vec![Action::ok()]);
    let url = server.url();
    let mut args = vec!["sample", vendor_id, "--seed", "11", "--curl", &url];
    args.extend_from_slice(credential);
    let out = cbtool(&args).run();
    out.success();
    let command = out.stdout.clone();
    assert!(
        command.starts_with("curl ") && command.contains("--data-binary '"),
        "{command}"
    );
    let run = Command::new("sh")
        .arg("-c")
        .arg(command.trim_end())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&run.stdout),
        r#"{"data":null,"errorInfo":"","status":0}"#
    );
    let raw = server.requests()[0].raw.clone();
    let request = cbtool::http_request::parse("captured", &raw).unwrap();
    assert_eq!(request.method, "POST");
    let v = vendors::by_id(vendor_id).unwrap();
    let msg = Message::with_headers("captured", &request.body, request.headers.clone());
    assert_eq!(msg.header("Content-Type"), Some("application/json"));
    let target: Target = vendors::target(v, &msg, None).unwrap();
    assert!(v.verify(&msg, &creds(), &target).unwrap().valid);
}

#[test]
fn curl_command_delivers_a_signed_autox3_callback() {
    curl_delivers_a_verifiable_request("autox3", &["--secret-file", SECRET_FILE]);
}

#[test]
fn curl_command_delivers_a_signed_dayu_callback() {
    curl_delivers_a_verifiable_request("dayu", &["--private-key", PRIVATE_KEY]);
}
