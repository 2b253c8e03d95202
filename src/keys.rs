//! RSA keys for Dayu: loading every form a Java or openssl user might hand us, saying
//! plainly what a file is when it is not the key we need, and generating test pairs.

use base64::Engine;
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs8::der::Decode;
use rsa::pkcs8::{
    DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding,
    PrivateKeyInfo,
};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};

use crate::error::{Error, Result};

/// Below this size a key is breakable; tests may use one, production should not.
pub(crate) const WEAK_BITS: usize = 2048;

const OID_RSA: &str = "1.2.840.113549.1.1.1";
const OID_RSA_PSS: &str = "1.2.840.113549.1.1.10";
const OID_EC: &str = "1.2.840.10045.2.1";
const OID_ED25519: &str = "1.3.101.112";
const OID_DSA: &str = "1.2.840.10040.4.1";

/// What a key file turned out to hold.
pub enum LoadedKey {
    Private(Box<RsaPrivateKey>),
    Public(RsaPublicKey),
}

/// A public key loaded for verification, with any warnings about it.
pub struct PublicKeyFile {
    pub(crate) key: RsaPublicKey,
    pub(crate) warnings: Vec<String>,
}

/// An RSA public key ready for fast verification: ring verifies SHA1WithRSA about ten
/// times faster than the `rsa` crate, but only for keys of 1024 to 8192 bits.
pub(crate) struct VerifyingKey {
    pub(crate) key: RsaPublicKey,
    ring: Option<ring::signature::RsaPublicKeyComponents<Vec<u8>>>,
}

impl VerifyingKey {
    pub(crate) fn new(key: RsaPublicKey) -> Self {
        let bits = key.n().bits();
        let ring = (1024..=8192)
            .contains(&bits)
            .then(|| ring::signature::RsaPublicKeyComponents {
                n: key.n().to_bytes_be(),
                e: key.e().to_bytes_be(),
            });
        VerifyingKey { key, ring }
    }

    /// Whether `signature` is a PKCS#1 v1.5 SHA-1 signature of `message` by this key.
    pub(crate) fn verify_sha1(&self, message: &[u8], signature: &[u8]) -> bool {
        match &self.ring {
            Some(components) => components
                .verify(
                    &ring::signature::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
                    message,
                    signature,
                )
                .is_ok(),
            None => {
                use sha1::Digest;
                let digest = sha1::Sha1::digest(message);
                self.key
                    .verify(rsa::Pkcs1v15Sign::new::<sha1::Sha1>(), &digest, signature)
                    .is_ok()
            }
        }
    }

    /// The modulus size in bytes: every signature by this key has exactly this length.
    pub(crate) fn size(&self) -> usize {
        self.key.size()
    }
}

/// A private key loaded for signing, with any warnings about it.
pub(crate) struct PrivateKeyFile {
    pub(crate) key: RsaPrivateKey,
    pub(crate) warnings: Vec<String>,
}

/// Loads a key meant for verification. A private key is accepted with a warning, since
/// its public half can be derived from it.
pub fn public_key(source: &str, bytes: &[u8]) -> Result<PublicKeyFile> {
    let (key, mut warnings) = match load(source, bytes)? {
        LoadedKey::Public(k) => (k, Vec::new()),
        LoadedKey::Private(k) => (
            k.to_public_key(),
            vec![format!(
                "{source} holds a private key where a public key is expected; using the public key derived from it (keep private keys off machines that only verify; `cbtool keygen` shows the public form)"
            )],
        ),
    };
    warnings.extend(weak_warning(source, key.size() * 8));
    Ok(PublicKeyFile { key, warnings })
}

/// Loads a key meant for signing.
pub(crate) fn private_key(source: &str, bytes: &[u8]) -> Result<PrivateKeyFile> {
    match load(source, bytes)? {
        LoadedKey::Private(key) => {
            let key = *key;
            let warnings = weak_warning(source, key.size() * 8).into_iter().collect();
            Ok(PrivateKeyFile { key, warnings })
        }
        LoadedKey::Public(_) => Err(Error::new(format!(
            "{source}: is an RSA public key; signing needs the private key (pass it with --private-key)"
        ))),
    }
}

