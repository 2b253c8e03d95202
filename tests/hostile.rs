//! Hostile input for every command that reads a file (verify, sign, validate) and for
//! keys: each must end within a deadline with exit 1 or 2 and one `error:` line naming
//! the file (and the position, for JSON), never a panic. The deadline is enforced by
//! killing the child, so a hang fails the test instead of stalling it.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure report

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{PRIVATE_KEY, PUBLIC_KEY, SECRET_FILE};

/// Generous: the machine running CI may be loaded; a hang is minutes, not seconds.
const DEADLINE: Duration = Duration::from_secs(60);

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs cbtool with a deadline: the child is killed (and the test fails) when it passes.
fn run(args: &[&str]) -> Outcome {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cbtool"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("CBTOOL_AUTOX3_SECRET")
        .env_remove("CBTOOL_DAYU_PRIVATE_KEY")
        .env_remove("CBTOOL_DAYU_PUBLIC_KEY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("cbtool {args:?} still running after {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Outcome {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&reader.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned(),
    }
}

impl Outcome {
    /// Exit 1 or 2, no panic, and, on exit 2, exactly one `error:` line that names
    /// `file` and contains `needle`.
    fn rejected(&self, file: &str, needle: &str) {
        let all = format!("{}{}", self.stdout, self.stderr);
        assert!(!all.contains("panicked"), "{all}");
        assert!(
            self.code == 1 || self.code == 2,
            "exit {} for {file}: {all}",
            self.code
        );
        assert!(all.contains(file), "{file} not named: {all}");
        if self.code == 2 {
            let lines: Vec<&str> = self
                .stderr
                .lines()
                .filter(|l| !l.starts_with("warning:"))
                .collect();
            assert_eq!(lines.len(), 1, "want one error line:\n{}", self.stderr);
            assert!(lines[0].starts_with("error: "), "{}", self.stderr);
            assert!(lines[0].contains(file), "{}", self.stderr);
            assert!(lines[0].contains(needle), "`{needle}` not in {}", lines[0]);
        } else {
            assert!(all.contains(needle), "`{needle}` not in {all}");
        }
    }
}

/// The commands that read a callback file, with the credentials they need.
fn commands(path: &str) -> Vec<Vec<String>> {
    let cmds: [&[&str]; 5] = [
        &[
            "verify",
            "--secret-file",
            SECRET_FILE,
            "--public-key",
            PUBLIC_KEY,
        ],
        &[
            "verify",
            "--explain",
            "--secret-file",
            SECRET_FILE,
            "--public-key",
            PUBLIC_KEY,
        ],
        &[
            "sign",
            "--secret-file",
            SECRET_FILE,
            "--private-key",
            PRIVATE_KEY,
        ],
        &[
            "sign",
            "--embed",
            "--secret-file",
            SECRET_FILE,
            "--private-key",
            PRIVATE_KEY,
        ],
        &["validate"],
    ];
    cmds.iter()
        .map(|c| {
            c.iter()
                .map(|s| s.to_string())
                .chain([path.to_string()])
                .collect()
        })
        .collect()
}

/// Writes `bytes` to a file named `name` and runs every command on it.
fn each_command(name: &str, bytes: &[u8], needle: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let path = path.to_str().unwrap();
    for cmd in commands(path) {
        let args: Vec<&str> = cmd.iter().map(String::as_str).collect();
        let out = run(&args);
        // sign may accept what is well-formed enough to sign (deep content, big
        // numbers as their text); validate reports content problems as findings (exit 1).
        if args[0] == "sign" && out.code == 0 && needle.is_empty() {
            assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
            continue;
        }
        out.rejected(path, needle);
    }
}

#[test]
fn empty_blank_bom_and_not_text() {
    each_command("empty.json", b"", "empty");
    each_command("blank.json", b" \n\t\r\n ", "empty");
    each_command(
        "bom.json",
        b"\xef\xbb\xbf{\"msgId\":\"m\"}",
        "byte order mark",
    );
    each_command("invalid-utf8.json", b"{\"msgId\": \"\xc3\x28\"}", ":1:");
    each_command("nul.json", b"{\"msgId\":\"a\0b\"}", ":1:");
    each_command("nul-only.json", &[0u8; 64], ":1:1");
    let binary: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    each_command("binary.bin", &binary, ":1:");
}

/// An AutoX3 callback carrying a signature, so that every command reaches `content`.
fn autox3_with_content(content: &[u8]) -> Vec<u8> {
    let mut body = br#"{"msgId":"m","msgType":"t","staffInfo":{},"createTime":1,"msgSignature":"AB","content":"#.to_vec();
    body.extend_from_slice(content);
    body.push(b'}');
    body
}

/// A Dayu envelope with a signature, so that every command reaches the numbers.
fn dayu_envelope(order_id: &str, progress: &str) -> Vec<u8> {
    format!(
        r#"{{"headers":{{"Dayu-Sign":"AAAA"}},"body":{{"orderId":{order_id},"orderRecord":{{"serviceProgessTimeNum":{progress}}}}}}}"#
    )
    .into_bytes()
}

#[test]
fn wrong_shapes_and_numbers() {
    each_command("array.json", b"[1,2,3]", "array");
    each_command("null.json", b"null", "null");
    each_command("string.json", b"\"msgId\"", "string");
    each_command("dup.json", br#"{"msgId":"a","msgId":"b"}"#, "duplicate");
    each_command("truncated.json", br#"{"msgId":"a","content":{"x":"#, ":1:");
    // Numbers no integer holds: an error (or a finding), never a panic or a wrong sign.
    each_command("huge-number.json", &dayu_envelope("1e400", "1"), "");
    each_command(
        "long-int.json",
        &dayu_envelope("184467440737095516160", "1"),
        "",
    );
    each_command("negative-zero.json", &dayu_envelope("-0", "1.5"), "");
    each_command(
        "autox3-1e400.json",
        &autox3_with_content(br#"{"n":1e400}"#),
        "",
    );
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    let depth = 200_000;
    let mut arrays = Vec::new();
    arrays.extend(std::iter::repeat_n(b'[', depth));
    arrays.extend(std::iter::repeat_n(b']', depth));
    each_command("deep-arrays.json", &autox3_with_content(&arrays), "");
    let mut objects = Vec::new();
    for _ in 0..depth {
        objects.extend_from_slice(b"{\"a\":");
    }
    objects.push(b'1');
    objects.extend(std::iter::repeat_n(b'}', depth));
    each_command("deep-objects.json", &autox3_with_content(&objects), "");
    each_command("deep-unclosed.json", &arrays[..depth], ":1:");
}

#[test]
fn a_20_mb_string_is_refused_or_handled() {
    let mut big = b"{\"msgId\":\"".to_vec();
    big.extend(std::iter::repeat_n(b'x', 20 * 1024 * 1024));
    big.extend_from_slice(b"\"}");
    each_command("big.json", &big, "big.json");
}

fn autox3_valid() -> serde_json::Value {
    serde_json::from_slice(&common::fixture(
        "fixtures/autox3/receivebase-create.en.json",
    ))
    .unwrap()
}

fn dayu_valid() -> serde_json::Value {
    serde_json::from_slice(&common::fixture("fixtures/dayu/events/01-created.json")).unwrap()
}

/// Values of every JSON type; each field gets the ones that are not its type.
fn wrong_values() -> Vec<serde_json::Value> {
    use serde_json::json;
    vec![
        json!(null),
        json!(true),
        json!(7),
        json!(-1.5),
        json!("s"),
        json!([1]),
        json!({"k": 1}),
    ]
}

fn same_type(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b) || (a.is_number() && b.is_number())
}

/// Every top-level field (and, for Dayu, every orderRecord field) set to each wrong
/// type: verify and sign reject with exit 2, validate finds it (exit 1); none panics.
#[test]
fn every_field_of_the_wrong_type() {
    let dir = tempfile::tempdir().unwrap();
    let mut cases = Vec::new();
    let auto = autox3_valid();
    for (key, value) in auto.as_object().unwrap() {
        for wrong in wrong_values().iter().filter(|w| !same_type(w, value)) {
            let mut body = auto.clone();
            body[key] = wrong.clone();
            cases.push((format!("autox3-{key}"), body, key.clone()));
        }
    }
    let dayu = dayu_valid();
    for (key, value) in dayu.as_object().unwrap() {
        for wrong in wrong_values().iter().filter(|w| !same_type(w, value)) {
            let mut body = dayu.clone();
            body[key] = wrong.clone();
            cases.push((format!("dayu-{key}"), body, key.clone()));
        }
    }
    for (key, value) in dayu["orderRecord"].as_object().unwrap() {
        for wrong in wrong_values().iter().filter(|w| !same_type(w, value)) {
            let mut body = dayu.clone();
            body["orderRecord"][key] = wrong.clone();
            cases.push((format!("dayu-record-{key}"), body, key.clone()));
        }
    }
    for (i, (name, body, _key)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("{name}-{i}.json"));
        std::fs::write(&path, serde_json::to_vec_pretty(body).unwrap()).unwrap();
        let path = path.to_str().unwrap();
        let verify = run(&[
            "verify",
            "--secret-file",
            SECRET_FILE,
            "--public-key",
            PUBLIC_KEY,
            path,
        ]);
        // A field outside the signed set may still verify; the rest must fail cleanly.
        if verify.code != 0 {
            verify.rejected(path, "");
        }
        let validate = run(&["validate", path]);
        validate.rejected(path, "");
    }
}

fn key_file(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

const DAYU_EVENT: &str = "fixtures/dayu/events/03-accepted.json";

#[test]
fn bad_keys_are_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let pem = String::from_utf8(common::fixture(PRIVATE_KEY)).unwrap();
    let cases: Vec<(String, &str)> = vec![
        (key_file(dir.path(), "empty.pem", b""), "empty"),
        (
            key_file(
                dir.path(),
                "truncated.pem",
                &pem.as_bytes()[..pem.len() / 2],
            ),
            "truncated.pem",
        ),
        (
            key_file(
                dir.path(),
                "label.pem",
                pem.replace("PRIVATE KEY", "CERTIFICATE REQUEST").as_bytes(),
            ),
            "label.pem",
        ),
        (
            "fixtures/dayu/keys/ec-private.pem".to_string(),
            "ec-private.pem",
        ),
        (
            key_file(dir.path(), "binary.der", &[0x30, 0x82, 0xff, 0xff, 0, 1, 2]),
            "binary.der",
        ),
    ];
    for (path, needle) in &cases {
        let sign = run(&["sign", "--private-key", path, DAYU_EVENT]);
        sign.rejected(path, needle);
        let verify = run(&[
            "verify",
            "--public-key",
            path,
            "fixtures/dayu/envelopes/03-accepted.json",
        ]);
        verify.rejected(path, needle);
    }
}

#[test]
fn a_512_bit_key_works_with_a_weak_key_warning() {
    let sign = run(&[
        "sign",
        "--private-key",
        "fixtures/dayu/keys/weak-512.pem",
        DAYU_EVENT,
    ]);
    assert_eq!(sign.code, 0, "{}", sign.stderr);
    assert!(
        sign.stderr.contains("warning:") && sign.stderr.contains("512 bits"),
        "{}",
        sign.stderr
    );
    let verify = run(&[
        "verify",
        "--public-key",
        "fixtures/dayu/keys/weak-512.pub.pem",
        "fixtures/dayu/envelopes/03-accepted.json",
    ]);
    assert_eq!(verify.code, 1, "{}", verify.stderr);
    assert!(verify.stderr.contains("512 bits"), "{}", verify.stderr);
    assert!(!verify.stderr.contains("panicked"));
}
