//! The requests every snippet receiver gets, and what the vendor's rule says each must get.
//!
//! Where each expectation comes from: the fixtures' signatures were computed outside
//! cbtool (sha1sum, Python hashlib, Java, openssl: fixtures/README.md, vectors.tsv). The
//! variants built here either keep a fixture's signed string unchanged (its signature
//! stays valid) or change it (the signature must fail), by the rules in DESIGN.md.

use super::{path, read};
/// The answer AutoX3 documents, byte for byte (fixtures/README.md, the vendor document).
pub const NORMAL: &str = r#"{"data":null,"errorInfo":"","status":0}"#;
pub const EN: &str = "fixtures/autox3/receivebase-create.en.json";
pub const COMPACT: &str = "fixtures/autox3/receivebase-create.compact.json";
/// vectors.tsv: the signatures of the en (pretty) and compact bodies.
pub const EN_SIGNATURE: &str = "FBB5ED1BD76D84E85F91AFED34CCCAE5D883DA44";
pub const COMPACT_SIGNATURE: &str = "E60158B65CAC5E411CF26A925CA952FA5A350D52";
pub const EVENT_03: &str = "fixtures/dayu/events/03-accepted.json";

/// One request and what the rule says it must get.
pub struct Case {
    pub name: String,
    pub body: Vec<u8>,
    pub signature: Option<String>,
    /// 200 (acknowledged), 401 (signature refused) or 400 (not a callback).
    pub status: u16,
}

pub fn case(name: &str, body: Vec<u8>, status: u16) -> Case {
    Case {
        name: name.to_string(),
        body,
        signature: None,
        status,
    }
}

pub fn text(path: &str) -> String {
    String::from_utf8(read(path)).unwrap()
}

pub fn replace_once(body: &str, from: &str, to: &str) -> Vec<u8> {
    assert!(body.contains(from), "`{from}` not in the fixture");
    body.replacen(from, to, 1).into_bytes()
}

/// AutoX3 requests for a receiver holding the fixtures' secret.
pub fn autox3_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for name in ["en", "zh", "compact", "url.compact", "unsorted.compact"] {
        let file = format!("fixtures/autox3/receivebase-create.{name}.json");
        cases.push(case(&file, read(&file), 200));
    }
    for name in std::fs::read_dir(path("fixtures/autox3/diagnosis")).unwrap() {
        let name = name.unwrap().file_name().into_string().unwrap();
        if let Some(cause) = name.strip_suffix(".json") {
            // Each carries a signature made one wrong way; hex_case is the correct one in
            // lower case, which the rule accepts (fixtures/README.md).
            let file = format!("fixtures/autox3/diagnosis/{name}");
            let status = if cause == "hex_case" { 200 } else { 401 };
            cases.push(case(&file, read(&file), status));
        }
    }
    // stream.md: lines 3 and 5 carry a wrong signature, the others verify.
    for (i, line) in text("fixtures/autox3/stream.jsonl").lines().enumerate() {
        let status = if matches!(i + 1, 3 | 5) { 401 } else { 200 };
        let name = format!("stream.jsonl line {}", i + 1);
        cases.push(case(&name, line.as_bytes().to_vec(), status));
        if status == 401 {
            // With the signature vectors.tsv gives for the line (sha1sum), it verifies:
            // line 3 has Chinese text, line 5 the escapes `\t`, `\"` and `\\` inside content.
            let carried = line.rsplit("\"msgSignature\":\"").next().unwrap();
            let carried = &carried[..40];
            let right = stream_signature(i + 1);
            let name = format!("{name}, signed as vectors.tsv says");
            cases.push(case(&name, replace_once(line, carried, &right), 200));
        }
    }
    let en = text(EN);
    let compact = text(COMPACT);
    cases.extend([
        // Tampered: one character of content changed after signing.
        case(
            "en, tampered",
            replace_once(&en, "Old Customer", "Old Customers"),
            401,
        ),
        // The pretty body is signed as sent; the same data re-serialised compactly is
        // another string, so each body's signature fails on the other.
        case(
            "compact body, en signature",
            replace_once(&compact, COMPACT_SIGNATURE, EN_SIGNATURE),
            401,
        ),
        case(
            "en body, compact signature",
            replace_once(&en, EN_SIGNATURE, COMPACT_SIGNATURE),
            401,
        ),
        // createTime as a string: its digits are signed, so the signature still holds.
        case(
            "createTime as a string",
            replace_once(&compact, "1616502610117", "\"1616502610117\""),
            200,
        ),
        case(
            "createTime 1.5",
            replace_once(&compact, "1616502610117", "1616502610117.5"),
            400,
        ),
        case(
            "msgId twice",
            replace_once(&compact, "{", "{\"msgId\":\"x\","),
            400,
        ),
        case(
            "msgSignature missing",
            replace_once(
                &compact,
                &format!(",\"msgSignature\":\"{COMPACT_SIGNATURE}\""),
                "",
            ),
            401,
        ),
        // Spaces around the hex are not part of it (cbtool verify trims them too).
        case(
            "msgSignature with spaces around",
            replace_once(
                &compact,
                COMPACT_SIGNATURE,
                &format!(" {COMPACT_SIGNATURE} "),
            ),
            200,
        ),
        case("not JSON", b"msgId=1".to_vec(), 400),
        case("a JSON array", b"[]".to_vec(), 400),
    ]);
    cases.push(content_as_string(&compact));
    cases
}

