//! Schema validation as a receiver check: every callback whose signature holds is also
//! checked against the documented schemas and rules, so that `listen` points out odd
//! payloads (the documents' own `msgType`, a missing field) while still answering them
//! exactly as a receiver that only verifies would.

use super::receiver::MessageCheck;
use crate::schema::{self, Severity};
use crate::vendors::{Message, Vendor};

/// Runs [`schema::validate`] on the body; each finding becomes one warning line.
#[derive(Debug, Default, Clone, Copy)]
pub struct SchemaCheck;

impl MessageCheck for SchemaCheck {
    fn check(&self, vendor: &dyn Vendor, msg: &Message) -> Vec<String> {
        let Ok(text) = std::str::from_utf8(msg.body) else {
            return vec!["schema: not checked, the body is not UTF-8".to_string()];
        };
        match schema::validate(vendor.id(), text) {
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
    use crate::vendors::{autox3::AutoX3, dayu::Dayu};

    #[test]
    fn the_documents_msg_type_is_one_warning_and_a_clean_dayu_event_none() {
        let en = include_bytes!("../../fixtures/autox3/receivebase-create.en.json");
        let found = SchemaCheck.check(&AutoX3, &Message::new("en", en));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("schema [autox3.msg-type] /msgType: "),
            "{found:?}"
        );
        let dayu = include_bytes!("../../fixtures/dayu/events/07-submitted.json");
        assert_eq!(
            SchemaCheck.check(&Dayu, &Message::new("d", dayu)),
            Vec::<String>::new()
        );
        let missing = br#"{"orderId":1}"#;
        let found = SchemaCheck.check(&Dayu, &Message::new("d", missing));
        assert!(
            found.iter().any(|w| w.starts_with("schema error [")),
            "{found:?}"
        );
    }
}
