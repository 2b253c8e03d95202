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
