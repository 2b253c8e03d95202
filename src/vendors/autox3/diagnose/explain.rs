//! Turns what the search found (or did not find) into the diagnosis a user reads: the
//! causes, each with an example from their own body, the library when one is known, one
//! fix per distinct remedy, and the receiver snippet for their stack.

use super::compare::{self, Difference};
use super::forms::{Reach, Scope};
use super::profiles::Stack;
use super::search::{Encoding, Found};
use super::tree;
use super::wording::{self, describe, join};
use super::writer::{self, Style};
use crate::secret::Secret;
use crate::signed_string::SignedString;
use crate::vendors::autox3::Fields;
use crate::vendors::{Diagnosis, SignatureOrigin};

/// A diagnosis with no library, snippet or reproduced string.
pub(crate) fn diagnosis(
    tried: Vec<&'static str>,
    matched: Option<String>,
    explanation: String,
) -> Diagnosis {
    Diagnosis {
        matched,
        explanation,
        matched_string: None,
        tried,
        library: None,
        snippet: None,
    }
}

pub(crate) fn unmatched(tried: Vec<&'static str>, explanation: String) -> Diagnosis {
    diagnosis(tried, None, explanation)
}

pub(crate) fn valid(
    tried: Vec<&'static str>,
    encoding: Encoding,
    canonical: SignedString,
) -> Diagnosis {
    let (matched, explanation) = match encoding {
        // Valid by the rule (hex compares case-insensitively): no cause, but the advice,
        // since a receiver comparing strings would reject it.
        Encoding::Hex { lower: true } => (
            None,
            "The signature matches the documented rule; nothing to change in the string (the note on hex case says what a receiver must do)".to_string(),
        ),
        Encoding::Base64 => (
            Some("base64_digest".to_string()),
            "The digest is right but base64-encoded; AutoX3 sends it as 40 hex digits. Encode the SHA-1 digest as hex.".to_string(),
        ),
        Encoding::Hex { lower: false } => (None, "The signature matches the documented rule; nothing to change.".to_string()),
    };
    Diagnosis {
        matched_string: Some(canonical),
        ..diagnosis(tried, matched, explanation)
    }
}

pub(crate) fn matched(
    tried: Vec<&'static str>,
    origin: SignatureOrigin,
    fields: &Fields,
    found: &Found,
) -> Diagnosis {
    if origin == SignatureOrigin::Sender {
        if let Some(d) = re_encoded(&tried, fields, found) {
            return d;
        }
    }
    let who = match origin {
        SignatureOrigin::User => "Your signature",
        SignatureOrigin::Sender => "The sender's signature",
    };
    let what = what_happened(found);
    let fixes = wording::fixes(&found.causes);
    let stack = stack_of(found);
    let mut advice = match origin {
        SignatureOrigin::User => format!("To match the sender: {}.", fixes.join("; ")),
        SignatureOrigin::Sender => format!(
            "The documented rule does not do this: tell the sender ({}), or do the same on your side to accept its callbacks.",
            fixes.join("; ")
        ),
    };
    let snippet = stack
        .and_then(Stack::snippet_id)
        .map(|id| crate::vendors::snippets::command_for(id, "autox3"));
    if let Some(stack) = stack {
        advice.push(' ');
        advice.push_str(stack.fix());
    }
    if let Some(cmd) = &snippet {
        advice.push_str(&format!(" `{cmd}` prints a receiver that does it right."));
    }
    Diagnosis {
        matched_string: Some(found.signed.clone()),
        library: found.form.profile().map(|p| p.id.to_string()),
        snippet,
        ..diagnosis(
            tried,
            Some(found.causes.join("+")),
            format!("{who} was computed {what}. {advice}"),
        )
    }
}

