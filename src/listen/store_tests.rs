//! The id store's tests: exact de-duplication under concurrency, durability across a
//! kill, and the bound (oldest forgotten first, counted, the file kept small).

use super::*;
use std::sync::Arc;

#[test]
fn exactly_one_of_many_concurrent_claims_wins() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = SeenIds::open(&dir.path().join("seen"), 10).unwrap();
    let store = Arc::new(store);
    let wins: usize = (0..20)
        .map(|_| {
            let store = Arc::clone(&store);
            std::thread::spawn(move || store.claim("vendor:m1").unwrap())
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| usize::from(t.join().unwrap()))
        .sum();
    assert_eq!(wins, 1);
    assert_eq!(store.len(), 1);
}

#[test]
fn ids_survive_reopen_and_a_torn_line_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seen");
    {
        let (store, loaded) = SeenIds::open(&path, 10).unwrap();
        assert_eq!(loaded.ids, 0);
        assert!(store.claim("a\nb").unwrap());
        assert!(store.claim("c").unwrap());
    }
    // A kill in the middle of a write leaves half a line.
    let mut f = OpenOptions::new().append(true).open(&path).unwrap();
    f.write_all(b"\"half").unwrap();
    let (store, loaded) = SeenIds::open(&path, 10).unwrap();
    assert_eq!(
        loaded,
        Loaded {
            ids: 2,
            torn_bytes: 5,
            forgotten: 0
        }
    );
    assert!(!store.claim("a\nb").unwrap());
    assert!(store.claim("half").unwrap());
    drop(store);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text, "\"a\\nb\"\n\"c\"\n\"half\"\n");
}

#[test]
fn the_oldest_id_is_forgotten_first_and_counted() {
    let store = SeenIds::bounded(3);
    let forgotten = store.forgotten();
    for id in ["a", "b", "c", "d"] {
        assert!(store.claim(id).unwrap());
    }
    assert_eq!((store.len(), forgotten.get(), forgotten.limit), (3, 1, 3));
    // Within the bound a re-delivery is still a duplicate.
    assert!(!store.claim("b").unwrap());
    assert!(!store.claim("d").unwrap());
    // `a` was the oldest: forgotten, so new again, and it pushes out `b`.
    assert!(store.claim("a").unwrap());
    assert!(store.claim("b").unwrap());
    assert_eq!(forgotten.get(), 3);
}

#[test]
fn ten_thousand_ids_stay_within_a_limit_of_a_hundred() {
    let store = SeenIds::bounded(100);
    for i in 0..10_000 {
        assert!(store.claim(&format!("vendor:m{i}")).unwrap());
        assert!(store.len() <= 100);
    }
    assert_eq!(store.forgotten().get(), 9_900);
    for i in 9_900..10_000 {
        assert!(!store.claim(&format!("vendor:m{i}")).unwrap(), "m{i}");
    }
    assert!(store.claim("vendor:m9899").unwrap());
}

#[test]
fn the_file_stays_bounded_and_reopens_with_the_newest_ids() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seen");
    let lines = || std::fs::read_to_string(&path).unwrap().lines().count();
    {
        let (store, _) = SeenIds::open(&path, 5).unwrap();
        for i in 0..23 {
            assert!(store.claim(&format!("m{i}")).unwrap());
            assert!(lines() < 10, "{} lines after m{i}", lines());
        }
        assert_eq!(store.forgotten().get(), 18);
    }
    // Rewritten after m9, m14 and m19 (ten lines each time): m15 to m22 are left.
    assert_eq!(lines(), 8);
    assert!(!dir.path().join("seen.compacting").exists());
    let (store, loaded) = SeenIds::open(&path, 5).unwrap();
    assert_eq!(
        loaded,
        Loaded {
            ids: 5,
            torn_bytes: 0,
            forgotten: 3
        }
    );
    assert_eq!(store.forgotten().get(), 3);
    for i in 18..23 {
        assert!(!store.claim(&format!("m{i}")).unwrap(), "m{i}");
    }
    assert!(store.claim("m17").unwrap());
}

#[test]
fn an_id_claimed_again_counts_at_its_last_line() {
    let lines: Vec<String> = ["a", "b", "a", "c"].map(String::from).to_vec();
    let (ids, forgotten) = newest(&lines, 2);
    let ids: Vec<&str> = ids.iter().map(|id| id.as_ref()).collect();
    assert_eq!((ids, forgotten), (vec!["a", "c"], 1));
}

#[test]
fn a_corrupt_complete_line_is_an_error_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seen");
    std::fs::write(&path, "\"a\"\nnot json\n").unwrap();
    let e = SeenIds::open(&path, 10).err().unwrap();
    assert!(e.message().contains("seen:2: not a store line"), "{e}");
}
