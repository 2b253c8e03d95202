//! Why an AutoX3 signature does not match: rebuild the signed string every way a sender
//! or receiver commonly gets it wrong, hash each, and name the simplest one that
//! reproduces the signature. Hashing ~1 KB is cheap, so the search is exhaustive over
//! combinations of up to [`MAX_CAUSES`] mistakes.

use hmac::{Hmac, Mac};
use md5::Md5;
use serde_json::Value;
use sha1::{Digest, Sha1};
use sha2::Sha256;

use super::reserialize::{self, Layout, Style};
use super::Fields;
use crate::json::{JsonKind, TopLevel};
use crate::secret::Secret;
use crate::signed_string::{Part, SignedString};
use crate::vendor::{Diagnosis, SignatureOrigin, Target};

/// Combinations of more mistakes than this are not tried: they would rarely be the
/// real cause, and the search grows with each.
const MAX_CAUSES: usize = 3;

/// Every cause this search tries, in the order they are reported.
pub const CAUSES: &[&str] = &[
    "hex_case",
    "compact_json",
    "sorted_keys",
    "python_separators",
    "python_default",
    "unicode_escapes",
    "escaped_slashes",
    "float_as_integer",
    "pretty_printed",
    "inner_staff_info",
    "content_as_string",
    "create_time_string",
    "trailing_newline",
    "no_secret",
    "secret_first",
    "field_order",
    "hmac_sha1",
    "sha256",
    "md5",
    "base64_digest",
];

/// The digest a received signature is, judging by its form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Algorithm {
    Sha1,
    HmacSha1,
    Sha256,
    Md5,
}

/// One way of producing the bytes of `staffInfo` and `content`.
struct TextForm {
    causes: Vec<&'static str>,
    detail: Option<String>,
    staff: String,
    content: String,
}

/// One way of putting the six parts together.
struct Assembly {
    causes: Vec<&'static str>,
    detail: Option<String>,
    order: [Field; 6],
    quoted_time: bool,
    newline: bool,
    with_secret: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    MsgId,
    MsgType,
    StaffInfo,
    CreateTime,
    Content,
    Secret,
}

const CANONICAL_ORDER: [Field; 6] = [
    Field::MsgId,
    Field::MsgType,
    Field::StaffInfo,
    Field::CreateTime,
    Field::Content,
    Field::Secret,
];

