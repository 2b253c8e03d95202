//! AutoX3's schemas and the rules a schema cannot state: the envelope schema for every
//! callback, the content schema that the `msgType` selects (with a finding when the type
//! is odd), millisecond timestamps, and the `<code>_<text>` shape of lightInfo.

use serde_json::Value;

use super::RECEIVEBASE_CREATE;
use crate::error::Result;
use crate::schema::time::{self, Unit};
use crate::schema::{Findings, Rules, SchemaDoc};

/// The type the documents' own sample carries on the receivebase.create page.
pub(crate) const DETECTION_FINISH: &str = "event.autox3.order.detection.finish";

pub(crate) static ENVELOPE: SchemaDoc = SchemaDoc::new(
    "autox3-envelope",
    "The members every AutoX3 callback carries: msgId, msgType, createTime, msgSignature, staffInfo, content",
    include_str!("autox3-envelope.schema.json"),
);
pub(crate) static RECEIVEBASE_CREATE_CONTENT: SchemaDoc = SchemaDoc::new(
    "autox3-receivebase-create",
    "The content of event.autox3.order.receivebase.create",
    include_str!("autox3-receivebase-create.schema.json"),
);

/// In the order `--print-schema` lists them.
static SCHEMAS: [&SchemaDoc; 2] = [&ENVELOPE, &RECEIVEBASE_CREATE_CONTENT];

/// AutoX3's schemas and rules, as the validation engine takes them.
pub(crate) struct AutoX3Rules;

impl Rules for AutoX3Rules {
    fn schemas(&self) -> &'static [&'static SchemaDoc] {
        &SCHEMAS
    }

    /// The envelope, then the content schema (after the `msgType` finding that chose it),
    /// then the rules.
    fn check(&self, body: &Value, out: &mut Findings) -> Result<()> {
        ENVELOPE.check(body, "", out)?;
        if let Some(schema) = content_schema(body, out) {
            if let Some(content) = body.get("content").filter(|c| c.is_object()) {
                schema.check(content, "/content", out)?;
            }
        }
        check(body, out);
        Ok(())
    }
}

/// The content schema for a `msgType`, with a finding when the type is odd.
fn content_schema(body: &Value, out: &mut Findings) -> Option<&'static SchemaDoc> {
    let msg_type = body.get("msgType").and_then(Value::as_str)?;
    match msg_type {
        RECEIVEBASE_CREATE => Some(&RECEIVEBASE_CREATE_CONTENT),
        DETECTION_FINISH => {
            out.warning(
                "/msgType",
                "autox3.msg-type",
                format!("msgType is `{DETECTION_FINISH}`, as in the documents' sample, but the documented type of this callback is `{RECEIVEBASE_CREATE}`; the content was checked as {RECEIVEBASE_CREATE}. Dispatch on msgType with care: real callbacks of this kind may carry either"),
            );
            Some(&RECEIVEBASE_CREATE_CONTENT)
        }
        other => {
            out.warning(
                "/msgType",
                "autox3.msg-type",
                format!("msgType `{other}` is not a documented type (known: `{RECEIVEBASE_CREATE}`); its content was not checked against a schema"),
            );
            None
        }
    }
}

/// Applies the rules that do not depend on the content schema.
fn check(body: &Value, out: &mut Findings) {
    if let Some(ms) = body.get("createTime").and_then(Value::as_u64) {
        match time::unit_of(ms) {
            Unit::Milliseconds => {}
            Unit::Seconds => out.error(
                "/createTime",
                "autox3.create-time",
                format!("createTime {ms} has 10 digits: that is seconds; AutoX3 sends milliseconds (13 digits, e.g. {ms}000)"),
            ),
            Unit::Unknown => out.warning(
                "/createTime",
                "autox3.create-time",
                format!("createTime {ms} is not a millisecond timestamp of this era (13 digits, e.g. 1616502610117)"),
            ),
        }
    }
    let date = body
        .pointer("/content/carInfo/carProductionDate")
        .and_then(Value::as_u64);
    if let Some(date) = date.filter(|d| time::unit_of(*d) == Unit::Seconds) {
        out.warning(
            "/content/carInfo/carProductionDate",
            "autox3.production-date",
            format!("carProductionDate {date} has 10 digits: that looks like seconds; the documents give milliseconds (1325347200000)"),
        );
    }
    light_info(body, out);
}

