//! The per-SQL engine: every SQL of the cohort drawn one by one, exactly as
//! the generative model of the guide ([`crate::guide::model`]) describes it.
//!
//! SQLs are exchangeable, so the draws are reordered (the law is not): a
//! first pass draws one random word per SQL and only counts; a second pass
//! draws what the counted outcomes still need.
//!
//! A delay is drawn only where it is observed. Without an SLA nothing
//! depends on a worked SQL's delay but its warmth, so the delay is
//! integrated out: a worked SQL that would close is warm with probability
//! `r = E[f(D)]` (computed exactly by [`warm_probability`], which
//! `tests/expectations.rs` checks against direct draws of `f(D)`), and the
//! first pass decides it from the same word. With an SLA the delay of each
//! worked SQL is drawn and the decay evaluated at it, as the model reads.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, Exp1};

use super::outcome::TrialOutcome;
use crate::exact::business::segment_warm_probability;
use crate::model::business_hours::BusinessHours;
use crate::model::decay::DecayShape;
use crate::model::follow_up::{DelayShape, Neglect};
use crate::model::segment::Segment;

/// A test passed by a uniform 32-bit `x` with probability `p` quantised to
/// 2^-32 (rounded to nearest): `x < t` for `t = round(p 2^32)`. `t = 2^32`
/// (`p = 1`) does not fit 32 bits, so it is kept as `x < 2^32 - 1` or
/// `always`: 0 and 1 stay exact, and the test is a 32-bit comparison, which
/// vectorises four to a register.
#[derive(Debug, Clone, Copy)]
struct Threshold {
    bound: u32,
    always: u32,
}

impl Threshold {
    fn new(p: f64) -> Threshold {
        let t = (p.clamp(0.0, 1.0) * 4_294_967_296.0).round() as u64;
        Threshold {
            bound: t.min(u64::from(u32::MAX)) as u32,
            always: u32::from(t > u64::from(u32::MAX)),
        }
    }

    /// 1 if `x` passes, else 0.
    #[inline(always)]
    fn passes(self, x: u32) -> u32 {
        u32::from(x < self.bound) | self.always
    }
}

/// A segment prepared for per-SQL draws: its thresholds computed once.
#[derive(Debug, Clone)]
pub(crate) struct PerSqlSegment<'a> {
    segment: &'a Segment,
    /// SQLs neglected for sure (`neglected = k`), drawn first.
    neglected_count: u64,
    /// Never followed up (`never_followed_up = q`).
    neglect: Threshold,
    /// Would close if worked at once (`p`).
    close: Threshold,
    /// Becomes a customer: followed up, would close, and warm when worked
    /// (`(1 − q) p r`), for an SQL not among the `neglected_count`.
    customer: Threshold,
}

