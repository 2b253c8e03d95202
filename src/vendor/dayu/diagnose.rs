//! Why a Dayu signature does not verify. One RSA public-key operation on the signature
//! recovers the PKCS#1 v1.5 block: if its padding is wrong, another key signed (or the
//! signature was damaged); if it is right, its DigestInfo names the hash and the digest,
//! and every candidate string is then checked by hashing alone.

use base64::Engine;
use md5::Md5;
use rsa::traits::PublicKeyParts;
use rsa::BigUint;
use sha1::{Digest, Sha1};
use sha2::{Sha256, Sha512};

use super::{canonical, Fields};
use crate::json::{self, TopLevel};
use crate::keys::VerifyingKey;
use crate::signed_string::SignedString;
use crate::vendor::{Diagnosis, SignatureOrigin, Target};

/// Every cause this search tries, in the order they are reported.
pub const CAUSES: &[&str] = &[
    "wrapped_base64",
    "urlsafe_base64",
    "plus_as_space",
    "wrong_key",
    "progress_spelling",
    "swapped_fields",
    "order_num",
    "whole_body",
    "trailing_newline",
    "sha256",
    "sha512",
    "md5",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hash {
    Sha1,
    Sha256,
    Sha512,
    Md5,
}

/// DER DigestInfo prefixes (RFC 8017 §9.2, note 1).
const DIGEST_INFOS: &[(Hash, &[u8])] = &[
    (
        Hash::Sha1,
        &[
            0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04,
            0x14,
        ],
    ),
    (
        Hash::Sha256,
        &[
            0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x01, 0x05, 0x00, 0x04, 0x20,
        ],
    ),
    (
        Hash::Sha512,
        &[
            0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x03, 0x05, 0x00, 0x04, 0x40,
        ],
    ),
    (
        Hash::Md5,
        &[
            0x30, 0x20, 0x30, 0x0c, 0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05,
            0x05, 0x00, 0x04, 0x10,
        ],
    ),
];

pub(super) fn diagnose(
    fields: &Fields,
    top: &TopLevel,
    body: &[u8],
    key: &VerifyingKey,
    target: &Target,
) -> Diagnosis {
    let tried = CAUSES.to_vec();
    let mut recovered = None;
    for (encoding, bytes) in decodings(&target.signature) {
        if bytes.len() != key.size() {
            continue;
        }
        if let Some((hash, digest)) = recover_digest(key, &bytes) {
            recovered = Some((encoding, hash, digest));
            break;
        }
    }
    let Some((encoding, hash, digest)) = recovered else {
        return Diagnosis {
            matched: Some("wrong_key".into()),
            explanation: format!(
                "The signature was not made by the private key that matches this public key ({} bits): opening it with the public key gives no valid PKCS#1 v1.5 block. Check that the public key is the one Dayu gave you for this environment, or that the signature was not damaged in transit (it decodes to {} bytes; this key makes {}-byte signatures).",
                key.size() * 8,
                decodings(&target.signature).first().map_or(0, |(_, b)| b.len()),
                key.size()
            ),
            matched_string: None,
            tried,
            library: None,
            snippet: None,
        };
    };
    let candidates = candidates(fields, top, body);
    let found = candidates
        .iter()
        .find(|(_, bytes)| hash_with(hash, bytes) == digest);
    let mut causes: Vec<&'static str> = Vec::new();
    causes.extend(encoding);
    if let Some((string_cause, _)) = found {
        causes.extend(*string_cause);
    }
    causes.extend(hash_cause(hash));
    let Some((_, signed)) = found else {
        return Diagnosis {
            matched: None,
            explanation: format!(
                "The signature is a genuine {} signature by this key, but over a string none of the known variations produce; the string it signed hashes to {}. Compare your string with `{}` (try `--signed-string FILE`).",
                hash_name(hash),
                hex::encode(&digest),
                canonical(&fields.order_id, &fields.progress)
            ),
            matched_string: None,
            tried,
            library: None,
            snippet: None,
        };
    };
    let matched_string = Some(SignedString::public(signed.clone()));
    if causes.is_empty() {
        return Diagnosis {
            matched: None,
            explanation: "The signature matches the documented rule; nothing to change.".into(),
            matched_string,
            tried,
            library: None,
            snippet: None,
        };
    }
    if causes == ["wrapped_base64"] {
        return Diagnosis {
            matched: Some("wrapped_base64".into()),
            explanation: "The signature is valid; it is wrapped over several lines (Java's MIME base64 encoder). Remove the line breaks before decoding, or decode with a MIME-tolerant decoder.".into(),
            matched_string,
            tried,
            library: None,
            snippet: None,
        };
    }
    let descriptions: Vec<&str> = causes.iter().map(|c| describe(c).0).collect();
    let fixes: Vec<&str> = causes.iter().map(|c| describe(c).1).collect();
    let who = match target.origin {
        SignatureOrigin::User => "This signature",
        SignatureOrigin::Sender => "The sender's signature",
    };
    Diagnosis {
        matched: Some(causes.join("+")),
        explanation: format!(
            "{who} was made with {}. To match the documented rule: {}.",
            descriptions.join(", and "),
            fixes.join("; ")
        ),
        matched_string,
        tried,
        library: None,
        snippet: None,
    }
}

/// The ways a received signature text may decode, with the cause each implies.
fn decodings(signature: &str) -> Vec<(Option<&'static str>, Vec<u8>)> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let trimmed = signature.trim();
    let no_breaks: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
    let wrapped = trimmed.contains(['\n', '\r']);
    let mut out = Vec::new();
    if let Ok(bytes) = b64.decode(&no_breaks) {
        out.push((wrapped.then_some("wrapped_base64"), bytes));
    }
    if no_breaks.contains(['-', '_']) {
        let standard: String = no_breaks.replace('-', "+").replace('_', "/");
        let padded = pad(&standard);
        if let Ok(bytes) = b64.decode(&padded) {
            out.push((Some("urlsafe_base64"), bytes));
        }
    }
    if trimmed.contains(' ') {
        let restored: String = trimmed
            .chars()
            .filter(|c| !matches!(c, '\n' | '\r' | '\t'))
            .map(|c| if c == ' ' { '+' } else { c })
            .collect();
        if let Ok(bytes) = b64.decode(&restored) {
            out.push((Some("plus_as_space"), bytes));
        }
    }
    out
}

fn pad(s: &str) -> String {
    let mut padded = s.trim_end_matches('=').to_string();
    while padded.len() % 4 != 0 {
        padded.push('=');
    }
    padded
}

/// `signature ^ e mod n`, and the hash and digest inside its PKCS#1 v1.5 block.
fn recover_digest(key: &VerifyingKey, signature: &[u8]) -> Option<(Hash, Vec<u8>)> {
    let n = key.key.n();
    let s = BigUint::from_bytes_be(signature);
    if &s >= n {
        return None;
    }
    let m = s.modpow(key.key.e(), n).to_bytes_be();
    // to_bytes_be drops the leading 0x00: the block must read 01 FF.. FF 00 DigestInfo.
    if m.len() + 1 != key.size() || m.first() != Some(&0x01) {
        return None;
    }
    let padding_end = m[1..].iter().position(|&b| b != 0xff)? + 1;
    if m.get(padding_end) != Some(&0x00) || padding_end < 9 {
        return None;
    }
    let info = &m[padding_end + 1..];
    DIGEST_INFOS.iter().find_map(|(hash, prefix)| {
        info.strip_prefix(*prefix)
            .map(|digest| (*hash, digest.to_vec()))
    })
}

/// Strings a sender might have signed, with the cause each implies (None: the rule).
fn candidates(
    fields: &Fields,
    top: &TopLevel,
    body: &[u8],
) -> Vec<(Option<&'static str>, Vec<u8>)> {
    let (id, n) = (&fields.order_id, &fields.progress);
    let mut out = vec![
        (None, canonical(id, n).into_bytes()),
        (
            Some("progress_spelling"),
            format!("orderId={id}&serviceProgressTimeNum={n}").into_bytes(),
        ),
        (
            Some("swapped_fields"),
            format!("serviceProgessTimeNum={n}&orderId={id}").into_bytes(),
        ),
        (
            Some("trailing_newline"),
            format!("{}\n", canonical(id, n)).into_bytes(),
        ),
        (Some("whole_body"), body.to_vec()),
    ];
    if let Ok(text) = std::str::from_utf8(body) {
        out.push((Some("whole_body"), json::minify(text).into_bytes()));
    }
    if let Some(order_num) = top.get("orderNum").and_then(|f| f.as_string()) {
        out.push((Some("order_num"), canonical(&order_num, n).into_bytes()));
    }
    out
}

fn hash_with(hash: Hash, bytes: &[u8]) -> Vec<u8> {
    match hash {
        Hash::Sha1 => Sha1::digest(bytes).to_vec(),
        Hash::Sha256 => Sha256::digest(bytes).to_vec(),
        Hash::Sha512 => Sha512::digest(bytes).to_vec(),
        Hash::Md5 => Md5::digest(bytes).to_vec(),
    }
}

fn hash_cause(hash: Hash) -> Option<&'static str> {
    match hash {
        Hash::Sha1 => None,
        Hash::Sha256 => Some("sha256"),
        Hash::Sha512 => Some("sha512"),
        Hash::Md5 => Some("md5"),
    }
}

