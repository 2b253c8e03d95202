//! The simulated clock's arithmetic: epoch milliseconds and their calendar parts in China
//! time (UTC+8, no daylight saving), from which the vendors' folders write their formats.
//! Pure arithmetic, so no time zone database and no clock are involved.

/// China Standard Time, the zone both vendors' sample dates are in.
const CHINA_OFFSET_MS: i64 = 8 * 3600 * 1000;
pub(crate) const SECOND_MS: i64 = 1000;
pub(crate) const MINUTE_MS: i64 = 60 * SECOND_MS;
pub(crate) const HOUR_MS: i64 = 60 * MINUTE_MS;
pub(crate) const DAY_MS: i64 = 24 * HOUR_MS;

/// 2024-01-01 00:00:00 China time: samples fall in the year after it.
pub(crate) const BASE_MS: i64 = 1_704_038_400_000;

/// Year, month, day from days since 1970-01-01 (Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Local China date-time parts of an instant: year, month, day, hour, minute, second.
pub(crate) fn china_parts(ms: i64) -> (i64, i64, i64, i64, i64, i64) {
    let local = ms + CHINA_OFFSET_MS;
    let (year, month, day) = civil_from_days(local.div_euclid(DAY_MS));
    let in_day = local.rem_euclid(DAY_MS) / SECOND_MS;
    (
        year,
        month,
        day,
        in_day / 3600,
        in_day / 60 % 60,
        in_day % 60,
    )
}

/// The year of an instant in China time.
pub(crate) fn year(ms: i64) -> i64 {
    china_parts(ms).0
}

/// Midnight China time at the start of the day holding `ms`.
pub(crate) fn china_midnight(ms: i64) -> i64 {
    (ms + CHINA_OFFSET_MS).div_euclid(DAY_MS) * DAY_MS - CHINA_OFFSET_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_the_documents_dates() {
        // The Dayu document's first event (2024-10-11 10:25:24 China time), a leap day.
        assert_eq!(china_parts(1_728_613_524_000), (2024, 10, 11, 10, 25, 24));
        assert_eq!(china_parts(951_782_400_000), (2000, 2, 29, 8, 0, 0));
        assert_eq!(china_midnight(1_728_613_524_000), 1_728_576_000_000);
        assert_eq!(year(BASE_MS - 1), 2023);
    }
}
