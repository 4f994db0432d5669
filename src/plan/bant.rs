//! BANT qualification (Budget, Authority, Need, Timeframe), the nurture pool
//! for leads that fall short, and how many inquiries one customer takes.

use rand::{Rng, RngExt};
use serde::Serialize;

use crate::error::{Error, Result, check_probability};
use crate::model::duration::Hours;
use crate::plan::funnel::check_rate;

/// The points each BANT criterion is worth. Default: 25 each (100 in all).
///
/// # Example
///
/// ```
/// use lead_decay::plan::BantWeights;
///
/// assert_eq!(BantWeights::default().total(), 100.0);
/// let heavy = BantWeights::new(20.0, 30.0, 30.0, 20.0)?; // Authority and Need count more
/// assert_eq!(heavy.total(), 100.0);
/// assert!(BantWeights::new(0.0, 0.0, 0.0, 0.0).is_err());
/// assert!(BantWeights::new(-5.0, 35.0, 35.0, 35.0).is_err());
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct BantWeights {
    budget: f64,
    authority: f64,
    need: f64,
    timeframe: f64,
}

impl Default for BantWeights {
    fn default() -> Self {
        BantWeights {
            budget: 25.0,
            authority: 25.0,
            need: 25.0,
            timeframe: 25.0,
        }
    }
}

impl BantWeights {
    /// Points for budget, authority, need and timeframe.
    ///
    /// # Errors
    ///
    /// A negative or non-finite weight (field `weights.<criterion>`), or
    /// weights summing to zero (field `weights`).
    pub fn new(budget: f64, authority: f64, need: f64, timeframe: f64) -> Result<BantWeights> {
        for (name, w) in [
            ("budget", budget),
            ("authority", authority),
            ("need", need),
            ("timeframe", timeframe),
        ] {
            if !(w.is_finite() && w >= 0.0) {
                return Err(Error::invalid(
                    format!("weights.{name}"),
                    w,
                    "a finite number of points >= 0",
                ));
            }
        }
        let weights = BantWeights {
            budget,
            authority,
            need,
            timeframe,
        };
        if weights.total() <= 0.0 {
            return Err(Error::invalid("weights", 0, "weights with a positive sum"));
        }
        Ok(weights)
    }

    /// The maximum score: the sum of the weights.
    pub fn total(&self) -> f64 {
        self.budget + self.authority + self.need + self.timeframe
    }

    fn as_array(&self) -> [f64; 4] {
        [self.budget, self.authority, self.need, self.timeframe]
    }
}

/// Credit per criterion in [0, 1] for one lead (1 = the criterion fully holds).
///
/// # Example
///
/// ```
/// use lead_decay::plan::BantCredit;
///
/// let credit = BantCredit::new(1.0, 0.5, 1.0, 0.0)?;
/// assert!(BantCredit::new(1.2, 0.0, 0.0, 0.0).is_err());
/// # let _ = credit;
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BantCredit {
    budget: f64,
    authority: f64,
    need: f64,
    timeframe: f64,
}

impl BantCredit {
    /// Credit for budget, authority, need and timeframe.
    ///
    /// # Errors
    ///
    /// A credit outside [0, 1] or NaN (field `credit.<criterion>`).
    pub fn new(budget: f64, authority: f64, need: f64, timeframe: f64) -> Result<BantCredit> {
        for (name, c) in [
            ("budget", budget),
            ("authority", authority),
            ("need", need),
            ("timeframe", timeframe),
        ] {
            if !(0.0..=1.0).contains(&c) {
                return Err(Error::invalid(format!("credit.{name}"), c, "a credit in [0, 1]"));
            }
        }
        Ok(BantCredit {
            budget,
            authority,
            need,
            timeframe,
        })
    }

    /// Full or no credit per criterion.
    pub fn from_flags(budget: bool, authority: bool, need: bool, timeframe: bool) -> BantCredit {
        let c = |b: bool| if b { 1.0 } else { 0.0 };
        BantCredit {
            budget: c(budget),
            authority: c(authority),
            need: c(need),
            timeframe: c(timeframe),
        }
    }

