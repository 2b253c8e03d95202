//! The retry schedule: the waits between attempts, parsed from `2,4,8` or `500ms,2s`
//! and scaled for CI with `--time-scale`; without `--schedule`, each message waits what
//! its vendor documents ([`Schedule::per_vendor`]).

use std::borrow::Cow;
use std::time::Duration;

use crate::vendors::Vendor;

/// The waits, in seconds, when neither `--schedule` nor the vendor says otherwise:
/// DESIGN.md's default (an exponential back-off doubling from 2 s, seven attempts).
pub(crate) const DEFAULT_WAITS_SECS: [u64; 6] = [2, 4, 8, 16, 32, 64];

/// The waits after each failed attempt, in order; attempts = waits + 1.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    waits: Vec<Duration>,
    /// `Some(factor)`: a message whose vendor documents its retries waits those, times
    /// `factor`; `waits` (already scaled) is for the vendors that document none.
    per_vendor: Option<f64>,
}

impl Default for Schedule {
    /// [`DEFAULT_WAITS_SECS`], whatever the vendor.
    fn default() -> Self {
        Schedule::from_waits(DEFAULT_WAITS_SECS.map(Duration::from_secs).to_vec())
    }
}

impl Schedule {
    /// One attempt, no retries.
    pub(crate) fn no_retry() -> Self {
        Schedule::from_waits(Vec::new())
    }

    pub(crate) fn from_waits(waits: Vec<Duration>) -> Self {
        Schedule {
            waits,
            per_vendor: None,
        }
    }

    /// Each message's vendor's documented waits (`Vendor::documented_retries`), and
    /// the default for a vendor that documents none: `replay` without `--schedule`.
    pub fn per_vendor() -> Self {
        Schedule {
            per_vendor: Some(1.0),
            ..Schedule::default()
        }
    }

    /// The waits of one message of `vendor`: its documented ones when this schedule
    /// defers to the vendor, else this schedule.
    pub fn for_vendor(&self, vendor: Option<&dyn Vendor>) -> Cow<'_, Schedule> {
        let documented = self
            .per_vendor
            .zip(vendor.and_then(|v| v.documented_retries()));
        match documented {
            // The factor was checked against every vendor's waits in `scaled`.
            Some((factor, waits)) => {
                Cow::Owned(waits.scaled(factor).unwrap_or_else(|_| self.fixed()))
            }
            None => Cow::Borrowed(self),
        }
    }

    /// This schedule's own waits, deferring to no vendor.
    fn fixed(&self) -> Schedule {
        Schedule::from_waits(self.waits.clone())
    }

    /// Parses a comma-separated list of waits. A bare number is seconds (`2,4,8`); a unit
    /// may follow (`500ms,2s,1m`), as humantime reads it.
    pub fn parse(text: &str) -> Result<Schedule, String> {
        let mut waits = Vec::new();
        for item in text.split(',') {
            let item = item.trim();
            if item.is_empty() {
                return Err(format!(
                    "`{text}` has an empty item; give waits such as `2,4,8` (seconds) or `500ms,2s`"
                ));
            }
            waits.push(parse_wait(item)?);
        }
        Ok(Schedule::from_waits(waits))
    }

    /// Every wait multiplied by `factor` (finite and above zero).
    pub fn scaled(&self, factor: f64) -> Result<Schedule, String> {
        if !factor.is_finite() || factor <= 0.0 {
            return Err(format!(
                "--time-scale {factor}: give a positive number such as 0.01"
            ));
        }
        let per_vendor = match self.per_vendor {
            Some(before) => {
                // Checked now for every vendor, so that a message never meets the error.
                for vendor in crate::vendors::all() {
                    if let Some(documented) = vendor.documented_retries() {
                        documented.scaled(before * factor)?;
                    }
                }
                Some(before * factor)
            }
            None => None,
        };
        // Whole nanoseconds, rounded: 2 s × 0.01 is exactly 20 ms, not 19.999… ms.
        let mut waits = Vec::with_capacity(self.waits.len());
        for wait in &self.waits {
            let nanos = (wait.as_nanos() as f64 * factor).round();
            if nanos >= u64::MAX as f64 {
                return Err(format!("--time-scale {factor} makes a wait too long"));
            }
            waits.push(Duration::from_nanos(nanos as u64));
        }
        Ok(Schedule { waits, per_vendor })
    }

    /// How many attempts a message gets at most.
    pub(crate) fn max_attempts(&self) -> u32 {
        u32::try_from(self.waits.len()).map_or(u32::MAX, |n| n.saturating_add(1))
    }

    /// The wait after failed attempt `attempt` (1-based), or `None` after the last one.
    pub(crate) fn wait_after(&self, attempt: u32) -> Option<Duration> {
        let index = usize::try_from(attempt).ok()?.checked_sub(1)?;
        self.waits.get(index).copied()
    }

    pub fn waits(&self) -> &[Duration] {
        &self.waits
    }

    /// The schedule as `--schedule` takes it, for messages.
    pub fn describe(&self) -> String {
        if self.waits.is_empty() {
            return "no retries".to_string();
        }
        let items: Vec<String> = self.waits.iter().map(|w| format_wait(*w)).collect();
        items.join(",")
    }
}

