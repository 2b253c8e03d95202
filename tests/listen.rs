//! End-to-end tests of `cbtool listen` answers: the real binary on 127.0.0.1:0, real
//! HTTP/1.1 requests; what is acknowledged, refused, de-duplicated and saved.

// A test that cannot unwrap has failed: panicking is the report.
#![allow(clippy::unwrap_used)]

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Stdio;
use std::sync::{Arc, Barrier};

use serde_json::Value;
use support::listen::*;
use support::{cbtool, PUBLIC_KEY, SECRET_FILE};

#[test]
fn a_valid_autox3_callback_is_acked_and_its_repeat_is_a_duplicate() {
    let mut l = listen(&[]);
    let first = post(&l.addr, &[], &autox3_body());
    assert_eq!((first.status, first.body.as_str()), (200, NORMAL));
    let record = l.record();
    assert_eq!(record["vendor"], "autox3");
    assert_eq!(record["id"], "e6ddea1d-0b8b-24e7-cb26-91c3aa0969db");
    assert_eq!(record["signature_valid"], true);
    assert_eq!(record["duplicate"], false);
    assert_eq!(record["acked"], true);
    let again = post(&l.addr, &[], &autox3_body());
    assert_eq!((again.status, again.body.as_str()), (200, NORMAL));
    let record = l.record();
    assert_eq!(
        (record["duplicate"].clone(), record["acked"].clone()),
        (true.into(), true.into())
    );
}

#[test]
fn a_tampered_callback_gets_401_naming_the_problem_but_not_the_expected_signature() {
    let mut l = listen(&[]);
    let tampered = String::from_utf8(autox3_body())
        .unwrap()
        .replace("Old Customer", "New Customer");
    let out = cbtool(["sign", "--secret-file", SECRET_FILE, "-"])
        .stdin(tampered.as_bytes())
        .run();
    let expected = out.stdout.trim().to_string();
    assert_eq!(expected.len(), 40, "{expected}");
    let answer = post(&l.addr, &[], tampered.as_bytes());
    assert_eq!(answer.status, 401);
    let body: Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(body["status"], 1);
    assert_eq!(body["errorInfo"], "signature does not match");
    assert!(!answer.body.to_uppercase().contains(&expected));
    let record = l.record();
    assert_eq!(record["signature_valid"], false);
    assert_eq!(record["acked"], false);
    assert!(!record.to_string().to_uppercase().contains(&expected));
    // Without any signature: still 401, and the answer says where it belongs.
    let unsigned = tampered.replace("\"msgSignature\":", "\"msgSignatur\":");
    let answer = post(&l.addr, &[], unsigned.as_bytes());
    assert_eq!(answer.status, 401);
    assert!(answer.body.contains("no msgSignature"), "{}", answer.body);
}

#[test]
fn twenty_simultaneous_deliveries_of_one_message_are_processed_exactly_once() {
    let mut l = listen(&[]);
    let barrier = Arc::new(Barrier::new(20));
    let threads: Vec<_> = (0..20)
        .map(|_| {
            let (addr, barrier) = (l.addr.clone(), Arc::clone(&barrier));
            std::thread::spawn(move || {
                barrier.wait();
                post(&addr, &[], &autox3_body())
            })
        })
        .collect();
    for thread in threads {
        let answer = thread.join().unwrap();
        assert_eq!((answer.status, answer.body.as_str()), (200, NORMAL));
    }
    let duplicates: Vec<bool> = (0..20)
        .map(|_| l.record()["duplicate"].as_bool().unwrap())
        .collect();
    assert_eq!(
        duplicates.iter().filter(|d| !**d).count(),
        1,
        "{duplicates:?}"
    );
}

