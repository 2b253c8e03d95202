//! The command-line interface, and nothing else: clap types that mirror the flags.
//! Completions and the man page are generated from these definitions.

mod from_registry;

use from_registry::{ack_values, schema_names};
pub(crate) use from_registry::{CredentialArgs, GivenArg, VendorArg, VendorParser};
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::input::DEFAULT_MAX_SIZE;
use crate::replay::schedule::{parse_wait, Schedule};

/// The help headings: a command's flags grouped by what they are about, the flags every
/// command takes last, so they never sit between a command's own.
const INPUT: &str = "Input";
const CREDENTIALS: &str = "Credentials";
const DIAGNOSIS: &str = "Diagnosis";
const CHECKS: &str = "Checks";
const GENERATION: &str = "Generation";
const RECEIVER: &str = "Receiver";
const FAULTS: &str = "Faults";
const FORWARDING: &str = "Forwarding";
const DELIVERY: &str = "Delivery";
const CONNECTION: &str = "Connection";
const RUN: &str = "Run";
const SELECTION: &str = "Selection";
const OUTPUT: &str = "Output";
const GLOBAL: &str = "Global options";

#[derive(Debug, Parser)]
#[command(
    name = "cbtool",
    version,
    about = "Sign, verify and diagnose AutoX3 and Dayu HTTP callbacks",
    long_about = "Sign, verify and diagnose AutoX3 and Dayu HTTP callbacks.\n\nExit codes: 0 the check held, 1 the check failed, 2 usage or input error.",
    propagate_version = true,
    after_help = "Examples:\n  cbtool verify --explain --secret-file fixtures/autox3/secret.txt callback.json\n  cbtool replay --url http://127.0.0.1:8080/callback --time-scale 0.01 fixtures/autox3/\n  cbtool sample dayu --lifecycle --private-key keys/private.pem --out order/"
)]
pub struct Cli {
    /// When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorArg::Auto, help_heading = GLOBAL)]
    pub(crate) color: ColorArg,
    /// Print only errors (JSON reports are still printed; the exit code tells the outcome)
    #[arg(short, long, global = true, conflicts_with = "verbose", help_heading = GLOBAL)]
    pub(crate) quiet: bool,
    /// Print extra detail (verify: the signed string even when the signature is valid)
    #[arg(short, long, global = true, help_heading = GLOBAL)]
    pub(crate) verbose: bool,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// `--color`: whether human output is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorArg {
    /// Colour only on a terminal, unless NO_COLOR is set
    Auto,
    /// Always colour (e.g. for a CI log that renders ANSI)
    Always,
    /// Never colour
    Never,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run the main job on the bundled fixtures: a receiver on loopback, every callback replayed with faults and retries
    #[command(
        after_help = "Examples:\n  cbtool demo\n  cbtool demo --time-scale 0.001 --json > demo.json\n  cbtool demo --real-time"
    )]
    Demo(DemoArgs),
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
    /// Run a reference receiver on loopback: verify, de-duplicate, answer as documented, inject faults
    #[command(
        after_help = "Examples:\n  cbtool listen --secret-file fixtures/autox3/secret.txt --public-key keys/public.pem\n  cbtool listen --addr 127.0.0.1:0 --json --store seen.ids --save saved/ --secret-file secret.txt\n  cbtool listen --secret-file secret.txt --fail-first 2 --fail-mode close --delay 250ms\n  cbtool listen --secret-file secret.txt --forward http://127.0.0.1:3000 --expect-app-correct"
    )]
    Listen(ListenArgs),
    /// Deliver callbacks to a URL like the real sender: same bytes, vendor retry schedule
    #[command(
        after_help = "Examples:\n  cbtool replay --url http://127.0.0.1:8080/callback fixtures/autox3/receivebase-create.en.json\n  cbtool replay --url https://example.com/cb --secret-file secret.txt --fresh fixtures/autox3/\n  cbtool replay --url http://127.0.0.1:8080/cb --time-scale 0.01 --junit out.xml fixtures/autox3/\n  cbtool replay --url http://127.0.0.1:8080/dayu --schedule 500ms,2s --concurrency 8 fixtures/dayu/\n  cbtool replay --url http://127.0.0.1:8080/dayu --report report.json fixtures/dayu/envelopes/"
    )]
    Replay(ReplayArgs),
    /// Print a shell completion script for bash, zsh, fish, PowerShell or elvish
    #[command(
        after_help = "Examples:\n  cbtool completions bash > ~/.local/share/bash-completion/completions/cbtool\n  cbtool completions zsh > ~/.zfunc/_cbtool\n  cbtool completions fish > ~/.config/fish/completions/cbtool.fish"
    )]
    Completions(CompletionsArgs),
    /// Print the man page (roff), of cbtool or of one command
    #[command(
        after_help = "Examples:\n  cbtool man > ~/.local/share/man/man1/cbtool.1\n  cbtool man verify | man -l -"
    )]
    Man(ManArgs),
    /// Generate realistic callbacks a real sender could have produced; signed when given the credential
    #[command(
        after_help = "Examples:\n  cbtool sample autox3 --count 100 --seed 42 --secret-file fixtures/autox3/secret.txt > cbs.jsonl\n  cbtool sample dayu --lifecycle --path rework --private-key keys/private.pem --out order/\n  cbtool sample dayu --private-key keys/private.pem --curl http://127.0.0.1:8080/dayu | sh",
        long_about = "Generate realistic callbacks a real sender could have produced.\n\nOutput: one callback per line (JSON Lines), compact. AutoX3: the body; `msgSignature` is filled in when the appSecret is given, and is the empty string \"\" otherwise. Dayu: with --private-key, the request envelope {\"headers\": {\"Content-Type\": \"application/json\", \"Dayu-Sign\": \"…\"}, \"body\": {…}} (read back by verify and listen); without it, the bare body.\n\nThe same --seed gives the same bytes on every platform and release; without --seed a random seed is drawn and printed on stderr. Times come from the seed, never from the clock."
    )]
    Sample(SampleArgs),
    /// Print tested receiver code (Java, Python, Node, Go, PHP) that verifies a vendor's signature correctly
    #[command(
        after_help = "Examples:\n  cbtool snippet python --vendor autox3\n  cbtool snippet java --vendor dayu --out DayuReceiver.java\n  cbtool snippet --list",
        long_about = "Print tested receiver code that verifies a vendor's signature correctly.\n\nEach snippet is one self-contained file, standard library only: a verification function and a minimal receiver around it that de-duplicates and answers as the vendor expects. It reads the port from PORT (default 8080, on 127.0.0.1) and the credential from CBTOOL_AUTOX3_SECRET or the key file named by CBTOOL_DAYU_PUBLIC_KEY; its first comment says how to run it. cbtool's tests run every snippet with its real runtime."
    )]
    Snippet(SnippetArgs),
}

