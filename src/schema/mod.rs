//! Validation of callback bodies for any vendor: the JSON Schemas a vendor ships
//! (embedded, draft 2020-12, checked by the `jsonschema` crate), the rules a schema cannot
//! state, and the order-history check. Each vendor states all three in its own folder and
//! hands them over as [`Rules`] (`Vendor::rules`); this engine bounds the findings and
//! places them in the text. No I/O here: `cbtool validate` is the glue, and `listen` and
//! `sample` can check bodies they hold.

mod engine;
pub(crate) mod locate;
pub(crate) mod time;

use serde_json::Value;

#[cfg(test)]
pub(crate) use engine::assert_declared;
#[cfg(test)]
pub(crate) use engine::MAX_VIOLATIONS;

// What `Vendor::rules` returns and what its signatures need are the trait's vocabulary,
// so they live in the core; these keep their old paths.
use crate::vendors::findings;
pub use crate::vendors::findings::{Finding, Findings, Severity};
pub(crate) use crate::vendors::history::{History, Illegal};
pub use crate::vendors::rules::{Rules, SchemaDoc};

use crate::error::{Error, Result};

/// Checks one body's text against `rules`. Errors only when the text is not JSON or a
/// schema is broken; everything else is a finding, its `offset` set to where its path
/// points in `text`.
pub fn validate(rules: &dyn Rules, text: &str) -> Result<Findings> {
    let body = parse(text)?;
    let mut found = check(rules, &body)?;
    locate_all(&mut found, text);
    Ok(found)
}

/// The body as the schemas read it.
pub(crate) fn parse(text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| Error::new(format!("not valid JSON: {e}")))
}

/// The findings for a body parsed already, bounded, without positions: `listen` names
/// no position, so it skips [`locate_all`] and its walk of the text.
pub(crate) fn check(rules: &dyn Rules, body: &Value) -> Result<Findings> {
    let mut out = Findings::default();
    rules.check(body, &mut out)?;
    limit(&mut out);
    Ok(out)
}

/// Sets each finding's `offset` to where its path points in `text`, the body's text.
pub(crate) fn locate_all(found: &mut Findings, text: &str) {
    if found.items.is_empty() {
        return;
    }
    let mut locator = locate::Locator::new(text);
    for finding in &mut found.items {
        finding.offset = locator.offset(&finding.path);
    }
}

/// Findings kept per body. A hostile body can break a rule once per array item
/// (200,000 `lightInfo` entries in 800 KB); every finding kept costs a position and a
/// line of output, so the list stops here, with a finding that says so.
pub(crate) const MAX_FINDINGS: usize = 200;

fn limit(out: &mut Findings) {
    let total = out.items.len();
    if total > MAX_FINDINGS {
        // The verdict stays what the whole list says: an error only if there was one.
        let errors = out.has_errors();
        out.items.truncate(MAX_FINDINGS);
        let why =
            format!("{total} findings; only the first {MAX_FINDINGS} are listed (fix these first)");
        if errors {
            out.error("", "limit", why);
        } else {
            out.warning("", "limit", why);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rules written for this test: one warning per array item, and a broken body check.
    struct PerItem;

    impl Rules for PerItem {
        fn schemas(&self) -> &'static [&'static SchemaDoc] {
            &[]
        }

        fn check(&self, body: &Value, out: &mut Findings) -> Result<()> {
            let items = body.as_array().ok_or_else(|| Error::new("not an array"))?;
            for (i, _) in items.iter().enumerate() {
                out.warning(format!("/{i}"), "test.item", "an item");
            }
            Ok(())
        }
    }

    #[test]
    fn findings_are_bounded_and_keep_their_verdict() {
        let text = format!("[{}0]", "0,".repeat(MAX_FINDINGS + 49));
        let found = validate(&PerItem, &text).unwrap();
        assert_eq!(found.items.len(), MAX_FINDINGS + 1);
        let last = found.items.last().unwrap();
        assert_eq!(
            (last.rule.as_str(), last.severity),
            ("limit", Severity::Warning)
        );
        assert!(last.message.starts_with("250 findings"), "{}", last.message);
        assert!(!found.has_errors());
    }

    #[test]
    fn findings_point_into_the_text_and_errors_pass_through() {
        let text = "[1,\n 22]";
        let found = validate(&PerItem, text).unwrap();
        assert_eq!(&text[found.items[1].offset.unwrap()..][..2], "22");
        let unlocated = check(&PerItem, &parse(text).unwrap()).unwrap();
        assert_eq!(unlocated.items[1].offset, None);
        assert!(validate(&PerItem, "[")
            .unwrap_err()
            .to_string()
            .starts_with("not valid JSON"));
        assert!(validate(&PerItem, "{}").is_err());
    }
}
