//! Validation of callback bodies: the documented JSON Schemas (embedded, draft 2020-12,
//! checked by the `jsonschema` crate) plus the rules a schema cannot state, and the Dayu
//! order-history checker. No I/O here: `cbtool validate` is the glue, and `listen` and
//! `sample` can call [`validate`] on bodies they hold.

mod autox3;
mod dayu;
mod engine;
mod findings;
pub mod locate;
pub mod sequence;
mod time;

use serde_json::Value;

pub use engine::{all as schemas, SchemaDoc};
pub use findings::{Finding, Findings, Severity};

use crate::error::{Error, Result};

/// The schema printed by `--print-schema NAME`.
pub fn schema_text(name: &str) -> Option<&'static str> {
    schemas()
        .into_iter()
        .find(|s| s.name == name)
        .map(|s| s.text)
}

/// Checks one body of the vendor `vendor_id` (`autox3`, `dayu`). Errors only when the
/// text is not JSON or the vendor is unknown; everything else is a finding. Each
/// finding's `offset` is set to where its path points in `text`.
pub fn validate(vendor_id: &str, text: &str) -> Result<Findings> {
    let body: Value =
        serde_json::from_str(text).map_err(|e| Error::new(format!("not valid JSON: {e}")))?;
    let mut out = Findings::default();
    match vendor_id {
        "autox3" => {
            engine::AUTOX3_ENVELOPE.check(&body, "", &mut out)?;
            if let Some(schema) = autox3::content_schema(&body, &mut out) {
                if let Some(content) = body.get("content").filter(|c| c.is_object()) {
                    schema.check(content, "/content", &mut out)?;
                }
            }
            autox3::check(&body, &mut out);
        }
        "dayu" => {
            engine::DAYU_ORDER_PROGRESS.check(&body, "", &mut out)?;
            dayu::check(&body, &mut out);
        }
        other => return Err(Error::new(format!("no schema for the vendor `{other}`"))),
    }
    limit(&mut out);
    let mut locator = locate::Locator::new(text);
    for finding in &mut out.items {
        finding.offset = locator.offset(&finding.path);
    }
    Ok(out)
}

/// Findings kept per body. A hostile body can break a rule once per array item
/// (200,000 `lightInfo` entries in 800 KB); every finding kept costs a position and a
/// line of output, so the list stops here, with a finding that says so.
pub const MAX_FINDINGS: usize = 200;

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

/// What the order-history checker needs from a body, for vendors whose callbacks form
/// per-order histories (Dayu); `None` for the others or for text that is not JSON.
pub fn history_event(vendor_id: &str, text: &str) -> Option<sequence::Event> {
    if vendor_id != "dayu" {
        return None;
    }
    let body: Value = serde_json::from_str(text).ok()?;
    Some(sequence::Event::from_body(&body))
}

/// The ten sample events of the Dayu document, for the schema and rule tests.
#[cfg(test)]
pub(crate) const DAYU_SAMPLE_EVENTS: [&str; 10] = [
    include_str!("../../fixtures/dayu/events/01-created.json"),
    include_str!("../../fixtures/dayu/events/02-assigned.json"),
    include_str!("../../fixtures/dayu/events/03-accepted.json"),
    include_str!("../../fixtures/dayu/events/04-appointment.json"),
    include_str!("../../fixtures/dayu/events/05-service-started.json"),
    include_str!("../../fixtures/dayu/events/06-service-record.json"),
    include_str!("../../fixtures/dayu/events/07-submitted.json"),
    include_str!("../../fixtures/dayu/events/08-accepted-by-dayu.json"),
    include_str!("../../fixtures/dayu/events/09-rework.json"),
    include_str!("../../fixtures/dayu/events/10-cancelled.json"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documents_samples_validate() {
        let en = include_str!("../../fixtures/autox3/receivebase-create.en.json");
        let found = validate("autox3", en).unwrap();
        assert!(!found.has_errors(), "{found:?}");
        let rules: Vec<_> = found.warnings().map(|f| f.rule.as_str()).collect();
        assert_eq!(rules, ["autox3.msg-type"]);
        assert_eq!(
            found.schemas,
            ["autox3-envelope", "autox3-receivebase-create"]
        );
        let dayu = include_str!("../../fixtures/dayu/events/07-submitted.json");
        assert_eq!(validate("dayu", dayu).unwrap().items, []);
    }

    /// The input the stable fuzzer once timed at 14.3 s (19 KB, 9,000 wrong array
    /// items, each finding located from the top of the text): kept in fuzz/regressions.
    #[test]
    fn a_body_breaking_a_rule_per_item_gets_a_bounded_list() {
        let text =
            include_str!("../../fuzz/regressions/schema-9000-violations-quadratic-locate.json");
        let found = validate("autox3", text).unwrap();
        let rules: Vec<&str> = found.items.iter().map(|f| f.rule.as_str()).collect();
        // 100 schema violations, the schema's limit, the msgType warning.
        assert_eq!(rules.len(), engine::MAX_VIOLATIONS + 2, "{rules:?}");
        assert_eq!(rules.iter().filter(|r| **r == "schema.type").count(), 100);
        assert!(rules.contains(&"schema.limit"));
        let offset = found.items[99].offset.unwrap();
        assert_eq!(&text[offset..offset + 2], "1,");
        let many = format!(
            "{{\"content\":{{\"preCheckInfo\":{{\"lightInfo\":[{}\"x\"]}}}}}}",
            "\"x\",".repeat(5000)
        );
        let found = validate("autox3", &many).unwrap();
        assert_eq!(found.items.len(), MAX_FINDINGS + 1);
        let last = found.items.last().unwrap();
        assert_eq!(last.rule, "limit");
        assert!(last.message.starts_with("50"), "{}", last.message);
    }

    #[test]
    fn findings_point_into_the_text() {
        let text = "{\"orderId\": 1, \"status\": 5,\n \"createTime\": \"2024-10-11 10:25:24\",\n \"orderRecord\": {\"createTime\": \"2024-10-11 10:25:24\", \"operation\": \"x\", \"operationComment\": \"y\", \"serviceProgessTimeNum\": 10}}";
        let found = validate("dayu", text).unwrap();
        let f = &found.items[0];
        assert_eq!(
            (f.rule.as_str(), f.path.as_str()),
            ("dayu.progress-status", "/status")
        );
        assert_eq!(&text[f.offset.unwrap()..][..1], "5");
        assert!(validate("dayu", "{").is_err());
        assert!(validate("nobody", "{}").is_err());
    }
}