fn weak_warning(source: &str, bits: usize) -> Option<String> {
    (bits < WEAK_BITS).then(|| {
        format!("{source}: the RSA key has only {bits} bits; keys under {WEAK_BITS} bits can be broken — fine for a test, never for production")
    })
}

/// Loads an RSA key from PEM, DER, or bare base64 DER (Java's encoded key specs).
pub fn load(source: &str, bytes: &[u8]) -> Result<LoadedKey> {
    let trimmed = bytes.trim_ascii();
    if trimmed.is_empty() {
        return Err(Error::new(format!(
            "{source}: is empty; expected an RSA key (PEM, DER or base64)"
        )));
    }
    if let Some(start) = find(trimmed, b"-----BEGIN ") {
        return load_pem(source, &trimmed[start..]);
    }
    if let Some(kind) = openssh_public_key(trimmed) {
        return Err(openssh_public_key_error(source, kind));
    }
    if trimmed
        .iter()
        .all(|b| is_base64_byte(*b) || b.is_ascii_whitespace())
    {
        let der = decode_base64_lenient(trimmed).map_err(|e| {
            Error::new(format!(
                "{source}: looks like base64 but does not decode ({e}); expected a key as Java's X509EncodedKeySpec / PKCS8EncodedKeySpec take it"
            ))
        })?;
        return load_der(source, &der, "base64 DER");
    }
    load_der(source, bytes, "DER")
}

/// The key type of an OpenSSH public key (`ssh-rsa AAAA… comment`, as in `id_rsa.pub` or
/// `authorized_keys`) or of an RFC 4716 one (`---- BEGIN SSH2 PUBLIC KEY ----`). Such a
/// line is otherwise taken for base64 or DER and reported as a damaged key.
fn openssh_public_key(text: &[u8]) -> Option<&'static str> {
    if text.starts_with(b"---- BEGIN SSH2 PUBLIC KEY") {
        return Some("SSH2");
    }
    const KINDS: [(&[u8], &str); 6] = [
        (b"ssh-rsa ", "RSA"),
        (b"rsa-sha2-", "RSA"),
        (b"ssh-ed25519 ", "Ed25519"),
        (b"ssh-dss ", "DSA"),
        (b"ecdsa-sha2-", "ECDSA"),
        (b"sk-", "security-key"),
    ];
    KINDS
        .iter()
        .find(|(prefix, _)| text.starts_with(prefix))
        .map(|(_, kind)| *kind)
}

fn openssh_public_key_error(source: &str, kind: &str) -> Error {
    match kind {
        "RSA" | "SSH2" => Error::new(format!(
            "{source}: is an OpenSSH public key, which cbtool does not read; convert it to PEM: `ssh-keygen -f {source} -e -m PKCS8 > public.pem`"
        )),
        other => Error::new(format!(
            "{source}: is an OpenSSH {other} public key; signing here is RSA (SHA1WithRSA): use an RSA key"
        )),
    }
}