impl Command {
    /// Whether standard output carries data (a JSON report, a signature, keys, a schema)
    /// rather than human chatter: `--quiet` keeps data and silences chatter.
    pub(crate) fn prints_data(&self) -> bool {
        match self {
            Command::Verify(a) => a.json,
            Command::Validate(a) => a.json || a.print_schema.is_some(),
            Command::Keygen(a) => a.json || a.out.is_none(),
            Command::Listen(a) => a.json,
            Command::Replay(a) => a.json,
            Command::Demo(a) => a.json,
            Command::Snippet(a) => a.json || a.out.is_none(),
            Command::Sign(_) | Command::Sample(_) | Command::Completions(_) | Command::Man(_) => {
                true
            }
        }
    }
}

impl Command {
    /// Whether `--json` was given: an error that stops the command is then also a JSON
    /// document on stdout.
    pub(crate) fn json(&self) -> bool {
        match self {
            Command::Verify(a) => a.json,
            Command::Validate(a) => a.json,
            Command::Keygen(a) => a.json,
            Command::Listen(a) => a.json,
            Command::Replay(a) => a.json,
            Command::Demo(a) => a.json,
            Command::Snippet(a) => a.json,
            Command::Sign(a) => a.json,
            Command::Sample(a) => a.json,
            Command::Completions(_) | Command::Man(_) => false,
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub(crate) shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub(crate) struct ManArgs {
    /// A command whose own page to print (cbtool-verify(1), …); without it, cbtool(1)
    #[arg(value_name = "COMMAND")]
    pub(crate) command: Option<String>,
}

/// How the input is read; all are detected by default.
#[derive(Debug, Args)]
pub(crate) struct InputArgs {
    /// Payload file: JSON, JSON Lines, a request envelope or a raw HTTP request; - for
    /// stdin (the default when something is piped in)
    #[arg(value_name = "FILE")]
    pub(crate) file: Option<String>,
    /// Treat the input as JSON Lines: one callback a line, streamed
    #[arg(long, conflicts_with = "request", help_heading = INPUT)]
    pub(crate) jsonl: bool,
    /// Treat FILE as a raw HTTP request (request line, headers, blank line, body)
    #[arg(long, help_heading = INPUT)]
    pub(crate) request: bool,
    /// Force the vendor instead of detecting it from the payload
    #[arg(long, value_parser = VendorParser, help_heading = INPUT)]
    pub(crate) vendor: Option<VendorArg>,
    /// Largest callback (or JSON Lines line) accepted, in bytes
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_SIZE, help_heading = INPUT)]
    pub(crate) max_size: usize,
}

#[derive(Debug, Args)]
pub(crate) struct SignArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    #[command(flatten, next_help_heading = CREDENTIALS)]
    pub(crate) credentials: CredentialArgs,
    /// Print the whole signed request (AutoX3: compact body with msgSignature; Dayu: an envelope with the Dayu-Sign header)
    #[arg(long, help_heading = OUTPUT)]
    pub(crate) embed: bool,
    /// Print one JSON object per callback instead of text
    #[arg(long, help_heading = OUTPUT)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    #[command(flatten, next_help_heading = CREDENTIALS)]
    pub(crate) credentials: CredentialArgs,
    /// Check this signature instead of the one the callback carries (e.g. what your code computed)
    #[arg(long, value_name = "SIG", help_heading = DIAGNOSIS)]
    pub(crate) signature: Option<String>,
    /// Diagnose a mismatch: show the signed string and name the mistake that reproduces the signature
    #[arg(long, help_heading = DIAGNOSIS)]
    pub(crate) explain: bool,
    /// Compare the string your code signed (a file) with the correct one, byte by byte
    #[arg(long, value_name = "FILE", help_heading = DIAGNOSIS)]
    pub(crate) signed_string: Option<PathBuf>,
    /// Print one JSON document on stdout instead of text
    #[arg(long, help_heading = OUTPUT)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct KeygenArgs {
    /// Key size in bits (under 2048 only for tests)
    #[arg(long, default_value_t = 2048, value_parser = clap::value_parser!(u32).range(512..=8192), help_heading = GENERATION)]
    pub(crate) bits: u32,
    /// Directory to write private.pem, public.pem, private.b64 and public.b64 into; without it, all are printed
    #[arg(long, value_name = "DIR", help_heading = OUTPUT)]
    pub(crate) out: Option<PathBuf>,
    /// Overwrite existing key files
    #[arg(long, help_heading = OUTPUT)]
    pub(crate) force: bool,
    /// Print a JSON summary instead of text
    #[arg(long, help_heading = OUTPUT)]
    pub(crate) json: bool,
}

