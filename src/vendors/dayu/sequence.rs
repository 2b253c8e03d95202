//! Whether one Dayu order's callbacks form a legal history. The state machine comes from
//! the document's field table and sample history: creation → assignment → acceptance →
//! appointment → service → records → submission → acceptance, with reassignment before
//! service, rework after submission, and cancellation at any point before the end.

use serde_json::Value;

use super::schema::step_of;
use crate::schema::{time, History, Illegal};

/// Dayu's order histories, as `validate --sequence` checks them.
pub(crate) struct OrderHistory;

impl History for OrderHistory {
    fn what(&self) -> &'static str {
        "one Dayu order's callbacks"
    }

    fn id(&self, first: &Value) -> Option<i64> {
        first.get("orderId").and_then(Value::as_i64)
    }

    fn check(&self, bodies: &[&Value]) -> Result<(), Illegal> {
        let events: Vec<Event> = bodies.iter().map(|b| Event::from_body(b)).collect();
        check(&events)
    }
}

/// What the checker needs from one callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Event {
    pub(crate) order_id: Option<i64>,
    pub(crate) progress: Option<i64>,
    pub(crate) create_time: Option<String>,
}

impl Event {
    pub(crate) fn from_body(body: &Value) -> Event {
        Event {
            order_id: body.get("orderId").and_then(Value::as_i64),
            progress: body
                .pointer("/orderRecord/serviceProgessTimeNum")
                .and_then(Value::as_i64),
            create_time: body
                .get("createTime")
                .and_then(Value::as_str)
                .map(str::to_string),
        }
    }
}

/// The steps that may follow `previous` (`None`: the history's start).
pub(crate) fn allowed_after(previous: Option<i64>) -> &'static [i64] {
    match previous {
        None => &[0],
        Some(0) => &[1, 10],
        Some(1) => &[1, 2, 10],
        Some(2) => &[1, 3, 10],
        Some(3) => &[1, 3, 5, 10],
        Some(5) | Some(6) => &[6, 7, 10],
        Some(7) => &[8, 9, 10],
        Some(9) => &[5, 6, 7, 10],
        // 8 (accepted) and 10 (cancelled) end the order.
        _ => &[],
    }
}

/// Checks the callbacks in delivery order and returns the first illegal step.
pub(crate) fn check(events: &[Event]) -> Result<(), Illegal> {
    let mut previous: Option<&Event> = None;
    for (index, event) in events.iter().enumerate() {
        let illegal = |path, rule, message| Illegal {
            index,
            path,
            rule,
            message,
        };
        let Some(progress) = event.progress else {
            return Err(illegal(
                "/orderRecord/serviceProgessTimeNum",
                "sequence.step",
                "no orderRecord.serviceProgessTimeNum: cannot place this callback in the history"
                    .into(),
            ));
        };
        if let Some(first) = previous {
            if event.order_id != first.order_id {
                return Err(illegal("/orderId", "sequence.order", format!(
                    "orderId {} differs from the previous callback's {}: a history is one order's callbacks",
                    show(event.order_id), show(first.order_id)
                )));
            }
            if let (Some(now), Some(before)) = (&event.create_time, &first.create_time) {
                if let (Ok(n), Ok(b)) = (time::parse_local(now), time::parse_local(before)) {
                    if n < b {
                        return Err(illegal("/createTime", "sequence.time", format!(
                            "createTime {now} is before the previous callback's {before}: callbacks out of order"
                        )));
                    }
                }
            }
        }
        let last = previous.and_then(|p| p.progress);
        if previous.is_some_and(|p| p == event) {
            // The same callback again: a retried delivery, not a new step.
            continue;
        }
        let allowed = allowed_after(last);
        if !allowed.contains(&progress) {
            return Err(illegal(
                "/orderRecord/serviceProgessTimeNum",
                "sequence.step",
                transition_message(last, progress, allowed),
            ));
        }
        previous = Some(event);
    }
    Ok(())
}

fn transition_message(last: Option<i64>, progress: i64, allowed: &[i64]) -> String {
    let name = |p: i64| match step_of(p) {
        Some(s) => format!("{p} {}", s.name),
        None => format!("{p} (undocumented)"),
    };
    let from = match last {
        None => "the start of the history".to_string(),
        Some(p) => format!("serviceProgessTimeNum {}", name(p)),
    };
    let expected = if allowed.is_empty() {
        "nothing: the order has ended".to_string()
    } else {
        allowed
            .iter()
            .map(|p| name(*p))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "serviceProgessTimeNum {} cannot follow {from}; expected {expected}",
        name(progress)
    )
}

fn show(id: Option<i64>) -> String {
    id.map_or("(missing)".to_string(), |i| i.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(steps: &[i64]) -> Vec<Event> {
        steps
            .iter()
            .enumerate()
            .map(|(i, p)| Event {
                order_id: Some(5577),
                progress: Some(*p),
                create_time: Some(format!("2024-10-11 10:{:02}:00", i)),
            })
            .collect()
    }

    #[test]
    fn documented_and_alternative_histories_are_legal() {
        for steps in [
            &[0, 1, 2, 3, 5, 6, 7, 8][..],
            &[0, 1, 1, 2, 3, 3, 5, 6, 6, 7, 9, 6, 7, 8],
            &[0, 10],
            &[0, 1, 2, 3, 5, 7, 9, 5, 7, 10],
            &[0],
        ] {
            assert_eq!(check(&history(steps)), Ok(()), "{steps:?}");
        }
    }

    #[test]
    fn a_retried_delivery_is_not_a_step() {
        let mut h = history(&[0, 1, 2]);
        h.insert(2, h[1].clone());
        assert_eq!(check(&h), Ok(()));
        // The same step with a later time is a second assignment, still legal after 1...
        h[2].create_time = Some("2024-10-11 10:01:30".into());
        assert_eq!(check(&h), Ok(()));
        // ...but a second acceptance is not.
        let mut h = history(&[0, 1, 2, 2]);
        h[3].create_time = Some("2024-10-11 10:05:00".into());
        assert_eq!(check(&h).unwrap_err().index, 3);
    }

    #[test]
    fn reports_the_first_illegal_step() {
        let e = check(&history(&[0, 2, 3])).unwrap_err();
        assert_eq!((e.index, e.rule), (1, "sequence.step"));
        assert!(
            e.message.contains("cannot follow serviceProgessTimeNum 0"),
            "{}",
            e.message
        );
        let e = check(&history(&[1])).unwrap_err();
        assert!(
            e.message.contains("cannot follow the start"),
            "{}",
            e.message
        );
        let e = check(&history(&[0, 1, 2, 3, 5, 7, 8, 9])).unwrap_err();
        assert_eq!(e.index, 7);
        assert!(e.message.contains("the order has ended"), "{}", e.message);
        let e = check(&history(&[0, 10, 1])).unwrap_err();
        assert_eq!(e.index, 2);
    }

    #[test]
    fn other_orders_and_time_travel_are_illegal() {
        let mut h = history(&[0, 1, 2]);
        h[2].order_id = Some(5578);
        assert_eq!(check(&h).unwrap_err().rule, "sequence.order");
        let mut h = history(&[0, 1, 2]);
        h[2].create_time = Some("2024-10-11 09:00:00".into());
        let e = check(&h).unwrap_err();
        assert_eq!((e.index, e.rule), (2, "sequence.time"));
    }
}
