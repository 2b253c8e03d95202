//! Dayu rules a schema cannot state: which `status` (and `subStatus`) each progress
//! step goes with, as the document's sample history shows them, and calendar-valid times.

use serde_json::Value;

use super::findings::Findings;
use super::time::{self, TimeError};

/// What a progress step (`serviceProgessTimeNum`) means and the status it leaves the
/// order in, read from the document's field table and its ten samples.
pub struct Step {
    pub progress: i64,
    /// The field table's words for it.
    pub name: &'static str,
    pub status: i64,
}

/// The documented steps. There is no 4.
pub const STEPS: [Step; 10] = [
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
pub fn step_of(progress: i64) -> Option<&'static Step> {
    STEPS.iter().find(|s| s.progress == progress)
}

/// The field table's words for a status.
pub fn status_name(status: i64) -> &'static str {
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
pub fn check(body: &Value, out: &mut Findings) {
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
        for text in crate::schema::DAYU_SAMPLE_EVENTS {
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
}
