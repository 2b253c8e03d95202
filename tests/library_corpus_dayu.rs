//! The Dayu half of the library corpus (issue 15): every signature in
//! fixtures/libraries/dayu/cases.jsonl was made by a real library (pyca cryptography,
//! pycryptodome, java.security, Node crypto, Go crypto/rsa, PHP openssl, the openssl
//! CLI; see the README there) and checked with openssl by its generate.sh. cbtool must
//! name each case's families exactly, verify every control with no cause, and give the
//! honest fallback (no cause, what is known) for the cases marked unreachable.

mod support;

use serde_json::Value;
use support::*;

const DIR: &str = "fixtures/libraries/dayu";

fn cases() -> Vec<Value> {
    let path = format!("{}/{DIR}/cases.jsonl", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{path}: {e}: {l}")))
        .collect()
}

/// A text member of a case; the corpus format says every one is there.
fn text<'c>(case: &'c Value, name: &str) -> &'c str {
    case[name]
        .as_str()
        .unwrap_or_else(|| panic!("no `{name}` in {case}"))
}

/// The case's `expect` families, sorted.
fn expected(case: &Value) -> Vec<String> {
    let mut set: Vec<String> = case["expect"]
        .as_array()
        .unwrap_or_else(|| panic!("no `expect` in {case}"))
        .iter()
        .filter_map(|e| e.as_str().map(str::to_string))
        .collect();
    set.sort();
    set
}

fn explain(case: &Value) -> Value {
    let body = format!("{DIR}/{}", text(case, "body"));
    let run = cbtool([
        "verify",
        &body,
        "--vendor",
        "dayu",
        "--public-key",
        PUBLIC_KEY,
        "--signature",
        text(case, "signature"),
        "--explain",
        "--json",
    ])
    .run();
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.json()
}

fn matched_set(report: &Value) -> Option<Vec<String>> {
    let mut set: Vec<String> = report["diagnosis"]["matched"]
        .as_str()?
        .split('+')
        .map(str::to_string)
        .collect();
    set.sort();
    Some(set)
}

/// What went wrong with one case, or None when cbtool named it as it should.
fn judge(case: &Value, report: &Value) -> Option<String> {
    let expect = expected(case);
    let matched = matched_set(report);
    let explanation = report["diagnosis"]["explanation"].as_str().unwrap_or("");
    let wrapped = expect == ["wrapped_base64"];
    if case["control"] == true {
        return (report["valid"] != true || matched.is_some())
            .then(|| format!("control: valid={} matched={matched:?}", report["valid"]));
    }
    if report["valid"] != wrapped {
        return Some(format!("valid={} (want {wrapped})", report["valid"]));
    }
    if case["note"]
        .as_str()
        .unwrap_or("")
        .starts_with("unreachable")
    {
        let honest = matched.is_none()
            && explanation.contains("made by this key")
            && !explanation.contains("Another private key");
        return (!honest)
            .then(|| format!("want the honest fallback, got {matched:?}: {explanation}"));
    }
    (matched.as_ref() != Some(&expect)).then(|| format!("matched {matched:?}, want {expect:?}"))
}

