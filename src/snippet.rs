//! The receiver code `cbtool snippet` prints: every registered vendor's snippets (see
//! `vendors::snippets` for what a snippet is and where its file lives).

use crate::vendors;
pub(crate) use crate::vendors::snippets::{Snippet, LANGUAGES};

/// Every snippet of every vendor, vendor by vendor.
pub(crate) fn all() -> impl Iterator<Item = &'static Snippet> {
    vendors::all().iter().flat_map(|v| v.snippets().iter())
}

/// The snippet for a language and vendor id.
pub(crate) fn find(language: &str, vendor: &str) -> Option<&'static Snippet> {
    all().find(|s| s.language == language && s.vendor == vendor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vendors::snippets::command_for;

    #[test]
    fn every_vendor_with_snippets_covers_every_language_and_says_how_to_run() {
        for vendor in vendors::all().iter().filter(|v| !v.snippets().is_empty()) {
            for language in LANGUAGES {
                let snippet = find(language, vendor.id()).unwrap();
                assert!(snippet.run().contains(snippet.file), "{snippet:?}");
                // It runs with one of the vendor's own credential variables.
                assert!(
                    vendor
                        .credentials()
                        .iter()
                        .any(|c| snippet.run().contains(&format!("{}=", c.env))),
                    "{}",
                    snippet.run()
                );
                assert!(
                    snippet.code.contains(&snippet.command()),
                    "{}",
                    snippet.file
                );
            }
            assert_eq!(vendor.snippets().len(), LANGUAGES.len(), "{}", vendor.id());
        }
        assert_eq!(all().count(), 10);
    }

    #[test]
    fn command_for_names_language_and_vendor() {
        assert_eq!(
            command_for("python", "acme"),
            "cbtool snippet python --vendor acme"
        );
    }
}
