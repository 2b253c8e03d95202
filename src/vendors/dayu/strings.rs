//! The strings a Dayu signer may have signed instead of the rule's, each with the
//! families that make it, and the reverse: given a string (from `--signed-string`, or
//! read out of a NONEwithRSA block), every way it differs from the rule's.
//!
//! The search is a bounded product of independent choices: the orderId value (the
//! right one, orderNum, or a missing value), the step's value (right or missing), the
//! step's spelling, the order of the pairs and a line ending: 7 × 6 × 2 × 2 × 3 = 504
//! strings, plus up to four forms of the whole body.

use super::diagnose::CAUSES;
use super::{canonical, Fields};
use crate::json;
use crate::signed_string::SignedString;

/// How a missing value prints: JavaScript `${undefined}`, Java `+ null`, Python
/// `%s` of None, PHP `.` of null, Go `%v` of a nil interface.
pub(super) const MISSING: [&str; 5] = ["undefined", "null", "None", "", "<nil>"];

const RULE_NAME: &str = "serviceProgessTimeNum";
const ENGLISH_NAME: &str = "serviceProgressTimeNum";

/// A string to try and the families that produce it (none: the rule).
pub(super) struct Candidate {
    pub(crate) causes: Vec<&'static str>,
    pub(crate) bytes: Vec<u8>,
}

/// What the received body offers besides the two signed fields.
pub(super) struct Context<'a> {
    pub(crate) fields: &'a Fields,
    pub(crate) order_num: Option<String>,
    pub(crate) body: &'a [u8],
}

impl Context<'_> {
    /// Every candidate, fewest families first, so the simplest explanation wins.
    pub(super) fn candidates(&self) -> Vec<Candidate> {
        let (id, n) = (self.fields.order_id.as_str(), self.fields.progress.as_str());
        let mut ids = vec![(id.to_string(), None)];
        if let Some(num) = &self.order_num {
            ids.push((num.clone(), Some("order_num")));
        }
        ids.extend(MISSING.map(|m| (m.to_string(), Some("missing_value"))));
        let mut steps = vec![(n.to_string(), None)];
        steps.extend(MISSING.map(|m| (m.to_string(), Some("missing_value"))));
        let names = [(RULE_NAME, None), (ENGLISH_NAME, Some("progress_spelling"))];
        let endings = [
            ("", None),
            ("\n", Some("trailing_newline")),
            ("\r\n", Some("trailing_newline")),
        ];
        let mut out = Vec::with_capacity(ids.len() * steps.len() * 12 + 4);
        for (id, id_cause) in &ids {
            for (step, step_cause) in &steps {
                for (name, name_cause) in names {
                    for swapped in [false, true] {
                        for (ending, ending_cause) in endings {
                            let text = if swapped {
                                format!("{name}={step}&orderId={id}{ending}")
                            } else {
                                format!("orderId={id}&{name}={step}{ending}")
                            };
                            let causes = [
                                *id_cause,
                                *step_cause,
                                name_cause,
                                swapped.then_some("swapped_fields"),
                                ending_cause,
                            ];
                            out.push(Candidate {
                                causes: unique(causes.into_iter().flatten()),
                                bytes: text.into_bytes(),
                            });
                        }
                    }
                }
            }
        }
        out.extend(self.bodies().into_iter().map(|bytes| Candidate {
            causes: vec!["whole_body"],
            bytes,
        }));
        out.sort_by_key(|c| c.causes.len());
        out
    }

    /// The body as received, without or with one final newline, and compacted.
    fn bodies(&self) -> Vec<Vec<u8>> {
        let body = self.body;
        let bare = body.strip_suffix(b"\n").unwrap_or(body);
        let mut forms = vec![body.to_vec(), bare.to_vec(), [bare, b"\n"].concat()];
        if let Ok(text) = std::str::from_utf8(body) {
            forms.push(json::minify(text).into_bytes());
        }
        let mut out: Vec<Vec<u8>> = Vec::new();
        for form in forms {
            if !out.contains(&form) {
                out.push(form);
            }
        }
        out
    }

    /// Every way `theirs` differs from the rule's string: the families found, each with
    /// a sentence, and sentences for differences no family names.
    pub(super) fn differences(&self, theirs: &[u8]) -> Vec<(Option<&'static str>, String)> {
        let mut out = Vec::new();
        if self.bodies().iter().any(|b| b == theirs) {
            out.push((
                Some("whole_body"),
                "it is the whole request body, not the pair `orderId=…&serviceProgessTimeNum=…`"
                    .to_string(),
            ));
            return out;
        }
        let text = String::from_utf8_lossy(theirs);
        let mut s: &str = &text;
        if let Some(rest) = s.strip_suffix("\r\n").or_else(|| s.strip_suffix('\n')) {
            let ending = if s.ends_with("\r\n") {
                "CRLF"
            } else {
                "newline"
            };
            out.push((
                Some("trailing_newline"),
                format!("it ends in a {ending} (echo, print, PHP_EOL or a file's last line); the rule has none"),
            ));
            s = rest;
        }
        if s.trim() != s {
            out.push((
                None,
                "it has spaces or line breaks at its start or end".to_string(),
            ));
            s = s.trim();
        }
        let pairs: Vec<(&str, Option<&str>)> = s
            .split('&')
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (k, Some(v)),
                None => (p, None),
            })
            .collect();
        let find = |names: &[&str]| pairs.iter().position(|(k, _)| names.contains(k));
        let (Some(id_at), Some(step_at)) = (find(&["orderId"]), find(&[RULE_NAME, ENGLISH_NAME]))
        else {
            out.push((
                None,
                format!(
                    "it is not the two pairs `orderId=…&serviceProgessTimeNum=…` joined by `&` (correct: `{}`)",
                    canonical(&self.fields.order_id, &self.fields.progress)
                ),
            ));
            return out;
        };
        if pairs[step_at].0 == ENGLISH_NAME {
            out.push((
                Some("progress_spelling"),
                "it spells the field `serviceProgressTimeNum`; Dayu spells it `serviceProgessTimeNum` (no second r)".to_string(),
            ));
        }
        if step_at < id_at {
            out.push((
                Some("swapped_fields"),
                "its pairs are in the wrong order: orderId comes first".to_string(),
            ));
        }
        let value = |at: usize| pairs[at].1.unwrap_or_default();
        out.extend(self.value_difference("orderId", value(id_at), &self.fields.order_id));
        out.extend(self.value_difference(RULE_NAME, value(step_at), &self.fields.progress));
        let extra: Vec<String> = (0..pairs.len())
            .filter(|&i| i != id_at && i != step_at)
            .map(|i| format!("`{}`", s.split('&').nth(i).unwrap_or_default()))
            .collect();
        if !extra.is_empty() {
            out.push((
                None,
                format!("it has pairs the rule does not sign: {}", extra.join(", ")),
            ));
        }
        out
    }

    /// `verify --signed-string`: every difference named (as a family where one fits),
    /// then the first differing byte.
    pub(super) fn compare(&self, expected: &SignedString, theirs: &[u8]) -> String {
        let bytes = crate::signed_string::compare(expected, theirs);
        let differences = self.differences(theirs);
        if differences.is_empty() {
            return bytes;
        }
        let mut families: Vec<&str> = differences.iter().filter_map(|(f, _)| *f).collect();
        families.sort_by_key(|f| CAUSES.iter().position(|c| c == f));
        let named = match families.is_empty() {
            true => "none of them a known family".to_string(),
            false => format!("families: {}", families.join("+")),
        };
        let list: Vec<String> = differences
            .iter()
            .map(|(f, d)| format!("  - {}{d}", f.map_or(String::new(), |f| format!("{f}: "))))
            .collect();
        format!(
            "{} difference(s) from the correct string ({named}):\n{}\n{bytes}",
            differences.len(),
            list.join("\n")
        )
    }

    fn value_difference(
        &self,
        name: &str,
        theirs: &str,
        want: &str,
    ) -> Option<(Option<&'static str>, String)> {
        if theirs == want {
            return None;
        }
        if MISSING.contains(&theirs) {
            let shown = if theirs.is_empty() { "nothing" } else { theirs };
            return Some((
                Some("missing_value"),
                format!("its {name} value is `{shown}`, a missing value written as text (the body has {want}): the code read a field that is not there"),
            ));
        }
        if name == "orderId" && self.order_num.as_deref() == Some(theirs) {
            return Some((
                Some("order_num"),
                format!("its orderId is the orderNum `{theirs}`; the rule signs the numeric orderId {want}"),
            ));
        }
        if theirs.trim() == want {
            return Some((
                None,
                format!("its {name} value has spaces around it: `{theirs}`"),
            ));
        }
        Some((
            None,
            format!("its {name} value is `{theirs}`; the body has {want}"),
        ))
    }
}

