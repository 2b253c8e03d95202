//! AutoX3: `sha1(msgId + msgType + staffInfo + createTime + content + appSecret)`, hex,
//! over the exact text of `staffInfo` and `content` as they appear in the body.

mod answer;
pub mod credential;
mod demo;
mod diagnose;
#[cfg(test)]
mod parse_once_tests;
mod sample;
mod schema;
mod snippets;
pub mod vin;

/// For the differential fuzz target only: every library profile's output for `text`, with
/// whether it reads back as the same value (see `diagnose::restyle_for_fuzzing`).
#[doc(hidden)]
pub fn restyle_for_fuzzing(text: &str) -> Option<Vec<(&'static str, String, bool)>> {
    diagnose::restyle_for_fuzzing(text)
}

use std::borrow::Cow;

use sha1::{Digest, Sha1};

use super::{splice, Delivery, Diagnosis, Fresh, Message, Outcome, Reply, Target, Vendor, Verdict};
use crate::credentials::{CredentialSpec, Credentials};
use crate::error::{Error, Result};
use crate::json::{self, JsonKind, RawField, TopLevel};
use crate::replay::{Ack, Schedule};
use crate::sample::{Generator, Plan, Sample};
use crate::secret::{constant_time_eq, Secret};
use crate::signed_string::{Part, SignedString};

/// The AutoX3 vendor.
pub struct AutoX3;

/// The only message type the documents describe.
pub(crate) const RECEIVEBASE_CREATE: &str = "event.autox3.order.receivebase.create";

/// The normal response a receiver must give, byte for byte as the documents show it.
pub const NORMAL_RESPONSE: &str = r#"{"data":null,"errorInfo":"","status":0}"#;

/// The members of a callback that take part in the signature.
struct Fields<'a> {
    top: &'a TopLevel<'a>,
    // Borrowed from the body unless escaped: verifying a stream reads these once a line.
    msg_id: Cow<'a, str>,
    msg_type: Cow<'a, str>,
    staff_info: RawField<'a>,
    create_time: CreateTime<'a>,
    content: RawField<'a>,
    /// `content` as it is hashed: the raw text, or the decoded value when the sender
    /// transmitted it as a JSON string.
    content_text: Cow<'a, str>,
}

struct CreateTime<'a> {
    digits: Cow<'a, str>,
    /// Sent as a JSON string rather than a number.
    quoted: bool,
}

impl<'a> Fields<'a> {
    fn parse(source: &str, top: &'a TopLevel<'a>) -> Result<Fields<'a>> {
        let field = |name: &str| {
            top.get(name).ok_or_else(|| {
                Error::new(format!(
                    "{source}: missing `{name}`; an AutoX3 callback has msgId, msgType, staffInfo, createTime, content and msgSignature"
                ))
            })
        };
        let string = |name: &str| -> Result<Cow<'a, str>> {
            let raw = field(name)?;
            raw.as_str()
                .ok_or_else(|| wrong_type(source, top, name, raw, "a string"))
        };
        let msg_id = string("msgId")?;
        let msg_type = string("msgType")?;
        let staff_info = field("staffInfo")?;
        let create_time = create_time(source, top, field("createTime")?)?;
        let content = field("content")?;
        let content_text = match content.kind() {
            JsonKind::String => content.as_str().unwrap_or_default(),
            _ => Cow::Borrowed(content.text),
        };
        Ok(Fields {
            top,
            msg_id,
            msg_type,
            staff_info,
            create_time,
            content,
            content_text,
        })
    }

    /// The signed string's parts in order; the secret is the last.
    fn parts<'s>(&'s self, secret: &'s Secret) -> [Part<'s>; 6] {
        [
            Part::Text(self.msg_id.as_bytes()),
            Part::Text(self.msg_type.as_bytes()),
            Part::Text(self.staff_info.text.as_bytes()),
            Part::Text(self.create_time.digits.as_bytes()),
            Part::Text(self.content_text.as_bytes()),
            Part::Secret(secret.expose()),
        ]
    }

    fn signed_string(&self, secret: &Secret) -> SignedString {
        SignedString::from_parts(&self.parts(secret)).shown_as(secret.label())
    }

    /// SHA-1 of the signed string, hashed part by part rather than from a copy.
    fn digest(&self, secret: &Secret) -> [u8; 20] {
        let mut hasher = Sha1::new();
        for part in self.parts(secret) {
            let (Part::Text(bytes) | Part::Secret(bytes)) = part;
            hasher.update(bytes);
        }
        hasher.finalize().into()
    }
}