fn hash_name(hash: Hash) -> &'static str {
    match hash {
        Hash::Sha1 => "SHA1WithRSA",
        Hash::Sha256 => "SHA256WithRSA",
        Hash::Sha512 => "SHA512WithRSA",
        Hash::Md5 => "MD5WithRSA",
    }
}

fn describe(cause: &str) -> (&'static str, &'static str) {
    match cause {
        "wrapped_base64" => (
            "base64 wrapped over several lines",
            "remove line breaks before decoding",
        ),
        "urlsafe_base64" => (
            "URL-safe base64 (`-` and `_`)",
            "encode with standard base64 (`+` and `/`, with padding)",
        ),
        "plus_as_space" => (
            "its `+` characters turned into spaces (the header was URL-decoded)",
            "read the Dayu-Sign header as it is; never URL-decode it",
        ),
        "progress_spelling" => (
            "the field spelled `serviceProgressTimeNum`",
            "spell it `serviceProgessTimeNum`, as Dayu does",
        ),
        "swapped_fields" => (
            "the two fields swapped",
            "write `orderId=…&serviceProgessTimeNum=…` in that order",
        ),
        "order_num" => ("orderNum in place of orderId", "use the numeric orderId"),
        "whole_body" => (
            "the whole request body signed",
            "sign only `orderId=<orderId>&serviceProgessTimeNum=<n>`",
        ),
        "trailing_newline" => (
            "a newline after the string",
            "sign the string without a trailing newline",
        ),
        "sha256" => ("SHA256WithRSA", "use SHA1WithRSA"),
        "sha512" => ("SHA512WithRSA", "use SHA1WithRSA"),
        "md5" => ("MD5WithRSA", "use SHA1WithRSA"),
        _ => ("an unnamed variation", "follow the documented rule"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cause_has_a_description() {
        for cause in CAUSES.iter().filter(|c| **c != "wrong_key") {
            assert_ne!(describe(cause).0, "an unnamed variation", "{cause}");
        }
    }

    #[test]
    fn urlsafe_and_space_forms_decode() {
        let d = decodings("ab-_");
        assert!(d
            .iter()
            .any(|(c, b)| *c == Some("urlsafe_base64") && b == &[0x69, 0xbf, 0xbf]));
        let d = decodings("a+b/ A==");
        assert!(d.iter().any(|(c, _)| *c == Some("plus_as_space")));
    }
}