/// `lightInfo` entries are `<code>_<text>`: a numeric fault code, `_`, the fault's name.
fn light_info(body: &Value, out: &mut Findings) {
    let Some(items) = body
        .pointer("/content/preCheckInfo/lightInfo")
        .and_then(Value::as_array)
    else {
        return;
    };
    for (i, item) in items.iter().enumerate() {
        let Some(text) = item.as_str() else { continue };
        let well_formed = text.split_once('_').is_some_and(|(code, name)| {
            !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()) && !name.trim().is_empty()
        });
        if !well_formed {
            out.warning(
                format!("/content/preCheckInfo/lightInfo/{i}"),
                "autox3.light-info",
                format!("lightInfo entry `{text}` is not `<code>_<text>` (e.g. `20_Engine Malfunction`); receivers that split on `_` will misread it"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn found(body: &Value) -> Findings {
        let mut out = Findings::default();
        let schema = content_schema(body, &mut out).map(|s| s.name);
        check(body, &mut out);
        out.schemas = schema.into_iter().collect();
        out
    }

    #[test]
    fn msg_types_choose_the_content_schema() {
        let documented = found(&json!({"msgType": RECEIVEBASE_CREATE}));
        assert_eq!((documented.schemas.len(), documented.items.len()), (1, 0));
        let sample = found(&json!({"msgType": DETECTION_FINISH}));
        assert_eq!(sample.schemas, ["autox3-receivebase-create"]);
        assert!(!sample.has_errors() && sample.has_warnings());
        let other = found(&json!({"msgType": "event.autox3.other"}));
        assert!(other.schemas.is_empty() && !other.has_errors());
        assert!(other.items[0].message.contains("not a documented type"));
    }

    #[test]
    fn timestamps_must_be_milliseconds() {
        let seconds = found(&json!({"createTime": 1616502610}));
        assert!(seconds.items[0].message.contains("that is seconds"));
        assert!(seconds.has_errors());
        let odd = found(&json!({"createTime": 42}));
        assert!(!odd.has_errors() && odd.has_warnings());
        let date = found(&json!({"createTime": 1616502610117_u64,
            "content": {"carInfo": {"carProductionDate": 1325347200}}}));
        assert_eq!(date.items[0].path, "/content/carInfo/carProductionDate");
        assert!(!date.has_errors());
    }

    #[test]
    fn light_info_entries_need_a_code() {
        let body = json!({"content": {"preCheckInfo": {"lightInfo":
            ["20_Engine Malfunction", "16_机油不足", "Open Window", "_x", "3_", "x_1", 7]}}});
        let paths: Vec<_> = found(&body).items.into_iter().map(|f| f.path).collect();
        assert_eq!(
            paths,
            [
                "/content/preCheckInfo/lightInfo/2",
                "/content/preCheckInfo/lightInfo/3",
                "/content/preCheckInfo/lightInfo/4",
                "/content/preCheckInfo/lightInfo/5",
            ]
        );
    }

    #[test]
    fn every_schema_compiles_and_names_its_draft() {
        for doc in AutoX3Rules.schemas() {
            let (value, _) = doc.compiled().unwrap();
            assert_eq!(
                value["$schema"], "https://json-schema.org/draft/2020-12/schema",
                "{}",
                doc.name
            );
            assert!(value["description"].as_str().unwrap().contains("Required"));
        }
    }

    #[test]
    fn every_field_of_the_documents_samples_is_declared() {
        use crate::schema::assert_declared;
        let envelope = &ENVELOPE.compiled().unwrap().0;
        let content = &RECEIVEBASE_CREATE_CONTENT.compiled().unwrap().0;
        for text in [
            include_str!("../../../fixtures/autox3/receivebase-create.en.json"),
            include_str!("../../../fixtures/autox3/receivebase-create.zh.json"),
        ] {
            let mut sample: Value = serde_json::from_str(text).unwrap();
            let inner = sample["content"].take();
            assert_declared(envelope, &sample, "");
            assert_declared(content, &inner, "/content");
        }
    }

    #[test]
    fn the_documents_sample_validates_with_one_warning() {
        let en = include_str!("../../../fixtures/autox3/receivebase-create.en.json");
        let found = crate::schema::validate(&AutoX3Rules, en).unwrap();
        assert!(!found.has_errors(), "{found:?}");
        let rules: Vec<_> = found.warnings().map(|f| f.rule.as_str()).collect();
        assert_eq!(rules, ["autox3.msg-type"]);
        assert_eq!(
            found.schemas,
            ["autox3-envelope", "autox3-receivebase-create"]
        );
    }

    /// The input the stable fuzzer once timed at 14.3 s (19 KB, 9,000 wrong array
    /// items, each finding located from the top of the text): kept in fuzz/regressions.
    #[test]
    fn a_body_breaking_a_rule_per_item_gets_a_bounded_list() {
        use crate::schema::{validate, MAX_FINDINGS, MAX_VIOLATIONS};
        let text =
            include_str!("../../../fuzz/regressions/schema-9000-violations-quadratic-locate.json");
        let found = validate(&AutoX3Rules, text).unwrap();
        let rules: Vec<&str> = found.items.iter().map(|f| f.rule.as_str()).collect();
        // 100 schema violations, the schema's limit, the msgType warning.
        assert_eq!(rules.len(), MAX_VIOLATIONS + 2, "{rules:?}");
        assert_eq!(rules.iter().filter(|r| **r == "schema.type").count(), 100);
        assert!(rules.contains(&"schema.limit"));
        let offset = found.items[99].offset.unwrap();
        assert_eq!(&text[offset..offset + 2], "1,");
        let many = format!(
            "{{\"content\":{{\"preCheckInfo\":{{\"lightInfo\":[{}\"x\"]}}}}}}",
            "\"x\",".repeat(5000)
        );
        let found = validate(&AutoX3Rules, &many).unwrap();
        assert_eq!(found.items.len(), MAX_FINDINGS + 1);
        let last = found.items.last().unwrap();
        assert_eq!(last.rule, "limit");
        assert!(last.message.starts_with("50"), "{}", last.message);
    }
}
