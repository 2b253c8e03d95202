//! Every diagnosis cause, on payloads that Python signed the wrong way
//! (`fixtures/autox3/diagnosis/README.md` has the expression for each).

mod support;

use support::*;

fn explain(path: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "verify",
        "--explain",
        "--json",
        "--secret-file",
        SECRET_FILE,
    ];
    args.extend_from_slice(extra);
    args.push(path);
    let run = cbtool(&args).run();
    assert!(run.code == 0 || run.code == 1, "{path}: {}", run.stderr);
    assert!(
        !run.all_output().contains(SECRET),
        "secret leaked for {path}"
    );
    run.json()
}

#[test]
fn each_wrong_way_is_named() {
    let cases = [
        ("sorted_keys", "sorted_keys"),
        ("python_separators", "python_separators"),
        ("unicode_escapes", "unicode_escapes"),
        ("escaped_slashes", "escaped_slashes"),
        ("float_as_integer", "float_as_integer"),
        ("pretty_printed", "pretty_printed"),
        ("inner_staff_info", "inner_staff_info"),
        ("secret_first", "secret_first"),
        ("field_order", "field_order"),
        ("create_time_string", "create_time_string"),
        ("trailing_newline", "trailing_newline"),
        ("content_as_string", "content_as_string"),
        ("python_default", "python_default"),
    ];
    for (file, cause) in cases {
        let report = explain(&format!("fixtures/autox3/diagnosis/{file}.json"), &[]);
        assert_eq!(report["valid"], false, "{file}");
        assert_eq!(report["vendor"], "autox3");
        assert_eq!(
            report["diagnosis"]["matched"], cause,
            "{file}: {}",
            report["diagnosis"]
        );
        let tried = report["diagnosis"]["tried"].as_array().unwrap();
        assert!(
            tried.iter().any(|t| t == cause.split('+').next().unwrap()),
            "{file}"
        );
        let explanation = report["diagnosis"]["explanation"].as_str().unwrap();
        assert!(
            explanation.contains("sender"),
            "{file}: the payload's own signature is the sender's: {explanation}"
        );
    }
}

#[test]
fn a_wrong_secret_matches_nothing_and_says_what_remains() {
    let report = explain("fixtures/autox3/diagnosis/wrong_secret.json", &[]);
    assert_eq!(report["diagnosis"]["matched"], serde_json::Value::Null);
    assert!(report["diagnosis"]["explanation"]
        .as_str()
        .unwrap()
        .contains("different appSecret"));
}

#[test]
fn user_signature_is_diagnosed_as_the_users_code() {
    // The receiver's story: the header says one thing, my code computed another.
    let mine =
        String::from_utf8(fixture("fixtures/autox3/diagnosis/python_separators.json")).unwrap();
    let mine: serde_json::Value = serde_json::from_str(&mine).unwrap();
    let sig = mine["msgSignature"].as_str().unwrap();
    let report = explain(
        "fixtures/autox3/receivebase-create.compact.json",
        &["--signature", sig],
    );
    assert_eq!(report["diagnosis"]["matched"], "python_separators");
    assert!(report["diagnosis"]["explanation"]
        .as_str()
        .unwrap()
        .starts_with("Your signature"));
}

#[test]
fn pretty_body_signed_compact_is_named() {
    // The en fixture keeps the document's layout; a sender that compacted before signing
    // produces the compact fixture's signature (computed by sha1sum).
    let report = explain(
        "fixtures/autox3/receivebase-create.en.json",
        &["--signature", "E60158B65CAC5E411CF26A925CA952FA5A350D52"],
    );
    assert_eq!(report["diagnosis"]["matched"], "compact_json");
}

#[test]
fn sha256_and_hmac_are_recognised() {
    // cd fixtures/autox3 && sha256sum signed-strings/compact.correct.txt
    let sha256 = "fef645fb414b28a75fceffef4e5eff794eee878efbc412c9bb5cd38cfb7d1d5f";
    let report = explain(
        "fixtures/autox3/receivebase-create.compact.json",
        &["--signature", sha256],
    );
    assert_eq!(
        report["diagnosis"]["matched"], "sha256",
        "{}",
        report["diagnosis"]
    );
    // head -c -23 signed-strings/compact.correct.txt | openssl dgst -sha1 -hmac cbtool-test-only-secret
    let hmac = "97bfe728238b07e9da5d979f50a9868af42184d8";
    let report = explain(
        "fixtures/autox3/receivebase-create.compact.json",
        &["--signature", hmac],
    );
    assert_eq!(
        report["diagnosis"]["matched"], "hmac_sha1",
        "{}",
        report["diagnosis"]
    );
}

#[test]
fn signed_string_comparison_points_at_the_first_difference() {
    let run = cbtool([
        "verify",
        "--secret-file",
        SECRET_FILE,
        "--signed-string",
        "fixtures/autox3/signed-strings/en.sorted-keys.txt",
        "fixtures/autox3/receivebase-create.en.json",
    ])
    .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("your signed string: first difference at byte 72"),
        "{}",
        run.stdout
    );
    assert!(!run.all_output().contains(SECRET));
}
