//! The words of a Dayu diagnosis: what was found and what to change, or, when no string
//! reproduces the signature, what the block still proves (the key, the scheme, the
//! digest) and what remains, most likely first. Never "another key" unless the block is
//! noise.

use super::block::{Block, Hash, Pss};
use super::canonical;
use super::diagnose::CAUSES;
use super::strings::Context;
use super::transport::Form;
use crate::keys::VerifyingKey;
use crate::signed_string::SignedString;
use crate::vendors::{Diagnosis, SignatureOrigin};

/// A string and scheme that reproduce the signature.
pub(super) struct Found {
    pub(crate) form: Form,
    /// Families, in [`CAUSES`] order.
    pub(crate) causes: Vec<&'static str>,
    pub(crate) signed: SignedString,
    pub(crate) pss: Option<Pss>,
    /// For NONEwithRSA: the hash whose bare digest was signed (None: the string itself).
    pub(crate) raw_digest: Option<Hash>,
}

/// How a strict decoder treats wrapped base64, and the sender's fix: both checked with
/// the real decoders (Java 17 `Base64.getDecoder()` throws "Illegal base64 character
/// a" on LF and "… d" on CRLF; Python `b64decode(s, validate=True)` raises binascii.Error).
const STRICT_DECODERS: &str = "cbtool ignores the line breaks, but a strict decoder rejects it: Java Base64.getDecoder() and Python base64.b64decode(s, validate=True) both fail on it. The sender should write it on one line (base64 -w0, openssl base64 -A, Java Base64.getEncoder(), Python base64.b64encode); until then a receiver can remove whitespace before decoding";

fn diagnosis(
    matched: Option<String>,
    explanation: String,
    signed: Option<SignedString>,
) -> Diagnosis {
    Diagnosis {
        matched,
        explanation,
        matched_string: signed,
        tried: CAUSES.to_vec(),
        library: None,
        snippet: None,
    }
}

pub(super) fn found(found: Found, origin: SignatureOrigin) -> Diagnosis {
    let signed = Some(found.signed.clone());
    if found.causes.is_empty() {
        let text = "The signature matches the documented rule; nothing to change.";
        return diagnosis(None, text.into(), signed);
    }
    let matched = Some(found.causes.join("+"));
    if found.causes == ["wrapped_base64"] {
        let text = format!(
            "The signature is valid: it is {}. {STRICT_DECODERS}.",
            found.form.described()
        );
        return diagnosis(matched, text, signed);
    }
    // A header URL-decoded on arrival is the receiver's doing, whoever signed.
    let who = match origin {
        _ if found.causes == ["plus_as_space"] => "The signature, as read here,",
        SignatureOrigin::User => "This signature",
        SignatureOrigin::Sender => "The sender's signature",
    };
    let parts: Vec<(String, &str)> = found.causes.iter().map(|c| describe(c, &found)).collect();
    let mut fixes: Vec<&str> = Vec::new();
    for (_, fix) in &parts {
        if !fixes.contains(fix) {
            fixes.push(fix);
        }
    }
    let descriptions: Vec<&str> = parts.iter().map(|(d, _)| d.as_str()).collect();
    let ways = match descriptions.len() {
        1 => "one way".to_string(),
        n => format!("{n} ways"),
    };
    let mut text = format!(
        "{who} differs from the documented rule in {ways}: {}. To match it: {}.",
        descriptions.join("; "),
        fixes.join("; ")
    );
    if found.causes.contains(&"wrapped_base64") {
        text.push_str(&format!(" About the line breaks: {STRICT_DECODERS}."));
    }
    diagnosis(matched, text, signed)
}

