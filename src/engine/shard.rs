//! Splitting a run into shards by trial index, for separate processes or
//! machines.

use std::ops::Range;

use crate::error::{Error, Result};

/// The trials of shard `index` (0-based) when a run of `trials` trials is
/// split into `count` shards: consecutive ranges whose lengths differ by at
/// most one, together covering `0..trials` exactly once.
///
/// The range depends on `trials`, `index` and `count` alone, so a batch
/// scheduler can give each task just its index (a Kubernetes Indexed Job's
/// `JOB_COMPLETION_INDEX`, a Slurm array's `SLURM_ARRAY_TASK_ID`), and a
/// rerun of a failed index computes the same range and so the same shard
/// ([`crate::guide::reproducibility`]).
///
/// # Errors
///
/// `count` is zero, or `index` is not below `count`.
///
/// # Example
///
/// ```
/// use lead_decay::engine::shard_range;
///
/// assert_eq!(shard_range(10, 0, 4)?, 0..2);
/// assert_eq!(shard_range(10, 1, 4)?, 2..5);
/// assert_eq!(shard_range(10, 3, 4)?, 7..10);
/// assert!(shard_range(10, 4, 4).is_err());
/// # Ok::<(), lead_decay::Error>(())
/// ```
pub fn shard_range(trials: u64, index: u64, count: u64) -> Result<Range<u64>> {
    if count == 0 {
        return Err(Error::invalid("shards", count, "at least 1 shard"));
    }
    if index >= count {
        return Err(Error::invalid("shard index", index, format!("an index in 0..{count}")));
    }
    let bound = |i: u64| (u128::from(trials) * u128::from(i) / u128::from(count)) as u64;
    Ok(bound(index)..bound(index + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_trial_once_with_lengths_differing_by_at_most_one() {
        for (trials, count) in [(0, 1), (1, 3), (10, 4), (1_000_003, 7), (u64::MAX, 5)] {
            let ranges: Vec<_> = (0..count).map(|i| shard_range(trials, i, count).unwrap()).collect();
            assert_eq!(ranges[0].start, 0);
            assert_eq!(ranges.last().unwrap().end, trials);
            for pair in ranges.windows(2) {
                assert_eq!(pair[0].end, pair[1].start);
            }
            let lengths = ranges.iter().map(|r| r.end - r.start);
            let (min, max) = (lengths.clone().min().unwrap(), lengths.max().unwrap());
            assert!(max - min <= 1, "{trials} in {count}: {min}..={max}");
        }
    }

    #[test]
    fn an_index_outside_the_shard_count_is_an_error() {
        assert_eq!(shard_range(10, 4, 4).unwrap_err().field(), Some("shard index"));
        assert_eq!(shard_range(10, 0, 0).unwrap_err().field(), Some("shards"));
    }
}