impl<'a> PerSqlSegment<'a> {
    pub(crate) fn new(segment: &'a Segment) -> PerSqlSegment<'a> {
        let follow_up = segment.follow_up();
        let (neglected_count, never_followed_up) = match follow_up.neglect() {
            Neglect::None => (0, 0.0),
            Neglect::Count(k) => (k, 0.0),
            Neglect::Probability(q) => (0, q),
        };
        let p = segment.close_rate();
        let r = segment_warm_probability(segment);
        PerSqlSegment {
            segment,
            neglected_count,
            neglect: Threshold::new(never_followed_up),
            close: Threshold::new(p),
            // (1 − q) p r <= p, and rounding is monotone: a uniform that
            // passes `customer` passes `close`.
            customer: Threshold::new((1.0 - never_followed_up) * p * r),
        }
    }

    /// One trial of the segment.
    #[inline]
    pub(crate) fn simulate<R: Rng + ?Sized>(&self, rng: &mut R) -> TrialOutcome {
        match self.segment.follow_up().sla() {
            None => self.simulate_unobserved_delays(rng),
            Some(sla) => self.simulate_with_sla(sla.get(), rng),
        }
    }

    /// Without an SLA: one 32-bit uniform per SQL decides its outcome, a
    /// customer (below `customer`), a lost customer (below `close`) or
    /// neither; then one deal value per closer.
    fn simulate_unobserved_delays<R: Rng + ?Sized>(&self, rng: &mut R) -> TrialOutcome {
        let (close, customer) = (self.close, self.customer);
        // SQLs are exchangeable, so the neglected count can be the first k:
        // those only need whether they would close.
        let mut closers = 0u64;
        for_each_uniform(self.neglected_count, rng, |uniforms| {
            closers += u64::from(uniforms.iter().map(|&u| close.passes(u)).sum::<u32>());
        });
        let mut customers = 0u64;
        for_each_uniform(self.segment.sqls() - self.neglected_count, rng, |uniforms| {
            let (mut batch_closers, mut batch_customers) = (0u32, 0u32);
            for &u in uniforms {
                batch_closers += close.passes(u);
                batch_customers += customer.passes(u);
            }
            closers += u64::from(batch_closers);
            customers += u64::from(batch_customers);
        });
        let customers_lost = closers - customers;
        let deal_value = self.segment.deal_value();
        TrialOutcome {
            customers,
            customers_lost,
            revenue: deal_value.sum_of(customers, rng),
            revenue_lost: deal_value.sum_of(customers_lost, rng),
            sla_met: 0,
        }
    }

    /// With an SLA: every worked SQL's delay is drawn (to count the SLA), and
    /// a closer's warmth decided by the decay at its delay.
    fn simulate_with_sla<R: Rng + ?Sized>(&self, sla: f64, rng: &mut R) -> TrialOutcome {
        let segment = self.segment;
        let delay = segment.follow_up().delay();
        let (neglect, close) = (self.neglect, self.close);
        let n = segment.sqls();
        let (mut neglected, mut closers, mut neglected_closers) = (self.neglected_count, 0u64, 0u64);
        for_each_uniform(self.neglected_count, rng, |uniforms| {
            neglected_closers += u64::from(uniforms.iter().map(|&u| close.passes(u)).sum::<u32>());
        });
        closers += neglected_closers;
        // Two uniforms per SQL: neglect, and whether it would close.
        for_each_uniform(2 * (n - self.neglected_count), rng, |uniforms| {
            for pair in uniforms.chunks_exact(2) {
                let neg = u64::from(neglect.passes(pair[1]));
                let closes = u64::from(close.passes(pair[0]));
                neglected += neg;
                closers += closes;
                neglected_closers += neg & closes;
            }
        });
        let worked = n - neglected;
        let worked_closers = closers - neglected_closers;

        let mut outcome = TrialOutcome {
            customers_lost: neglected_closers,
            revenue_lost: segment.deal_value().sum_of(neglected_closers, rng),
            ..TrialOutcome::default()
        };
        if let Some(hours) = segment.business_hours().filter(|hours| !hours.is_neutral()) {
            self.at_work(hours, worked - worked_closers, worked_closers, sla, &mut outcome, rng);
            return outcome;
        }
        // Worked SQLs that would not close still count towards the SLA.
        for _ in worked_closers..worked {
            outcome.sla_met += u64::from(delay.sample(rng) <= sla);
        }
        self.worked_closers(worked_closers, sla, &mut outcome, rng);
        outcome
    }

    /// On business hours: each worked SQL's arrival time and delay are
    /// drawn, the delay mapped to calendar time through the team's clock;
    /// the SLA is checked on its own clock, warmth at the calendar delay.
    fn at_work<R: Rng + ?Sized>(
        &self,
        hours: &BusinessHours,
        others: u64,
        worked_closers: u64,
        sla: f64,
        outcome: &mut TrialOutcome,
        rng: &mut R,
    ) {
        let segment = self.segment;
        let delay = segment.follow_up().delay();
        for _ in 0..others {
            outcome.sla_met += u64::from(hours.sample(delay, rng).1 <= sla);
        }
        let (decay, deal_value) = (segment.decay(), segment.deal_value());
        for _ in 0..worked_closers {
            let (c, s) = hours.sample(delay, rng);
            outcome.sla_met += u64::from(s <= sla);
            let v = deal_value.sample(rng);
            let f = decay.evaluate(c);
            let w = f >= 1.0 || (f > 0.0 && rng.random::<f64>() < f);
            outcome.customers += u64::from(w);
            outcome.customers_lost += u64::from(!w);
            outcome.revenue += if w { v } else { 0.0 };
            outcome.revenue_lost += if w { 0.0 } else { v };
        }
    }

    /// Delay, SLA, warmth and deal value of each worked closer.
    fn worked_closers<R: Rng + ?Sized>(&self, worked_closers: u64, sla: f64, outcome: &mut TrialOutcome, rng: &mut R) {
        let segment = self.segment;
        let delay = segment.follow_up().delay();
        let deal_value = segment.deal_value();
        // With exponential decay, warm iff W < 2^(-D/h) iff -ln W > D ln2 / h,
        // and -ln W ~ Exp(1): one ziggurat draw replaces a uniform and a libm
        // exp2 (perf: 19 % of time in exp).
        let decay = segment.decay();
        if let &DecayShape::Exponential { half_life } = decay.shape() {
            let rate = std::f64::consts::LN_2 / half_life;
            // d <= 0 is always warm, NaN never, as `DecayCurve::evaluate`.
            let warm = |rng: &mut R, d: f64| {
                let e: f64 = Exp1.sample(rng);
                d <= 0.0 || e > d * rate
            };
            return match *delay.shape() {
                // Exponential delays drawn here as mean x Exp(1) (the same law
                // as `DelayDistribution::sample`), so the whole loop inlines
                // (this bought 6 % on the throughput scenario when it had no SLA).
                DelayShape::Exponential { mean } => worked_closers_loop(
                    worked_closers,
                    sla,
                    outcome,
                    rng,
                    warm,
                    |rng| mean * <Exp1 as Distribution<f64>>::sample(&Exp1, rng),
                    |rng| deal_value.sample(rng),
                ),
                _ => worked_closers_loop(
                    worked_closers,
                    sla,
                    outcome,
                    rng,
                    warm,
                    |rng| delay.sample(rng),
                    |rng| deal_value.sample(rng),
                ),
            };
        }
        worked_closers_loop(
            worked_closers,
            sla,
            outcome,
            rng,
            |rng, d| {
                let f = decay.evaluate(d);
                // W ~ U(0,1) decides warmth; when f is 0 or 1 the draw cannot matter.
                f >= 1.0 || (f > 0.0 && rng.random::<f64>() < f)
            },
            |rng| delay.sample(rng),
            |rng| deal_value.sample(rng),
        );
    }
}

/// Calls `count` on batches of `uniforms` independent uniform 32-bit
/// numbers in all: the halves of the generator's 64-bit words, low half
/// first (an odd count leaves the last word's high half unused).
///
/// The words are drawn into a buffer first and counted after, so the
/// counting loop has no generator step in it and vectorises, four 32-bit
/// comparisons to a register. Counting branch-free mattered most: perf on
/// the throughput scenario (q = 0.36, p = 0.25) showed 55 % of the time in
/// this loop when it branched on two f64 draws per SQL (84 M SQL-trials/s,
/// 198 M once branch-free); BENCHMARKS.md has the later steps.
#[inline(always)]
fn for_each_uniform<R: Rng + ?Sized>(uniforms: u64, rng: &mut R, mut count: impl FnMut(&[u32])) {
    const WORDS: usize = 256;
    let mut buffer = [0u32; 2 * WORDS];
    let mut remaining = uniforms;
    while remaining > 0 {
        let len = remaining.min(2 * WORDS as u64) as usize;
        for pair in buffer[..len.next_multiple_of(2)].chunks_exact_mut(2) {
            let word = rng.next_u64();
            (pair[0], pair[1]) = (word as u32, (word >> 32) as u32);
        }
        count(&buffer[..len]);
        remaining -= len as u64;
    }
}

/// The hot loop over worked closers: delay, SLA, warmth, deal value.
#[inline(always)]
fn worked_closers_loop<R: Rng + ?Sized>(
    count: u64,
    sla: f64,
    outcome: &mut TrialOutcome,
    rng: &mut R,
    warm: impl Fn(&mut R, f64) -> bool,
    delay: impl Fn(&mut R) -> f64,
    value: impl Fn(&mut R) -> f64,
) {
    for _ in 0..count {
        let d = delay(rng);
        outcome.sla_met += u64::from(d <= sla);
        let v = value(rng);
        let w = warm(rng, d);
        outcome.customers += u64::from(w);
        outcome.customers_lost += u64::from(!w);
        outcome.revenue += if w { v } else { 0.0 };
        outcome.revenue_lost += if w { 0.0 } else { v };
    }
}
