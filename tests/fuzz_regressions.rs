//! Every input in fuzz/regressions/ (named `<target>-<anything>`) runs through its fuzz
//! target again: inputs that once crashed a target, or that stress it (deep nesting,
//! huge numbers), must keep returning an answer instead of panicking.

#[path = "../fuzz/targets.rs"]
mod targets;

#[test]
fn every_regression_input_runs_without_panicking() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fuzz/regressions exists")
        .map(|e| e.expect("readable entry").path())
        .collect();
    files.sort();
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
