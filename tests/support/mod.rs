//! What the integration tests share, in one module (`mod support;` in each test file):
//! the runner for the built binary ([`cli`]), the scripted loopback server ([`server`]),
//! replay's report readers ([`replay`]), a running `listen` and its client ([`listen`]),
//! the snippets' runtimes ([`snippets`]), and the committed fixtures and test-only
//! credentials. Each test file uses its own subset.

// Test-only code: a failed set-up should stop the test loudly.
#![allow(dead_code, unused_imports, clippy::unwrap_used)]

pub mod cli;
pub mod listen;
pub mod replay;
pub mod server;
pub mod snippets;
mod wire;

use std::path::{Path, PathBuf};

pub use cli::{cbtool, Run};
pub use server::{Action, Received, Server, NORMAL};

/// The AutoX3 test secret: the text of `SECRET_FILE`.
pub const SECRET: &str = "cbtool-test-only-secret";
pub const SECRET_FILE: &str = "fixtures/autox3/secret.txt";
pub const PUBLIC_KEY: &str = "fixtures/dayu/keys/public.pem";
pub const PRIVATE_KEY: &str = "fixtures/dayu/keys/private.pem";
/// An AutoX3 callback with its correct signature (computed outside cbtool).
pub const COMPACT: &str = "fixtures/autox3/receivebase-create.compact.json";
pub const BIN: &str = env!("CARGO_BIN_EXE_cbtool");

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file of the crate, by its path from the crate root.
pub fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Rows of a committed vectors file (tab-separated, header skipped).
pub fn vectors(path: &str) -> Vec<Vec<String>> {
    String::from_utf8(fixture(path))
        .expect("utf-8")
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

/// The test credentials of every vendor, for tests that call the `Vendor` trait.
pub fn creds() -> cbtool::credentials::Credentials {
    use cbtool::credentials::{Credentials, Given};
    use cbtool::vendors::{autox3::credential::APP_SECRET, dayu::credential};
    let key = |p: &str| Given::Path(root().join(p));
    Credentials::default()
        .with(
            &APP_SECRET,
            Given::Secret(cbtool::secret::Secret::new(SECRET)),
        )
        .with(&credential::PRIVATE_KEY, key(PRIVATE_KEY))
        .with(&credential::PUBLIC_KEY, key(PUBLIC_KEY))
}
