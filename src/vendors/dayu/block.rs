//! What one RSA public-key operation on a signature shows: `s^e mod n` is the block the
//! signer padded, and its shape names the scheme even when no string is known yet.
//! PKCS#1 v1.5 with a DigestInfo names the hash and gives the digest; v1.5 without one
//! (Java's NONEwithRSA, `openssl pkeyutl`, Go's `crypto.Hash(0)`) gives the signed bytes
//! themselves; RSASSA-PSS (RFC 8017 §9.1) ends in 0xBC and, unmasked with MGF1, gives
//! the salt and the hash `H` a string must reproduce. Anything else is noise: another
//! key made it.

use md5::Md5;
use rsa::traits::PublicKeyParts;
use rsa::BigUint;
use sha1::{Digest, Sha1};
use sha2::{Sha256, Sha384, Sha512};

use crate::keys::VerifyingKey;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Hash {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
    Md5,
}

impl Hash {
    /// Every hash tried, Dayu's own first.
    pub(super) const ALL: [Hash; 5] = [
        Hash::Sha1,
        Hash::Sha256,
        Hash::Sha512,
        Hash::Sha384,
        Hash::Md5,
    ];

    pub(super) fn digest(self, bytes: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha1 => Sha1::digest(bytes).to_vec(),
            Hash::Sha256 => Sha256::digest(bytes).to_vec(),
            Hash::Sha384 => Sha384::digest(bytes).to_vec(),
            Hash::Sha512 => Sha512::digest(bytes).to_vec(),
            Hash::Md5 => Md5::digest(bytes).to_vec(),
        }
    }

    fn len(self) -> usize {
        match self {
            Hash::Sha1 => 20,
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
            Hash::Md5 => 16,
        }
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Hash::Sha1 => "SHA-1",
            Hash::Sha256 => "SHA-256",
            Hash::Sha384 => "SHA-384",
            Hash::Sha512 => "SHA-512",
            Hash::Md5 => "MD5",
        }
    }

    /// The family a v1.5 signature with this hash belongs to (SHA-1 is the rule).
    pub(super) fn cause(self) -> Option<&'static str> {
        match self {
            Hash::Sha1 | Hash::Sha384 => None,
            Hash::Sha256 => Some("sha256"),
            Hash::Sha512 => Some("sha512"),
            Hash::Md5 => Some("md5"),
        }
    }
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
        Hash::Sha384,
        &[
            0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x02, 0x05, 0x00, 0x04, 0x30,
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

/// RSASSA-PSS parameters read back from a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Pss {
    pub(crate) hash: Hash,
    pub(crate) mgf: Hash,
    pub(crate) salt: Vec<u8>,
    /// `H = Hash(0x00 * 8 || Hash(M) || salt)`: what a string must reproduce.
    pub(crate) h: Vec<u8>,
}

impl Pss {
    /// Whether `message` is what was signed.
    pub(super) fn covers(&self, message: &[u8]) -> bool {
        let mut prefix = vec![0u8; 8];
        prefix.extend(self.hash.digest(message));
        prefix.extend(&self.salt);
        self.hash.digest(&prefix) == self.h
    }
}

/// The shape of the block inside a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Block {
    /// PKCS#1 v1.5 with a DigestInfo: the hash and the digest.
    DigestInfo { hash: Hash, digest: Vec<u8> },
    /// PKCS#1 v1.5 padding around bytes that are no DigestInfo: a raw digest or the
    /// string itself (NONEwithRSA).
    Raw(Vec<u8>),
    /// RSASSA-PSS; several readings when more than one (hash, MGF1 hash) unmasks to a
    /// valid structure, the true one first where it can be told.
    Pss(Vec<Pss>),
    /// Neither: the public key does not match the private key that signed.
    Noise,
}

