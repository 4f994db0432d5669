//! The working clock: the piecewise-linear map between calendar time (hours
//! since the calendar's origin) and working time (working hours elapsed
//! since the origin), by binary search over sorted open intervals.

use serde::{Deserialize, Serialize};

/// One stretch of working time: from calendar time `start` to `end` (hours
/// since the calendar's origin) the team works, and `working_before`
/// working hours have elapsed at `start`.
///
/// Over a calendar's intervals the working clock is
///
/// ```text
/// w(t) = working_before + (min(t, end) - start)   for the last interval with start < t
/// ```
///
/// and constant between intervals, so an integral over working time splits
/// into one linear piece per interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OpenInterval {
    /// Calendar time at which work starts.
    pub start: f64,
    /// Calendar time at which work stops (`> start`).
    pub end: f64,
    /// Working hours elapsed at `start`.
    pub working_before: f64,
}

impl OpenInterval {
    /// Working hours elapsed at `end`.
    pub fn working_after(&self) -> f64 {
        self.working_before + (self.end - self.start)
    }
}

/// A week of open intervals repeated forever: interval times are offsets into
/// the period, `per_period` the working hours in one period.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Periodic {
    pub(crate) intervals: Vec<OpenInterval>,
    pub(crate) period: f64,
    pub(crate) per_period: f64,
}

/// `x.floor()`, bit for bit, without a call: on x86-64 below SSE4.1 (the
/// default target) `f64::floor` is a call into libm, a sixth of the capacity
/// queue's time on a working calendar. Below 2^52 in magnitude truncation
/// through `i64` is exact.
#[inline(always)]
fn floor(x: f64) -> f64 {
    if x.abs() < 4_503_599_627_370_496.0 {
        let t = x as i64 as f64;
        // Truncation rounds towards zero; `copysign` keeps `-0.0` as floor does.
        if t > x { t - 1.0 } else { t.copysign(x) }
    } else {
        x.floor()
    }
}

// The arithmetic below is written in the same order as the capacity queue's
// former `WorkingHours` (a linear scan), so that the queue's seeded results
// keep their bits: `period * k + start + (rem - before)` and friends.
impl Periodic {
    /// Builds from sorted, disjoint `(start, end)` offsets with at least one
    /// interval; `working_before` is the running sum of `end - start`.
    pub(crate) fn new(spans: &[(f64, f64)], period: f64) -> Periodic {
        let mut before = 0.0;
        let intervals = spans
            .iter()
            .map(|&(start, end)| {
                let interval = OpenInterval {
                    start,
                    end,
                    working_before: before,
                };
                before += end - start;
                interval
            })
            .collect();
        Periodic {
            intervals,
            period,
            per_period: before,
        }
    }

    /// The `n`-th open interval from time 0, in absolute times.
    fn interval(&self, n: usize) -> OpenInterval {
        let len = self.intervals.len();
        let (k, iv) = ((n / len) as f64, self.intervals[n % len]);
        OpenInterval {
            start: k * self.period + iv.start,
            end: k * self.period + iv.end,
            working_before: k * self.per_period + iv.working_before,
        }
    }

    pub(crate) fn to_working(&self, t: f64) -> f64 {
        let k = floor(t / self.period);
        let r = t - k * self.period;
        let base = k * self.per_period;
        let i = self.intervals.partition_point(|iv| iv.start < r);
        match i.checked_sub(1).map(|j| &self.intervals[j]) {
            None => base,
            Some(iv) => base + iv.working_before + (r.min(iv.end) - iv.start),
        }
    }

    pub(crate) fn to_calendar(&self, w: f64) -> f64 {
        let k = floor(w / self.per_period);
        let rem = w - k * self.per_period;
        // The first interval with working time left at `rem`; a `rem` at an
        // interval's end maps to the next opening.
        let i = self.intervals.partition_point(|iv| iv.working_after() <= rem);
        match self.intervals.get(i) {
            Some(iv) => k * self.period + iv.start + (rem - iv.working_before),
            None => (k + 1.0) * self.period + self.intervals[0].start,
        }
    }

    pub(crate) fn next_open(&self, t: f64) -> f64 {
        let k = floor(t / self.period);
        let r = t - k * self.period;
        let i = self.intervals.partition_point(|iv| iv.end <= r);
        match self.intervals.get(i) {
            Some(iv) if r >= iv.start => t,
            Some(iv) => k * self.period + iv.start,
            None => (k + 1.0) * self.period + self.intervals[0].start,
        }
    }
}

/// Open intervals over real dates (absolute calendar times), then a
/// [`Periodic`] tail from `table_end` on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Dated {
    pub(crate) intervals: Vec<OpenInterval>,
    pub(crate) table_end: f64,
    pub(crate) working_at_end: f64,
    pub(crate) tail: Periodic,
}

