//! The command-line interface, and nothing else: clap types that mirror the flags.
//! Completions and the man page are generated from these definitions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::input::DEFAULT_MAX_SIZE;

#[derive(Debug, Parser)]
#[command(
    name = "cbtool",
    version,
    about = "Sign, verify and diagnose AutoX3 and Dayu HTTP callbacks",
    long_about = "Sign, verify and diagnose AutoX3 and Dayu HTTP callbacks.\n\nExit codes: 0 the check held, 1 the check failed, 2 usage or input error.",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a payload's signature (or, with --embed, the whole signed request)
    #[command(
        after_help = "Examples:\n  cbtool sign --secret-file secret.txt callback.json\n  cbtool sign --embed --secret-file secret.txt callback.json > signed.json\n  cbtool sign --private-key private.pem --embed dayu-event.json"
    )]
    Sign(SignArgs),
    /// Check a callback's signature; --explain says why it does not match
    #[command(
        after_help = "Examples:\n  cbtool verify --secret-file secret.txt callback.json\n  cbtool verify --explain --signature 3F2A… --secret-file secret.txt callback.json\n  cbtool verify --request --public-key public.pem captured.http\n  cbtool verify --json --secret-file secret.txt callbacks.jsonl"
    )]
    Verify(VerifyArgs),
    /// Check callbacks against the documented schemas and rules; --sequence checks one Dayu order's history
    #[command(
        after_help = "Examples:\n  cbtool validate fixtures/dayu/events/ fixtures/autox3/receivebase-create.en.json\n  cbtool validate --json --strict callbacks.jsonl\n  cbtool validate --sequence fixtures/dayu/envelopes.jsonl\n  cbtool validate --print-schema dayu-order-progress > dayu.schema.json"
    )]
    Validate(ValidateArgs),
    /// Generate an RSA key pair for Dayu tests (PEM and Java base64 forms)
    #[command(
        after_help = "Examples:\n  cbtool keygen --out keys/\n  cbtool keygen --bits 3072 --out keys/ --force"
    )]
    Keygen(KeygenArgs),
}

/// Where credentials come from. Never required on the command line: each has a
/// variable, and secrets can come from files.
#[derive(Debug, Args)]
pub struct CredentialArgs {
    /// AutoX3 appSecret (prefer --secret-file or the variable: arguments show in `ps`)
    #[arg(
        long,
        value_name = "S",
        env = "CBTOOL_AUTOX3_SECRET",
        hide_env_values = true
    )]
    pub secret: Option<String>,
    /// File holding the AutoX3 appSecret (one trailing newline is ignored)
    #[arg(long, value_name = "PATH", conflicts_with = "secret")]
    pub secret_file: Option<PathBuf>,
    /// Dayu RSA private key for signing: PEM (PKCS#8/PKCS#1), DER, or Java base64
    #[arg(long, value_name = "PATH", env = "CBTOOL_DAYU_PRIVATE_KEY")]
    pub private_key: Option<PathBuf>,
    /// Dayu RSA public key for verifying: PEM (SPKI/PKCS#1), DER, or Java base64
    #[arg(long, value_name = "PATH", env = "CBTOOL_DAYU_PUBLIC_KEY")]
    pub public_key: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VendorArg {
    Autox3,
    Dayu,
}

/// How the input is read; all are detected by default.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Payload file: JSON, JSON Lines, a request envelope or a raw HTTP request; - for stdin
    #[arg(value_name = "FILE", default_value = "-")]
    pub file: String,
    /// Treat the input as JSON Lines: one callback a line, streamed
    #[arg(long, conflicts_with = "request")]
    pub jsonl: bool,
    /// Treat the input as a raw HTTP request (request line, headers, blank line, body)
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "")]
    pub request: Option<String>,
    /// Force the vendor instead of detecting it from the payload
    #[arg(long, value_enum)]
    pub vendor: Option<VendorArg>,
    /// Largest callback (or JSON Lines line) accepted, in bytes
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_SIZE)]
    pub max_size: usize,
}

#[derive(Debug, Args)]
pub struct SignArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub credentials: CredentialArgs,
    /// Print the whole signed request (AutoX3: compact body with msgSignature; Dayu: an envelope with the Dayu-Sign header)
    #[arg(long)]
    pub embed: bool,
    /// Print one JSON object per callback instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub credentials: CredentialArgs,
    /// Check this signature instead of the one the callback carries (e.g. what your code computed)
    #[arg(long, value_name = "SIG")]
    pub signature: Option<String>,
    /// Diagnose a mismatch: show the signed string and name the mistake that reproduces the signature
    #[arg(long)]
    pub explain: bool,
    /// Compare the string your code signed (a file) with the correct one, byte by byte
    #[arg(long, value_name = "FILE")]
    pub signed_string: Option<PathBuf>,
    /// Print one JSON document on stdout instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Key size in bits (under 2048 only for tests)
    #[arg(long, default_value_t = 2048, value_parser = clap::value_parser!(u32).range(512..=8192))]
    pub bits: u32,
    /// Directory to write private.pem, public.pem, private.b64 and public.b64 into; without it, all are printed
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Overwrite existing key files
    #[arg(long)]
    pub force: bool,
    /// Print a JSON summary instead of text
    #[arg(long)]
    pub json: bool,
}

/// The JSON Schemas cbtool ships (`cbtool validate --print-schema NAME`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaName {
    /// The members every AutoX3 callback carries: msgId, msgType, createTime, msgSignature, staffInfo, content
    Autox3Envelope,
    /// The content of event.autox3.order.receivebase.create
    Autox3ReceivebaseCreate,
    /// Dayu's work-order progress callback
    DayuOrderProgress,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Files or directories (read recursively, sorted by name: *.json, *.jsonl, *.ndjson, *.http); - for stdin
    #[arg(value_name = "FILE", required_unless_present = "print_schema")]
    pub files: Vec<String>,
    /// Print one embedded JSON Schema and exit
    #[arg(long, value_enum, value_name = "NAME", conflicts_with_all = ["files", "sequence"])]
    pub print_schema: Option<SchemaName>,
    /// Also check that the callbacks, in the order given, are one Dayu order's legal history
    #[arg(long)]
    pub sequence: bool,
    /// Fail (exit 1) on warnings too
    #[arg(long)]
    pub strict: bool,
    /// Treat every input as JSON Lines: one callback a line
    #[arg(long)]
    pub jsonl: bool,
    /// Force the vendor instead of detecting it from the payload
    #[arg(long, value_enum)]
    pub vendor: Option<VendorArg>,
    /// Largest callback (or JSON Lines line) accepted, in bytes
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_SIZE)]
    pub max_size: usize,
    /// Print one JSON document on stdout instead of text
    #[arg(long)]
    pub json: bool,
}
