//! Why an AutoX3 signature does not match: rebuild the signed string every way real
//! senders and receivers get it wrong, hash each, and name the simplest one that
//! reproduces the signature.
//!
//! The candidates for `staffInfo` and `content` come from a model of serializers
//! (`writer.rs`: a space of independent choices; `profiles.rs`: named libraries as points
//! in it) plus the non-JSON mistakes (`forms.rs`); the ways of joining the six parts come
//! from `assembly.rs`. What a candidate changed is named by comparing bytes
//! (`compare.rs`), so several effects at once are all named. Hashing ~1 KB takes about a
//! microsecond, so the search is exhaustive within [`MAX_CAUSES`] (its size is measured in
//! `benches/verify.rs`).

mod assembly;
mod choices;
mod compare;
mod digest;
mod explain;
mod forms;
mod numbers;
mod profiles;
mod search;
mod signed;
mod stringify;
mod tree;
mod wording;
mod writer;

pub(crate) use signed::explain_signed_string;

use super::Fields;
use crate::secret::Secret;
use crate::vendors::{Diagnosis, Target};

/// Combinations of more mistakes than this are not tried: they would rarely be the
/// real cause, and the search grows with each.
pub(crate) const MAX_CAUSES: usize = 4;

/// Every family this search can name, in the order they are reported.
pub(crate) const CAUSES: &[&str] = &[
    "hex_case",
    "compact_json",
    "sorted_keys",
    "member_order",
    "python_separators",
    "python_default",
    "unicode_escapes",
    "escaped_slashes",
    "html_escape",
    "float_as_integer",
    "java_doubles",
    "number_precision",
    "nulls_dropped",
    "empty_object_as_array",
    "pretty_printed",
    "part_newline",
    "stringified_part",
    "empty_part",
    "url_decoded",
    "re_encoded_body",
    "inner_staff_info",
    "content_as_string",
    "create_time_string",
    "create_time_float",
    "trailing_newline",
    "no_secret",
    "secret_first",
    "field_order",
    "charset",
    "whole_body",
    "hmac_sha1",
    "sha256",
    "md5",
    "base64_digest",
];

pub(super) fn diagnose(fields: &Fields, secret: &Secret, target: &Target) -> Diagnosis {
    let tried = CAUSES.to_vec();
    let received = target.signature.trim();
    let (digest, encoding) = match search::decode_target(received) {
        Ok(d) => d,
        Err(why) => return explain::unmatched(tried, why),
    };
    let canonical = fields.signed_string(secret);
    if search::is_sha1_of(&digest, canonical.bytes()) {
        return explain::valid(tried, encoding, canonical);
    }
    let search = search::Search::new(fields, secret).for_encoding(encoding);
    match search.find(|candidate| search::digest_matches(candidate, &digest, encoding, secret)) {
        Some(found) => explain::matched(tried, target.origin, fields, &found),
        None => explain::fallback(tried, fields, secret, &digest, search.reach),
    }
}

/// For the differential fuzz target (`fuzz/differential.rs`): what every library profile
/// writes for a JSON text, and whether the comparison still sees the same value in it
/// (it must: a writer that changed a value, or a comparison that cannot read a writer's
/// output, would make the diagnosis name the wrong thing). `None` when the text is not
/// JSON that the tree reads.
pub(crate) fn restyle_for_fuzzing(text: &str) -> Option<Vec<(&'static str, String, bool)>> {
    let node = tree::parse(text)?;
    let plain = std::iter::once(("plain", writer::Style::PLAIN, false));
    let named = profiles::PROFILES
        .iter()
        .map(|p| (p.id, p.style, p.style.escapes.non_ascii));
    Some(
        plain
            .chain(named)
            .map(|(id, style, ascii)| {
                let written = writer::write(&node, &style);
                let comparable = compare::differences(text, &written).is_some()
                    && (!ascii || written.is_ascii());
                (id, written, comparable)
            })
            .collect(),
    )
}