/// How a Dayu order's history ends (`sample --lifecycle`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum LifecyclePathArg {
    /// Served, submitted and accepted by Dayu (progress 0,1,2,3,5,6,7,8)
    Complete,
    /// Cancelled before the service starts (progress 0, …, 10)
    Cancel,
    /// Served, submitted, then sent back for rework (progress 0,1,2,3,5,6,7,9)
    Rework,
}

#[derive(Debug, Args)]
pub(crate) struct SampleArgs {
    /// Which vendor's callbacks to generate
    #[arg(value_parser = VendorParser)]
    pub(crate) vendor: VendorArg,
    #[command(flatten, next_help_heading = CREDENTIALS)]
    pub(crate) credentials: CredentialArgs,
    /// How many callbacks to generate, one JSON document a line
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=1_000_000), conflicts_with = "lifecycle", help_heading = GENERATION)]
    pub(crate) count: u64,
    /// Seed: the same seed gives the same bytes (without it, a random one, printed on stderr)
    #[arg(long, value_name = "S", help_heading = GENERATION)]
    pub(crate) seed: Option<u64>,
    /// Dayu: every callback of one work order, from creation to its end (see --path)
    #[arg(long, help_heading = GENERATION)]
    pub(crate) lifecycle: bool,
    /// With --lifecycle: how the order ends
    #[arg(long, value_enum, default_value = "complete", requires = "lifecycle", help_heading = GENERATION)]
    pub(crate) path: LifecyclePathArg,
    /// Write one file per callback into DIR, named in order (01-created.json, …)
    #[arg(long, value_name = "DIR", help_heading = OUTPUT)]
    pub(crate) out: Option<PathBuf>,
    /// With --out: overwrite files that exist
    #[arg(long, requires = "out", help_heading = OUTPUT)]
    pub(crate) force: bool,
    /// Print, per callback, a curl command that POSTs exactly these bytes to URL
    #[arg(long, value_name = "URL", conflicts_with_all = ["out", "json"], help_heading = OUTPUT)]
    pub(crate) curl: Option<String>,
    /// JSON on stdout: the callbacks as JSON Lines (the default anyway); with --out, a summary
    #[arg(long, help_heading = OUTPUT)]
    pub(crate) json: bool,
}