    fn as_array(&self) -> [f64; 4] {
        [self.budget, self.authority, self.need, self.timeframe]
    }
}

/// Scores leads on BANT and qualifies those at or above a threshold.
///
/// ```text
/// score = sum over criteria of weight x credit        qualified iff score >= threshold
/// ```
///
/// Default: 25 points per criterion, qualified at 75 (three full criteria
/// of four).
///
/// # Example
///
/// ```
/// use lead_decay::plan::{BantCredit, BantScorer, BantWeights};
///
/// let scorer = BantScorer::default();
/// let lead = BantCredit::new(1.0, 1.0, 1.0, 0.0)?;
/// assert_eq!(scorer.score(&lead), 75.0);
/// assert!(scorer.qualifies(&lead));
/// assert!(scorer.qualifies(&BantCredit::new(1.0, 1.0, 0.5, 0.5)?)); // partial credit adds up
/// assert!(!scorer.qualifies(&BantCredit::new(1.0, 1.0, 0.4, 0.5)?));
/// assert!(BantScorer::new(BantWeights::default(), 120.0).is_err()); // above the maximum
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BantScorer {
    weights: BantWeights,
    threshold: f64,
}

impl Default for BantScorer {
    fn default() -> Self {
        BantScorer {
            weights: BantWeights::default(),
            threshold: 75.0,
        }
    }
}

impl BantScorer {
    /// A scorer with `weights`, qualifying at `threshold` points.
    ///
    /// # Errors
    ///
    /// A threshold that is negative, NaN or above the maximum score (field
    /// `threshold`).
    pub fn new(weights: BantWeights, threshold: f64) -> Result<BantScorer> {
        let max = weights.total();
        if !(threshold >= 0.0 && threshold <= max) {
            return Err(Error::invalid(
                "threshold",
                threshold,
                format!("a score in [0, {max}] (the sum of the weights)"),
            ));
        }
        Ok(BantScorer { weights, threshold })
    }

    /// The weights.
    pub fn weights(&self) -> BantWeights {
        self.weights
    }

    /// The qualifying score.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// A lead's score.
    pub fn score(&self, credit: &BantCredit) -> f64 {
        self.weights
            .as_array()
            .iter()
            .zip(credit.as_array())
            .map(|(w, c)| w * c)
            .sum()
    }

    /// Whether a lead qualifies. Scores within 1e-12 of the maximum below the
    /// threshold count as reaching it, so weights such as 0.1 + 0.2 that do
    /// not add up exactly in binary still qualify as written.
    pub fn qualifies(&self, credit: &BantCredit) -> bool {
        self.score(credit) >= self.threshold - 1e-12 * self.weights.total()
    }

    /// The exact share of `pool` that qualifies at first contact: the sum over
    /// the 16 combinations of criteria that hold.
    ///
    /// # Example
    ///
    /// ```
    /// use lead_decay::plan::{BantScorer, InquiryPool};
    ///
    /// // Each criterion holds for half the inquiries: 5 of the 16 equally
    /// // likely combinations have three or four criteria.
    /// let pool = InquiryPool::new(0.5, 0.5, 0.5, 0.5)?;
    /// assert_eq!(BantScorer::default().qualifying_share(&pool), 5.0 / 16.0);
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn qualifying_share(&self, pool: &InquiryPool) -> f64 {
        let holds = pool.as_array();
        (0u8..16)
            .map(|mask| {
                let flags = [mask & 1 != 0, mask & 2 != 0, mask & 4 != 0, mask & 8 != 0];
                let credit = BantCredit::from_flags(flags[0], flags[1], flags[2], flags[3]);
                if !self.qualifies(&credit) {
                    return 0.0;
                }
                flags
                    .iter()
                    .zip(holds)
                    .map(|(&f, p)| if f { p } else { 1.0 - p })
                    .product::<f64>()
            })
            .sum()
    }

