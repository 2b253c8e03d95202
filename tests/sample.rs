//! `cbtool sample`, as properties over many seeds: every generated callback verifies
//! through the `Vendor` trait with the credential it was signed with, has a valid VIN,
//! parses, and has the documented shape and statuses.
#![allow(clippy::unwrap_used)]

mod support;

use cbtool::credentials::Credentials;
use cbtool::sample::{Generator, LifecyclePath, Plan};
use cbtool::vendors::autox3::vin;
use cbtool::vendors::{self, Message, SignatureOrigin, Vendor};
use serde_json::Value;
use support::creds;

/// Signs a generated body as `sample` does, and checks it the way a receiver would:
/// through the `Vendor` trait, from the bytes that are sent.
fn sign_and_verify(v: &dyn Vendor, creds: &Credentials, body: &[u8]) -> Value {
    let msg = Message::new("sample", body);
    let (sent, headers) = match v.id() {
        "dayu" => {
            let sig = v.sign(&msg, creds).unwrap();
            (body.to_vec(), vec![("Dayu-Sign".to_string(), sig)])
        }
        _ => (v.embed(&msg, creds).unwrap(), Vec::new()),
    };
    let received = Message::with_headers("received", &sent, headers);
    let target = vendors::target(v, &received, None).unwrap();
    assert_eq!(target.origin, SignatureOrigin::Sender);
    let verdict = v.verify(&received, creds, &target).unwrap();
    assert!(
        verdict.valid,
        "{:?}\n{}",
        verdict.reason,
        String::from_utf8_lossy(&sent)
    );
    check(v, &sent)
}

/// What every sample must be: JSON of the vendor it claims, with no schema or rule finding.
fn check(v: &dyn Vendor, bytes: &[u8]) -> Value {
    let value: Value = serde_json::from_slice(bytes).unwrap();
    let findings =
        cbtool::schema::validate(v.rules(), std::str::from_utf8(bytes).unwrap()).unwrap();
    assert!(
        findings.items.is_empty(),
        "{:?}\n{}",
        findings.items,
        String::from_utf8_lossy(bytes)
    );
    let top = cbtool::json::TopLevel::parse("sample", bytes).unwrap();
    assert!(std::ptr::eq(
        vendors::detect("sample", &top).unwrap() as *const dyn Vendor as *const u8,
        v as *const dyn Vendor as *const u8
    ));
    value
}

/// Keys of every nested object are alphabetical, as fastjson writes them.
fn assert_sorted(value: &Value, path: &str) {
    match value {
        Value::Object(map) => {
            let keys: Vec<&String> = map.keys().collect();
            let mut sorted = keys.clone();
            sorted.sort();
            assert_eq!(keys, sorted, "keys of {path}");
            for (k, v) in map {
                assert_sorted(v, &format!("{path}.{k}"));
            }
        }
        Value::Array(items) => items.iter().for_each(|v| assert_sorted(v, path)),
        _ => {}
    }
}

const LIGHTS: &[&str] = &[
    "20_Engine Malfunction",
    "16_insufficient engine oil",
    "1_Open Window",
    "15_Abnormal fluid Tempreture",
    "19_Air bag Malfunction",
    "20_发动机故障",
    "16_机油不足",
    "1_门窗未关闭",
    "15_水温异常",
    "19_安全气囊故障",
];

