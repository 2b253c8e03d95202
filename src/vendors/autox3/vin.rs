//! Vehicle identification numbers (ISO 3779) whose position 9 holds the North American
//! check digit, so that receivers that validate VINs accept the samples.

use crate::sample::Rng;

/// Letters a VIN may contain: I, O and Q are never used (they read as 1 and 0).
const VIN_CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPRSTUVWXYZ";
/// Model-year codes (position 10): no I, O, Q, U, Z or 0.
const YEAR_CODES: &[u8] = b"ABCDEFGHJKLMNPRSTVWXY123456789";
/// Weight of each position in the check digit; position 9 (the digit itself) weighs 0.
const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/// The transliterated value of a VIN character, or `None` for one a VIN cannot hold.
fn value(c: u8) -> Option<u32> {
    let v = match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        b'A' | b'J' => 1,
        b'B' | b'K' | b'S' => 2,
        b'C' | b'L' | b'T' => 3,
        b'D' | b'M' | b'U' => 4,
        b'E' | b'N' | b'V' => 5,
        b'F' | b'W' => 6,
        b'G' | b'P' | b'X' => 7,
        b'H' | b'Y' => 8,
        b'R' | b'Z' => 9,
        _ => return None,
    };
    Some(v)
}

/// The check digit (`0`–`9` or `X`) for 17 characters; position 9 is ignored.
pub(crate) fn check_digit(vin: &[u8]) -> Option<u8> {
    if vin.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (&c, weight) in vin.iter().zip(WEIGHTS) {
        sum += value(c)? * weight;
    }
    Some(match sum % 11 {
        10 => b'X',
        n => b'0' + n as u8,
    })
}

/// Whether `vin` is 17 valid characters with the right check digit.
pub fn is_valid(vin: &str) -> bool {
    let bytes = vin.as_bytes();
    check_digit(bytes).is_some_and(|d| bytes[8] == d)
}

/// A VIN for the maker `wmi` (three characters), model year code from `year`.
pub(crate) fn generate(rng: &mut Rng, wmi: &str, year: i64) -> String {
    let mut vin: Vec<u8> = wmi.bytes().take(3).collect();
    for _ in 0..5 {
        vin.push(*rng.pick(VIN_CHARS));
    }
    vin.push(b'0');
    // The 30-year cycle of model-year codes starts at A = 1980 (and again 2010).
    let index = (year - 1980).rem_euclid(YEAR_CODES.len() as i64) as usize;
    vin.push(YEAR_CODES[index]);
    vin.push(*rng.pick(VIN_CHARS));
    vin.extend(rng.digits(6).bytes());
    if let Some(digit) = check_digit(&vin) {
        vin[8] = digit;
    }
    String::from_utf8_lossy(&vin).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vins_check() {
        // The worked example of 49 CFR 565 (check digit X), and a real Honda VIN.
        assert!(is_valid("1M8GDM9AXKP042788"));
        assert!(is_valid("1HGCM82633A004352"));
        assert!(!is_valid("1HGCM82643A004352"));
        assert!(!is_valid("1HGCM8263"));
        assert!(!is_valid("1HGCM82633A00435I"));
    }

    #[test]
    fn generated_vins_check() {
        let mut rng = Rng::new(1);
        for _ in 0..500 {
            let vin = generate(&mut rng, "LBV", 2019);
            assert!(is_valid(&vin), "{vin}");
            assert!(vin.starts_with("LBV"));
            assert_eq!(&vin[9..10], "K");
        }
    }
}
