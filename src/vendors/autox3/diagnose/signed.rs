//! `verify --signed-string FILE`: the user has the exact string their code hashed, so
//! every difference from the correct one can be named, family by family, not only the
//! first differing byte. First the search is asked for a candidate equal to it (which
//! names combinations exactly); failing that, the string is read part by part.
//!
//! The secret is only ever looked for whole: saying how much of a guess is right would
//! make this an oracle for it.

use super::compare;
use super::digest::{self, Algorithm};
use super::explain;
use super::search::{Candidate, Search};
use super::stringify::{self, JavaNumbers};
use super::tree;
use super::wording::{describe, join};
use super::CAUSES;
use crate::secret::Secret;
use crate::vendors::autox3::Fields;
use crate::vendors::{Diagnosis, Target};

/// Every difference between `theirs` and the correct signed string, or `None` when they
/// are identical.
pub(crate) fn explain_signed_string(
    fields: &Fields,
    secret: &Secret,
    theirs: &[u8],
    target: &Target,
) -> Option<Diagnosis> {
    if fields.signed_string(secret).bytes() == theirs {
        return None;
    }
    // A string without the secret is what an HMAC keyed with it hashes: the signature,
    // when it is that HMAC, tells the two apart.
    if keyed_hmac_matches(secret, theirs, &target.signature) {
        return Some(explain::diagnosis(
            CAUSES.to_vec(),
            Some("hmac_sha1".into()),
            format!("Your signed string leaves the appSecret out and the signature is its HMAC-SHA1 keyed with the appSecret: {}.", describe("hmac_sha1").1),
        ));
    }
    let search = Search::new(fields, secret).strings_only();
    let (families, details) = match search.find(|c| c.bytes == theirs) {
        Some(found) => {
            let details = found
                .form
                .differences
                .iter()
                .map(|d| d.example.clone())
                .filter(|e| !e.is_empty())
                .collect();
            (found.causes, details)
        }
        None => read_parts(fields, secret, theirs),
    };
    let words: Vec<String> = families.iter().map(|f| describe(f).0.to_string()).collect();
    let shown = if details.is_empty() {
        String::new()
    } else {
        format!(" ({})", join(&details))
    };
    let explanation = if families.is_empty() {
        "Your signed string differs from the correct one in a way no family names; the comparison below shows where.".to_string()
    } else {
        format!(
            "Your signed string differs from the correct one by {}{shown}.",
            join(&words)
        )
    };
    Some(explain::diagnosis(
        CAUSES.to_vec(),
        (!families.is_empty()).then(|| families.join("+")),
        explanation,
    ))
}

/// Whether `signature` is the HMAC-SHA1 of `theirs` keyed with the secret, checked by
/// the search's own digest comparison.
fn keyed_hmac_matches(secret: &Secret, theirs: &[u8], signature: &str) -> bool {
    let Ok((digest, encoding)) = digest::decode_target(signature.trim()) else {
        return false;
    };
    let candidate = Candidate {
        bytes: theirs,
        // No secret in the string: the HMAC message is all of it.
        secret: Some(theirs.len()..theirs.len()),
        algorithm: Algorithm::HmacSha1,
    };
    digest::digest_matches(&candidate, &digest, encoding, secret)
}

/// Reads `theirs` part by part in the documented order and names what differs in each.
fn read_parts(fields: &Fields, secret: &Secret, theirs: &[u8]) -> (Vec<&'static str>, Vec<String>) {
    let mut found = Found::default();
    let text = String::from_utf8_lossy(theirs);
    let body = strip_secret(&text, secret, &mut found);
    let mut cursor = 0;
    let literal = |expected: &str, cursor: &mut usize, found: &mut Found, name: &str| {
        if body[*cursor..].starts_with(expected) {
            *cursor += expected.len();
        } else {
            found.add(
                "field_order",
                format!("`{name}` is not where the rule puts it"),
            );
        }
    };
    literal(&fields.msg_id, &mut cursor, &mut found, "msgId");
    literal(&fields.msg_type, &mut cursor, &mut found, "msgType");
    json_part(
        &body,
        &mut cursor,
        fields.staff_info.text,
        "staffInfo",
        &mut found,
    );
    create_time(&body, &mut cursor, &fields.create_time.digits, &mut found);
    json_part(
        &body,
        &mut cursor,
        &fields.content_text,
        "content",
        &mut found,
    );
    if cursor < body.len() && !found.0.iter().any(|(f, _)| *f == "field_order") {
        found.add(
            "extra_bytes",
            format!("{} byte(s) after content", body.len() - cursor),
        );
    }
    let families = found.0.iter().map(|(f, _)| *f).collect();
    let details = found
        .0
        .into_iter()
        .map(|(_, d)| d)
        .filter(|d| !d.is_empty())
        .collect();
    (families, details)
}

