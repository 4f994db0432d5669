//! The fast path of the queue: first come, first served, without triage.
//!
//! A FIFO queue of identical reps needs no event list: each SQL's first
//! follow-up starts at the earliest time a rep is free and at work after
//! its arrival (and not before the previous start), a recursion over the
//! arrivals that keeps the reps' `c` free times and nothing else. It runs
//! on the team's working clock: free times are working hours, so a start is
//! the latest of three working times, and only a start that waited is
//! mapped back to the calendar (the delay and the decay are in calendar
//! hours). Recycled
//! SQLs join it too: an SQL that goes cold returns later than it was
//! worked, so taking items in order of arrival from the fresh arrivals and
//! a heap of returns serves them in the order a FIFO queue would.
//!
//! # Draws
//!
//! The recursion draws from three streams of the trial's generator
//! ([`crate::engine::trial_rng`]): the arrivals from the generator itself,
//! the handling times of first follow-ups from a copy jumped `2^128` steps
//! ahead, and each item's outcome from a copy jumped twice: `U`, then `W`,
//! then `V` if it would close, then, with recycling, everything its
//! return would need (revert or not, the return delay, the returned SQL's
//! `W` and handling time) whether or not it goes cold. The `k`-th SQL of a
//! trial therefore has the same arrival time, handling time and outcome
//! draws whatever the team: team sizes are compared on common random
//! numbers. The general loop draws from one stream in event order, so the
//! two paths agree in distribution, not bit for bit (tested below).

use std::cmp::Reverse;

use rand::RngExt;

use super::{DELAY_BUFFER, Item, Return, Workspace};
use crate::calendar::WEEK_HOURS;
use crate::capacity::discipline::Discipline;
use crate::capacity::model::CapacityModel;
use crate::capacity::outcome::CapacityOutcome;
use crate::engine::TrialRng;
use crate::sampling::exponential::Exponential;

/// Teams up to this size find their earliest free rep by a linear scan of
/// the free times; larger ones by a heap.
const LINEAR_REPS: usize = 16;

/// The later of two times that are not NaN (one `maxsd`, where `f64::max`
/// also handles NaN).
#[inline(always)]
fn later(a: f64, b: f64) -> f64 {
    if a > b { a } else { b }
}

/// The earlier of two times that are not NaN.
#[inline(always)]
fn earlier(a: f64, b: f64) -> f64 {
    if a < b { a } else { b }
}

/// Whether the FIFO recursion runs `model`: FIFO without triage (any
/// calendar, any sources, recycling or not).
pub(super) fn applies(model: &CapacityModel) -> bool {
    let team = model.team();
    team.discipline() == Discipline::Fifo && !team.triage()
}

