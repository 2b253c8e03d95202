//! Dayu (大鱼): SHA1WithRSA over `orderId=<orderId>&serviceProgessTimeNum=<n>` (the
//! vendor's spelling), standard base64, in the `Dayu-Sign` header.

mod block;
pub mod credential;
mod demo;
mod diagnose;
mod explain;
mod lifecycle;
mod sample;
mod schema;
mod sequence;
mod snippets;
mod strings;
mod transport;

use base64::Engine;
use sha1::{Digest, Sha1};

use super::{splice, Delivery, Diagnosis, Fresh, Message, Outcome, Reply, Target, Vendor, Verdict};
use crate::credentials::{CredentialSpec, Credentials};
use crate::error::{Error, Result};
use crate::json::{self, JsonKind, RawField, TopLevel};
use crate::replay::Ack;
use crate::sample::{Generator, Plan, Sample};
use crate::signed_string::SignedString;

/// The Dayu vendor.
pub struct Dayu;

/// The header that carries the signature.
pub(crate) const SIGNATURE_HEADER: &str = "Dayu-Sign";

/// The two values the signature covers, as text.
struct Fields {
    order_id: String,
    progress: String,
}

impl Fields {
    fn parse(source: &str, top: &TopLevel) -> Result<Fields> {
        let order_id = top
            .get("orderId")
            .ok_or_else(|| missing(source, "orderId"))?;
        let record = top
            .get("orderRecord")
            .ok_or_else(|| missing(source, "orderRecord"))?;
        if record.kind() != JsonKind::Object {
            return Err(Error::at(
                source,
                Some(top.position(record.offset)),
                format!(
                    "`orderRecord` is {}; Dayu sends an object",
                    record.kind().name()
                ),
            ));
        }
        let inner = TopLevel::parse(source, record.text.as_bytes())?;
        let progress = inner
            .get("serviceProgessTimeNum")
            .ok_or_else(|| missing(source, "orderRecord.serviceProgessTimeNum"))?;
        Ok(Fields {
            order_id: integer_text(source, top, "orderId", order_id, 0)?,
            progress: integer_text(
                source,
                &inner,
                "orderRecord.serviceProgessTimeNum",
                progress,
                record.offset,
            )?,
        })
    }

    fn signed_string(&self) -> SignedString {
        SignedString::public(canonical(&self.order_id, &self.progress).into_bytes())
    }
}

/// The message's signed fields, read once however many steps need them (its id, the
/// signed string, signing, verifying).
fn fields<'m>(msg: &'m Message) -> Result<&'m Fields> {
    msg.vendor_fields(|| Fields::parse(&msg.source, msg.top_level()?))
}

fn canonical(order_id: &str, progress: &str) -> String {
    format!("orderId={order_id}&serviceProgessTimeNum={progress}")
}

fn missing(source: &str, name: &str) -> Error {
    Error::new(format!(
        "{source}: missing `{name}`; a Dayu callback has orderId and orderRecord.serviceProgessTimeNum, which the signature covers"
    ))
}

/// The decimal text of an integer field, as Java's string concatenation writes it.
fn integer_text(
    source: &str,
    top: &TopLevel,
    name: &str,
    raw: RawField,
    base: usize,
) -> Result<String> {
    let text = match raw.kind() {
        JsonKind::Number => raw.text.to_string(),
        JsonKind::String => raw.as_string().unwrap_or_default(),
        _ => String::new(),
    };
    let digits = text.strip_prefix('-').unwrap_or(&text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        let offset = base + raw.offset;
        let position = (base == 0).then(|| top.position(offset));
        return Err(Error::at(
            source,
            position,
            format!(
                "`{name}` is `{}`; Dayu sends an integer",
                one_line(raw.text)
            ),
        ));
    }
    Ok(text)
}

/// A raw value for a one-line error: compact, and cut after 40 characters, since a
/// pretty-printed object or array would otherwise break the message over lines.
fn one_line(raw: &str) -> String {
    let compact = json::minify(raw);
    match compact.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &compact[..cut]),
        None => compact,
    }
}

/// Decodes a received signature: standard base64 with padding; whitespace and line
/// breaks are dropped first because MIME encoders and `openssl base64` wrap lines.
fn decode_signature(signature: &str) -> std::result::Result<Vec<u8>, String> {
    let cleaned: String = signature.chars().filter(|c| !c.is_whitespace()).collect();
    if cleaned.is_empty() {
        return Err("the signature is empty".into());
    }
    base64::engine::general_purpose::STANDARD
        .decode(&cleaned)
        .map_err(|e| {
            let hint = if cleaned.contains(['-', '_']) {
                " (it has `-` or `_`: URL-safe base64; Dayu uses standard base64)"
            } else if signature.trim().contains(' ') {
                " (it has spaces: a `+` may have been turned into a space by URL decoding)"
            } else {
                ""
            };
            format!(
                "the signature is not valid base64: {}{hint}",
                base64_error(&e)
            )
        })
}