#[test]
fn every_library_case_is_named_and_every_control_verifies() {
    let cases = cases();
    assert!(cases.len() >= 40, "the corpus has {} cases", cases.len());
    // Combined mistakes must be named completely, not only the first one found.
    assert!(cases.iter().filter(|c| expected(c).len() >= 3).count() >= 2);
    let mut named = 0;
    let mut failures = Vec::new();
    println!("{:<40} {:<32} result", "case", "expect");
    for case in &cases {
        let report = explain(case);
        let verdict = judge(case, &report);
        let id = text(case, "id");
        let expect = expected(case);
        println!(
            "{id:<40} {:<32} {}",
            expect.join("+"),
            verdict.as_deref().unwrap_or("named")
        );
        match verdict {
            None => named += 1,
            Some(why) => failures.push(format!("{id}: {why}")),
        }
    }
    println!("named {named} of {}", cases.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The report for every case whose families include one of `families`.
fn reports_with(families: &[&str]) -> Vec<(String, Value)> {
    cases()
        .into_iter()
        .filter(|c| expected(c).iter().any(|e| families.contains(&e.as_str())))
        .map(|c| (text(&c, "id").to_string(), explain(&c)))
        .collect()
}

#[test]
fn no_diagnosis_of_a_pss_or_nonewithrsa_signature_blames_the_key() {
    let reports = reports_with(&["pss", "none_with_rsa"]);
    assert!(reports.len() >= 20);
    for (id, report) in reports {
        let text = report["diagnosis"]["explanation"].as_str().unwrap();
        assert!(
            !text.contains("Another private key") && !text.contains("not PKCS#1"),
            "{id}: {text}"
        );
    }
}

#[test]
fn a_transport_mistake_gets_no_contradicting_headline() {
    let forms = [
        "hex_signature",
        "base64_of_hex",
        "plus_as_space",
        "urlsafe_base64",
    ];
    for (id, report) in reports_with(&forms) {
        let reason = report["reason"].as_str().unwrap_or("");
        assert!(
            reason.contains("Dayu sends standard base64")
                && !reason.contains("different key size")
                && !reason.contains("is cut"),
            "{id}: {reason}"
        );
    }
}

#[test]
fn wrapped_base64_verifies_but_the_strict_decoders_are_named() {
    let wrapped: Vec<Value> = cases()
        .into_iter()
        .filter(|c| c["expect"] == serde_json::json!(["wrapped_base64"]))
        .collect();
    assert!(wrapped.len() >= 3);
    for case in wrapped {
        let report = explain(&case);
        let text = report["diagnosis"]["explanation"].as_str().unwrap();
        assert!(
            text.contains("Base64.getDecoder()") && text.contains("validate=True"),
            "{text}"
        );
        assert!(!text.contains("Java's MIME"), "{text}");
        if case["id"] == "openssl-wrapped-64" {
            assert!(text.contains("openssl base64"), "{text}");
        }
    }
}

/// The families a signed string alone shows (the others are in the signature).
const STRING_FAMILIES: [&str; 6] = [
    "missing_value",
    "progress_spelling",
    "swapped_fields",
    "order_num",
    "whole_body",
    "trailing_newline",
];

#[test]
fn the_signed_string_each_library_hashed_names_every_difference() {
    let mut checked = 0;
    for case in cases() {
        let Some(signed) = case["signed_string"].as_str() else {
            continue;
        };
        let mut want: Vec<String> = expected(&case)
            .into_iter()
            .filter(|f| STRING_FAMILIES.contains(&f.as_str()))
            .collect();
        let run = cbtool([
            "verify",
            &format!("{DIR}/{}", text(&case, "body")),
            "--vendor",
            "dayu",
            "--public-key",
            PUBLIC_KEY,
            "--signature",
            text(&case, "signature"),
            "--signed-string",
            &format!("{DIR}/{signed}"),
            "--json",
        ])
        .run();
        let comparison = run.json()["signed_string_comparison"]
            .as_str()
            .unwrap()
            .to_string();
        let named: Vec<String> = comparison
            .split_once("(families: ")
            .and_then(|(_, rest)| rest.split_once(')'))
            .map(|(list, _)| list.split('+').map(str::to_string).collect())
            .unwrap_or_default();
        let mut named = named;
        named.sort();
        want.sort();
        let id = text(&case, "id");
        // The key opens every block but another key's: it tells whether this string is
        // the one signed.
        if case["control"] != true && !expected(&case).contains(&"wrong_key".to_string()) {
            assert!(
                comparison.starts_with("the signature covers exactly your string"),
                "{id}: {comparison}"
            );
        }
        if text(&case, "note").starts_with("unreachable") {
            assert!(
                comparison.contains("none of them a known family"),
                "{id}: {comparison}"
            );
        } else {
            assert_eq!(named, want, "{id}: {comparison}");
        }
        checked += 1;
    }
    assert!(checked >= 40, "{checked}");
}

#[test]
fn a_pss_diagnosis_reads_back_the_parameters_the_library_used() {
    // (case, what the explanation must say): salt lengths from the commands (openssl's
    // -2/max is the largest salt, 256 - 32 - 2 for SHA-256), MGF1 hashes from the specs.
    let want = [
        (
            "openssl-pkeyutl-pss-salt10",
            "(SHA-1, MGF1 over SHA-1, a 10-byte salt)",
        ),
        (
            "openssl-pss-sha256-saltlen-max",
            "(SHA-256, MGF1 over SHA-256, a 222-byte salt)",
        ),
        (
            "openssl-pkeyutl-pss-sha256-mgf1-sha1",
            "(SHA-256, MGF1 over SHA-1, a 0-byte salt)",
        ),
        (
            "java-pss-sha256-mgf1-sha1",
            "(SHA-256, MGF1 over SHA-1, a 20-byte salt)",
        ),
        (
            "node-pss-sha512-salt16",
            "(SHA-512, MGF1 over SHA-512, a 16-byte salt)",
        ),
        (
            "pycryptodome-pss-sha256",
            "(SHA-256, MGF1 over SHA-256, a 32-byte salt)",
        ),
    ];
    let cases = cases();
    for (id, params) in want {
        let case = cases
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("no case {id}"));
        let report = explain(case);
        let text = report["diagnosis"]["explanation"].as_str().unwrap();
        assert!(text.contains(params), "{id}: {text}");
    }
}