impl Workspace<'_> {
    /// One trial by the FIFO recursion; `ALWAYS` when the team works round
    /// the clock (the calendar's maps are then the identity, skipped),
    /// `RECYCLING` when the model recycles cold SQLs (without it, the
    /// returns' branches are compiled out: 12 % of an M/M/5 run).
    pub(super) fn trial_fifo<const ALWAYS: bool, const RECYCLING: bool>(
        &mut self,
        rng: &mut TrialRng,
        out: &mut CapacityOutcome,
    ) {
        let model = self.model;
        let hours = model.team().hours();
        let horizon = model.horizon().get();
        let warm_up = model.warm_up();
        let sla = model.team().sla().map_or(f64::NAN, |h| h.get());
        let (work_start, work_end) = (hours.to_working(warm_up), hours.to_working(horizon));
        // Walks over the calendar for the times that grow through the
        // trial: the starts, and the arrivals not drawn on the working clock.
        let (mut start_walk, mut arrival_walk, mut open_walk) = (hours.walk(), hours.walk(), hours.walk());
        let team_walk = hours.walk();
        self.walks.iter_mut().for_each(|w| *w = team_walk.clone());
        let mut handling_rng = rng.clone();
        handling_rng.jump();
        let mut outcome_rng = handling_rng.clone();
        outcome_rng.jump();
        let exponential = Exponential::new();

        self.reset(out);
        for i in 0..self.sources.len() {
            self.next[i] = (0.0, 0.0);
            self.schedule_next(i, exponential, rng);
        }
        let reps = model.team().reps() as usize;
        self.free.clear();
        self.free.resize(reps, 0.0);
        // Accumulated in a local (kept in registers), stored at the end.
        let mut acc = CapacityOutcome::default();
        // Working hours: the last start, and below the reps' free times.
        let mut last_start_w = 0.0f64;
        loop {
            // The next item in order of arrival: a fresh one, or a recycled
            // return strictly before it (as the general loop breaks ties).
            let (fresh, source) = self.next_source_arrival();
            let returned = match self.returns.peek() {
                Some(Reverse(r)) if RECYCLING && r.time < fresh => self.returns.pop().map(|Reverse(r)| r.item),
                _ => None,
            };
            let arrival = returned.map_or(fresh, |item| item.arrival);
            if !(arrival < horizon) {
                break;
            }
            // The arrival on the working clock, and whether it is an instant
            // of work (arrivals drawn on the working clock are).
            let on_clock = returned.is_none() && self.sources[source].working_clock;
            let arrival_w = if ALWAYS {
                arrival
            } else if on_clock {
                self.next[source].1
            } else {
                arrival_walk.working_at(arrival)
            };
            match returned {
                Some(item) => {
                    acc.events += 1;
                    if item.origin >= warm_up {
                        acc.recycled += 1;
                        acc.reactivation_cost += model.recycling().map_or(0.0, |r| r.reactivation_cost());
                    }
                }
                None => self.schedule_next(source, exponential, rng),
            }
            // The earliest free rep (a unique time; which of equal reps
            // takes the SQL does not matter), found without branches.
            let (rep, free) = if reps <= LINEAR_REPS {
                let (mut best, mut earliest) = (0, self.free[0]);
                for (i, &t) in self.free.iter().enumerate().skip(1) {
                    let earlier = t < earliest;
                    best = if earlier { i } else { best };
                    earliest = if earlier { t } else { earliest };
                }
                (best, earliest)
            } else {
                (usize::MAX, self.reps.peek().map_or(0.0, |r| f64::from_bits(r.0)))
            };
            // The start: the latest of the rep's free time, the arrival and
            // the last start, on the working clock; only a wait is mapped
            // back to the calendar.
            let start_w = later(later(free, arrival_w), last_start_w);
            last_start_w = start_w;
            let start = if ALWAYS {
                start_w
            } else if start_w > arrival_w {
                // Never before the arrival, whatever the rounding of an
                // arrival mapped onto the working clock and back.
                later(start_walk.calendar_at(start_w), arrival)
            } else if on_clock {
                arrival
            } else {
                open_walk.open_from(arrival)
            };
            if arrival >= warm_up {
                acc.queue_hours += later(earlier(start, horizon) - arrival, 0.0);
            }
            let handling = match returned {
                Some(item) => item.work,
                None => match self.sources[source].exponential_handling {
                    Some(mean) => exponential.draw(&mut handling_rng) * mean,
                    None => self.sources[source].handling.sample(&mut handling_rng),
                },
            };
            let end_w = start_w + handling;
            acc.busy_hours += later(earlier(end_w, work_end) - later(start_w, work_start), 0.0);
            if rep == usize::MAX {
                if let Some(mut top) = self.reps.peek_mut() {
                    top.0 = end_w.to_bits();
                }
            } else {
                self.free[rep] = end_w;
            }
            acc.events += 1;
            match returned {
                Some(item) => self.resolve_return(item, start - arrival, &mut acc),
                None => {
                    acc.events += 1;
                    self.resolve_first::<RECYCLING>(
                        arrival,
                        source,
                        start,
                        sla,
                        exponential,
                        &mut outcome_rng,
                        &mut acc,
                    );
                }
            }
        }
        *out = acc;
        out.rep_hours = f64::from(model.team().reps()) * (work_end - work_start);
        out.queue_hours_span = horizon - warm_up;
    }

    /// Draws the arrival of source `i` after its pending one.
    #[inline(always)]
    fn schedule_next(&mut self, i: usize, exponential: Exponential, rng: &mut TrialRng) {
        let source = &self.sources[i];
        let gap = exponential.draw(rng);
        let clock = self.next[i].1 + gap * source.mean_gap;
        let calendar = if source.working_clock {
            self.walks[i].calendar_at(clock)
        } else {
            clock
        };
        self.next[i] = (calendar, clock);
    }

    /// The earliest pending arrival of the sources: `(time, source)`.
    #[inline]
    fn next_source_arrival(&self) -> (f64, usize) {
        if let [(t, _)] = self.next[..] {
            return (t, 0);
        }
        let mut best = (f64::INFINITY, usize::MAX);
        for (i, &(t, _)) in self.next.iter().enumerate() {
            if t < best.0 {
                best = (t, i);
            }
        }
        best
    }

    /// The outcome of an item that arrived at `arrival` and was first
    /// worked at `start`: `U` and `W` always (so that the outcome stream
    /// stays aligned with the items), `V` if it would close, and with
    /// recycling what a return would need (see the module's draws).
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn resolve_first<const RECYCLING: bool>(
        &mut self,
        arrival: f64,
        source: usize,
        start: f64,
        sla: f64,
        exponential: Exponential,
        rng: &mut TrialRng,
        out: &mut CapacityOutcome,
    ) {
        let model = self.model;
        let delay = start - arrival;
        let counted = arrival >= model.warm_up();
        let source_index = source;
        let source = &self.sources[source];
        let u = rng.random::<f64>();
        let w = rng.random::<f64>();
        let close = u < source.close_rate;
        let value = if close { source.deal_value.sample(rng) } else { 0.0 };
        let Some(decay) = &source.decay else {
            // A raw inquiry: it closes at its own rate, or not at all.
            if counted {
                out.inquiries += 1;
                if close {
                    out.inquiry_customers += 1;
                    out.inquiry_revenue += value;
                }
            }
            return;
        };
        let recycling = model.recycling().filter(|_| RECYCLING).map(|recycling| {
            let reverted = rng.random::<f64>() < recycling.revert_probability();
            let back = recycling.return_delay().sample(rng);
            let w = rng.random::<f64>();
            let work = match source.exponential_handling {
                Some(mean) => exponential.draw(rng) * mean,
                None => source.handling.sample(rng),
            };
            (recycling, reverted, back, w, work)
        });
        let met = delay <= sla;
        if counted {
            out.sqls += 1;
            out.worked += 1;
            out.delay_hours += delay;
            out.zero_delay += u64::from(delay == 0.0);
            if self.delays.len() == DELAY_BUFFER {
                let overflow = &mut self.delays_overflow;
                self.delays.drain(..).for_each(|d| overflow.record(d));
            }
            self.delays.push(delay);
            out.sla_met += u64::from(met);
        }
        if !close && recycling.is_none() {
            // Neither won nor lost, and it cannot come back.
            return;
        }
        // W ~ U(0,1) decides warmth: warm iff W < f(D).
        let warm = w < decay.evaluate(delay);
        let week = ((arrival / WEEK_HOURS) as usize).min(self.weekly.len() - 1);
        if warm {
            if close && counted {
                out.customers += 1;
                out.revenue += value;
                self.weekly[week].0 += 1;
            }
            return;
        }
        if let Some((recycling, reverted, back, w, work)) = recycling {
            let mut back = start + back;
            if reverted {
                out.reverted += u64::from(counted);
            } else {
                out.lost_to_competitor += u64::from(counted);
                back += recycling.lockout().get();
            }
            if back < model.horizon().get() {
                let item = Item {
                    arrival: back,
                    origin: arrival,
                    u,
                    value,
                    source: source_index as u32,
                    recycled: true,
                    sla_missed: !met,
                    w,
                    work,
                };
                self.returns.push(Reverse(Return { time: back, item }));
                return;
            }
        }
        if close && counted {
            out.customers_lost += 1;
            out.revenue_lost += value;
            if !met {
                out.sla_revenue_lost += value;
            }
            self.weekly[week].1 += value;
        }
    }

    /// The outcome of a recycled SQL worked again after `delay`, from the
    /// draws made when it went cold.
    #[inline]
    fn resolve_return(&mut self, item: Item, delay: f64, out: &mut CapacityOutcome) {
        if item.origin < self.model.warm_up() {
            return;
        }
        let source = &self.sources[item.source as usize];
        let Some(decay) = &source.decay else {
            return;
        };
        let close_rate = self
            .model
            .recycling()
            .map_or(0.0, |r| r.close_rate())
            .min(source.close_rate);
        let week = ((item.origin / WEEK_HOURS) as usize).min(self.weekly.len() - 1);
        if item.u < close_rate && item.w < decay.evaluate(delay) {
            out.customers += 1;
            out.revenue += item.value;
            self.weekly[week].0 += 1;
        } else if item.u < source.close_rate {
            out.customers_lost += 1;
            out.revenue_lost += item.value;
            if item.sla_missed {
                out.sla_revenue_lost += item.value;
            }
            self.weekly[week].1 += item.value;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Path;
    use super::*;
    use crate::capacity::{ArrivalHours, Recycling, SalesTeam, SqlStream};
    use crate::file::Analysis;
    use crate::model::duration::Hours;
    use crate::model::follow_up::DelayDistribution;

    /// The gallery's capacity scenario as it is: working hours, raw
    /// inquiries, a warm-up, an SLA, log-normal deal values, recycling.
    fn recycling_gallery() -> CapacityModel {
        let text = include_str!("../../../examples/scenarios/capacity.toml");
        Analysis::from_toml_str(text).unwrap().capacity_model().unwrap()
    }

    /// The gallery's capacity scenario without its recycling.
    fn gallery() -> CapacityModel {
        let model = recycling_gallery();
        let mut plain = CapacityModel::new(model.team().clone(), model.streams().to_vec(), model.horizon())
            .unwrap()
            .with_warm_up(Hours::new(model.warm_up()).unwrap())
            .unwrap()
            .with_inquiries(model.inquiries().unwrap().clone());
        if let Some(spend) = model.marketing_spend() {
            plain = plain.with_marketing_spend(spend).unwrap();
        }
        plain
    }

    /// `benches/data/mm5.toml`: M/M/5 at 90 % load round the clock.
    fn mm5(horizon: f64) -> CapacityModel {
        let segment = crate::model::scenario::Scenario::reference().segments()[0].clone();
        let handling = DelayDistribution::exponential(Hours::new(0.5).unwrap()).unwrap();
        let stream = SqlStream::new(segment, 9.0 * 24.0, handling).unwrap();
        let team = SalesTeam::new(5).unwrap().with_sla(Hours::new(0.25).unwrap());
        CapacityModel::new(team, vec![stream], Hours::new(horizon).unwrap())
            .unwrap()
            .with_warm_up(Hours::new(50.0).unwrap())
            .unwrap()
    }

    /// Per-trial figures of `trials` trials of `model` by `path`, seeded
    /// with `seed`.
    fn outcomes(model: &CapacityModel, path: Path, seed: u64, trials: u64) -> Vec<CapacityOutcome> {
        let mut workspace = Workspace::new(model).with_path(path);
        let mut out = CapacityOutcome::default();
        (0..trials)
            .map(|trial| {
                workspace.trial(&mut crate::engine::trial_rng(seed, trial), &mut out);
                out
            })
            .collect()
    }

    /// Mean and standard error of `f` over the trials.
    fn mean_se(outcomes: &[CapacityOutcome], f: impl Fn(&CapacityOutcome) -> f64) -> (f64, f64) {
        let n = outcomes.len() as f64;
        let mean = outcomes.iter().map(&f).sum::<f64>() / n;
        let var = outcomes.iter().map(|o| (f(o) - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, (var / n).sqrt())
    }

    /// One per-trial figure.
    type Figure = fn(&CapacityOutcome) -> f64;

    /// The two paths on independent seeds agree on every figure's mean
    /// within 4.5 standard errors of their difference.
    fn both_paths_agree(model: &CapacityModel, fast: Path, trials: u64) {
        assert_eq!(Workspace::new(model).path, fast);
        let general = outcomes(model, Path::General, 1, trials);
        let recursion = outcomes(model, fast, 2, trials);
        let figures: [(&str, Figure); 15] = [
            ("sqls", |o| o.sqls as f64),
            ("customers", |o| o.customers as f64),
            ("customers lost", |o| o.customers_lost as f64),
            ("revenue lost", |o| o.revenue_lost),
            ("sla revenue lost", |o| o.sla_revenue_lost),
            ("mean delay", CapacityOutcome::mean_delay),
            ("no wait", |o| o.zero_delay as f64 / o.worked.max(1) as f64),
            ("sla met", CapacityOutcome::sla_share),
            ("utilisation", CapacityOutcome::utilisation),
            ("queue length", CapacityOutcome::mean_queue_length),
            ("inquiry customers", |o| o.inquiry_customers as f64),
            ("reverted", |o| o.reverted as f64),
            ("lost to a competitor", |o| o.lost_to_competitor as f64),
            ("recycled", |o| o.recycled as f64),
            ("reactivation cost", |o| o.reactivation_cost),
        ];
        for (name, f) in figures {
            let (a, sa) = mean_se(&general, f);
            let (b, sb) = mean_se(&recursion, f);
            let tolerance = 4.5 * (sa * sa + sb * sb).sqrt();
            assert!(
                (a - b).abs() <= tolerance + 1e-12,
                "{name}: general {a} ± {sa}, recursion {b} ± {sb}"
            );
        }
        for (g, r) in general.iter().zip(&recursion) {
            // One event per arrival and one per start, warm-up included.
            assert!(g.events >= 2 * (g.sqls + g.inquiries) && r.events >= 2 * (r.sqls + r.inquiries));
            if model.recycling().is_none() {
                assert_eq!(r.events % 2, 0);
            }
            assert_eq!(r.rep_hours.to_bits(), g.rep_hours.to_bits());
        }
    }

    #[test]
    fn the_fifo_recursion_agrees_with_the_general_loop_round_the_clock() {
        // M/M/5 at 90 % load: about 9,000 SQLs a trial, so the delays
        // overflow their buffer into the histogram too.
        both_paths_agree(&mm5(1_000.0), Path::FifoAlways, 150);
    }

    #[test]
    fn the_fifo_recursion_agrees_with_the_general_loop_in_office_hours_with_inquiries() {
        let model = gallery();
        both_paths_agree(&model, Path::Fifo, 400);
        // Round the clock, and arrivals round the clock to a team in office hours.
        let always = model
            .clone()
            .with_team(model.team().clone().with_hours(crate::Calendar::always()));
        both_paths_agree(&always, Path::FifoAlways, 400);
        both_paths_agree(&model.with_arrivals(ArrivalHours::Always), Path::Fifo, 400);
    }

    #[test]
    fn the_fifo_recursion_agrees_with_the_general_loop_with_recycling() {
        // The gallery as it is: about 47 recycled SQLs a trial come back.
        let model = recycling_gallery();
        both_paths_agree(&model, Path::Fifo, 600);
        // Returns that come back sooner (a week) and lose no one to a
        // competitor for good (a lockout shorter than the horizon).
        let return_delay = DelayDistribution::exponential(Hours::from_days(7.0).unwrap()).unwrap();
        let recycling = Recycling::new(0.3, return_delay, 0.15, 80.0)
            .unwrap()
            .with_lockout(Hours::from_days(14.0).unwrap());
        let team = model.team().clone().with_reps(5).unwrap();
        let quick = model.with_recycling(recycling).with_team(team);
        both_paths_agree(&quick, Path::Fifo, 600);
        // Round the clock.
        let always = quick
            .clone()
            .with_team(quick.team().clone().with_hours(crate::Calendar::always()));
        both_paths_agree(&always, Path::FifoAlways, 600);
    }

    #[test]
    fn with_recycling_team_sizes_still_share_their_sqls_and_draws() {
        // Returns come back at times that depend on the team, so a larger
        // team need not be better in every trial; but the fresh SQLs and
        // their outcome draws are the same, so the ideal world is.
        let model = recycling_gallery();
        let mut previous: Option<Vec<CapacityOutcome>> = None;
        let mut gained = 0;
        for reps in [4, 5, 7] {
            let team = model.team().clone().with_reps(reps).unwrap();
            let now = outcomes(&model.clone().with_team(team), Path::Fifo, 9, 30);
            if let Some(before) = &previous {
                for (b, n) in before.iter().zip(&now) {
                    assert_eq!((b.sqls, b.inquiries), (n.sqls, n.inquiries));
                    assert_eq!(b.customers_ideal(), n.customers_ideal());
                    let ideal = b.revenue_ideal();
                    assert!((ideal - n.revenue_ideal()).abs() <= 1e-9 * ideal);
                    gained += i64::from(n.customers > b.customers) - i64::from(n.customers < b.customers);
                }
            }
            previous = Some(now);
        }
        // Overall, more reps win more customers.
        assert!(gained > 30, "{gained}");
    }

    #[test]
    fn team_sizes_are_compared_on_common_random_numbers() {
        // The same SQLs, handling times and outcome draws for every team:
        // the ideal world is the same, and a larger team never
        // makes any SQL wait longer, so no trial wins fewer customers.
        for model in [gallery(), mm5(500.0)] {
            let fast = Workspace::new(&model).path;
            let mut previous: Option<Vec<CapacityOutcome>> = None;
            for reps in [model.team().reps(), model.team().reps() + 1, model.team().reps() + 3] {
                let team = model.team().clone().with_reps(reps).unwrap();
                let sized = model.clone().with_team(team);
                let now = outcomes(&sized, fast, 9, 30);
                if let Some(before) = &previous {
                    for (b, n) in before.iter().zip(&now) {
                        assert_eq!((b.sqls, b.inquiries), (n.sqls, n.inquiries));
                        assert_eq!(b.customers_ideal(), n.customers_ideal());
                        // The same values, split differently between won and lost.
                        let ideal = b.revenue_ideal();
                        assert!((ideal - n.revenue_ideal()).abs() <= 1e-9 * ideal);
                        assert!(n.delay_hours <= b.delay_hours, "{reps} reps");
                        assert!(n.customers >= b.customers, "{reps} reps");
                        assert!(n.sla_met >= b.sla_met, "{reps} reps");
                    }
                }
                previous = Some(now);
            }
        }
    }

    #[test]
    fn the_general_loop_runs_what_the_recursion_cannot() {
        let model = gallery();
        assert!(applies(&model));
        for discipline in [Discipline::NewestFirst, Discipline::Priority] {
            let team = model.team().clone().with_discipline(discipline);
            assert!(!applies(&model.clone().with_team(team)));
        }
        assert!(!applies(
            &model.clone().with_team(model.team().clone().with_triage(true))
        ));
        // Recycled SQLs join the recursion.
        assert!(applies(&recycling_gallery()));
    }
}
