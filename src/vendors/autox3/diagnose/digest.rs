//! Digests and encodings: what a received signature decodes to, the hashes a candidate
//! is tried with, and the charsets a signer may have encoded the string in.

use hmac::{Hmac, Mac};
use md5::Md5;
use sha1::{Digest, Sha1};
use sha2::Sha256;

use super::search::Candidate;
use crate::secret::Secret;

/// How the received signature is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Hex { lower: bool },
    Base64,
}

/// The digest a candidate is hashed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Algorithm {
    Sha1,
    HmacSha1,
    Sha256,
    Md5,
}

/// Charsets a string may have been encoded in instead of UTF-8, as Java's
/// `getBytes(name)` and Python's `encode(name)` call them.
pub(crate) const CHARSETS: &[(&str, &encoding_rs::Encoding)] = &[
    ("GBK", encoding_rs::GBK),
    ("GB18030", encoding_rs::GB18030),
    ("Big5", encoding_rs::BIG5),
    ("ISO-8859-1", encoding_rs::WINDOWS_1252),
];

/// Node's `hash.update(text, 'binary')` (and `Buffer.from(text, 'latin1')`): the low byte
/// of every UTF-16 code unit.
pub(crate) fn encode_like_node_binary(text: &str) -> Vec<u8> {
    text.encode_utf16().map(|u| (u & 0xff) as u8).collect()
}

/// Java's `String.getBytes(charset)`: characters the charset lacks become `?`.
pub(crate) fn encode_like_java(text: &str, charset: &'static encoding_rs::Encoding) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut one = [0u8; 4];
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c as u8);
            continue;
        }
        let (bytes, _, unmappable) = charset.encode(c.encode_utf8(&mut one));
        if unmappable {
            out.push(b'?');
        } else {
            out.extend_from_slice(&bytes);
        }
    }
    out
}

pub(crate) fn algorithm_causes(algorithm: Algorithm) -> Option<&'static str> {
    match algorithm {
        Algorithm::Sha1 => None,
        Algorithm::HmacSha1 => Some("hmac_sha1"),
        Algorithm::Sha256 => Some("sha256"),
        Algorithm::Md5 => Some("md5"),
    }
}

/// The received signature decoded, or why it cannot be any digest.
pub(crate) fn decode_target(received: &str) -> Result<(Vec<u8>, Encoding), String> {
    if received.is_empty() {
        return Err("The signature is empty: the msgSignature member (or the value your code computed) was not read. Check where the signature is taken from.".into());
    }
    if received == "${hashCode}" {
        return Err("The signature is `${hashCode}`, the documents' placeholder: the payload was never signed. Sign it with `cbtool sign --embed`.".into());
    }
    let hex_digits = received.bytes().all(|b| b.is_ascii_hexdigit());
    if hex_digits && received.len() % 2 == 0 {
        let lower = received.bytes().any(|b| b.is_ascii_lowercase());
        return Ok((
            hex::decode(received).unwrap_or_default(),
            Encoding::Hex { lower },
        ));
    }
    if hex_digits {
        return Err(format!(
            "The signature is {} hex digits where a SHA-1 has 40: it was cut or padded on the way (check how it is read and stored).",
            received.len()
        ));
    }
    use base64::Engine;
    match base64::engine::general_purpose::STANDARD.decode(received) {
        Ok(bytes) if bytes.len() == 20 => Ok((bytes, Encoding::Base64)),
        _ => Err(format!(
            "The signature ({} character{}) is neither hex nor a base64 SHA-1 digest, so it cannot be compared with any SHA-1 of the payload; AutoX3 sends 40 hex digits.",
            received.chars().count(),
            if received.chars().count() == 1 { "" } else { "s" }
        )),
    }
}

/// Whether `digest` (as received) is the plain SHA-1 of `bytes`.
pub(crate) fn is_sha1_of(digest: &[u8], bytes: &[u8]) -> bool {
    digest.len() == 20 && Sha1::digest(bytes)[..] == digest[..]
}

/// Whether `candidate` hashes to `digest`; base64 only ever carries a SHA-1 here.
pub(crate) fn digest_matches(
    candidate: &Candidate,
    digest: &[u8],
    encoding: Encoding,
    secret: &Secret,
) -> bool {
    let b = candidate.bytes;
    match (candidate.algorithm, digest.len()) {
        (Algorithm::Sha1, 20) => Sha1::digest(b)[..] == digest[..],
        (Algorithm::HmacSha1, 20) => {
            // HMAC users key with the secret and leave it out of the message.
            let message: Vec<u8> = match &candidate.secret {
                Some(r) => [&b[..r.start], &b[r.end..]].concat(),
                None => return false,
            };
            let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret.expose()) else {
                return false;
            };
            mac.update(&message);
            mac.finalize().into_bytes()[..] == digest[..]
        }
        (Algorithm::Sha256, 32) if encoding != Encoding::Base64 => {
            Sha256::digest(b)[..] == digest[..]
        }
        (Algorithm::Md5, 16) if encoding != Encoding::Base64 => Md5::digest(b)[..] == digest[..],
        _ => false,
    }
}
