//! The embedded JSON Schema documents and their validation through the `jsonschema`
//! crate (draft 2020-12, no network: the schemas reference nothing outside themselves).
//! Its errors become findings whose messages add the schema's own description.

use std::sync::OnceLock;

use jsonschema::Validator;
use serde_json::Value;

use super::findings::{child, Findings};
use crate::error::{Error, Result};

/// One schema shipped with cbtool, printable with `cbtool validate --print-schema NAME`.
#[derive(Debug)]
pub struct SchemaDoc {
    pub name: &'static str,
    pub text: &'static str,
    compiled: OnceLock<std::result::Result<(Value, Validator), String>>,
}

impl SchemaDoc {
    const fn new(name: &'static str, text: &'static str) -> Self {
        SchemaDoc {
            name,
            text,
            compiled: OnceLock::new(),
        }
    }

    /// The parsed schema and its validator, built once.
    fn compiled(&self) -> Result<&(Value, Validator)> {
        self.compiled
            .get_or_init(|| {
                let value: Value = serde_json::from_str(self.text).map_err(|e| e.to_string())?;
                let validator = jsonschema::draft202012::new(&value).map_err(|e| e.to_string())?;
                Ok((value, validator))
            })
            .as_ref()
            .map_err(|e| Error::new(format!("the embedded schema {} is broken: {e}", self.name)))
    }

    /// Checks `instance` (found at `base` in the body) and records every violation, up
    /// to [`MAX_VIOLATIONS`]: the schema check of a hostile body then costs what a
    /// hundred violations cost, not a finding (and a line of output) per array item.
    pub fn check(&'static self, instance: &Value, base: &str, out: &mut Findings) -> Result<()> {
        let (schema, validator) = self.compiled()?;
        out.schemas.push(self.name);
        for (n, error) in validator.iter_errors(instance).enumerate() {
            if n == MAX_VIOLATIONS {
                let why = format!(
                    "more than {MAX_VIOLATIONS} violations of the schema {}; the rest are not listed (fix these first)",
                    self.name
                );
                out.error(base, "schema.limit", why);
                break;
            }
            let mut path = format!("{base}{}", error.instance_path().as_str());
            if let jsonschema::error::ValidationErrorKind::Required { property } = error.kind() {
                if let Some(name) = property.as_str() {
                    path = child(&path, name);
                }
            }
            let keyword = error.kind().keyword().to_string();
            let mut message = error.to_string();
            if matches!(keyword.as_str(), "enum" | "pattern" | "maximum" | "minimum") {
                if let Some(description) =
                    property_description(schema, error.schema_path().as_str())
                {
                    message = format!("{message}; {description}");
                }
            }
            out.error(path, &format!("schema.{keyword}"), message);
        }
        Ok(())
    }
}

/// Violations listed per schema and body; one more finding says the list stops there.
pub const MAX_VIOLATIONS: usize = 100;

/// The `description` next to the failing keyword, which says what is expected.
fn property_description<'a>(schema: &'a Value, keyword_path: &str) -> Option<&'a str> {
    let parent = &keyword_path[..keyword_path.rfind('/')?];
    schema.pointer(parent)?.get("description")?.as_str()
}

pub static AUTOX3_ENVELOPE: SchemaDoc = SchemaDoc::new(
    "autox3-envelope",
    include_str!("autox3-envelope.schema.json"),
);
pub static AUTOX3_RECEIVEBASE_CREATE: SchemaDoc = SchemaDoc::new(
    "autox3-receivebase-create",
    include_str!("autox3-receivebase-create.schema.json"),
);
pub static DAYU_ORDER_PROGRESS: SchemaDoc = SchemaDoc::new(
    "dayu-order-progress",
    include_str!("dayu-order-progress.schema.json"),
);

/// Every schema, in the order `--print-schema` lists them.
pub fn all() -> [&'static SchemaDoc; 3] {
    [
        &AUTOX3_ENVELOPE,
        &AUTOX3_RECEIVEBASE_CREATE,
        &DAYU_ORDER_PROGRESS,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_compiles_and_names_its_draft() {
        for doc in all() {
            let (value, _) = doc.compiled().unwrap();
            assert_eq!(
                value["$schema"], "https://json-schema.org/draft/2020-12/schema",
                "{}",
                doc.name
            );
            assert!(value["description"].as_str().unwrap().contains("Required"));
        }
    }

    /// Every member of `sample` (recursively) is declared, with a description, in `schema`.
    fn assert_declared(schema: &Value, sample: &Value, at: &str) {
        match sample {
            Value::Object(members) => {
                for (key, value) in members {
                    let declared = &schema["properties"][key];
                    assert!(
                        declared["description"].is_string(),
                        "{at}/{key} is not declared with a description"
                    );
                    assert_declared(declared, value, &format!("{at}/{key}"));
                }
            }
            Value::Array(items) => {
                for item in items {
                    assert_declared(&schema["items"], item, &format!("{at}/*"));
                }
            }
            _ => {}
        }
    }

    #[test]
    fn every_field_of_the_documents_samples_is_declared() {
        let dayu = &DAYU_ORDER_PROGRESS.compiled().unwrap().0;
        for text in crate::schema::DAYU_SAMPLE_EVENTS {
            assert_declared(dayu, &serde_json::from_str(text).unwrap(), "");
        }
        let envelope = &AUTOX3_ENVELOPE.compiled().unwrap().0;
        let content = &AUTOX3_RECEIVEBASE_CREATE.compiled().unwrap().0;
        for text in [
            include_str!("../../fixtures/autox3/receivebase-create.en.json"),
            include_str!("../../fixtures/autox3/receivebase-create.zh.json"),
        ] {
            let mut sample: Value = serde_json::from_str(text).unwrap();
            let inner = sample["content"].take();
            assert_declared(envelope, &sample, "");
            assert_declared(content, &inner, "/content");
        }
    }

    #[test]
    fn enum_errors_carry_the_documented_meaning() {
        let mut out = Findings::default();
        let body = serde_json::json!({"createTime": "2024-10-11 10:25:24", "orderId": 1,
            "orderRecord": {"createTime": "2024-10-11 10:25:24", "operation": "x",
            "operationComment": "y", "serviceProgessTimeNum": 4}, "status": 7});
        DAYU_ORDER_PROGRESS.check(&body, "", &mut out).unwrap();
        let paths: Vec<_> = out.items.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["/orderRecord/serviceProgessTimeNum", "/status"]);
        assert!(
            out.items[1].message.contains("8.待派单"),
            "{:?}",
            out.items[1]
        );
        assert_eq!(out.items[1].rule, "schema.enum");
    }
}
