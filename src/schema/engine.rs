//! A vendor's embedded JSON Schema documents and their validation through the
//! `jsonschema` crate (draft 2020-12, no network: the schemas reference nothing outside
//! themselves). Its errors become findings whose messages add the schema's own description.

use jsonschema::Validator;
use serde_json::Value;

use super::findings::{child, Findings};
use super::SchemaDoc;
use crate::error::{Error, Result};

// The type is the `Vendor` trait's vocabulary and lives in the core; compiling and
// checking it is this engine's job.
impl SchemaDoc {
    /// The parsed schema and its validator, built once.
    pub(crate) fn compiled(&self) -> Result<&(Value, Validator)> {
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
        // Most callbacks hold to their schema; the yes-or-no walk stops at nothing and
        // builds no error, so it costs a fraction of collecting them.
        if validator.is_valid(instance) {
            return Ok(());
        }
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
pub(crate) const MAX_VIOLATIONS: usize = 100;

/// The `description` next to the failing keyword, which says what is expected.
fn property_description<'a>(schema: &'a Value, keyword_path: &str) -> Option<&'a str> {
    let parent = &keyword_path[..keyword_path.rfind('/')?];
    schema.pointer(parent)?.get("description")?.as_str()
}

/// Every member of `sample` (recursively) is declared, with a description, in `schema`.
#[cfg(test)]
pub(crate) fn assert_declared(schema: &Value, sample: &Value, at: &str) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A schema written for this test: a required member with an `enum` and a description.
    static PET: SchemaDoc = SchemaDoc::new(
        "test-pet",
        "a pet",
        r#"{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
            "required": ["kind"], "properties": {"kind": {"enum": ["cat", "dog"],
            "description": "cat or dog"}, "age": {"type": "integer", "description": "years"}}}"#,
    );

    #[test]
    fn violations_are_findings_at_their_pointers_with_the_description() {
        let mut out = Findings::default();
        PET.check(&serde_json::json!({"kind": "cow"}), "/pet", &mut out)
            .unwrap();
        PET.check(&serde_json::json!({"age": "old"}), "", &mut out)
            .unwrap();
        let mut found: Vec<_> = out
            .items
            .iter()
            .map(|f| (f.path.as_str(), f.rule.as_str()))
            .collect();
        // The library's order within one check is its own; the checks' order is ours.
        found[1..].sort();
        assert_eq!(
            found,
            [
                ("/pet/kind", "schema.enum"),
                ("/age", "schema.type"),
                ("/kind", "schema.required")
            ]
        );
        assert!(
            out.items[0].message.ends_with("; cat or dog"),
            "{:?}",
            out.items[0]
        );
        assert_eq!(out.schemas, ["test-pet", "test-pet"]);
    }

    #[test]
    fn a_broken_schema_is_an_error_not_a_panic() {
        static BROKEN: SchemaDoc = SchemaDoc::new("test-broken", "broken", "{");
        let mut out = Findings::default();
        let e = BROKEN.check(&Value::Null, "", &mut out).unwrap_err();
        assert!(e.to_string().contains("test-broken is broken"), "{e}");
    }
}