    /// The exact outcome of qualifying `pool`, with the nurture pool, when
    /// qualified leads close at `close_rate`.
    ///
    /// # Errors
    ///
    /// A close rate outside (0, 1] (field `close_rate`).
    pub fn expected(&self, pool: &InquiryPool, nurture: &Nurture, close_rate: f64) -> Result<BantExpectation> {
        let close_rate = check_rate("close_rate", close_rate)?;
        let at_once = self.qualifying_share(pool);
        let c = nurture.requalification_chance;
        let mut from_nurture = 0.0;
        let mut hours_weighted = 0.0;
        let mut still_nurtured = 1.0 - at_once;
        for round in 1..=nurture.rounds {
            let requalified = still_nurtured * c;
            from_nurture += requalified;
            hours_weighted += requalified * f64::from(round) * nurture.recontact_after.get();
            still_nurtured -= requalified;
        }
        let qualified = at_once + from_nurture;
        Ok(BantExpectation {
            share_qualified_at_once: at_once,
            share_qualified_from_nurture: from_nurture,
            share_qualified: qualified,
            mean_hours_to_qualify: (qualified > 0.0).then(|| hours_weighted / qualified),
            inquiries_per_customer: (qualified > 0.0).then(|| 1.0 / (qualified * close_rate)),
        })
    }

    /// Simulates `inquiries` inquiries from `pool`: each criterion holds with
    /// the pool's probability; leads below the threshold enter the nurture
    /// pool; qualified leads close at `close_rate`. The caller owns the
    /// generator (seed it for reproducible results).
    ///
    /// # Errors
    ///
    /// A close rate outside (0, 1] (field `close_rate`), or zero inquiries
    /// (field `inquiries`).
    ///
    /// # Example
    ///
    /// ```
    /// use lead_decay::plan::{BantScorer, InquiryPool, Nurture};
    /// use rand::SeedableRng;
    /// use rand_xoshiro::Xoshiro256PlusPlus;
    ///
    /// let pool = InquiryPool::new(0.6, 0.4, 0.7, 0.3)?;
    /// let scorer = BantScorer::default();
    /// let nurture = Nurture::new(0.2)?;
    /// let mut rng = Xoshiro256PlusPlus::seed_from_u64(42);
    /// let run = scorer.simulate(&pool, &nurture, 0.25, 100_000, &mut rng)?;
    /// let exact = scorer.expected(&pool, &nurture, 0.25)?;
    /// assert!((run.share_qualified - exact.share_qualified).abs() < 5.0 * run.share_qualified_std_error);
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn simulate<R: Rng + ?Sized>(
        &self,
        pool: &InquiryPool,
        nurture: &Nurture,
        close_rate: f64,
        inquiries: u64,
        rng: &mut R,
    ) -> Result<BantOutcome> {
        let close_rate = check_rate("close_rate", close_rate)?;
        if inquiries == 0 {
            return Err(Error::invalid("inquiries", inquiries, "a number of inquiries >= 1"));
        }
        let holds = pool.as_array();
        let (mut at_once, mut from_nurture, mut customers) = (0u64, 0u64, 0u64);
        let mut hours_to_qualify = 0.0;
        for _ in 0..inquiries {
            let flags: [bool; 4] = std::array::from_fn(|i| rng.random::<f64>() < holds[i]);
            let credit = BantCredit::from_flags(flags[0], flags[1], flags[2], flags[3]);
            let qualified = if self.qualifies(&credit) {
                at_once += 1;
                true
            } else {
                match (1..=nurture.rounds).find(|_| rng.random::<f64>() < nurture.requalification_chance) {
                    Some(round) => {
                        from_nurture += 1;
                        hours_to_qualify += f64::from(round) * nurture.recontact_after.get();
                        true
                    }
                    None => false,
                }
            };
            if qualified && rng.random::<f64>() < close_rate {
                customers += 1;
            }
        }
        let n = inquiries as f64;
        let qualified = at_once + from_nurture;
        let share = qualified as f64 / n;
        Ok(BantOutcome {
            inquiries,
            qualified_at_once: at_once,
            qualified_from_nurture: from_nurture,
            customers,
            share_qualified: share,
            share_qualified_std_error: (share * (1.0 - share) / n).sqrt(),
            mean_hours_to_qualify: (qualified > 0).then(|| hours_to_qualify / qualified as f64),
            inquiries_per_customer: (customers > 0).then(|| n / customers as f64),
        })
    }
}

