//! The receiver's decisions, in-process and without HTTP: what `listen` answers each
//! vendor's callbacks (signature, duplicate, faults, checks). The AutoX3 message `M1` is
//! signed with the secret `s`: `printf '%s' 'm1t{}1{}s' | sha1sum` (GNU coreutils).

// A test that cannot unwrap has failed: panicking is the report.
#![allow(clippy::unwrap_used)]

use cbtool::credentials::Credentials;
use cbtool::listen::{Action, Decision, FaultMode, FaultPlan, MessageCheck, Receiver, SeenIds};
use cbtool::secret::Secret;
use cbtool::vendors::{Message, Reply, Vendor};

const M1: &[u8] = br#"{"msgId":"m1","msgType":"t","staffInfo":{},"createTime":1,"content":{},"msgSignature":"BBDF780FCCBDCD58DCBD45B86663A8030D7C5012"}"#;

fn receiver(faults: FaultPlan) -> Receiver {
    let creds = Credentials::default().with(
        &cbtool::vendors::autox3::credential::APP_SECRET,
        cbtool::credentials::Given::Secret(Secret::new("s")),
    );
    Receiver::new(creds, None, SeenIds::in_memory(), faults)
}

fn reply(d: &Decision) -> &Reply {
    match &d.action {
        Action::Reply(r) => r,
        other => panic!("no reply: {other:?}"),
    }
}

#[test]
fn new_then_duplicate_both_acknowledged() {
    let r = receiver(FaultPlan::none());
    let first = r.handle(&[], M1);
    assert!(first.acked() && !first.duplicate);
    assert_eq!(first.id.as_deref(), Some("m1"));
    let again = r.handle(&[], M1);
    assert!(again.acked() && again.duplicate);
    assert_eq!(reply(&again).body, cbtool::vendors::autox3::NORMAL_RESPONSE);
}

#[test]
fn tampered_and_unsigned_are_refused_without_the_expected_signature() {
    let r = receiver(FaultPlan::none());
    let tampered = String::from_utf8(M1.to_vec())
        .unwrap()
        .replace("\"createTime\":1", "\"createTime\":2");
    let d = r.handle(&[], tampered.as_bytes());
    assert_eq!(d.signature_valid, Some(false));
    assert_eq!(reply(&d).status, 401);
    let expected = cbtool::vendors::autox3::AutoX3
        .sign(&Message::new("t", tampered.as_bytes()), r.credentials())
        .unwrap();
    assert!(!reply(&d).body.to_ascii_uppercase().contains(&expected));
    assert!(!d.error.unwrap().to_ascii_uppercase().contains(&expected));
    let unsigned = br#"{"msgId":"m2","msgType":"t","staffInfo":{},"createTime":1,"content":{}}"#;
    let d = r.handle(&[], unsigned);
    assert_eq!(reply(&d).status, 401);
    assert!(d.error.unwrap().contains("no msgSignature"));
}

#[test]
fn a_tampered_body_does_not_leak_its_real_signature() {
    let r = receiver(FaultPlan::none());
    let body = br#"{"msgId":"m1","msgType":"t","staffInfo":{},"createTime":1,"content":{},"msgSignature":"0000000000000000000000000000000000000000"}"#;
    let d = r.handle(&[], body);
    assert!(!reply(&d).body.contains("BBDF780F"), "{}", reply(&d).body);
    assert!(!d.error.unwrap().contains("BBDF780F"));
}

#[test]
fn garbage_and_unknown_vendors_are_400() {
    let r = receiver(FaultPlan::none());
    assert_eq!(reply(&r.handle(&[], b"nope")).status, 400);
    assert_eq!(reply(&r.handle(&[], b"{\"a\":1}")).status, 400);
    let dayu = br#"{"orderId":1,"orderRecord":{"serviceProgessTimeNum":0}}"#;
    let d = r.handle(&[], dayu);
    assert_eq!(reply(&d).status, 500, "no public key configured");
    assert_eq!(d.vendor, Some("dayu"));
}

#[test]
fn faults_come_before_deduplication() {
    let r = receiver(FaultPlan::new(1, 0.0, 0, FaultMode::Status1));
    let d = r.handle(&[], M1);
    assert_eq!(d.fault, Some(FaultMode::Status1));
    assert!(!d.acked());
    assert!(reply(&d).body.contains("\"status\":1"));
    let d = r.handle(&[], M1);
    assert!(
        d.acked() && !d.duplicate,
        "the faulted delivery was not processed"
    );
    let r = receiver(FaultPlan::new(1, 0.0, 0, FaultMode::BadJson));
    let d = r.handle(&[], M1);
    assert_eq!(reply(&d).status, 200);
    assert!(serde_json::from_str::<serde_json::Value>(&reply(&d).body).is_err());
}

struct Shouty;
impl MessageCheck for Shouty {
    fn check(&self, vendor: &dyn Vendor, _msg: &Message) -> Vec<String> {
        vec![format!("{} looked at it", vendor.id())]
    }
}

#[test]
fn checks_add_warnings_without_changing_the_answer() {
    let r = receiver(FaultPlan::none()).with_check(Box::new(Shouty));
    let d = r.handle(&[], M1);
    assert!(d.acked());
    assert_eq!(d.warnings, ["autox3 looked at it"]);
}
