//! Time values as vendors write them, checked for real calendar values: local
//! `yyyy-MM-dd HH:mm:ss` text (Dayu's) and Unix timestamps told apart by their digits
//! (AutoX3's milliseconds), for the rules in the vendors' folders.

/// A local time as comparable seconds since 0000-01-01 (no zone: the text has none).
pub(crate) fn parse_local(text: &str) -> Result<i64, TimeError> {
    let b = text.as_bytes();
    let shape = b.len() == 19
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b' ',
            13 | 16 => *c == b':',
            _ => c.is_ascii_digit(),
        });
    if !shape {
        return Err(TimeError::Shape);
    }
    let num = |r: std::ops::Range<usize>| text[r].parse::<i64>().unwrap_or(-1);
    let (y, mo, d) = (num(0..4), num(5..7), num(8..10));
    let (h, mi, s) = (num(11..13), num(14..16), num(17..19));
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) {
        return Err(TimeError::Date);
    }
    if h > 23 || mi > 59 || s > 59 {
        return Err(TimeError::Clock);
    }
    let days = y * 372 + mo * 31 + d; // order-preserving, not a day count
    Ok(((days * 24 + h) * 60 + mi) * 60 + s)
}

/// Why a local time does not parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimeError {
    /// Not `yyyy-MM-dd HH:mm:ss` at all (the schema's pattern says so already).
    Shape,
    Date,
    Clock,
}

impl std::fmt::Display for TimeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TimeError::Shape => "is not `yyyy-MM-dd HH:mm:ss`",
            TimeError::Date => "is not a date on the calendar",
            TimeError::Clock => "is not a time of day",
        })
    }
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// What a Unix timestamp's digit count says about its unit.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    Milliseconds,
    Seconds,
    Unknown,
}

/// 13 digits are milliseconds between 2001 and 2286; 10 digits are seconds in that span.
pub(crate) fn unit_of(timestamp: u64) -> Unit {
    match timestamp.to_string().len() {
        13 => Unit::Milliseconds,
        10 => Unit::Seconds,
        _ => Unit::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_are_checked_and_ordered() {
        let a = parse_local("2024-10-11 10:31:40").unwrap();
        let b = parse_local("2024-10-11 10:31:41").unwrap();
        assert!(a < b);
        assert!(
            parse_local("2024-12-31 23:59:59").unwrap()
                < parse_local("2025-01-01 00:00:00").unwrap()
        );
        assert!(parse_local("2024-02-29 00:00:00").is_ok());
        assert_eq!(
            parse_local("2023-02-29 00:00:00").unwrap_err(),
            TimeError::Date
        );
        assert_eq!(
            parse_local("2024-10-11 24:00:00").unwrap_err(),
            TimeError::Clock
        );
        assert!(parse_local("2024-10-11T10:31:41").is_err());
        assert!(parse_local("2024-10-11 10:31").is_err());
    }

    #[test]
    fn units_follow_digit_counts() {
        assert_eq!(unit_of(1616502610117), Unit::Milliseconds);
        assert_eq!(unit_of(1616502610), Unit::Seconds);
        assert_eq!(unit_of(42), Unit::Unknown);
    }
}
