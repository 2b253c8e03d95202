//! Schema validation as a receiver check: every callback whose signature holds is also
//! checked against the documented schemas and rules, so that `listen` points out odd
//! payloads (the documents' own `msgType`, a missing field) while still answering them
//! exactly as a receiver that only verifies would.

use super::receiver::MessageCheck;
use crate::schema::{self, Severity};
use crate::vendors::{Message, Vendor};

/// Runs the vendor's schemas and rules ([`schema::check`]) on the body the receiver has
/// parsed already; each finding becomes one warning line. No finding names a position, so
/// none is located.
#[derive(Debug, Default, Clone, Copy)]
pub struct SchemaCheck;

impl MessageCheck for SchemaCheck {
    fn check(&self, vendor: &dyn Vendor, msg: &Message) -> Vec<String> {
        // Verification parsed the message already; its text is known to be UTF-8 JSON.
        let checked = msg
            .top_level()
            .and_then(|top| schema::parse(top.text()))
            .and_then(|body| schema::check(vendor.rules(), &body));
        match checked {
            Ok(found) => found
                .items
                .iter()
                .map(|f| {
                    let kind = match f.severity {
                        Severity::Error => "schema error",
                        Severity::Warning => "schema",
                    };
                    let path = if f.path.is_empty() { "/" } else { &f.path };
                    format!("{kind} [{}] {path}: {}", f.rule, f.message)
                })
                .collect(),
            Err(e) => vec![format!("schema: not checked: {e}")],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::{Generator, Plan};

    /// Every vendor with schemas: one line per finding `validate` makes of the same body,
    /// in its order, in the log's form; a body that is not JSON is one line saying so.
    #[test]
    fn each_finding_of_the_vendors_rules_is_one_warning_line() {
        let vendors = crate::vendors::all()
            .iter()
            .filter(|v| !v.rules().schemas().is_empty());
        for vendor in vendors {
            let mut generator = Generator::new(5);
            let sample = vendor.sample(&mut generator, Plan::One).unwrap().remove(0);
            for body in [&sample.body[..], b"{}", br#"{"x": [1, {"y": null}]}"#] {
                let lines = SchemaCheck.check(*vendor, &Message::new("b", body));
                let text = std::str::from_utf8(body).unwrap();
                let found = schema::validate(vendor.rules(), text).unwrap();
                assert_eq!(lines.len(), found.items.len(), "{lines:?}");
                for (line, f) in lines.iter().zip(&found.items) {
                    let kind = match f.severity {
                        Severity::Error => "schema error",
                        Severity::Warning => "schema",
                    };
                    let path = if f.path.is_empty() { "/" } else { &f.path };
                    assert!(line.starts_with(&format!("{kind} [{}] {path}: ", f.rule)));
                    assert!(line.ends_with(&f.message), "{line}");
                }
            }
            let empty = SchemaCheck.check(*vendor, &Message::new("empty", b"{}"));
            assert!(empty.iter().any(|l| l.starts_with("schema error [")));
            let broken = SchemaCheck.check(*vendor, &Message::new("broken", b"{"));
            assert_eq!(broken.len(), 1);
            assert!(broken[0].starts_with("schema: not checked: "), "{broken:?}");
        }
    }
}
