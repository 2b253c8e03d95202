//! `cbtool sample`: every generated callback verifies, has a valid VIN and the documented
//! shape (over many seeds), the output is byte-for-byte reproducible (golden files), and
//! `--curl` commands deliver verifiable bytes to a real loopback server.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;

use cbtool::credentials::{Credentials, KeyPath};
use cbtool::sample::{vin, Generator, LifecyclePath, Plan};
use cbtool::secret::Secret;
use cbtool::vendor::{self, Message, SignatureOrigin, Target, Vendor};
use common::{PRIVATE_KEY, PUBLIC_KEY, SECRET, SECRET_FILE};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_cbtool");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary run from the crate root with no credential variables inherited.
fn cbtool(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .current_dir(root())
        .env_remove("CBTOOL_AUTOX3_SECRET")
        .env_remove("CBTOOL_DAYU_PRIVATE_KEY")
        .env_remove("CBTOOL_DAYU_PUBLIC_KEY")
        .output()
        .unwrap()
}

fn creds() -> Credentials {
    let key = |p: &str| KeyPath {
        path: root().join(p),
        named_by: "test",
    };
    Credentials::new(
        Some(Secret::new(SECRET)),
        Some(key(PRIVATE_KEY)),
        Some(key(PUBLIC_KEY)),
    )
}

/// Signs a generated body as `sample` does, and checks it the way a receiver would:
/// through the `Vendor` trait, from the bytes that are sent.
fn sign_and_verify(v: &dyn Vendor, creds: &Credentials, body: &[u8]) -> Value {
    let msg = Message::new("sample", body);
    let (sent, headers) = match v.id() {
        "dayu" => {
            let sig = v.sign(&msg, creds).unwrap();
            (body.to_vec(), vec![("Dayu-Sign".to_string(), sig)])
        }
        _ => (v.embed(&msg, creds).unwrap(), Vec::new()),
    };
    let received = Message::with_headers("received", &sent, headers);
    let target = vendor::target(v, &received, None).unwrap();
    assert_eq!(target.origin, SignatureOrigin::Sender);
    let verdict = v.verify(&received, creds, &target).unwrap();
    assert!(
        verdict.valid,
        "{:?}\n{}",
        verdict.reason,
        String::from_utf8_lossy(&sent)
    );
    check(v, &sent)
}

/// What every sample must be. Schema validation (another branch) is one more line here:
/// `cbtool::schema::validate(v.id(), &value).unwrap();`
fn check(v: &dyn Vendor, bytes: &[u8]) -> Value {
    let value: Value = serde_json::from_slice(bytes).unwrap();
    let top = cbtool::json::TopLevel::parse("sample", bytes).unwrap();
    assert!(std::ptr::eq(
        vendor::detect("sample", &top).unwrap() as *const dyn Vendor as *const u8,
        v as *const dyn Vendor as *const u8
    ));
    value
}

/// Keys of every nested object are alphabetical, as fastjson writes them.
fn assert_sorted(value: &Value, path: &str) {
    match value {
        Value::Object(map) => {
            let keys: Vec<&String> = map.keys().collect();
            let mut sorted = keys.clone();
            sorted.sort();
            assert_eq!(keys, sorted, "keys of {path}");
            for (k, v) in map {
                assert_sorted(v, &format!("{path}.{k}"));
            }
        }
        Value::Array(items) => items.iter().for_each(|v| assert_sorted(v, path)),
        _ => {}
    }
}

const LIGHTS: &[&str] = &[
    "20_Engine Malfunction",
    "16_insufficient engine oil",
    "1_Open Window",
    "15_Abnormal fluid Tempreture",
    "19_Air bag Malfunction",
    "20_发动机故障",
    "16_机油不足",
    "1_门窗未关闭",
    "15_水温异常",
    "19_安全气囊故障",
];

