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

    /// Runs `work` on these threads.
    fn install<T: Send>(&self, work: impl FnOnce() -> T + Send) -> Result<T> {
        match self.count {
            Some(0) => Err(Error::invalid("threads", 0, "at least 1 thread")),
            #[cfg(feature = "parallel")]
            Some(count) if count != rayon::current_num_threads() => Ok(shared_pool(count)?.install(work)),
            _ => Ok(work()),
        }
    }
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
    let chunks: Vec<Range<u64>> = range
        .clone()
        .step_by(chunk as usize)
        .map(|start| start..(start + chunk).min(range.end))
        .collect();
    threads.install(|| {
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            chunks.into_par_iter().map(&tally).reduce(&empty, |mut a, b| {
                merge(&mut a, &b);
                a
            })
        }
        #[cfg(not(feature = "parallel"))]
        {
            chunks.into_iter().fold(empty(), |mut a, r| {
                merge(&mut a, &tally(r));
                a
            })
        }
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
        assert_eq!(Threads::new(Some(3)).install(rayon::current_num_threads).unwrap(), 3);
    }

    #[test]
    fn zero_threads_is_an_error_naming_the_field() {
        let err = Threads::new(Some(0)).install(|| ()).unwrap_err().to_string();
        assert!(err.contains("threads"), "{err}");
    }
}