fn load_pem(source: &str, text: &[u8]) -> Result<LoadedKey> {
    let text = String::from_utf8_lossy(text);
    let begin = text.lines().next().unwrap_or_default().trim();
    let label = begin
        .strip_prefix("-----BEGIN ")
        .and_then(|rest| rest.strip_suffix("-----"))
        .ok_or_else(|| Error::new(format!("{source}: malformed PEM header line `{begin}`")))?;
    let end_line = format!("-----END {label}-----");
    let Some(end) = text.find(&end_line) else {
        return Err(Error::new(format!(
            "{source}: PEM block `{label}` has no `{end_line}` line: the file is truncated"
        )));
    };
    match label {
        "PRIVATE KEY" | "RSA PRIVATE KEY" | "PUBLIC KEY" | "RSA PUBLIC KEY" => {}
        "CERTIFICATE" => {
            return Err(Error::new(format!(
                "{source}: is an X.509 certificate, not a key; extract its public key with `openssl x509 -in {source} -pubkey -noout > public.pem`"
            )))
        }
        "EC PRIVATE KEY" | "EC PARAMETERS" => {
            return Err(Error::new(format!(
                "{source}: is an EC key; signing here is RSA (SHA1WithRSA): use an RSA key"
            )))
        }
        "ENCRYPTED PRIVATE KEY" => {
            return Err(Error::new(format!(
                "{source}: is an encrypted private key; decrypt it first: `openssl pkcs8 -in {source} -out plain.pem`"
            )))
        }
        "OPENSSH PRIVATE KEY" => {
            return Err(Error::new(format!(
                "{source}: is an OpenSSH private key; convert it: `ssh-keygen -p -m PKCS8 -f {source}`"
            )))
        }
        other => {
            return Err(Error::new(format!(
                "{source}: PEM label `{other}` is not a key cbtool reads; expected PRIVATE KEY, RSA PRIVATE KEY, PUBLIC KEY or RSA PUBLIC KEY"
            )))
        }
    }
    let body: String = text[begin.len()..end]
        .lines()
        .filter(|l| !l.contains(':')) // skip RFC 1421 headers such as Proc-Type
        .collect();
    let der = decode_base64_lenient(body.as_bytes()).map_err(|e| {
        Error::new(format!(
            "{source}: the `{label}` PEM block's base64 does not decode ({e}): the file is damaged or truncated"
        ))
    })?;
    let loaded = load_der(source, &der, &format!("PEM `{label}`"))?;
    let label_matches = matches!(
        (label, &loaded),
        ("PRIVATE KEY" | "RSA PRIVATE KEY", LoadedKey::Private(_))
            | ("PUBLIC KEY" | "RSA PUBLIC KEY", LoadedKey::Public(_))
    );
    if !label_matches {
        return Err(Error::new(format!(
            "{source}: the PEM label says `{label}` but the content is another kind of key; re-export it with openssl"
        )));
    }
    Ok(loaded)
}

fn load_der(source: &str, der: &[u8], form: &str) -> Result<LoadedKey> {
    if let Ok(spki) = rsa::pkcs8::spki::SubjectPublicKeyInfoRef::from_der(der) {
        check_algorithm(source, &spki.algorithm.oid.to_string(), "public")?;
        return RsaPublicKey::from_public_key_der(der)
            .map(LoadedKey::Public)
            .map_err(|e| Error::new(format!("{source}: RSA public key ({form}) is invalid: {e}")));
    }
    if let Ok(info) = PrivateKeyInfo::from_der(der) {
        check_algorithm(source, &info.algorithm.oid.to_string(), "private")?;
        return RsaPrivateKey::from_pkcs8_der(der)
            .map(|k| LoadedKey::Private(Box::new(k)))
            .map_err(|e| {
                Error::new(format!(
                    "{source}: RSA private key ({form}) is invalid: {e}"
                ))
            });
    }
    if let Ok(k) = RsaPrivateKey::from_pkcs1_der(der) {
        return Ok(LoadedKey::Private(Box::new(k)));
    }
    if let Ok(k) = RsaPublicKey::from_pkcs1_der(der) {
        return Ok(LoadedKey::Public(k));
    }
    if looks_like_certificate(der) {
        return Err(Error::new(format!(
            "{source}: is an X.509 certificate ({form}), not a key; extract its public key with `openssl x509 -inform der -in {source} -pubkey -noout > public.pem`"
        )));
    }
    Err(Error::new(format!(
        "{source}: not an RSA key: {form} that is neither SubjectPublicKeyInfo, PKCS#8, nor PKCS#1 (is the file truncated?)"
    )))
}

fn check_algorithm(source: &str, oid: &str, half: &str) -> Result<()> {
    let what = match oid {
        OID_RSA => return Ok(()),
        OID_RSA_PSS => "an RSA-PSS key (restricted to PSS; SHA1WithRSA is PKCS#1 v1.5)",
        OID_EC => "an EC key",
        OID_ED25519 => "an Ed25519 key",
        OID_DSA => "a DSA key",
        _ => "a key of another algorithm",
    };
    Err(Error::new(format!(
        "{source}: is {what} ({half}, algorithm {oid}); signing here is RSA (SHA1WithRSA): use an RSA key"
    )))
}

