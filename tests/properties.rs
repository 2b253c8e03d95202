//! Properties over generated payloads: what cbtool signs, it verifies; any change to a
//! signed byte breaks verification; and no input makes the core panic.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure report

use cbtool::credentials::Credentials;
use cbtool::credentials::Given;
use cbtool::secret::Secret;
use cbtool::vendors::{self, autox3::AutoX3, dayu::Dayu, Message, Vendor};
use proptest::prelude::*;

mod support;

fn creds(secret: &str) -> Credentials {
    Credentials::default().with(
        &cbtool::vendors::autox3::credential::APP_SECRET,
        Given::Secret(Secret::new(secret.as_bytes())),
    )
}

/// A JSON value with arbitrary Unicode strings, nesting and numbers.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        any::<String>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        (-1e9f64..1e9).prop_map(serde_json::Value::from),
        any::<bool>().prop_map(serde_json::Value::from),
        Just(serde_json::Value::Null),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map("[a-zA-Z车/]{1,6}", inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

fn body(
    msg_id: &str,
    staff: &serde_json::Value,
    content: &serde_json::Value,
    time: u64,
    pretty: bool,
) -> String {
    let v = serde_json::json!({
        "msgId": msg_id,
        "msgType": "event.autox3.order.receivebase.create",
        "staffInfo": staff,
        "createTime": time,
        "content": content,
    });
    if pretty {
        serde_json::to_string_pretty(&v).unwrap()
    } else {
        v.to_string()
    }
}

fn verifies(text: &[u8], secret: &str) -> bool {
    let msg = Message::new("prop", text);
    let target = vendors::target(&AutoX3, &msg, None).unwrap();
    AutoX3.verify(&msg, &creds(secret), &target).unwrap().valid
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn embed_then_verify_round_trips(
        msg_id in "\\PC{0,20}",
        staff in json_value(),
        content in json_value(),
        time in 0u64..10_000_000_000_000,
        secret in "\\PC{1,16}",
        pretty in any::<bool>(),
    ) {
        let text = body(&msg_id, &staff, &content, time, pretty);
        let signed = AutoX3.embed(&Message::new("prop", text.as_bytes()), &creds(&secret)).unwrap();
        prop_assert!(verifies(&signed, &secret));
        // Signing the body as given and verifying it with that signature agrees too.
        let sig = AutoX3.sign(&Message::new("prop", text.as_bytes()), &creds(&secret)).unwrap();
        let target = vendors::Target { signature: sig, origin: vendors::SignatureOrigin::User };
        let msg = Message::new("prop", text.as_bytes());
        prop_assert!(AutoX3.verify(&msg, &creds(&secret), &target).unwrap().valid);
    }

    #[test]
    fn changing_a_signed_byte_breaks_verification(
        staff in json_value(),
        content in json_value(),
        index in any::<prop::sample::Index>(),
    ) {
        let text = body("m", &staff, &content, 1, false);
        let signed = AutoX3.embed(&Message::new("prop", text.as_bytes()), &creds("s")).unwrap();
        let signed = String::from_utf8(signed).unwrap();
        // Flip one ASCII letter or digit inside the staffInfo/content text (not the signature).
        let end = signed.find(",\"msgSignature\"").unwrap();
        let candidates: Vec<usize> = signed[..end]
            .char_indices()
            .filter(|(_, c)| c.is_ascii_alphanumeric())
            .map(|(i, _)| i)
            .filter(|&i| i > signed.find("\"staffInfo\"").unwrap() + 12)
            .collect();
        prop_assume!(!candidates.is_empty());
        let at = candidates[index.index(candidates.len())];
        let mut bytes = signed.into_bytes();
        bytes[at] = if bytes[at] == b'0' { b'1' } else if bytes[at].is_ascii_digit() { b'0' } else { bytes[at] ^ 0x20 };
        let msg = Message::new("prop", &bytes);
        if let Ok(target) = vendors::target(&AutoX3, &msg, None) {
            if let Ok(verdict) = AutoX3.verify(&msg, &creds("s"), &target) {
                prop_assert!(!verdict.valid);
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let msg = Message::new("prop", &bytes);
        let c = creds("s");
        for v in vendors::all() {
            let _ = v.sign(&msg, &c);
            let _ = v.embed(&msg, &c);
            let target = vendors::Target { signature: "00".into(), origin: vendors::SignatureOrigin::User };
            let _ = v.verify(&msg, &c, &target);
        }
        let _ = cbtool::http_request::parse("prop", &bytes);
        let _ = cbtool::keys::load("prop", &bytes);
    }

    #[test]
    fn arbitrary_json_objects_never_panic_and_explain(
        value in json_value(),
        signature in "[0-9a-fA-F]{0,64}",
    ) {
        let text = serde_json::json!({"msgId": "m", "msgType": "t", "staffInfo": value, "createTime": 1, "content": value}).to_string();
        let msg = Message::new("prop", text.as_bytes());
        let target = vendors::Target { signature, origin: vendors::SignatureOrigin::Sender };
        let _ = AutoX3.diagnose(&msg, &creds("s"), &target).unwrap();
    }
}

/// The committed test key pair: signing with the private half, verifying with the public.
fn dayu_creds() -> Credentials {
    cbtool::vendors::dayu::credential::key_pair_in(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/dayu/keys"),
    )
}

fn dayu_body(order_id: i64, progress: i64, comment: &str) -> String {
    serde_json::json!({
        "createTime": "2024-10-11 10:25:24",
        "orderId": order_id,
        "orderRecord": {"commentInfo": comment, "operation": "工单创建", "serviceProgessTimeNum": progress},
    })
    .to_string()
}

fn dayu_verifies(body: &str, signature: &str, creds: &Credentials) -> bool {
    let msg = Message::new("prop", body.as_bytes());
    let target = vendors::Target {
        signature: signature.to_string(),
        origin: vendors::SignatureOrigin::Sender,
    };
    Dayu.verify(&msg, creds, &target).unwrap().valid
}

proptest! {
    // RSA signing costs milliseconds; fewer cases still cover the integer space well.
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn dayu_sign_then_verify_round_trips_and_a_changed_field_fails(
        order_id in any::<i64>(),
        progress in any::<i64>(),
        comment in "\\PC{0,12}",
        delta in 1i64..1000,
    ) {
        let creds = dayu_creds();
        let text = dayu_body(order_id, progress, &comment);
        let sig = Dayu.sign(&Message::new("prop", text.as_bytes()), &creds).unwrap();
        prop_assert!(dayu_verifies(&text, &sig, &creds));
        // commentInfo is not signed: changing it keeps the signature valid.
        prop_assert!(dayu_verifies(&dayu_body(order_id, progress, "changed"), &sig, &creds));
        // orderId and serviceProgessTimeNum are: changing either breaks it.
        let other_order = dayu_body(order_id.wrapping_add(delta), progress, &comment);
        prop_assert!(!dayu_verifies(&other_order, &sig, &creds));
        let other_progress = dayu_body(order_id, progress.wrapping_sub(delta), &comment);
        prop_assert!(!dayu_verifies(&other_progress, &sig, &creds));
    }
}

/// A few generated inputs, each fed to every command through the real binary: whatever
/// the bytes, the exit is 0, 1 or 2 with no panic.
fn run_binary(args: &[&str], stdin: &[u8]) -> (i32, String) {
    let out = support::cbtool(args).stdin(stdin).run();
    (out.code, out.all_output())
}

/// Bytes that are sometimes JSON, sometimes a near-callback, sometimes noise.
fn command_input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200),
        json_value().prop_map(|v| v.to_string().into_bytes()),
        json_value().prop_map(|v| body("m", &v, &v, 1, false).into_bytes()),
        (any::<i64>(), any::<i64>()).prop_map(|(o, p)| dayu_body(o, p, "c").into_bytes()),
        "[{}\\[\\]\":,a-z0-9\n]{0,80}".prop_map(String::into_bytes),
    ]
}

proptest! {
    // Each case starts eight processes; a handful per command is the point here.
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn no_input_makes_any_command_panic(input in command_input(), jsonl in any::<bool>()) {
        let creds = ["--secret-file", "fixtures/autox3/secret.txt", "--private-key", "fixtures/dayu/keys/private.pem"];
        let mut commands: Vec<Vec<&str>> = vec![
            vec!["verify"], vec!["verify", "--explain"], vec!["verify", "--json"],
            vec!["sign"], vec!["sign", "--embed"], vec!["sign", "--json"],
            vec!["validate"], vec!["validate", "--json"],
        ];
        for c in &mut commands {
            if c[0] != "validate" {
                c.extend(creds);
            }
            if jsonl {
                c.push("--jsonl");
            }
            c.push("-");
        }
        for args in &commands {
            let (code, text) = run_binary(args, &input);
            prop_assert!((0..=2).contains(&code), "{args:?} exit {code}: {text}");
            prop_assert!(!text.contains("panicked"), "{args:?}: {text}");
        }
    }
}