pub(super) fn diagnose(fields: &Fields, secret: &Secret, target: &Target) -> Diagnosis {
    let canonical = fields.signed_string(secret);
    let tried = CAUSES.to_vec();
    let received = target.signature.trim();
    let (digest, encoding) = match decode_target(received) {
        Ok(d) => d,
        Err(why) => return unmatched(tried, why),
    };
    let algorithms = algorithms_for(digest.len(), encoding);
    if algorithms.contains(&Algorithm::Sha1) && Sha1::digest(canonical.bytes())[..] == digest[..] {
        return valid_diagnosis(tried, received, encoding, canonical);
    }
    let search = Search::new(fields, secret);
    for causes in 1..=MAX_CAUSES {
        for form in search.forms.iter() {
            for assembly in search.assemblies.iter() {
                for &algorithm in &algorithms {
                    let total = form.causes.len()
                        + assembly.causes.len()
                        + algorithm_causes(algorithm, encoding).len();
                    if total != causes {
                        continue;
                    }
                    let signed = search.build(form, assembly, secret);
                    if search.digest(&signed, algorithm, secret)[..] == digest[..] {
                        return matched(
                            tried,
                            target.origin,
                            form,
                            assembly,
                            algorithm,
                            encoding,
                            signed,
                        );
                    }
                }
            }
        }
    }
    unmatched(
        tried,
        format!(
            "No known variation reproduces this signature. What remains: a different appSecret (the one given is {} bytes; check the environment it came from and for stray whitespace), or a body changed after it was signed (a proxy or logger re-encoding it).",
            secret.len()
        ),
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Hex { lower: bool },
    Base64,
}

fn decode_target(received: &str) -> Result<(Vec<u8>, Encoding), String> {
    if received == "${hashCode}" {
        return Err("The signature is `${hashCode}`, the documents' placeholder: the payload was never signed. Sign it with `cbtool sign --embed`.".into());
    }
    if let Ok(bytes) = hex::decode(received) {
        let lower = received.bytes().any(|b| b.is_ascii_lowercase());
        return Ok((bytes, Encoding::Hex { lower }));
    }
    use base64::Engine;
    match base64::engine::general_purpose::STANDARD.decode(received) {
        Ok(bytes) if bytes.len() == 20 => Ok((bytes, Encoding::Base64)),
        _ => Err(format!(
            "The signature ({} characters) is neither hex nor a base64 SHA-1 digest, so it cannot be compared with any SHA-1 of the payload; AutoX3 sends 40 hex digits.",
            received.chars().count()
        )),
    }
}

fn algorithms_for(len: usize, encoding: Encoding) -> Vec<Algorithm> {
    match (len, encoding) {
        (20, _) => vec![Algorithm::Sha1, Algorithm::HmacSha1],
        (32, Encoding::Hex { .. }) => vec![Algorithm::Sha256],
        (16, Encoding::Hex { .. }) => vec![Algorithm::Md5],
        _ => Vec::new(),
    }
}

fn algorithm_causes(algorithm: Algorithm, encoding: Encoding) -> Vec<&'static str> {
    let mut causes = match algorithm {
        Algorithm::Sha1 => vec![],
        Algorithm::HmacSha1 => vec!["hmac_sha1"],
        Algorithm::Sha256 => vec!["sha256"],
        Algorithm::Md5 => vec!["md5"],
    };
    if encoding == Encoding::Base64 {
        causes.push("base64_digest");
    }
    causes
}

fn valid_diagnosis(
    tried: Vec<&'static str>,
    received: &str,
    encoding: Encoding,
    canonical: SignedString,
) -> Diagnosis {
    let (matched, explanation) = match encoding {
        Encoding::Hex { lower: true } => (
            Some("hex_case".to_string()),
            format!("The signature is valid; it is lower-case hex while the vendor prints upper-case ({}). Compare hex case-insensitively (or upper-case both sides) — a case-sensitive string comparison rejects it.", received.to_ascii_uppercase()),
        ),
        Encoding::Base64 => (
            Some("base64_digest".to_string()),
            "The digest is right but base64-encoded; AutoX3 sends it as 40 hex digits. Encode the SHA-1 digest as hex.".to_string(),
        ),
        Encoding::Hex { lower: false } => (None, "The signature matches the documented rule; nothing to change.".to_string()),
    };
    Diagnosis {
        matched,
        explanation,
        matched_string: Some(canonical),
        tried,
    }
}

fn unmatched(tried: Vec<&'static str>, explanation: String) -> Diagnosis {
    Diagnosis {
        matched: None,
        explanation,
        matched_string: None,
        tried,
    }
}

fn matched(
    tried: Vec<&'static str>,
    origin: SignatureOrigin,
    form: &TextForm,
    assembly: &Assembly,
    algorithm: Algorithm,
    encoding: Encoding,
    signed: SignedString,
) -> Diagnosis {
    let causes: Vec<&'static str> = form
        .causes
        .iter()
        .chain(&assembly.causes)
        .copied()
        .chain(algorithm_causes(algorithm, encoding))
        .collect();
    let mut descriptions: Vec<String> = causes.iter().map(|c| describe(c).0.to_string()).collect();
    descriptions.extend(form.detail.clone());
    descriptions.extend(assembly.detail.clone());
    let fixes: Vec<&str> = causes.iter().map(|c| describe(c).1).collect();
    let who = match origin {
        SignatureOrigin::User => "Your signature",
        SignatureOrigin::Sender => "The sender's signature",
    };
    let advice = match origin {
        SignatureOrigin::User => format!("To match the sender: {}.", fixes.join("; ")),
        SignatureOrigin::Sender => format!(
            "The documented rule does not do this: tell the sender ({}), or do the same on your side to accept its callbacks.",
            fixes.join("; ")
        ),
    };
    Diagnosis {
        matched: Some(causes.join("+")),
        explanation: format!(
            "{who} was computed with {}. {advice}",
            descriptions.join(", and ")
        ),
        matched_string: Some(signed),
        tried,
    }
}

