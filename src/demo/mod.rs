//! `cbtool demo`'s scenario: which bundled callbacks are sent, which faults the
//! receiver injects into which of them, and what must come of it. The command runs the
//! real receiver and the real replay engine; this module only says what to send and
//! judges the result ([`check`]), so the expectations are plain data, tested here.

pub(crate) mod check;

use crate::credentials::{CredentialKind, Credentials, Given};
use crate::error::{Error, Result};
use crate::listen::{FaultMode, FaultPlan};
use crate::replay::{Outgoing, Schedule};
use crate::secret::Secret;
use crate::vendors::{self, Fault, Fixture, Fresh, Message, Vendor};

/// What must happen to one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expect {
    /// Acknowledged on this attempt, after the injected faults; processed once.
    Delivered { attempts: u32 },
    /// A repeat of an acknowledged message: acknowledged at once, not processed again.
    Duplicate,
    /// Refused with this status on every attempt, until the sender gives up.
    Rejected { status: u16 },
}

/// One message of the scenario.
#[derive(Debug, Clone)]
pub(crate) struct Planned {
    pub(crate) outgoing: Outgoing,
    /// The faults the receiver answers its first deliveries with.
    pub(crate) faults: Vec<FaultMode>,
    pub(crate) expect: Expect,
}

/// The whole run: the messages in sending order and the retry schedule they get.
#[derive(Debug, Clone)]
pub(crate) struct Scenario {
    pub(crate) planned: Vec<Planned>,
    pub(crate) schedule: Schedule,
}

impl Scenario {
    /// The messages, ready for the replay engine.
    pub(crate) fn messages(&self) -> Vec<Outgoing> {
        self.planned.iter().map(|p| p.outgoing.clone()).collect()
    }

    /// The receiver's faults: each scripted message by its de-duplication key.
    pub(crate) fn fault_plan(&self) -> FaultPlan {
        self.planned
            .iter()
            .filter(|p| !p.faults.is_empty())
            .fold(FaultPlan::none(), |plan, p| {
                plan.with_script(key(&p.outgoing), p.faults.clone())
            })
    }
}

/// How the receiver keys a message (`vendor:id`), for its faults and de-duplication.
pub(crate) fn key(message: &Outgoing) -> String {
    format!("{}:{}", message.vendor, message.id.as_deref().unwrap_or(""))
}

/// Builds the scenario from every vendor's demo steps. `creds` sign (the sender's side);
/// `fresh` gives a step its own identity where several share a document's id.
pub(crate) fn scenario(
    creds: &Credentials,
    schedule: Schedule,
    fresh: &mut dyn FnMut() -> Fresh,
) -> Result<Scenario> {
    let mut planned = Vec::new();
    // Tampered copies go last, after every genuine callback, as a closing check.
    let mut tampered = Vec::new();
    for vendor in vendors::all() {
        for step in vendor.demo() {
            let identity = step.fresh.then(&mut *fresh);
            let mut outgoing = signed(*vendor, step.fixture, creds, identity)?;
            if let Some(change) = step.tamper {
                tampered.push(Planned {
                    outgoing: tamper(outgoing, change)?,
                    faults: Vec::new(),
                    expect: Expect::Rejected { status: 401 },
                });
                continue;
            }
            let faults: Vec<FaultMode> = step.faults.iter().map(|f| fault_mode(*f)).collect();
            let attempts = 1 + u32::try_from(faults.len()).unwrap_or(0);
            if step.again {
                outgoing.lane = Some(format!("demo:{}", outgoing.source));
                let mut again = outgoing.clone();
                again.source = format!("{} (sent again)", outgoing.source);
                planned.push(plan(outgoing, faults, attempts));
                planned.push(Planned {
                    outgoing: again,
                    faults: Vec::new(),
                    expect: Expect::Duplicate,
                });
            } else {
                planned.push(plan(outgoing, faults, attempts));
            }
        }
    }
    planned.extend(tampered);
    Ok(Scenario { planned, schedule })
}

/// Every vendor's credentials, made up for the run: the random secret for each secret,
/// the fresh key pair for each key. The sender signs with the private key; the receiver
/// holds only the public one. Also the line that says what was made.
pub(crate) fn credentials(
    secret: &Secret,
    private: &rsa::RsaPrivateKey,
    bits: usize,
) -> (Credentials, Credentials, String) {
    let (mut sender, mut receiving) = (Credentials::default(), Credentials::default());
    let mut made = Vec::new();
    for vendor in vendors::all() {
        let mut pair = false;
        for spec in vendor.credentials() {
            match spec.kind {
                CredentialKind::Secret => {
                    let secret = secret.clone().labelled(spec.label);
                    made.push(format!(
                        "a random {} secret {}",
                        vendor.name(),
                        secret.placeholder()
                    ));
                    sender = sender.with(spec, Given::Secret(secret.clone()));
                    receiving = receiving.with(spec, Given::Secret(secret));
                }
                CredentialKind::PrivateKey => {
                    sender = sender.with(spec, Given::PrivateKey(Box::new(private.clone())));
                    pair = true;
                }
                CredentialKind::PublicKey => {
                    receiving = receiving.with(spec, Given::PublicKey(private.to_public_key()));
                    pair = true;
                }
            }
        }
        if pair {
            made.push(format!("a fresh {bits}-bit {} key pair", vendor.name()));
        }
    }
    let intro = format!("demo: receiver (cbtool listen) with {}", made.join(" and "));
    (sender, receiving, intro)
}

fn fault_mode(fault: Fault) -> FaultMode {
    match fault {
        Fault::Http500 => FaultMode::Http500,
        Fault::Refused => FaultMode::Status1,
        Fault::BadJson => FaultMode::BadJson,
        Fault::Close => FaultMode::Close,
    }
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
        id: vendor.message_id(&sent),
        lane: vendor
            .sequence_key(top)
            .map(|k| format!("{}:{k}", vendor.id())),
        headers: delivery.headers,
        body: delivery.body,
        ack: vendor.default_ack(),
    })
}

/// A correctly signed message changed in one byte after signing: what a man in the
/// middle (or a proxy re-encoding the body) would deliver.
fn tamper(mut message: Outgoing, (text, offset, byte): (&[u8], usize, u8)) -> Result<Outgoing> {
    let at = find(&message.body, text).ok_or_else(|| {
        Error::new(format!(
            "demo: {} has no {} to tamper with",
            message.source,
            String::from_utf8_lossy(text)
        ))
    })?;
    message.body[at + offset] = byte;
    message.source = format!("{} (tampered after signing)", message.source);
    Ok(message)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests;
