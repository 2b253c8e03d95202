//! The credentials a command was given, loaded only when a vendor asks for them, so that
//! an unrelated variable in the environment never breaks a command.
//!
//! Which credentials exist is the vendors' business: each declares its own
//! ([`CredentialSpec`]: the flag, the variable, the words for errors), the command line
//! offers what the registry's vendors declare, and a vendor asks for its own by its spec.

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use rsa::{RsaPrivateKey, RsaPublicKey};

use crate::error::{Error, Result};
use crate::keys::{self, VerifyingKey};
use crate::secret::Secret;

/// What a credential is, which decides its flags and how it loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialKind {
    /// A shared secret: `--FLAG S`, the variable, or `--FILE_FLAG PATH` (which wins).
    Secret,
    /// A path to an RSA private key (PEM, DER or Java base64).
    PrivateKey,
    /// A path to an RSA public key; a vendor may fall back to a private key's half.
    PublicKey,
}

/// One credential a vendor declares.
#[derive(Debug)]
pub struct CredentialSpec {
    /// Unique among all vendors' specs; clap's argument id.
    pub id: &'static str,
    pub kind: CredentialKind,
    /// The long flag without dashes (`secret`, `private-key`).
    pub flag: &'static str,
    /// For a secret: the flag naming a file that holds it.
    pub file_flag: Option<&'static str>,
    /// The environment variable the flag falls back to.
    pub env: &'static str,
    /// `--help` for the flag, and for the file flag.
    pub help: &'static str,
    pub file_help: &'static str,
    /// What it is, in errors: "the appSecret".
    pub what: &'static str,
    /// How a secret is shown wherever a signed string is: `<LABEL: N bytes>`.
    pub label: &'static str,
    /// The whole error when a command needs it and it was not given.
    pub missing: &'static str,
}

impl CredentialSpec {
    /// Whether signing takes it (a public key only verifies).
    pub(crate) fn signs(&self) -> bool {
        self.kind != CredentialKind::PublicKey
    }

    /// The flag to give it with, and its value: `--secret-file PATH` (a secret's file
    /// flag first, since arguments show in `ps`).
    pub(crate) fn flag_with_value(&self) -> String {
        match (self.file_flag, self.kind) {
            (Some(file), _) => format!("--{file} PATH"),
            (None, CredentialKind::Secret) => format!("--{} S", self.flag),
            (None, _) => format!("--{} PATH", self.flag),
        }
    }

    /// Every way to give it: `--secret-file (or --secret, VARIABLE)`.
    pub(crate) fn ways(&self) -> String {
        match self.file_flag {
            Some(file) => format!("--{file} (or --{}, {})", self.flag, self.env),
            None => format!("--{} (or {})", self.flag, self.env),
        }
    }

    /// How the user names it, in errors about the file it points to.
    fn named_by(&self) -> String {
        format!("--{} or {}", self.flag, self.env)
    }
}

/// A credential as given: not yet read or parsed.
pub enum Given {
    Secret(Secret),
    Path(PathBuf),
    PrivateKey(Box<RsaPrivateKey>),
    PublicKey(RsaPublicKey),
}

struct Entry {
    spec: &'static CredentialSpec,
    given: Given,
    private: OnceLock<Result<RsaPrivateKey>>,
    public: OnceLock<Result<VerifyingKey>>,
}

/// Everything the vendors may need to sign or verify, by spec.
#[derive(Default)]
pub struct Credentials {
    entries: Vec<Entry>,
    warnings: Mutex<Vec<String>>,
}

impl Credentials {
    /// `given` for `spec`; a later value for the same spec replaces an earlier one.
    pub fn with(mut self, spec: &'static CredentialSpec, given: Given) -> Self {
        self.entries.retain(|e| e.spec.id != spec.id);
        let given = match given {
            Given::Secret(secret) => Given::Secret(secret.labelled(spec.label)),
            other => other,
        };
        let entry = Entry {
            spec,
            private: OnceLock::new(),
            public: OnceLock::new(),
            given,
        };
        match &entry.given {
            Given::PrivateKey(key) => {
                let _ = entry.private.set(Ok((**key).clone()));
            }
            Given::PublicKey(key) => {
                let _ = entry.public.set(Ok(VerifyingKey::new(key.clone())));
            }
            Given::Secret(_) | Given::Path(_) => {}
        }
        self.entries.push(entry);
        self
    }