/// What a cause means, and what to do about it.
fn describe(cause: &str) -> (&'static str, &'static str) {
    const RAW: &str = "hash the exact text of staffInfo and content as they appear in the request body instead of parsing and re-serializing them";
    match cause {
        "hex_case" => ("lower-case hex", "compare hex case-insensitively"),
        "compact_json" => ("staffInfo and content compacted (whitespace removed) while the body sent them with whitespace", RAW),
        "sorted_keys" => ("object keys sorted alphabetically (JSON re-serialized)", RAW),
        "python_separators" => ("Python's default separators `, ` and `: ` (json.dumps)", RAW),
        "python_default" => ("Python json.dumps defaults: `, ` and `: ` separators and non-ASCII as \\uXXXX", RAW),
        "unicode_escapes" => ("non-ASCII characters written as \\uXXXX escapes (Python ensure_ascii, PHP json_encode)", RAW),
        "escaped_slashes" => ("`/` escaped as `\\/` (PHP json_encode)", RAW),
        "float_as_integer" => ("numbers like 67000.0 written as 67000 (JavaScript, Go, PHP)", RAW),
        "pretty_printed" => ("pretty-printed (indented) JSON", RAW),
        "inner_staff_info" => ("the staffInfo inside content instead of the top-level staffInfo", "use the top-level staffInfo (the operator of the callback), not content.staffInfo"),
        "content_as_string" => ("content in the other JSON form: a quoted JSON string where the body has an object, or the quoted text where the body has a string", "hash content as its JSON text: an object's raw text, or a string's decoded value"),
        "create_time_string" => ("createTime in double quotes", "append createTime as bare digits"),
        "trailing_newline" => ("a newline after the appSecret (an `echo`, or a secret file's final newline)", "drop the trailing newline (use printf, or trim the secret file)"),
        "no_secret" => ("no appSecret at all", "append the appSecret: it is empty or missing where the signature is made"),
        "secret_first" => ("the appSecret first", "put the appSecret last"),
        "field_order" => ("the fields in another order", "concatenate msgId, msgType, staffInfo, createTime, content, appSecret in that order"),
        "hmac_sha1" => ("HMAC-SHA1 keyed with the appSecret", "use plain SHA-1 over the string with the appSecret appended, not HMAC"),
        "sha256" => ("SHA-256", "use SHA-1"),
        "md5" => ("MD5", "use SHA-1"),
        "base64_digest" => ("the digest base64-encoded", "encode the digest as hex"),
        _ => ("an unnamed variation", "follow the documented rule"),
    }
}

/// The candidate pieces, prepared once.
struct Search<'f, 'a> {
    fields: &'f Fields<'a>,
    forms: Vec<TextForm>,
    assemblies: Vec<Assembly>,
}

impl<'f, 'a> Search<'f, 'a> {
    fn new(fields: &'f Fields<'a>, _secret: &Secret) -> Self {
        Search {
            forms: text_forms(fields),
            assemblies: assemblies(),
            fields,
        }
    }

