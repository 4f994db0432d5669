//! The collapsed engine: a cohort of i.i.d. SQLs drawn as a handful of
//! binomial counts instead of SQL by SQL. Exact in distribution.
//!
//! ```text
//! worked W = N − k                  (or W ~ Binomial(N, 1 − q))
//! closers among the worked   Kw ~ Binomial(W, p)
//! closers among the neglected Kn ~ Binomial(N − W, p)
//! customers                   C ~ Binomial(Kw, r)            r = E[f(D)]
//! customers_lost = Kw − C + Kn
//! ```
//!
//! With `never_followed_up = q` and no SLA, the two first stages merge:
//! `customers_ideal ~ Binomial(N, p)`, `C ~ Binomial(customers_ideal, (1 − q) r)`.
//!
//! With an SLA `s`, the joint law of "warm" and "worked within s" is needed:
//! with `a = E[f(D); D <= s]` and `F = P(D <= s)`, the within-SLA customers are
//! `Binomial(C, a / r)`, the within-SLA cold closers `Binomial(Kw − C, (F − a) / (1 − r))`
//! and the within-SLA non-closers `Binomial(W − Kw, F)`.
//!
//! Without an SLA and for cohorts of at most [`JOINT_MAX`] SQLs, the joint law
//! of `(customers, customers_lost)` is tabulated once, and a trial is one
//! alias draw from it (with the one-`u64` alias tables of `binomial.rs`: the
//! reference went from 25 M to 30 M trials/s on one thread, `simulate
//! --trials 2000000 --engine collapsed --threads 1`).

use rand::Rng;

use super::binomial::{Alias, AliasPicker, BinomialFamily, binomial_pmf};
use super::outcome::TrialOutcome;
use crate::exact::business::{segment_warm_probability, segment_within_sla};
use crate::model::deal_value::DealValue;
use crate::model::follow_up::Neglect;
use crate::model::segment::Segment;

/// A segment prepared for collapsed draws.
#[derive(Debug, Clone)]
pub(crate) struct CollapsedSegment {
    sqls: u64,
    worked: Worked,
    deal_value: DealValue,
    /// Binomial(·, p): closers.
    close: BinomialFamily,
    /// Binomial(·, r) (or (1 − q) r in the merged form): warm among closers.
    warm: BinomialFamily,
    sla: Option<SlaDraws>,
    /// The joint law of (customers, customers lost), when tabulated.
    joint: Option<Joint>,
}

/// Largest cohort whose joint law is tabulated: at most
/// `(JOINT_MAX + 1)(JOINT_MAX + 2) / 2` outcomes (about 8,400, of 32 bytes
/// each with their alias column).
const JOINT_MAX: u64 = 128;

/// An alias table over the outcomes `(customers, customers_lost)`: it draws
/// the index of an outcome (a *slot*), so that a run of trials can count
/// slots and tally each distinct outcome once.
#[derive(Debug, Clone)]
struct Joint {
    alias: Alias,
    outcomes: Vec<(u64, u64)>,
}

impl Joint {
    /// The slot drawn by the random word `x`.
    #[inline(always)]
    fn slot(&self, x: u64) -> usize {
        self.alias.pick(x) as usize
    }

    /// (customers, customers lost) drawn by the random word `x`.
    #[inline(always)]
    fn counts(&self, x: u64) -> (u64, u64) {
        self.outcomes[self.slot(x)]
    }

    /// `pmf(c, l)` over `c + l <= n`.
    fn new(n: u64, pmf: impl Fn(u64, u64) -> f64) -> Option<Joint> {
        let (mut outcomes, mut weights) = (Vec::new(), Vec::new());
        for c in 0..=n {
            for l in 0..=n - c {
                let w = pmf(c, l);
                if w > 0.0 {
                    outcomes.push((c, l));
                    weights.push(w);
                }
            }
        }
        let slots: Vec<u32> = (0..outcomes.len() as u32).collect();
        Some(Joint {
            alias: Alias::new(&weights, &slots)?,
            outcomes,
        })
    }
}