#[derive(Default)]
struct Found(Vec<(&'static str, String)>);

impl Found {
    fn add(&mut self, family: &'static str, detail: String) {
        if !self.0.iter().any(|(f, _)| *f == family) {
            self.0.push((family, detail));
        }
    }
}

/// The string without the secret; where the secret was (or that it was not) is a finding.
fn strip_secret(text: &str, secret: &Secret, found: &mut Found) -> String {
    let s = String::from_utf8_lossy(secret.expose());
    if s.is_empty() {
        return text.to_string();
    }
    match text.rfind(s.as_ref()) {
        None => {
            found.add(
                "no_secret",
                "the appSecret given is not in it: it is missing, or a different one".into(),
            );
            text.to_string()
        }
        Some(0) if text.len() > s.len() => {
            found.add("secret_first", String::new());
            text[s.len()..].to_string()
        }
        Some(at) => {
            let after = &text[at + s.len()..];
            if after == "\n" || after == "\r\n" {
                found.add("trailing_newline", String::new());
            } else if !after.is_empty() {
                found.add("field_order", "text follows the appSecret".into());
            }
            format!("{}{after}", &text[..at])
                .trim_end_matches(['\r', '\n'])
                .to_string()
        }
    }
}

fn json_part(body: &str, cursor: &mut usize, raw: &str, name: &str, found: &mut Found) {
    let rest = &body[*cursor..];
    if rest.starts_with(raw) {
        *cursor += raw.len();
        return;
    }
    if let Some((_, end)) = tree::parse_prefix(body, *cursor) {
        let segment = &body[*cursor..end];
        match compare::differences(raw, segment.trim()) {
            Some(list) => list
                .into_iter()
                .for_each(|d| found.add(d.family, d.example)),
            None => found.add(
                "value_changed",
                format!("{name} holds other values than the body's"),
            ),
        }
        *cursor = end;
        return;
    }
    if let Some(node) = tree::parse(raw) {
        let ways = [
            stringify::javascript(&node),
            stringify::python(&node),
            stringify::java(&node, JavaNumbers::Doubles),
            stringify::java(&node, JavaNumbers::Mixed),
        ];
        if let Some(way) = ways
            .iter()
            .find(|w| !w.is_empty() && rest.starts_with(w.as_str()))
        {
            found.add(
                "stringified_part",
                format!("{name} is `{}`", way.chars().take(40).collect::<String>()),
            );
            *cursor += way.len();
            return;
        }
    }
    for empty in ["undefined", "null", "None"] {
        if rest.starts_with(empty) {
            found.add("empty_part", format!("{name} is `{empty}`"));
            *cursor += empty.len();
            return;
        }
    }
    found.add("empty_part", format!("{name} is missing"));
}

fn create_time(body: &str, cursor: &mut usize, digits: &str, found: &mut Found) {
    let rest = &body[*cursor..];
    if rest.starts_with(digits) {
        *cursor += digits.len();
        return;
    }
    let quoted = format!("\"{digits}\"");
    if rest.starts_with(&quoted) {
        found.add("create_time_string", String::new());
        *cursor += quoted.len();
        return;
    }
    let spelled = rest.find(['{', '[']).unwrap_or(rest.len());
    let candidate = &rest[..spelled];
    if let (Ok(a), Ok(b)) = (candidate.parse::<f64>(), digits.parse::<f64>()) {
        if a == b {
            found.add("create_time_float", format!("createTime is `{candidate}`"));
            *cursor += candidate.len();
            return;
        }
    }
    found.add(
        "field_order",
        "createTime is not where the rule puts it".into(),
    );
}
