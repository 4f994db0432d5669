//! serde for [`CountHistogram`] through its public interface: the
//! `(value, count)` pairs of [`CountHistogram::iter`], read back with
//! [`CountHistogram::record_n`]. The format does not depend on how the
//! histogram stores its counts.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::CountHistogram;

/// The widest value range a deserialised histogram may span. The dense
/// histogram allocates one counter per value of its range, so a corrupted
/// or hostile file must not be able to ask for terabytes; a run's counts
/// (customers of one trial) span far less.
const MAX_SPAN: u64 = 1 << 24;

/// Serialises as `[[value, count], ...]`, values increasing, counts > 0.
impl Serialize for CountHistogram {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// Accepts only what [`Serialize`] writes: values strictly increasing,
/// counts positive, a total that fits `u64`, and a range of at most 2^24
/// values.
impl<'de> Deserialize<'de> for CountHistogram {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let pairs = Vec::<(u64, u64)>::deserialize(deserializer)?;
        if let (Some(first), Some(last)) = (pairs.first(), pairs.last())
            && last.0.saturating_sub(first.0) >= MAX_SPAN
        {
            return Err(D::Error::custom(format!(
                "count histogram: values {}..={} span more than {MAX_SPAN}",
                first.0, last.0
            )));
        }
        let mut histogram = CountHistogram::new();
        let mut total = 0u64;
        let mut previous = None;
        for (value, count) in pairs {
            if previous.is_some_and(|p| value <= p) || count == 0 {
                return Err(D::Error::custom(format!(
                    "count histogram: [{value}, {count}] is not a positive count of a value above the previous one"
                )));
            }
            total = total
                .checked_add(count)
                .ok_or_else(|| D::Error::custom("count histogram: the counts overflow u64"))?;
            histogram.record_n(value, count);
            previous = Some(value);
        }
        Ok(histogram)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_histogram_serialises_as_value_count_pairs_and_reads_back_equal() {
        let mut h = CountHistogram::new();
        h.record_n(7, 3);
        h.record(2);
        h.record_n(1_000, 2);
        let json = serde_json::to_string(&h).unwrap();
        assert_eq!(json, "[[2,1],[7,3],[1000,2]]");
        let back: CountHistogram = serde_json::from_str(&json).unwrap();
        assert_eq!(back, h);
        assert_eq!(back.summary(), h.summary());
    }

    #[test]
    fn a_corrupted_histogram_is_an_error_not_a_panic_or_an_abort() {
        for bad in [
            "[[7,1],[2,1]]",
            "[[2,1],[2,1]]",
            "[[2,0]]",
            "[[0,1],[1099511627776,1]]",
            "[[0,18446744073709551615],[1,1]]",
            "{}",
        ] {
            assert!(serde_json::from_str::<CountHistogram>(bad).is_err(), "{bad}");
        }
    }
}
