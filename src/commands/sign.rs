//! `cbtool sign`: the signature alone, or the whole signed request.

use super::{choose_vendor, credentials, flush_warnings, input_spec, Output};
use crate::cli::SignArgs;
use crate::credentials::Credentials;
use crate::error::{Result, EXIT_OK};
use crate::input::{Document, Documents};
use crate::vendors::Message;

pub fn run(args: SignArgs, output: &mut Output) -> Result<i32> {
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
        let mut object = serde_json::json!({
            "source": msg.source,
            "vendor": vendor.id(),
            "id": vendor.message_id(top),
        });
        if args.embed {
            object["embedded"] = serde_json::Value::String(printed);
        } else {
            object["signature"] = serde_json::Value::String(printed);
            object["signed_string"] = vendor.signed_string(&msg, creds)?.text().into();
        }
        output.line(object);
    } else {
        output.line(printed);
    }
    Ok(())
}