/// A base64 decoding error in words, with a 1-based character position (the crate's own
/// text gives a byte value and a 0-based offset).
fn base64_error(e: &base64::DecodeError) -> String {
    use base64::DecodeError as E;
    match *e {
        E::InvalidByte(at, b'=') => {
            format!("`=` padding at character {} with more after it", at + 1)
        }
        E::InvalidByte(at, b) => format!(
            "character {} is `{}`, which base64 does not use",
            at + 1,
            char::from(b).escape_default()
        ),
        E::InvalidLength(n) => format!("{n} characters, which no whole base64 text has"),
        E::InvalidLastSymbol(at, _) => format!(
            "its last character (character {}) has bits a true encoder never sets: the value was changed",
            at + 1
        ),
        E::InvalidPadding => "its `=` padding is wrong".to_string(),
    }
}

/// Why a signature that is not one base64 block of the key's size cannot be checked. A
/// transport form that does give the key's size (hex, URL-safe, spaces for `+`) is named
/// rather than blaming the key's size.
fn unreadable(
    signature: &str,
    decoded: std::result::Result<Vec<u8>, String>,
    size: usize,
) -> String {
    let other_form = transport::decodings(signature)
        .into_iter()
        .find(|(form, bytes)| bytes.len() == size && form.cause().is_some());
    if let Some((form, _)) = other_form {
        return format!(
            "the signature is {}; Dayu sends standard base64 (--explain tells more)",
            form.described()
        );
    }
    match decoded {
        Ok(sig) => format!(
            "the signature is {} bytes but the key makes {size}-byte signatures: a different key size signed it, or the signature is cut",
            sig.len()
        ),
        Err(why) => why,
    }
}