fn wrong_type(source: &str, top: &TopLevel, name: &str, raw: RawField, want: &str) -> Error {
    Error::at(
        source,
        Some(top.position(raw.offset)),
        format!(
            "`{name}` is {}; AutoX3 sends it as {want}",
            raw.kind().name()
        ),
    )
}

fn create_time<'a>(source: &str, top: &TopLevel, raw: RawField<'a>) -> Result<CreateTime<'a>> {
    let (digits, quoted) = match raw.kind() {
        JsonKind::Number => (Cow::Borrowed(raw.text), false),
        JsonKind::String => (raw.as_str().unwrap_or_default(), true),
        _ => {
            return Err(wrong_type(
                source,
                top,
                "createTime",
                raw,
                "a number of milliseconds",
            ))
        }
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::at(
            source,
            Some(top.position(raw.offset)),
            format!(
                "`createTime` is `{}`; AutoX3 sends whole milliseconds since 1970 (digits only)",
                raw.text
            ),
        ));
    }
    Ok(CreateTime { digits, quoted })
}

/// SHA-1 of the signed string, as the vendor's Java demo prints it (upper-case hex).
fn hex_sha1(signed: &SignedString) -> String {
    upper_hex(&Sha1::digest(signed.bytes()))
}

/// Upper-case hex of a digest; `hex::encode_upper` goes through a char iterator, which
/// shows in the profile of a verify that runs once a callback.
fn upper_hex(digest: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut text = String::with_capacity(digest.len() * 2);
    for byte in digest {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

/// Whether `signature` is the hex of `digest`, in either case, compared in constant
/// time. What [`parse_hex_signature`] accepts beyond that (spaces around it) only
/// matters to the full verdict, which explains it.
///
/// Decoded through a table: the hex crate branches on every digit, and random digits
/// make those branches mispredict often enough to show in a stream's profile.
fn hex_matches(signature: &str, digest: &[u8; 20]) -> bool {
    const NOT_HEX: u8 = 0xff;
    const VALUES: [u8; 256] = {
        let mut table = [NOT_HEX; 256];
        let mut i = 0;
        while i < 16 {
            table[b"0123456789abcdef"[i] as usize] = i as u8;
            table[b"0123456789ABCDEF"[i] as usize] = i as u8;
            i += 1;
        }
        table
    };
    if signature.len() != 40 {
        return false;
    }
    let mut received = [0u8; 20];
    let mut seen = 0u8;
    for (byte, pair) in received
        .iter_mut()
        .zip(signature.as_bytes().chunks_exact(2))
    {
        let (high, low) = (VALUES[usize::from(pair[0])], VALUES[usize::from(pair[1])]);
        seen |= high | low;
        *byte = high << 4 | low;
    }
    // Digit values stay below 16; a byte that is not a digit sets the high bits.
    seen < 16 && constant_time_eq(&received, digest)
}

/// A received signature: 40 hex digits, either case.
fn parse_hex_signature(signature: &str) -> std::result::Result<[u8; 20], String> {
    let s = signature.trim();
    if s == "${hashCode}" {
        return Err(
            "the signature is `${hashCode}`, the documents' placeholder, not a signature".into(),
        );
    }
    let mut digest = [0u8; 20];
    if hex::decode_to_slice(s, &mut digest).is_ok() {
        return Ok(digest);
    }
    let bytes = hex::decode(s).map_err(|_| {
        format!(
            "the signature is not hex ({} characters); AutoX3 sends 40 hex digits",
            s.chars().count()
        )
    })?;
    match bytes.len() {
        20 => {
            digest.copy_from_slice(&bytes);
            Ok(digest)
        }
        32 => Err(
            "the signature has 64 hex digits: that is SHA-256, AutoX3 uses SHA-1 (40 hex digits)"
                .into(),
        ),
        16 => Err(
            "the signature has 32 hex digits: that is MD5, AutoX3 uses SHA-1 (40 hex digits)"
                .into(),
        ),
        n => Err(format!(
            "the signature has {} hex digits; AutoX3 sends 40 (SHA-1)",
            n * 2
        )),
    }
}

impl Vendor for AutoX3 {
    fn id(&self) -> &'static str {
        "autox3"
    }

    fn name(&self) -> &'static str {
        "AutoX3"
    }

    fn snippets(&self) -> &'static [super::Snippet] {
        &snippets::SNIPPETS
    }

    fn demo(&self) -> &'static [super::DemoStep] {
        &demo::SCRIPT
    }

    fn detected_by(&self) -> &'static str {
        "msgId/msgSignature"
    }

    fn credentials(&self) -> &'static [&'static CredentialSpec] {
        &credential::SPECS
    }

    fn detect(&self, top: &TopLevel) -> bool {
        top.contains("msgId") || top.contains("msgSignature")
    }

    fn message_id(&self, msg: &Message) -> Option<String> {
        msg.top_level()
            .ok()?
            .get("msgId")
            .and_then(|f| f.as_string())
    }

    fn signed_string(&self, msg: &Message, creds: &Credentials) -> Result<SignedString> {
        let fields = Fields::parse(&msg.source, msg.top_level()?)?;
        Ok(fields.signed_string(credential::secret(creds)?))
    }

    fn sign(&self, msg: &Message, creds: &Credentials) -> Result<String> {
        Ok(hex_sha1(&self.signed_string(msg, creds)?))
    }

    /// Compacts the body (keeping key order, numbers and escapes as written), then fills
    /// `msgSignature` with the signature of exactly those bytes.
    fn embed(&self, msg: &Message, creds: &Credentials) -> Result<Vec<u8>> {
        let compact = json::minify(json::utf8(&msg.source, msg.body)?);
        let top = TopLevel::parse(&msg.source, compact.as_bytes())?;
        let fields = Fields::parse(&msg.source, &top)?;
        let signature = hex_sha1(&fields.signed_string(credential::secret(creds)?));
        let quoted = format!("\"{signature}\"");
        let mut out = compact.clone().into_bytes();
        match fields.top.get("msgSignature") {
            Some(old) => {
                out.splice(old.offset..old.end(), quoted.bytes());
            }
            None => {
                // The compact object ends with `}`: add the member just before it.
                let close = out.len() - 1;
                out.splice(close..close, format!(",\"msgSignature\":{quoted}").bytes());
            }
        }
        Ok(out)
    }

    fn carried_signature(&self, msg: &Message) -> Result<Option<String>> {
        let top = msg.top_level()?;
        match top.get("msgSignature") {
            None => Ok(None),
            Some(raw) => raw.as_string().map(Some).ok_or_else(|| {
                wrong_type(
                    &msg.source,
                    top,
                    "msgSignature",
                    raw,
                    "a string of 40 hex digits",
                )
            }),
        }
    }

    fn signature_hint(&self) -> &'static str {
        "the body has no msgSignature; pass --signature SIG"
    }

    fn verify(&self, msg: &Message, creds: &Credentials, target: &Target) -> Result<Verdict> {
        let fields = Fields::parse(&msg.source, msg.top_level()?)?;
        let signed = fields.signed_string(credential::secret(creds)?);
        let digest = Sha1::digest(signed.bytes());
        let mut notes = Vec::new();
        if fields.create_time.quoted {
            notes.push("createTime is sent as a string; the documents send a number (the digits are signed either way)".to_string());
        }
        if fields.content.kind() == JsonKind::String {
            notes.push(
                "content is sent as a JSON string; its decoded text is what is signed".to_string(),
            );
        }
        let (valid, reason) = match parse_hex_signature(&target.signature) {
            Ok(received) => {
                let valid = constant_time_eq(&received, &digest);
                if valid
                    && target
                        .signature
                        .trim()
                        .bytes()
                        .any(|b| b.is_ascii_lowercase())
                {
                    notes.push("the signature is lower-case hex; the vendor prints upper-case, so compare hex case-insensitively".to_string());
                }
                (
                    valid,
                    (!valid).then(|| "signature does not match".to_string()),
                )
            }
            Err(why) => (false, Some(why)),
        };
        Ok(Verdict {
            vendor: self.id(),
            valid,
            id: Some(fields.msg_id.into_owned()),
            signed_string: signed,
            received: target.signature.clone(),
            expected: Some(upper_hex(&digest)),
            reason,
            notes,
        })
    }

    fn passes(&self, msg: &Message, creds: &Credentials, signature: Option<&str>) -> bool {
        let (Ok(top), Ok(secret)) = (msg.top_level(), credential::secret(creds)) else {
            return false;
        };
        // Borrowed from the body: this runs once a line of a stream.
        let carried = top.get("msgSignature").and_then(|f| f.as_str());
        let (Some(signature), Ok(fields)) = (
            signature.or(carried.as_deref()),
            Fields::parse(&msg.source, top),
        ) else {
            return false;
        };
        hex_matches(signature, &fields.digest(secret))
    }

    fn diagnose(&self, msg: &Message, creds: &Credentials, target: &Target) -> Result<Diagnosis> {
        let fields = Fields::parse(&msg.source, msg.top_level()?)?;
        Ok(diagnose::diagnose(
            &fields,
            credential::secret(creds)?,
            target,
        ))
    }

    fn explain_signed_string(
        &self,
        msg: &Message,
        creds: &Credentials,
        theirs: &[u8],
        target: &Target,
    ) -> Option<Diagnosis> {
        let fields = Fields::parse(&msg.source, msg.top_level().ok()?).ok()?;
        diagnose::explain_signed_string(&fields, credential::secret(creds).ok()?, theirs, target)
    }

    fn verifier_ready(&self, creds: &Credentials) -> Result<()> {
        credential::secret(creds).map(|_| ())
    }

    fn response(&self, outcome: &Outcome) -> Reply {
        answer::answer(outcome)
    }

    fn error_answer(&self, status: u16, reason: &str) -> Reply {
        answer::error_answer(status, reason)
    }

    fn default_ack(&self) -> Ack {
        answer::STATUS_ZERO
    }

    fn ack_rules(&self) -> &'static [Ack] {
        &[answer::STATUS_ZERO]
    }

    /// Six retries, 2 s to 64 s apart (the documents).
    fn documented_retries(&self) -> Option<Schedule> {
        Some(Schedule::from_waits(answer::retry_waits()))
    }

    fn id_word(&self) -> &'static str {
        "msgId"
    }

    fn sequence_key(&self, _top: &TopLevel) -> Option<String> {
        None
    }

    fn can_sign(&self, creds: &Credentials) -> bool {
        creds.has(&credential::APP_SECRET)
    }

    /// A new `msgId` and `createTime` (kept a string if it was one); the rest untouched.
    fn refresh(&self, msg: &Message, fresh: &Fresh) -> Result<Vec<u8>> {
        let fields = Fields::parse(&msg.source, msg.top_level()?)?;
        let mut edits = Vec::new();
        if let Some(id) = fields.top.get("msgId") {
            let text = serde_json::Value::String(fresh.msg_id.clone()).to_string();
            edits.push((id.offset..id.end(), text));
        }
        if let Some(time) = fields.top.get("createTime") {
            let text = if fields.create_time.quoted {
                format!("\"{}\"", fresh.now_ms)
            } else {
                fresh.now_ms.to_string()
            };
            edits.push((time.offset..time.end(), text));
        }
        Ok(splice(msg.body, edits))
    }

    fn signed_delivery(&self, msg: &Message, creds: &Credentials) -> Result<Delivery> {
        Ok(Delivery {
            headers: msg.headers.clone(),
            body: self.embed(msg, creds)?,
        })
    }

    fn sample(&self, generator: &mut Generator, plan: Plan) -> Result<Vec<Sample>> {
        match plan {
            Plan::One => Ok(vec![sample::receivebase_create(generator)]),
            Plan::Lifecycle(_) => Err(Error::new(
                "--lifecycle is for Dayu work orders; AutoX3 documents one message type (use --count N for several callbacks)",
            )),
        }
    }

    fn rules(&self) -> &'static dyn crate::schema::Rules {
        &schema::AutoX3Rules
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials::default().with(
            &credential::APP_SECRET,
            crate::credentials::Given::Secret(Secret::new("s")),
        )
    }

    #[test]
    fn upper_hex_spells_every_byte() {
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(upper_hex(&all), hex::encode_upper(&all));
    }

    // Expected values: printf '%s' 'm1t{}1{}s' | sha1sum
    #[test]
    fn signs_the_raw_text() {
        let body = br#"{"msgId":"m1","msgType":"t","staffInfo":{},"createTime":1,"content":{}}"#;
        let msg = Message::new("t.json", body);
        let signed = AutoX3.signed_string(&msg, &creds()).unwrap();
        assert_eq!(signed.bytes(), b"m1t{}1{}s");
        assert_eq!(
            AutoX3.sign(&msg, &creds()).unwrap(),
            "BBDF780FCCBDCD58DCBD45B86663A8030D7C5012"
        );
    }

    /// `passes` is the stream's shortcut: it may send a callback that verifies to the
    /// full check, but must never pass one that does not verify.
    #[test]
    fn passes_only_what_verifies() {
        let body = |sig: &str, time: &str, content: &str| {
            format!(
                r#"{{"msgId":"m1","msgType":"t","staffInfo":{{}},"createTime":{time},"content":{content},"msgSignature":"{sig}"}}"#
            )
        };
        // printf '%s' 'm1t{}1{}s' | sha1sum, and 'm1t{}1{"a":1}s' for the string content.
        let good = "BBDF780FCCBDCD58DCBD45B86663A8030D7C5012";
        let string_content = "8135D1931DA64C809BEBCB32217E38279C7795F7";
        let cases = [
            (body(good, "1", "{}"), true),
            (body(&good.to_lowercase(), "1", "{}"), true),
            (body(good, "\"1\"", "{}"), true),
            (body(&format!(" {good}"), "1", "{}"), false),
            (body(&good.replace('B', "C"), "1", "{}"), false),
            (body(&good[..39], "1", "{}"), false),
            (body("${hashCode}", "1", "{}"), false),
            (body(good, "2", "{}"), false),
            (body(string_content, "1", r#""{\"a\":1}""#), true),
        ];
        for (body, passes) in cases {
            let msg = Message::new("t.json", body.as_bytes());
            let target = crate::vendors::target(&AutoX3, &msg, None).unwrap();
            let verified = AutoX3.verify(&msg, &creds(), &target).unwrap().valid;
            assert_eq!(AutoX3.passes(&msg, &creds(), None), passes, "{body}");
            assert!(!passes || verified, "{body}");
        }
        let no_secret = Credentials::default();
        let plain = body(good, "1", "{}");
        let msg = Message::new("t.json", plain.as_bytes());
        assert!(!AutoX3.passes(&msg, &no_secret, None));
        assert!(AutoX3.passes(&msg, &creds(), Some(&good.to_lowercase())));
        assert!(!AutoX3.passes(&msg, &creds(), Some(string_content)));
    }

    #[test]
    fn answers_normally_only_when_acknowledged() {
        for outcome in [Outcome::Processed, Outcome::Duplicate] {
            assert_eq!(AutoX3.response(&outcome).body, NORMAL_RESPONSE);
        }
        let bad = AutoX3.response(&Outcome::BadSignature("signature does not match".into()));
        assert_eq!(bad.status, 401);
        assert_eq!(
            bad.body,
            r#"{"data":null,"errorInfo":"signature does not match","status":1}"#
        );
        assert_eq!(AutoX3.response(&Outcome::Refused("no".into())).status, 200);
    }

    #[test]
    fn embed_compacts_and_signs_the_sent_bytes() {
        let body = b"{ \"msgId\": \"m1\", \"msgType\": \"t\", \"staffInfo\": { }, \"createTime\": 1, \"content\": {} }";
        let out = AutoX3
            .embed(&Message::new("t.json", body), &creds())
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"msgId":"m1","msgType":"t","staffInfo":{},"createTime":1,"content":{},"msgSignature":"BBDF780FCCBDCD58DCBD45B86663A8030D7C5012"}"#
        );
    }

    #[test]
    fn refresh_replaces_identity_and_keeps_the_rest() {
        let body = br#"{"msgId":"m1","msgType":"t","staffInfo":{},"createTime":"1","content":{}}"#;
        let fresh = Fresh {
            msg_id: "n2".into(),
            now_ms: 1700000000123,
        };
        let out = AutoX3.refresh(&Message::new("t", body), &fresh).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"msgId":"n2","msgType":"t","staffInfo":{},"createTime":"1700000000123","content":{}}"#
        );
    }

    #[test]
    fn field_errors_name_the_field_and_position() {
        let body = b"{\"msgId\": 5, \"msgType\":\"t\"}";
        let e = AutoX3
            .sign(&Message::new("f.json", body), &creds())
            .unwrap_err();
        assert_eq!(
            e.message(),
            "f.json:1:11: `msgId` is a number; AutoX3 sends it as a string"
        );
        let body = br#"{"msgId":"m","msgType":"t","staffInfo":{},"createTime":1.5,"content":{}}"#;
        let e = AutoX3
            .sign(&Message::new("f.json", body), &creds())
            .unwrap_err();
        assert!(e.message().contains("`createTime` is `1.5`"), "{e}");
    }
}
