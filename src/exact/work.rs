//! A deterministic meter of the work the exact expectations do, so that
//! their cost can be bounded without a clock.
//!
//! A *unit* is one evaluation of an integrand, a CDF difference or a term of
//! a series: tens of nanoseconds. The inner loops charge what they do
//! ([`charge`]) on a thread-local counter; a caller that must stay within a
//! budget runs its computation [`within`] it, and the loops give up
//! (returning NaN, which reaches the user as an error naming the figure,
//! never as a number) once the budget is spent. The count depends only on
//! the computation, never on the machine or its load, so the same scenario
//! is refused, or not, everywhere, and an expectation over uncertain inputs
//! can size its design from the cost of its first points
//! ([`ExpectedOverInputs`](super::ExpectedOverInputs)).

use std::cell::Cell;

thread_local! {
    static USED: Cell<u64> = const { Cell::new(0) };
    static LIMIT: Cell<u64> = const { Cell::new(u64::MAX) };
}

/// Charges `n` units of work to this thread.
#[inline]
pub(crate) fn charge(n: u64) {
    USED.with(|used| used.set(used.get().saturating_add(n)));
}

/// The units charged on this thread since it started.
#[inline]
pub(crate) fn used() -> u64 {
    USED.with(Cell::get)
}

/// Whether the budget of the innermost [`within`] running on this thread
/// is spent (never outside one).
#[inline]
pub(crate) fn exhausted() -> bool {
    used() > LIMIT.with(Cell::get)
}

/// Runs `f` with at most `budget` more units of work on this thread (or
/// what is left of an enclosing budget, if that is less); inside,
/// [`exhausted`] says when it is spent.
pub(crate) fn within<T>(budget: u64, f: impl FnOnce() -> T) -> T {
    /// Puts the enclosing limit back, also when `f` unwinds.
    struct Restore(u64);
    impl Drop for Restore {
        fn drop(&mut self) {
            LIMIT.with(|limit| limit.set(self.0));
        }
    }
    let outer = LIMIT.with(Cell::get);
    let _restore = Restore(outer);
    LIMIT.with(|limit| limit.set(used().saturating_add(budget).min(outer)));
    f()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_is_spent_by_the_work_charged_inside_it_and_restored_after() {
        assert!(!exhausted());
        within(10, || {
            charge(10);
            assert!(!exhausted());
            within(1_000, || {
                // The enclosing budget still binds.
                charge(1);
                assert!(exhausted());
            });
            assert!(exhausted());
        });
        assert!(!exhausted(), "no budget outside `within`");
    }

    #[test]
    fn a_panic_inside_a_budget_does_not_leave_it_in_force() {
        let caught = std::panic::catch_unwind(|| {
            within(0, || {
                charge(1);
                panic!("unwinds");
            })
        });
        assert!(caught.is_err());
        assert!(!exhausted());
    }
}
