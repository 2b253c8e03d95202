//! The ways of putting the six parts together: the documented order, other orders, the
//! secret first or missing, `createTime` quoted or spelled as a float, a final newline.

use super::numbers;

/// One of the six parts of the signed string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    MsgId,
    MsgType,
    StaffInfo,
    CreateTime,
    Content,
    Secret,
}

impl Field {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Field::MsgId => "msgId",
            Field::MsgType => "msgType",
            Field::StaffInfo => "staffInfo",
            Field::CreateTime => "createTime",
            Field::Content => "content",
            Field::Secret => "appSecret",
        }
    }
}

pub(crate) const CANONICAL_ORDER: [Field; 6] = [
    Field::MsgId,
    Field::MsgType,
    Field::StaffInfo,
    Field::CreateTime,
    Field::Content,
    Field::Secret,
];

/// How `createTime` is spelled in the string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Time {
    Digits,
    Quoted,
    /// Through a double, written by a runtime (`1.616502610117E12`).
    Float(String),
}

/// One way of putting the parts together.
#[derive(Debug, Clone)]
pub(crate) struct Assembly {
    pub(crate) causes: Vec<&'static str>,
    pub(crate) detail: Option<String>,
    pub(crate) order: [Field; 6],
    pub(crate) time: Time,
    pub(crate) newline: bool,
    pub(crate) with_secret: bool,
}

impl Assembly {
    fn base(causes: Vec<&'static str>) -> Assembly {
        Assembly {
            causes,
            detail: None,
            order: CANONICAL_ORDER,
            time: Time::Digits,
            newline: false,
            with_secret: true,
        }
    }
}

/// Every assembly, fewest causes first. `create_time` is the digits.
pub(crate) fn all(create_time: &str) -> Vec<Assembly> {
    let mut out = vec![
        Assembly::base(vec![]),
        Assembly {
            time: Time::Quoted,
            ..Assembly::base(vec!["create_time_string"])
        },
        Assembly {
            newline: true,
            ..Assembly::base(vec!["trailing_newline"])
        },
        Assembly {
            with_secret: false,
            ..Assembly::base(vec!["no_secret"])
        },
    ];
    if let Ok(f) = create_time.parse::<f64>() {
        let spellings = [
            (numbers::java_double(f), "Java's Double.toString"),
            (numbers::go_g(f), "Go's fmt.Sprint of a float64"),
            (numbers::python_float(f), "Python's float"),
        ];
        for (text, who) in spellings {
            if text != create_time {
                out.push(Assembly {
                    detail: Some(format!("`{text}`, as {who} writes it")),
                    time: Time::Float(text),
                    ..Assembly::base(vec!["create_time_float"])
                });
            }
        }
    }
    out.extend(orders());
    out.sort_by_key(|a| a.causes.len());
    out
}

fn orders() -> Vec<Assembly> {
    let mut out = Vec::new();
    for order in permutations(&CANONICAL_ORDER[..5]) {
        for secret_first in [false, true] {
            let reordered = order != CANONICAL_ORDER[..5];
            if !reordered && !secret_first {
                continue;
            }
            let mut causes = Vec::new();
            if reordered {
                causes.push("field_order");
            }
            if secret_first {
                causes.push("secret_first");
            }
            let mut full = Vec::with_capacity(6);
            if secret_first {
                full.push(Field::Secret);
            }
            full.extend(order.iter().copied());
            if !secret_first {
                full.push(Field::Secret);
            }
            let detail = reordered.then(|| {
                let names: Vec<&str> = full.iter().map(|f| f.name()).collect();
                format!("concatenated as {}", names.join(" + "))
            });
            out.push(Assembly {
                detail,
                order: full.try_into().unwrap_or(CANONICAL_ORDER),
                ..Assembly::base(causes)
            });
        }
    }
    out
}

fn permutations(items: &[Field]) -> Vec<Vec<Field>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut out = Vec::new();
    for i in 0..items.len() {
        let mut rest = items.to_vec();
        let first = rest.remove(i);
        for mut tail in permutations(&rest) {
            tail.insert(0, first);
            out.push(tail);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_order_once() {
        assert_eq!(permutations(&CANONICAL_ORDER[..5]).len(), 120);
        // 4 simple, 3 float spellings, 119 other orders and 120 with the secret first.
        assert_eq!(all("1616502610117").len(), 4 + 3 + 239);
    }
}
