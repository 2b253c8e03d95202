//! Dayu work-order progress callbacks in the shapes of the document's ten sample events:
//! each step carries the members its sample carries, all alphabetical, times in China
//! time, free text in Chinese as the vendor writes it.

use serde_json::Value;

use crate::sample::people::{Locale, Name};
use crate::sample::time::{china_parts, DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS};
use crate::sample::{compact, sorted, Generator, Sample};

/// A step of a work order, numbered by its `serviceProgessTimeNum` (进程时刻).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    Created = 0,
    Assigned = 1,
    Accepted = 2,
    Appointment = 3,
    ServiceStarted = 5,
    ServiceRecord = 6,
    Submitted = 7,
    AcceptedByDayu = 8,
    Rework = 9,
    Cancelled = 10,
}

impl Step {
    /// Every step, in the document's order.
    pub(crate) const ALL: [Step; 10] = [
        Step::Created,
        Step::Assigned,
        Step::Accepted,
        Step::Appointment,
        Step::ServiceStarted,
        Step::ServiceRecord,
        Step::Submitted,
        Step::AcceptedByDayu,
        Step::Rework,
        Step::Cancelled,
    ];

    pub(crate) fn progress(self) -> i64 {
        self as i64
    }

    /// The order's `status` and `subStatus` after this step, as the document's samples
    /// have them (8 待派单, 1 待接单, 2 未预约, 3 已预约, 4 进行中, 5 已完成, 6 已取消).
    pub(crate) fn status(self) -> (i64, Option<i64>) {
        match self {
            Step::Created => (8, None),
            Step::Assigned => (1, None),
            Step::Accepted => (2, None),
            Step::Appointment => (3, Some(1)),
            Step::ServiceStarted => (4, None),
            Step::ServiceRecord => (4, Some(1)),
            Step::Submitted | Step::Rework => (4, Some(6)),
            Step::AcceptedByDayu => (5, None),
            Step::Cancelled => (6, None),
        }
    }

    /// The step's name in file names, matching `fixtures/dayu/events/`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Step::Created => "created",
            Step::Assigned => "assigned",
            Step::Accepted => "accepted",
            Step::Appointment => "appointment",
            Step::ServiceStarted => "service-started",
            Step::ServiceRecord => "service-record",
            Step::Submitted => "submitted",
            Step::AcceptedByDayu => "accepted-by-dayu",
            Step::Rework => "rework",
            Step::Cancelled => "cancelled",
        }
    }
}

const ADMINS: &[&str] = &["admin", "kefu01", "客服小王", "调度张敏"];
const CREATE_NOTES: &[&str] = &[
    "工单备注的内容",
    "客户要求上午上门",
    "车辆停在地下车库B2层",
    "",
];
const DOOR_NOTES: &[&str] = &["预约备注", "客户下午有空", "请提前电话联系", ""];
const SERVICES: &[&str] = &["安装充电桩", "上门检测", "更换机油机滤", "空调清洗"];
const REWORK_REASONS: &[&str] = &["返工意见", "安装位置与客户要求不符", "缺少现场照片"];
const CANCEL_REASONS: &[&str] = &["取消原因a", "客户取消订单", "重复下单", "客户联系不上"];
/// City centres, in micro-degrees, for where a technician starts the service.
const CITIES: &[(i64, i64)] = &[
    (39_904_200, 116_407_400),
    (31_230_400, 121_473_700),
    (23_129_100, 113_264_400),
    (30_572_800, 104_066_800),
];

/// One work order: who handles it and what was agreed so far.
pub(crate) struct Order {
    pub(crate) id: i64,
    number: String,
    admin: &'static str,
    technician: String,
    door_time_ms: Option<i64>,
}

impl Order {
    /// A new order, created a little after the generator's current time.
    pub(crate) fn new(g: &mut Generator) -> Order {
        let created = g.advance(10 * SECOND_MS, 30 * MINUTE_MS);
        let id = g.rng.range(1000, 999_999);
        let number = format!("SP{}{:06}", compact_time(created), g.rng.range(1, 999));
        let admin = *g.rng.pick(ADMINS);
        Order {
            id,
            number,
            admin,
            technician: Name::draw(&mut g.rng, Locale::Zh).full(Locale::Zh),
            door_time_ms: None,
        }
    }
}

