//! Dayu sign, verify and explain end to end. Expected signatures come from
//! `openssl dgst -sha1 -sign` (fixtures/dayu/vectors.tsv, cross-checked with Java's
//! `Signature.getInstance("SHA1WithRSA")`); PKCS#1 v1.5 is deterministic, so cbtool must
//! produce the same bytes.

mod support;

use support::*;

#[test]
fn signatures_are_byte_identical_to_openssl() {
    for row in vectors("fixtures/dayu/vectors.tsv") {
        let (file, expected) = (&row[0], &row[2]);
        let run = cbtool([
            "sign",
            "--private-key",
            PRIVATE_KEY,
            &format!("fixtures/dayu/{file}"),
        ])
        .run();
        assert_eq!(run.code, 0, "{file}: {}", run.stderr);
        assert_eq!(run.stdout.trim(), expected, "{file}");
        let json = cbtool([
            "sign",
            "--json",
            "--private-key",
            PRIVATE_KEY,
            &format!("fixtures/dayu/{file}"),
        ])
        .run()
        .json();
        assert_eq!(json["signed_string"], row[1].as_str(), "{file}");
    }
}

#[test]
fn every_private_key_form_signs_the_same() {
    let expected = cbtool([
        "sign",
        "--private-key",
        PRIVATE_KEY,
        "fixtures/dayu/events/01-created.json",
    ])
    .run()
    .stdout;
    for key in ["private.pkcs1.pem", "private.der", "private.b64"] {
        let run = cbtool([
            "sign",
            "--private-key",
            &format!("fixtures/dayu/keys/{key}"),
            "fixtures/dayu/events/01-created.json",
        ])
        .run();
        assert_eq!(run.stdout, expected, "{key}: {}", run.stderr);
    }
}

#[test]
fn every_public_key_form_verifies() {
    for key in [
        "public.pem",
        "public.pkcs1.pem",
        "public.der",
        "public.b64",
        "public.wrapped.b64",
    ] {
        let run = cbtool([
            "verify",
            "--public-key",
            &format!("fixtures/dayu/keys/{key}"),
            "fixtures/dayu/envelopes/05-service-started.json",
        ])
        .run();
        assert_eq!(run.code, 0, "{key}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.is_empty(), "{key}: {}", run.stderr);
    }
}

#[test]
fn a_private_key_where_a_public_one_is_expected_is_used_with_a_warning() {
    let run = cbtool([
        "verify",
        "--public-key",
        PRIVATE_KEY,
        "fixtures/dayu/envelopes/03-accepted.json",
    ])
    .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("warning: fixtures/dayu/keys/private.pem holds a private key"),
        "{}",
        run.stderr
    );
}

#[test]
fn embed_makes_an_envelope_that_verifies() {
    let run = cbtool([
        "sign",
        "--embed",
        "--private-key",
        PRIVATE_KEY,
        "fixtures/dayu/events/07-submitted.json",
    ])
    .run();
    let envelope: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(envelope["headers"]["Content-Type"], "application/json");
    let expected = vectors("fixtures/dayu/vectors.tsv")
        .into_iter()
        .find(|r| r[0].contains("07-"))
        .unwrap();
    assert_eq!(envelope["headers"]["Dayu-Sign"], expected[2].as_str());
    let verify = cbtool(["verify", "--public-key", PUBLIC_KEY, "-"])
        .stdin(run.stdout.as_bytes())
        .run();
    assert_eq!(verify.code, 0, "{}{}", verify.stdout, verify.stderr);
}

#[test]
fn requests_envelopes_and_streams_verify() {
    for path in [
        "fixtures/dayu/requests/03-accepted.http",
        "fixtures/dayu/requests/03-accepted.lowercase.http",
    ] {
        let run = cbtool(["verify", "--request", path, "--public-key", PUBLIC_KEY]).run();
        assert_eq!(run.code, 0, "{path}: {}{}", run.stdout, run.stderr);
    }
    let run = cbtool([
        "verify",
        "--public-key",
        PUBLIC_KEY,
        "fixtures/dayu/envelopes.jsonl",
    ])
    .run();
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("envelopes.jsonl:4: Dayu order 5577/3"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("checked 8 callbacks: 7 valid, 1 invalid"),
        "{}",
        run.stdout
    );
}

#[test]
fn signature_flag_and_missing_signature() {
    let sig = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/dayu/diagnosis/wrapped_76.sig"
    ))
    .unwrap();
    let run = cbtool([
        "verify",
        "--public-key",
        PUBLIC_KEY,
        "--signature",
        &sig,
        "fixtures/dayu/events/03-accepted.json",
    ])
    .run();
    assert_eq!(
        run.code, 0,
        "wrapped base64 is tolerated: {}{}",
        run.stdout, run.stderr
    );
    cbtool([
        "verify",
        "--public-key",
        PUBLIC_KEY,
        "fixtures/dayu/events/03-accepted.json",
    ])
    .run()
    .assert_input_error("Dayu-Sign");
    let wrong = cbtool([
        "verify",
        "--public-key",
        "fixtures/dayu/keys/other-public.pem",
        "fixtures/dayu/envelopes/03-accepted.json",
    ])
    .run();
    assert_eq!(wrong.code, 1);
}

#[test]
fn each_wrong_way_is_named() {
    let cases = [
        ("progress_spelling", "progress_spelling"),
        ("swapped_fields", "swapped_fields"),
        ("whole_body", "whole_body"),
        ("sha256", "sha256"),
        ("urlsafe_base64", "urlsafe_base64"),
        ("plus_as_space", "plus_as_space"),
        ("wrong_key", "wrong_key"),
        ("wrapped_76", "wrapped_base64"),
    ];
    for (file, cause) in cases {
        let sig = std::fs::read_to_string(format!(
            "{}/fixtures/dayu/diagnosis/{file}.sig",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let run = cbtool([
            "verify",
            "--explain",
            "--json",
            "--public-key",
            PUBLIC_KEY,
            "--signature",
            &sig,
            "fixtures/dayu/events/03-accepted.json",
        ])
        .run();
        let report = run.json();
        assert_eq!(report["vendor"], "dayu");
        assert_eq!(report["valid"], file == "wrapped_76", "{file}");
        assert_eq!(
            report["diagnosis"]["matched"], cause,
            "{file}: {}",
            report["diagnosis"]
        );
        assert!(
            report["diagnosis"]["tried"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t == cause),
            "{file}"
        );
    }
}

#[test]
fn human_explain_shows_the_string_and_the_fix() {
    let sig = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/dayu/diagnosis/progress_spelling.sig"
    ))
    .unwrap();
    let run = cbtool([
        "verify",
        "--explain",
        "--public-key",
        PUBLIC_KEY,
        "--signature",
        &sig,
        "fixtures/dayu/events/03-accepted.json",
    ])
    .run();
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("signed string (36 bytes): orderId=5577&serviceProgessTimeNum=2"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("reproduced by (37 bytes): orderId=5577&serviceProgressTimeNum=2"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("spell it `serviceProgessTimeNum`"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_broken_base64_signature_is_described_in_words() {
    // The standard signature of the diagnosis fixtures with four characters after its
    // padding: the position is the character's, counted from 1.
    let sig = String::from_utf8(fixture("fixtures/dayu/diagnosis/sha256.sig")).unwrap();
    let run = cbtool([
        "verify",
        "--public-key",
        PUBLIC_KEY,
        "--signature",
        &format!("{}AAAA", sig.trim()),
        "fixtures/dayu/events/03-accepted.json",
    ])
    .run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("`=` padding at character 343 with more after it"),
        "{}",
        run.stdout
    );
}
