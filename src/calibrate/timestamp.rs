//! Timestamps as CRM exports write them.
//!
//! A value is read with the custom formats first (in order), then the
//! built-in forms. Each reading says where its moment came from: an offset
//! or IANA zone name in the text (exact), a zone abbreviation such as `EST`
//! (mapped to a fixed offset: reported, since abbreviations are ambiguous),
//! or a civil time without any zone (read in the export's time zone, UTC
//! unless one is given). A value without a time of day is flagged, so the
//! export can refuse or place it (see [`ExportFormat::date_only`](super::ExportFormat::date_only)).

use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp, Zoned};

use crate::error::{Error, Result};

/// Common time-zone abbreviations and the offset (in minutes east of UTC)
/// each is read as. Abbreviations are ambiguous (`IST` is India, Ireland
/// or Israel; `CST` is US Central or China), so every reading that uses
/// this table is reported as a warning; the table picks the reading most
/// common in CRM exports (North American and European accounts).
pub(crate) const ZONE_ABBREVIATIONS: &[(&str, i32)] = &[
    ("UTC", 0),
    ("GMT", 0),
    ("WET", 0),
    ("WEST", 60),
    ("BST", 60),
    ("IST", 330),
    ("CET", 60),
    ("CEST", 120),
    ("MET", 60),
    ("MEST", 120),
    ("EET", 120),
    ("EEST", 180),
    ("MSK", 180),
    ("EST", -300),
    ("EDT", -240),
    ("CST", -360),
    ("CDT", -300),
    ("MST", -420),
    ("MDT", -360),
    ("PST", -480),
    ("PDT", -420),
    ("AKST", -540),
    ("AKDT", -480),
    ("HST", -600),
    ("AST", -240),
    ("ADT", -180),
    ("NST", -210),
    ("NDT", -150),
    ("BRT", -180),
    ("ART", -180),
    ("SGT", 480),
    ("HKT", 480),
    ("JST", 540),
    ("KST", 540),
    ("AWST", 480),
    ("ACST", 570),
    ("ACDT", 630),
    ("AEST", 600),
    ("AEDT", 660),
    ("NZST", 720),
    ("NZDT", 780),
];

/// Where the moment of a reading came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ZoneSource {
    /// An offset, `Z`, an IANA zone name, or a Unix timestamp in the text.
    Exact,
    /// A zone abbreviation mapped to a fixed offset by [`ZONE_ABBREVIATIONS`].
    Abbreviation(&'static str),
    /// A civil time without zone, read in the reader's time zone.
    Civil,
}

/// One timestamp read from a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Reading {
    /// The moment; for a date without time, the start of that day.
    pub at: Timestamp,
    /// The value had no time of day.
    pub date_only: bool,
    /// Where the moment came from.
    pub zone: ZoneSource,
}

/// Reads timestamps with custom formats, then the built-in forms, placing
/// civil times in a time zone.
#[derive(Debug, Clone)]
pub(crate) struct TimestampReader {
    formats: Vec<String>,
    /// The formats with `%Z` removed, tried after an abbreviation was cut off.
    formats_without_abbreviation: Vec<String>,
    zone: TimeZone,
}

impl TimestampReader {
    /// A reader with the custom `formats` and civil times read in `zone`.
    ///
    /// # Errors
    ///
    /// A format without any `%` directive (it would match nothing, or only
    /// itself): field `timestamp_formats[i]`.
    pub(crate) fn new(formats: &[String], zone: TimeZone) -> Result<TimestampReader> {
        for (i, format) in formats.iter().enumerate() {
            if !format.contains('%') {
                return Err(Error::invalid(
                    format!("timestamp_formats[{i}]"),
                    format!("{format:?} (no % directive)"),
                    "a strftime-style format such as \"%d.%m.%Y %H:%M\" or \"%m/%d/%Y, %I:%M %p\"",
                ));
            }
        }
        let strip = |f: &String| f.replace("%Z", "").trim().to_owned();
        Ok(TimestampReader {
            formats: formats.to_vec(),
            formats_without_abbreviation: formats.iter().map(strip).collect(),
            zone,
        })
    }