/// A family's description (a clause about the signature) and its fix.
fn describe(cause: &str, found: &Found) -> (String, &'static str) {
    let fixed = |d: &str, f: &'static str| (d.to_string(), f);
    match cause {
        "wrapped_base64" | "urlsafe_base64" | "hex_signature" | "base64_of_hex" => (
            format!("it is written as {}", found.form.described()),
            "send the signature bytes as standard base64 on one line (Java Base64.getEncoder(), Node 'base64', Python base64.b64encode, PHP base64_encode, Go base64.StdEncoding)",
        ),
        "plus_as_space" => (
            format!("it was read as {}", found.form.described()),
            "read the Dayu-Sign header as it is; never URL-decode it",
        ),
        "pss" => (
            found.pss.as_ref().map_or_else(
                || "it is padded with RSASSA-PSS instead of PKCS#1 v1.5".to_string(),
                |p| format!(
                    "it is padded with RSASSA-PSS ({}, MGF1 over {}, a {}-byte salt) instead of PKCS#1 v1.5",
                    p.hash.name(),
                    p.mgf.name(),
                    p.salt.len()
                ),
            ),
            "sign with PKCS#1 v1.5 and SHA-1, SHA1withRSA (Java Signature.getInstance(\"SHA1withRSA\"), pyca padding.PKCS1v15() with hashes.SHA1(), Node's default padding, Go rsa.SignPKCS1v15 with crypto.SHA1, openssl dgst -sha1 -sign)",
        ),
        "none_with_rsa" => (
            match found.raw_digest {
                Some(h) => format!("it is PKCS#1 v1.5 padding around the bare {} digest, without the DigestInfo that names the hash (NONEwithRSA, openssl pkeyutl, Go crypto.Hash(0), Node privateEncrypt)", h.name()),
                None => "it is PKCS#1 v1.5 padding around the string itself, unhashed (NONEwithRSA over the text, openssl pkeyutl -sign, Node privateEncrypt, PHP openssl_private_encrypt)".to_string(),
            },
            "let the library hash and wrap the digest: SHA1withRSA (Java Signature.getInstance(\"SHA1withRSA\"), openssl dgst -sha1 -sign, Go rsa.SignPKCS1v15 with crypto.SHA1, Node crypto.sign('sha1', …), PHP openssl_sign with OPENSSL_ALGO_SHA1)",
        ),
        "missing_value" => fixed(
            "the string it signs has a missing value (undefined, null, None, <nil> or nothing where the body has a number): the code read a field that is not there",
            "read orderId from the top level and serviceProgessTimeNum (Dayu's spelling) from orderRecord, and refuse to sign when either is absent",
        ),
        "progress_spelling" => fixed(
            "the string it signs spells the field `serviceProgressTimeNum`",
            "spell it `serviceProgessTimeNum`, as Dayu does",
        ),
        "swapped_fields" => fixed(
            "the string it signs has its two pairs in the wrong order (serviceProgessTimeNum first)",
            "put orderId first: `orderId=…&serviceProgessTimeNum=…`",
        ),
        "order_num" => fixed(
            "the string it signs has orderNum in place of orderId",
            "use the numeric orderId",
        ),
        "whole_body" => fixed(
            "it signs the whole request body",
            "sign only `orderId=<orderId>&serviceProgessTimeNum=<n>`",
        ),
        "trailing_newline" => fixed(
            "the string it signs ends in a line ending (echo, print, PHP_EOL)",
            "sign the string without a line ending (printf '%s', no PHP_EOL)",
        ),
        "sha256" | "sha512" | "md5" => (
            format!("it hashes with {}withRSA", cause.to_uppercase()),
            "use SHA1withRSA",
        ),
        _ => fixed("an unnamed variation", "follow the documented rule"),
    }
}

pub(super) fn noise(key: &VerifyingKey) -> Diagnosis {
    let text = format!(
        "Another private key made this signature: opened with this public key ({} bits), it gives neither a PKCS#1 v1.5 block nor an RSASSA-PSS one, in any of the forms tried (base64, URL-safe, hex). Check that the public key is the one Dayu gave for this environment, or that the signature was not damaged in transit.",
        key.size() * 8
    );
    diagnosis(Some("wrong_key".into()), text, None)
}

