//! The secret and the private key never appear in anything cbtool writes: every command
//! that takes one (sign, verify with each flag, replay with each report, listen with
//! its answers, logs, saved requests and store), on success and on failure.
//! cbtool has no verbosity flag; `--json` and text are the two output modes covered.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

mod support;

use std::path::Path;

use support::{cbtool, Action, Server};

const SECRET_TEXT: &str = "cbtool-test-only-secret";
const SECRET: &str = "fixtures/autox3/secret.txt";
const PRIVATE: &str = "fixtures/dayu/keys/private.pem";
const AUTOX3: &str = "fixtures/autox3/receivebase-create.compact.json";
const DAYU: &str = "fixtures/dayu/envelopes/03-accepted.json";

/// What must never be printed: the secret, and every base64 line of the private key.
fn forbidden() -> Vec<String> {
    let pem = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(PRIVATE)).unwrap();
    let mut needles: Vec<String> = pem
        .lines()
        .filter(|l| !l.starts_with("-----") && l.len() >= 16)
        .map(str::to_string)
        .collect();
    needles.push(SECRET_TEXT.to_string());
    needles
}

fn assert_clean(what: &str, text: &str) {
    for needle in forbidden() {
        assert!(!text.contains(&needle), "{what} leaks `{needle}`:\n{text}");
    }
}

/// Runs cbtool and checks stdout and stderr; returns the exit code. Without flags the
/// credentials come from the variables (clap refuses a variable secret next to
/// `--secret-file`, so the two are not mixed).
fn run_clean(args: &[&str]) -> i32 {
    let mut command = cbtool(args);
    if !args
        .iter()
        .any(|a| a.starts_with("--secret") || *a == "--private-key")
    {
        command = command
            .env("CBTOOL_AUTOX3_SECRET", SECRET_TEXT)
            .env("CBTOOL_DAYU_PRIVATE_KEY", PRIVATE);
    }
    let out = command.run();
    assert_clean(&format!("{args:?}"), &out.all_output());
    out.no_panic();
    out.code
}

/// Inputs that verify, that fail, and that are not callbacks at all.
fn inputs(dir: &Path) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tamper = |from: &str, name: &str, a: &str, b: &str| {
        let text = std::fs::read_to_string(root.join(from))
            .unwrap()
            .replacen(a, b, 1);
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    };
    let broken = dir.join("broken.json");
    std::fs::write(&broken, b"{\"msgId\":").unwrap();
    vec![
        AUTOX3.to_string(),
        DAYU.to_string(),
        tamper(
            AUTOX3,
            "autox3-tampered.json",
            "\"msgId\":\"",
            "\"msgId\":\"x",
        ),
        tamper(
            DAYU,
            "dayu-tampered.json",
            "\"orderId\": 5577",
            "\"orderId\": 5578",
        ),
        broken.to_str().unwrap().to_string(),
    ]
}

#[test]
fn sign_and_verify_never_print_the_secret_or_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let theirs = dir.path().join("theirs.txt");
    std::fs::write(&theirs, "orderId=1&msgId=x").unwrap();
    let theirs = theirs.to_str().unwrap();
    let creds: [&[&str]; 3] = [
        &["--secret-file", SECRET, "--private-key", PRIVATE],
        &["--secret", SECRET_TEXT, "--private-key", PRIVATE],
        &[], // from the variables
    ];
    let modes: [&[&str]; 9] = [
        &["sign"],
        &["sign", "--json"],
        &["sign", "--embed"],
        &["verify"],
        &["verify", "--json"],
        &["verify", "--explain"],
        &["verify", "--explain", "--json"],
        &["verify", "--explain", "--signed-string", theirs],
        &["verify", "--signature", "0000", "--explain"],
    ];
    let mut codes = std::collections::BTreeSet::new();
    for input in inputs(dir.path()) {
        for cred in creds {
            for mode in modes {
                let mut args: Vec<&str> = mode.to_vec();
                args.extend(cred);
                args.push(&input);
                codes.insert(run_clean(&args));
            }
        }
    }
    // Success, failed checks and input errors were all exercised.
    assert_eq!(codes.into_iter().collect::<Vec<_>>(), vec![0, 1, 2]);
}