/// Members of the callback (top level) and of its `orderRecord`, before sorting.
type Members = Vec<(&'static str, Value)>;

/// The callback Dayu sends for `step`, after moving the clock to when it happens.
pub(crate) fn event(g: &mut Generator, order: &mut Order, step: Step) -> Sample {
    let at = advance_for(g, order, step);
    let mut top = Members::new();
    let mut record: Members = vec![("createTime", dayu_time(at).into())];
    let (operation, comment) = match step {
        Step::Created | Step::Assigned | Step::Accepted | Step::Appointment | Step::Cancelled => {
            office_step(g, order, step, at, &mut top, &mut record)
        }
        _ => service_step(g, order, step, &mut top, &mut record),
    };
    record.push(("operation", operation.into()));
    record.push(("operationComment", comment.into()));
    record.push(("serviceProgessTimeNum", step.progress().into()));
    // The sender stamps the callback itself a moment after the record (document event 6).
    let sent = at + g.rng.range(0, 1) * SECOND_MS;
    let (status, sub_status) = step.status();
    top.push(("createTime", dayu_time(sent).into()));
    top.push(("orderId", order.id.into()));
    top.push(("orderRecord", sorted(record)));
    top.push(("status", status.into()));
    if let Some(sub) = sub_status {
        top.push(("subStatus", sub.into()));
    }
    Sample {
        name: step.name(),
        body: compact(&sorted(top)),
    }
}

/// `commentInfo` (when the step has one) and `commentName`.
fn note(record: &mut Members, name: &str, info: Option<String>) {
    if let Some(info) = info {
        record.push(("commentInfo", info.into()));
    }
    record.push(("commentName", name.to_string().into()));
}

/// Steps taken at the desk: the operation and its comment, members added in place.
fn office_step(
    g: &mut Generator,
    order: &mut Order,
    step: Step,
    at: i64,
    top: &mut Members,
    record: &mut Members,
) -> (&'static str, String) {
    let (tech, admin) = (order.technician.clone(), order.admin);
    match step {
        Step::Created => {
            note(
                record,
                "工单备注",
                Some(g.rng.pick(CREATE_NOTES).to_string()),
            );
            ("工单创建", format!("{admin} 通过 新建工单 创建了工单"))
        }
        Step::Assigned => ("工单改派", format!("{admin}指定师傅{tech}抢单")),
        Step::Accepted => {
            top.push(("orderNum", order.number.clone().into()));
            ("师傅接单", format!("师傅{tech}  接单"))
        }
        Step::Appointment => {
            let door = appointment_time(g, at);
            order.door_time_ms = Some(door);
            let door = dayu_time(door);
            top.push((
                "confirmDoorComment",
                g.rng.pick(DOOR_NOTES).to_string().into(),
            ));
            top.push(("confirmDoorTime", door.clone().into()));
            note(record, "预约时间及备注", Some(format!("预约时间:{door} ")));
            ("预约确认", format!("师傅{tech}进行客户预约"))
        }
        _ => {
            let reason = g.rng.pick(CANCEL_REASONS).to_string();
            top.push(("cancelOrderReason", reason.clone().into()));
            note(record, "取消原因", Some(reason));
            ("工单取消", format!("{admin} 取消了工单"))
        }
    }
}

/// Steps of the service itself and its acceptance.
fn service_step(
    g: &mut Generator,
    order: &Order,
    step: Step,
    top: &mut Members,
    record: &mut Members,
) -> (&'static str, String) {
    let (tech, admin) = (&order.technician, order.admin);
    match step {
        Step::ServiceStarted => {
            let (lat, lon) = *g.rng.pick(CITIES);
            let jitter = 150_000;
            note(record, "查看位置", None);
            record.push((
                "latitude",
                micro_degrees(lat + g.rng.range(-jitter, jitter)),
            ));
            record.push((
                "longitude",
                micro_degrees(lon + g.rng.range(-jitter, jitter)),
            ));
            ("开始服务", format!("师傅{tech}  开始服务"))
        }
        Step::ServiceRecord => {
            top.push(("orderNum", order.number.clone().into()));
            note(
                record,
                "服务记录",
                Some(g.rng.range(1000, 9999).to_string()),
            );
            let service = g.rng.pick(SERVICES);
            let times = g.rng.range(1, 3);
            ("服务记录", format!("师傅{tech}完成“{service}” {times}次"))
        }
        Step::Submitted => {
            let image = format!(
                "https://dl.kf.ai/test/sp/mobile/ios/business/checkApply/{}.JPG",
                g.rng.hex(32)
            );
            top.push(("esignatureImg", image.into()));
            note(record, "", None);
            ("提交验收", format!("师傅{tech}  提交验收"))
        }
        Step::AcceptedByDayu => {
            record.push(("commentInfo", "".into()));
            ("商家验收", format!("商家{admin} 进行了验收服务"))
        }
        _ => {
            note(record, "", Some(g.rng.pick(REWORK_REASONS).to_string()));
            (
                "重新返工",
                format!("{admin} 将该工单处理为验收不通过,需重新服务"),
            )
        }
    }
}

/// How long after the previous step each step happens, as people work.
fn advance_for(g: &mut Generator, order: &Order, step: Step) -> i64 {
    match (step, order.door_time_ms) {
        // The order was created when `Order::new` ran; its first callback is sent then.
        (Step::Created, _) => g.now_ms(),
        (Step::ServiceStarted, Some(door)) => {
            let start =
                (door + g.rng.range(-15 * MINUTE_MS, 15 * MINUTE_MS)).max(g.now_ms() + MINUTE_MS);
            let wait = start - g.now_ms();
            g.advance(wait, wait)
        }
        (Step::ServiceStarted, None) => g.advance(30 * MINUTE_MS, DAY_MS),
        (Step::ServiceRecord, _) => g.advance(10 * MINUTE_MS, 2 * HOUR_MS),
        (Step::AcceptedByDayu | Step::Rework | Step::Cancelled, _) => {
            g.advance(10 * MINUTE_MS, DAY_MS)
        }
        _ => g.advance(5 * SECOND_MS, 40 * MINUTE_MS),
    }
}

/// A visit on the hour or half hour, between 1 and 48 hours after the call.
fn appointment_time(g: &mut Generator, at: i64) -> i64 {
    let half_hour = 30 * MINUTE_MS;
    let earliest = (at + HOUR_MS).div_euclid(half_hour) * half_hour + half_hour;
    earliest + g.rng.range(0, 94) * half_hour
}

/// A coordinate from whole micro-degrees: the division is exact enough that the printed
/// double is the six-decimal value, on every platform (IEEE 754, shortest round-trip).
fn micro_degrees(micro: i64) -> Value {
    Value::from(micro as f64 / 1_000_000.0)
}

/// `2024-10-11 10:25:24`, as Dayu writes times (China time).
fn dayu_time(ms: i64) -> String {
    let (y, mo, d, h, mi, s) = china_parts(ms);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
}

/// `20241011102524`, as Dayu's order numbers embed the creation time.
fn compact_time(ms: i64) -> String {
    let (y, mo, d, h, mi, s) = china_parts(ms);
    format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_the_documents_dates() {
        // The Dayu document's first event; AutoX3's carProductionDate; a leap day.
        assert_eq!(dayu_time(1_728_613_524_000), "2024-10-11 10:25:24");
        assert_eq!(compact_time(1_728_613_524_000), "20241011102524");
        assert_eq!(dayu_time(1_325_347_200_000), "2012-01-01 00:00:00");
        assert_eq!(
            dayu_time(crate::sample::time::BASE_MS),
            "2024-01-01 00:00:00"
        );
        assert_eq!(dayu_time(951_782_400_000), "2000-02-29 08:00:00");
    }
}
