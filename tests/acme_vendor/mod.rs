//! Acme Hooks: a vendor that exists only in the tests, to prove that a vendor is one
//! folder plugged in through the registry's public API. Its callbacks are JSON events
//! signed with HMAC-SHA256 over the exact body bytes, the hex digest in the
//! `X-Acme-Signature` header; a receiver acknowledges with HTTP 200 and
//! `{"received":true}`, and the sender retries after 1, 5 and 25 seconds.

use cbtool::credentials::{CredentialKind, CredentialSpec, Credentials};
use cbtool::error::{Error, Result};
use cbtool::json::TopLevel;
use cbtool::replay::{Ack, Schedule};
use cbtool::sample::{Generator, Plan, Sample};
use cbtool::schema::{Findings, Rules, SchemaDoc};
use cbtool::signed_string::SignedString;
use cbtool::vendors::{
    AckRule, Delivery, DemoStep, Diagnosis, Fresh, Message, Outcome, Reply, Target, Vendor, Verdict,
};
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const HEADER: &str = "X-Acme-Signature";

pub static SECRET: CredentialSpec = CredentialSpec {
    id: "acme_secret",
    kind: CredentialKind::Secret,
    flag: "acme-secret",
    file_flag: Some("acme-secret-file"),
    env: "CBTOOL_ACME_SECRET",
    help: "Acme Hooks signing secret",
    file_help: "File holding the Acme Hooks signing secret",
    what: "the Acme signing secret",
    label: "acme secret",
    missing: "Acme Hooks needs its signing secret: pass --acme-secret-file PATH (or --acme-secret S, or set CBTOOL_ACME_SECRET)",
};

static SPECS: [&CredentialSpec; 1] = [&SECRET];

static EVENT: SchemaDoc = SchemaDoc::new(
    "acme-event",
    "Acme Hooks' event callback",
    include_str!("acme-event.schema.json"),
);
static SCHEMAS: [&SchemaDoc; 1] = [&EVENT];

/// `{"received":true}` with HTTP 200, Acme's documented acknowledgement.
pub struct Received;

impl AckRule for Received {
    fn id(&self) -> &'static str {
        "acme-received"
    }
    fn summary(&self) -> &'static str {
        "HTTP 200 and a JSON body whose `received` is true (Acme Hooks' default)"
    }
    fn needs(&self) -> String {
        "HTTP 200 with {\"received\":true}".to_string()
    }
    fn judge(&self, status: u16, body: &[u8]) -> std::result::Result<(), String> {
        let received = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|v| v.get("received").and_then(serde_json::Value::as_bool));
        match (status, received) {
            (200, Some(true)) => Ok(()),
            _ => Err(format!("HTTP {status}: {}", String::from_utf8_lossy(body))),
        }
    }
}

static ACKS: [Ack; 1] = [Ack::new(&Received)];

pub struct Acme;

fn hmac_hex(key: &[u8], bytes: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(bytes);
    hex::encode(mac.finalize().into_bytes())
}

fn answer(status: u16, received: bool, error: Option<&str>) -> Reply {
    let body = match error {
        None => serde_json::json!({ "received": received }),
        Some(e) => serde_json::json!({ "received": received, "error": e }),
    };
    Reply {
        status,
        body: body.to_string(),
    }
}