/// How `listen` misbehaves on a faulted delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailMode {
    /// Answer HTTP 500
    Http500,
    /// Answer the vendor's refusal (AutoX3: HTTP 200 with status 1)
    Status1,
    /// Answer nothing; close after --fail-hold
    Timeout,
    /// Close the connection without an answer
    Close,
    /// Answer HTTP 200 with a body that is not JSON
    #[value(name = "badjson")]
    BadJson,
}

#[derive(Debug, Args)]
pub(crate) struct ListenArgs {
    #[command(flatten, next_help_heading = CREDENTIALS)]
    pub(crate) credentials: CredentialArgs,
    /// Address to listen on (IP or host name, e.g. localhost:8080); port 0 picks a free
    /// port (the bound address is printed first)
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080", value_parser = listen_address, help_heading = RECEIVER)]
    pub(crate) addr: SocketAddr,
    /// Allow an address other than loopback: the receiver then answers other machines
    #[arg(long, help_heading = RECEIVER)]
    pub(crate) allow_remote: bool,
    /// Force the vendor instead of detecting it from each body
    #[arg(long, value_parser = VendorParser, help_heading = RECEIVER)]
    pub(crate) vendor: Option<VendorArg>,
    /// Largest body accepted; larger ones get 413
    #[arg(long, value_name = "BYTES", default_value_t = 1 << 20, help_heading = RECEIVER)]
    pub(crate) max_body: usize,
    /// Keep the ids already processed in FILE, so they stay duplicates across restarts
    #[arg(long, value_name = "FILE", help_heading = RECEIVER)]
    pub(crate) store: Option<PathBuf>,
    /// Remember at most N processed ids (with or without --store), forgetting the oldest first; the summary counts the ids forgotten
    #[arg(long, value_name = "N", default_value_t = crate::listen::store::DEFAULT_LIMIT, value_parser = at_least_one)]
    pub(crate) store_limit: usize,
    /// Write every received callback into DIR as a raw HTTP request (read back by verify --request)
    #[arg(long, value_name = "DIR", help_heading = RECEIVER)]
    pub(crate) save: Option<PathBuf>,
    /// Fault the first N deliveries of each message (by msgId, or orderId/serviceProgessTimeNum)
    #[arg(long, value_name = "N", default_value_t = 0, help_heading = FAULTS)]
    pub(crate) fail_first: u32,
    /// Fault this share of deliveries, 0 to 1, drawn from --seed
    #[arg(long, value_name = "P", default_value_t = 0.0, value_parser = probability, help_heading = FAULTS)]
    pub(crate) fail_rate: f64,
    /// Seed for --fail-rate, so that a run can be repeated
    #[arg(long, value_name = "N", default_value_t = 0, help_heading = FAULTS)]
    pub(crate) seed: u64,
    /// What a faulted delivery gets
    #[arg(long, value_enum, default_value = "http500", help_heading = FAULTS)]
    pub(crate) fail_mode: FailMode,
    /// How long a `timeout` fault holds the connection before closing it
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_wait, help_heading = FAULTS)]
    pub(crate) fail_hold: Duration,
    /// Wait before every answer (`250ms`, `2s`; a bare number is seconds)
    #[arg(long, value_name = "DURATION", default_value = "0s", value_parser = parse_wait, help_heading = FAULTS)]
    pub(crate) delay: Duration,
    /// Time allowed for a request's head, and again for its body
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_wait, help_heading = RECEIVER)]
    pub(crate) read_timeout: Duration,
    /// Connections served at once; more wait to be accepted
    #[arg(long, value_name = "N", default_value_t = 256, help_heading = RECEIVER)]
    pub(crate) max_connections: usize,
    /// Stop after answering N requests
    #[arg(long, value_name = "N", help_heading = RUN)]
    pub(crate) max_requests: Option<u64>,
    /// Stop after this long (e.g. 30s)
    #[arg(long, value_name = "DURATION", value_parser = parse_wait, help_heading = RUN)]
    pub(crate) exit_after: Option<Duration>,
    /// Print JSON Lines on stdout: the bound address, one object per request, a summary
    #[arg(long, help_heading = OUTPUT)]
    pub(crate) json: bool,
    /// Stand in front of your app: forward every request to URL (http or https) byte for
    /// byte, relay its answer, and judge the answer as the vendor's sender reads it
    #[arg(long, value_name = "URL", conflicts_with_all = ["store", "delay"], help_heading = FORWARDING)]
    pub(crate) forward: Option<String>,
    /// With --forward: how long the app has to answer; then the sender gets 504
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_wait, help_heading = FORWARDING)]
    pub(crate) forward_timeout: Duration,
    /// With --forward: exit 1 if the app acknowledged a forged callback, or did not
    /// acknowledge a valid one (a duplicate included)
    #[arg(long, requires = "forward", help_heading = FORWARDING)]
    pub(crate) expect_app_correct: bool,
}