    fn build(&self, form: &TextForm, assembly: &Assembly, secret: &Secret) -> SignedString {
        let quoted_time = format!("\"{}\"", self.fields.create_time.digits);
        let mut parts: Vec<Part> = Vec::with_capacity(7);
        for field in assembly.order {
            parts.push(match field {
                Field::MsgId => Part::Text(self.fields.msg_id.as_bytes()),
                Field::MsgType => Part::Text(self.fields.msg_type.as_bytes()),
                Field::StaffInfo => Part::Text(form.staff.as_bytes()),
                Field::CreateTime if assembly.quoted_time => Part::Text(quoted_time.as_bytes()),
                Field::CreateTime => Part::Text(self.fields.create_time.digits.as_bytes()),
                Field::Content => Part::Text(form.content.as_bytes()),
                Field::Secret if assembly.with_secret => Part::Secret(secret.expose()),
                Field::Secret => Part::Text(b""),
            });
        }
        if assembly.newline {
            parts.push(Part::Text(b"\n"));
        }
        SignedString::from_parts(&parts)
    }

    fn digest(&self, signed: &SignedString, algorithm: Algorithm, secret: &Secret) -> Vec<u8> {
        match algorithm {
            Algorithm::Sha1 => Sha1::digest(signed.bytes()).to_vec(),
            Algorithm::Sha256 => Sha256::digest(signed.bytes()).to_vec(),
            Algorithm::Md5 => Md5::digest(signed.bytes()).to_vec(),
            Algorithm::HmacSha1 => {
                // HMAC users key with the secret and leave it out of the message.
                let message: Vec<u8> = match signed.secret_range() {
                    Some(r) => [&signed.bytes()[..r.start], &signed.bytes()[r.end..]].concat(),
                    None => signed.bytes().to_vec(),
                };
                let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret.expose()) else {
                    return Vec::new();
                };
                mac.update(&message);
                mac.finalize().into_bytes().to_vec()
            }
        }
    }
}

fn text_forms(fields: &Fields) -> Vec<TextForm> {
    let staff_raw = fields.staff_info.text.to_string();
    let content_raw = fields.content_text.to_string();
    let staff_value: Option<Value> = serde_json::from_str(&staff_raw).ok();
    let content_value: Option<Value> = match fields.content.kind() {
        JsonKind::String => serde_json::from_str(&content_raw).ok(),
        _ => serde_json::from_str(fields.content.text).ok(),
    };
    let mut forms = vec![TextForm {
        causes: vec![],
        detail: None,
        staff: staff_raw.clone(),
        content: content_raw.clone(),
    }];
    for (style, causes) in styles() {
        let staff = staff_value.as_ref().map(|v| reserialize::write(v, &style));
        let content = content_value
            .as_ref()
            .map(|v| reserialize::write(v, &style));
        let variants = [
            (staff.clone(), content.clone(), None),
            (None, content, Some("(content only)")),
            (staff, None, Some("(staffInfo only)")),
        ];
        for (staff, content, scope) in variants {
            if staff.is_none() && content.is_none() {
                continue;
            }
            let form = TextForm {
                causes: causes.clone(),
                detail: scope.map(str::to_string),
                staff: staff.unwrap_or_else(|| staff_raw.clone()),
                content: content.unwrap_or_else(|| content_raw.clone()),
            };
            // A style that changes nothing (the body is already written that way) is
            // not a cause.
            if form.staff != staff_raw || form.content != content_raw {
                forms.push(form);
            }
        }
    }
    if let Some(inner) = inner_staff_info(fields) {
        forms.push(TextForm {
            causes: vec!["inner_staff_info"],
            detail: None,
            staff: inner,
            content: content_raw.clone(),
        });
    }
    let other_form = match fields.content.kind() {
        JsonKind::String => fields.content.text.to_string(),
        _ => serde_json::to_string(fields.content.text).unwrap_or_default(),
    };
    forms.push(TextForm {
        causes: vec!["content_as_string"],
        detail: None,
        staff: staff_raw,
        content: other_form,
    });
    forms.sort_by_key(|f| f.causes.len());
    forms
}

fn inner_staff_info(fields: &Fields) -> Option<String> {
    let content = fields.content_text.as_bytes();
    let top = TopLevel::parse("content", content).ok()?;
    top.get("staffInfo").map(|f| f.text.to_string())
}

