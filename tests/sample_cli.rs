//! `cbtool sample` from the command line: byte-for-byte reproducible output (golden
//! files), files per callback, errors, and `--curl` commands that deliver verifiable
//! bytes to a real loopback server.
#![allow(clippy::unwrap_used)]

mod sample_support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;

use cbtool::vendors::{self, Message, Target};
use sample_support::{cbtool, creds, root, BIN, PRIVATE_KEY, SECRET, SECRET_FILE};
use serde_json::Value;

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
        let out = cbtool(args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let golden = std::fs::read(root().join("fixtures/samples").join(file)).unwrap();
        assert!(
            out.stdout == golden,
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
    let out = cbtool(&["sample", "autox3", "--count", "3", "--secret", SECRET]);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains(SECRET));
    // The signed stream verifies with the real verifier.
    let verify = Command::new(BIN)
        .current_dir(root())
        .args([
            "verify",
            "--secret-file",
            SECRET_FILE,
            "fixtures/samples/autox3-seed42-signed.jsonl",
        ])
        .output()
        .unwrap();
    assert_eq!(verify.status.code(), Some(0));
}

#[test]
fn without_a_seed_the_seed_is_printed_and_repeats_the_output() {
    let out = cbtool(&["sample", "dayu", "--count", "2"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let seed = stderr.split_whitespace().nth(1).unwrap();
    assert!(stderr.starts_with("seed: "), "{stderr}");
    let again = cbtool(&["sample", "dayu", "--count", "2", "--seed", seed]);
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
    let out = cbtool(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
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
    let again = cbtool(&args);
    assert_eq!(again.status.code(), Some(2));
    let stderr = String::from_utf8(again.stderr).unwrap();
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
        let out = cbtool(args);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(needle),
            "{args:?}: {stderr}"
        );
        assert!(out.stdout.is_empty());
    }
}

/// Accepts one HTTP request on loopback, answers the AutoX3 normal response, and
/// returns the raw request bytes.
fn capture_one() -> (String, std::thread::JoinHandle<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/callback", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .unwrap();
        let mut raw = Vec::new();
        let mut buf = [0u8; 8192];
        loop {
            let n = stream.read(&mut buf).unwrap();
            raw.extend_from_slice(&buf[..n]);
            if n == 0 || complete(&raw) {
                break;
            }
        }
        let body = r#"{"data":null,"errorInfo":"","status":0}"#;
        let answer = format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(answer.as_bytes()).unwrap();
        raw
    });
    (url, handle)
}

/// Whether the head and the whole Content-Length body have arrived.
fn complete(raw: &[u8]) -> bool {
    let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    raw.len() >= end + 4 + length
}

fn curl_delivers_a_verifiable_request(vendor_id: &str, credential: &[&str]) {
    if Command::new("curl").arg("--version").output().is_err() {
        eprintln!("SKIPPED: `curl` is not installed, so the --curl commands cannot be run");
        return;
    }
    let (url, server) = capture_one();
    let mut args = vec!["sample", vendor_id, "--seed", "11", "--curl", &url];
    args.extend_from_slice(credential);
    let out = cbtool(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let command = String::from_utf8(out.stdout).unwrap();
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
    let raw = server.join().unwrap();
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
