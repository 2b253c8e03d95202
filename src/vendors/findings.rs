//! What validation found: errors and warnings, each tied to a JSON Pointer and a rule
//! id, so that reports, tests and other commands (`listen`, `sample`) share one shape.

use serde::Serialize;

/// How much a finding matters: errors make a callback invalid; warnings only with `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One thing wrong (or odd) with a callback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    #[serde(skip)]
    pub(crate) severity: Severity,
    /// JSON Pointer (RFC 6901) into the body; for a missing member, the member's would-be path.
    pub(crate) path: String,
    /// Byte offset in the body of the value at `path`, or of its deepest existing ancestor.
    #[serde(skip)]
    pub(crate) offset: Option<usize>,
    /// Stable rule id: `schema.<keyword>` for schema violations, `<vendor>.<rule>` otherwise.
    pub(crate) rule: String,
    pub(crate) message: String,
}

/// Everything found in one callback, errors and warnings apart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings {
    /// The schemas the body was checked against, by name.
    pub(crate) schemas: Vec<&'static str>,
    pub items: Vec<Finding>,
}

impl Findings {
    pub(crate) fn error(
        &mut self,
        path: impl Into<String>,
        rule: &str,
        message: impl Into<String>,
    ) {
        self.push(Severity::Error, path, rule, message);
    }

    pub(crate) fn warning(
        &mut self,
        path: impl Into<String>,
        rule: &str,
        message: impl Into<String>,
    ) {
        self.push(Severity::Warning, path, rule, message);
    }

    fn push(
        &mut self,
        severity: Severity,
        path: impl Into<String>,
        rule: &str,
        message: impl Into<String>,
    ) {
        self.items.push(Finding {
            severity,
            path: path.into(),
            offset: None,
            rule: rule.to_string(),
            message: message.into(),
        });
    }

    pub(crate) fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.items.iter().filter(|f| f.severity == Severity::Error)
    }

    #[cfg(test)]
    pub(crate) fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.items
            .iter()
            .filter(|f| f.severity == Severity::Warning)
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }

    #[cfg(test)]
    pub(crate) fn has_warnings(&self) -> bool {
        self.warnings().next().is_some()
    }
}

/// Escapes one reference token for a JSON Pointer (`~` → `~0`, `/` → `~1`).
pub(crate) fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Joins a pointer and a member name.
pub(crate) fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_token(token))
}