    /// Reads one value; `None` when no format or built-in form matches.
    pub(crate) fn read(&self, text: &str) -> Option<Reading> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        if let Some(reading) = self.read_with(&self.formats, text, &self.zone) {
            return Some(reading);
        }
        if let Some(reading) = built_in(text, &self.zone) {
            return Some(reading);
        }
        // "2025-01-06 10:51 EST" or "2025-01-06 10:51:00 America/New_York":
        // the last word names the zone.
        let (rest, last) = text.rsplit_once(char::is_whitespace)?;
        let rest = rest.trim_end();
        if let Some(&(name, minutes)) = ZONE_ABBREVIATIONS.iter().find(|(a, _)| *a == last) {
            let offset = Offset::from_seconds(minutes * 60).ok()?;
            let zone = TimeZone::fixed(offset);
            let reading = self
                .read_with(&self.formats_without_abbreviation, rest, &zone)
                .or_else(|| built_in(rest, &zone))?;
            return (reading.zone == ZoneSource::Civil).then_some(Reading {
                zone: if minutes == 0 {
                    ZoneSource::Exact
                } else {
                    ZoneSource::Abbreviation(name)
                },
                ..reading
            });
        }
        if last.contains('/') {
            let zone = TimeZone::get(last).ok()?;
            let reading = self
                .read_with(&self.formats, rest, &zone)
                .or_else(|| built_in(rest, &zone))?;
            return (reading.zone == ZoneSource::Civil).then_some(Reading {
                zone: ZoneSource::Exact,
                ..reading
            });
        }
        None
    }

    fn read_with(&self, formats: &[String], text: &str, zone: &TimeZone) -> Option<Reading> {
        formats.iter().find_map(|format| {
            let parsed = jiff::fmt::strtime::parse(format, text).ok()?;
            if parsed.iana_time_zone().is_some() {
                let at = parsed.to_zoned_with(jiff::tz::db()).ok()?.timestamp();
                return Some(Reading {
                    at,
                    date_only: false,
                    zone: ZoneSource::Exact,
                });
            }
            if parsed.offset().is_some() || parsed.timestamp().is_some() {
                return Some(Reading {
                    at: parsed.to_timestamp().ok()?,
                    date_only: false,
                    zone: ZoneSource::Exact,
                });
            }
            let date_only = parsed.hour().is_none();
            let datetime = if date_only {
                parsed.to_date().ok()?.to_datetime(jiff::civil::Time::midnight())
            } else {
                parsed.to_datetime().ok()?
            };
            Some(Reading {
                at: in_zone(datetime, zone)?,
                date_only,
                zone: ZoneSource::Civil,
            })
        })
    }
}

/// The built-in forms: RFC 9557 with a zone annotation
/// (`2025-01-06T10:51:00-05:00[America/New_York]`, also without the
/// offset), RFC 3339 / ISO-8601 with an offset, civil date-times and dates.
fn built_in(text: &str, zone: &TimeZone) -> Option<Reading> {
    let exact = |at| Reading {
        at,
        date_only: false,
        zone: ZoneSource::Exact,
    };
    if text.ends_with(']') {
        return text.parse::<Zoned>().ok().map(|z| exact(z.timestamp()));
    }
    if let Some(at) = utc_seconds(text) {
        return Some(exact(at));
    }
    if let Ok(at) = text.parse::<Timestamp>() {
        return Some(exact(at));
    }
    let date_only = !text.contains(':');
    let datetime = if date_only {
        text.parse::<Date>().ok()?.to_datetime(jiff::civil::Time::midnight())
    } else {
        text.parse::<DateTime>().ok()?
    };
    Some(Reading {
        at: in_zone(datetime, zone)?,
        date_only,
        zone: ZoneSource::Civil,
    })
}

/// `YYYY-MM-DDTHH:MM:SSZ`, the form most exports write, read without
/// jiff's general parser (a fifth of reading a million-row export): the
/// same instant as `text.parse::<Timestamp>()`, `None` for anything else
/// (a leap second `:60` included, which jiff reads as `:59`).
fn utc_seconds(text: &str) -> Option<Timestamp> {
    let b = text.as_bytes();
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z'
    {
        return None;
    }
    let number = |from: usize, to: usize| -> Option<i32> {
        b[from..to]
            .iter()
            .try_fold(0i32, |n, &c| c.is_ascii_digit().then(|| n * 10 + i32::from(c - b'0')))
    };
    let (year, month, day) = (number(0, 4)?, number(5, 7)?, number(8, 10)?);
    let (hour, minute, second) = (number(11, 13)?, number(14, 16)?, number(17, 19)?);
    if second == 60 {
        return None;
    }
    let datetime = DateTime::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second).ok()?,
        0,
    )
    .ok()?;
    TimeZone::UTC.to_timestamp(datetime).ok()
}

