//! `cbtool snippet`: prints (or writes) the tested receiver code of a language and vendor,
//! byte for byte as it sits in `snippets/`, or lists what exists.

use std::io::Write;
use std::path::Path;

use clap::ValueEnum;

use super::terminal::Json;
use super::{vendor_for, Output};
use crate::cli::{SnippetArgs, SnippetLanguage};
use crate::error::{Error, Result, EXIT_OK};
use crate::snippet::{self, Snippet, LANGUAGES};

pub(crate) fn run(args: SnippetArgs, output: &mut Output) -> Result<i32> {
    let language = args.language.map(language_id);
    let vendor = args.vendor.map(|v| vendor_for(v).id());
    if args.list {
        list(language, vendor, args.json, output);
        return Ok(EXIT_OK);
    }
    let (Some(language), Some(vendor)) = (language, vendor) else {
        let example = crate::vendors::all().first().map_or("ID", |v| v.id());
        return Err(Error::new(format!(
            "give a language and --vendor (e.g. `cbtool snippet python --vendor {example}`), or --list"
        )));
    };
    let snippet = snippet::find(language, vendor).ok_or_else(|| {
        Error::new(format!(
            "no {language} snippet for {vendor}; `cbtool snippet --list` shows what exists"
        ))
    })?;
    match &args.out {
        None if args.json => output.line(Json(describe(snippet, Some(snippet.code), None))),
        // Exactly the file's bytes: no newline added, none taken away. A closed pipe
        // (`| head`) ends the output quietly, as every report line does.
        None => {
            let _ = output.out().write_all(snippet.code.as_bytes());
        }
        Some(path) => {
            write_file(path, snippet.code, args.force)?;
            if args.json {
                output.line(Json(describe(snippet, None, Some(path))));
            } else {
                output.line(format!(
                    "wrote {}: the {} {} receiver ({}, standard library only); run it with:\n  {}",
                    path.display(),
                    snippet.vendor,
                    snippet.language,
                    snippet.runtime,
                    // The command names the file as written, wherever --out put it.
                    snippet
                        .run()
                        .replace(snippet.file, &path.display().to_string())
                ));
            }
        }
    }
    Ok(EXIT_OK)
}

/// The id `cbtool snippet` and the snippet table use for a language.
fn language_id(language: SnippetLanguage) -> &'static str {
    let id = language
        .to_possible_value()
        .map(|v| v.get_name().to_string());
    LANGUAGES
        .into_iter()
        .find(|known| id.as_deref() == Some(*known))
        .unwrap_or_default()
}

/// A snippet in `snippet --json`: how to run it, and its code or where it was written.
#[derive(serde::Serialize)]
struct SnippetJson<'a> {
    language: &'static str,
    vendor: &'static str,
    file: &'static str,
    runtime: &'static str,
    command: String,
    run: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    out: Option<&'a Path>,
}

/// `snippet --list --json`.
#[derive(serde::Serialize)]
struct ListJson<'a> {
    snippets: Vec<SnippetJson<'a>>,
}

fn describe<'a>(
    snippet: &Snippet,
    code: Option<&'a str>,
    out: Option<&'a Path>,
) -> SnippetJson<'a> {
    SnippetJson {
        language: snippet.language,
        vendor: snippet.vendor,
        file: snippet.file,
        runtime: snippet.runtime,
        command: snippet.command(),
        run: snippet.run(),
        code,
        out,
    }
}

fn list(language: Option<&str>, vendor: Option<&str>, json: bool, output: &mut Output) {
    let mut chosen: Vec<&Snippet> = snippet::all()
        .filter(|s| language.is_none_or(|l| s.language == l))
        .filter(|s| vendor.is_none_or(|v| s.vendor == v))
        .collect();
    // Language by language, each language's vendors in registry order (the sort is stable).
    chosen.sort_by_key(|s| LANGUAGES.iter().position(|l| *l == s.language));
    if json {
        let snippets = chosen.iter().map(|s| describe(s, None, None)).collect();
        output.line(Json(ListJson { snippets }));
        return;
    }
    output.line(format!(
        "{:<8} {:<7} {:<21} {:<25} COMMAND",
        "LANGUAGE", "VENDOR", "FILE", "RUNTIME"
    ));
    for s in chosen {
        output.line(format!(
            "{:<8} {:<7} {:<21} {:<25} {}",
            s.language,
            s.vendor,
            s.file,
            s.runtime,
            s.command()
        ));
    }
    output.line("Standard library only; each file's first comment says how to run it.");
}

/// Writes the code; an existing file is kept unless `force`, checked by the open itself
/// so that nothing can appear between a check and the write.
fn write_file(path: &Path, code: &str, force: bool) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => Error::new(format!(
            "{}: already exists; pass --force to overwrite it, or choose another --out",
            path.display()
        )),
        _ => Error::new(format!("{}: cannot write: {e}", path.display())),
    })?;
    file.write_all(code.as_bytes())
        .map_err(|e| Error::new(format!("{}: cannot write: {e}", path.display())))
}
