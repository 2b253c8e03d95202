//! How other languages spell a number after it has been through a double.
//!
//! Written by hand because the point is to reproduce *other* runtimes' text byte for byte:
//! Java's `Double.toString` and ECMAScript's `Number::toString` (which Go's encoding/json
//! follows too). Both start from the shortest digits that round-trip, which Rust's `{:e}`
//! gives.

/// The shortest round-trip digits of `f` and its decimal exponent (`d.ddd × 10^exp`).
fn digits(f: f64) -> (String, i32) {
    let text = format!("{:e}", f.abs());
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    (mantissa.replace('.', ""), exp.parse().unwrap_or(0))
}

/// `digits` placed at exponent `exp` in plain decimal notation, with `.0` when
/// `point_zero` and the value is integral.
fn plain(digits: &str, exp: i32, point_zero: bool) -> String {
    let n = digits.len() as i32;
    if exp < 0 {
        let zeros = "0".repeat((-exp - 1) as usize);
        format!("0.{zeros}{digits}")
    } else if exp + 1 >= n {
        let zeros = "0".repeat((exp + 1 - n) as usize);
        if point_zero {
            format!("{digits}{zeros}.0")
        } else {
            format!("{digits}{zeros}")
        }
    } else {
        let (int, frac) = digits.split_at((exp + 1) as usize);
        format!("{int}.{frac}")
    }
}

/// Java's `Double.toString`: plain from 10^-3 up to 10^7 (always with a fraction, `114.0`),
/// otherwise `1.3253472E12`.
pub(crate) fn java_double(f: f64) -> String {
    if !f.is_finite() {
        return if f.is_nan() {
            "NaN".into()
        } else {
            "Infinity".into()
        };
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    if f == 0.0 {
        return format!("{sign}0.0");
    }
    let (digits, exp) = digits(f);
    let a = f.abs();
    if (1e-3..1e7).contains(&a) {
        return format!("{sign}{}", plain(&digits, exp, true));
    }
    let (first, rest) = digits.split_at(1);
    let rest = if rest.is_empty() { "0" } else { rest };
    format!("{sign}{first}.{rest}E{exp}")
}

/// ECMAScript's `Number::toString` (also Go's encoding/json for float64): plain between
/// 10^-6 and 10^21 with no `.0`, otherwise `1e+21` / `1.5e-7`.
pub(crate) fn js_number(f: f64) -> String {
    let sign = if f.is_sign_negative() && f != 0.0 {
        "-"
    } else {
        ""
    };
    if f == 0.0 {
        return "0".into();
    }
    let (digits, exp) = digits(f);
    if (-6..21).contains(&exp) {
        return format!("{sign}{}", plain(&digits, exp, false));
    }
    let (first, rest) = digits.split_at(1);
    let dot = if rest.is_empty() { "" } else { "." };
    let exp_sign = if exp < 0 { "-" } else { "+" };
    format!("{sign}{first}{dot}{rest}e{exp_sign}{}", exp.abs())
}

/// Go's `%v` of a float64 (`strconv.FormatFloat(f, 'g', -1, 64)`): exponent form from
/// 10^6 up (`1.616502610117e+12`), as `fmt.Sprint` writes a createTime decoded into a
/// float64.
pub(crate) fn go_g(f: f64) -> String {
    let (digits, exp) = digits(f);
    let sign = if f.is_sign_negative() { "-" } else { "" };
    if f == 0.0 {
        return "0".into();
    }
    if (-4..6).contains(&exp) {
        return format!("{sign}{}", plain(&digits, exp, false));
    }
    let (first, rest) = digits.split_at(1);
    let dot = if rest.is_empty() { "" } else { "." };
    let exp_sign = if exp < 0 { "-" } else { "+" };
    format!("{sign}{first}{dot}{rest}e{exp_sign}{:02}", exp.abs())
}

/// Python's `repr` of a float: plain from 10^-4 up to 10^16, `.0` when integral.
pub(crate) fn python_float(f: f64) -> String {
    let (digits, exp) = digits(f);
    let sign = if f.is_sign_negative() { "-" } else { "" };
    if f == 0.0 {
        return format!("{sign}0.0");
    }
    if (-4..16).contains(&exp) {
        return format!("{sign}{}", plain(&digits, exp, true));
    }
    let (first, rest) = digits.split_at(1);
    let dot = if rest.is_empty() { "" } else { "." };
    let exp_sign = if exp < 0 { "-" } else { "+" };
    format!("{sign}{first}{dot}{rest}e{exp_sign}{:02}", exp.abs())
}

/// Whether a JSON number's text is written as an integer (no fraction, no exponent).
pub(crate) fn is_integer_text(text: &str) -> bool {
    !text.contains(['.', 'e', 'E'])
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected texts from the runtimes themselves: `jshell> Double.toString(x)` (OpenJDK
    // 17), `node -p 'String(x)'` (Node 20), `python3 -c 'print(repr(x))'` (3.11) and
    // `fmt.Sprint(x)` (Go 1.19).
    #[test]
    fn java() {
        assert_eq!(java_double(114.0), "114.0");
        assert_eq!(java_double(1325347200000.0), "1.3253472E12");
        assert_eq!(java_double(1616502610117.0), "1.616502610117E12");
        assert_eq!(java_double(67000.0), "67000.0");
        assert_eq!(java_double(1e7), "1.0E7");
        assert_eq!(java_double(0.001), "0.001");
        assert_eq!(java_double(0.0001), "1.0E-4");
        assert_eq!(java_double(-2.5), "-2.5");
    }

    #[test]
    fn javascript() {
        assert_eq!(js_number(67000.0), "67000");
        assert_eq!(js_number(1325347200000.0), "1325347200000");
        assert_eq!(js_number(1e21), "1e+21");
        assert_eq!(js_number(1.5e-7), "1.5e-7");
        assert_eq!(js_number(0.000001), "0.000001");
        assert_eq!(js_number(12345678901234567890.0), "12345678901234567000");
        assert_eq!(js_number(0.1), "0.1");
    }

    #[test]
    fn go_and_python() {
        assert_eq!(go_g(1616502610117.0), "1.616502610117e+12");
        assert_eq!(go_g(114.0), "114");
        assert_eq!(go_g(1e6), "1e+06");
        assert_eq!(python_float(1616502610117.0), "1616502610117.0");
        assert_eq!(python_float(1e16), "1e+16");
    }
}
