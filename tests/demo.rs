//! End-to-end tests of `cbtool demo`: the debug binary runs the whole scenario (real
//! receiver, real replay over loopback HTTP) with a small time scale and a small key.

// A test that cannot unwrap has failed: panicking is the report.
#![allow(clippy::unwrap_used)]

mod support;

use support::cbtool;

const SECRET: &str = "demo-secret-never-printed-7f3a9c";

fn demo(extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["demo", "--time-scale", "0.001", "--bits", "1024"];
    args.extend_from_slice(extra);
    let out = cbtool(args).run();
    (out.code, out.stdout, out.stderr)
}

#[test]
fn the_demo_passes_and_shows_retries_the_tally_and_the_tampered_refusal() {
    let (code, out, err) = demo(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("attempt 3/7     HTTP 200"), "{err}");
    assert!(err.contains("attempt 7/7     HTTP 401"), "{err}");
    assert!(
        err.contains("13 message(s): 12 delivered, 1 not acknowledged"),
        "{err}"
    );
    assert!(
        err.contains("receiver: 25 requests: 11 processed, 1 duplicates, 7 rejected, 6 faults injected (as expected)"),
        "{err}"
    );
    assert!(err.contains("schema [autox3.msg-type] /msgType"), "{err}");
    assert!(
        err.contains("(tampered after signing)")
            && err.contains("refused with 401 on all 7 attempts"),
        "{err}"
    );
    assert!(!err.contains("FAIL "), "{err}");
    assert!(err.trim_end().ends_with("demo: OK: all 13 expectations held (retries, de-duplication and the refused tampered callback)"), "{err}");
}

#[test]
fn json_report_and_the_secret_and_private_key_never_appear() {
    let (code, out, err) = demo(&["--json", "--secret", SECRET]);
    assert_eq!(code, 0, "{err}");
    for text in [&out, &err] {
        assert!(!text.contains(SECRET), "the secret leaked");
        assert!(!text.contains("PRIVATE KEY"), "a key leaked");
    }
    assert!(err.contains("<appSecret: 32 bytes>"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(v["receiver"]["tally"], v["receiver"]["expected_tally"]);
    assert_eq!(v["receiver"]["tally"]["processed"], 11);
    assert_eq!(v["replay"]["summary"]["messages"], 13);
    assert_eq!(v["checks"].as_array().unwrap().len(), 13);
    assert!(v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["ok"] == true));
}

#[test]
fn a_bad_time_scale_is_a_usage_error() {
    let out = cbtool(["demo", "--time-scale", "0", "--bits", "1024"]).run();
    let (code, err) = (out.code, out.stderr);
    assert_eq!(code, 2);
    // clap's usage error, naming the flag and what is wrong with the value.
    assert!(
        err.starts_with(
            "error: invalid value '0' for '--time-scale <F>': `0` is not a positive number"
        ),
        "{err}"
    );
}
