//! Running the built binary for replay's end-to-end tests, and reading its report.

use std::process::{Command, Output};

use serde_json::Value;

use super::{Received, Server};

pub const SECRET: &str = "fixtures/autox3/secret.txt";
pub const COMPACT: &str = "fixtures/autox3/receivebase-create.compact.json";
pub const PRIVATE: &str = "fixtures/dayu/keys/private.pem";

pub fn cbtool(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cbtool"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("CBTOOL_AUTOX3_SECRET")
        .env_remove("CBTOOL_DAYU_PRIVATE_KEY")
        .env_remove("CBTOOL_DAYU_PUBLIC_KEY")
        .output()
        .expect("cbtool runs")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs replay with `--json` and returns the exit code and the report.
pub fn replay(server: &Server, args: &[&str]) -> (i32, Value, String) {
    let url = server.url();
    let mut all = vec!["replay", "--json", "--url", &url];
    all.extend_from_slice(args);
    let out = cbtool(&all);
    let report =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    (out.status.code().unwrap(), report, stderr(&out))
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
