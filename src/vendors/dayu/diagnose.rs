//! Why a Dayu signature does not verify. The signature text is read in every transport
//! form; the reading the key opens is classified from one RSA public-key operation
//! (see [`super::block`]); then every candidate string (see [`super::strings`]) is
//! checked against the block by hashing alone. What is found, or what is known when
//! nothing is, is worded in [`super::explain`].

use super::block::{self, Block, Hash, Pss};
use super::explain::{self, Found};
use super::strings::{Candidate, Context};
use super::transport::{self, Form};
use super::Fields;
use crate::json::TopLevel;
use crate::keys::VerifyingKey;
use crate::signed_string::SignedString;
use crate::vendors::{Diagnosis, Target};

/// Every family this search can name, in the order a combined id lists them.
pub(crate) const CAUSES: &[&str] = &[
    "wrapped_base64",
    "urlsafe_base64",
    "plus_as_space",
    "hex_signature",
    "base64_of_hex",
    "wrong_key",
    "pss",
    "none_with_rsa",
    "missing_value",
    "progress_spelling",
    "swapped_fields",
    "order_num",
    "whole_body",
    "trailing_newline",
    "sha256",
    "sha512",
    "md5",
];

/// What opening the signature gave.
pub(super) enum Opened {
    /// No reading of the text has the key's size.
    WrongSize {
        len: usize,
    },
    /// Readings of the right size, none of them a block this key made.
    Noise,
    Block {
        form: Form,
        block: Block,
    },
}

/// The first reading of the signature text whose block this key made.
pub(super) fn open(key: &VerifyingKey, signature: &str) -> Opened {
    let readings = transport::decodings(signature);
    let mut sized = false;
    for (form, bytes) in &readings {
        if bytes.len() != key.size() {
            continue;
        }
        sized = true;
        let block = block::open(key, bytes);
        if block != Block::Noise {
            return Opened::Block { form: *form, block };
        }
    }
    if sized {
        Opened::Noise
    } else {
        Opened::WrongSize {
            len: readings.first().map_or(0, |(_, b)| b.len()),
        }
    }
}

pub(super) fn diagnose(
    fields: &Fields,
    top: &TopLevel,
    body: &[u8],
    key: &VerifyingKey,
    target: &Target,
) -> Diagnosis {
    let ctx = Context {
        fields,
        order_num: top.get("orderNum").and_then(|f| f.as_string()),
        body,
    };
    let (form, block) = match open(key, &target.signature) {
        Opened::WrongSize { len } => return explain::wrong_size(len, key),
        Opened::Noise => return explain::noise(key),
        Opened::Block { form, block } => (form, block),
    };
    let candidates = ctx.candidates();
    let found = match &block {
        Block::DigestInfo { hash, digest } => candidates
            .iter()
            .find(|c| &hash.digest(&c.bytes) == digest)
            .map(|c| found(form, c, c.causes.iter().copied().chain(hash.cause()))),
        Block::Raw(payload) => raw_match(&candidates, form, payload),
        Block::Pss(readings) => readings.iter().find_map(|reading| {
            candidates
                .iter()
                .find(|c| reading.covers(&c.bytes))
                .map(|c| {
                    let mut f = found(form, c, std::iter::once("pss").chain(c.causes.clone()));
                    f.pss = Some(reading.clone());
                    f
                })
        }),
        Block::Noise => None,
    };
    match found {
        Some(found) => explain::found(found, target.origin),
        None => explain::fallback(&ctx, form, &block, candidates.len()),
    }
}

/// A NONEwithRSA block: the string itself, or the bare digest of one. (Text that no
/// candidate equals is shown by the fallback, which lists its differences.)
fn raw_match(candidates: &[Candidate], form: Form, payload: &[u8]) -> Option<Found> {
    candidates.iter().find_map(|c| {
        let hash = Hash::ALL
            .into_iter()
            .find(|h| h.digest(&c.bytes) == payload);
        if c.bytes != payload && hash.is_none() {
            return None;
        }
        let mut f = found(
            form,
            c,
            std::iter::once("none_with_rsa")
                .chain(c.causes.clone())
                .chain(hash.and_then(Hash::cause)),
        );
        f.raw_digest = hash;
        Some(f)
    })
}

fn found(form: Form, c: &Candidate, causes: impl Iterator<Item = &'static str>) -> Found {
    let mut all: Vec<&'static str> = form.cause().into_iter().chain(causes).collect();
    all.sort_by_key(|c| CAUSES.iter().position(|k| k == c));
    all.dedup();
    Found {
        form,
        causes: all,
        signed: SignedString::public(c.bytes.clone()),
        pss: None::<Pss>,
        raw_digest: None,
    }
}

/// Whether the block inside `signature` was made over `theirs` (None: no block this key
/// made, so nothing can be said).
pub(super) fn covers(key: &VerifyingKey, signature: &str, theirs: &[u8]) -> Option<bool> {
    let Opened::Block { block, .. } = open(key, signature) else {
        return None;
    };
    Some(match block {
        Block::DigestInfo { hash, digest } => hash.digest(theirs) == digest,
        Block::Raw(payload) => {
            payload == theirs || Hash::ALL.iter().any(|h| h.digest(theirs) == payload)
        }
        Block::Pss(readings) => readings.iter().any(|r| r.covers(theirs)),
        Block::Noise => false,
    })
}