impl Vendor for Acme {
    fn id(&self) -> &'static str {
        "acme"
    }
    fn name(&self) -> &'static str {
        "Acme Hooks"
    }
    fn credentials(&self) -> &'static [&'static CredentialSpec] {
        &SPECS
    }
    fn detect(&self, top: &TopLevel) -> bool {
        top.contains("eventId")
    }
    fn detected_by(&self) -> &'static str {
        "eventId"
    }
    fn message_id(&self, msg: &Message) -> Option<String> {
        msg.top_level()
            .ok()?
            .get("eventId")
            .and_then(|f| f.as_string())
    }
    fn signed_string(&self, msg: &Message, _creds: &Credentials) -> Result<SignedString> {
        // The key is HMAC's, not part of the text: the string is the body exactly.
        Ok(SignedString::public(msg.body.to_vec()))
    }
    fn sign(&self, msg: &Message, creds: &Credentials) -> Result<String> {
        msg.top_level()?;
        Ok(hmac_hex(creds.secret(&SECRET)?.expose(), msg.body))
    }
    fn embed(&self, msg: &Message, creds: &Credentials) -> Result<Vec<u8>> {
        let signature = self.sign(msg, creds)?;
        let body = cbtool::json::minify(msg.top_level()?.text());
        Ok(format!(
            r#"{{"headers":{{"Content-Type":"application/json","{HEADER}":"{signature}"}},"body":{body}}}"#
        )
        .into_bytes())
    }
    fn carried_signature(&self, msg: &Message) -> Result<Option<String>> {
        Ok(msg.header(HEADER).map(str::to_string))
    }
    fn signature_hint(&self) -> &'static str {
        "Acme Hooks signs in the X-Acme-Signature header: give the request (--request), an envelope with its headers, or --signature"
    }
    fn verify(&self, msg: &Message, creds: &Credentials, target: &Target) -> Result<Verdict> {
        let _top = msg.top_level()?;
        let expected = self.sign(msg, creds)?;
        let valid = cbtool::secret::constant_time_eq(
            target.signature.trim().to_ascii_lowercase().as_bytes(),
            expected.as_bytes(),
        );
        Ok(Verdict {
            vendor: self.id(),
            valid,
            id: self.message_id(msg),
            signed_string: self.signed_string(msg, creds)?,
            received: target.signature.clone(),
            expected: Some(expected),
            reason: (!valid).then(|| "signature does not match".to_string()),
            notes: Vec::new(),
        })
    }
    fn diagnose(&self, msg: &Message, creds: &Credentials, target: &Target) -> Result<Diagnosis> {
        let key = creds.secret(&SECRET)?.expose();
        let theirs = target.signature.trim().to_ascii_lowercase();
        let compact = cbtool::json::minify(msg.top_level()?.text());
        let mut with_newline = msg.body.to_vec();
        with_newline.push(b'\n');
        let candidates: [(&'static str, Vec<u8>, &str); 2] = [
            (
                "trailing_newline",
                with_newline,
                "the sender signed the body with a newline after it",
            ),
            (
                "compact_json",
                compact.into_bytes(),
                "the sender signed the body re-serialized compactly",
            ),
        ];
        let tried = candidates.iter().map(|c| c.0).collect();
        let found = candidates
            .into_iter()
            .find(|(_, bytes, _)| hmac_hex(key, bytes) == theirs);
        Ok(Diagnosis {
            matched: found.as_ref().map(|f| f.0.to_string()),
            explanation: found.as_ref().map_or_else(
                || {
                    "no known change to the body reproduces the signature: check the secret"
                        .to_string()
                },
                |f| format!("{}: sign the exact body bytes", f.2),
            ),
            matched_string: found.map(|f| SignedString::public(f.1)),
            tried,
            library: None,
            snippet: None,
        })
    }
    fn verifier_ready(&self, creds: &Credentials) -> Result<()> {
        creds.secret(&SECRET).map(|_| ())
    }
    fn response(&self, outcome: &Outcome) -> Reply {
        match outcome {
            Outcome::Processed | Outcome::Duplicate => answer(200, true, None),
            Outcome::BadSignature(why) => answer(401, false, Some(why)),
            Outcome::BadMessage(why) => answer(400, false, Some(why)),
            Outcome::Refused(why) => answer(409, false, Some(why)),
            Outcome::ReceiverError(why) => answer(500, false, Some(why)),
        }
    }
    fn error_answer(&self, status: u16, reason: &str) -> Reply {
        answer(status, false, Some(reason))
    }
    fn default_ack(&self) -> Ack {
        ACKS[0]
    }
    fn ack_rules(&self) -> &'static [Ack] {
        &ACKS
    }
    fn documented_retries(&self) -> Option<Schedule> {
        Schedule::parse("1,5,25").ok()
    }
    fn id_word(&self) -> &'static str {
        "eventId"
    }
    fn sequence_key(&self, _top: &TopLevel) -> Option<String> {
        None
    }
    fn can_sign(&self, creds: &Credentials) -> bool {
        creds.has(&SECRET)
    }
    fn refresh(&self, msg: &Message, fresh: &Fresh) -> Result<Vec<u8>> {
        let mut event: serde_json::Value = serde_json::from_slice(msg.body)
            .map_err(|e| Error::new(format!("{}: {e}", msg.source)))?;
        event["eventId"] = fresh.msg_id.clone().into();
        event["createdAt"] = (fresh.now_ms / 1000).into();
        Ok(event.to_string().into_bytes())
    }
    fn signed_delivery(&self, msg: &Message, creds: &Credentials) -> Result<Delivery> {
        Ok(Delivery {
            headers: vec![(HEADER.to_string(), self.sign(msg, creds)?)],
            body: msg.body.to_vec(),
        })
    }
    fn demo(&self) -> &'static [DemoStep] {
        &[]
    }
    fn sample(&self, generator: &mut Generator, plan: Plan) -> Result<Vec<Sample>> {
        if plan != Plan::One {
            return Err(Error::new(
                "Acme Hooks events form no history: drop --lifecycle",
            ));
        }
        let at = generator.advance(1_000, 60_000) / 1000;
        let event = serde_json::json!({
            "eventId": format!("evt_{}", generator.rng.hex(16)),
            "type": "order.paid",
            "createdAt": at,
            "data": {"amount": generator.rng.range(1, 100_000)},
        });
        Ok(vec![Sample {
            name: "order-paid",
            body: event.to_string().into_bytes(),
        }])
    }
    fn rules(&self) -> &'static dyn Rules {
        &AcmeRules
    }
}

pub struct AcmeRules;

impl Rules for AcmeRules {
    fn schemas(&self) -> &'static [&'static SchemaDoc] {
        &SCHEMAS
    }
    fn check(&self, body: &serde_json::Value, out: &mut Findings) -> Result<()> {
        EVENT.check(body, "", out)
    }
}
