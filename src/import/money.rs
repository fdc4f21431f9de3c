//! Amounts (`gd:BeloebType`, kroner with `.` as the decimal separator) to øre, exactly, with
//! integer arithmetic and never floating point (IMPORT.md §4 "money").

/// Why an amount cannot be read.
#[derive(Debug, PartialEq, Eq)]
pub enum MoneyError {
    /// Not `-?digits(.digits)?`.
    Malformed,
    /// More than two decimals: `1.500` could be 1.5 kr or 1,500 kr, so it is never guessed.
    TooManyDecimals,
    /// Beyond what the engine reads (±2^53 øre, JavaScript's exact integers).
    TooLarge,
}

/// Larger amounts are refused so a JSON number stays exact in every reader (JavaScript included).
const MAX_ORE: i64 = (1 << 53) - 1;

/// `12345.00` → 1234500; `-0.5` → -50; `7` → 700.
pub fn kroner_to_ore(s: &str) -> Result<i64, MoneyError> {
    let s = s.trim();
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || fraction.is_some_and(|f| !all_digits(f)) {
        return Err(MoneyError::Malformed);
    }
    let fraction = fraction.unwrap_or("");
    if fraction.len() > 2 {
        return Err(MoneyError::TooManyDecimals);
    }
    let mut ore: i64 = 0;
    for b in whole.bytes().chain(fraction.bytes()) {
        ore = ore
            .checked_mul(10)
            .and_then(|o| o.checked_add(i64::from(b - b'0')))
            .filter(|o| *o <= MAX_ORE)
            .ok_or(MoneyError::TooLarge)?;
    }
    for _ in fraction.len()..2 {
        ore = ore
            .checked_mul(10)
            .filter(|o| *o <= MAX_ORE)
            .ok_or(MoneyError::TooLarge)?;
    }
    Ok(if negative { -ore } else { ore })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_two_and_three_decimals_and_negative_amounts() {
        assert_eq!(kroner_to_ore("12345.00"), Ok(1_234_500));
        assert_eq!(kroner_to_ore("12345.5"), Ok(1_234_550));
        assert_eq!(kroner_to_ore("0.05"), Ok(5));
        assert_eq!(kroner_to_ore("7"), Ok(700));
        assert_eq!(kroner_to_ore("-250.75"), Ok(-25_075));
        assert_eq!(kroner_to_ore("-0.1"), Ok(-10));
        assert_eq!(kroner_to_ore("1.500"), Err(MoneyError::TooManyDecimals));
        assert_eq!(kroner_to_ore("5.942"), Err(MoneyError::TooManyDecimals));
        for bad in ["", "-", "1,50", "1.", ".5", "+1", "1e3", "١٢"] {
            assert_eq!(kroner_to_ore(bad), Err(MoneyError::Malformed), "{bad}");
        }
        assert_eq!(
            kroner_to_ore("90071992547409.91"),
            Ok(9_007_199_254_740_991)
        );
        assert_eq!(
            kroner_to_ore("90071992547409.92"),
            Err(MoneyError::TooLarge)
        );
        assert_eq!(
            kroner_to_ore("99999999999999999999999"),
            Err(MoneyError::TooLarge)
        );
    }
}
