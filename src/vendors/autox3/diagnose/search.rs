//! The search itself: every form of the parts, joined every way, hashed every way, in
//! order of how many mistakes each candidate assumes, until one reproduces the target.

use std::ops::Range;

use super::assembly::{self, Assembly, Field, Time};
use super::digest::{
    algorithm_causes, encode_like_java, encode_like_node_binary, Algorithm, CHARSETS,
};
pub(crate) use super::digest::{decode_target, digest_matches, is_sha1_of, Encoding};
use super::forms::{self, Form, Parts, Scope};
use super::MAX_CAUSES;
use crate::json::{JsonKind, TopLevel};
use crate::secret::Secret;
use crate::signed_string::{Part, SignedString};
use crate::vendors::autox3::Fields;

/// A candidate that reproduced the target.
pub(crate) struct Found {
    pub(crate) form: Form,
    pub(crate) assembly: Assembly,
    pub(crate) charset: Option<&'static str>,
    /// The whole body was hashed (with the secret where `assembly.with_secret`).
    pub(crate) whole_body: bool,
    pub(crate) signed: SignedString,
    /// Every family, in the order they are reported.
    pub(crate) causes: Vec<&'static str>,
}

/// One candidate, as handed to the matcher.
pub(crate) struct Candidate<'c> {
    pub(crate) bytes: &'c [u8],
    pub(crate) secret: Option<Range<usize>>,
    pub(crate) algorithm: Algorithm,
}

pub(crate) struct Search<'f, 'a> {
    fields: &'f Fields<'a>,
    secret: &'f Secret,
    forms: Vec<Form>,
    assemblies: Vec<Assembly>,
    algorithms: Vec<Algorithm>,
    non_ascii: bool,
    /// The target is base64 rather than hex: one more cause for every candidate.
    base64: bool,
    /// How much of the search the body's size allows.
    pub(crate) reach: forms::Reach,
}

impl<'f, 'a> Search<'f, 'a> {
    pub(crate) fn new(fields: &'f Fields<'a>, secret: &'f Secret) -> Self {
        let inner = inner_staff_info(fields);
        let other_form = match fields.content.kind() {
            JsonKind::String => fields.content.text.to_string(),
            _ => serde_json::to_string(fields.content.text).unwrap_or_default(),
        };
        let parts = Parts {
            staff: fields.staff_info.text,
            content: &fields.content_text,
            inner_staff: inner.as_deref(),
            content_other_form: other_form,
        };
        let reach = forms::Reach::for_size(parts.staff.len() + parts.content.len());
        let forms = forms::all(&parts, reach);
        Search {
            reach,
            non_ascii: !fields.top.text().is_ascii(),
            base64: false,
            fields,
            secret,
            forms,
            assemblies: assembly::all(&fields.create_time.digits),
            algorithms: vec![
                Algorithm::Sha1,
                Algorithm::HmacSha1,
                Algorithm::Sha256,
                Algorithm::Md5,
            ],
        }
    }

    /// Candidates for a target written in `encoding`.
    pub(crate) fn for_encoding(mut self, encoding: Encoding) -> Self {
        self.base64 = encoding == Encoding::Base64;
        self
    }

    /// Only plain SHA-1 candidates (for comparing strings rather than digests).
    pub(crate) fn strings_only(mut self) -> Self {
        self.algorithms = vec![Algorithm::Sha1];
        self
    }

    /// The first candidate, fewest causes first, that `matches` accepts.
    pub(crate) fn find(&self, mut matches: impl FnMut(&Candidate) -> bool) -> Option<Found> {
        let mut buf = Vec::with_capacity(self.fields.top.text().len() + 64);
        for total in 1..=MAX_CAUSES + 1 {
            for form in &self.forms {
                let f = form.differences.len();
                if f > total {
                    break;
                }
                for assembly in &self.assemblies {
                    let a = f + assembly.causes.len();
                    // Reordered parts only with at most one other change: past that the
                    // orders multiply the search for causes that are rarely combined.
                    let reordered = assembly.causes.contains(&"field_order");
                    let limit = if self.reach == forms::Reach::Full {
                        1
                    } else {
                        0
                    };
                    if a > total || (reordered && f > limit) {
                        continue;
                    }
                    if let Some(found) =
                        self.try_algorithms(form, assembly, total - a, &mut buf, &mut matches)
                    {
                        return Some(found);
                    }
                }
            }
            if total == 1 {
                if let Some(found) = self.whole_body(&mut buf, &mut matches) {
                    return Some(found);
                }
            }
        }
        None
    }

    fn try_algorithms(
        &self,
        form: &Form,
        assembly: &Assembly,
        budget: usize,
        buf: &mut Vec<u8>,
        matches: &mut impl FnMut(&Candidate) -> bool,
    ) -> Option<Found> {
        for &algorithm in &self.algorithms {
            let cost = usize::from(algorithm != Algorithm::Sha1) + usize::from(self.base64);
            if cost == budget {
                let secret = self.assemble(form, assembly, buf);
                if matches(&Candidate {
                    bytes: buf,
                    secret: secret.clone(),
                    algorithm,
                }) {
                    return Some(self.found(form, assembly, algorithm, None, false, buf, secret));
                }
            }
        }
        // Another charset: only for a plain SHA-1 over a string that has non-ASCII text.
        if budget == 1 + usize::from(self.base64)
            && self.non_ascii
            && form.differences.len() <= 1
            && assembly.causes.is_empty()
        {
            let secret = self.assemble(form, assembly, buf);
            let text =
                String::from_utf8_lossy(&buf[..secret.as_ref().map_or(buf.len(), |r| r.start)])
                    .into_owned();
            let encodings = CHARSETS
                .iter()
                .map(|&(name, charset)| (name, encode_like_java(&text, charset)))
                .chain([("latin1 (Node's 'binary')", encode_like_node_binary(&text))]);
            for (name, mut bytes) in encodings {
                let range = bytes.len()..bytes.len() + self.secret.len();
                bytes.extend_from_slice(self.secret.expose());
                if matches(&Candidate {
                    bytes: &bytes,
                    secret: Some(range.clone()),
                    algorithm: Algorithm::Sha1,
                }) {
                    return Some(self.found(
                        form,
                        assembly,
                        Algorithm::Sha1,
                        Some(name),
                        false,
                        &bytes,
                        Some(range),
                    ));
                }
            }
        }
        None
    }

