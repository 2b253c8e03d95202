//! The JSON Lines of `listen --forward --json`, as typed documents: where it listens,
//! a line per relayed request with both halves of the conversation, and the summary.
//! Their member names and order are a contract (README, `tests/json_documents.rs`).

use std::net::SocketAddr;

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::listen_forward_log::{vendor_name, ForwardTally};
use super::listen_log::RequestHead;
use crate::listen::forward::{AppSide, Relayed};
use crate::listen::judge::Flag;

/// The first line.
#[derive(serde::Serialize)]
pub(crate) struct ListeningJson<'a> {
    event: &'static str,
    addr: String,
    forward: &'a str,
}

pub(crate) fn listening(addr: SocketAddr, target: &str) -> ListeningJson<'_> {
    ListeningJson {
        event: "listening",
        addr: addr.to_string(),
        forward: target,
    }
}

/// A line per request: what cbtool found, what the app answered, what the sender makes of it.
#[derive(serde::Serialize)]
pub(crate) struct RequestJson<'a> {
    #[serde(flatten)]
    head: RequestHead<'a>,
    attempt: u32,
    fault: Option<&'static str>,
    error: Option<&'a str>,
    warnings: &'a [String],
    forwarded: bool,
    app_status: Option<u16>,
    app_latency_ms: Option<f64>,
    app_error: Option<&'a str>,
    app_body: Option<&'a str>,
    app_acked: Option<bool>,
    app_not_acked: Option<&'a str>,
    verdict: Option<&'static str>,
    retry: Option<String>,
    retry_in_s: Option<f64>,
    http_status: Option<u16>,
    saved: Option<String>,
    saved_answer: Option<String>,
    save_error: Option<&'a str>,
}

/// Where `--save` wrote a file, or why it could not.
fn saved_parts(
    saved: &Option<Result<std::path::PathBuf, String>>,
) -> (Option<String>, Option<&str>) {
    match saved {
        Some(Ok(path)) => (Some(path.display().to_string()), None),
        Some(Err(e)) => (None, Some(e.as_str())),
        None => (None, None),
    }
}

pub(crate) fn record(r: &Relayed) -> RequestJson<'_> {
    let d = r.decision.as_ref();
    let (saved, save_error) = saved_parts(&r.saved);
    let (saved_answer, answer_error) = saved_parts(&r.saved_answer);
    let ms = |latency: &std::time::Duration| Some(latency.as_secs_f64() * 1000.0);
    let (forwarded, app_status, app_latency_ms, app_error, app_body) = match &r.app {
        AppSide::NotForwarded(why) => (false, None, None, Some(why.as_str()), None),
        AppSide::Answered {
            status,
            latency,
            excerpt,
        } => (
            true,
            Some(*status),
            ms(latency),
            None,
            Some(excerpt.as_str()),
        ),
        AppSide::Failed { why, latency } => (true, None, ms(latency), Some(why.as_str()), None),
    };
    let j = r.judgement.as_ref();
    let vendor = d.and_then(|d| d.vendor);
    RequestJson {
        head: RequestHead::new(r.seq, &r.method, &r.path, d),
        attempt: r.attempt,
        fault: d.and_then(|d| d.fault.map(|f| f.id())),
        error: d.and_then(|d| d.error.as_deref()),
        warnings: d.map_or(&[], |d| &d.warnings),
        forwarded,
        app_status,
        app_latency_ms,
        app_error,
        app_body,
        app_acked: j.map(|j| j.app_acked),
        app_not_acked: j.and_then(|j| j.not_acked.as_deref()),
        verdict: j.and_then(|j| j.flag.map(Flag::id)),
        retry: j.map(|j| j.retry.describe(vendor_name(vendor.unwrap_or("-")))),
        retry_in_s: j.and_then(|j| j.retry.wait_secs()),
        http_status: r.http_status,
        saved,
        saved_answer,
        save_error: save_error.or(answer_error),
    }
}

/// The last line: the counts, whether the app was right throughout, and a count per flag.
#[derive(serde::Serialize)]
pub(crate) struct SummaryJson<'a> {
    event: &'static str,
    reason: &'a str,
    requests: u64,
    forwarded: u64,
    app_acked: u64,
    app_unanswered: u64,
    duplicates: u64,
    faults: u64,
    app_correct: bool,
    #[serde(flatten)]
    flags: FlagCounts<'a>,
}

/// One member per [`Flag::ALL`], named by the flag's id, in that order.
struct FlagCounts<'a>(&'a ForwardTally);

impl Serialize for FlagCounts<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(Flag::ALL.len()))?;
        for flag in Flag::ALL {
            map.serialize_entry(flag.id(), &self.0.count(flag))?;
        }
        map.end()
    }
}

pub(crate) fn summary<'a>(t: &'a ForwardTally, reason: &'a str) -> SummaryJson<'a> {
    SummaryJson {
        event: "summary",
        reason,
        requests: t.requests,
        forwarded: t.forwarded,
        app_acked: t.app_acked,
        app_unanswered: t.app_unanswered,
        duplicates: t.duplicates,
        faults: t.faults,
        app_correct: t.app_errors() == 0,
        flags: FlagCounts(t),
    }
}
