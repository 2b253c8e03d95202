//! `cbtool sample`: generate callbacks from a seed, sign them when the credential is
//! given, and print them as JSON Lines, files, or curl commands.

use std::path::{Path, PathBuf};

use super::terminal::{Json, Kind};
use super::{credentials, flush_warnings, vendor_for, Output};
use crate::cli::{LifecyclePathArg, SampleArgs};
use crate::credentials::Credentials;
use crate::error::{Error, Result, EXIT_OK};
use crate::sample::{curl, Generator, LifecyclePath, Plan, Sample};
use crate::vendors::{Delivery, Message, Vendor};

/// A sample ready to write to a file: its name and the printed form.
struct Prepared {
    name: &'static str,
    printed: Vec<u8>,
}

pub(crate) fn run(args: SampleArgs, output: &mut Output) -> Result<i32> {
    let vendor = vendor_for(args.vendor);
    if let Some(dir) = &args.out {
        // Checked before any work, as every output is.
        super::outputs::writable_dir(dir, "the samples (--out)")?;
    }
    let creds = credentials(&args.credentials)?;
    let signing = vendor.can_sign(&creds);
    warn_unsigned(&args, vendor, signing, output);
    let seed = args.seed.unwrap_or_else(rand::random::<u64>);
    let mut generator = Generator::new(seed);
    let (plan, rounds) = match args.lifecycle {
        true => (Plan::Lifecycle(path(args.path)), 1),
        false => (Plan::One, args.count),
    };
    let mut for_files = Vec::new();
    let mut index = 0;
    // Streamed, so that `--count 1000000` needs no memory; the seed is announced once
    // the first sample is signed, so that a bad key stays the only line printed.
    for _ in 0..rounds {
        for sample in vendor.sample(&mut generator, plan)? {
            index += 1;
            let source = format!("sample {index}");
            let line = match (&args.out, &args.curl) {
                (Some(_), _) => {
                    let name = sample.name;
                    let printed = printed(vendor, &creds, signing, &source, sample)?;
                    for_files.push(Prepared { name, printed });
                    None
                }
                (None, Some(url)) => {
                    let sent = request(vendor, &creds, signing, &source, sample)?;
                    let body = String::from_utf8_lossy(&sent.body);
                    Some(curl::command(url, &sent.headers, &body))
                }
                (None, None) => {
                    let printed = printed(vendor, &creds, signing, &source, sample)?;
                    Some(String::from_utf8_lossy(&printed).into_owned())
                }
            };
            flush_warnings(&creds, output);
            if index == 1 && args.out.is_none() {
                announce_seed(&args, seed, output);
            }
            if let Some(line) = line {
                output.line(line);
            }
        }
    }
    if let Some(dir) = &args.out {
        write_files(dir, &for_files, &args, vendor, seed, signing, output)?;
        announce_seed(&args, seed, output);
    }
    Ok(EXIT_OK)
}

/// A drawn seed goes to stderr, so that the run can be repeated.
fn announce_seed(args: &SampleArgs, seed: u64, output: &mut Output) {
    if args.seed.is_none() {
        let _ = writeln!(
            output.stream(Kind::Note),
            "seed: {seed} (pass --seed {seed} to repeat this output)"
        );
    }
}

fn path(arg: LifecyclePathArg) -> LifecyclePath {
    match arg {
        LifecyclePathArg::Complete => LifecyclePath::Complete,
        LifecyclePathArg::Cancel => LifecyclePath::Cancel,
        LifecyclePathArg::Rework => LifecyclePath::Rework,
    }
}

/// Says when a credential was given that this vendor does not sign with, or when curl
/// commands would send unsigned callbacks: both are usually a mistake.
fn warn_unsigned(args: &SampleArgs, vendor: &dyn Vendor, signing: bool, output: &mut Output) {
    if signing {
        return;
    }
    let c = &args.credentials;
    let some_credential = !c.given.is_empty();
    let how = signing_flags(vendor);
    if some_credential || args.curl.is_some() {
        output.warn(format!(
            "{} samples are signed only with {how}; these are unsigned",
            vendor.name()
        ));
    }
}

/// The sample as printed: signed, the exact `sign --embed` form; else the body itself.
fn printed(
    vendor: &dyn Vendor,
    creds: &Credentials,
    signing: bool,
    source: &str,
    sample: Sample,
) -> Result<Vec<u8>> {
    match signing {
        true => vendor.embed(&Message::new(source, &sample.body), creds),
        false => Ok(sample.body),
    }
}

/// The HTTP request the sample stands for, built once from what the vendor sends (its
/// headers, and `Content-Type` first when it sends none): nothing printed is read back.
fn request(
    vendor: &dyn Vendor,
    creds: &Credentials,
    signing: bool,
    source: &str,
    sample: Sample,
) -> Result<Delivery> {
    let mut delivery = match signing {
        true => vendor.signed_delivery(&Message::new(source, &sample.body), creds)?,
        false => Delivery {
            headers: Vec::new(),
            body: sample.body,
        },
    };
    let headers = &mut delivery.headers;
    if !headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
    {
        headers.insert(0, ("Content-Type".into(), "application/json".into()));
    }
    Ok(delivery)
}

/// One file per callback, `NN-name.json`, numbered in sending order.
fn write_files(
    dir: &Path,
    prepared: &[Prepared],
    args: &SampleArgs,
    vendor: &dyn Vendor,
    seed: u64,
    signing: bool,
    output: &mut Output,
) -> Result<()> {
    let width = prepared.len().to_string().len().max(2);
    let paths: Vec<PathBuf> = prepared
        .iter()
        .enumerate()
        .map(|(i, p)| dir.join(format!("{:0width$}-{}.json", i + 1, p.name)))
        .collect();
    if !args.force {
        if let Some(existing) = paths.iter().find(|p| p.exists()) {
            return Err(Error::new(format!(
                "{}: already exists; pass --force to overwrite, or choose another --out",
                existing.display()
            )));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| {
        Error::new(format!(
            "{}: cannot create the directory: {e}",
            dir.display()
        ))
    })?;
    for (path, p) in paths.iter().zip(prepared) {
        let mut bytes = p.printed.clone();
        bytes.push(b'\n');
        std::fs::write(path, bytes)
            .map_err(|e| Error::new(format!("{}: cannot write: {e}", path.display())))?;
    }
    if args.json {
        output.line(Json(SummaryJson {
            vendor: vendor.id(),
            seed,
            signed: signing,
            files: &paths,
        }));
    } else {
        let _ = writeln!(
            output.stream(Kind::Note),
            "wrote {} {} callbacks to {}",
            paths.len(),
            vendor.name(),
            dir.display()
        );
    }
    Ok(())
}

/// How to give what `vendor` signs with: `--secret-file (or --secret, VARIABLE)`.
fn signing_flags(vendor: &dyn Vendor) -> String {
    let ways: Vec<String> = vendor
        .credentials()
        .iter()
        .filter(|spec| spec.signs())
        .map(|spec| spec.ways())
        .collect();
    ways.join(" or ")
}

/// `sample --out DIR --json`: what was written, and how to write it again.
#[derive(serde::Serialize)]
struct SummaryJson<'a> {
    vendor: &'static str,
    seed: u64,
    signed: bool,
    files: &'a [PathBuf],
}
