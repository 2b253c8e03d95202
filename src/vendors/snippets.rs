//! Receiver code a vendor ships (`cbtool snippet`). Each snippet is a real source file
//! under `snippets/<language>/`, embedded byte for byte: the file printed is the file the
//! tests run (tests/snippets.rs), so there is no second copy that could drift. Which files
//! exist is the vendor's to say ([`super::Vendor::snippets`]); this is their shape.

/// The languages snippets are written in, by the id `cbtool snippet LANG` takes.
pub(crate) const LANGUAGES: [&str; 5] = ["java", "python", "node", "go", "php"];

/// One receiver: a language, a vendor, and the file's exact text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snippet {
    /// An id of [`LANGUAGES`].
    pub(crate) language: &'static str,
    /// The id of the vendor it verifies.
    pub(crate) vendor: &'static str,
    /// The file's name: `--out` suggests it, and Java's single-file launch reads it.
    pub(crate) file: &'static str,
    /// What the snippet needs, beyond the standard library (nothing) and its runtime.
    pub(crate) runtime: &'static str,
    pub(crate) code: &'static str,
}

/// Embeds `snippets/LANGUAGE/FILE` (relative to the repository) as a [`Snippet`].
#[macro_export]
#[doc(hidden)]
macro_rules! snippet {
    ($language:literal, $vendor:literal, $file:literal, $runtime:literal) => {
        $crate::vendors::Snippet {
            language: $language,
            vendor: $vendor,
            file: $file,
            runtime: $runtime,
            code: include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/snippets/",
                $language,
                "/",
                $file
            )),
        }
    };
}

/// The exact command that prints the snippet for a language and vendor id, for a
/// diagnosis to point to (`cbtool snippet python --vendor ID`).
pub(crate) fn command_for(language: &str, vendor: &str) -> String {
    format!("cbtool snippet {language} --vendor {vendor}")
}

impl Snippet {
    /// How to start it, from the file's own first comment (`Run: …`), so that the command
    /// shown by `--list` is the one the file documents.
    pub(crate) fn run(&self) -> &'static str {
        self.code
            .lines()
            .take(3)
            .find_map(|line| line.split_once("Run: ").map(|(_, run)| run.trim()))
            .unwrap_or_default()
    }

    pub(crate) fn command(&self) -> String {
        command_for(self.language, self.vendor)
    }
}