impl Dated {
    /// Builds from sorted, disjoint absolute `(start, end)` spans ending
    /// before `table_end`, and the tail's weekly offsets.
    pub(crate) fn new(spans: &[(f64, f64)], table_end: f64, tail: Periodic) -> Dated {
        let table = Periodic::new(spans, f64::INFINITY);
        Dated {
            intervals: table.intervals,
            table_end,
            working_at_end: table.per_period,
            tail,
        }
    }

    pub(crate) fn to_working(&self, t: f64) -> f64 {
        let t = t.max(0.0);
        if t >= self.table_end {
            return self.working_at_end + self.tail.to_working(t - self.table_end);
        }
        let i = self.intervals.partition_point(|iv| iv.start < t);
        match i.checked_sub(1).map(|j| &self.intervals[j]) {
            None => 0.0,
            Some(iv) => iv.working_before + (t.min(iv.end) - iv.start),
        }
    }

    pub(crate) fn to_calendar(&self, w: f64) -> f64 {
        let w = w.max(0.0);
        if w >= self.working_at_end {
            return self.table_end + self.tail.to_calendar(w - self.working_at_end);
        }
        let i = self.intervals.partition_point(|iv| iv.working_after() <= w);
        let iv = &self.intervals[i];
        iv.start + (w - iv.working_before)
    }

    pub(crate) fn next_open(&self, t: f64) -> f64 {
        let t = t.max(0.0);
        if t >= self.table_end {
            return self.table_end + self.tail.next_open(t - self.table_end);
        }
        let i = self.intervals.partition_point(|iv| iv.end <= t);
        match self.intervals.get(i) {
            Some(iv) if t >= iv.start => t,
            Some(iv) => iv.start,
            None => self.table_end + self.tail.next_open(0.0),
        }
    }
}

impl Dated {
    /// The `n`-th open interval from time 0: the table's, then the tail's.
    fn interval(&self, n: usize) -> OpenInterval {
        match self.intervals.get(n) {
            Some(&iv) => iv,
            None => {
                let iv = self.tail.interval(n - self.intervals.len());
                OpenInterval {
                    start: self.table_end + iv.start,
                    end: self.table_end + iv.end,
                    working_before: self.working_at_end + iv.working_before,
                }
            }
        }
    }
}

/// A walk forward over a clock's open intervals, for a caller whose times
/// only grow, such as the capacity queue's FIFO recursion: each map costs a
/// comparison or two against the interval it is on, instead of a division
/// and a binary search (which were 40 % of the recursion's time on office
/// hours). It maps as [`Clock`] does, to within rounding (its intervals are
/// in absolute time); a time earlier than the interval it is on restarts
/// the walk from the first one, so any sequence of times is mapped right,
/// only slower.
#[derive(Debug, Clone)]
pub(crate) struct Walk<'a> {
    clock: &'a Clock,
    /// Which interval `here` is.
    n: usize,
    here: OpenInterval,
    next: OpenInterval,
    /// The end of the interval before `here` (-inf for the first).
    before_end: f64,
}

impl<'a> Walk<'a> {
    pub(crate) fn new(clock: &'a Clock) -> Walk<'a> {
        let open = OpenInterval {
            start: 0.0,
            end: f64::INFINITY,
            working_before: 0.0,
        };
        let mut walk = Walk {
            clock,
            n: 0,
            here: open,
            next: open,
            before_end: f64::NEG_INFINITY,
        };
        walk.restart();
        walk
    }

    fn interval(&self, n: usize) -> OpenInterval {
        match self.clock {
            Clock::Always => unreachable!("a walk round the clock maps nothing"),
            Clock::Weekly(p) => p.interval(n),
            Clock::Dated(d) => d.interval(n),
        }
    }

    /// Back to the first interval.
    fn restart(&mut self) {
        if !matches!(self.clock, Clock::Always) {
            self.n = 0;
            self.here = self.interval(0);
            self.next = self.interval(1);
            self.before_end = f64::NEG_INFINITY;
        }
    }

    #[inline]
    fn advance(&mut self) {
        self.n += 1;
        self.before_end = self.here.end;
        self.here = self.next;
        self.next = self.interval(self.n + 1);
    }

    /// [`Clock::to_working`]: the working time at calendar time `t`.
    #[inline]
    pub(crate) fn working_at(&mut self, t: f64) -> f64 {
        if matches!(self.clock, Clock::Always) {
            return t;
        }
        // The last interval that starts before `t`.
        let t = t.max(0.0);
        if !(self.here.start < t) {
            self.restart();
            if !(self.here.start < t) {
                return 0.0;
            }
        }
        while self.next.start < t {
            self.advance();
        }
        self.here.working_before + (t.min(self.here.end) - self.here.start)
    }

    /// [`Clock::to_calendar`]: the calendar time at working time `w`.
    #[inline]
    pub(crate) fn calendar_at(&mut self, w: f64) -> f64 {
        if matches!(self.clock, Clock::Always) {
            return w;
        }
        // The first interval with working time left at `w`.
        let w = w.max(0.0);
        if w < self.here.working_before {
            self.restart();
        }
        while w >= self.here.working_after() {
            self.advance();
        }
        self.here.start + (w - self.here.working_before)
    }

    /// [`Clock::next_open`]: the first instant of work from `t`.
    #[inline]
    pub(crate) fn open_from(&mut self, t: f64) -> f64 {
        if matches!(self.clock, Clock::Always) {
            return t;
        }
        // The first interval that ends after `t`.
        let t = t.max(0.0);
        if t < self.before_end {
            self.restart();
        }
        while self.here.end <= t {
            self.advance();
        }
        if t >= self.here.start { t } else { self.here.start }
    }
}

/// The three shapes of the working clock.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Clock {
    /// Round the clock: working time is calendar time.
    Always,
    /// A repeating week, time 0 = Monday 00:00 local time.
    Weekly(Periodic),
    /// Real dates from the start date's midnight.
    Dated(Dated),
}