    fn entry(&self, spec: &CredentialSpec) -> Option<&Entry> {
        self.entries.iter().find(|e| e.spec.id == spec.id)
    }

    /// Whether `spec` was given (not whether it loads).
    pub fn has(&self, spec: &CredentialSpec) -> bool {
        self.entry(spec).is_some()
    }

    /// The secret `spec` names.
    pub fn secret(&self, spec: &CredentialSpec) -> Result<&Secret> {
        match self.entry(spec).map(|e| &e.given) {
            Some(Given::Secret(secret)) => Ok(secret),
            _ => Err(Error::new(spec.missing)),
        }
    }

    /// The private key `spec` names, read and parsed once.
    pub(crate) fn private_key(&self, spec: &CredentialSpec) -> Result<&RsaPrivateKey> {
        let entry = self.entry(spec).ok_or_else(|| Error::new(spec.missing))?;
        entry
            .private
            .get_or_init(|| {
                let Given::Path(path) = &entry.given else {
                    return Err(Error::new(spec.missing));
                };
                let (source, bytes) = read_key(spec, path)?;
                let loaded = keys::private_key(&source, &bytes)?;
                self.warn(loaded.warnings);
                Ok(loaded.key)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The public key `spec` names; when only the private key `half_of` was given, its
    /// public half (a sender's own key checks what it signed).
    pub(crate) fn public_key(
        &self,
        spec: &CredentialSpec,
        half_of: Option<&CredentialSpec>,
    ) -> Result<&VerifyingKey> {
        if let Some(entry) = self.entry(spec) {
            return entry
                .public
                .get_or_init(|| {
                    let Given::Path(path) = &entry.given else {
                        return Err(Error::new(spec.missing));
                    };
                    let (source, bytes) = read_key(spec, path)?;
                    let loaded = keys::public_key(&source, &bytes)?;
                    self.warn(loaded.warnings);
                    Ok(VerifyingKey::new(loaded.key))
                })
                .as_ref()
                .map_err(Clone::clone);
        }
        match half_of.and_then(|p| self.entry(p).map(|e| (p, e))) {
            Some((private, entry)) => entry
                .public
                .get_or_init(|| {
                    Ok(VerifyingKey::new(
                        self.private_key(private)?.to_public_key(),
                    ))
                })
                .as_ref()
                .map_err(Clone::clone),
            None => Err(Error::new(spec.missing)),
        }
    }

    /// Warnings gathered while loading, for the command to print once.
    pub(crate) fn take_warnings(&self) -> Vec<String> {
        std::mem::take(&mut *self.warnings.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn warn(&self, warnings: Vec<String>) {
        self.warnings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(warnings);
    }
}

fn read_key(spec: &CredentialSpec, path: &std::path::Path) -> Result<(String, Vec<u8>)> {
    let source = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        Error::new(format!(
            "{source} (from {}): cannot read the key: {e}",
            spec.named_by()
        ))
    })?;
    Ok((source, bytes))
}

/// Why a secret file cannot be read. A path that names nothing is not shown: the likeliest
/// cause is the secret itself given as the path, and the error would put it in logs.
fn secret_file_error(spec: &CredentialSpec, path: &std::path::Path, e: &std::io::Error) -> Error {
    let flag = spec.file_flag.unwrap_or(spec.flag);
    if std::fs::symlink_metadata(path).is_err() {
        return Error::new(format!(
            "--{flag}: no such file (the path is not shown in case it is the secret itself); give the path of a file holding {}",
            spec.what
        ));
    }
    let reason = match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ if path.is_dir() => "is a directory".to_string(),
        _ => e.to_string(),
    };
    Error::new(format!(
        "{}: cannot read the secret file: {reason}; give the path of a file holding {}",
        path.display(),
        spec.what
    ))
}

/// Reads a secret file. One trailing newline is dropped: editors and `echo` add it, and
/// a secret with a newline in it is never intended.
pub(crate) fn read_secret_file(spec: &CredentialSpec, path: &std::path::Path) -> Result<Secret> {
    let mut bytes = std::fs::read(path).map_err(|e| secret_file_error(spec, path, &e))?;
    if bytes.ends_with(b"\n") {
        bytes.pop();
        if bytes.ends_with(b"\r") {
            bytes.pop();
        }
    }
    if bytes.is_empty() {
        return Err(Error::new(format!(
            "{}: the secret file is empty",
            path.display()
        )));
    }
    Ok(Secret::new(bytes))
}
