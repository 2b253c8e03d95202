// A test that cannot unwrap has failed: panicking is the report.
#![allow(clippy::unwrap_used)]

use super::check::{check, expected_tally};
use super::*;
use crate::listen::{Receiver, SeenIds, Tally};
use crate::replay::{Attempt, Outcome, State};
use crate::secret::Secret;

fn creds() -> (Credentials, Credentials) {
    // A small key keeps the test fast; the demo's strength is not what is tested.
    let pair = crate::keys::generate(1024).unwrap();
    let key = crate::keys::private_key("generated", pair.private_pem.as_bytes())
        .unwrap()
        .key;
    let (sender, receiving, _) = credentials(&Secret::new("demo-test-secret"), &key, 1024);
    (sender, receiving)
}

fn scenario_for_tests() -> (Scenario, Credentials) {
    let (sender, receiving) = creds();
    let mut n = 0;
    let mut fresh = || {
        n += 1;
        Fresh {
            msg_id: format!("demo-{n}"),
            now_ms: 1_700_000_000_000,
        }
    };
    (
        scenario(&sender, Schedule::default(), &mut fresh).unwrap(),
        receiving,
    )
}

#[test]
fn every_message_verifies_but_the_tampered_one_and_the_repeat_is_a_duplicate() {
    let (s, receiving) = scenario_for_tests();
    assert_eq!(s.planned.len(), 13);
    let r = Receiver::new(
        receiving,
        None,
        SeenIds::in_memory(),
        crate::listen::FaultPlan::none(),
    );
    for p in &s.planned {
        let m = &p.outgoing;
        let d = r.handle(&m.headers, &m.body);
        match p.expect {
            Expect::Delivered { .. } => assert!(d.acked() && !d.duplicate, "{}: {d:?}", m.source),
            Expect::Duplicate => assert!(d.acked() && d.duplicate, "{}", m.source),
            Expect::Rejected { .. } => assert_eq!(d.signature_valid, Some(false)),
        }
    }
}

#[test]
fn the_expected_tally_adds_up() {
    let (s, _) = scenario_for_tests();
    let t = expected_tally(&s);
    assert_eq!(
        t,
        Tally {
            requests: 3 + 3 + 1 + 2 + 9 + 7,
            processed: 11,
            duplicates: 1,
            rejected: 7,
            faults: 6,
        }
    );
}

#[test]
fn a_message_acknowledged_too_early_fails_its_check() {
    let (s, _) = scenario_for_tests();
    let attempt = |n, status| Attempt {
        attempt: n,
        started_ms: 0,
        elapsed_ms: 1,
        http_status: Some(status),
        acked: status == 200,
        error: None,
        duplicate: false,
        ordinal: n,
        of: 7,
    };
    let outcomes: Vec<Outcome> = s
        .planned
        .iter()
        .map(|p| Outcome {
            source: p.outgoing.source.clone(),
            vendor: p.outgoing.vendor,
            id: p.outgoing.id.clone(),
            state: State::Delivered,
            attempts: vec![attempt(1, 200)],
        })
        .collect();
    let verdict = check(&s, &outcomes, &[]);
    assert!(!verdict.ok());
    assert!(!verdict.checks[0].ok);
    assert!(verdict.checks[0]
        .expected
        .contains("attempt 3 after http500, http500"));
    assert!(verdict.checks[0]
        .actual
        .contains("after 1 attempt(s) (200)"));
}