impl Vendor for Dayu {
    fn id(&self) -> &'static str {
        "dayu"
    }

    fn name(&self) -> &'static str {
        "Dayu"
    }

    fn snippets(&self) -> &'static [super::Snippet] {
        &snippets::SNIPPETS
    }

    fn demo(&self) -> &'static [super::DemoStep] {
        &demo::SCRIPT
    }

    fn detected_by(&self) -> &'static str {
        "orderId/orderRecord"
    }

    fn credentials(&self) -> &'static [&'static CredentialSpec] {
        &credential::SPECS
    }

    fn detect(&self, top: &TopLevel) -> bool {
        top.contains("orderId") || top.contains("orderRecord")
    }

    fn message_id(&self, msg: &Message) -> Option<String> {
        let fields = fields(msg).ok()?;
        Some(format!("{}/{}", fields.order_id, fields.progress))
    }

    fn signed_string(&self, msg: &Message, _creds: &Credentials) -> Result<SignedString> {
        Ok(fields(msg)?.signed_string())
    }

    fn sign(&self, msg: &Message, creds: &Credentials) -> Result<String> {
        let signed = self.signed_string(msg, creds)?;
        let key = credential::private_key(creds)?;
        let digest = Sha1::digest(signed.bytes());
        let signature = key
            .sign(rsa::Pkcs1v15Sign::new::<Sha1>(), &digest)
            .map_err(|e| Error::new(format!("cannot sign with the private key: {e}")))?;
        Ok(base64::engine::general_purpose::STANDARD.encode(signature))
    }

    /// The request envelope: headers as sent, and the body compacted exactly as sent.
    fn embed(&self, msg: &Message, creds: &Credentials) -> Result<Vec<u8>> {
        let signature = self.sign(msg, creds)?;
        let body = json::minify(json::utf8(&msg.source, msg.body)?);
        let headers = serde_json::json!({
            "Content-Type": "application/json",
            SIGNATURE_HEADER: signature,
        });
        Ok(format!("{{\"headers\":{headers},\"body\":{body}}}").into_bytes())
    }

    fn carried_signature(&self, msg: &Message) -> Result<Option<String>> {
        Ok(msg.header(SIGNATURE_HEADER).map(str::to_string))
    }

    fn signature_hint(&self) -> &'static str {
        "Dayu sends it in the Dayu-Sign header; pass --signature SIG, --request FILE (a captured HTTP request), or an envelope {\"headers\": {\"Dayu-Sign\": …}, \"body\": …}"
    }

    fn verify(&self, msg: &Message, creds: &Credentials, target: &Target) -> Result<Verdict> {
        let fields = fields(msg)?;
        let signed = fields.signed_string();
        let key = credential::public_key(creds)?;
        let (valid, reason) = match decode_signature(&target.signature) {
            Ok(sig) if sig.len() == key.size() => {
                let valid = key.verify_sha1(signed.bytes(), &sig);
                (
                    valid,
                    (!valid).then(|| "signature does not verify".to_string()),
                )
            }
            decoded => (
                false,
                Some(unreadable(&target.signature, decoded, key.size())),
            ),
        };
        let mut notes = Vec::new();
        if target.signature.trim().contains(['\n', '\r']) {
            notes.push("the signature is wrapped over several lines: cbtool ignored the line breaks, but a strict decoder (Java Base64.getDecoder(), Python b64decode(validate=True)) rejects it".to_string());
        }
        Ok(Verdict {
            vendor: self.id(),
            valid,
            id: Some(format!("{}/{}", fields.order_id, fields.progress)),
            signed_string: signed,
            received: target.signature.clone(),
            expected: None,
            reason,
            notes,
        })
    }

    fn diagnose(&self, msg: &Message, creds: &Credentials, target: &Target) -> Result<Diagnosis> {
        let top = msg.top_level()?;
        let fields = fields(msg)?;
        let key = credential::public_key(creds)?;
        Ok(diagnose::diagnose(fields, top, msg.body, key, target))
    }

    /// Whether the signature covers the user's string, every difference named as a
    /// family, then the first differing byte.
    fn compare_signed_string(
        &self,
        msg: &Message,
        creds: &Credentials,
        target: &Target,
        expected: &SignedString,
        theirs: &[u8],
    ) -> Result<String> {
        let top = msg.top_level()?;
        let fields = fields(msg)?;
        let context = strings::Context {
            fields,
            order_num: top.get("orderNum").and_then(|f| f.as_string()),
            body: msg.body,
        };
        let comparison = context.compare(expected, theirs);
        let covered = diagnose::covers(credential::public_key(creds)?, &target.signature, theirs);
        Ok(match covered {
            Some(true) => format!("the signature covers exactly your string, so your code signed it. Against the correct string: {comparison}"),
            Some(false) => format!("the signature does not cover your string (this key signed some other string). Against the correct string: {comparison}"),
            None => comparison,
        })
    }

    fn verifier_ready(&self, creds: &Credentials) -> Result<()> {
        credential::public_key(creds).map(|_| ())
    }

    fn sample(&self, generator: &mut Generator, plan: Plan) -> Result<Vec<Sample>> {
        Ok(match plan {
            Plan::One => vec![lifecycle::single(generator)],
            Plan::Lifecycle(path) => lifecycle::history(generator, path),
        })
    }

    fn rules(&self) -> &'static dyn crate::schema::Rules {
        &schema::DayuRules
    }

    /// The documents define no answer body; the sender is taken to accept any 2xx, so
    /// acknowledgements are 200 and every refusal is a 4xx (5xx for the receiver's own fault).
    fn response(&self, outcome: &Outcome) -> Reply {
        let (status, error) = match outcome {
            Outcome::Processed => (200, None),
            Outcome::Duplicate => (200, Some("duplicate: already processed")),
            Outcome::BadSignature(why) => (401, Some(why.as_str())),
            Outcome::BadMessage(why) => (400, Some(why.as_str())),
            Outcome::Refused(why) => (422, Some(why.as_str())),
            Outcome::ReceiverError(why) => (500, Some(why.as_str())),
        };
        match error {
            None => Reply {
                status,
                body: serde_json::json!({"ok": true}).to_string(),
            },
            Some(e) if outcome.acknowledged() => Reply {
                status,
                body: serde_json::json!({"ok": true, "note": e}).to_string(),
            },
            Some(e) => self.error_answer(status, e),
        }
    }

    /// The documents describe no answer: cbtool's own `{"ok":false,"error":…}`.
    fn error_answer(&self, status: u16, reason: &str) -> Reply {
        Reply {
            status,
            body: serde_json::json!({"ok": false, "error": reason}).to_string(),
        }
    }

    /// The documents describe no response at all: any 2xx is taken as received.
    fn default_ack(&self) -> Ack {
        Ack::HTTP_2XX
    }

    fn id_word(&self) -> &'static str {
        "order"
    }

    fn sequence_key(&self, top: &TopLevel) -> Option<String> {
        let id = top.get("orderId")?;
        Some(id.as_string().unwrap_or_else(|| id.text.to_string()))
    }

    fn can_sign(&self, creds: &Credentials) -> bool {
        creds.has(&credential::PRIVATE_KEY)
    }

    /// A fresh `createTime`, top-level and in `orderRecord` (Beijing time, as the
    /// documents write it). The signed pair (orderId, serviceProgessTimeNum) is kept: it
    /// is the order and its step, which a new value would turn into another callback.
    fn refresh(&self, msg: &Message, fresh: &Fresh) -> Result<Vec<u8>> {
        let top = msg.top_level()?;
        fields(msg)?;
        let mut edits = Vec::new();
        let mut stamp = |raw: RawField, base: usize| match raw.kind() {
            JsonKind::Number => edits.push((
                base + raw.offset..base + raw.end(),
                fresh.now_ms.to_string(),
            )),
            JsonKind::String => edits.push((
                base + raw.offset..base + raw.end(),
                format!("\"{}\"", beijing_time(fresh.now_ms)),
            )),
            _ => {}
        };
        if let Some(time) = top.get("createTime") {
            stamp(time, 0);
        }
        if let Some(record) = top.get("orderRecord") {
            let inner = TopLevel::parse(&msg.source, record.text.as_bytes())?;
            if let Some(time) = inner.get("createTime") {
                stamp(time, record.offset);
            }
        }
        Ok(splice(msg.body, edits))
    }

    /// The compact body, carried headers kept, `Dayu-Sign` made with the private key.
    fn signed_delivery(&self, msg: &Message, creds: &Credentials) -> Result<Delivery> {
        let signature = self.sign(msg, creds)?;
        let body = json::minify(json::utf8(&msg.source, msg.body)?).into_bytes();
        let mut headers: Vec<(String, String)> = msg
            .headers
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case(SIGNATURE_HEADER))
            .cloned()
            .collect();
        headers.push((SIGNATURE_HEADER.to_string(), signature));
        Ok(Delivery { headers, body })
    }
}