/// An IP address and port, or a host name that resolves (`localhost:8080`). Of a name's
/// addresses, IPv4 comes first: `localhost` then means 127.0.0.1, as in the examples, and
/// not ::1, which an IPv4-only client cannot reach.
fn listen_address(text: &str) -> Result<SocketAddr, String> {
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Ok(addr);
    }
    let usage = "give HOST:PORT, e.g. 127.0.0.1:8080 or localhost:8080";
    let Some((host, port)) = text.rsplit_once(':') else {
        return Err(format!("`{text}` has no port; {usage}"));
    };
    if host.is_empty() || port.parse::<u16>().is_err() {
        return Err(format!("`{text}` is not an address; {usage}"));
    }
    let resolved: Vec<SocketAddr> = text
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve `{host}` ({e}); {usage}"))?
        .collect();
    resolved
        .iter()
        .find(|a| a.is_ipv4())
        .or_else(|| resolved.first())
        .copied()
        .ok_or_else(|| format!("`{host}` resolves to no address; {usage}"))
}

fn probability(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("`{text}` is not a probability from 0 to 1")),
    }
}

/// `replay --timeout`: a duration as every flag takes it, and not zero (no attempt could
/// ever be answered).
fn attempt_timeout(text: &str) -> Result<Duration, String> {
    match parse_wait(text)? {
        d if d.is_zero() => Err(format!(
            "`{text}` allows no time; give a time such as 10s or 500ms"
        )),
        d => Ok(d),
    }
}

/// `--time-scale`: what every wait is multiplied by, finite and above zero.
fn time_scale(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(f) if f.is_finite() && f > 0.0 => Ok(f),
        _ => Err(format!(
            "`{text}` is not a positive number; give one such as 0.01"
        )),
    }
}

fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("`{text}` is not a whole number of at least 1")),
    }
}

