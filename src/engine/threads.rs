//! The threads a run uses, and the chunked, exactly merged fold that every
//! simulation of the crate runs on them.

use std::ops::Range;
#[cfg(feature = "parallel")]
use std::sync::{Arc, Mutex, PoisonError};

use crate::error::{Error, Result};

/// How many threads a run uses: all cores (the current rayon pool, normally
/// the global one), or `count` threads.
///
/// Pools of other sizes are built once per process and kept, shared by
/// every run that asks for that many threads. Starting a pool's threads
/// costs more than the trials of a short run: a fresh 2-thread pool per
/// run of 20,000 trials of the throughput scenario ran at 1.02 G
/// SQL-trials/s against 1.42 G on warm threads, and the examples' progress
/// bars, sweeps and benchmarks all make many short runs.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Threads {
    count: Option<usize>,
}

impl Threads {
    /// `count` threads, or all cores for `None`.
    pub(crate) fn new(count: Option<usize>) -> Threads {
        Threads { count }
    }

    /// Where a run's chunks are tallied.
    fn placement(&self) -> Result<Placement> {
        match self.count {
            Some(0) => Err(Error::invalid("threads", 0, "at least 1 thread")),
            // One thread needs no pool: the calling thread folds the chunks.
            Some(1) => Ok(Placement::CallingThread),
            #[cfg(feature = "parallel")]
            Some(count) if count != rayon::current_num_threads() => Ok(Placement::Pool(shared_pool(count)?)),
            #[cfg(feature = "parallel")]
            _ => Ok(Placement::CurrentPool),
            #[cfg(not(feature = "parallel"))]
            _ => Ok(Placement::CallingThread),
        }
    }
}

/// Where a run's chunks are tallied.
enum Placement {
    /// In order, on the calling thread.
    CallingThread,
    /// In parallel, on the current rayon pool (normally the global one).
    #[cfg(feature = "parallel")]
    CurrentPool,
    /// In parallel, on a pool of the requested size.
    #[cfg(feature = "parallel")]
    Pool(Arc<rayon::ThreadPool>),
}

/// The process's pool of `count` threads, built on first use.
#[cfg(feature = "parallel")]
fn shared_pool(count: usize) -> Result<Arc<rayon::ThreadPool>> {
    static POOLS: Mutex<Vec<Arc<rayon::ThreadPool>>> = Mutex::new(Vec::new());
    // A panic while the lock was held cannot leave the list half-updated.
    let mut pools = POOLS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(pool) = pools.iter().find(|pool| pool.current_num_threads() == count) {
        return Ok(Arc::clone(pool));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(count)
        .build()
        .map_err(|e| Error::invalid("threads", count, format!("a thread count the system can start ({e})")))?;
    let pool = Arc::new(pool);
    pools.push(Arc::clone(&pool));
    Ok(pool)
}

/// Splits `range` into chunks of `chunk` trials, tallies each (in parallel
/// with the `parallel` feature) and merges the tallies. Merging is exact, so
/// the result does not depend on the threads or on the order the chunks
/// finish in.
pub(crate) fn fold_chunks<T: Send>(
    threads: &Threads,
    range: Range<u64>,
    chunk: u64,
    empty: impl Fn() -> T + Sync,
    tally: impl Fn(Range<u64>) -> T + Sync,
    merge: impl Fn(&mut T, &T) + Sync,
) -> Result<T> {
    let chunk = chunk.max(1);
    // The chunks are numbered, never listed: a list of 10^15 / 2^16 ranges
    // took 244 GB before any work (`simulate --trials 1e15`); a numbered
    // range is streamed in constant memory.
    let count = (range.end.saturating_sub(range.start)).div_ceil(chunk);
    let nth = move |i: u64| {
        let start = range.start + i * chunk;
        start..start.saturating_add(chunk).min(range.end)
    };
    let in_order = |chunks: Range<u64>| {
        chunks.fold(empty(), |mut a, i| {
            merge(&mut a, &tally(nth(i)));
            a
        })
    };
    #[cfg(feature = "parallel")]
    let in_parallel = |chunks: Range<u64>| {
        use rayon::prelude::*;
        chunks
            .into_par_iter()
            .map(|i| tally(nth(i)))
            .reduce(&empty, |mut a, b| {
                merge(&mut a, &b);
                a
            })
    };
    let chunks = 0..count;
    Ok(match threads.placement()? {
        Placement::CallingThread => in_order(chunks),
        #[cfg(feature = "parallel")]
        Placement::CurrentPool => in_parallel(chunks),
        #[cfg(feature = "parallel")]
        Placement::Pool(pool) => pool.install(|| in_parallel(chunks)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "parallel")]
    #[test]
    fn a_thread_count_gets_one_pool_for_the_process() {
        let first = shared_pool(3).unwrap();
        let again = shared_pool(3).unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!(first.current_num_threads(), 3);
        assert!(matches!(Threads::new(Some(3)).placement(), Ok(Placement::Pool(pool)) if Arc::ptr_eq(&pool, &first)));
        assert!(matches!(
            Threads::new(Some(1)).placement(),
            Ok(Placement::CallingThread)
        ));
    }

    #[test]
    fn zero_threads_is_an_error_naming_the_field() {
        let err = fold_chunks(
            &Threads::new(Some(0)),
            0..10,
            5,
            || 0,
            |r| r.end - r.start,
            |a, b| *a += b,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("threads"), "{err}");
    }

    #[test]
    fn every_placement_folds_every_chunk_once() {
        let sum_of_squares = |threads: Option<usize>| {
            fold_chunks(
                &Threads::new(threads),
                3..10_003,
                7,
                || 0u64,
                |r| r.map(|i| i * i).sum(),
                |a, b| *a += b,
            )
            .unwrap()
        };
        let exact: u64 = (3..10_003u64).map(|i| i * i).sum();
        for threads in [None, Some(1), Some(2), Some(3)] {
            assert_eq!(sum_of_squares(threads), exact, "{threads:?}");
        }
    }

    #[test]
    fn chunks_are_numbered_up_to_the_last_trial_without_overflow() {
        // The chunk list was built first (244 GB for 10^15 trials) and
        // `start + chunk` overflowed at the end of the trial space.
        for threads in [Some(1), Some(2)] {
            let covered = fold_chunks(
                &Threads::new(threads),
                u64::MAX - 20..u64::MAX,
                7,
                || 0u64,
                |r| r.end - r.start,
                |a, b| *a += b,
            )
            .unwrap();
            assert_eq!(covered, 20);
        }
    }
}
