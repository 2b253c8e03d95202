//! Properties over generated payloads: what cbtool signs, it verifies; any change to a
//! signed byte breaks verification; and no input makes the core panic.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure report

use cbtool::credentials::Credentials;
use cbtool::secret::Secret;
use cbtool::vendor::{self, autox3::AutoX3, Message, Vendor};
use proptest::prelude::*;

fn creds(secret: &str) -> Credentials {
    Credentials::with_secret(Secret::new(secret.as_bytes()))
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
    let target = vendor::target(&AutoX3, &msg, None).unwrap();
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
        let target = vendor::Target { signature: sig, origin: vendor::SignatureOrigin::User };
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
        if let Ok(target) = vendor::target(&AutoX3, &msg, None) {
            if let Ok(verdict) = AutoX3.verify(&msg, &creds("s"), &target) {
                prop_assert!(!verdict.valid);
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let msg = Message::new("prop", &bytes);
        let c = creds("s");
        for v in vendor::all() {
            let _ = v.sign(&msg, &c);
            let _ = v.embed(&msg, &c);
            let target = vendor::Target { signature: "00".into(), origin: vendor::SignatureOrigin::User };
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
        let target = vendor::Target { signature, origin: vendor::SignatureOrigin::Sender };
        let _ = AutoX3.diagnose(&msg, &creds("s"), &target).unwrap();
    }
}