/// The signature vectors.tsv gives for a line of stream.jsonl (computed with sha1sum).
fn stream_signature(line: usize) -> String {
    let key = format!("stream.jsonl#{line}");
    String::from_utf8(read("fixtures/autox3/vectors.tsv"))
        .unwrap()
        .lines()
        .map(|row| row.split('\t').collect::<Vec<_>>())
        .find(|row| row[0] == key)
        .map(|row| row[2].to_string())
        .unwrap()
}

/// `content` sent as a JSON string whose decoded text is the compact fixture's raw
/// content: the signed string is unchanged, so the compact signature holds.
fn content_as_string(compact: &str) -> Case {
    let start = compact.find("{\"carInfo\"").unwrap();
    let end = compact.find(",\"createTime\"").unwrap();
    let raw = &compact[start..end];
    let quoted = serde_json::to_string(raw).unwrap();
    let body = format!("{}{quoted}{}", &compact[..start], &compact[end..]);
    case("content as a JSON string", body.into_bytes(), 200)
}

/// Dayu requests for a receiver holding `fixtures/dayu/keys/public.pem`.
pub fn dayu_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let signed = |name: &str, body: Vec<u8>, signature: &str, status: u16| Case {
        signature: Some(signature.to_string()),
        ..case(name, body, status)
    };
    for name in std::fs::read_dir(path("fixtures/dayu/envelopes")).unwrap() {
        let name = name.unwrap().file_name().into_string().unwrap();
        // The pretty document event, with the signature its envelope carries.
        let event = format!("fixtures/dayu/events/{name}");
        let signature = envelope_signature(&format!("fixtures/dayu/envelopes/{name}"));
        cases.push(signed(&event, read(&event), &signature, 200));
    }
    let sig03 = envelope_signature("fixtures/dayu/envelopes/03-accepted.json");
    let event = text(EVENT_03);
    for name in std::fs::read_dir(path("fixtures/dayu/diagnosis")).unwrap() {
        let name = name.unwrap().file_name().into_string().unwrap();
        if let Some(cause) = name.strip_suffix(".sig") {
            // A header cannot break lines: the wrapped signature arrives with spaces.
            let sig = text(&format!("fixtures/dayu/diagnosis/{name}"));
            let sig = sig.trim_end().replace('\n', " ");
            let status = if cause == "wrapped_76" { 200 } else { 401 };
            cases.push(signed(
                &format!("event 03, {name}"),
                event.clone().into_bytes(),
                &sig,
                status,
            ));
        }
    }
    // envelopes.jsonl line 4 carries line 3's signature (fixtures/README.md).
    let line4: serde_json::Value = serde_json::from_str(
        text("fixtures/dayu/envelopes.jsonl")
            .lines()
            .nth(3)
            .unwrap(),
    )
    .unwrap();
    let body4 = line4["body"].to_string().into_bytes();
    let sig4 = line4["headers"]["Dayu-Sign"].as_str().unwrap();
    cases.extend([
        signed("envelopes.jsonl line 4", body4, sig4, 401),
        signed(
            "event 03 compact",
            read("fixtures/dayu/events/03-accepted.compact.json"),
            &sig03,
            200,
        ),
        // Tampered: another step of the order under step 2's signature.
        signed(
            "event 03, step changed",
            replace_once(
                &event,
                "\"serviceProgessTimeNum\": 2",
                "\"serviceProgessTimeNum\": 3",
            ),
            &sig03,
            401,
        ),
        // Only orderId and serviceProgessTimeNum are signed: other members may change.
        signed(
            "event 03, operation changed",
            replace_once(&event, "师傅接单", "师傅拒单"),
            &sig03,
            200,
        ),
        // orderId as a string: its digits are signed, so the signature still holds.
        signed(
            "orderId as a string",
            replace_once(&event, "\"orderId\": 5577", "\"orderId\": \"5577\""),
            &sig03,
            200,
        ),
        signed(
            "orderId 5577.0",
            replace_once(&event, "\"orderId\": 5577", "\"orderId\": 5577.0"),
            &sig03,
            400,
        ),
        signed(
            "orderId twice",
            replace_once(&event, "{", "{\"orderId\": 1,"),
            &sig03,
            400,
        ),
        case("no Dayu-Sign", event.clone().into_bytes(), 401),
        signed("not JSON", b"orderId=5577".to_vec(), &sig03, 400),
    ]);
    cases
}

/// The `Dayu-Sign` an envelope fixture carries.
pub fn envelope_signature(envelope: &str) -> String {
    let value: serde_json::Value = serde_json::from_slice(&read(envelope)).unwrap();
    value["headers"]["Dayu-Sign"].as_str().unwrap().to_string()
}