#[derive(Debug, Args)]
pub(crate) struct ReplayArgs {
    /// Callbacks: files (JSON, JSON Lines, envelopes, raw HTTP requests), directories (their .json, .jsonl, .ndjson and .http files, by name), or - for stdin
    #[arg(value_name = "FILE|DIR", required = true)]
    pub(crate) inputs: Vec<String>,
    /// Where to POST the callbacks (http or https)
    #[arg(long, value_name = "URL", help_heading = DELIVERY)]
    pub(crate) url: String,
    /// An extra request header, `Name: value` (repeatable; replaces a carried header of that name)
    #[arg(long = "header", short = 'H', value_name = "'K: V'", help_heading = DELIVERY)]
    pub(crate) headers: Vec<String>,
    /// Time allowed for each attempt (`10`, `2s`, `500ms`)
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = attempt_timeout, help_heading = DELIVERY)]
    pub(crate) timeout: Duration,
    /// Waits between attempts: seconds (`2,4,8`) or with units (`500ms,2s`) [default: 2,4,8,16,32,64]
    #[arg(long, value_name = "LIST", conflicts_with = "no_retry", value_parser = Schedule::parse, help_heading = DELIVERY)]
    pub(crate) schedule: Option<Schedule>,
    /// One attempt per message, no retries
    #[arg(long, help_heading = DELIVERY)]
    pub(crate) no_retry: bool,
    /// Multiply every wait by F (0.01 runs the vendor sequence in 1.26 s of waits)
    #[arg(long, value_name = "F", default_value_t = 1.0, value_parser = time_scale, help_heading = DELIVERY)]
    pub(crate) time_scale: f64,
    /// Messages in flight at once (callbacks of one Dayu order always go one after another)
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=256), help_heading = DELIVERY)]
    pub(crate) concurrency: u32,
    /// How an acknowledgement is recognised [default: per vendor]
    #[arg(long, value_parser = ack_values(), help_heading = DELIVERY)]
    pub(crate) ack: Option<String>,
    /// Give each message a new identity before signing (AutoX3: msgId and createTime; Dayu: createTime), so de-duplicating receivers take repeated runs
    #[arg(long, help_heading = DELIVERY)]
    pub(crate) fresh: bool,
    /// After an acknowledgement, send the identical message N more times; each must be acknowledged
    #[arg(long, value_name = "N", default_value_t = 0, help_heading = DELIVERY)]
    pub(crate) duplicate: u32,
    /// Write the JSON report to FILE
    #[arg(long, value_name = "FILE", help_heading = OUTPUT)]
    pub(crate) report: Option<PathBuf>,
    /// Write a JUnit XML report to FILE (one test case per message)
    #[arg(long, value_name = "FILE", help_heading = OUTPUT)]
    pub(crate) junit: Option<PathBuf>,
    /// Print the JSON report on stdout
    #[arg(long, help_heading = OUTPUT)]
    pub(crate) json: bool,
    /// Trust the CA certificates in this PEM file (besides the built-in roots)
    #[arg(long, value_name = "FILE", help_heading = CONNECTION)]
    pub(crate) cacert: Option<PathBuf>,
    /// Do not verify the receiver's TLS certificate (tests only)
    #[arg(long, help_heading = CONNECTION)]
    pub(crate) insecure: bool,
    /// Reuse connections between requests, for bulk replays; by default every attempt
    /// opens a fresh connection, as the vendors' senders do
    #[arg(long, help_heading = CONNECTION)]
    pub(crate) keep_alive: bool,
    /// Force the vendor instead of detecting it from each payload
    #[arg(long, value_parser = VendorParser, help_heading = INPUT)]
    pub(crate) vendor: Option<VendorArg>,
    /// Largest callback (or JSON Lines line) accepted, in bytes
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_SIZE, help_heading = INPUT)]
    pub(crate) max_size: usize,
    #[command(flatten, next_help_heading = CREDENTIALS)]
    pub(crate) credentials: CredentialArgs,
}

#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Multiply every wait of the vendor's retry schedule by F (0.01: the 126 s of waits in 1.26 s)
    #[arg(
        long,
        value_name = "F",
        default_value_t = 0.01,
        conflicts_with = "real_time",
        value_parser = time_scale,
        help_heading = RUN
    )]
    pub(crate) time_scale: f64,
    /// Wait the vendor's real intervals, 2 s to 64 s (the run takes over two minutes)
    #[arg(long, help_heading = RUN)]
    pub(crate) real_time: bool,
    /// Size of the fresh Dayu RSA key pair (under 2048 only for quicker tests)
    #[arg(long, default_value_t = 2048, value_parser = clap::value_parser!(u32).range(512..=8192), help_heading = RUN)]
    pub(crate) bits: u32,
    /// Use this AutoX3 secret instead of a random one (for tests that it is never printed)
    #[arg(long, value_name = "S", hide = true, help_heading = RUN)]
    pub(crate) secret: Option<String>,
    /// Print one JSON report on stdout (the live lines and the summary stay on stderr)
    #[arg(long, help_heading = OUTPUT)]
    pub(crate) json: bool,
}

/// The languages `cbtool snippet` has receivers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SnippetLanguage {
    /// Java 17+: com.sun.net.httpserver, run as `java FILE.java`
    Java,
    /// Python 3.11+: http.server
    Python,
    /// Node.js 20+: http
    #[value(alias = "javascript", alias = "js")]
    Node,
    /// Go 1.19+: net/http
    Go,
    /// PHP 8.1+: php://input, run with `php -S`
    Php,
}

