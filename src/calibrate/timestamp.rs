//! Timestamps as CRM exports write them.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

/// Parses `text` with the `formats` (strftime-style, e.g. `"%d/%m/%Y %H:%M"`)
/// first, then the built-in forms: ISO-8601 / RFC 3339 with an offset
/// (`2024-03-01T09:30:00Z`, `2024-03-01T09:30:00+01:00`), civil date-times
/// (`2024-03-01T09:30`, `2024-03-01 09:30:15`) and dates (`2024-03-01`).
/// Civil times without an offset are read as UTC.
pub(crate) fn parse(text: &str, formats: &[String]) -> Option<Timestamp> {
    let text = text.trim();
    for format in formats {
        if let Ok(parsed) = jiff::fmt::strtime::parse(format, text) {
            if let Ok(ts) = parsed.to_timestamp() {
                return Some(ts);
            }
            if let Ok(dt) = parsed.to_datetime() {
                return utc(dt);
            }
            if let Ok(date) = parsed.to_date() {
                return utc(date.to_datetime(jiff::civil::Time::midnight()));
            }
        }
    }
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Some(ts);
    }
    text.parse::<DateTime>().ok().and_then(utc)
}

fn utc(dt: DateTime) -> Option<Timestamp> {
    dt.to_zoned(TimeZone::UTC).ok().map(|z| z.timestamp())
}

/// Hours from `from` to `to` (negative when `to` is earlier).
pub(crate) fn hours_between(from: Timestamp, to: Timestamp) -> f64 {
    let (a, b) = (from.as_nanosecond(), to.as_nanosecond());
    (b - a) as f64 / 3.6e12
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_forms_parse_out_of_the_box() {
        let base = parse("2024-01-02T03:04:00Z", &[]).unwrap();
        for text in [
            "2024-01-02T03:04:00Z",
            "2024-01-02T03:04",
            "2024-01-02 03:04",
            "2024-01-02 03:04:00",
            "2024-01-02T04:04:00+01:00",
        ] {
            assert_eq!(parse(text, &[]), Some(base), "{text}");
        }
        assert_eq!(hours_between(parse("2024-01-02", &[]).unwrap(), base), 3.0 + 4.0 / 60.0);
        assert_eq!(parse("02/01/2024 03:04", &["%d/%m/%Y %H:%M".to_owned()]), Some(base));
        assert_eq!(parse("yesterday", &[]), None);
        assert_eq!(parse("2024-13-02", &[]), None);
    }
}
