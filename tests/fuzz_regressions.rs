//! Every input in fuzz/regressions/ (named `<target>-<anything>`) runs through its fuzz
//! target again: inputs that once crashed a target, or that stress it (deep nesting,
//! huge numbers), must keep returning an answer instead of panicking. The seed corpus
//! (fuzz/corpus/<target>/) runs too, so that the differential targets hold on the
//! realistic inputs on stable, without the fuzzer.

#[path = "../fuzz/targets.rs"]
mod targets;

use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("readable entry").path())
        .collect();
    files.sort();
    files
}

#[test]
fn every_regression_input_runs_without_panicking() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let files = files(&dir);
    assert!(
        !files.is_empty(),
        "no regression inputs in {}",
        dir.display()
    );
    for path in files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let target = name.split('-').next().unwrap_or_default();
        let data = std::fs::read(&path).expect("readable input");
        assert!(
            targets::run(target, &data).is_some(),
            "{name}: the name must start with a target: {}",
            targets::TARGETS.join(", ")
        );
    }
}

#[test]
fn every_target_holds_on_its_seed_corpus() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    for target in targets::TARGETS {
        let seeds = files(&corpus.join(target));
        assert!(!seeds.is_empty(), "{target} has no seeds");
        for path in seeds {
            let data = std::fs::read(&path).expect("readable seed");
            assert!(targets::run(target, &data).is_some(), "{target}");
        }
    }
}