/// Parses one duration the way every cbtool flag takes it: a bare number is seconds
/// (`2`, `1.5`), or a unit follows (`500ms`, `2s`, `1m`). `--schedule`, `replay --timeout`
/// and listen's duration flags all go through here, so they never disagree.
pub(crate) fn parse_wait(item: &str) -> Result<Duration, String> {
    let item = item.trim();
    if let Ok(secs) = item.parse::<f64>() {
        if secs.is_nan() {
            return Err(format!("`{item}` is not a duration; {DURATION_FORMS}"));
        }
        if secs < 0.0 {
            return Err(format!("`{item}`: a duration cannot be negative"));
        }
        return Duration::try_from_secs_f64(secs)
            .map_err(|_| format!("`{item}` is too long a duration"));
    }
    // humantime's own message suggests `5sec`; ours names the forms cbtool prints.
    humantime::parse_duration(item)
        .map_err(|_| format!("`{item}` is not a duration; {DURATION_FORMS}"))
}

const DURATION_FORMS: &str = "give seconds (`2`) or a number with a unit (`500ms`, `2s`, `1m`)";

/// A wait the way a person writes it: `2s`, `500ms`, `1.5s`.
pub(crate) fn format_wait(wait: Duration) -> String {
    let ms = wait.as_secs_f64() * 1000.0;
    if ms < 1000.0 {
        format!("{}ms", trim_float(ms))
    } else {
        format!("{}s", trim_float(ms / 1000.0))
    }
}

fn trim_float(value: f64) -> String {
    let text = format!("{value:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn per_vendor_waits_what_the_vendor_documents_scaled() {
        let s = Schedule::per_vendor().scaled(0.5).unwrap();
        let documenting = crate::vendors::all()
            .iter()
            .copied()
            .find(|v| v.documented_retries().is_some());
        if let Some(v) = documenting {
            let documented = v.documented_retries().unwrap();
            let mine = s.for_vendor(Some(v));
            assert_eq!(mine.waits().len(), documented.waits().len());
            assert_eq!(mine.waits()[0], documented.waits()[0] / 2);
        }
        // A vendor that documents none (or none known) waits the default, scaled.
        assert_eq!(s.for_vendor(None).waits()[0], ms(1000));
        // An explicit schedule is everyone's.
        let fixed = Schedule::parse("1,1").unwrap();
        assert_eq!(fixed.for_vendor(documenting).as_ref(), &fixed);
        assert!(Schedule::per_vendor().scaled(1e300).is_err());
    }

    #[test]
    fn default_is_the_documented_sequence() {
        let s = Schedule::default();
        assert_eq!(s.max_attempts(), 7);
        assert_eq!(s.wait_after(1), Some(Duration::from_secs(2)));
        assert_eq!(s.wait_after(6), Some(Duration::from_secs(64)));
        assert_eq!(s.wait_after(7), None);
        assert_eq!(s.wait_after(0), None);
        assert_eq!(s.describe(), "2s,4s,8s,16s,32s,64s");
    }

    #[test]
    fn parses_bare_seconds_and_units() {
        let s = Schedule::parse("500ms, 2s,1.5,1m,0").unwrap();
        assert_eq!(s.waits(), [ms(500), ms(2000), ms(1500), ms(60_000), ms(0)]);
        assert!(Schedule::parse("2,,4").unwrap_err().contains("empty item"));
        assert!(Schedule::parse("2,fast").unwrap_err().contains("`fast`"));
        assert!(Schedule::parse("-1").unwrap_err().contains("negative"));
        assert!(Schedule::parse("inf").unwrap_err().contains("too long"));
    }

    #[test]
    fn one_duration_syntax_with_the_forms_in_the_error() {
        assert_eq!(parse_wait("5"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_wait(" 250ms"), Ok(ms(250)));
        assert_eq!(parse_wait("2s"), Ok(ms(2000)));
        assert_eq!(parse_wait("1m"), Ok(ms(60_000)));
        let error = parse_wait("5x").unwrap_err();
        assert!(
            error.contains("`500ms`, `2s`") && !error.contains("sec,"),
            "{error}"
        );
        assert!(parse_wait("NaN").unwrap_err().contains("not a duration"));
    }

    #[test]
    fn scaling_is_exact_and_checked() {
        let s = Schedule::default().scaled(0.01).unwrap();
        assert_eq!(s.waits()[0], ms(20));
        let total: Duration = s.waits().iter().sum();
        assert_eq!(total, ms(1260));
        assert!(Schedule::default().scaled(0.0).is_err());
        assert!(Schedule::default().scaled(f64::NAN).is_err());
        assert_eq!(Schedule::no_retry().max_attempts(), 1);
        assert_eq!(Schedule::no_retry().describe(), "no retries");
    }

    #[test]
    fn formats_waits_briefly() {
        assert_eq!(format_wait(ms(500)), "500ms");
        assert_eq!(format_wait(ms(1500)), "1.5s");
        assert_eq!(format_wait(ms(64_000)), "64s");
    }
}