/// Opens `signature` (exactly the key's size) with the public key.
pub(super) fn open(key: &VerifyingKey, signature: &[u8]) -> Block {
    let n = key.key.n();
    let s = BigUint::from_bytes_be(signature);
    if &s >= n {
        return Block::Noise;
    }
    let m = s.modpow(key.key.e(), n).to_bytes_be();
    let mut em = vec![0u8; key.size().saturating_sub(m.len())];
    em.extend(m);
    if let Some(block) = pkcs1(&em) {
        return block;
    }
    let readings = pss(&em, n.bits());
    if readings.is_empty() {
        Block::Noise
    } else {
        Block::Pss(readings)
    }
}

/// `00 01 FF…FF 00 payload`, at least 8 bytes of FF (RFC 8017 §9.2).
fn pkcs1(em: &[u8]) -> Option<Block> {
    let rest = em.strip_prefix(&[0x00, 0x01])?;
    let ff = rest.iter().position(|&b| b != 0xff)?;
    if ff < 8 || rest[ff] != 0x00 {
        return None;
    }
    let payload = &rest[ff + 1..];
    Some(
        DIGEST_INFOS
            .iter()
            .find_map(|(hash, prefix)| {
                payload
                    .strip_prefix(*prefix)
                    .filter(|d| d.len() == hash.len())
                    .map(|d| Block::DigestInfo {
                        hash: *hash,
                        digest: d.to_vec(),
                    })
            })
            .unwrap_or_else(|| Block::Raw(payload.to_vec())),
    )
}

/// Every (hash, MGF1 hash) whose unmasking gives `00…00 01 salt`; a reading where both
/// hashes agree comes first, as libraries default to that.
fn pss(em_full: &[u8], mod_bits: usize) -> Vec<Pss> {
    let em_bits = mod_bits - 1;
    let em_len = em_bits.div_ceil(8);
    let (top, em) = em_full.split_at(em_full.len() - em_len);
    // The signer clears the bits of EM above emBits (RFC 8017 §9.1.1 step 11).
    let high_bits = 0xffu8
        .checked_shl((8 - (8 * em_len - em_bits)) as u32)
        .unwrap_or(0);
    if top.iter().any(|&b| b != 0) || em.last() != Some(&0xbc) || em[0] & high_bits != 0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    for hash in Hash::ALL {
        if hash.len() + 2 > em_len {
            continue;
        }
        let (masked, h) = em[..em_len - 1].split_at(em_len - hash.len() - 1);
        for mgf in Hash::ALL {
            let mut db: Vec<u8> = masked
                .iter()
                .zip(mgf1(mgf, h, masked.len()))
                .map(|(a, b)| a ^ b)
                .collect();
            db[0] &= 0xff >> (8 * em_len - em_bits);
            let Some(one) = db.iter().position(|&b| b != 0) else {
                continue;
            };
            if db[one] == 0x01 {
                out.push(Pss {
                    hash,
                    mgf,
                    salt: db[one + 1..].to_vec(),
                    h: h.to_vec(),
                });
            }
        }
    }
    out.sort_by_key(|p| p.hash != p.mgf);
    out
}

/// MGF1 (RFC 8017 B.2.1).
fn mgf1(hash: Hash, seed: &[u8], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 64);
    let mut counter: u32 = 0;
    while out.len() < len {
        let mut input = seed.to_vec();
        input.extend(counter.to_be_bytes());
        out.extend(hash.digest(&input));
        counter += 1;
    }
    out.truncate(len);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mgf1_matches_the_rfc_construction() {
        // MGF1-SHA1("foo", 3) is the first 3 bytes of SHA-1("foo" || 00000000), from
        // Python: hashlib.sha1(b"foo\0\0\0\0").hexdigest()[:6].
        assert_eq!(hex::encode(mgf1(Hash::Sha1, b"foo", 3)), "1ac907");
        assert_eq!(mgf1(Hash::Sha256, b"seed", 70).len(), 70);
    }

    #[test]
    fn v15_blocks_read_their_payload() {
        let mut em = vec![0x00, 0x01];
        em.extend([0xff; 8]);
        em.push(0x00);
        em.extend(b"orderId=1");
        assert_eq!(pkcs1(&em), Some(Block::Raw(b"orderId=1".to_vec())));
        em[3] = 0x00;
        assert_eq!(pkcs1(&em), None, "fewer than 8 bytes of FF");
    }
}