/// Every serializer style with the causes that name it.
fn styles() -> Vec<(Style, Vec<&'static str>)> {
    let mut out = Vec::new();
    for sort_keys in [false, true] {
        for layout in [
            Layout::Compact,
            Layout::PythonSpaced,
            Layout::Pretty(2),
            Layout::Pretty(4),
        ] {
            for ascii_only in [false, true] {
                for escape_slashes in [false, true] {
                    for integral_floats_as_integers in [false, true] {
                        let style = Style {
                            sort_keys,
                            layout,
                            ascii_only,
                            escape_slashes,
                            integral_floats_as_integers,
                        };
                        out.push((style, style_causes(&style)));
                    }
                }
            }
        }
    }
    out
}

fn style_causes(style: &Style) -> Vec<&'static str> {
    let mut causes = Vec::new();
    if style.sort_keys {
        causes.push("sorted_keys");
    }
    match (style.layout, style.ascii_only) {
        (Layout::PythonSpaced, true) => causes.push("python_default"),
        (Layout::PythonSpaced, false) => causes.push("python_separators"),
        (layout, ascii) => {
            if matches!(layout, Layout::Pretty(_)) {
                causes.push("pretty_printed");
            }
            if ascii {
                causes.push("unicode_escapes");
            }
        }
    }
    if style.escape_slashes {
        causes.push("escaped_slashes");
    }
    if style.integral_floats_as_integers {
        causes.push("float_as_integer");
    }
    if causes.is_empty() {
        causes.push("compact_json");
    }
    causes
}

fn assemblies() -> Vec<Assembly> {
    let base = |causes: Vec<&'static str>| Assembly {
        causes,
        detail: None,
        order: CANONICAL_ORDER,
        quoted_time: false,
        newline: false,
        with_secret: true,
    };
    let mut out = vec![
        base(vec![]),
        Assembly {
            quoted_time: true,
            ..base(vec!["create_time_string"])
        },
        Assembly {
            newline: true,
            ..base(vec!["trailing_newline"])
        },
        Assembly {
            with_secret: false,
            ..base(vec!["no_secret"])
        },
    ];
    for order in permutations(&CANONICAL_ORDER[..5]) {
        for secret_first in [false, true] {
            let mut causes = Vec::new();
            if order != CANONICAL_ORDER[..5] {
                causes.push("field_order");
            }
            if secret_first {
                causes.push("secret_first");
            }
            if causes.is_empty() {
                continue;
            }
            let full: Vec<Field> = if secret_first {
                std::iter::once(Field::Secret)
                    .chain(order.iter().copied())
                    .collect()
            } else {
                order
                    .iter()
                    .copied()
                    .chain(std::iter::once(Field::Secret))
                    .collect()
            };
            let detail =
                (order != CANONICAL_ORDER[..5]).then(|| format!("(order: {})", order_name(&full)));
            out.push(Assembly {
                detail,
                order: full.try_into().unwrap_or(CANONICAL_ORDER),
                ..base(causes)
            });
        }
    }
    out.sort_by_key(|a| a.causes.len());
    out
}

fn order_name(order: &[Field]) -> String {
    order
        .iter()
        .map(|f| match f {
            Field::MsgId => "msgId",
            Field::MsgType => "msgType",
            Field::StaffInfo => "staffInfo",
            Field::CreateTime => "createTime",
            Field::Content => "content",
            Field::Secret => "appSecret",
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

fn permutations(items: &[Field]) -> Vec<Vec<Field>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut out = Vec::new();
    for i in 0..items.len() {
        let mut rest = items.to_vec();
        let first = rest.remove(i);
        for mut tail in permutations(&rest) {
            tail.insert(0, first);
            out.push(tail);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cause_has_a_description() {
        for cause in CAUSES {
            assert_ne!(describe(cause).0, "an unnamed variation", "{cause}");
        }
    }

    #[test]
    fn permutations_are_complete() {
        assert_eq!(permutations(&CANONICAL_ORDER[..5]).len(), 120);
        assert_eq!(assemblies().len(), 4 + 239);
    }
}
