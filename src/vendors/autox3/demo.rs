//! AutoX3's part of `cbtool demo`: the document's sample in its three layouts, each with
//! its own identity (they share the document's msgId), through the faults AutoX3's retry
//! sequence must ride out, a duplicate, and a copy tampered with after signing.

use crate::fixture;
use crate::vendors::script::{DemoStep, Fault};

const COMPACT: crate::vendors::Fixture = fixture!("autox3/receivebase-create.compact.json");

pub(crate) static SCRIPT: [DemoStep; 4] = [
    DemoStep {
        fresh: true,
        ..DemoStep::new(COMPACT, &[Fault::Http500, Fault::Http500])
    },
    DemoStep {
        fresh: true,
        again: true,
        ..DemoStep::new(
            fixture!("autox3/receivebase-create.en.json"),
            &[Fault::Refused, Fault::BadJson],
        )
    },
    DemoStep {
        fresh: true,
        ..DemoStep::new(
            fixture!("autox3/receivebase-create.zh.json"),
            &[Fault::Http500],
        )
    },
    // `JING` becomes `JINQ`: still valid JSON, no longer what was signed.
    DemoStep {
        fresh: true,
        tamper: Some((b"\"carNum\":\"JING\"", 13, b'Q')),
        ..DemoStep::new(COMPACT, &[])
    },
];
