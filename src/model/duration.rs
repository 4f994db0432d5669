//! Durations in hours, and the `"45m"` / `"4h"` / `"1.5d"` / `"2w"` notation
//! of scenario files.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// A non-negative, finite span of time, stored in hours.
///
/// Scenario files accept a plain number (hours) or a string with a unit:
/// `m` minutes, `h` hours, `d` days of 24 h, `w` weeks of 7 d.
///
/// # Example
///
/// ```
/// use lead_decay::Hours;
///
/// let shelf_life: Hours = "30d".parse()?;
/// assert_eq!(shelf_life.get(), 720.0);
/// assert_eq!("45m".parse::<Hours>()?.get(), 0.75);
/// assert!("3x".parse::<Hours>().is_err());
/// assert!(Hours::new(f64::NAN).is_err());
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Hours(f64);

const UNITS: [(char, f64); 4] = [('w', 168.0), ('d', 24.0), ('h', 1.0), ('m', 1.0 / 60.0)];

impl Hours {
    /// Zero hours.
    pub const ZERO: Hours = Hours(0.0);

    /// A duration of `hours`.
    ///
    /// # Errors
    ///
    /// Negative, NaN and infinite values.
    pub fn new(hours: f64) -> Result<Hours> {
        if hours.is_finite() && hours >= 0.0 {
            // Normalise -0.0 so that equal durations compare and print alike.
            Ok(Hours(hours + 0.0))
        } else {
            Err(Error::invalid("", hours, "a duration: a finite number of hours >= 0"))
        }
    }

    /// A duration of `hours`: the same as [`Hours::new`], for call sites
    /// that read better beside [`Hours::from_minutes`] and
    /// [`Hours::from_days`].
    ///
    /// # Errors
    ///
    /// As [`Hours::new`].
    pub fn from_hours(hours: f64) -> Result<Hours> {
        Hours::new(hours)
    }

    /// A duration of `hours` in a `const` context: `None` for negative, NaN
    /// and infinite values. With `Option::unwrap`, an invalid constant is a
    /// compile error:
    ///
    /// ```
    /// use lead_decay::Hours;
    ///
    /// const SLA: Hours = Hours::checked(4.0).unwrap();
    /// const SHIFT: Hours = Hours::checked(8.0).unwrap();
    /// assert_eq!(SLA.get() + SHIFT.get(), 12.0);
    /// assert!(Hours::checked(f64::NAN).is_none());
    /// ```
    pub const fn checked(hours: f64) -> Option<Hours> {
        if hours.is_finite() && hours >= 0.0 {
            Some(Hours(hours + 0.0))
        } else {
            None
        }
    }

    /// A duration the caller has already validated (finite, >= 0).
    pub(crate) const fn trusted(hours: f64) -> Hours {
        Hours(hours)
    }

    /// A duration of `minutes` minutes.
    ///
    /// # Errors
    ///
    /// As [`Hours::new`].
    pub fn from_minutes(minutes: f64) -> Result<Hours> {
        Hours::new(minutes / 60.0)
    }

    /// A duration of `days` days of 24 hours.
    ///
    /// # Errors
    ///
    /// As [`Hours::new`].
    pub fn from_days(days: f64) -> Result<Hours> {
        Hours::new(days * 24.0)
    }

    /// The duration in hours.
    pub const fn get(self) -> f64 {
        self.0
    }

    /// The duration in days of 24 hours.
    pub fn days(self) -> f64 {
        self.0 / 24.0
    }

    /// Parses the scenario notation; the error names no field (see
    /// [`Error::within`] to add one).
    fn parse_notation(text: &str) -> Result<Hours> {
        let expected =
            "a duration: hours as a number, or a number with a unit m, h, d or w (\"45m\", \"4h\", \"1.5d\", \"2w\")";
        let trimmed = text.trim();
        let bad = || Error::invalid("", format!("{text:?}"), expected);
        let unit = trimmed.chars().last().ok_or_else(bad)?;
        let (number, scale) = match UNITS.iter().find(|(u, _)| *u == unit) {
            Some(&(_, scale)) => (&trimmed[..trimmed.len() - 1], scale),
            None => (trimmed, 1.0),
        };
        let value: f64 = number.trim().parse().map_err(|_| bad())?;
        if !value.is_finite() || value < 0.0 {
            return Err(bad());
        }
        Hours::new(value * scale).map_err(|_| bad())
    }
}