pub(super) fn wrong_size(len: usize, key: &VerifyingKey) -> Diagnosis {
    let whole = [128, 256, 384, 512].contains(&len);
    let text = if len == 0 {
        "The signature text decodes in none of the forms tried (standard, URL-safe or wrapped base64, hex, base64 of hex): check that the whole Dayu-Sign value reached your code, unchanged.".to_string()
    } else if whole {
        format!("The signature is {len} bytes, a whole {}-bit signature, and this key makes {}-byte ones: another key, of another size, made it. Check that the public key is the one Dayu gave for this environment.", len * 8, key.size())
    } else {
        format!("The signature decodes to {len} bytes in every form tried (base64, URL-safe, hex); this {}-bit key makes {}-byte signatures, so it was cut or damaged in transit (check how the header is read and stored), or a key of another size made it.", key.size() * 8, key.size())
    };
    diagnosis(whole.then(|| "wrong_key".into()), text, None)
}

/// The block is genuine but no string reproduces it: say what it proves.
pub(super) fn fallback(ctx: &Context, form: Form, block: &Block, tried: usize) -> Diagnosis {
    let rule = canonical(&ctx.fields.order_id, &ctx.fields.progress);
    let read = match form {
        Form::Base64 => String::new(),
        other => format!(" (read as {}, itself a mistake)", other.described()),
    };
    let known = match block {
        Block::DigestInfo { hash, digest } => match hash.cause() {
            None => format!(
                "the key and SHA-1 are right; the digest signed is {}",
                hex::encode(digest)
            ),
            Some(_) => format!(
                "the key is right, but the hash is {} (itself a mistake: Dayu uses SHA1withRSA); the digest signed is {}",
                hash.name(),
                hex::encode(digest)
            ),
        },
        // The odds for another key's signature: 0xBC trailer (1/256), the cleared top bit
        // (1/2), then some (hash, MGF1 hash) of 25 unmasking to 00…01 (measured 18% of
        // random blocks with both): about 1 in 2,900.
        Block::Pss(readings) => {
            let p = &readings[0];
            format!(
                "the block has the shape of RSASSA-PSS by this key ({}, MGF1 over {}, a {}-byte salt; a signature by another key takes such a shape about once in 3,000), so the key is right and the padding is PSS, not PKCS#1 v1.5; the hash H it carries is {}",
                p.hash.name(),
                p.mgf.name(),
                p.salt.len(),
                hex::encode(&p.h)
            )
        }
        Block::Raw(payload) => match std::str::from_utf8(payload) {
            Ok(text) => return raw_text(ctx, &read, text, &rule),
            Err(_) => format!(
                "the key is right, and it signed {} bytes without DigestInfo (NONEwithRSA): {}, neither a known string nor its digest",
                payload.len(),
                hex::encode(payload)
            ),
        },
        Block::Noise => unreachable!("noise is diagnosed before the search"),
    };
    let text = format!(
        "The signature{read} was made by this key, but over a string that none of the {tried} variations tried produce: {known}. So the string differs from `{rule}`. Most likely, in order: another value for orderId or serviceProgessTimeNum (another order or step than this body's), other field names or separators, or extra text around it. Pass the string your code signed with `--signed-string FILE`: every difference from the correct one is named."
    );
    diagnosis(None, text, None)
}

/// A NONEwithRSA block over text: the block holds the very string the signer signed, so
/// its differences from the rule's are stated, not guessed.
fn raw_text(ctx: &Context, read: &str, signed: &str, rule: &str) -> Diagnosis {
    let differences: Vec<String> = ctx
        .differences(signed.as_bytes())
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    let text = format!(
        "The signature{read} was made by this key with PKCS#1 v1.5 padding around the text itself, unhashed and without DigestInfo (NONEwithRSA), so the block shows the exact string signed: `{}`. It differs from `{rule}`: {}. To match the rule: sign `{rule}` with SHA1withRSA.",
        crate::signed_string::visible(signed.as_bytes()),
        differences.join("; ")
    );
    diagnosis(None, text, Some(SignedString::public(signed.into())))
}
