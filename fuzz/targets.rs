//! The fuzz targets: one plain function per parser or checker that reads untrusted
//! bytes, and differential targets that hold two implementations of one thing to the
//! same answer (they panic on a disagreement, which the fuzzer reports as a crash).
//! Shared by the cargo-fuzz binaries (`fuzz/fuzz_targets/`, nightly) and the regression
//! test (`tests/fuzz_regressions.rs`, stable) through `#[path]`, so that a finding of
//! one is replayed by the other with exactly the same code.

#[path = "differential.rs"]
mod differential;
#[path = "listen_diff.rs"]
mod listen_diff;

use std::path::PathBuf;
use std::sync::OnceLock;

use cbtool::credentials::{Credentials, Given};
use cbtool::secret::Secret;
use cbtool::vendors::{self, autox3::AutoX3, dayu::Dayu, Message, Vendor};

/// Every target, by the name used for its corpus directory and on the command line.
#[allow(dead_code)] // the libFuzzer binaries each call one target by name
pub const TARGETS: &[&str] = &[
    "autox3",
    "dayu",
    "keys",
    "http",
    "schedule",
    "schema",
    "json_scan",
    "blocks",
    "minify",
    "listen",
];

/// Runs `target` on `data`; returns a short class of the outcome (the harness keeps
/// inputs that reach a class it has not seen, a cheap stand-in for coverage).
/// Unknown targets return `None`.
pub fn run(target: &str, data: &[u8]) -> Option<String> {
    let class = match target {
        "autox3" => autox3(data),
        "dayu" => dayu(data),
        "keys" => keys(data),
        "http" => http(data),
        "schedule" => schedule(data),
        "schema" => schema(data),
        "json_scan" => differential::json_scan(data),
        "blocks" => differential::blocks(data),
        "minify" => differential::minify(data),
        "listen" => listen_diff::listen(data),
        _ => return None,
    };
    Some(class)
}

/// The repository's fixtures, from the main crate (the regression test) or from the
/// fuzz crate one level down.
fn fixtures() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let fixtures = here.join("fixtures");
    if fixtures.is_dir() {
        return fixtures;
    }
    here.parent().map_or(fixtures, |root| root.join("fixtures"))
}

fn autox3_creds() -> &'static Credentials {
    static CREDS: OnceLock<Credentials> = OnceLock::new();
    CREDS.get_or_init(|| {
        let secret = std::fs::read(fixtures().join("autox3/secret.txt")).unwrap_or_default();
        Credentials::default().with(
            &cbtool::vendors::autox3::credential::APP_SECRET,
            Given::Secret(Secret::new(secret.trim_ascii().to_vec())),
        )
    })
}

fn dayu_creds() -> &'static Credentials {
    static CREDS: OnceLock<Credentials> = OnceLock::new();
    CREDS.get_or_init(|| {
        cbtool::vendors::dayu::credential::key_pair_in(&fixtures().join("dayu/keys"))
    })
}

/// The class of a result: `ok`, or the error's text without digits (positions vary).
fn class<T>(result: &cbtool::error::Result<T>) -> String {
    match result {
        Ok(_) => "ok".to_string(),
        Err(e) => {
            let text = e.to_string();
            let text = text.split(':').nth(1).unwrap_or(&text);
            shape(text)
        }
    }
}

/// The shape of a message: letters and spaces only, quoted input (between backticks)
/// dropped, so that one kind of error is one class whatever the input said.
fn shape(text: &str) -> String {
    text.split('`')
        .step_by(2)
        .flat_map(str::chars)
        .filter(|c| c.is_ascii_alphabetic() || *c == ' ')
        .take(40)
        .collect()
}

/// Verify and explain, as `verify --explain` runs them.
fn check(vendor: &dyn Vendor, msg: &Message, creds: &Credentials, sig: Option<&str>) -> String {
    let target = match vendors::target(vendor, msg, sig) {
        Ok(t) => t,
        Err(e) => return class::<()>(&Err(e)),
    };
    let verdict = vendor.verify(msg, creds, &target);
    let diagnosis = vendor.diagnose(msg, creds, &target);
    let valid = verdict.as_ref().map(|v| v.valid).unwrap_or(false);
    format!("{} {} {valid}", class(&verdict), class(&diagnosis))
}

/// An AutoX3 body; its signature is the `msgSignature` it carries.
pub fn autox3(data: &[u8]) -> String {
    let msg = Message::new("fuzz", data);
    if let Err(e) = msg.top_level() {
        return class::<()>(&Err(e));
    }
    check(&AutoX3, &msg, autox3_creds(), None)
}

/// A Dayu callback: the first line is the `Dayu-Sign` header, the rest the body.
pub fn dayu(data: &[u8]) -> String {
    let (sig, body) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&b""[..], data),
    };
    let sig = String::from_utf8_lossy(sig).into_owned();
    let headers = vec![("Dayu-Sign".to_string(), sig)];
    let msg = Message::with_headers("fuzz", body, headers);
    if let Err(e) = msg.top_level() {
        return class::<()>(&Err(e));
    }
    check(&Dayu, &msg, dayu_creds(), None)
}

/// Key loading from arbitrary bytes: PEM, DER or base64, public or private.
pub fn keys(data: &[u8]) -> String {
    let loaded = cbtool::keys::load("fuzz", data);
    let public = cbtool::keys::public_key("fuzz", data);
    format!("{} {}", class(&loaded), class(&public))
}

/// A raw HTTP request, as `verify` reads a `.http` file.
pub fn http(data: &[u8]) -> String {
    class(&cbtool::http_request::parse("fuzz", data))
}

/// A retry schedule (`--schedule`), then scaled as `--time-scale` does.
pub fn schedule(data: &[u8]) -> String {
    let text = String::from_utf8_lossy(data);
    match cbtool::replay::schedule::Schedule::parse(&text) {
        Ok(s) => {
            let scaled = s.scaled(0.001).map(|s| s.describe());
            let _ = s.describe();
            format!("ok {}", scaled.is_ok())
        }
        Err(e) => shape(&e),
    }
}

/// Schema validation of the body as every vendor's (in the registry's order).
pub fn schema(data: &[u8]) -> String {
    let text = String::from_utf8_lossy(data);
    let count = |r: &cbtool::error::Result<cbtool::schema::Findings>| {
        r.as_ref().map(|f| f.items.len().min(8)).unwrap_or(99)
    };
    let counts: Vec<String> = cbtool::vendors::all()
        .iter()
        .map(|v| count(&cbtool::schema::validate(v.rules(), &text)).to_string())
        .collect();
    counts.join(" ")
}
