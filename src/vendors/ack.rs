//! When a receiver has acknowledged a callback. Each vendor brings its rule (see
//! `Vendor::default_ack`); `--ack` overrides it with any rule of the registry. What every
//! rule shares lives here: no answer and a redirect never acknowledge.

#[cfg(test)]
pub(crate) use super::answer::excerpt;
use super::answer::{AckRule, Http2xx};

/// What came back from one attempt, before it is judged: the sender's view of an answer
/// ([`super::Reply`] is the answer a receiver makes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// The receiver answered. `body` holds at most the transport's read cap.
    Response {
        status: u16,
        body: Vec<u8>,
        location: Option<String>,
    },
    /// No answer: time-out, refused, reset, TLS failure… in one line.
    Failed(String),
}

/// An acknowledgement rule: one of the registry's, chosen per message.
#[derive(Clone, Copy)]
pub struct Ack(&'static dyn AckRule);

impl Ack {
    /// Any 2xx status, the rule of a vendor that documents no answer.
    pub const HTTP_2XX: Ack = Ack(&Http2xx);

    pub const fn new(rule: &'static dyn AckRule) -> Self {
        Ack(rule)
    }

    pub(crate) fn id(self) -> &'static str {
        self.0.id()
    }

    /// What a receiver must answer for the sender to stop, in words.
    pub(crate) fn needs(self) -> String {
        self.0.needs()
    }

    /// `Ok` when `reply` acknowledges the callback, otherwise why it does not.
    pub(crate) fn judge(self, reply: &Reply) -> Result<(), String> {
        let (status, body, location) = match reply {
            Reply::Failed(why) => return Err(why.clone()),
            Reply::Response {
                status,
                body,
                location,
            } => (*status, body.as_slice(), location),
        };
        if (300..400).contains(&status) {
            let to = location.as_deref().unwrap_or("no Location header");
            return Err(format!(
                "HTTP {status} redirect to {to} (redirects are not followed: give the final URL)"
            ));
        }
        self.0.judge(status, body)
    }
}

/// The rule `--ack` names, among every rule of the registry.
pub(crate) fn by_id(id: &str) -> Option<Ack> {
    crate::vendors::ack_rules()
        .into_iter()
        .find(|a| a.id() == id)
}

/// `--ack`'s choices and their help, in registry order: the rule, then the vendors
/// whose default it is.
pub(crate) fn choices() -> Vec<(&'static str, String)> {
    crate::vendors::ack_rules()
        .into_iter()
        .map(|ack| {
            let names: Vec<&str> = crate::vendors::all()
                .iter()
                .filter(|v| v.default_ack() == ack)
                .map(|v| v.name())
                .collect();
            let help = match names.as_slice() {
                [] => ack.0.summary().to_string(),
                [one] => format!("{} ({one}'s default)", ack.0.summary()),
                many => format!("{} (the default of {})", ack.0.summary(), many.join(", ")),
            };
            (ack.id(), help)
        })
        .collect()
}

impl PartialEq for Ack {
    /// Rules are told apart by id: `--ack` cannot name two with one id.
    fn eq(&self, other: &Self) -> bool {
        self.id() == other.id()
    }
}

impl Eq for Ack {}

impl std::fmt::Debug for Ack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Ack({})", self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str) -> Reply {
        Reply::Response {
            status,
            body: body.as_bytes().to_vec(),
            location: None,
        }
    }

    #[test]
    fn http_2xx_takes_any_success_and_rejects_redirects() {
        assert!(Ack::HTTP_2XX.judge(&response(204, "")).is_ok());
        assert!(Ack::HTTP_2XX.judge(&response(299, "")).is_ok());
        let e = Ack::HTTP_2XX.judge(&response(500, "boom\n")).unwrap_err();
        assert_eq!(e, "HTTP 500: boom␊");
        let redirect = Reply::Response {
            status: 302,
            body: Vec::new(),
            location: Some("https://x/y".into()),
        };
        let e = Ack::HTTP_2XX.judge(&redirect).unwrap_err();
        assert!(e.starts_with("HTTP 302 redirect to https://x/y"), "{e}");
        let e = Ack::HTTP_2XX
            .judge(&Reply::Failed("connection refused".into()))
            .unwrap_err();
        assert_eq!(e, "connection refused");
    }

    #[test]
    fn the_registry_offers_each_rule_once_and_every_vendors_default() {
        let ids: Vec<&str> = crate::vendors::ack_rules().iter().map(|a| a.id()).collect();
        assert_eq!(ids[0], "http-2xx");
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "{ids:?}");
        for vendor in crate::vendors::all() {
            let default = vendor.default_ack();
            assert_eq!(by_id(default.id()), Some(default), "{}", vendor.id());
        }
        assert_eq!(by_id("nope"), None);
        let help: Vec<String> = choices().into_iter().map(|(_, help)| help).collect();
        assert_eq!(help.len(), ids.len());
        assert!(help[0].starts_with("Any 2xx status"), "{help:?}");
    }

    #[test]
    fn excerpts_are_one_line_and_bounded() {
        assert_eq!(excerpt(b"a\nb", 10), "a␊b");
        assert_eq!(excerpt(b"abcdef", 3), "abc…");
        assert_eq!(
            excerpt(br#"{"data":null,"path":"C:\x"}"#, 100),
            r#"{"data":null,"path":"C:\x"}"#
        );
        assert_eq!(excerpt(b"a\x1b[31mb\tc", 100), "a⟨U+001B⟩[31mb␉c");
        assert_eq!(excerpt("a\u{202e}b".as_bytes(), 100), "a⟨U+202E⟩b");
    }
}
