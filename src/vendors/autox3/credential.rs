//! AutoX3's one credential: the appSecret shared between the sender and the receiver.

use crate::credentials::{CredentialKind, CredentialSpec, Credentials};
use crate::error::Result;
use crate::secret::Secret;

pub static APP_SECRET: CredentialSpec = CredentialSpec {
    id: "secret",
    kind: CredentialKind::Secret,
    flag: "secret",
    file_flag: Some("secret-file"),
    env: "CBTOOL_AUTOX3_SECRET",
    help: "AutoX3 appSecret (prefer --secret-file or the variable: arguments show in `ps`)",
    file_help: "File holding the AutoX3 appSecret (one trailing newline is ignored); wins over --secret and CBTOOL_AUTOX3_SECRET",
    what: "the appSecret",
    label: "appSecret",
    missing: "AutoX3 needs the appSecret: pass --secret-file PATH (or --secret S, or set CBTOOL_AUTOX3_SECRET)",
};

pub(crate) static SPECS: [&CredentialSpec; 1] = [&APP_SECRET];

/// The appSecret, or the error that says how to give it.
pub(crate) fn secret(creds: &Credentials) -> Result<&Secret> {
    creds.secret(&APP_SECRET)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advice_names_the_flags_as_before_they_came_from_the_spec() {
        assert_eq!(APP_SECRET.flag_with_value(), "--secret-file PATH");
        assert_eq!(
            APP_SECRET.ways(),
            "--secret-file (or --secret, CBTOOL_AUTOX3_SECRET)"
        );
    }
}
