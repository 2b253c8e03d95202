//! The receiver code `cbtool snippet` prints. Each snippet is a real source file under
//! `snippets/<language>/`, embedded here byte for byte: the file printed is the file the
//! tests run (tests/snippets.rs), so there is no second copy that could drift.

/// The languages there are snippets for, by the id `cbtool snippet LANG` takes.
pub(crate) const LANGUAGES: [&str; 5] = ["java", "python", "node", "go", "php"];

/// One receiver: a language, a vendor, and the file's exact text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Snippet {
    /// An id of [`LANGUAGES`].
    pub(crate) language: &'static str,
    /// A vendor id (`autox3`, `dayu`).
    pub(crate) vendor: &'static str,
    /// The file's name: `--out` suggests it, and Java's single-file launch reads it.
    pub(crate) file: &'static str,
    /// What the snippet needs, beyond the standard library (nothing) and its runtime.
    pub(crate) runtime: &'static str,
    pub(crate) code: &'static str,
}

macro_rules! snippet {
    ($language:literal, $vendor:literal, $file:literal, $runtime:literal) => {
        Snippet {
            language: $language,
            vendor: $vendor,
            file: $file,
            runtime: $runtime,
            code: include_str!(concat!("../snippets/", $language, "/", $file)),
        }
    };
}

/// Every snippet, five languages by two vendors.
pub(crate) const SNIPPETS: [Snippet; 10] = [
    snippet!("java", "autox3", "AutoX3Receiver.java", "Java 17+"),
    snippet!("java", "dayu", "DayuReceiver.java", "Java 17+"),
    snippet!("python", "autox3", "autox3_receiver.py", "Python 3.11+"),
    snippet!("python", "dayu", "dayu_receiver.py", "Python 3.11+"),
    snippet!("node", "autox3", "autox3-receiver.js", "Node.js 20+"),
    snippet!("node", "dayu", "dayu-receiver.js", "Node.js 20+"),
    snippet!("go", "autox3", "autox3_receiver.go", "Go 1.19+"),
    snippet!("go", "dayu", "dayu_receiver.go", "Go 1.19+"),
    snippet!("php", "autox3", "autox3_receiver.php", "PHP 8.1+"),
    snippet!(
        "php",
        "dayu",
        "dayu_receiver.php",
        "PHP 8.1+ (json, openssl)"
    ),
];

/// The snippet for a language and vendor id.
pub(crate) fn find(language: &str, vendor: &str) -> Option<&'static Snippet> {
    SNIPPETS
        .iter()
        .find(|s| s.language == language && s.vendor == vendor)
}

/// The exact command that prints the snippet for a language and vendor id, for a
/// diagnosis to point to (`cbtool snippet python --vendor autox3`).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_both_vendors_and_says_how_to_run() {
        for language in LANGUAGES {
            for vendor in ["autox3", "dayu"] {
                let snippet = find(language, vendor).unwrap();
                assert!(snippet.run().contains(snippet.file), "{snippet:?}");
                let variable = match vendor {
                    "autox3" => "CBTOOL_AUTOX3_SECRET=",
                    _ => "CBTOOL_DAYU_PUBLIC_KEY=",
                };
                assert!(snippet.run().contains(variable), "{}", snippet.run());
                assert!(
                    snippet.code.contains(&snippet.command()),
                    "{}",
                    snippet.file
                );
            }
        }
        assert_eq!(SNIPPETS.len(), LANGUAGES.len() * 2);
    }

    #[test]
    fn command_for_names_language_and_vendor() {
        assert_eq!(
            command_for("python", "autox3"),
            "cbtool snippet python --vendor autox3"
        );
    }
}
