//! The retry schedule: the waits between attempts, parsed from `2,4,8` or `500ms,2s`
//! and scaled for CI with `--time-scale`.

use std::time::Duration;

/// AutoX3's documented waits, in seconds: seven attempts at most.
pub const VENDOR_WAITS_SECS: [u64; 6] = [2, 4, 8, 16, 32, 64];

/// The waits after each failed attempt, in order; attempts = waits + 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    waits: Vec<Duration>,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            waits: VENDOR_WAITS_SECS
                .iter()
                .map(|&s| Duration::from_secs(s))
                .collect(),
        }
    }
}

impl Schedule {
    /// One attempt, no retries.
    pub fn no_retry() -> Self {
        Schedule { waits: Vec::new() }
    }

    pub fn from_waits(waits: Vec<Duration>) -> Self {
        Schedule { waits }
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
        Ok(Schedule { waits })
    }

    /// Every wait multiplied by `factor` (finite and above zero).
    pub fn scaled(&self, factor: f64) -> Result<Schedule, String> {
        if !factor.is_finite() || factor <= 0.0 {
            return Err(format!(
                "--time-scale {factor}: give a positive number such as 0.01"
            ));
        }
        // Whole nanoseconds, rounded: 2 s × 0.01 is exactly 20 ms, not 19.999… ms.
        let mut waits = Vec::with_capacity(self.waits.len());
        for wait in &self.waits {
            let nanos = (wait.as_nanos() as f64 * factor).round();
            if nanos >= u64::MAX as f64 {
                return Err(format!("--time-scale {factor} makes a wait too long"));
            }
            waits.push(Duration::from_nanos(nanos as u64));
        }
        Ok(Schedule { waits })
    }

    /// How many attempts a message gets at most.
    pub fn max_attempts(&self) -> u32 {
        u32::try_from(self.waits.len()).map_or(u32::MAX, |n| n.saturating_add(1))
    }

    /// The wait after failed attempt `attempt` (1-based), or `None` after the last one.
    pub fn wait_after(&self, attempt: u32) -> Option<Duration> {
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
pub fn parse_wait(item: &str) -> Result<Duration, String> {
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
pub fn format_wait(wait: Duration) -> String {
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
    fn default_is_the_vendor_sequence() {
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