impl FromStr for Hours {
    type Err = Error;

    fn from_str(text: &str) -> Result<Hours> {
        Hours::parse_notation(text)
    }
}

impl fmt::Display for Hours {
    /// The shortest exact notation: `30d`, `4h`, `45m` when the number in
    /// that unit reads back to exactly these hours (the parser multiplies
    /// by the unit), else hours as a number (shortest round-trip form). So
    /// the text always parses back to the same bits: `110.88000000000001h`,
    /// never a rounded `4.62d`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0.0 {
            return f.write_str("0h");
        }
        for (unit, scale) in UNITS {
            let n = self.0 / scale;
            if n >= 1.0 && (n * 1000.0).round() == n * 1000.0 && n * scale == self.0 {
                return write!(f, "{n}{unit}");
            }
        }
        write!(f, "{}h", self.0)
    }
}

impl Serialize for Hours {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Hours {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Hours, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Hours;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a duration: hours as a number, or a string such as \"45m\", \"4h\", \"1.5d\", \"2w\"")
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Hours, E> {
                Hours::new(v).map_err(|e| E::custom(strip_field(&e)))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Hours, E> {
                self.visit_f64(v as f64)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Hours, E> {
                self.visit_f64(v as f64)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Hours, E> {
                Hours::parse_notation(v).map_err(|e| E::custom(strip_field(&e)))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// The message of a field-less error, for serde (which adds the path itself).
pub(crate) fn strip_field(error: &Error) -> String {
    match error {
        Error::InvalidValue { value, expected, .. } => format!("expected {expected}, got {value}"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_convert_to_hours() {
        for (text, hours) in [
            ("45m", 0.75),
            ("4h", 4.0),
            ("1.5d", 36.0),
            ("2w", 336.0),
            ("12", 12.0),
            (" 3 d ", 72.0),
        ] {
            assert_eq!(text.parse::<Hours>().unwrap().get(), hours, "{text}");
        }
    }

    #[test]
    fn bad_notation_is_rejected_with_the_text() {
        for text in ["3x", "", "d", "-1h", "NaNh", "infd", "1e400h", "4 hours"] {
            let err = text.parse::<Hours>().unwrap_err();
            assert!(err.to_string().contains("a duration"), "{text}: {err}");
        }
    }

    #[test]
    fn display_reads_back_to_the_same_bits() {
        // 110.88000000000001 h was written `4.62d`, which reads back as 110.88.
        for hours in [
            110.88000000000001,
            25.200000000000003,
            0.1 + 0.2,
            1e-300,
            1.7e308,
            1.0 / 3.0,
        ] {
            let text = Hours::trusted(hours).to_string();
            assert_eq!(
                text.parse::<Hours>().unwrap().get().to_bits(),
                hours.to_bits(),
                "{hours}: {text}"
            );
        }
    }

    #[test]
    fn display_round_trips() {
        for text in ["30d", "4h", "45m", "2w", "1.5d", "0h", "0.1h"] {
            let h: Hours = text.parse().unwrap();
            assert_eq!(h.to_string().parse::<Hours>().unwrap(), h, "{text}");
        }
        assert_eq!(Hours::new(720.0).unwrap().to_string(), "30d");
        assert_eq!(Hours::new(0.75).unwrap().to_string(), "45m");
    }

    #[test]
    fn negative_nan_and_infinite_are_errors() {
        assert!(Hours::new(-1.0).is_err());
        assert!(Hours::new(f64::NAN).is_err());
        assert!(Hours::new(f64::INFINITY).is_err());
        assert_eq!(Hours::new(-0.0).unwrap().get().to_bits(), 0.0f64.to_bits());
    }
}