    /// The request body hashed whole, alone or with the secret before or after it.
    fn whole_body(
        &self,
        buf: &mut Vec<u8>,
        matches: &mut impl FnMut(&Candidate) -> bool,
    ) -> Option<Found> {
        let body = self.fields.top.text().as_bytes();
        let secret = self.secret.expose();
        let raw = Form {
            staff: String::new(),
            content: String::new(),
            differences: Vec::new(),
            scope: Scope::Both,
            profiles: Vec::new(),
        };
        for (secret_first, with_secret) in [(false, false), (false, true), (true, true)] {
            buf.clear();
            let mut range = None;
            if with_secret && secret_first {
                buf.extend_from_slice(secret);
                range = Some(0..secret.len());
            }
            buf.extend_from_slice(body);
            if with_secret && !secret_first {
                range = Some(buf.len()..buf.len() + secret.len());
                buf.extend_from_slice(secret);
            }
            if matches(&Candidate {
                bytes: buf,
                secret: range.clone(),
                algorithm: Algorithm::Sha1,
            }) {
                let mut assembly = assembly::all("")[0].clone();
                assembly.with_secret = with_secret;
                if secret_first {
                    assembly.causes = vec!["secret_first"];
                }
                return Some(self.found(&raw, &assembly, Algorithm::Sha1, None, true, buf, range));
            }
        }
        None
    }

    /// Writes the candidate's bytes into `buf`; returns where the secret is.
    fn assemble(
        &self,
        form: &Form,
        assembly: &Assembly,
        buf: &mut Vec<u8>,
    ) -> Option<Range<usize>> {
        buf.clear();
        let mut secret = None;
        let f = self.fields;
        for field in assembly.order {
            match field {
                Field::MsgId => buf.extend_from_slice(f.msg_id.as_bytes()),
                Field::MsgType => buf.extend_from_slice(f.msg_type.as_bytes()),
                Field::StaffInfo => buf.extend_from_slice(form.staff.as_bytes()),
                Field::CreateTime => match &assembly.time {
                    Time::Digits => buf.extend_from_slice(f.create_time.digits.as_bytes()),
                    Time::Quoted => {
                        buf.push(b'"');
                        buf.extend_from_slice(f.create_time.digits.as_bytes());
                        buf.push(b'"');
                    }
                    Time::Float(text) => buf.extend_from_slice(text.as_bytes()),
                },
                Field::Content => buf.extend_from_slice(form.content.as_bytes()),
                Field::Secret if assembly.with_secret => {
                    secret = Some(buf.len()..buf.len() + self.secret.len());
                    buf.extend_from_slice(self.secret.expose());
                }
                Field::Secret => {}
            }
        }
        if assembly.newline {
            buf.push(b'\n');
        }
        secret
    }

    #[allow(clippy::too_many_arguments)]
    fn found(
        &self,
        form: &Form,
        assembly: &Assembly,
        algorithm: Algorithm,
        charset: Option<&'static str>,
        whole_body: bool,
        bytes: &[u8],
        secret: Option<Range<usize>>,
    ) -> Found {
        let mut causes: Vec<&'static str> = form.families().collect();
        causes.extend(assembly.causes.iter().copied());
        if whole_body {
            causes.push("whole_body");
        }
        if charset.is_some() {
            causes.push("charset");
        }
        causes.extend(algorithm_causes(algorithm));
        if self.base64 {
            causes.push("base64_digest");
        }
        let signed = match secret {
            Some(r) => SignedString::from_parts(&[
                Part::Text(&bytes[..r.start]),
                Part::Secret(&bytes[r.clone()]),
                Part::Text(&bytes[r.end..]),
            ])
            .shown_as(self.secret.label()),
            None => SignedString::public(bytes.to_vec()),
        };
        Found {
            form: form.clone(),
            assembly: assembly.clone(),
            charset,
            whole_body,
            signed,
            causes,
        }
    }
}

fn inner_staff_info(fields: &Fields) -> Option<String> {
    let content = fields.content_text.as_bytes();
    let top = TopLevel::parse("content", content).ok()?;
    top.get("staffInfo").map(|f| f.text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The search's size on the corpus's richest body (every trigger a serializer
    /// reacts to): printed for the record, and bounded so that a new choice cannot
    /// silently multiply it.
    #[test]
    fn the_search_is_bounded() {
        let body = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/libraries/autox3/bodies/rich.compact.json"
        ))
        .expect("fixture");
        let top = TopLevel::parse("rich", &body).expect("json");
        let fields = Fields::parse("rich", &top).expect("fields");
        let secret = Secret::new("cbtool-test-only-secret");
        let search = Search::new(&fields, &secret);
        let mut candidates = 0usize;
        assert!(search
            .find(|_| {
                candidates += 1;
                false
            })
            .is_none());
        println!(
            "{} forms, {} assemblies, {candidates} candidates hashed",
            search.forms.len(),
            search.assemblies.len()
        );
        assert!(search.forms.len() < 5_000, "{} forms", search.forms.len());
        assert!(candidates < 200_000, "{candidates} candidates");
    }
}
