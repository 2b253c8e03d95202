//! Dayu's schema and the rules a schema cannot state: which `status` (and `subStatus`)
//! each progress step goes with, as the document's sample history shows them, and
//! calendar-valid times.

use serde_json::Value;

use super::sequence::OrderHistory;
use crate::error::Result;
use crate::schema::time::{self, TimeError};
use crate::schema::{Findings, History, Rules, SchemaDoc};

pub(crate) static ORDER_PROGRESS: SchemaDoc = SchemaDoc::new(
    "dayu-order-progress",
    "Dayu's work-order progress callback",
    include_str!("dayu-order-progress.schema.json"),
);

/// In the order `--print-schema` lists them.
static SCHEMAS: [&SchemaDoc; 1] = [&ORDER_PROGRESS];

/// Dayu's schema, rules and order histories, as the validation engine takes them.
pub(crate) struct DayuRules;

impl Rules for DayuRules {
    fn schemas(&self) -> &'static [&'static SchemaDoc] {
        &SCHEMAS
    }

    fn check(&self, body: &Value, out: &mut Findings) -> Result<()> {
        ORDER_PROGRESS.check(body, "", out)?;
        check(body, out);
        Ok(())
    }

    fn history(&self) -> Option<&'static dyn History> {
        Some(&OrderHistory)
    }
}

/// The ten sample events of the Dayu document, for the schema and rule tests.
#[cfg(test)]
pub(crate) const SAMPLE_EVENTS: [&str; 10] = [
    include_str!("../../../fixtures/dayu/events/01-created.json"),
    include_str!("../../../fixtures/dayu/events/02-assigned.json"),
    include_str!("../../../fixtures/dayu/events/03-accepted.json"),
    include_str!("../../../fixtures/dayu/events/04-appointment.json"),
    include_str!("../../../fixtures/dayu/events/05-service-started.json"),
    include_str!("../../../fixtures/dayu/events/06-service-record.json"),
    include_str!("../../../fixtures/dayu/events/07-submitted.json"),
    include_str!("../../../fixtures/dayu/events/08-accepted-by-dayu.json"),
    include_str!("../../../fixtures/dayu/events/09-rework.json"),
    include_str!("../../../fixtures/dayu/events/10-cancelled.json"),
];

/// What a progress step (`serviceProgessTimeNum`) means and the status it leaves the
/// order in, read from the document's field table and its ten samples.
pub(crate) struct Step {
    pub(crate) progress: i64,
    /// The field table's words for it.
    pub(crate) name: &'static str,
    pub(crate) status: i64,
}

/// The documented steps. There is no 4.
pub(crate) const STEPS: [Step; 10] = [
    step(0, "创建 (created)", 8),
    step(1, "指派/改派 (assigned or reassigned)", 1),
    step(2, "师傅接单 (technician accepted)", 2),
    step(3, "预约确认 (appointment confirmed)", 3),
    step(5, "开始服务 (service started)", 4),
    step(6, "服务记录 (service record)", 4),
    step(7, "提交验收 (submitted for acceptance)", 4),
    step(8, "大鱼验收 (accepted)", 5),
    step(9, "重新服务 (rework)", 4),
    step(10, "取消 (cancelled)", 6),
];

const fn step(progress: i64, name: &'static str, status: i64) -> Step {
    Step {
        progress,
        name,
        status,
    }
}

/// The step a progress number names, if it is documented.
pub(crate) fn step_of(progress: i64) -> Option<&'static Step> {
    STEPS.iter().find(|s| s.progress == progress)
}

/// The field table's words for a status.
pub(crate) fn status_name(status: i64) -> &'static str {
    match status {
        8 => "8 待派单 (awaiting dispatch)",
        1 => "1 待接单 (awaiting acceptance)",
        2 => "2 未预约 (not yet appointed)",
        3 => "3 已预约 (appointed)",
        4 => "4 进行中 (in progress)",
        5 => "5 已完成 (completed)",
        6 => "6 已取消 (cancelled)",
        _ => "an undocumented status",
    }
}

/// Applies every Dayu rule to a body already checked against the schema.
fn check(body: &Value, out: &mut Findings) {
    spelling(body, out);
    pairing(body, out);
    times(body, out);
}

/// `serviceProgressTimeNum` (English spelling) is the commonest mistake: the vendor
/// writes `Progess`, and the signature covers that name.
fn spelling(body: &Value, out: &mut Findings) {
    if body
        .pointer("/orderRecord/serviceProgressTimeNum")
        .is_some()
    {
        out.error(
            "/orderRecord/serviceProgressTimeNum",
            "dayu.spelling",
            "Dayu spells it `serviceProgessTimeNum` (no `r` in Progess); the signed string uses that name",
        );
    }
}

