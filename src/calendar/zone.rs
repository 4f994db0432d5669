//! The calendar's time zone: an IANA name looked up in the time-zone
//! database bundled into the crate, so that results do not depend on the
//! machine's own database.

use jiff::civil::DateTime;
use jiff::tz::{TimeZone, TimeZoneDatabase};

use crate::error::{Error, Result};

/// An IANA time zone (`"Europe/Berlin"`), compared by name.
#[derive(Debug, Clone)]
pub(crate) struct Zone {
    name: String,
    tz: TimeZone,
}

impl Zone {
    /// UTC: no daylight-saving changes.
    pub(crate) fn utc() -> Zone {
        Zone {
            name: "UTC".to_owned(),
            tz: TimeZone::UTC,
        }
    }

    /// The zone named `name` in the bundled database (case-insensitive; the
    /// canonical spelling is kept).
    pub(crate) fn named(name: &str) -> Result<Zone> {
        let tz = TimeZoneDatabase::bundled().get(name).map_err(|_| {
            Error::invalid(
                "time_zone",
                format!("{name:?}"),
                "an IANA time zone name such as \"Europe/Berlin\" or \"America/New_York\"",
            )
        })?;
        let name = tz.iana_name().unwrap_or(name).to_owned();
        Ok(Zone { name, tz })
    }

    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// The zone itself, for reading instants.
    pub(crate) fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// The UTC offset, in seconds, by which the local civil time `at` is
    /// read: the offset before the change for a time skipped by a
    /// daylight-saving change (02:30 on a spring-forward night is read as
    /// 03:30 summer time), the earlier one for a repeated time (jiff's
    /// "compatible" rule).
    pub(crate) fn offset_seconds(&self, at: DateTime) -> i64 {
        let utc_reading = at.to_zoned(TimeZone::UTC).map(|z| z.timestamp().as_second());
        let instant = self.tz.to_ambiguous_timestamp(at).compatible().map(|t| t.as_second());
        match (utc_reading, instant) {
            (Ok(local), Ok(instant)) => local - instant,
            // Only at the ends of jiff's range (years -9999 and 9999), which
            // a calendar's dates cannot reach.
            _ => 0,
        }
    }
}

impl PartialEq for Zone {
    fn eq(&self, other: &Zone) -> bool {
        self.name == other.name
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn berlin_moves_its_clock_twice_a_year() {
        let berlin = Zone::named("europe/berlin").unwrap();
        assert_eq!(berlin.name(), "Europe/Berlin");
        assert_eq!(berlin.offset_seconds(date(2025, 3, 30).at(1, 0, 0, 0)), 3600);
        assert_eq!(berlin.offset_seconds(date(2025, 3, 30).at(3, 0, 0, 0)), 7200);
        // 02:30 does not exist that night: read with the winter offset.
        assert_eq!(berlin.offset_seconds(date(2025, 3, 30).at(2, 30, 0, 0)), 3600);
        assert_eq!(berlin.offset_seconds(date(2025, 10, 26).at(4, 0, 0, 0)), 3600);
    }

    #[test]
    fn unknown_zones_name_the_field() {
        let err = Zone::named("Europe/Atlantis").unwrap_err();
        assert_eq!(err.field(), Some("time_zone"));
        assert!(err.to_string().contains("Europe/Atlantis"), "{err}");
    }
}