/// An X.509 certificate is SEQUENCE { SEQUENCE { [0] version, ... } ... }.
fn looks_like_certificate(der: &[u8]) -> bool {
    fn skip_header(d: &[u8]) -> Option<&[u8]> {
        let len_byte = *d.get(1)?;
        let header = if len_byte & 0x80 == 0 {
            2
        } else {
            2 + (len_byte & 0x7f) as usize
        };
        d.get(header..)
    }
    der.first() == Some(&0x30)
        && skip_header(der).is_some_and(|inner| {
            inner.first() == Some(&0x30)
                && skip_header(inner).is_some_and(|tbs| tbs.first() == Some(&0xa0))
        })
}

fn is_base64_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_')
}

/// Standard or URL-safe base64, with or without padding, whitespace ignored: Java
/// encoders wrap at 76 columns and some tools drop the padding.
pub(crate) fn decode_base64_lenient(text: &[u8]) -> std::result::Result<Vec<u8>, String> {
    let cleaned: Vec<u8> = text
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .map(|b| match b {
            b'-' => b'+',
            b'_' => b'/',
            b => b,
        })
        .collect();
    let unpadded = cleaned
        .strip_suffix(b"==")
        .or_else(|| cleaned.strip_suffix(b"="))
        .unwrap_or(&cleaned);
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(unpadded)
        .map_err(|e| e.to_string())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A freshly generated key pair in every form `keygen` writes.
pub(crate) struct GeneratedPair {
    pub(crate) private_pem: String,
    pub(crate) public_pem: String,
    /// One-line base64 of the PKCS#8 DER, as Java's `PKCS8EncodedKeySpec` takes it.
    pub(crate) private_java: String,
    /// One-line base64 of the SubjectPublicKeyInfo DER, as `X509EncodedKeySpec` takes it.
    pub(crate) public_java: String,
}

/// Generates an RSA key pair from the operating system's random source.
pub(crate) fn generate(bits: usize) -> Result<GeneratedPair> {
    let key = RsaPrivateKey::new(&mut rsa::rand_core::OsRng, bits)
        .map_err(|e| Error::new(format!("cannot generate a {bits}-bit RSA key: {e}")))?;
    let encode_err = |e: &dyn std::fmt::Display| Error::new(format!("cannot encode the key: {e}"));
    let private_der = key.to_pkcs8_der().map_err(|e| encode_err(&e))?;
    let public = key.to_public_key();
    let public_der = public.to_public_key_der().map_err(|e| encode_err(&e))?;
    let b64 = base64::engine::general_purpose::STANDARD;
    Ok(GeneratedPair {
        private_pem: key
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| encode_err(&e))?
            .to_string(),
        public_pem: public
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| encode_err(&e))?,
        private_java: b64.encode(private_der.as_bytes()),
        public_java: b64.encode(public_der.as_bytes()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_base64_accepts_wrapping_urlsafe_and_missing_padding() {
        assert_eq!(decode_base64_lenient(b"aGVs\nbG8=").unwrap(), b"hello");
        assert_eq!(decode_base64_lenient(b"aGVsbG8").unwrap(), b"hello");
        assert_eq!(decode_base64_lenient(b"-_8=").unwrap(), [0xfb, 0xff]);
    }

    #[test]
    fn empty_and_garbage_are_clear_errors() {
        let e = load("k.pem", b"  \n").err().unwrap();
        assert!(e.message().contains("is empty"), "{e}");
        let e = load("k.der", &[0x01, 0x02, 0xff]).err().unwrap();
        assert!(e.message().contains("not an RSA key"), "{e}");
        let e = load("k.pub", b"ssh-ed25519 AAAAC3Nza me@host\n")
            .err()
            .unwrap();
        assert!(e.message().contains("OpenSSH Ed25519 public key"), "{e}");
        let e = load("k.pub", b"---- BEGIN SSH2 PUBLIC KEY ----\nAAAA\n")
            .err()
            .unwrap();
        assert!(
            e.message().contains("ssh-keygen -f k.pub -e -m PKCS8"),
            "{e}"
        );
        let e = load("k.pem", b"-----BEGIN PUBLIC KEY-----\nMIIB\n")
            .err()
            .unwrap();
        assert!(e.message().contains("truncated"), "{e}");
    }
}
