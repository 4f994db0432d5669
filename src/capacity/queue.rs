//! The discrete-event loop: one trial of a sales queue.
//!
//! The loop is driven by the rep who is free earliest. When the queue is
//! empty, that rep's next decision is at the next arrival (or at the next
//! opening after it); otherwise at the rep's own availability. Every
//! arrival up to the decision time joins the queue first, so the
//! discipline chooses among everything waiting at that moment. All buffers
//! live in a [`Workspace`] that is cleared, not reallocated, between trials:
//! after the first trial the loop allocates nothing.

mod fifo;

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, VecDeque};

use rand::{Rng, RngExt};
use rand_distr::Exp1;

use super::delay_histogram::DelayHistogram;
use super::discipline::Discipline;
use super::flow::ArrivalHours;
use super::model::CapacityModel;
use super::outcome::CapacityOutcome;
use crate::calendar::WEEK_HOURS;
use crate::engine::TrialRng;
use crate::model::deal_value::DealValue;
use crate::model::decay::DecayCurve;
use crate::model::duration::Hours;
use crate::model::follow_up::DelayDistribution;

/// A waiting SQL or inquiry.
#[derive(Debug, Clone, Copy)]
struct Item {
    /// When it joined the queue (calendar hours).
    arrival: f64,
    /// When the lead first became an SQL (differs for recycled SQLs).
    origin: f64,
    /// The close draw `U` and deal value `V`, kept for a recycled SQL.
    u: f64,
    value: f64,
    /// Index into the sources (the last one is inquiries, if any).
    source: u32,
    recycled: bool,
    /// Whether the first follow-up missed the SLA (for recycled SQLs).
    sla_missed: bool,
    /// A recycled SQL's warmth draw `W` and handling time, drawn when it
    /// went cold by the FIFO recursion (which keeps every draw of an SQL in
    /// one place, see [`fifo`]); the general loop draws them when needed.
    w: f64,
    work: f64,
}

/// A cold SQL on its way back from the MQL pool.
#[derive(Debug, Clone, Copy)]
struct Return {
    time: f64,
    item: Item,
}

impl PartialEq for Return {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Return {}
impl PartialOrd for Return {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Return {
    fn cmp(&self, other: &Self) -> Ordering {
        self.time
            .total_cmp(&other.time)
            .then(self.item.origin.total_cmp(&other.item.origin))
    }
}

/// A source of arrivals, prepared for the loop.
#[derive(Debug, Clone)]
struct Source {
    /// Arrivals per hour of its clock.
    rate: f64,
    /// `1 / rate`, the mean gap (the FIFO recursion multiplies by it).
    mean_gap: f64,
    working_clock: bool,
    handling: DelayDistribution,
    /// The mean of an exponential handling time (the FIFO recursion draws
    /// those itself).
    exponential_handling: Option<f64>,
    close_rate: f64,
    deal_value: DealValue,
    /// `None` for inquiries (never warm, never dropped).
    decay: Option<DecayCurve>,
    /// Age from which triage drops it (infinite without triage).
    shelf_life: f64,
    /// `close_rate × mean deal value`, the priority score before decay.
    value_per_item: f64,
}

/// Reusable buffers and prepared sources for the trials of one thread.
#[derive(Debug, Clone)]
pub(crate) struct Workspace<'a> {
    model: &'a CapacityModel,
    sources: Vec<Source>,
    queue: VecDeque<Item>,
    /// The reps' free times, for the FIFO recursion of small teams.
    free: Vec<f64>,
    /// For the FIFO recursion: a walk over the team's calendar per source,
    /// mapping its arrivals from the working clock (they only grow).
    walks: Vec<crate::calendar::Walk<'a>>,
    /// Which loop runs a trial (chosen from the model, see [`Path`]).
    path: Path,
    reps: BinaryHeap<Reverse<u64>>,
    returns: BinaryHeap<Reverse<Return>>,
    /// Next arrival of each source: (calendar time, clock time).
    next: Vec<(f64, f64)>,
    /// Per week of origin: (customers, revenue lost).
    pub(crate) weekly: Vec<(u64, f64)>,
    /// First follow-up delays of the counted SQLs of the current trial, at
    /// most [`DELAY_BUFFER`] of them; the rest are in `delays_overflow`.
    pub(crate) delays: Vec<f64>,
    /// The current trial's delays beyond the buffer, in a bounded
    /// histogram: a trial of 10^9 SQLs kept one f64 per worked SQL (8 GB
    /// per worker thread).
    pub(crate) delays_overflow: DelayHistogram,
}

/// The mean of `d` if it is exponential.
fn exponential_mean(d: &DelayDistribution) -> Option<f64> {
    match *d.shape() {
        crate::model::follow_up::DelayShape::Exponential { mean } => Some(mean),
        _ => None,
    }
}

/// The loop a [`Workspace`] runs its trials with. Where both apply they
/// agree in distribution; the recursion draws from three streams (see
/// [`fifo`]), the general loop from one in event order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Path {
    /// The discrete-event loop: every discipline, triage.
    General,
    /// The FIFO recursion ([`fifo`]), on a working calendar.
    Fifo,
    /// The FIFO recursion round the clock.
    FifoAlways,
}

