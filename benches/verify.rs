//! Hot paths: AutoX3 signing input + SHA-1 on a ~1 KB callback (the full verdict, and
//! the check a stream runs on each line), JSON validation of the top level, Dayu
//! verification (one RSA-2048 public-key operation), JSON Lines streaming through the
//! input layer (a line at a time, and in blocks as `verify` reads a file), schema
//! validation (what `validate` and `listen` run on every callback), and the decision
//! `listen` makes of each request, with and without the schema check.
//! `benches/compare.sh` puts the end-to-end figures next to their anchors.

use std::io::{BufRead, Cursor};

use cbtool::credentials::{Credentials, Given};
use cbtool::input::{Documents, Format};
use cbtool::json::TopLevel;
use cbtool::secret::Secret;
use cbtool::vendors::{self, Message, Vendor};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!("{ROOT}/{path}")).expect("fixture")
}

fn autox3(c: &mut Criterion) {
    let body = fixture("fixtures/autox3/receivebase-create.compact.json");
    let creds = Credentials::default().with(
        &cbtool::vendors::autox3::credential::APP_SECRET,
        Given::Secret(Secret::new("cbtool-test-only-secret")),
    );
    let mut group = c.benchmark_group("autox3");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("verify one callback", |b| {
        b.iter(|| {
            let msg = Message::new("bench", &body);
            let target = vendors::target(&vendors::autox3::AutoX3, &msg, None).expect("target");
            let verdict = vendors::autox3::AutoX3
                .verify(&msg, &creds, &target)
                .expect("verify");
            assert!(verdict.valid);
        })
    });
    // What a stream does with each line: the check without the report.
    group.bench_function("check one stream line", |b| {
        b.iter(|| {
            let msg = Message::new("", &body);
            assert!(vendors::autox3::AutoX3.passes(&msg, &creds, None));
        })
    });
    // The worst case of `--explain`: a ~1 KB body full of what serializers change
    // (numbers, HTML characters, a null, an empty object, Chinese, slashes) and a
    // signature nothing reproduces, so the whole search runs. Goal: under one second.
    let rich = fixture("fixtures/libraries/autox3/bodies/rich.compact.json");
    let unmatched = vendors::Target {
        signature: "0000000000000000000000000000000000000000".into(),
        origin: vendors::SignatureOrigin::User,
    };
    group.bench_function("explain, worst case (nothing matches, 1 KB)", |b| {
        b.iter(|| {
            let msg = Message::new("bench", &rich);
            let d = vendors::autox3::AutoX3
                .diagnose(&msg, &creds, &unmatched)
                .expect("diagnose");
            assert!(d.matched.is_none());
        })
    });
    group.bench_function("validate JSON, top-level members", |b| {
        b.iter(|| {
            let top = TopLevel::parse("bench", &body).expect("parse");
            assert!(top.contains("msgSignature"));
        })
    });
    group.finish();
}

fn dayu(c: &mut Criterion) {
    let envelope = fixture("fixtures/dayu/envelopes/03-accepted.json");
    let docs: Vec<_> = Documents::from_reader(
        "bench".into(),
        Box::new(Cursor::new(envelope)),
        Format::Auto,
        1 << 20,
    )
    .expect("open")
    .collect::<Result<_, _>>()
    .expect("read");
    let doc = &docs[0];
    let creds = Credentials::default().with(
        &cbtool::vendors::dayu::credential::PUBLIC_KEY,
        Given::Path(format!("{ROOT}/fixtures/dayu/keys/public.pem").into()),
    );
    c.bench_function("dayu/verify one callback", |b| {
        b.iter(|| {
            let msg = Message::with_headers("bench", &doc.body, doc.headers.clone());
            let target = vendors::target(&vendors::dayu::Dayu, &msg, None).expect("target");
            assert!(
                vendors::dayu::Dayu
                    .verify(&msg, &creds, &target)
                    .expect("verify")
                    .valid
            );
        })
    });
}

fn stream(c: &mut Criterion) {
    let line = fixture("fixtures/autox3/receivebase-create.compact.json");
    let mut text = Vec::new();
    for _ in 0..1000 {
        text.extend_from_slice(line.trim_ascii_end());
        text.push(b'\n');
    }
    let mut group = c.benchmark_group("jsonl");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("read 1000 lines", |b| {
        b.iter(|| {
            let reader: Box<dyn BufRead + Send> = Box::new(Cursor::new(text.clone()));
            let n = Documents::from_reader("bench".into(), reader, Format::JsonLines, 1 << 20)
                .expect("open")
                .count();
            assert_eq!(n, 1000);
        })
    });
    // How `verify` reads a file: blocks of lines in one buffer.
    group.bench_function("read 1000 lines in blocks", |b| {
        b.iter(|| {
            let reader: Box<dyn BufRead + Send> = Box::new(Cursor::new(text.clone()));
            let mut docs =
                Documents::from_reader("bench".into(), reader, Format::JsonLines, 1 << 20)
                    .expect("open");
            let mut n = 0;
            while let Some(mut block) = docs.next_block(256) {
                n += block.items().count();
            }
            assert_eq!(n, 1000);
        })
    });
    group.finish();
}

/// What `listen` (and `listen --forward`) does with each request besides HTTP: the
/// receiver's decision with and without the schema check. Every iteration is a
/// duplicate after the first, as under wrk in `benches/forward.sh`.
fn listen(c: &mut Criterion) {
    use cbtool::listen::{FaultMode, FaultPlan, Receiver, SchemaCheck, SeenIds};
    let body = fixture("fixtures/autox3/receivebase-create.compact.json");
    let headers = vec![("content-type".to_string(), "application/json".to_string())];
    let receiver = |checked: bool| {
        let creds = Credentials::default().with(
            &cbtool::vendors::autox3::credential::APP_SECRET,
            Given::Secret(Secret::new("cbtool-test-only-secret")),
        );
        let faults = FaultPlan::new(0, 0.0, 1, FaultMode::Http500);
        let r = Receiver::new(creds, None, SeenIds::bounded(1000), faults);
        if checked {
            r.with_check(Box::new(SchemaCheck))
        } else {
            r
        }
    };
    let mut group = c.benchmark_group("listen");
    for (name, checked) in [
        ("decide, signature only", false),
        ("decide, with the schema check", true),
    ] {
        let r = receiver(checked);
        assert_eq!(r.handle(&headers, &body).signature_valid, Some(true));
        group.bench_function(name, |b| b.iter(|| r.handle(&headers, &body)));
    }
    group.finish();
}

fn schema(c: &mut Criterion) {
    let cases = [
        ("autox3", "fixtures/autox3/receivebase-create.en.json"),
        ("dayu", "fixtures/dayu/events/06-service-record.json"),
    ];
    let mut group = c.benchmark_group("schema");
    for (vendor_id, path) in cases {
        let text = String::from_utf8(fixture(path)).expect("UTF-8 fixture");
        let rules = cbtool::vendors::by_id(vendor_id).expect("vendor").rules();
        // The first call compiles the embedded schemas; measure the steady state.
        cbtool::schema::validate(rules, &text).expect("validate");
        group.bench_function(format!("validate one {vendor_id} callback"), |b| {
            b.iter(|| cbtool::schema::validate(rules, &text).expect("validate"))
        });
    }
    group.finish();
}

criterion_group!(benches, autox3, dayu, stream, schema, listen);
criterion_main!(benches);