/// "over staffInfo and content as Gson wrote them …: 114 became 114.0 and …".
fn what_happened(found: &Found) -> String {
    let scope = match found.form.scope {
        Scope::Both => "",
        Scope::StaffOnly => "staffInfo only",
        Scope::ContentOnly => "content only",
    };
    let examples: Vec<String> = found
        .form
        .differences
        .iter()
        .filter(|d| !d.example.is_empty())
        .map(|d| d.example.clone())
        .collect();
    let mut phrases: Vec<String> = Vec::new();
    if let Some(profile) = found.form.profile() {
        let shown = if examples.is_empty() {
            String::new()
        } else {
            format!(" ({})", join(&examples))
        };
        phrases.push(format!(
            "over a re-serialized staffInfo and content: {}{shown}",
            profile.what
        ));
    } else {
        for d in &found.form.differences {
            // One parenthesis for the example and the scope: "(x became y; content only)".
            let notes: Vec<&str> = [d.example.as_str(), scope]
                .into_iter()
                .filter(|n| !n.is_empty())
                .collect();
            let notes = if notes.is_empty() {
                String::new()
            } else {
                format!(" ({})", notes.join("; "))
            };
            phrases.push(format!("{}{notes}", describe(d.family).0));
        }
    }
    // The assembly's detail belongs to its first cause: "createTime … (`1.6E12`, as …)".
    for (i, cause) in found.assembly.causes.iter().enumerate() {
        match (&found.assembly.detail, i) {
            (Some(detail), 0) => phrases.push(format!("{} ({detail})", describe(cause).0)),
            _ => phrases.push(describe(cause).0.to_string()),
        }
    }
    if found.whole_body {
        phrases.push(describe("whole_body").0.to_string());
    }
    if let Some(charset) = found.charset {
        phrases.push(format!("the string encoded as {charset} instead of UTF-8"));
    }
    for cause in found
        .causes
        .iter()
        .filter(|c| matches!(**c, "hmac_sha1" | "sha256" | "md5" | "base64_digest"))
    {
        phrases.push(describe(cause).0.to_string());
    }
    let ids: Vec<String> = found
        .form
        .profiles
        .iter()
        .map(|p| p.id.to_string())
        .collect();
    match (found.form.profile(), ids.len()) {
        (Some(_), _) => join(&phrases),
        (None, 0 | 1) => format!("with {}", join(&phrases)),
        (None, _) => format!(
            "with {}, as several libraries write it ({})",
            join(&phrases),
            join(&ids)
        ),
    }
}

/// The stack whose code most likely did this: the profile's, or the one a family implies.
fn stack_of(found: &Found) -> Option<Stack> {
    if let Some(p) = found.form.profile() {
        return Some(p.stack);
    }
    let stacks: Vec<Stack> = found.form.profiles.iter().map(|p| p.stack).collect();
    if let Some(&first) = stacks.first() {
        // Several libraries write this: a stack only when they all belong to one, and
        // the bytes show one of their own habits.
        let telling = found
            .form
            .profiles
            .iter()
            .any(|p| found.form.families().any(|f| p.telling.contains(&f)));
        return (telling && stacks.iter().all(|&s| s == first)).then_some(first);
    }
    let has = |f: &str| found.causes.contains(&f);
    if has("python_default") || has("python_separators") {
        Some(Stack::Python)
    } else if has("java_doubles") {
        Some(Stack::Java)
    } else if has("part_newline") {
        Some(Stack::Go)
    } else if has("empty_object_as_array") {
        Some(Stack::Php)
    } else {
        None
    }
}

/// What the body's own encoder did, compared with a plain compact writer: empty when the
/// body is written the way a sender's serializer writes (compact, minimal escapes).
fn body_habits(fields: &Fields) -> Vec<Difference> {
    let text = fields.top.text();
    let Some(node) = tree::parse(text) else {
        return Vec::new();
    };
    let plain = writer::write(&node, &Style::PLAIN);
    compare::differences(&plain, text).unwrap_or_default()
}

