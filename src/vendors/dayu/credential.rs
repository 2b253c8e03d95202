//! Dayu's credentials: the RSA private key a sender signs with and the public key a
//! receiver verifies with.

use rsa::RsaPrivateKey;

use crate::credentials::{CredentialKind, CredentialSpec, Credentials};
use crate::error::Result;
use crate::keys::VerifyingKey;

pub static PRIVATE_KEY: CredentialSpec = CredentialSpec {
    id: "private_key",
    kind: CredentialKind::PrivateKey,
    flag: "private-key",
    file_flag: None,
    env: "CBTOOL_DAYU_PRIVATE_KEY",
    help: "Dayu RSA private key for signing: PEM (PKCS#8/PKCS#1), DER, or Java base64",
    file_help: "",
    what: "the RSA private key",
    label: "private key",
    missing: "Dayu signing needs an RSA private key: pass --private-key PATH or set CBTOOL_DAYU_PRIVATE_KEY",
};

pub static PUBLIC_KEY: CredentialSpec = CredentialSpec {
    id: "public_key",
    kind: CredentialKind::PublicKey,
    flag: "public-key",
    file_flag: None,
    env: "CBTOOL_DAYU_PUBLIC_KEY",
    help: "Dayu RSA public key for verifying: PEM (SPKI/PKCS#1), DER, or Java base64",
    file_help: "",
    what: "the RSA public key",
    label: "public key",
    missing: "Dayu verification needs the RSA public key: pass --public-key PATH or set CBTOOL_DAYU_PUBLIC_KEY",
};

pub(crate) static SPECS: [&CredentialSpec; 2] = [&PRIVATE_KEY, &PUBLIC_KEY];

pub(crate) fn private_key(creds: &Credentials) -> Result<&RsaPrivateKey> {
    creds.private_key(&PRIVATE_KEY)
}

/// The public key; when only the private key was given, its public half.
pub(crate) fn public_key(creds: &Credentials) -> Result<&VerifyingKey> {
    creds.public_key(&PUBLIC_KEY, Some(&PRIVATE_KEY))
}

/// Credentials from a directory holding `private.pem` and `public.pem`, as `cbtool keygen`
/// writes them (tests, benches and the fuzz targets use the fixtures' pair).
pub fn key_pair_in(dir: &std::path::Path) -> Credentials {
    use crate::credentials::Given;
    Credentials::default()
        .with(&PRIVATE_KEY, Given::Path(dir.join("private.pem")))
        .with(&PUBLIC_KEY, Given::Path(dir.join("public.pem")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advice_names_the_flags_as_before_they_came_from_the_spec() {
        assert_eq!(PRIVATE_KEY.flag_with_value(), "--private-key PATH");
        assert_eq!(
            PRIVATE_KEY.ways(),
            "--private-key (or CBTOOL_DAYU_PRIVATE_KEY)"
        );
    }
}