#[derive(Debug, Args)]
pub(crate) struct SnippetArgs {
    /// The language of the receiver
    #[arg(value_enum, required_unless_present = "list")]
    pub(crate) language: Option<SnippetLanguage>,
    /// Whose callbacks the receiver verifies
    #[arg(long, value_parser = VendorParser, required_unless_present = "list", help_heading = SELECTION)]
    pub(crate) vendor: Option<VendorArg>,
    /// List the snippets there are (of LANG and --vendor, when given) and how to run each
    #[arg(long, help_heading = SELECTION)]
    pub(crate) list: bool,
    /// Write the code to FILE instead of printing it
    #[arg(long, value_name = "FILE", conflicts_with = "list", help_heading = OUTPUT)]
    pub(crate) out: Option<PathBuf>,
    /// With --out: overwrite FILE if it exists
    #[arg(long, requires = "out", help_heading = OUTPUT)]
    pub(crate) force: bool,
    /// Print JSON: with --list, the snippets; otherwise the snippet's file name, run command and code
    #[arg(long, help_heading = OUTPUT)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// Files or directories (read recursively, sorted by name: *.json, *.jsonl, *.ndjson, *.http); - for stdin
    #[arg(value_name = "FILE", required_unless_present = "print_schema")]
    pub(crate) files: Vec<String>,
    /// Print one embedded JSON Schema and exit
    #[arg(long, value_parser = schema_names(), value_name = "NAME", conflicts_with_all = ["files", "sequence"], help_heading = OUTPUT)]
    pub(crate) print_schema: Option<String>,
    /// Also check that the callbacks, in the order given, are one Dayu order's legal history
    #[arg(long, help_heading = CHECKS)]
    pub(crate) sequence: bool,
    /// Fail (exit 1) on warnings too
    #[arg(long, help_heading = CHECKS)]
    pub(crate) strict: bool,
    /// Treat every input as JSON Lines: one callback a line
    #[arg(long, help_heading = INPUT)]
    pub(crate) jsonl: bool,
    /// Force the vendor instead of detecting it from the payload
    #[arg(long, value_parser = VendorParser, help_heading = INPUT)]
    pub(crate) vendor: Option<VendorArg>,
    /// Largest callback (or JSON Lines line) accepted, in bytes
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_SIZE, help_heading = INPUT)]
    pub(crate) max_size: usize,
    /// Print one JSON document on stdout instead of text
    #[arg(long, help_heading = OUTPUT)]
    pub(crate) json: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replay(flags: &[&str]) -> Result<ReplayArgs, clap::Error> {
        let args = [
            &["cbtool", "replay", "--url", "http://127.0.0.1:9/"],
            flags,
            &["x.json"],
        ];
        match Cli::try_parse_from(args.concat())?.command {
            Command::Replay(args) => Ok(args),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn durations_and_schedules_arrive_typed() {
        let args = replay(&["--timeout", "250ms", "--schedule", "1,2s,500ms"]).unwrap();
        assert_eq!(args.timeout, Duration::from_millis(250));
        let waits = [1000, 2000, 500].map(Duration::from_millis).to_vec();
        assert_eq!(args.schedule, Some(Schedule::from_waits(waits)));
        let args = replay(&["--timeout", "2", "--time-scale", "0.01"]).unwrap();
        assert_eq!(
            (args.timeout, args.time_scale),
            (Duration::from_secs(2), 0.01)
        );
        let defaults = replay(&[]).unwrap();
        assert_eq!(defaults.timeout, Duration::from_secs(10));
        assert_eq!((defaults.schedule, defaults.time_scale), (None, 1.0));
    }

    #[test]
    fn a_bad_value_is_clap_s_usage_error_naming_the_flag() {
        let cases = [
            (
                ["--timeout", "5x"],
                "'--timeout <DURATION>': `5x` is not a duration",
            ),
            (
                ["--timeout", "0ms"],
                "'--timeout <DURATION>': `0ms` allows no time",
            ),
            (
                ["--schedule", "2,,4"],
                "'--schedule <LIST>': `2,,4` has an empty item",
            ),
            (
                ["--schedule", "2,-1"],
                "'--schedule <LIST>': `-1`: a duration cannot be negative",
            ),
            (
                ["--time-scale", "0"],
                "'--time-scale <F>': `0` is not a positive number",
            ),
            (
                ["--time-scale", "inf"],
                "'--time-scale <F>': `inf` is not a positive number",
            ),
        ];
        for (flags, expected) in cases {
            let e = replay(&flags).unwrap_err();
            assert_eq!(
                e.kind(),
                clap::error::ErrorKind::ValueValidation,
                "{flags:?}"
            );
            assert_eq!(e.exit_code(), 2);
            assert!(e.to_string().contains(expected), "{flags:?}: {e}");
        }
    }
}