/// The delays a trial buffers before it moves them into its bounded
/// histogram (32 KiB).
pub(crate) const DELAY_BUFFER: usize = 4096;

impl<'a> Workspace<'a> {
    pub(crate) fn new(model: &'a CapacityModel) -> Workspace<'a> {
        let triage = model.team().triage();
        let mut sources: Vec<Source> = model
            .streams()
            .iter()
            .map(|s| {
                let segment = s.segment();
                Source {
                    rate: model.clock_rate(s.rate_per_day(), s.arrivals()),
                    mean_gap: 1.0 / model.clock_rate(s.rate_per_day(), s.arrivals()),
                    working_clock: s.arrivals() == ArrivalHours::WorkingHours,
                    handling: s.handling().clone(),
                    exponential_handling: exponential_mean(s.handling()),
                    close_rate: segment.close_rate(),
                    deal_value: segment.deal_value().clone(),
                    decay: Some(segment.decay().clone()),
                    shelf_life: if triage {
                        segment.decay().zero_after().map_or(f64::INFINITY, Hours::get)
                    } else {
                        f64::INFINITY
                    },
                    value_per_item: segment.value_per_sql(),
                }
            })
            .collect();
        if let Some(i) = model.inquiries() {
            sources.push(Source {
                rate: model.clock_rate(i.rate_per_day(), i.arrivals()),
                mean_gap: 1.0 / model.clock_rate(i.rate_per_day(), i.arrivals()),
                working_clock: i.arrivals() == ArrivalHours::WorkingHours,
                handling: i.handling().clone(),
                exponential_handling: exponential_mean(i.handling()),
                close_rate: i.close_rate(),
                deal_value: i.deal_value().clone(),
                decay: None,
                shelf_life: f64::INFINITY,
                value_per_item: i.close_rate() * i.deal_value().mean(),
            });
        }
        let weeks = (model.horizon().get() / WEEK_HOURS).ceil() as usize;
        let path = match (fifo::applies(model), model.team().hours().is_always()) {
            (false, _) => Path::General,
            (true, false) => Path::Fifo,
            (true, true) => Path::FifoAlways,
        };
        Workspace {
            model,
            free: Vec::new(),
            walks: vec![model.team().hours().walk(); sources.len()],
            path,
            next: vec![(0.0, 0.0); sources.len()],
            sources,
            queue: VecDeque::with_capacity(1024),
            reps: BinaryHeap::with_capacity(model.team().reps() as usize),
            returns: BinaryHeap::new(),
            weekly: vec![(0, 0.0); weeks.max(1)],
            delays: Vec::with_capacity(1024),
            delays_overflow: DelayHistogram::new(),
        }
    }

    /// Draws the next arrival of source `i` after clock time `clock`.
    #[inline]
    fn schedule<R: Rng + ?Sized>(&mut self, i: usize, clock: f64, rng: &mut R) {
        let source = &self.sources[i];
        let gap: f64 = rng.sample(Exp1);
        let clock = clock + gap / source.rate;
        let calendar = if source.working_clock {
            self.model.team().hours().to_calendar(clock)
        } else {
            clock
        };
        self.next[i] = (calendar, clock);
    }

    /// The earliest pending arrival: `(time, source)`, with `usize::MAX`
    /// standing for a recycled return.
    #[inline]
    fn next_arrival(&self) -> (f64, usize) {
        let mut best = (f64::INFINITY, usize::MAX);
        for (i, &(t, _)) in self.next.iter().enumerate() {
            if t < best.0 {
                best = (t, i);
            }
        }
        if let Some(Reverse(r)) = self.returns.peek()
            && r.time < best.0
        {
            best = (r.time, usize::MAX);
        }
        best
    }

    /// Runs one trial into `out` (and `self.weekly`, `self.delays`), by the
    /// FIFO recursion where it applies, else by the discrete-event loop.
    pub(crate) fn trial(&mut self, rng: &mut TrialRng, out: &mut CapacityOutcome) {
        match self.path {
            Path::General => self.trial_general(rng, out),
            // Without recycling the recursion is compiled without returns.
            Path::Fifo if self.model.recycling().is_some() => self.trial_fifo::<false, true>(rng, out),
            Path::Fifo => self.trial_fifo::<false, false>(rng, out),
            Path::FifoAlways if self.model.recycling().is_some() => self.trial_fifo::<true, true>(rng, out),
            Path::FifoAlways => self.trial_fifo::<true, false>(rng, out),
        }
    }

    /// Forces a path (tests compare the two).
    #[cfg(test)]
    pub(crate) fn with_path(mut self, path: Path) -> Self {
        self.path = path;
        self
    }

    /// Clears the buffers and outcome of the last trial and frees every rep
    /// at time 0.
    fn reset(&mut self, out: &mut CapacityOutcome) {
        *out = CapacityOutcome::default();
        self.queue.clear();
        self.returns.clear();
        self.reps.clear();
        self.delays.clear();
        if self.delays_overflow.count() > 0 {
            self.delays_overflow = DelayHistogram::new();
        }
        self.weekly.iter_mut().for_each(|w| *w = (0, 0.0));
        for _ in 0..self.model.team().reps() {
            self.reps.push(Reverse(0f64.to_bits()));
        }
    }

    /// One trial by the discrete-event loop.
    fn trial_general<R: Rng + ?Sized>(&mut self, rng: &mut R, out: &mut CapacityOutcome) {
        let model = self.model;
        let hours = model.team().hours();
        let horizon = model.horizon().get();
        let warm_up = model.warm_up();
        let sla = model.team().sla().map_or(f64::NAN, |h| h.get());
        let discipline = model.team().discipline();
        let (work_start, work_end) = (hours.to_working(warm_up), hours.to_working(horizon));

        self.reset(out);
        for i in 0..self.sources.len() {
            self.schedule(i, 0.0, rng);
        }
        let mut now = 0.0f64;
        while let Some(&Reverse(free_bits)) = self.reps.peek() {
            let free = f64::from_bits(free_bits);
            // Decisions never go back in time: a rep idle since before the
            // last decision takes the waiting items from that moment on.
            let decide = if self.queue.is_empty() {
                let (a, _) = self.next_arrival();
                if !(a < horizon) {
                    break;
                }
                hours.next_open(free.max(a))
            } else {
                hours.next_open(free.max(now))
            };
            now = decide;
            // Everything that arrives by the decision joins the queue.
            loop {
                let (a, source) = self.next_arrival();
                if !(a <= decide && a < horizon) {
                    break;
                }
                out.events += 1;
                if source == usize::MAX {
                    let Some(Reverse(r)) = self.returns.pop() else { break };
                    if r.item.origin >= warm_up {
                        out.recycled += 1;
                        out.reactivation_cost += model.recycling().map_or(0.0, |r| r.reactivation_cost());
                    }
                    self.queue.push_back(Item { arrival: a, ..r.item });
                } else {
                    let clock = self.next[source].1;
                    self.queue.push_back(Item {
                        arrival: a,
                        origin: a,
                        u: 0.0,
                        value: 0.0,
                        source: source as u32,
                        recycled: false,
                        sla_missed: false,
                        w: 0.0,
                        work: 0.0,
                    });
                    self.schedule(source, clock, rng);
                }
            }
            let Some(item) = self.pick(discipline, decide, rng, out) else {
                continue;
            };
            // Little's law: the queue-length integral is the sum of waits.
            if item.arrival >= warm_up {
                out.queue_hours += (decide.min(horizon) - item.arrival.max(warm_up)).max(0.0);
            }
            let source = &self.sources[item.source as usize];
            let handling = source.handling.sample(rng);
            let start_w = hours.to_working(decide);
            let end_w = start_w + handling;
            out.busy_hours += (end_w.min(work_end) - start_w.max(work_start)).max(0.0);
            let end = hours.to_calendar(end_w);
            // The deciding rep is the heap's top: replacing it in place is one
            // sift instead of a pop and a push.
            if let Some(mut top) = self.reps.peek_mut() {
                *top = Reverse(end.to_bits());
            }
            out.events += 1;
            self.resolve(item, Some(decide - item.arrival), decide, sla, rng, out);
        }
        out.rep_hours = f64::from(model.team().reps()) * (work_end - work_start);
        out.queue_hours_span = horizon - warm_up;
    }

    /// Takes the next item by `discipline` at time `now`, dropping expired
    /// items on the way when triage is on.
    #[inline]
    fn pick<R: Rng + ?Sized>(
        &mut self,
        discipline: Discipline,
        now: f64,
        rng: &mut R,
        out: &mut CapacityOutcome,
    ) -> Option<Item> {
        loop {
            let item = match discipline {
                Discipline::Fifo => self.queue.pop_front()?,
                Discipline::NewestFirst => {
                    // The oldest expire first: drop them from the front.
                    while let Some(&front) = self.queue.front() {
                        if now - front.arrival >= self.sources[front.source as usize].shelf_life {
                            self.queue.pop_front();
                            self.drop_item(front, now, rng, out);
                        } else {
                            break;
                        }
                    }
                    self.queue.pop_back()?
                }
                Discipline::Priority => {
                    let mut best: Option<(usize, f64, f64)> = None;
                    let mut i = 0;
                    while i < self.queue.len() {
                        let it = self.queue[i];
                        let source = &self.sources[it.source as usize];
                        let age = now - it.arrival;
                        if age >= source.shelf_life {
                            self.queue.swap_remove_back(i);
                            self.drop_item(it, now, rng, out);
                            continue;
                        }
                        let value = if it.recycled {
                            it.value * self.model.recycling().map_or(0.0, |r| r.close_rate())
                        } else {
                            source.value_per_item
                        };
                        let score = value * source.decay.as_ref().map_or(1.0, |d| d.evaluate(age));
                        if best.is_none_or(|(_, s, a)| score > s || (score == s && it.arrival < a)) {
                            best = Some((i, score, it.arrival));
                        }
                        i += 1;
                    }
                    self.queue.swap_remove_back(best?.0)?
                }
            };
            if now - item.arrival >= self.sources[item.source as usize].shelf_life {
                self.drop_item(item, now, rng, out);
                continue;
            }
            return Some(item);
        }
    }

    fn drop_item<R: Rng + ?Sized>(&mut self, item: Item, now: f64, rng: &mut R, out: &mut CapacityOutcome) {
        let warm_up = self.model.warm_up();
        if item.arrival >= warm_up {
            out.queue_hours += (now.min(self.model.horizon().get()) - item.arrival).max(0.0);
        }
        let sla = self.model.team().sla().map_or(f64::NAN, |h| h.get());
        self.resolve(item, None, now, sla, rng, out);
    }

    /// The outcome of an item first worked after `delay` (`None`: dropped
    /// unworked) at time `now` (the generative model: warm iff `W < f(D)`,
    /// would close iff `U < close_rate`, value `V`; the ideal world shares
    /// `U` and `V`).
    fn resolve<R: Rng + ?Sized>(
        &mut self,
        mut item: Item,
        delay: Option<f64>,
        now: f64,
        sla: f64,
        rng: &mut R,
        out: &mut CapacityOutcome,
    ) {
        let counted = item.origin >= self.model.warm_up();
        let source = &self.sources[item.source as usize];
        let Some(decay) = &source.decay else {
            // A raw inquiry: it closes at its own rate, or not at all.
            if counted {
                out.inquiries += 1;
                if rng.random::<f64>() < source.close_rate {
                    out.inquiry_customers += 1;
                    out.inquiry_revenue += source.deal_value.sample(rng);
                }
            }
            return;
        };
        let first = !item.recycled;
        if first {
            if counted {
                out.sqls += 1;
                match delay {
                    Some(d) => {
                        out.worked += 1;
                        out.delay_hours += d;
                        out.zero_delay += u64::from(d == 0.0);
                        if self.delays.len() == DELAY_BUFFER {
                            let overflow = &mut self.delays_overflow;
                            self.delays.drain(..).for_each(|d| overflow.record(d));
                        }
                        self.delays.push(d);
                        if d <= sla {
                            out.sla_met += 1;
                        }
                    }
                    None => out.dropped += 1,
                }
            }
            item.sla_missed = !delay.is_some_and(|d| d <= sla);
            item.u = rng.random::<f64>();
            item.value = if item.u < source.close_rate {
                source.deal_value.sample(rng)
            } else {
                0.0
            };
        }
        let f = delay.map_or(0.0, |d| decay.evaluate(d));
        // W ~ U(0,1) decides warmth; when f is 0 or 1 the draw cannot matter.
        let warm = f >= 1.0 || (f > 0.0 && rng.random::<f64>() < f);
        let close_rate = if first {
            source.close_rate
        } else {
            self.model
                .recycling()
                .map_or(0.0, |r| r.close_rate())
                .min(source.close_rate)
        };
        if warm && item.u < close_rate {
            if counted {
                out.customers += 1;
                out.revenue += item.value;
                let week = ((item.origin / WEEK_HOURS) as usize).min(self.weekly.len() - 1);
                self.weekly[week].0 += 1;
            }
            return;
        }
        if !warm
            && first
            && let Some(recycling) = self.model.recycling()
        {
            let reverted = rng.random::<f64>() < recycling.revert_probability();
            let mut back = now + recycling.return_delay().sample(rng);
            if reverted {
                out.reverted += u64::from(counted);
            } else {
                out.lost_to_competitor += u64::from(counted);
                back += recycling.lockout().get();
            }
            if back < self.model.horizon().get() {
                item.recycled = true;
                self.returns.push(Reverse(Return { time: back, item }));
                return;
            }
        }
        if item.u < source.close_rate && counted {
            out.customers_lost += 1;
            out.revenue_lost += item.value;
            if item.sla_missed {
                out.sla_revenue_lost += item.value;
            }
            let week = ((item.origin / WEEK_HOURS) as usize).min(self.weekly.len() - 1);
            self.weekly[week].1 += item.value;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capacity::{SalesTeam, SqlStream};
    use crate::model::duration::Hours;
    use crate::model::scenario::Scenario;

    #[test]
    fn a_trial_buffers_a_bounded_number_of_delays_whatever_its_sqls() {
        // 5,000 SQLs a day for 28 days, worked by a large team: about
        // 140,000 worked SQLs in one trial, 4,096 delays buffered at most.
        let segment = Scenario::reference().segments()[0].clone();
        let handling = DelayDistribution::exponential(Hours::new(0.01).unwrap()).unwrap();
        let stream = SqlStream::new(segment, 5_000.0, handling).unwrap();
        let team = SalesTeam::new(10).unwrap();
        let model = CapacityModel::new(team, vec![stream], Hours::from_days(28.0).unwrap()).unwrap();
        let mut workspace = Workspace::new(&model);
        let mut out = CapacityOutcome::default();
        workspace.trial(&mut crate::engine::trial_rng(1, 0), &mut out);
        assert!(out.worked > 10 * DELAY_BUFFER as u64, "{}", out.worked);
        assert!(workspace.delays.len() <= DELAY_BUFFER);
        assert_eq!(
            workspace.delays.len() as u64 + workspace.delays_overflow.count(),
            out.worked
        );
    }
}
