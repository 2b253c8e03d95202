//! `cbtool sample`: generate callbacks from a seed, sign them when the credential is
//! given, and print them as JSON Lines, files, or curl commands.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use super::terminal::{Json, Kind};
use super::{credentials, flush_warnings, vendor_for, Output};
use crate::cli::{LifecyclePathArg, SampleArgs};
use crate::credentials::Credentials;
use crate::error::{Error, Result, EXIT_OK};
use crate::input::{Documents, Format};
use crate::sample::{curl, Generator, LifecyclePath, Plan, Sample};
use crate::vendors::{Message, Vendor};

/// A sample ready to print: what is shown, and the HTTP request it stands for.
struct Prepared {
    name: &'static str,
    printed: Vec<u8>,
    body: Vec<u8>,
    headers: Vec<(String, String)>,
}

pub fn run(args: SampleArgs, output: &mut Output) -> Result<i32> {
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
            let p = prepare(vendor, &creds, signing, sample, index)?;
            flush_warnings(&creds, output);
            if index == 1 && args.out.is_none() {
                announce_seed(&args, seed, output);
            }
            match (&args.out, &args.curl) {
                (Some(_), _) => for_files.push(p),
                (None, Some(url)) => {
                    let body = String::from_utf8_lossy(&p.body);
                    output.line(curl::command(url, &p.headers, &body));
                }
                (None, None) => output.line(String::from_utf8_lossy(&p.printed)),
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
    let some_credential = c.secret.is_some()
        || c.secret_file.is_some()
        || c.private_key.is_some()
        || c.public_key.is_some();
    let how = match vendor.id() {
        "autox3" => "--secret-file (or --secret, CBTOOL_AUTOX3_SECRET)",
        _ => "--private-key (or CBTOOL_DAYU_PRIVATE_KEY)",
    };
    if some_credential || args.curl.is_some() {
        output.warn(format!(
            "{} samples are signed only with {how}; these are unsigned",
            vendor.name()
        ));
    }
}

/// Signs the sample (the exact `sign --embed` form) and works out the request it stands
/// for: the envelope's headers and body, or the body itself.
fn prepare(
    vendor: &dyn Vendor,
    creds: &Credentials,
    signing: bool,
    sample: Sample,
    index: usize,
) -> Result<Prepared> {
    let source = format!("sample {index}");
    let printed = if signing {
        vendor.embed(&Message::new(source.clone(), &sample.body), creds)?
    } else {
        sample.body
    };
    let reader = Box::new(Cursor::new(printed.clone()));
    let max = printed.len() + 1;
    let doc = Documents::from_reader(source.clone(), reader, Format::Json, max)?
        .next()
        .ok_or_else(|| Error::new(format!("{source}: the generated sample is empty")))??;
    let mut headers = doc.headers;
    if !headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
    {
        headers.insert(0, ("Content-Type".into(), "application/json".into()));
    }
    Ok(Prepared {
        name: sample.name,
        printed,
        body: doc.body,
        headers,
    })
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

/// `sample --out DIR --json`: what was written, and how to write it again.
#[derive(serde::Serialize)]
struct SummaryJson<'a> {
    vendor: &'static str,
    seed: u64,
    signed: bool,
    files: &'a [PathBuf],
}