#[test]
fn autox3_samples_verify_and_look_real_over_200_seeds() {
    let v: &dyn Vendor = &vendor::autox3::AutoX3;
    let creds = creds();
    for seed in 0..200 {
        let mut g = Generator::new(seed);
        for sample in v.sample(&mut g, Plan::One).unwrap() {
            let text = String::from_utf8(sample.body.clone()).unwrap();
            assert!(text.contains(r#""msgSignature":"""#), "{text}");
            let value = sign_and_verify(v, &creds, &sample.body);
            let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
            let documented = [
                "content",
                "createTime",
                "msgType",
                "msgSignature",
                "msgId",
                "staffInfo",
            ];
            assert_eq!(keys, documented, "seed {seed}");
            assert_eq!(value["msgType"], "event.autox3.order.receivebase.create");
            assert_sorted(&value["content"], "content");
            assert_sorted(&value["staffInfo"], "staffInfo");
            let car = &value["content"]["carInfo"];
            let vin_text = car["carVin"].as_str().unwrap();
            assert!(vin::is_valid(vin_text), "seed {seed}: {vin_text}");
            let pre = &value["content"]["preCheckInfo"];
            for light in pre["lightInfo"].as_array().unwrap() {
                assert!(LIGHTS.contains(&light.as_str().unwrap()), "{light}");
            }
            // Odometer readings are Java doubles: `67000.0`, never `67000`.
            let odo = format!(
                r#""odograph":{}.0,"#,
                pre["odograph"].as_f64().unwrap() as i64
            );
            assert!(text.contains(&odo), "seed {seed}: {text}");
            assert!(value["createTime"].as_i64().unwrap() > 1_700_000_000_000);
        }
    }
}

/// The documented `status`/`subStatus` after each progress number.
fn documented_status(progress: i64) -> (i64, Option<i64>) {
    match progress {
        0 => (8, None),
        1 => (1, None),
        2 => (2, None),
        3 => (3, Some(1)),
        5 => (4, None),
        6 => (4, Some(1)),
        7 | 9 => (4, Some(6)),
        8 => (5, None),
        10 => (6, None),
        n => panic!("undocumented serviceProgessTimeNum {n}"),
    }
}

fn assert_dayu_shape(value: &Value) -> i64 {
    assert_sorted(value, "body");
    let progress = value["orderRecord"]["serviceProgessTimeNum"]
        .as_i64()
        .unwrap();
    let (status, sub) = documented_status(progress);
    assert_eq!(value["status"].as_i64(), Some(status), "{value}");
    assert_eq!(value["subStatus"].as_i64(), sub, "{value}");
    assert!(value["orderId"].is_i64());
    let time = value["createTime"].as_str().unwrap();
    assert_eq!(time.len(), 19, "{time}");
    progress
}

#[test]
fn dayu_samples_verify_over_200_seeds() {
    let v: &dyn Vendor = &vendor::dayu::Dayu;
    let creds = creds();
    for seed in 0..200 {
        let mut g = Generator::new(seed);
        for sample in v.sample(&mut g, Plan::One).unwrap() {
            let value = sign_and_verify(v, &creds, &sample.body);
            assert_dayu_shape(&value);
        }
    }
}

#[test]
fn dayu_lifecycles_are_legal_histories() {
    let v: &dyn Vendor = &vendor::dayu::Dayu;
    let creds = creds();
    for seed in 0..20 {
        for (path, last) in [
            (LifecyclePath::Complete, 8),
            (LifecyclePath::Cancel, 10),
            (LifecyclePath::Rework, 9),
        ] {
            let mut g = Generator::new(seed);
            let samples = v.sample(&mut g, Plan::Lifecycle(path)).unwrap();
            let mut previous: Option<(i64, String)> = None;
            let mut order = None;
            for sample in &samples {
                let value = sign_and_verify(v, &creds, &sample.body);
                let progress = assert_dayu_shape(&value);
                let time = value["orderRecord"]["createTime"]
                    .as_str()
                    .unwrap()
                    .to_string();
                if let Some((p, t)) = &previous {
                    assert!(progress > *p, "seed {seed} {path:?}: {p} then {progress}");
                    assert!(time >= *t, "seed {seed}: {t} then {time}");
                }
                let id = value["orderId"].as_i64();
                assert!(order.is_none() || order == id, "one order per history");
                order = id;
                previous = Some((progress, time));
            }
            assert_eq!(previous.map(|p| p.0), Some(last), "{path:?}");
            assert_eq!(samples[0].name, "created");
        }
    }
}

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
    let v = vendor::by_id(vendor_id).unwrap();
    let msg = Message::with_headers("captured", &request.body, request.headers.clone());
    assert_eq!(msg.header("Content-Type"), Some("application/json"));
    let target: Target = vendor::target(v, &msg, None).unwrap();
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