/// An inquiry pool: the probability that each BANT criterion holds for an
/// inquiry (independently).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct InquiryPool {
    budget: f64,
    authority: f64,
    need: f64,
    timeframe: f64,
}

impl InquiryPool {
    /// Probabilities that budget, authority, need and timeframe hold.
    ///
    /// # Errors
    ///
    /// A probability outside [0, 1] or NaN (field `pool.<criterion>`).
    pub fn new(budget: f64, authority: f64, need: f64, timeframe: f64) -> Result<InquiryPool> {
        for (name, p) in [
            ("budget", budget),
            ("authority", authority),
            ("need", need),
            ("timeframe", timeframe),
        ] {
            check_probability(&format!("pool.{name}"), p)?;
        }
        Ok(InquiryPool {
            budget,
            authority,
            need,
            timeframe,
        })
    }

    fn as_array(&self) -> [f64; 4] {
        [self.budget, self.authority, self.need, self.timeframe]
    }
}

/// The nurture pool: leads below the threshold are recontacted every
/// `recontact_after` (default 3 weeks), up to `rounds` times (default 1),
/// and requalify at each recontact with their own chance.
///
/// # Example
///
/// ```
/// use lead_decay::Hours;
/// use lead_decay::plan::Nurture;
///
/// let nurture = Nurture::new(0.15)?;
/// assert_eq!(nurture.recontact_after(), Hours::from_days(21.0)?);
/// let monthly = nurture.with_recontact_after(Hours::from_days(30.0)?).with_rounds(3);
/// assert_eq!(monthly.rounds(), 3);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Nurture {
    requalification_chance: f64,
    recontact_after: Hours,
    rounds: u32,
}

impl Nurture {
    /// No nurture: leads below the threshold are dropped.
    pub fn none() -> Nurture {
        Nurture {
            requalification_chance: 0.0,
            recontact_after: Hours::trusted(21.0 * 24.0),
            rounds: 0,
        }
    }

    /// Nurtured leads requalify at a recontact with probability `chance`.
    ///
    /// # Errors
    ///
    /// A chance outside [0, 1] or NaN (field `requalification_chance`).
    pub fn new(chance: f64) -> Result<Nurture> {
        Ok(Nurture {
            requalification_chance: check_probability("requalification_chance", chance)?,
            rounds: 1,
            ..Nurture::none()
        })
    }

    /// The interval between recontacts (default 3 weeks).
    #[must_use]
    pub fn with_recontact_after(mut self, interval: Hours) -> Nurture {
        self.recontact_after = interval;
        self
    }

    /// How many times a nurtured lead is recontacted (default 1).
    #[must_use]
    pub fn with_rounds(mut self, rounds: u32) -> Nurture {
        self.rounds = rounds;
        self
    }

    /// The chance of requalifying at a recontact.
    pub fn requalification_chance(&self) -> f64 {
        self.requalification_chance
    }

    /// The interval between recontacts.
    pub fn recontact_after(&self) -> Hours {
        self.recontact_after
    }

    /// How many recontacts.
    pub fn rounds(&self) -> u32 {
        self.rounds
    }
}

/// Exact BANT qualification figures for an inquiry pool.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BantExpectation {
    /// Share of inquiries qualified at first contact.
    pub share_qualified_at_once: f64,
    /// Share of inquiries qualified from the nurture pool.
    pub share_qualified_from_nurture: f64,
    /// Share of inquiries qualified in all.
    pub share_qualified: f64,
    /// Mean time from inquiry to qualification among the qualified (hours).
    pub mean_hours_to_qualify: Option<f64>,
    /// Inquiries one customer takes: `1 / (share_qualified x close_rate)`.
    pub inquiries_per_customer: Option<f64>,
}

