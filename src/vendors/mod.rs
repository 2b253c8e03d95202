//! The vendors cbtool knows, each behind one trait: a third vendor is one new module
//! and one line in [`all`].
//!
//! The files beside the vendors' folders hold the trait's vocabulary (answers and
//! acknowledgement rules, retry schedules, sample plans, schemas and rules): this is the
//! core, and it imports no feature module; the features re-export what they share with it.

pub mod ack;
pub(crate) mod answer;
pub mod autox3;
pub mod dayu;
pub(crate) mod findings;
pub(crate) mod history;
pub(crate) mod rules;
pub(crate) mod sample_kit;
pub(crate) mod sample_rng;
pub(crate) mod sample_time;
pub mod schedule;
pub(crate) mod script;
pub(crate) mod snippets;

use ack::Ack;
pub use answer::{AckRule, Outcome, Reply};
use rules::{Rules, SchemaDoc};
use sample_kit::{Generator, Plan, Sample};
use schedule::Schedule;
pub use script::{DemoStep, Fault, Fixture};
pub(crate) use snippets::Snippet;
use std::cell::OnceCell;
use std::sync::RwLock;

use crate::credentials::{CredentialSpec, Credentials};
use crate::error::{Error, Result};
use crate::json::TopLevel;
use crate::signed_string::SignedString;

/// A callback as received or about to be sent: its body and the headers that matter.
#[derive(Debug, Clone)]
pub struct Message<'a> {
    /// Names the input in messages: a path, `<stdin>`, or `path:line` for JSON Lines.
    pub source: String,
    pub body: &'a [u8],
    pub(crate) headers: Vec<(String, String)>,
    /// The body parsed once: detection, the carried signature and verification all need
    /// it, and parsing dominates the cost of verifying a stream.
    parsed: OnceCell<Result<TopLevel<'a>>>,
    /// The vendor's own reading of the body (its signed fields), made once: its id,
    /// signing and verifying all read the same fields (see [`Message::vendor_fields`]).
    fields: OnceCell<std::sync::Arc<dyn std::any::Any + Send + Sync>>,
}

impl<'a> Message<'a> {
    pub fn new(source: impl Into<String>, body: &'a [u8]) -> Self {
        Message::with_headers(source, body, Vec::new())
    }

    pub fn with_headers(
        source: impl Into<String>,
        body: &'a [u8],
        headers: Vec<(String, String)>,
    ) -> Self {
        Message {
            source: source.into(),
            body,
            headers,
            parsed: OnceCell::new(),
            fields: OnceCell::new(),
        }
    }

    /// A header's value; names compare case-insensitively, as HTTP says.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// What `read` makes of the body, made once per message and kept: a vendor reads its
    /// signed fields with it, so that a message's id, signature and verdict share one
    /// reading. An error is not kept (it is rare, and says where the body is wrong).
    pub fn vendor_fields<T: std::any::Any + Send + Sync>(
        &self,
        read: impl FnOnce() -> Result<T>,
    ) -> Result<&T> {
        if let Some(kept) = self.fields.get().and_then(|f| f.downcast_ref::<T>()) {
            return Ok(kept);
        }
        let value = read()?;
        if self.fields.get().is_some() {
            // Another type is kept already (a vendor would use one): nothing to share.
            return Err(Error::new(format!(
                "{}: the message's fields were read as another type",
                self.source
            )));
        }
        let _ = self.fields.set(std::sync::Arc::new(value));
        self.fields
            .get()
            .and_then(|f| f.downcast_ref::<T>())
            .ok_or_else(|| Error::new(format!("{}: the message's fields are lost", self.source)))
    }

    pub fn top_level(&self) -> Result<&TopLevel<'a>> {
        self.parsed
            .get_or_init(|| TopLevel::parse(&self.source, self.body))
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// Where the signature being checked came from; diagnoses word their advice by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureOrigin {
    /// Carried by the callback itself (body field or header): the sender made it.
    Sender,
    /// Given with `--signature`: the user's own code made it.
    User,
}

/// The signature to check and where it came from.
#[derive(Debug, Clone)]
pub struct Target {
    pub signature: String,
    pub origin: SignatureOrigin,
}

/// The outcome of checking one callback.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub vendor: &'static str,
    pub valid: bool,
    /// msgId for AutoX3, `orderId/serviceProgessTimeNum` for Dayu.
    pub id: Option<String>,
    pub signed_string: SignedString,
    /// The signature that was checked, as received.
    pub received: String,
    /// The signature the message should carry, where the credential can make one.
    pub expected: Option<String>,
    /// Why the check failed, in one sentence.
    pub reason: Option<String>,
    /// Things worth knowing even when the signature matches.
    pub notes: Vec<String>,
}

