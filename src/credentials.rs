//! The credentials a command was given, loaded only when a vendor asks for them, so that
//! an unrelated variable in the environment never breaks a command.

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use rsa::{RsaPrivateKey, RsaPublicKey};

use crate::error::{Error, Result};
use crate::keys::{self, VerifyingKey};
use crate::secret::Secret;

/// Where a key comes from: a path and how the user named it (flag or variable).
#[derive(Debug, Clone)]
pub struct KeyPath {
    pub path: PathBuf,
    pub named_by: &'static str,
}

/// Everything a vendor may need to sign or verify.
#[derive(Default)]
pub struct Credentials {
    secret: Option<Secret>,
    private_key: Option<KeyPath>,
    public_key: Option<KeyPath>,
    loaded_private: OnceLock<Result<RsaPrivateKey>>,
    loaded_public: OnceLock<Result<VerifyingKey>>,
    warnings: Mutex<Vec<String>>,
}

impl Credentials {
    pub fn new(
        secret: Option<Secret>,
        private_key: Option<KeyPath>,
        public_key: Option<KeyPath>,
    ) -> Self {
        Credentials {
            secret,
            private_key,
            public_key,
            ..Default::default()
        }
    }

    pub fn with_secret(secret: Secret) -> Self {
        Credentials::new(Some(secret), None, None)
    }

    /// Credentials held in memory rather than read from files (`demo`'s fresh ones).
    pub fn loaded(
        secret: Option<Secret>,
        private_key: Option<RsaPrivateKey>,
        public_key: Option<RsaPublicKey>,
    ) -> Self {
        let creds = Credentials {
            secret,
            ..Default::default()
        };
        if let Some(key) = public_key {
            let _ = creds.loaded_public.set(Ok(VerifyingKey::new(key)));
        }
        if let Some(key) = private_key {
            let _ = creds.loaded_private.set(Ok(key));
        }
        creds
    }

    pub fn secret(&self) -> Result<&Secret> {
        self.secret.as_ref().ok_or_else(|| {
            Error::new(
                "AutoX3 needs the appSecret: pass --secret-file PATH (or --secret S, or set CBTOOL_AUTOX3_SECRET)",
            )
        })
    }

    pub fn has_secret(&self) -> bool {
        self.secret.is_some()
    }

    pub fn has_private_key(&self) -> bool {
        self.private_key.is_some() || self.loaded_private.get().is_some_and(|k| k.is_ok())
    }

    pub fn private_key(&self) -> Result<&RsaPrivateKey> {
        self.loaded_private
            .get_or_init(|| {
                let path = self.private_key.as_ref().ok_or_else(|| {
                    Error::new("Dayu signing needs an RSA private key: pass --private-key PATH or set CBTOOL_DAYU_PRIVATE_KEY")
                })?;
                let (source, bytes) = read_key(path)?;
                let loaded = keys::private_key(&source, &bytes)?;
                self.warn(loaded.warnings);
                Ok(loaded.key)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The public key; when only a private key was given, its public half.
    pub fn public_key(&self) -> Result<&VerifyingKey> {
        self.loaded_public
            .get_or_init(|| match &self.public_key {
                Some(path) => {
                    let (source, bytes) = read_key(path)?;
                    let loaded = keys::public_key(&source, &bytes)?;
                    self.warn(loaded.warnings);
                    Ok(VerifyingKey::new(loaded.key))
                }
                None if self.private_key.is_some() => {
                    Ok(VerifyingKey::new(self.private_key()?.to_public_key()))
                }
                None => Err(Error::new(
                    "Dayu verification needs the RSA public key: pass --public-key PATH or set CBTOOL_DAYU_PUBLIC_KEY",
                )),
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Warnings gathered while loading, for the command to print once.
    pub fn take_warnings(&self) -> Vec<String> {
        std::mem::take(&mut *self.warnings.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn warn(&self, warnings: Vec<String>) {
        self.warnings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(warnings);
    }
}

fn read_key(path: &KeyPath) -> Result<(String, Vec<u8>)> {
    let source = path.path.display().to_string();
    let bytes = std::fs::read(&path.path).map_err(|e| {
        Error::new(format!(
            "{source} (from {}): cannot read the key: {e}",
            path.named_by
        ))
    })?;
    Ok((source, bytes))
}