#[test]
fn autox3_samples_verify_and_look_real_over_200_seeds() {
    let v: &dyn Vendor = &vendors::autox3::AutoX3;
    let creds = creds();
    for seed in 0..200 {
        let mut g = Generator::new(seed);
        for sample in v.sample(&mut g, Plan::One).unwrap() {
            let text = String::from_utf8(sample.body.clone()).unwrap();
            assert!(text.contains(r#""msgSignature":"""#), "{text}");
            let value = sign_and_verify(v, &creds, &sample.body);
            let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
            let documented = [
                "content",
                "createTime",
                "msgType",
                "msgSignature",
                "msgId",
                "staffInfo",
            ];
            assert_eq!(keys, documented, "seed {seed}");
            assert_eq!(value["msgType"], "event.autox3.order.receivebase.create");
            assert_sorted(&value["content"], "content");
            assert_sorted(&value["staffInfo"], "staffInfo");
            let car = &value["content"]["carInfo"];
            let vin_text = car["carVin"].as_str().unwrap();
            assert!(vin::is_valid(vin_text), "seed {seed}: {vin_text}");
            let pre = &value["content"]["preCheckInfo"];
            for light in pre["lightInfo"].as_array().unwrap() {
                assert!(LIGHTS.contains(&light.as_str().unwrap()), "{light}");
            }
            // Odometer readings are Java doubles: `67000.0`, never `67000`.
            let odo = format!(
                r#""odograph":{}.0,"#,
                pre["odograph"].as_f64().unwrap() as i64
            );
            assert!(text.contains(&odo), "seed {seed}: {text}");
            assert!(value["createTime"].as_i64().unwrap() > 1_700_000_000_000);
        }
    }
}

/// The documented `status`/`subStatus` after each progress number.
fn documented_status(progress: i64) -> (i64, Option<i64>) {
    match progress {
        0 => (8, None),
        1 => (1, None),
        2 => (2, None),
        3 => (3, Some(1)),
        5 => (4, None),
        6 => (4, Some(1)),
        7 | 9 => (4, Some(6)),
        8 => (5, None),
        10 => (6, None),
        n => panic!("undocumented serviceProgessTimeNum {n}"),
    }
}

fn assert_dayu_shape(value: &Value) -> i64 {
    assert_sorted(value, "body");
    let progress = value["orderRecord"]["serviceProgessTimeNum"]
        .as_i64()
        .unwrap();
    let (status, sub) = documented_status(progress);
    assert_eq!(value["status"].as_i64(), Some(status), "{value}");
    assert_eq!(value["subStatus"].as_i64(), sub, "{value}");
    assert!(value["orderId"].is_i64());
    let time = value["createTime"].as_str().unwrap();
    assert_eq!(time.len(), 19, "{time}");
    progress
}

#[test]
fn dayu_samples_verify_over_200_seeds() {
    let v: &dyn Vendor = &vendors::dayu::Dayu;
    let creds = creds();
    for seed in 0..200 {
        let mut g = Generator::new(seed);
        for sample in v.sample(&mut g, Plan::One).unwrap() {
            let value = sign_and_verify(v, &creds, &sample.body);
            assert_dayu_shape(&value);
        }
    }
}

#[test]
fn dayu_lifecycles_are_legal_histories() {
    let v: &dyn Vendor = &vendors::dayu::Dayu;
    let creds = creds();
    for seed in 0..20 {
        for (path, last) in [
            (LifecyclePath::Complete, 8),
            (LifecyclePath::Cancel, 10),
            (LifecyclePath::Rework, 9),
        ] {
            let mut g = Generator::new(seed);
            let samples = v.sample(&mut g, Plan::Lifecycle(path)).unwrap();
            let mut previous: Option<(i64, String)> = None;
            let mut order = None;
            for sample in &samples {
                let value = sign_and_verify(v, &creds, &sample.body);
                let progress = assert_dayu_shape(&value);
                let time = value["orderRecord"]["createTime"]
                    .as_str()
                    .unwrap()
                    .to_string();
                if let Some((p, t)) = &previous {
                    assert!(progress > *p, "seed {seed} {path:?}: {p} then {progress}");
                    assert!(time >= *t, "seed {seed}: {t} then {time}");
                }
                let id = value["orderId"].as_i64();
                assert!(order.is_none() || order == id, "one order per history");
                order = id;
                previous = Some((progress, time));
            }
            assert_eq!(previous.map(|p| p.0), Some(last), "{path:?}");
            assert_eq!(samples[0].name, "created");
        }
    }
}

/// Member names of an object and of its `orderRecord`, in order.
fn shape(value: &Value) -> (Vec<String>, Vec<String>) {
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    (keys(value), keys(&value["orderRecord"]))
}

#[test]
fn dayu_steps_have_the_members_of_the_documents_events() {
    let dir = support::root().join("fixtures/dayu/events");
    let mut seen = Vec::new();
    for seed in 0..5 {
        for path in [
            LifecyclePath::Complete,
            LifecyclePath::Cancel,
            LifecyclePath::Rework,
        ] {
            let mut g = Generator::new(seed);
            for sample in vendors::dayu::Dayu
                .sample(&mut g, Plan::Lifecycle(path))
                .unwrap()
            {
                let document = std::fs::read_dir(&dir)
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .find(|p| {
                        let file = p.file_name().unwrap().to_str().unwrap();
                        file.get(3..) == Some(&format!("{}.json", sample.name))
                    })
                    .unwrap_or_else(|| panic!("no document event for {}", sample.name));
                let expected: Value =
                    serde_json::from_slice(&std::fs::read(&document).unwrap()).unwrap();
                let generated: Value = serde_json::from_slice(&sample.body).unwrap();
                assert_eq!(shape(&generated), shape(&expected), "{}", sample.name);
                seen.push(sample.name);
            }
        }
    }
    seen.sort();
    seen.dedup();
    assert_eq!(
        seen.len(),
        10,
        "every documented event is generated: {seen:?}"
    );
}

/// Member names at every object path, for comparing shapes.
fn object_paths(value: &Value, path: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                out.push(format!("{path}.{k}"));
                object_paths(v, &format!("{path}.{k}"), out);
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|v| object_paths(v, &format!("{path}[]"), out)),
        _ => {}
    }
}

#[test]
fn autox3_samples_have_the_members_of_the_document_sample() {
    let file = support::root().join("fixtures/autox3/receivebase-create.en.json");
    let document: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
    let mut expected = Vec::new();
    object_paths(&document, "", &mut expected);
    expected.sort();
    // A sample whose optional lists are all non-empty has every documented member.
    let full = (0..200).find_map(|seed| {
        let mut g = Generator::new(seed);
        let body = vendors::autox3::AutoX3
            .sample(&mut g, Plan::One)
            .unwrap()
            .remove(0)
            .body;
        let value: Value = serde_json::from_slice(&body).unwrap();
        let paints = value["content"]["preCheckInfo"]["paintsInfo"]
            .as_array()
            .unwrap();
        (!paints.is_empty()).then_some(value)
    });
    let mut generated = Vec::new();
    object_paths(&full.unwrap(), "", &mut generated);
    generated.sort();
    generated.dedup();
    assert_eq!(generated, expected);
}