/// A simulated BANT qualification run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BantOutcome {
    /// Inquiries simulated.
    pub inquiries: u64,
    /// Qualified at first contact.
    pub qualified_at_once: u64,
    /// Qualified from the nurture pool.
    pub qualified_from_nurture: u64,
    /// Customers won from the qualified leads.
    pub customers: u64,
    /// Share of inquiries qualified in all.
    pub share_qualified: f64,
    /// Standard error of that share.
    pub share_qualified_std_error: f64,
    /// Mean time from inquiry to qualification among the qualified (hours).
    pub mean_hours_to_qualify: Option<f64>,
    /// Inquiries per customer won (`None` without customers).
    pub inquiries_per_customer: Option<f64>,
}

/// A published reference figure on inquiry quality, for benchmarks beside
/// simulated results.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PublishedFigure {
    /// Short machine name.
    pub name: &'static str,
    /// The figure, as a share.
    pub value: f64,
    /// What it measures.
    pub description: &'static str,
}

/// Published inquiry benchmarks: how few inquiries become leads and how
/// many are wasted.
pub const INQUIRY_BENCHMARKS: [PublishedFigure; 6] = [
    PublishedFigure {
        name: "inquiry_to_lead_average",
        value: 0.044,
        description: "inquiry -> lead conversion, average",
    },
    PublishedFigure {
        name: "inquiry_to_lead_best_practice_ceiling",
        value: 0.10,
        description: "inquiry -> lead conversion stays under 10 % even for best-practice companies",
    },
    PublishedFigure {
        name: "raw_responder_to_lead",
        value: 0.04,
        description: "lead share of raw responders",
    },
    PublishedFigure {
        name: "scrubbed_responder_to_lead",
        value: 0.08,
        description: "lead share once fake registrations are scrubbed",
    },
    PublishedFigure {
        name: "inquiries_wasted",
        value: 0.71,
        description: "share of inquiries wasted",
    },
    PublishedFigure {
        name: "inquiries_never_followed_up",
        value: 0.36,
        description: "share of inquiries never followed up",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_credit_scores_proportionally() {
        let scorer = BantScorer::new(BantWeights::new(20.0, 30.0, 30.0, 20.0).unwrap(), 75.0).unwrap();
        let credit = BantCredit::new(0.5, 1.0, 1.0, 0.5).unwrap();
        assert_eq!(scorer.score(&credit), 80.0);
        assert!(scorer.qualifies(&credit));
        assert!(!scorer.qualifies(&BantCredit::new(1.0, 0.5, 1.0, 0.0).unwrap())); // 65 points
    }

    #[test]
    fn inexact_weight_sums_still_qualify_at_the_maximum() {
        let scorer = BantScorer::new(BantWeights::new(0.1, 0.2, 0.3, 0.4).unwrap(), 1.0);
        // 0.1 + 0.2 + 0.3 + 0.4 is 1.0000000000000002 in binary; the threshold 1.0 is fine.
        let scorer = scorer.unwrap();
        assert!(scorer.qualifies(&BantCredit::from_flags(true, true, true, true)));
    }

    #[test]
    fn nurture_rounds_compound() {
        let pool = InquiryPool::new(0.0, 0.0, 0.0, 0.0).unwrap();
        let nurture = Nurture::new(0.5).unwrap().with_rounds(2);
        let e = BantScorer::default().expected(&pool, &nurture, 0.5).unwrap();
        assert_eq!(e.share_qualified_at_once, 0.0);
        assert_eq!(e.share_qualified, 0.75);
        // Half qualify after 3 weeks, a quarter after 6: mean (0.5 x 504 + 0.25 x 1008) / 0.75 h.
        assert!((e.mean_hours_to_qualify.unwrap() - 672.0).abs() < 1e-9);
        assert!((e.inquiries_per_customer.unwrap() - 1.0 / 0.375).abs() < 1e-12);
    }
}