/// What `--explain` found.
#[derive(Debug, Clone)]
pub struct Diagnosis {
    /// The id of the cause that reproduces the signature, if any.
    pub matched: Option<String>,
    /// One or two sentences: what happened and what to change.
    pub explanation: String,
    /// The signed string that reproduced the signature (secret hidden when shown).
    pub matched_string: Option<SignedString>,
    /// Every cause id that was tried, in order.
    pub tried: Vec<&'static str>,
    /// The library whose output reproduced the signature, when one is known.
    pub library: Option<String>,
    /// The `cbtool snippet` command that prints correct code for the stack at fault.
    pub snippet: Option<String>,
}

/// What `replay` sends for one message: headers (besides `Content-Type`) and the exact
/// body bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// A new identity for a message (`replay --fresh`), so that a receiver that
/// de-duplicates takes it again. Made by the caller: the core reads no clock.
#[derive(Debug, Clone)]
pub struct Fresh {
    pub msg_id: String,
    /// Milliseconds since 1970, UTC.
    pub now_ms: u64,
}

/// One vendor's signing scheme, detection, diagnosis and delivery rules.
pub trait Vendor: Sync {
    /// Lower-case id used on the command line and in JSON: `autox3`, `dayu`.
    fn id(&self) -> &'static str;
    /// The name users know.
    fn name(&self) -> &'static str;
    /// The credentials this vendor signs and verifies with: each becomes flags and a
    /// variable on every command that takes credentials.
    fn credentials(&self) -> &'static [&'static CredentialSpec];
    /// Whether a body's top-level members look like this vendor's callback.
    fn detect(&self, top: &TopLevel) -> bool;
    /// The members [`Vendor::detect`] looks for, for the error when no vendor claims a
    /// body: `msgId/msgSignature`.
    fn detected_by(&self) -> &'static str;
    /// The message's identity for reports and de-duplication.
    fn message_id(&self, msg: &Message) -> Option<String>;
    /// The exact string the signature covers.
    fn signed_string(&self, msg: &Message, creds: &Credentials) -> Result<SignedString>;
    /// The signature alone, as the vendor transmits it.
    fn sign(&self, msg: &Message, creds: &Credentials) -> Result<String>;
    /// The whole signed request, as `sign --embed` prints it.
    fn embed(&self, msg: &Message, creds: &Credentials) -> Result<Vec<u8>>;
    /// The signature a received message carries (body field or header), if any.
    fn carried_signature(&self, msg: &Message) -> Result<Option<String>>;
    /// Where this vendor puts the signature, for the error when there is none.
    fn signature_hint(&self) -> &'static str;
    /// Checks `target` against the message.
    fn verify(&self, msg: &Message, creds: &Credentials, target: &Target) -> Result<Verdict>;
    /// Whether the message verifies (against `signature` if given, else the one it
    /// carries), without building a [`Verdict`]: a stream checks every line with it and
    /// builds the full verdict only for the lines that do not pass, so a vendor whose
    /// check is cheap overrides it to skip the report's allocations. It may say false for
    /// a message that verifies (the full check then says why it is valid after all),
    /// never true for one that does not.
    fn passes(&self, msg: &Message, creds: &Credentials, signature: Option<&str>) -> bool {
        let target = match signature {
            Some(s) => Target {
                signature: s.to_string(),
                origin: SignatureOrigin::User,
            },
            None => match self.carried_signature(msg) {
                Ok(Some(signature)) => Target {
                    signature,
                    origin: SignatureOrigin::Sender,
                },
                _ => return false,
            },
        };
        self.verify(msg, creds, &target).is_ok_and(|v| v.valid)
    }
    /// Searches for the way `target` was made when it does not verify.
    fn diagnose(&self, msg: &Message, creds: &Credentials, target: &Target) -> Result<Diagnosis>;
    /// Every difference between `theirs`, the exact string the user's code signed
    /// (`verify --signed-string`), and the correct one, named by family; `None` when they
    /// are identical or the vendor names none.
    fn explain_signed_string(
        &self,
        _msg: &Message,
        _creds: &Credentials,
        _theirs: &[u8],
        _target: &Target,
    ) -> Option<Diagnosis> {
        None
    }
    /// Compares the string the user's code signed (`verify --signed-string`) with the
    /// correct one; a vendor that can name each difference as a family, or tell whether
    /// `target` covers the user's string, overrides it.
    fn compare_signed_string(
        &self,
        msg: &Message,
        creds: &Credentials,
        target: &Target,
        expected: &SignedString,
        theirs: &[u8],
    ) -> Result<String> {
        let _ = (msg, creds, target);
        Ok(crate::signed_string::compare(expected, theirs))
    }
    /// Whether the credential this vendor verifies with was given and loads.
    fn verifier_ready(&self, creds: &Credentials) -> Result<()>;
    // Answers, acknowledgement and retries: what a receiver says and how the sender
    // reads it (`listen`, `replay`, `listen --forward`).
    /// What a receiver answers for `outcome`, in the form this vendor's sender reads.
    fn response(&self, outcome: &Outcome) -> Reply;
    /// What a receiver answers with a status of its own choosing and the reason in one
    /// line, in this vendor's error form: an injected fault, an app that cannot be
    /// reached, a body that is not JSON when the vendor is known. Never an acknowledgement.
    fn error_answer(&self, status: u16, reason: &str) -> Reply;
    /// How a receiver acknowledges this vendor's callbacks (`replay --ack` overrides it).
    fn default_ack(&self) -> Ack;
    /// The acknowledgement rules this vendor brings, which `replay --ack` offers besides
    /// the generic `http-2xx`.
    fn ack_rules(&self) -> &'static [Ack] {
        &[]
    }
    /// The sender's documented waits between attempts, when the vendor documents them:
    /// `replay` waits them by default (else [`Schedule::default`]), and
    /// `listen --forward` tells when a callback not acknowledged comes again.
    fn documented_retries(&self) -> Option<Schedule> {
        None
    }
    /// The vendor's word for the identity [`Vendor::message_id`] gives, in reports:
    /// `msgId`, `order`.
    fn id_word(&self) -> &'static str;
    /// Messages with the same key are delivered one after another, in order.
    fn sequence_key(&self, top: &TopLevel) -> Option<String>;
    /// Whether `creds` hold what signing this vendor's messages needs.
    fn can_sign(&self, creds: &Credentials) -> bool;
    /// The body with a new identity (`replay --fresh`); it is signed afterwards.
    fn refresh(&self, msg: &Message, fresh: &Fresh) -> Result<Vec<u8>>;
    /// The request as the vendor sends it: signed, the signature over the sent bytes.
    fn signed_delivery(&self, msg: &Message, creds: &Credentials) -> Result<Delivery>;
    /// The receiver code `cbtool snippet` prints for this vendor (none by default).
    fn snippets(&self) -> &'static [Snippet] {
        &[]
    }
    /// The callbacks `cbtool demo` sends for this vendor, and the faults they meet.
    fn demo(&self) -> &'static [DemoStep];
    /// Callbacks a real sender could have produced, compact and unsigned (`cbtool sample`);
    /// sign them with [`Vendor::signed_delivery`] or [`Vendor::embed`]. A vendor whose
    /// callbacks form no history answers [`Plan::Lifecycle`] with an error that says so.
    fn sample(&self, generator: &mut Generator, plan: Plan) -> Result<Vec<Sample>>;
    /// The schemas, the rules a schema cannot state and the history rules its callbacks
    /// follow (`validate`, `listen`'s schema check). The schemas' names must be unique
    /// across vendors: start them with the id.
    fn rules(&self) -> &'static dyn Rules;
}

