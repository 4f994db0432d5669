//! What neglect and decay do to a plan: the share of SQLs worked at all and
//! the chance a worked SQL is still warm.

use crate::error::{Error, Result};
use crate::exact::warm::warm_probability;
use crate::model::follow_up::{FollowUp, Neglect};
use crate::model::segment::Segment;
use crate::plan::confidence::Worked;

/// The effect of a segment's follow-up model on a funnel plan.
///
/// Two numbers scale the close rate: the share of SQLs that are followed up
/// at all (neglected SQLs count for nothing) and the probability
/// `E[f(D)]` that a worked SQL is still warm when sales first reaches it:
///
/// ```text
/// effective close rate = close_rate x worked_share x warm_probability
/// ```
///
/// Neglect is either a fixed share ("5 of every 40 SQLs are never followed
/// up", [`FollowUpEffect::neglecting`]) or independent per SQL ("each SQL is
/// never followed up with probability 0.36",
/// [`FollowUpEffect::never_followed_up`]). The expected-value plan treats
/// both alike; the confidence-aware plan models them exactly: a fixed share
/// leaves `floor(n x worked_share)` worked SQLs out of `n`, independent
/// neglect thins every SQL.
///
/// The warm probability of a segment is `E[f(D)]` for its decay curve `f`
/// and follow-up delay `D`; it defaults to 1 (every worked SQL is warm).
///
/// # Example
///
/// ```
/// use lead_decay::plan::FollowUpEffect;
///
/// let effect = FollowUpEffect::neglecting(5, 40)?.with_warm_probability(0.9)?;
/// assert_eq!(effect.worked_share(), 0.875);
/// assert!((effect.effective_close_rate(0.25) - 0.25 * 0.875 * 0.9).abs() < 1e-15);
/// assert!(FollowUpEffect::neglecting(40, 40).is_err()); // nobody worked
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FollowUpEffect {
    neglect: Share,
    warm_probability: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Share {
    All,
    Fixed { neglected: u64, of: u64 },
    Independent(f64),
}

impl Default for FollowUpEffect {
    fn default() -> Self {
        FollowUpEffect::none()
    }
}

impl FollowUpEffect {
    /// Every SQL worked at once: the plan the close rate alone gives.
    pub const fn none() -> FollowUpEffect {
        FollowUpEffect {
            neglect: Share::All,
            warm_probability: 1.0,
        }
    }

    /// `neglected` of every `of` SQLs are never followed up.
    ///
    /// # Errors
    ///
    /// `of` of zero (field `neglected_of`), or `neglected >= of` (field
    /// `neglected`): with nobody worked no plan reaches a goal.
    pub fn neglecting(neglected: u64, of: u64) -> Result<FollowUpEffect> {
        if of == 0 {
            return Err(Error::invalid("neglected_of", of, "a number of SQLs >= 1"));
        }
        if neglected >= of {
            return Err(Error::invalid(
                "neglected",
                neglected,
                format!("fewer than neglected_of ({of}): some SQLs must be worked"),
            ));
        }
        let neglect = if neglected == 0 {
            Share::All
        } else {
            Share::Fixed { neglected, of }
        };
        Ok(FollowUpEffect {
            neglect,
            warm_probability: 1.0,
        })
    }

    /// Each SQL is independently never followed up with probability `q`.
    ///
    /// # Errors
    ///
    /// `q` outside [0, 1) or NaN (field `never_followed_up`).
    pub fn never_followed_up(q: f64) -> Result<FollowUpEffect> {
        if !(0.0..1.0).contains(&q) {
            return Err(Error::invalid(
                "never_followed_up",
                q,
                "a probability in [0, 1): some SQLs must be worked",
            ));
        }
        let neglect = if q == 0.0 { Share::All } else { Share::Independent(q) };
        Ok(FollowUpEffect {
            neglect,
            warm_probability: 1.0,
        })
    }

    /// The neglect of a segment's follow-up model; an exact count
    /// [`Neglect::Count`] is read as a share of the segment's `cohort_sqls`.
    ///
    /// # Errors
    ///
    /// As [`FollowUpEffect::neglecting`] (with `cohort_sqls` as `of`) and
    /// [`FollowUpEffect::never_followed_up`].
    ///
    /// # Example
    ///
    /// ```
    /// use lead_decay::{FollowUp, Neglect};
    /// use lead_decay::plan::FollowUpEffect;
    ///
    /// let follow_up = FollowUp::new(Neglect::Count(5))?;
    /// let effect = FollowUpEffect::from_follow_up(&follow_up, 40)?;
    /// assert_eq!(effect, FollowUpEffect::neglecting(5, 40)?);
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn from_follow_up(follow_up: &FollowUp, cohort_sqls: u64) -> Result<FollowUpEffect> {
        match follow_up.neglect() {
            Neglect::None => Ok(FollowUpEffect::none()),
            Neglect::Count(k) => FollowUpEffect::neglecting(k, cohort_sqls),
            Neglect::Probability(q) => FollowUpEffect::never_followed_up(q),
        }
    }

    /// The effect of a segment's follow-up model and decay curve: its
    /// neglect (a count is read as "k of every `sqls`") and `E[f(D)]`.
    ///
    /// # Errors
    ///
    /// A segment whose worked SQLs are all cold (`E[f(D)] = 0`): no SQL count
    /// can reach a goal then.
    ///
    /// # Example
    ///
    /// ```
    /// use lead_decay::{FollowUpEffect, Scenario};
    ///
    /// let reference = Scenario::reference();
    /// let effect = FollowUpEffect::from_segment(&reference.segments()[0])?;
    /// assert_eq!(effect.warm_probability(), 1.0); // worked at once
    /// assert_eq!(effect, FollowUpEffect::neglecting(5, 40)?);
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn from_segment(segment: &Segment) -> Result<FollowUpEffect> {
        FollowUpEffect::from_follow_up(segment.follow_up(), segment.sqls())?
            .with_warm_probability(warm_probability(segment.decay(), segment.follow_up().delay()))
    }

    /// The probability `E[f(D)]` that a worked SQL is still warm.
    ///
    /// # Errors
    ///
    /// A value outside (0, 1] or NaN (field `warm_probability`).
    pub fn with_warm_probability(mut self, warm_probability: f64) -> Result<FollowUpEffect> {
        if !(warm_probability > 0.0 && warm_probability <= 1.0) {
            return Err(Error::invalid(
                "warm_probability",
                warm_probability,
                "a probability in (0, 1]: some worked SQLs must be warm",
            ));
        }
        self.warm_probability = warm_probability;
        Ok(self)
    }

    /// The share of SQLs followed up at all.
    pub fn worked_share(&self) -> f64 {
        match self.neglect {
            Share::All => 1.0,
            Share::Fixed { neglected, of } => (of - neglected) as f64 / of as f64,
            Share::Independent(q) => 1.0 - q,
        }
    }

    /// The probability that a worked SQL is still warm.
    pub fn warm_probability(&self) -> f64 {
        self.warm_probability
    }

    /// Whether the effect changes nothing (all worked, all warm).
    pub fn is_none(&self) -> bool {
        self.neglect == Share::All && self.warm_probability == 1.0
    }

    /// `close_rate x worked_share x warm_probability`: the chance that a
    /// planned SQL becomes a customer.
    pub fn effective_close_rate(&self, close_rate: f64) -> f64 {
        close_rate * self.worked_share() * self.warm_probability
    }

    /// How many of `n` planned SQLs the exact model treats as trials, and the
    /// success probability of each trial.
    pub(crate) fn trials(&self, close_rate: f64) -> (Worked, f64) {
        match self.neglect {
            Share::All => (Worked::All, close_rate * self.warm_probability),
            Share::Fixed { neglected, of } => (Worked::AllBut { neglected, of }, close_rate * self.warm_probability),
            Share::Independent(_) => (Worked::All, self.effective_close_rate(close_rate)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_effects_name_their_field() {
        assert_eq!(
            FollowUpEffect::neglecting(1, 0).unwrap_err().field(),
            Some("neglected_of")
        );
        assert_eq!(
            FollowUpEffect::neglecting(41, 40).unwrap_err().field(),
            Some("neglected")
        );
        assert_eq!(
            FollowUpEffect::never_followed_up(1.0).unwrap_err().field(),
            Some("never_followed_up")
        );
        assert_eq!(
            FollowUpEffect::never_followed_up(f64::NAN).unwrap_err().field(),
            Some("never_followed_up")
        );
        let none = FollowUpEffect::none();
        assert_eq!(
            none.with_warm_probability(0.0).unwrap_err().field(),
            Some("warm_probability")
        );
        assert_eq!(
            none.with_warm_probability(f64::NAN).unwrap_err().field(),
            Some("warm_probability")
        );
    }

    #[test]
    fn zero_neglect_is_no_neglect() {
        assert!(FollowUpEffect::neglecting(0, 40).unwrap().is_none());
        assert!(FollowUpEffect::never_followed_up(0.0).unwrap().is_none());
        assert!(!FollowUpEffect::none().with_warm_probability(0.5).unwrap().is_none());
    }
}