/// `yyyy-MM-dd HH:mm:ss` in UTC+8, the form of the documents' `createTime`.
fn beijing_time(now_ms: u64) -> String {
    let at = std::time::UNIX_EPOCH
        + std::time::Duration::from_millis(now_ms)
        + std::time::Duration::from_secs(8 * 3600);
    let text = humantime::format_rfc3339_seconds(at).to_string();
    text.replacen('T', " ", 1).trim_end_matches('Z').to_string()
}

#[cfg(test)]
mod replay_tests {
    use super::*;

    #[test]
    fn refresh_stamps_both_create_times_in_beijing_time() {
        let body = br#"{"createTime":"2024-10-11 10:30:58","orderId":5577,"orderRecord":{"createTime":"2024-10-11 10:30:58","serviceProgessTimeNum":2}}"#;
        // 2023-11-14 22:13:20 UTC is 2023-11-15 06:13:20 in Beijing.
        let fresh = Fresh {
            msg_id: "unused".into(),
            now_ms: 1_700_000_000_000,
        };
        let out = Dayu.refresh(&Message::new("d", body), &fresh).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"createTime":"2023-11-15 06:13:20","orderId":5577,"orderRecord":{"createTime":"2023-11-15 06:13:20","serviceProgessTimeNum":2}}"#
        );
        assert_eq!(
            Dayu.sequence_key(&TopLevel::parse("d", body).unwrap())
                .as_deref(),
            Some("5577")
        );
    }

    /// The id, the signed delivery and the verdict of one message read its fields once:
    /// the body and its `orderRecord` are each parsed a single time.
    #[test]
    fn a_message_is_parsed_once_for_its_id_signature_and_verdict() {
        use crate::json::parse_count;
        let record = r#"{"commentInfo":"parse-once","serviceProgessTimeNum":4}"#;
        let body = format!(r#"{{"orderId":99017,"orderRecord":{record}}}"#);
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/dayu/keys");
        let creds = credential::key_pair_in(std::path::Path::new(dir));
        let msg = Message::new("d", body.as_bytes());
        assert_eq!(Dayu.message_id(&msg).as_deref(), Some("99017/4"));
        let delivery = Dayu.signed_delivery(&msg, &creds).unwrap();
        let signature = delivery.headers[0].1.clone();
        let target = Target {
            signature,
            origin: crate::vendors::SignatureOrigin::Sender,
        };
        assert!(Dayu.verify(&msg, &creds, &target).unwrap().valid);
        assert_eq!(parse_count::of(body.as_bytes()), 1);
        assert_eq!(parse_count::of(record.as_bytes()), 1);
    }
}
