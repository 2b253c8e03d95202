//! JUnit XML (`--junit FILE`) for CI dashboards: one test case per message, its
//! attempts in the case's output.

use std::time::Duration;

use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

use super::{failure_reason, human, Exporter, Report};
use crate::error::{Error, Result};

pub(crate) struct JunitExporter;

impl Exporter for JunitExporter {
    fn export(&self, report: &Report) -> Result<Vec<u8>> {
        let mut suite = TestSuite::new("cbtool replay");
        for outcome in &report.outcomes {
            let status = match failure_reason(outcome) {
                None => TestCaseStatus::success(),
                Some(reason) => {
                    let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    s.set_message(reason).set_type("not acknowledged");
                    s
                }
            };
            let name = match &outcome.id {
                Some(id) => format!("{} {id}", outcome.source),
                None => outcome.source.clone(),
            };
            let mut case = TestCase::new(name, status);
            case.set_classname(format!("replay.{}", outcome.vendor));
            let total = outcome
                .attempts
                .last()
                .map_or(0, |a| a.started_ms + a.elapsed_ms);
            case.set_time(Duration::from_millis(total));
            let lines: Vec<String> = outcome
                .attempts
                .iter()
                .map(human::attempt_summary)
                .collect();
            case.set_system_out(lines.join("\n"));
            suite.add_test_case(case);
        }
        let mut xml = quick_junit::Report::new("cbtool replay");
        xml.add_test_suite(suite);
        let text = xml
            .to_string()
            .map_err(|e| Error::new(format!("cannot write the JUnit report: {e}")))?;
        Ok(text.into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_case_per_message_with_attempts_as_output() {
        let bytes = JunitExporter
            .export(&super::super::sample::report(false))
            .unwrap();
        let xml = String::from_utf8(bytes).unwrap();
        assert_eq!(xml.matches("<testcase ").count(), 3, "{xml}");
        assert!(
            xml.contains(r#"tests="3" skipped="0" failures="2""#),
            "{xml}"
        );
        assert!(
            xml.contains("attempt 2/7 at +2012ms: HTTP 200 in 12ms: acknowledged"),
            "{xml}"
        );
        // Bodies are escaped, never raw markup.
        assert!(xml.contains("&lt;oops&gt;"), "{xml}");
    }
}
