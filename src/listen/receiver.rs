//! What the reference receiver does with one callback, independent of HTTP: detect the
//! vendor, verify, inject a fault if asked, de-duplicate, and choose the answer.

use super::faults::{FaultMode, FaultPlan};
use super::store::SeenIds;
use crate::credentials::Credentials;
use crate::vendors::{self, Message, Outcome, Reply, Vendor};

/// An extra check on a callback whose signature held (e.g. schema validation). Its
/// findings are reported as warnings; they never change the answer.
pub trait MessageCheck: Send + Sync {
    fn check(&self, vendor: &dyn Vendor, msg: &Message) -> Vec<String>;
}

/// What to do on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Reply(Reply),
    /// Answer nothing and keep the connection open (the sender should time out).
    Hang,
    /// Close the connection without an answer.
    Close,
}

/// The receiver's decision about one callback, with what the log needs.
#[derive(Debug, Clone)]
pub struct Decision {
    pub vendor: Option<&'static str>,
    pub id: Option<String>,
    pub signature_valid: Option<bool>,
    pub duplicate: bool,
    pub fault: Option<FaultMode>,
    pub warnings: Vec<String>,
    /// Why the callback was not acknowledged, when it was not.
    pub error: Option<String>,
    pub action: Action,
}

impl Decision {
    /// A refusal before any vendor was involved.
    pub(crate) fn generic(status: u16, error: String) -> Decision {
        Decision {
            vendor: None,
            id: None,
            signature_valid: None,
            duplicate: false,
            fault: None,
            warnings: Vec::new(),
            action: Action::Reply(vendors::unowned_answer(status, &error)),
            error: Some(error),
        }
    }

    /// Whether the sender was told the callback was taken.
    pub fn acked(&self) -> bool {
        self.error.is_none() && self.fault.is_none()
    }
}

/// The receiver's configuration and state, shared by every connection.
pub struct Receiver {
    creds: Credentials,
    forced: Option<&'static dyn Vendor>,
    seen: SeenIds,
    faults: FaultPlan,
    checks: Vec<Box<dyn MessageCheck>>,
}

impl Receiver {
    /// Whether handling a request may wait on the disk (an fsync of the `--store`).
    pub(crate) fn writes_to_disk(&self) -> bool {
        self.seen.is_durable()
    }

    pub fn new(
        creds: Credentials,
        forced: Option<&'static dyn Vendor>,
        seen: SeenIds,
        faults: FaultPlan,
    ) -> Self {
        Receiver {
            creds,
            forced,
            seen,
            faults,
            checks: Vec::new(),
        }
    }

    /// Adds a check whose findings are reported as warnings.
    pub fn with_check(mut self, check: Box<dyn MessageCheck>) -> Self {
        self.checks.push(check);
        self
    }

    pub fn credentials(&self) -> &Credentials {
        &self.creds
    }

    /// Decides the answer to a POSTed body with its request headers.
    pub fn handle(&self, headers: &[(String, String)], body: &[u8]) -> Decision {
        let msg = Message::with_headers("request", body, headers.to_vec());
        let top = match msg.top_level() {
            Ok(top) => top,
            Err(e) => return self.not_json(&format!("the body is not JSON: {e}")),
        };
        let vendor = match self.forced {
            Some(v) => v,
            None => match vendors::detect(&msg.source, top) {
                Ok(v) => v,
                Err(e) => return Decision::generic(400, e.to_string()),
            },
        };
        // The action and error are placeholders, set from the outcome below.
        let mut decision = Decision {
            vendor: Some(vendor.id()),
            id: vendor.message_id(&msg),
            signature_valid: None,
            duplicate: false,
            fault: None,
            warnings: Vec::new(),
            error: None,
            action: Action::Close,
        };
        let outcome = self.judge(vendor, &msg, &mut decision);
        decision.action = Action::Reply(vendor.response(&outcome));
        if let Some(mode) = decision.fault {
            decision.action = fault_action(vendor, mode);
        }
        decision.error = match outcome {
            Outcome::Processed | Outcome::Duplicate => None,
            Outcome::BadSignature(why)
            | Outcome::BadMessage(why)
            | Outcome::Refused(why)
            | Outcome::ReceiverError(why) => Some(why),
        };
        decision
    }

