//! `cbtool sign`: the signature alone, or the whole signed request.

use super::terminal::Json;
use super::{choose_vendor, credentials, flush_warnings, input_spec, Output};
use crate::cli::SignArgs;
use crate::credentials::Credentials;
use crate::error::{Result, EXIT_OK};
use crate::input::{Document, Documents};
use crate::vendors::Message;

pub(crate) fn run(args: SignArgs, output: &mut Output) -> Result<i32> {
    let creds = credentials(&args.credentials)?;
    let (path, format) = input_spec(&args.input, output)?;
    for doc in Documents::open(&path, format, args.input.max_size)? {
        let doc = doc?;
        sign_one(&doc, &args, &creds, output).map_err(|e| doc.locate(e))?;
    }
    Ok(EXIT_OK)
}

fn sign_one(
    doc: &Document,
    args: &SignArgs,
    creds: &Credentials,
    output: &mut Output,
) -> Result<()> {
    let msg = Message::with_headers(doc.source.clone(), &doc.body, doc.headers.clone());
    let top = msg.top_level()?;
    let vendor = choose_vendor(args.input.vendor, &msg.source, top)?;
    let printed = if args.embed {
        String::from_utf8_lossy(&vendor.embed(&msg, creds)?).into_owned()
    } else {
        vendor.sign(&msg, creds)?
    };
    flush_warnings(creds, output);
    if args.json {
        let (embedded, signature, signed_string) = if args.embed {
            (Some(printed), None, None)
        } else {
            let signed = vendor.signed_string(&msg, creds)?.text();
            (None, Some(printed), Some(signed))
        };
        output.line(Json(SignedJson {
            source: &msg.source,
            vendor: vendor.id(),
            id: vendor.message_id(&msg),
            embedded,
            signature,
            signed_string,
        }));
    } else {
        output.line(printed);
    }
    Ok(())
}

/// `sign --json`: the whole signed request (`--embed`), or the signature and the string it covers.
#[derive(serde::Serialize)]
struct SignedJson<'a> {
    source: &'a str,
    vendor: &'static str,
    id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    embedded: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signature: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signed_string: Option<String>,
}
