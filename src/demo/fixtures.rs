//! The bundled callbacks the demo sends, embedded in the binary so that `cbtool demo`
//! works wherever the binary is installed, with no checkout around it.

/// One embedded fixture: its path in the repository (to name it) and its bytes.
#[derive(Debug, Clone, Copy)]
pub struct Fixture {
    pub path: &'static str,
    pub body: &'static [u8],
}

macro_rules! fixture {
    ($path:literal) => {
        Fixture {
            path: concat!("fixtures/", $path),
            body: include_bytes!(concat!("../../fixtures/", $path)),
        }
    };
}

/// AutoX3's document sample: compact, English and Chinese layouts.
pub const AUTOX3_COMPACT: Fixture = fixture!("autox3/receivebase-create.compact.json");
pub const AUTOX3_EN: Fixture = fixture!("autox3/receivebase-create.en.json");
pub const AUTOX3_ZH: Fixture = fixture!("autox3/receivebase-create.zh.json");

/// Dayu order 5577 from creation to acceptance by Dayu, in the order it happens.
pub const DAYU_ORDER: [Fixture; 8] = [
    fixture!("dayu/events/01-created.json"),
    fixture!("dayu/events/02-assigned.json"),
    fixture!("dayu/events/03-accepted.json"),
    fixture!("dayu/events/04-appointment.json"),
    fixture!("dayu/events/05-service-started.json"),
    fixture!("dayu/events/06-service-record.json"),
    fixture!("dayu/events/07-submitted.json"),
    fixture!("dayu/events/08-accepted-by-dayu.json"),
];
