//! Every field of a valid callback of each vendor set to each JSON type it is not: what
//! verify, sign and validate must say about each.

use super::support::{vectors, PRIVATE_KEY, PUBLIC_KEY, SECRET_FILE};
use super::{rejected, run};

fn autox3_valid() -> serde_json::Value {
    serde_json::from_slice(&super::support::fixture(
        "fixtures/autox3/receivebase-create.en.json",
    ))
    .unwrap()
}

fn dayu_valid() -> serde_json::Value {
    serde_json::from_slice(&super::support::fixture(
        "fixtures/dayu/events/01-created.json",
    ))
    .unwrap()
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

/// What verify and sign must say about a wrong type in `field` (`orderRecord.x` for a
/// field of Dayu's orderRecord), from the vendors' documents: AutoX3 signs msgId, msgType,
/// staffInfo, createTime and content (the last two objects as their JSON text, so any
/// value signs); Dayu signs orderId and orderRecord.serviceProgessTimeNum only.
fn verdicts(vendor: &str, field: &str) -> (Verdict, Verdict) {
    let named = Verdict::Refused(2, format!("`{field}` is"));
    match (vendor, field) {
        ("autox3", "msgId" | "msgType" | "createTime") => (named.clone(), named),
        // sign replaces the signature, whatever stood there.
        ("autox3", "msgSignature") => (named, Verdict::Signed),
        ("autox3", _) => (
            Verdict::Refused(1, "signature does not match".into()),
            Verdict::Signed,
        ),
        ("dayu", "orderId" | "orderRecord" | "orderRecord.serviceProgessTimeNum") => {
            (named.clone(), named)
        }
        // Outside the signed fields: the fixture's own signature still holds.
        _ => (Verdict::Valid, Verdict::Signed),
    }
}

#[derive(Clone, Debug)]
enum Verdict {
    Refused(i32, String),
    Valid,
    Signed,
}

/// One wrong-typed copy of a fixture.
struct Case {
    vendor: &'static str,
    /// `key`, or `orderRecord.key`.
    field: String,
    body: serde_json::Value,
}

/// Every top-level field (and, for Dayu, every orderRecord field) set to each wrong type.
fn wrong_type_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let mut each = |vendor, prefix: &str, fixture: &serde_json::Value, record: bool| {
        let fields = if record {
            &fixture["orderRecord"]
        } else {
            fixture
        };
        for (key, value) in fields.as_object().unwrap() {
            for wrong in wrong_values().iter().filter(|w| !same_type(w, value)) {
                let mut body = fixture.clone();
                let slot = if record {
                    &mut body["orderRecord"]
                } else {
                    &mut body
                };
                slot[key] = wrong.clone();
                let field = format!("{prefix}{key}");
                cases.push(Case {
                    vendor,
                    field,
                    body,
                });
            }
        }
    };
    each("autox3", "", &autox3_valid(), false);
    each("dayu", "", &dayu_valid(), false);
    each("dayu", "orderRecord.", &dayu_valid(), true);
    cases
}

/// Each wrong type: verify and sign refuse with exit 2 naming the field when they read
/// it, and otherwise give the verdict its signature earns; validate finds it (exit 1, a
/// `schema.type` error at the field's pointer); none panics.
#[test]
fn every_field_of_the_wrong_type() {
    let dir = tempfile::tempdir().unwrap();
    // The fixture's signature, from the committed vectors (computed with openssl).
    let dayu_signature = vectors("fixtures/dayu/vectors.tsv")
        .into_iter()
        .find(|row| row[0] == "events/01-created.json")
        .unwrap()[2]
        .clone();
    for (i, case) in wrong_type_cases().iter().enumerate() {
        let path = dir
            .path()
            .join(format!("{}-{}-{i}.json", case.vendor, case.field));
        // Compact, as senders send: a value on one line (pretty input: the test below).
        std::fs::write(&path, serde_json::to_vec(&case.body).unwrap()).unwrap();
        let path = path.to_str().unwrap();
        let (verify_args, sign_args): (Vec<&str>, Vec<&str>) = match case.vendor {
            "autox3" => (
                vec!["verify", "--secret-file", SECRET_FILE, path],
                vec!["sign", "--secret-file", SECRET_FILE, path],
            ),
            _ => (
                vec![
                    "verify",
                    "--public-key",
                    PUBLIC_KEY,
                    "--signature",
                    &dayu_signature,
                    path,
                ],
                vec!["sign", "--private-key", PRIVATE_KEY, path],
            ),
        };
        let (verify, sign) = verdicts(case.vendor, &case.field);
        let context = format!("{} {}", case.vendor, case.field);
        match verify {
            Verdict::Refused(code, needle) => rejected(&run(&verify_args), code, path, &needle),
            _ => {
                run(&verify_args).success().stdout_contains("valid: ");
            }
        }
        match sign {
            Verdict::Refused(code, needle) => rejected(&run(&sign_args), code, path, &needle),
            _ => {
                let out = run(&sign_args);
                out.success();
                let signature = out.stdout.trim_end();
                if case.vendor == "autox3" {
                    let hex = signature.len() == 40
                        && signature
                            .bytes()
                            .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b));
                    assert!(hex, "{context}: not an AutoX3 signature: {out:?}");
                } else {
                    assert_eq!(signature, dayu_signature, "{context}");
                }
            }
        }
        let pointer = format!("/{}", case.field.replace('.', "/"));
        let finding = format!("error [schema.type] {pointer}: ");
        rejected(&run(&["validate", path]), 1, path, &finding);
    }
}

/// A wrong-typed signed field in a pretty-printed callback (as a person saves one) is
/// still named on one `error:` line, its value not copied across lines (the Dayu integer
/// check once copied the raw value, newlines and all).
#[test]
fn a_multi_line_value_in_a_signed_field_is_named_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = dayu_valid();
    body["orderId"] = serde_json::json!([1]);
    let path = dir.path().join("pretty.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&body).unwrap()).unwrap();
    let path = path.to_str().unwrap();
    let out = run(&["sign", "--private-key", PRIVATE_KEY, path]);
    rejected(&out, 2, path, "`orderId` is");
}