fn pairing(body: &Value, out: &mut Findings) {
    let progress = body
        .pointer("/orderRecord/serviceProgessTimeNum")
        .and_then(Value::as_i64);
    let status = body.get("status").and_then(Value::as_i64);
    let sub_status = body.get("subStatus").and_then(Value::as_i64);
    let Some(step) = progress.and_then(step_of) else {
        return;
    };
    // An undocumented status is the schema's `enum` finding already.
    let documented = |s: &i64| STEPS.iter().any(|step| step.status == *s);
    if let Some(status) = status.filter(|s| *s != step.status && documented(s)) {
        out.error(
            "/status",
            "dayu.progress-status",
            format!(
                "status is {} but serviceProgessTimeNum {} {} leaves the order in status {} (as the document's sample history shows)",
                status_name(status), step.progress, step.name, status_name(step.status)
            ),
        );
    }
    if step.progress == 7 && sub_status != Some(6) {
        let found = sub_status.map_or("missing".to_string(), |s| s.to_string());
        out.error(
            "/subStatus",
            "dayu.sub-status",
            format!("subStatus is {found} but serviceProgessTimeNum 7 提交验收 (submitted for acceptance) comes with subStatus 6 (已提交验收申请)"),
        );
    }
    if sub_status == Some(6) && status.is_some_and(|s| s != 4) {
        out.warning(
            "/subStatus",
            "dayu.sub-status",
            "subStatus 6 means 'submitted for acceptance' only with status 4 (进行中); with another status it has no documented meaning",
        );
    }
}

fn times(body: &Value, out: &mut Findings) {
    for path in ["/createTime", "/orderRecord/createTime", "/confirmDoorTime"] {
        if let Some(text) = body.pointer(path).and_then(Value::as_str) {
            // A wrong shape is the schema's `pattern` finding already.
            if let Err(why @ (TimeError::Date | TimeError::Clock)) = time::parse_local(text) {
                out.error(
                    path,
                    "dayu.time",
                    format!("`{text}` {why}; Dayu writes `yyyy-MM-dd HH:mm:ss`"),
                );
            }
        }
    }
    let sent = body.get("createTime").and_then(Value::as_str);
    let recorded = body
        .pointer("/orderRecord/createTime")
        .and_then(Value::as_str);
    if let (Some(sent), Some(recorded)) = (sent, recorded) {
        if let (Ok(s), Ok(r)) = (time::parse_local(sent), time::parse_local(recorded)) {
            if r > s {
                out.warning(
                    "/orderRecord/createTime",
                    "dayu.record-after-callback",
                    format!(
                        "the record's time {recorded} is after the callback's createTime {sent}"
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rules(body: &Value) -> Vec<(String, String)> {
        let mut out = Findings::default();
        check(body, &mut out);
        out.items.into_iter().map(|f| (f.rule, f.path)).collect()
    }

    #[test]
    fn the_ten_samples_follow_every_rule() {
        for text in SAMPLE_EVENTS {
            let body: Value = serde_json::from_str(text).unwrap();
            assert_eq!(rules(&body), [], "{text}");
        }
    }

    #[test]
    fn every_step_pairs_with_one_status() {
        for step in &STEPS {
            let mut ok = json!({"status": step.status,
                "orderRecord": {"serviceProgessTimeNum": step.progress}});
            if step.progress == 7 {
                ok["subStatus"] = json!(6);
            }
            assert_eq!(rules(&ok), [], "{}", step.progress);
            let wrong = if step.status == 4 { 5 } else { 4 };
            let bad =
                json!({"status": wrong, "orderRecord": {"serviceProgessTimeNum": step.progress}});
            let found = rules(&bad);
            assert!(
                found.contains(&("dayu.progress-status".into(), "/status".into())),
                "{found:?}"
            );
        }
    }

    #[test]
    fn sub_status_6_outside_status_4_is_a_warning() {
        let body =
            json!({"status": 3, "subStatus": 6, "orderRecord": {"serviceProgessTimeNum": 3}});
        let mut out = Findings::default();
        check(&body, &mut out);
        assert!(!out.has_errors());
        assert_eq!(out.warnings().count(), 1);
    }

    #[test]
    fn the_schema_declares_every_field_of_the_documents_samples() {
        let (schema, _) = ORDER_PROGRESS.compiled().unwrap();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert!(schema["description"].as_str().unwrap().contains("Required"));
        for text in SAMPLE_EVENTS {
            crate::schema::assert_declared(schema, &serde_json::from_str(text).unwrap(), "");
            let found = crate::schema::validate(&DayuRules, text).unwrap();
            assert_eq!(found.items, [], "{text}");
        }
    }

    #[test]
    fn enum_errors_carry_the_documented_meaning() {
        let mut out = Findings::default();
        let body = json!({"createTime": "2024-10-11 10:25:24", "orderId": 1,
            "orderRecord": {"createTime": "2024-10-11 10:25:24", "operation": "x",
            "operationComment": "y", "serviceProgessTimeNum": 4}, "status": 7});
        ORDER_PROGRESS.check(&body, "", &mut out).unwrap();
        let paths: Vec<_> = out.items.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["/orderRecord/serviceProgessTimeNum", "/status"]);
        assert!(
            out.items[1].message.contains("8.待派单"),
            "{:?}",
            out.items[1]
        );
        assert_eq!(out.items[1].rule, "schema.enum");
    }

    #[test]
    fn findings_point_into_the_text() {
        let text = "{\"orderId\": 1, \"status\": 5,\n \"createTime\": \"2024-10-11 10:25:24\",\n \"orderRecord\": {\"createTime\": \"2024-10-11 10:25:24\", \"operation\": \"x\", \"operationComment\": \"y\", \"serviceProgessTimeNum\": 10}}";
        let found = crate::schema::validate(&DayuRules, text).unwrap();
        let f = &found.items[0];
        assert_eq!(
            (f.rule.as_str(), f.path.as_str()),
            ("dayu.progress-status", "/status")
        );
        assert_eq!(&text[f.offset.unwrap()..][..1], "5");
        assert!(crate::schema::validate(&DayuRules, "{").is_err());
    }
}
