//! Shared by the `sample` tests: the binary run from the crate root without inherited
//! credential variables, and the test-only credentials for the `Vendor` trait.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::Command;

use cbtool::credentials::{Credentials, Given};
use cbtool::secret::Secret;

pub const PRIVATE_KEY: &str = "fixtures/dayu/keys/private.pem";
pub const PUBLIC_KEY: &str = "fixtures/dayu/keys/public.pem";
pub const SECRET: &str = "cbtool-test-only-secret";
pub const SECRET_FILE: &str = "fixtures/autox3/secret.txt";
pub const BIN: &str = env!("CARGO_BIN_EXE_cbtool");

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary run from the crate root with no credential variables inherited.
pub fn cbtool(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .current_dir(root())
        .env_remove("CBTOOL_AUTOX3_SECRET")
        .env_remove("CBTOOL_DAYU_PRIVATE_KEY")
        .env_remove("CBTOOL_DAYU_PUBLIC_KEY")
        .output()
        .unwrap()
}

pub fn creds() -> Credentials {
    let key = |p: &str| Given::Path(root().join(p));
    Credentials::default()
        .with(
            &cbtool::vendors::autox3::credential::APP_SECRET,
            Given::Secret(Secret::new(SECRET)),
        )
        .with(
            &cbtool::vendors::dayu::credential::PRIVATE_KEY,
            key(PRIVATE_KEY),
        )
        .with(
            &cbtool::vendors::dayu::credential::PUBLIC_KEY,
            key(PUBLIC_KEY),
        )
}