/// Replaces raw values (byte ranges of `body`) with new text; edits must not overlap.
pub(crate) fn splice(body: &[u8], mut edits: Vec<(std::ops::Range<usize>, String)>) -> Vec<u8> {
    // From the end, so that earlier offsets stay valid.
    edits.sort_by_key(|e| std::cmp::Reverse(e.0.start));
    let mut out = body.to_vec();
    for (range, text) in edits {
        out.splice(range, text.into_bytes());
    }
    out
}

/// The vendors cbtool ships with: the one list of them in the code.
const BUILT_IN: &[&dyn Vendor] = &[&autox3::AutoX3, &dayu::Dayu];

/// The registered vendors. A slice that is replaced, never changed, so that [`all`] can hand
/// out `'static` borrows; registering is rare (a plug-in at start-up, tests) and leaks one
/// small slice each time.
static REGISTRY: RwLock<&'static [&'static dyn Vendor]> = RwLock::new(BUILT_IN);

/// Every vendor, in detection order: the built-in ones, then the registered ones.
pub fn all() -> &'static [&'static dyn Vendor] {
    *REGISTRY.read().unwrap_or_else(|e| e.into_inner())
}

/// Adds a vendor to the registry (after the built-in ones, so it never changes how their
/// callbacks are detected). Its id must be new; registering the same vendor again is a
/// no-op. Call it before parsing a command line: the flags and possible values come from
/// the registry.
pub fn register(vendor: &'static dyn Vendor) -> Result<()> {
    let mut registry = REGISTRY.write().unwrap_or_else(|e| e.into_inner());
    if let Some(known) = registry.iter().find(|v| v.id() == vendor.id()) {
        let same = std::ptr::addr_eq(*known as *const dyn Vendor, vendor as *const dyn Vendor);
        return if same {
            Ok(())
        } else {
            Err(Error::new(format!(
                "a vendor with id {} is already registered",
                vendor.id()
            )))
        };
    }
    // Every credential becomes flags of the same commands: two with one name would make
    // clap refuse the whole command line.
    let taken: Vec<(&str, Option<&str>, &str)> = registry
        .iter()
        .flat_map(|v| v.credentials().iter())
        .map(|c| (c.flag, c.file_flag, c.id))
        .collect();
    for spec in vendor.credentials() {
        let clash = taken.iter().find(|(flag, file, id)| {
            *id == spec.id
                || [Some(*flag), *file].contains(&Some(spec.flag))
                || spec
                    .file_flag
                    .is_some_and(|f| [Some(*flag), *file].contains(&Some(f)))
        });
        if let Some((flag, _, _)) = clash {
            return Err(Error::new(format!(
                "vendor {}: credential --{} clashes with --{flag} of a registered vendor",
                vendor.id(),
                spec.flag
            )));
        }
    }
    let mut next = registry.to_vec();
    next.push(vendor);
    *registry = Vec::leak(next);
    Ok(())
}

