//! Running `replay` against a [`Server`] and reading its JSON report.

use serde_json::Value;

use super::{cbtool, Received, Server};

/// Runs replay with `--json` and returns the exit code, the report and stderr.
pub fn replay(server: &Server, args: &[&str]) -> (i32, Value, String) {
    let url = server.url();
    let mut all = vec!["replay", "--json", "--url", &url];
    all.extend_from_slice(args);
    let run = cbtool(&all).run();
    let report = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run:?}"));
    (run.code, report, run.stderr)
}

pub fn attempts(report: &Value, message: usize) -> Vec<Value> {
    report["messages"][message]["attempts"]
        .as_array()
        .unwrap()
        .clone()
}

pub fn errors(report: &Value, message: usize) -> Vec<String> {
    attempts(report, message)
        .iter()
        .map(|a| a["error"].as_str().unwrap_or("").to_string())
        .collect()
}

/// A Dayu callback's step, `orderRecord.serviceProgessTimeNum`.
pub fn progress(r: &Received) -> i64 {
    r.json()["orderRecord"]["serviceProgessTimeNum"]
        .as_i64()
        .unwrap()
}