#[test]
fn replay_reports_never_hold_the_secret_or_the_key() {
    for (action, expected) in [
        (Action::ok(), 0),
        (
            Action::status(500, SECRET_TEXT.len().to_string().as_str()),
            1,
        ),
    ] {
        // Two inputs, each with and without --json, one attempt each.
        let server = Server::new(move |_, _| action.clone()).hits(4);
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("report.json");
        let junit = dir.path().join("junit.xml");
        let url = server.url();
        for input in [AUTOX3, DAYU] {
            for json in [true, false] {
                let mut args = vec![
                    "replay",
                    "--url",
                    &url,
                    "--no-retry",
                    "--secret-file",
                    SECRET,
                    "--private-key",
                    PRIVATE,
                    "--report",
                    report.to_str().unwrap(),
                    "--junit",
                    junit.to_str().unwrap(),
                ];
                if json {
                    args.push("--json");
                }
                args.push(input);
                let code = run_clean(&args);
                assert_eq!(code, expected, "{args:?}");
                assert_clean("report", &std::fs::read_to_string(&report).unwrap());
                assert_clean("junit", &std::fs::read_to_string(&junit).unwrap());
            }
        }
        // What went over the wire carries signatures, never the secret or the key.
        for r in server.requests() {
            assert_clean("request", &String::from_utf8_lossy(&r.body));
            assert_clean("headers", &format!("{:?}", r.headers));
        }
    }
}

#[test]
fn listen_answers_logs_and_files_never_hold_the_secret_or_the_key() {
    use support::listen::*;
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("saved");
    let store = dir.path().join("store.jsonl");
    // Once answering normally, once with a fault injected first (the refusal path).
    for faulty in [false, true] {
        let mut args = vec![
            "--save",
            save.to_str().unwrap(),
            "--store",
            store.to_str().unwrap(),
            "--private-key",
            PRIVATE,
            "--max-requests",
            "5",
        ];
        if faulty {
            args.push("--fail-first");
            args.push("1");
        }
        let l = listen(&args);
        let (dayu_body, sign) = dayu_event();
        let tampered =
            String::from_utf8(autox3_body())
                .unwrap()
                .replacen("\"msgId\":\"", "\"msgId\":\"y", 1);
        let answers = [
            post(&l.addr, &[], &autox3_body()),
            post(&l.addr, &[], tampered.as_bytes()),
            post(&l.addr, &[("Dayu-Sign", &sign)], &dayu_body),
            post(&l.addr, &[("Dayu-Sign", "AAAA")], &dayu_body),
            post(&l.addr, &[], b"{not json"),
        ];
        for a in &answers {
            assert_clean("listen answer", &a.body);
        }
        // A refusal never carries the signature the callback should have had: that
        // would make the receiver a signing oracle.
        let expected_autox3 = expected_signature(tampered.as_bytes());
        assert!(
            !answers[1].body.contains(&expected_autox3),
            "{}",
            answers[1].body
        );
        assert!(!answers[3].body.contains(&sign), "{}", answers[3].body);
        let (_, out, err) = l.finish();
        assert_clean("listen stdout", &out);
        assert_clean("listen stderr", &err);
    }
    assert_clean(
        "store",
        &std::fs::read_to_string(&store).unwrap_or_default(),
    );
    for entry in std::fs::read_dir(&save).unwrap() {
        let text = std::fs::read(entry.unwrap().path()).unwrap();
        assert_clean("saved request", &String::from_utf8_lossy(&text));
    }
}

/// What `cbtool sign` says the AutoX3 body should carry.
fn expected_signature(body: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("body.json");
    std::fs::write(&path, body).unwrap();
    let out = cbtool(["sign", "--secret-file", SECRET, path.to_str().unwrap()]).run();
    let sig = out.stdout.trim().to_string();
    assert_eq!(sig.len(), 40, "{sig}");
    sig
}

#[test]
fn a_secret_file_wins_over_an_exported_secret() {
    let out = cbtool(["verify", "--secret-file", SECRET, AUTOX3])
        .env("CBTOOL_AUTOX3_SECRET", "some-other-secret")
        .run();
    out.success();
    assert!(!out.stderr.contains("some-other-secret"), "{out:?}");
}
