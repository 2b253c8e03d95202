//! `cbtool keygen`: an RSA key pair for the vendors that sign with RSA, in PEM and in Java's base64 forms.

use crate::credentials::CredentialKind;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::terminal::Json;
use super::Output;
use crate::cli::KeygenArgs;
use crate::error::{Error, Result, EXIT_OK};
use crate::keys::{self, GeneratedPair, WEAK_BITS};

const FILES: [&str; 4] = ["private.pem", "public.pem", "private.b64", "public.b64"];

pub(crate) fn run(args: KeygenArgs, output: &mut Output) -> Result<i32> {
    let bits = args.bits as usize;
    if bits < WEAK_BITS {
        output.warn(format!(
            "a {bits}-bit RSA key can be broken; use it for tests only"
        ));
    }
    let Some(dir) = &args.out else {
        let pair = keys::generate(bits)?;
        print_pair(&pair, args.json, output);
        return Ok(EXIT_OK);
    };
    if !args.force {
        if let Some(existing) = FILES.iter().map(|f| dir.join(f)).find(|p| p.exists()) {
            return Err(Error::new(format!(
                "{}: already exists; pass --force to overwrite the key pair in {}",
                existing.display(),
                dir.display()
            )));
        }
    }
    let pair = keys::generate(bits)?;
    fs::create_dir_all(dir)
        .map_err(|e| Error::new(format!("{}: cannot create: {e}", dir.display())))?;
    write_file(&dir.join("private.pem"), pair.private_pem.as_bytes(), true)?;
    write_file(&dir.join("public.pem"), pair.public_pem.as_bytes(), false)?;
    write_file(
        &dir.join("private.b64"),
        format!("{}\n", pair.private_java).as_bytes(),
        true,
    )?;
    write_file(
        &dir.join("public.b64"),
        format!("{}\n", pair.public_java).as_bytes(),
        false,
    )?;
    if args.json {
        output.line(Json(WrittenJson {
            bits,
            private_key: dir.join("private.pem"),
            public_key: dir.join("public.pem"),
            private_key_java: dir.join("private.b64"),
            public_key_java: dir.join("public.b64"),
            public_java: &pair.public_java,
        }));
    } else {
        output.line(format!(
            "wrote a {bits}-bit RSA key pair to {}:",
            dir.display()
        ));
        output.line(format!(
            "  private.pem  PKCS#8 PEM (mode 0600): {}",
            flags_for(CredentialKind::PrivateKey)
        ));
        output.line(format!(
            "  public.pem   SubjectPublicKeyInfo PEM: {}",
            flags_for(CredentialKind::PublicKey)
        ));
        output.line("  private.b64  one-line base64, for Java's PKCS8EncodedKeySpec");
        output.line("  public.b64   one-line base64, for Java's X509EncodedKeySpec");
    }
    Ok(EXIT_OK)
}

/// `keygen --out DIR --json`: where each file went, and the public key for Java.
#[derive(serde::Serialize)]
struct WrittenJson<'a> {
    bits: usize,
    private_key: PathBuf,
    public_key: PathBuf,
    private_key_java: PathBuf,
    public_key_java: PathBuf,
    public_java: &'a str,
}

/// `keygen --json` without `--out`: the keys themselves.
#[derive(serde::Serialize)]
struct PrintedJson<'a> {
    private_pem: &'a str,
    public_pem: &'a str,
    private_java: &'a str,
    public_java: &'a str,
}

fn print_pair(pair: &GeneratedPair, json: bool, output: &mut Output) {
    if json {
        output.line(Json(PrintedJson {
            private_pem: &pair.private_pem,
            public_pem: &pair.public_pem,
            private_java: &pair.private_java,
            public_java: &pair.public_java,
        }));
        return;
    }
    output.line(pair.private_pem.trim_end());
    output.line(pair.public_pem.trim_end());
    output.line(format!(
        "# Java PKCS8EncodedKeySpec (base64):\n{}",
        pair.private_java
    ));
    output.line(format!(
        "# Java X509EncodedKeySpec (base64):\n{}",
        pair.public_java
    ));
}

/// Writes a file; private material is created readable by its owner only, before any
/// byte is written, so there is no moment at which others could read it.
fn write_file(path: &Path, bytes: &[u8], private: bool) -> Result<()> {
    let fail = |e: std::io::Error| Error::new(format!("{}: cannot write: {e}", path.display()));
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(if private { 0o600 } else { 0o644 });
        let mut file = options.open(path).map_err(fail)?;
        // An existing file keeps its old mode through open(); set it explicitly.
        let mode = if private { 0o600 } else { 0o644 };
        file.set_permissions(fs::Permissions::from_mode(mode))
            .map_err(fail)?;
        file.write_all(bytes).map_err(fail)
    }
    #[cfg(not(unix))]
    {
        let _ = private;
        options
            .open(path)
            .map_err(fail)?
            .write_all(bytes)
            .map_err(fail)
    }
}

/// Where the vendors take a key of `kind`: `--private-key / VARIABLE`, for each.
fn flags_for(kind: CredentialKind) -> String {
    let ways: Vec<String> = crate::vendors::all()
        .iter()
        .flat_map(|v| v.credentials().iter())
        .filter(|spec| spec.kind == kind)
        .map(|spec| format!("--{} / {}", spec.flag, spec.env))
        .collect();
    ways.join(" or ")
}
