//! The threads a run uses, and the chunked, exactly merged fold that every
//! simulation of the crate runs on them.

use std::ops::Range;
#[cfg(feature = "parallel")]
use std::sync::{Arc, OnceLock};

use crate::error::{Error, Result};

/// How many threads a run uses: all cores (rayon's global pool), or a pool
/// of its own, built on first use and kept for the run's later ranges.
///
/// Building a pool starts its threads; the examples run a simulation in
/// about 100 ranges (one per progress step), and a pool per range cost more
/// than the trials of a short run.
#[derive(Debug, Clone, Default)]
pub(crate) struct Threads {
    count: Option<usize>,
    #[cfg(feature = "parallel")]
    pool: OnceLock<Arc<rayon::ThreadPool>>,
}

impl Threads {
    /// `count` threads, or all cores for `None`.
    pub(crate) fn new(count: Option<usize>) -> Threads {
        Threads {
            count,
            #[cfg(feature = "parallel")]
            pool: OnceLock::new(),
        }
    }

    /// Runs `work` on these threads.
    fn install<T: Send>(&self, work: impl FnOnce() -> T + Send) -> Result<T> {
        match self.count {
            Some(0) => Err(Error::invalid("threads", 0, "at least 1 thread")),
            #[cfg(feature = "parallel")]
            Some(count) => {
                let pool = match self.pool.get() {
                    Some(pool) => pool,
                    None => {
                        let built = rayon::ThreadPoolBuilder::new()
                            .num_threads(count)
                            .build()
                            .map_err(|e| {
                                Error::invalid("threads", count, format!("a thread count the system can start ({e})"))
                            })?;
                        self.pool.get_or_init(|| Arc::new(built))
                    }
                };
                Ok(pool.install(work))
            }
            _ => Ok(work()),
        }
    }
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