fn unique(causes: impl Iterator<Item = &'static str>) -> Vec<&'static str> {
    let mut out = Vec::new();
    for c in causes {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(body: &[u8]) -> Context<'_> {
        static FIELDS: std::sync::OnceLock<Fields> = std::sync::OnceLock::new();
        let fields = FIELDS.get_or_init(|| Fields {
            order_id: "5577".into(),
            progress: "2".into(),
        });
        Context {
            fields,
            order_num: Some("SP1".into()),
            body,
        }
    }

    fn families(theirs: &str) -> Vec<&'static str> {
        context(b"{}")
            .differences(theirs.as_bytes())
            .into_iter()
            .filter_map(|(f, _)| f)
            .collect()
    }

    #[test]
    fn every_difference_is_named() {
        assert_eq!(
            families("serviceProgressTimeNum=undefined&orderId=SP1\n"),
            [
                "trailing_newline",
                "progress_spelling",
                "swapped_fields",
                "order_num",
                "missing_value"
            ]
        );
        assert_eq!(
            families("orderId=&serviceProgessTimeNum=2"),
            ["missing_value"]
        );
        assert!(families("orderId=5577&serviceProgessTimeNum=2").is_empty());
        assert_eq!(families("{}"), ["whole_body"]);
        let other = context(b"{}").differences(b"{\"orderId\":5577}");
        assert!(other[0].0.is_none() && other[0].1.contains("not the two pairs"));
    }

    #[test]
    fn the_search_is_bounded_and_starts_with_the_rule() {
        // The body, with a final newline added, and compacted.
        let all = context(b"{ \"a\": 1 }").candidates();
        assert_eq!(all.len(), 7 * 6 * 2 * 2 * 3 + 3);
        assert!(all[0].causes.is_empty());
        assert_eq!(all[0].bytes, b"orderId=5577&serviceProgessTimeNum=2");
    }
}
