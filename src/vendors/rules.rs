//! What a vendor states about its bodies (`Vendor::rules`): the JSON Schemas it ships,
//! the rules a schema cannot state, and the history its callbacks follow. The trait's
//! vocabulary, so it lives in the core; compiling and checking a schema is the schema
//! engine's job (the `schema` module), which fills each document's cache.

use std::sync::OnceLock;

use jsonschema::Validator;
use serde_json::Value;

use super::findings::Findings;
use super::history::History;
use crate::error::Result;

/// What one vendor's bodies must look like; implemented in the vendor's folder.
pub trait Rules: Sync {
    /// The JSON Schemas the vendor ships, in the order `validate --print-schema` lists
    /// them.
    fn schemas(&self) -> &'static [&'static SchemaDoc];
    /// Checks one parsed body: each schema that fits it, at the member it describes
    /// ([`SchemaDoc::check`]), and the rules a schema cannot state, in the order they are
    /// to be reported. Errs only when an embedded schema is broken.
    fn check(&self, body: &Value, out: &mut Findings) -> Result<()>;
    /// The rules a sequence of callbacks follows (`validate --sequence`), for a vendor
    /// whose callbacks form per-order histories.
    fn history(&self) -> Option<&'static dyn History> {
        None
    }
}

/// One schema a vendor ships, printable with `cbtool validate --print-schema NAME`.
#[derive(Debug)]
pub struct SchemaDoc {
    /// Unique across vendors (it starts with the vendor's id): `--print-schema` takes it.
    pub(crate) name: &'static str,
    /// One line for `--help`: what the schema describes.
    pub(crate) summary: &'static str,
    pub(crate) text: &'static str,
    /// Filled by the schema engine on first use: the parsed schema and its validator.
    pub(crate) compiled: OnceLock<std::result::Result<(Value, Validator), String>>,
}

impl SchemaDoc {
    /// A schema from its embedded text (`include_str!`), compiled on first use.
    pub const fn new(name: &'static str, summary: &'static str, text: &'static str) -> Self {
        SchemaDoc {
            name,
            summary,
            text,
            compiled: OnceLock::new(),
        }
    }
}
