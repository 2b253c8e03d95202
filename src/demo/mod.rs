//! `cbtool demo`'s scenario: which bundled callbacks are sent, which faults the
//! receiver injects into which of them, and what must come of it. The command runs the
//! real receiver and the real replay engine; this module only says what to send and
//! judges the result ([`check`]), so the expectations are plain data, tested here.

pub mod check;
pub mod fixtures;

use crate::credentials::Credentials;
use crate::error::{Error, Result};
use crate::listen::{FaultMode, FaultPlan};
use crate::replay::{Outgoing, Schedule};
use crate::vendors::{self, Fresh, Message, Vendor};

use fixtures::Fixture;

/// What must happen to one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Acknowledged on this attempt, after the injected faults; processed once.
    Delivered { attempts: u32 },
    /// A repeat of an acknowledged message: acknowledged at once, not processed again.
    Duplicate,
    /// Refused with this status on every attempt, until the sender gives up.
    Rejected { status: u16 },
}

/// One message of the scenario.
#[derive(Debug, Clone)]
pub struct Planned {
    pub outgoing: Outgoing,
    /// The faults the receiver answers its first deliveries with.
    pub faults: Vec<FaultMode>,
    pub expect: Expect,
}

/// The whole run: the messages in sending order and the retry schedule they get.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub planned: Vec<Planned>,
    pub schedule: Schedule,
}

impl Scenario {
    /// The messages, ready for the replay engine.
    pub fn messages(&self) -> Vec<Outgoing> {
        self.planned.iter().map(|p| p.outgoing.clone()).collect()
    }

    /// The receiver's faults: each scripted message by its de-duplication key.
    pub fn fault_plan(&self) -> FaultPlan {
        self.planned
            .iter()
            .filter(|p| !p.faults.is_empty())
            .fold(FaultPlan::none(), |plan, p| {
                plan.with_script(key(&p.outgoing), p.faults.clone())
            })
    }
}

/// How the receiver keys a message (`vendor:id`), for its faults and de-duplication.
pub fn key(message: &Outgoing) -> String {
    format!("{}:{}", message.vendor, message.id.as_deref().unwrap_or(""))
}

/// Builds the scenario. `creds` sign (the sender's side); `fresh` gives each AutoX3
/// sample its own identity, as the three share the documents' msgId.
pub fn scenario(
    creds: &Credentials,
    schedule: Schedule,
    fresh: &mut dyn FnMut() -> Fresh,
) -> Result<Scenario> {
    use FaultMode::{BadJson, Close, Http500, Status1};
    let autox3: &dyn Vendor = &vendors::autox3::AutoX3;
    let mut planned = Vec::new();
    let compact = signed(autox3, fixtures::AUTOX3_COMPACT, creds, Some(fresh()))?;
    planned.push(plan(compact, vec![Http500, Http500], 3));
    let mut en = signed(autox3, fixtures::AUTOX3_EN, creds, Some(fresh()))?;
    en.lane = Some("demo:en".into());
    let mut again = en.clone();
    again.source = format!("{} (sent again)", en.source);
    planned.push(plan(en, vec![Status1, BadJson], 3));
    planned.push(Planned {
        outgoing: again,
        faults: Vec::new(),
        expect: Expect::Duplicate,
    });
    let zh = signed(autox3, fixtures::AUTOX3_ZH, creds, Some(fresh()))?;
    planned.push(plan(zh, vec![Http500], 2));
    for (step, fixture) in fixtures::DAYU_ORDER.iter().enumerate() {
        let message = signed(&vendors::dayu::Dayu, *fixture, creds, None)?;
        let faults = if step == 3 { vec![Close] } else { Vec::new() };
        let attempts = 1 + u32::try_from(faults.len()).unwrap_or(0);
        planned.push(plan(message, faults, attempts));
    }
    planned.push(Planned {
        outgoing: tampered(autox3, creds, fresh())?,
        faults: Vec::new(),
        expect: Expect::Rejected { status: 401 },
    });
    Ok(Scenario { planned, schedule })
}

fn plan(outgoing: Outgoing, faults: Vec<FaultMode>, attempts: u32) -> Planned {
    Planned {
        outgoing,
        faults,
        expect: Expect::Delivered { attempts },
    }
}

/// A fixture signed as the vendor sends it, optionally with a new identity first.
fn signed(
    vendor: &dyn Vendor,
    fixture: Fixture,
    creds: &Credentials,
    fresh: Option<Fresh>,
) -> Result<Outgoing> {
    let original = Message::new(fixture.path, fixture.body);
    let body = match &fresh {
        Some(fresh) => vendor.refresh(&original, fresh)?,
        None => fixture.body.to_vec(),
    };
    let msg = Message::new(fixture.path, &body);
    let delivery = vendor.signed_delivery(&msg, creds)?;
    let sent = Message::new(fixture.path, &delivery.body);
    let top = sent.top_level()?;
    Ok(Outgoing {
        source: fixture.path.to_string(),
        vendor: vendor.id(),
        id: vendor.message_id(top),
        lane: vendor
            .sequence_key(top)
            .map(|k| format!("{}:{k}", vendor.id())),
        headers: delivery.headers,
        body: delivery.body,
        ack: vendor.default_ack(),
    })
}

/// The compact sample, correctly signed, then changed in one byte of its content: what
/// a man in the middle (or a proxy re-encoding the body) would deliver.
fn tampered(vendor: &dyn Vendor, creds: &Credentials, fresh: Fresh) -> Result<Outgoing> {
    let mut message = signed(vendor, fixtures::AUTOX3_COMPACT, creds, Some(fresh))?;
    let at = find(&message.body, b"\"carNum\":\"JING\"")
        .ok_or_else(|| Error::new("demo: the compact sample has no carNum to tamper with"))?;
    // `JING` becomes `JINQ`: still valid JSON, no longer what was signed.
    let last = at + b"\"carNum\":\"JIN".len();
    message.body[last] = b'Q';
    message.source = format!("{} (tampered after signing)", message.source);
    Ok(message)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests;
