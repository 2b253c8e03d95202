//! AutoX3 rules a schema cannot state: which `msgType`s are known (and which content
//! schema applies), millisecond timestamps, and the `<code>_<text>` shape of lightInfo.

use serde_json::Value;

use super::engine::{SchemaDoc, AUTOX3_RECEIVEBASE_CREATE};
use super::findings::Findings;
use super::time::{self, Unit};

/// The documented message type, with its content schema.
pub const RECEIVEBASE_CREATE: &str = "event.autox3.order.receivebase.create";
/// The type the documents' own sample carries on the receivebase.create page.
pub const DETECTION_FINISH: &str = "event.autox3.order.detection.finish";

/// The content schema for a `msgType`, with a finding when the type is odd.
pub fn content_schema(body: &Value, out: &mut Findings) -> Option<&'static SchemaDoc> {
    let msg_type = body.get("msgType").and_then(Value::as_str)?;
    match msg_type {
        RECEIVEBASE_CREATE => Some(&AUTOX3_RECEIVEBASE_CREATE),
        DETECTION_FINISH => {
            out.warning(
                "/msgType",
                "autox3.msg-type",
                format!("msgType is `{DETECTION_FINISH}`, as in the documents' sample, but the documented type of this callback is `{RECEIVEBASE_CREATE}`; the content was checked as {RECEIVEBASE_CREATE}. Dispatch on msgType with care: real callbacks of this kind may carry either"),
            );
            Some(&AUTOX3_RECEIVEBASE_CREATE)
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
pub fn check(body: &Value, out: &mut Findings) {
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
}