/// Every acknowledgement rule `replay --ack` takes: the generic `http-2xx`, then each
/// vendor's own, in registry order.
pub(crate) fn ack_rules() -> Vec<Ack> {
    let mut rules = vec![Ack::HTTP_2XX];
    rules.extend(all().iter().flat_map(|v| v.ack_rules().iter().copied()));
    rules
}

/// The answer to a request no vendor owns (not JSON, no known vendor, too large, not
/// POST): AutoX3's error shape, as the README promises, since it is the only documented
/// one and it never reads as an acknowledgement (`status` 1, never 2xx for Dayu's rule).
pub(crate) fn unowned_answer(status: u16, reason: &str) -> Reply {
    autox3::AutoX3.error_answer(status, reason)
}

/// The vendor named on the command line.
pub fn by_id(id: &str) -> Option<&'static dyn Vendor> {
    all().iter().copied().find(|v| v.id() == id)
}

/// The vendor a body belongs to, from its top-level members.
pub fn detect(source: &str, top: &TopLevel) -> Result<&'static dyn Vendor> {
    all().iter().copied().find(|v| v.detect(top)).ok_or_else(|| {
        let keys: Vec<&str> = top.keys().take(6).collect();
        let members: Vec<String> = all()
            .iter()
            .map(|v| format!("{} ({})", v.detected_by(), v.name()))
            .collect();
        let ids: Vec<&str> = all().iter().map(|v| v.id()).collect();
        Error::new(format!(
            "{source}: cannot tell the vendor: no {} at the top level (found: {}); pass --vendor {}",
            members.join(" or "),
            if keys.is_empty() { "no keys".to_string() } else { keys.join(", ") },
            ids.join("|")
        ))
    })
}

/// The signature to check: `--signature` wins over what the message carries.
pub fn target(
    vendor: &dyn Vendor,
    msg: &Message,
    override_signature: Option<&str>,
) -> Result<Target> {
    let carried = vendor.carried_signature(msg)?;
    if let Some(sig) = override_signature {
        // The callback's own value given again is still the sender's: the advice (and
        // whether a re-encoded copy is suspected) must not change with how it was passed.
        let same = carried.as_deref().map(str::trim) == Some(sig.trim());
        return Ok(Target {
            signature: sig.to_string(),
            origin: if same {
                SignatureOrigin::Sender
            } else {
                SignatureOrigin::User
            },
        });
    }
    match carried {
        Some(signature) => Ok(Target {
            signature,
            origin: SignatureOrigin::Sender,
        }),
        None => Err(Error::new(format!(
            "{}: no signature to check: {}",
            msg.source,
            vendor.signature_hint()
        ))),
    }
}

/// Every vendor's schemas, in the order `validate --print-schema` lists them.
pub(crate) fn schemas() -> impl Iterator<Item = &'static SchemaDoc> {
    all()
        .iter()
        .flat_map(|v| v.rules().schemas().iter().copied())
}