/// A sender's signature that verifies over the parts as a plain serializer writes them,
/// in a body that shows that very re-encoding: the body is a copy (a logger's, a proxy's),
/// not what the sender sent.
fn re_encoded(tried: &[&'static str], fields: &Fields, found: &Found) -> Option<Diagnosis> {
    const UNDOABLE: &[&str] = &[
        "compact_json",
        "unicode_escapes",
        "escaped_slashes",
        "html_escape",
        "python_default",
        "python_separators",
        "pretty_printed",
        "control_escapes",
    ];
    let families: Vec<&str> = found.form.families().collect();
    if families.is_empty()
        || !found.assembly.causes.is_empty()
        || found.causes.len() != families.len()
    {
        return None;
    }
    let habits = body_habits(fields);
    let shows = |f: &str| {
        habits.iter().any(|h| {
            h.family == f
                || (f == "compact_json"
                    && matches!(
                        h.family,
                        "pretty_printed" | "python_separators" | "python_default"
                    ))
                || (f == "unicode_escapes" && h.family == "python_default")
        })
    };
    if !families.iter().all(|f| UNDOABLE.contains(f) && shows(f)) {
        return None;
    }
    let habit_words: Vec<String> = habits
        .iter()
        .map(|h| describe(h.family).0.to_string())
        .collect();
    let explanation = format!(
        "This body is not the one the sender signed: it is a re-encoding of it ({}), as a request logger, a proxy or a JSON viewer writes. The sender's signature verifies over staffInfo and content as they were before that. Check the raw bytes as received (before any parsing or logging); the sender is not at fault.",
        join(&habit_words)
    );
    Some(Diagnosis {
        matched_string: Some(found.signed.clone()),
        ..diagnosis(tried.to_vec(), Some("re_encoded_body".into()), explanation)
    })
}

/// Nothing reproduced the signature: say what is known, then what remains. A different
/// appSecret is not put first: nothing in the bytes can show it, and leading with it sends
/// users after a secret that is usually right.
pub(crate) fn fallback(
    tried: Vec<&'static str>,
    fields: &Fields,
    secret: &Secret,
    digest: &[u8],
    reach: Reach,
) -> Diagnosis {
    let form = match digest.len() {
        20 => "a SHA-1 digest (20 bytes), as the rule makes",
        32 => "a SHA-256 digest (32 bytes), not the SHA-1 the rule makes",
        16 => "an MD5 digest (16 bytes), not the SHA-1 the rule makes",
        n => return unmatched(tried, format!("No known variation reproduces this signature: it decodes to {n} bytes, which is no digest cbtool knows (SHA-1 gives 20). Check that the whole value was read.")),
    };
    let searched = match reach {
        Reach::Full => "every family listed under `tried`, alone and combined",
        Reach::Libraries => "every family listed under `tried`, with the named libraries' serializers only (the body is large, so not every combination of choices)",
        Reach::RawOnly => "the body's own text in every assembly listed under `tried` (the body is too large to re-serialize)",
    };
    let habits = body_habits(fields);
    let mut remaining = Vec::new();
    if !habits.is_empty() {
        let words: Vec<String> = habits
            .iter()
            .map(|h| describe(h.family).0.to_string())
            .collect();
        remaining.push(format!("this body may be a re-encoded copy of the one that was signed (it has {}): check the raw bytes as received", join(&words)));
    }
    remaining.push("a change no family names, in the body after it was signed (a proxy or gateway rewriting it) or in how the string is built: `--signed-string FILE` with the exact bytes your code hashes names every difference".into());
    remaining.push(format!(
        "a different appSecret (the one given is {} bytes; check the environment it came from and for stray whitespace)",
        secret.len()
    ));
    let ranked: Vec<String> = remaining
        .iter()
        .enumerate()
        .map(|(i, r)| format!("{}. {r}", i + 1))
        .collect();
    unmatched(
        tried,
        format!(
            "No known variation reproduces this signature. What is known: it is {form}; cbtool tried {searched}. What remains: {}.",
            ranked.join("; ")
        ),
    )
}