#[derive(Debug, Clone)]
enum Worked {
    /// Exactly `worked` SQLs are followed up.
    Count(u64),
    /// Each SQL is followed up with probability `1 − q`, drawn per trial.
    Random(BinomialFamily),
    /// No SLA and a probability of neglect: closers first, then warmth.
    Merged,
}

#[derive(Debug, Clone)]
struct SlaDraws {
    /// Binomial(·, a / r): warm closers worked within the SLA.
    warm_within: BinomialFamily,
    /// Binomial(·, (F − a) / (1 − r)): cold closers worked within the SLA.
    cold_within: BinomialFamily,
    /// Binomial(·, F): non-closers worked within the SLA.
    within: BinomialFamily,
}

fn ratio(numerator: f64, denominator: f64) -> f64 {
    if denominator > 0.0 {
        (numerator / denominator).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

impl CollapsedSegment {
    pub(crate) fn new(segment: &Segment) -> CollapsedSegment {
        CollapsedSegment::build(segment, true)
    }

    /// The segment for a single trial (a trial of uncertain inputs, whose
    /// segment changes from trial to trial): the same law, drawn without
    /// the joint table, whose construction costs more than the trial.
    pub(crate) fn for_one_trial(segment: &Segment) -> CollapsedSegment {
        CollapsedSegment::build(segment, false)
    }

    fn build(segment: &Segment, tabulate: bool) -> CollapsedSegment {
        let n = segment.sqls();
        // The binomial draws' alias tables (up to 128 SQLs) cost more to
        // build than one trial draws: a single trial samples without them.
        let tables = if tabulate { n } else { 0 };
        let p = segment.close_rate();
        let follow_up = segment.follow_up();
        let r = segment_warm_probability(segment);
        let (worked, warm) = match (follow_up.neglect(), follow_up.sla()) {
            (Neglect::None, _) => (Worked::Count(n), r),
            (Neglect::Count(k), _) => (Worked::Count(n - k), r),
            (Neglect::Probability(q), None) => (Worked::Merged, (1.0 - q) * r),
            (Neglect::Probability(q), Some(_)) => (Worked::Random(BinomialFamily::new(1.0 - q, tables)), r),
        };
        let sla = follow_up.sla().map(|sla| {
            let (within, warm_within) = segment_within_sla(segment, sla.get());
            SlaDraws {
                warm_within: BinomialFamily::new(ratio(warm_within, r), tables),
                cold_within: BinomialFamily::new(ratio(within - warm_within, 1.0 - r), tables),
                within: BinomialFamily::new(within, tables),
            }
        });
        let joint = match (follow_up.neglect(), follow_up.sla()) {
            _ if n > JOINT_MAX || !tabulate => None,
            (_, Some(_)) => None,
            (Neglect::Probability(_), None) => {
                // ideal ~ Binomial(n, p), customers | ideal ~ Binomial(ideal, (1 − q) r).
                let ideal = binomial_pmf(n, p);
                let warm_given: Vec<Vec<f64>> = (0..=n).map(|k| binomial_pmf(k, warm)).collect();
                Joint::new(n, |c, l| {
                    ideal[(c + l) as usize] * warm_given[(c + l) as usize][c as usize]
                })
            }
            (Neglect::None | Neglect::Count(_), None) => {
                let worked = match worked {
                    Worked::Count(w) => w,
                    _ => n,
                };
                // Kw ~ Binomial(W, p), C | Kw ~ Binomial(Kw, r), Kn ~ Binomial(n − W, p);
                // lost = Kw − C + Kn.
                let closers_worked = binomial_pmf(worked, p);
                let closers_neglected = binomial_pmf(n - worked, p);
                let warm_given: Vec<Vec<f64>> = (0..=worked).map(|k| binomial_pmf(k, warm)).collect();
                Joint::new(n, |c, l| {
                    (c..=worked.min(c + l))
                        .map(|kw| {
                            let kn = c + l - kw;
                            closers_neglected.get(kn as usize).copied().unwrap_or(0.0)
                                * closers_worked[kw as usize]
                                * warm_given[kw as usize][c as usize]
                        })
                        .sum()
                })
            }
        };
        CollapsedSegment {
            sqls: n,
            joint,
            worked,
            deal_value: segment.deal_value().clone(),
            close: BinomialFamily::new(p, tables),
            warm: BinomialFamily::new(warm, tables),
            sla,
        }
    }

    /// Whether a whole trial is one random word: a tabulated joint law and a
    /// fixed deal value (see [`CollapsedSegment::slot_picker`]).
    pub(crate) fn is_one_word(&self) -> bool {
        self.joint.is_some() && self.deal_value.fixed_value().is_some()
    }

    /// How many distinct outcomes a one-word segment has (0 otherwise).
    pub(crate) fn slots(&self) -> usize {
        self.joint.as_ref().map_or(0, |joint| joint.outcomes.len())
    }

    /// The table that draws a trial's outcome slot from its first random
    /// word, for a segment that [`is_one_word`](CollapsedSegment::is_one_word):
    /// [`CollapsedSegment::outcome_of_slot`] of the slot it picks for `x` is
    /// the outcome [`CollapsedSegment::simulate`] returns from a generator
    /// whose next word is `x`.
    pub(crate) fn slot_picker(&self) -> Option<AliasPicker<'_>> {
        self.joint.as_ref().map(|joint| joint.alias.picker())
    }

    /// The outcome of slot `slot` (see [`CollapsedSegment::slot_picker`]).
    pub(crate) fn outcome_of_slot(&self, slot: usize) -> TrialOutcome {
        let (customers, lost) = self.joint.as_ref().map_or((0, 0), |joint| joint.outcomes[slot]);
        let v = self.deal_value.fixed_value().unwrap_or(0.0);
        TrialOutcome {
            customers,
            customers_lost: lost,
            revenue: customers as f64 * v,
            revenue_lost: lost as f64 * v,
            sla_met: 0,
        }
    }

    /// One trial of the segment.
    pub(crate) fn simulate<R: Rng + ?Sized>(&self, rng: &mut R) -> TrialOutcome {
        let n = self.sqls;
        let (customers, lost, sla_met) = match (&self.joint, &self.worked) {
            (Some(joint), _) => {
                let (customers, lost) = joint.counts(rng.next_u64());
                (customers, lost, 0)
            }
            (None, Worked::Merged) => {
                let ideal = self.close.sample(n, rng);
                let customers = self.warm.sample(ideal, rng);
                (customers, ideal - customers, 0)
            }
            (None, &Worked::Count(worked)) => self.draw_counts(worked, rng),
            (None, Worked::Random(followed_up)) => {
                let worked = followed_up.sample(n, rng);
                self.draw_counts(worked, rng)
            }
        };
        let (revenue, revenue_lost) = match self.deal_value.fixed_value() {
            Some(v) => (customers as f64 * v, lost as f64 * v),
            None => (self.sum_values(customers, rng), self.sum_values(lost, rng)),
        };
        TrialOutcome {
            customers,
            customers_lost: lost,
            revenue,
            revenue_lost,
            sla_met,
        }
    }

    /// (customers, customers lost, SLA met) given `worked` SQLs followed up.
    #[inline]
    fn draw_counts<R: Rng + ?Sized>(&self, worked: u64, rng: &mut R) -> (u64, u64, u64) {
        let closers_worked = self.close.sample(worked, rng);
        let closers_neglected = self.close.sample(self.sqls - worked, rng);
        let customers = self.warm.sample(closers_worked, rng);
        let lost = closers_worked - customers + closers_neglected;
        let sla_met = self.sla.as_ref().map_or(0, |sla| {
            sla.warm_within.sample(customers, rng)
                + sla.cold_within.sample(closers_worked - customers, rng)
                + sla.within.sample(worked - closers_worked, rng)
        });
        (customers, lost, sla_met)
    }

    fn sum_values<R: Rng + ?Sized>(&self, count: u64, rng: &mut R) -> f64 {
        (0..count).map(|_| self.deal_value.sample(rng)).sum()
    }
}