impl Clock {
    #[inline]
    pub(crate) fn to_working(&self, t: f64) -> f64 {
        match self {
            Clock::Always => t,
            Clock::Weekly(p) => p.to_working(t),
            Clock::Dated(d) => d.to_working(t),
        }
    }

    #[inline]
    pub(crate) fn to_calendar(&self, w: f64) -> f64 {
        match self {
            Clock::Always => w,
            Clock::Weekly(p) => p.to_calendar(w),
            Clock::Dated(d) => d.to_calendar(w),
        }
    }

    #[inline]
    pub(crate) fn next_open(&self, t: f64) -> f64 {
        match self {
            Clock::Always => t,
            Clock::Weekly(p) => p.next_open(t),
            Clock::Dated(d) => d.next_open(t),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Clock, Dated, Periodic, Walk, floor};

    /// Office hours, Monday to Friday 9 to 17, as offsets into a week.
    fn office() -> Periodic {
        Periodic::new(
            &(0..5)
                .map(|d| (24.0 * d as f64 + 9.0, 24.0 * d as f64 + 17.0))
                .collect::<Vec<_>>(),
            168.0,
        )
    }

    /// The three maps of a walk against the clock's, over times that grow
    /// (with repeats and exact interval ends) and then jump back.
    fn walk_agrees(clock: &Clock) {
        let mut times = vec![
            0.0, 0.0, 9.0, 9.0, 12.5, 17.0, 17.0, 20.0, 33.0, 41.0, 100.0, 167.9, 168.0, 177.0,
        ];
        let mut t = 177.0;
        let mut x = 0.123_456_789f64;
        for _ in 0..20_000 {
            // A deterministic wander upwards, small and large steps.
            x = (x * 3.7 + 0.1).fract();
            t += if x < 0.8 { x } else { 40.0 * x };
            times.push(t);
        }
        times.extend([5.0, 500.0, 3.0]);
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(1.0);
        let (mut to_working, mut to_calendar, mut next_open) = (Walk::new(clock), Walk::new(clock), Walk::new(clock));
        for &t in &times {
            let (w, c, o) = (
                to_working.working_at(t),
                to_calendar.calendar_at(t),
                next_open.open_from(t),
            );
            assert!(
                close(w, clock.to_working(t)),
                "to_working({t}): {w} against {}",
                clock.to_working(t)
            );
            assert!(
                close(c, clock.to_calendar(t)),
                "to_calendar({t}): {c} against {}",
                clock.to_calendar(t)
            );
            assert!(
                close(o, clock.next_open(t)),
                "next_open({t}): {o} against {}",
                clock.next_open(t)
            );
        }
    }

    #[test]
    fn a_walk_maps_as_the_clock_does_on_a_week_and_on_dates() {
        walk_agrees(&Clock::Weekly(office()));
        // Two dated days off the week, then the week from hour 400 on.
        let dated = Dated::new(&[(10.0, 14.0), (30.0, 31.5), (200.0, 260.0)], 400.0, office());
        walk_agrees(&Clock::Dated(dated));
        let mut always = Walk::new(&Clock::Always);
        assert_eq!(
            (always.working_at(3.5), always.calendar_at(2.0), always.open_from(7.0)),
            (3.5, 2.0, 7.0)
        );
    }

    #[test]
    fn the_inlined_floor_is_f64_floor_bit_for_bit() {
        let mut values = vec![
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.0,
            -1.0,
            f64::EPSILON,
            -f64::EPSILON,
            1.0 - f64::EPSILON / 2.0,
            -(1.0 - f64::EPSILON / 2.0),
            4_503_599_627_370_495.5,
            -4_503_599_627_370_495.5,
            4_503_599_627_370_496.0,
            9.3e18,
            -9.3e18,
            1e300,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        // Every binade from 2^-60 to 2^70, with fractions, both signs.
        for e in -60..70 {
            for f in [1.0, 1.1, 1.5, 1.999_999_999] {
                let x = f * 2f64.powi(e);
                values.extend([x, -x, x + 0.5, -x - 0.5]);
            }
        }
        for x in values {
            assert_eq!(floor(x).to_bits(), x.floor().to_bits(), "{x:e}");
        }
        assert!(floor(f64::NAN).is_nan());
    }
}