    /// The refusal of a body that is not JSON: in the error form of the vendor `--vendor`
    /// names, when it names one, since that says whose sender is reading the answer.
    fn not_json(&self, why: &str) -> Decision {
        let mut refused = Decision::generic(400, why.to_string());
        if let Some(vendor) = self.forced {
            refused.action = Action::Reply(vendor.error_answer(400, why));
        }
        refused
    }

    /// Verifies, applies faults and de-duplicates, filling in what it learns.
    fn judge(&self, vendor: &dyn Vendor, msg: &Message, decision: &mut Decision) -> Outcome {
        if let Err(e) = vendor.verifier_ready(&self.creds) {
            return Outcome::ReceiverError(format!(
                "this receiver cannot check {} callbacks: {e}",
                vendor.name()
            ));
        }
        let target = match vendor.carried_signature(msg) {
            Ok(Some(signature)) => vendors::Target {
                signature,
                origin: vendors::SignatureOrigin::Sender,
            },
            Ok(None) => {
                decision.signature_valid = Some(false);
                return Outcome::BadSignature(format!(
                    "no signature: {}",
                    no_signature_hint(vendor)
                ));
            }
            Err(e) => return Outcome::BadMessage(e.to_string()),
        };
        let verdict = match vendor.verify(msg, &self.creds, &target) {
            Ok(v) => v,
            Err(e) => return Outcome::BadMessage(e.to_string()),
        };
        decision.signature_valid = Some(verdict.valid);
        if !verdict.valid {
            // `reason` describes the received signature only; `expected` stays here.
            let why = verdict.reason.unwrap_or_else(|| "bad signature".into());
            return Outcome::BadSignature(why);
        }
        decision.warnings = verdict.notes;
        for check in &self.checks {
            decision.warnings.extend(check.check(vendor, msg));
        }
        let Some(id) = decision.id.clone().or(verdict.id) else {
            return Outcome::BadMessage("the callback has no id to de-duplicate by".into());
        };
        decision.id = Some(id.clone());
        let key = format!("{}:{id}", vendor.id());
        if let Some(mode) = self.faults.decide(&key) {
            decision.fault = Some(mode);
            return Outcome::Refused(format!("injected fault ({})", mode.id()));
        }
        match self.seen.claim(&key) {
            Ok(true) => Outcome::Processed,
            Ok(false) => {
                decision.duplicate = true;
                Outcome::Duplicate
            }
            Err(e) => Outcome::ReceiverError(format!("cannot record the id: {e}")),
        }
    }
}

fn no_signature_hint(vendor: &dyn Vendor) -> String {
    let hint = vendor.signature_hint();
    // The hint ends with advice for the command line, which a sender cannot follow.
    let hint = hint.split("; pass").next().unwrap_or(hint);
    format!("{} callback without its signature ({hint})", vendor.name())
}

fn fault_action(vendor: &dyn Vendor, mode: FaultMode) -> Action {
    let reason = format!("injected fault ({})", mode.id());
    match mode {
        FaultMode::Http500 => Action::Reply(vendor.error_answer(500, &reason)),
        FaultMode::Status1 => Action::Reply(vendor.response(&Outcome::Refused(reason))),
        FaultMode::Timeout => Action::Hang,
        FaultMode::Close => Action::Close,
        FaultMode::BadJson => {
            // The vendor's acknowledgement cut short: a JSON value loses its closing
            // bracket or quote, so what reads as acceptance at a glance does not parse.
            let mut body = vendor.response(&Outcome::Processed).body;
            body.pop();
            Action::Reply(Reply { status: 200, body })
        }
    }
}