fn in_zone(datetime: DateTime, zone: &TimeZone) -> Option<Timestamp> {
    datetime.to_zoned(zone.clone()).ok().map(|z| z.timestamp())
}

/// The time zone named `name`: an IANA name (`Europe/Berlin`), `UTC`, or a
/// fixed offset (`+01:00`, `-0500`).
///
/// # Errors
///
/// Anything else (field `time_zone`).
pub(crate) fn zone_named(name: &str) -> Result<TimeZone> {
    let name = name.trim();
    if name.eq_ignore_ascii_case("utc") || name.eq_ignore_ascii_case("z") {
        return Ok(TimeZone::UTC);
    }
    if let Ok(zone) = TimeZone::get(name) {
        return Ok(zone);
    }
    if let Some(offset) = parse_offset(name) {
        return Ok(TimeZone::fixed(offset));
    }
    Err(Error::invalid(
        "time_zone",
        format!("{name:?}"),
        "an IANA zone name such as Europe/Berlin or America/New_York, UTC, or an offset such as +01:00",
    ))
}

fn parse_offset(text: &str) -> Option<Offset> {
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[..2].parse().ok()?;
    let minutes: i32 = digits[2..].parse().ok()?;
    if hours > 18 || minutes > 59 {
        return None;
    }
    Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

/// `at` moved by `hours` (saturating at the ends of the timestamp range).
pub(crate) fn plus_hours(at: Timestamp, hours: f64) -> Timestamp {
    let duration = SignedDuration::from_secs_f64(hours * 3600.0);
    at.checked_add(duration).unwrap_or(at)
}

/// Hours from `from` to `to` (negative when `to` is earlier).
pub(crate) fn hours_between(from: Timestamp, to: Timestamp) -> f64 {
    // The same nanoseconds in 64 bits when they fit (±292 years), without
    // the 128-bit conversion's library call: the same integer, so the same
    // rounding to f64.
    let seconds = to.as_second().checked_sub(from.as_second());
    let nanos = i64::from(to.subsec_nanosecond() - from.subsec_nanosecond());
    if let Some(d) = seconds
        .and_then(|s| s.checked_mul(1_000_000_000))
        .and_then(|n| n.checked_add(nanos))
    {
        return d as f64 / 3.6e12;
    }
    let (a, b) = (from.as_nanosecond(), to.as_nanosecond());
    (b - a) as f64 / 3.6e12
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_between_is_the_128_bit_difference_rounded() {
        use rand::{RngExt, SeedableRng};
        use rand_xoshiro::Xoshiro256PlusPlus;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let (lo, hi) = (Timestamp::MIN.as_nanosecond(), Timestamp::MAX.as_nanosecond());
        for i in 0..20_000 {
            // Near each other (the 64-bit path) and far apart (the other).
            let a = rng.random_range(lo..=hi);
            let span = if i % 2 == 0 { 10i128.pow(18) } else { hi - lo };
            let b = (a + rng.random_range(-span..=span)).clamp(lo, hi);
            let (from, to) = (
                Timestamp::from_nanosecond(a).unwrap(),
                Timestamp::from_nanosecond(b).unwrap(),
            );
            let exact = (b - a) as f64 / 3.6e12;
            assert_eq!(hours_between(from, to).to_bits(), exact.to_bits(), "{from} {to}");
        }
    }

    #[test]
    fn the_utc_fast_path_reads_what_jiff_reads() {
        use rand::{RngExt, SeedableRng};
        use rand_xoshiro::Xoshiro256PlusPlus;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let mut fast = 0;
        for _ in 0..20_000 {
            // Digits anywhere, mostly valid dates, some impossible ones
            // (month 13, 31 February, hour 24, second 60).
            let text = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                rng.random_range(0..10_000),
                rng.random_range(0..14),
                rng.random_range(0..33),
                rng.random_range(0..25),
                rng.random_range(0..61),
                rng.random_range(0..61),
            );
            let general = text.parse::<Timestamp>().ok();
            let quick = utc_seconds(&text);
            if quick.is_some() {
                fast += 1;
                assert_eq!(quick, general, "{text}");
            } else if general.is_some() {
                // Only a leap second is left to the general parser.
                assert!(text.ends_with(":60Z"), "{text}");
            }
        }
        assert!(fast > 10_000, "{fast}");
        for other in [
            "2024-02-07T21:00:00+00:00",
            "2024-02-07t21:00:00z",
            "2024-02-07 21:00:00Z",
            "+2024-02-07T21:00:00Z",
        ] {
            assert_eq!(utc_seconds(other), None, "{other}");
        }
        assert_eq!(utc_seconds("2024-02-29T23:59:59Z"), "2024-02-29T23:59:59Z".parse().ok());
        assert_eq!(utc_seconds("2023-02-29T00:00:00Z"), None);
    }

    fn reader(formats: &[&str]) -> TimestampReader {
        TimestampReader::new(
            &formats.iter().map(|f| (*f).to_owned()).collect::<Vec<_>>(),
            TimeZone::UTC,
        )
        .unwrap()
    }

    fn parse(text: &str, formats: &[&str]) -> Option<Timestamp> {
        reader(formats).read(text).map(|r| r.at)
    }

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
        assert_eq!(parse("02/01/2024 03:04", &["%d/%m/%Y %H:%M"]), Some(base));
        assert_eq!(parse("yesterday", &[]), None);
        assert_eq!(parse("2024-13-02", &[]), None);
    }

    #[test]
    fn crm_forms_parse_with_their_formats() {
        let base = parse("2025-01-06T10:51:00Z", &[]).unwrap();
        assert_eq!(parse("1/6/2025, 10:51 AM", &["%m/%d/%Y, %I:%M %p"]), Some(base));
        assert_eq!(parse("06.01.2025 10:51", &["%d.%m.%Y %H:%M"]), Some(base));
    }

    #[test]
    fn zone_names_and_abbreviations_are_read_as_their_offsets() {
        let base = parse("2025-01-06T15:51:00Z", &[]).unwrap();
        let r = reader(&[]);
        let named = r.read("2025-01-06T10:51[America/New_York]").unwrap();
        assert_eq!((named.at, named.zone), (base, ZoneSource::Exact));
        assert_eq!(r.read("2025-01-06 10:51:00 America/New_York").unwrap().at, base);
        let abbreviated = r.read("2025-01-06 10:51 EST").unwrap();
        assert_eq!(abbreviated.at, base);
        assert_eq!(abbreviated.zone, ZoneSource::Abbreviation("EST"));
        let q = reader(&["%Y-%m-%d %H:%M %Q"])
            .read("2025-01-06 10:51 America/New_York")
            .unwrap();
        assert_eq!(q.at, base);
        let z = reader(&["%m/%d/%Y %H:%M %Z"]).read("01/06/2025 10:51 EST").unwrap();
        assert_eq!(z.at, base);
    }

    #[test]
    fn civil_times_are_read_in_the_given_zone() {
        let berlin = TimestampReader::new(&[], zone_named("Europe/Berlin").unwrap()).unwrap();
        let r = berlin.read("2025-07-01 12:00").unwrap();
        assert_eq!(r.at, parse("2025-07-01T10:00:00Z", &[]).unwrap());
        assert_eq!(r.zone, ZoneSource::Civil);
        assert!(zone_named("Mars/Olympus").is_err());
        assert!(zone_named("+05:30").is_ok());
    }

    #[test]
    fn dates_without_time_are_flagged() {
        assert!(reader(&[]).read("2025-01-06").unwrap().date_only);
        assert!(reader(&["%d.%m.%Y"]).read("06.01.2025").unwrap().date_only);
        assert!(!reader(&[]).read("2025-01-06 00:00").unwrap().date_only);
    }

    #[test]
    fn a_format_without_directives_is_an_error() {
        let err = TimestampReader::new(&["dd.mm.yyyy".to_owned()], TimeZone::UTC)
            .unwrap_err()
            .to_string();
        assert!(err.contains("timestamp_formats[0]"), "{err}");
    }
}