#[test]
fn garbage_and_oversize_bodies_are_refused_and_the_server_keeps_serving() {
    let mut l = listen(&["--max-body", "2000"]);
    let answer = post(&l.addr, &[], b"this is not json");
    assert_eq!(answer.status, 400);
    assert!(answer.body.contains("not JSON"), "{}", answer.body);
    let answer = post(&l.addr, &[], br#"{"hello":"world"}"#);
    assert_eq!(answer.status, 400);
    assert!(
        answer.body.contains("cannot tell the vendor"),
        "{}",
        answer.body
    );
    // Declared too large: refused from the head alone.
    let mut stream = TcpStream::connect(&l.addr).unwrap();
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n\r\n")
        .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    assert_eq!(parse_answer(&raw).unwrap().status, 413);
    // Too large without a length (chunked): refused once the limit is passed.
    let chunk = vec![b' '; 3000];
    let mut stream = TcpStream::connect(&l.addr).unwrap();
    let mut request =
        b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\nbb8\r\n".to_vec();
    request.extend_from_slice(&chunk);
    request.extend_from_slice(b"\r\n0\r\n\r\n");
    stream.write_all(&request).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    assert_eq!(parse_answer(&raw).unwrap().status, 413);
    // Not HTTP at all.
    let mut stream = TcpStream::connect(&l.addr).unwrap();
    stream.write_all(b"\x00\x01garbage\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    for _ in 0..4 {
        assert_eq!(l.record()["acked"], false);
    }
    let answer = post(&l.addr, &[], &autox3_body());
    assert_eq!((answer.status, answer.body.as_str()), (200, NORMAL));
}

#[test]
fn dayu_valid_is_acked_once_and_invalid_or_unsigned_is_401() {
    let mut l = listen(&[]);
    let (body, sign) = dayu_event();
    let answer = post(&l.addr, &[("Dayu-Sign", &sign)], &body);
    assert_eq!(answer.status, 200);
    let record = l.record();
    assert_eq!(record["vendor"], "dayu");
    assert_eq!(record["id"], "5577/2");
    assert_eq!(record["signature_valid"], true);
    assert_eq!(record["duplicate"], false);
    // Header names are case-insensitive.
    let answer = post(&l.addr, &[("dayu-sign", &sign)], &body);
    assert_eq!(answer.status, 200);
    assert_eq!(l.record()["duplicate"], true);
    let wrong = String::from_utf8(read("dayu/diagnosis/wrong_key.sig")).unwrap();
    let answer = post(&l.addr, &[("Dayu-Sign", wrong.trim())], &body);
    assert_eq!(answer.status, 401);
    assert!(!answer.body.contains(&sign), "the valid signature leaked");
    assert_eq!(
        serde_json::from_str::<Value>(&answer.body).unwrap()["ok"],
        false
    );
    assert_eq!(l.record()["signature_valid"], false);
    let answer = post(&l.addr, &[], &body);
    assert_eq!(answer.status, 401);
    assert!(answer.body.contains("Dayu-Sign"), "{}", answer.body);
}

#[test]
fn saved_requests_verify_with_verify_request_in_arrival_order() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("saved");
    let mut l = listen(&["--save", save.to_str().unwrap()]);
    let (dayu, sign) = dayu_event();
    assert_eq!(post(&l.addr, &[], &autox3_body()).status, 200);
    assert_eq!(post(&l.addr, &[("Dayu-Sign", &sign)], &dayu).status, 200);
    let saved: Vec<String> = (0..2)
        .map(|_| l.record()["saved"].as_str().unwrap().to_string())
        .collect();
    let mut names: Vec<_> = std::fs::read_dir(&save)
        .unwrap()
        .map(|e| e.unwrap().path().to_str().unwrap().to_string())
        .collect();
    names.sort();
    assert_eq!(names, saved, "sorted names follow arrival");
    assert!(names[0].ends_with("00000001-autox3.http") && names[1].ends_with("00000002-dayu.http"));
    for path in &names {
        let out = cbtool([
            "verify",
            "--json",
            "--secret-file",
            SECRET_FILE,
            "--public-key",
            PUBLIC_KEY,
            "--request",
            path,
        ])
        .run();
        out.success();
        let report: Value = out.json();
        assert_eq!(report["valid"], true);
    }
    let raw = std::fs::read(&names[1]).unwrap();
    assert!(raw.ends_with(&dayu), "the body is kept byte for byte");
}

#[test]
fn every_callback_is_validated_and_findings_are_warnings_that_change_no_answer() {
    // The documents' sample carries msgType `detection.finish` for a receivebase.create.
    let mut l = listen(&[]);
    let answer = post(&l.addr, &[], &autox3_body());
    assert_eq!((answer.status, answer.body.as_str()), (200, NORMAL));
    let record = l.record();
    assert_eq!(record["acked"], true);
    let warnings = record["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{record}");
    let warning = warnings[0].as_str().unwrap();
    assert!(
        warning.starts_with("schema [autox3.msg-type] /msgType: "),
        "{warning}"
    );
    // A clean Dayu event: no warning at all.
    let (event, sign) = dayu_event();
    let answer = post(&l.addr, &[("Dayu-Sign", &sign)], &event);
    assert_eq!(answer.status, 200);
    assert_eq!(l.record()["warnings"], serde_json::json!([]));
}

#[test]
fn the_text_log_line_carries_the_schema_warning() {
    use std::io::BufRead;
    let mut child = cbtool(["listen", "--addr", "127.0.0.1:0", "--max-requests", "1"])
        .command()
        .arg("--secret-file")
        .arg(fixture("autox3/secret.txt"))
        .arg("--public-key")
        .arg(fixture("dayu/keys/public.pem"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    err.read_line(&mut first).unwrap();
    let addr = first.trim().strip_prefix("listening on http://").unwrap();
    assert_eq!(post(addr, &[], &autox3_body()).status, 200);
    let mut rest = String::new();
    err.read_to_string(&mut rest).unwrap();
    assert!(child.wait().unwrap().success());
    let line = rest.lines().next().unwrap();
    assert!(
        line.contains("autox3 e6ddea1d-0b8b-24e7-cb26-91c3aa0969db: signature valid, new, acked (200); warning: schema [autox3.msg-type] /msgType: msgType is `"),
        "{rest}"
    );
}
