//! What happens to an SQL that has gone cold.

use crate::error::{Result, check_non_negative, check_probability};
use crate::model::duration::Hours;
use crate::model::follow_up::DelayDistribution;

/// Cold SQLs are not simply gone: with `revert_probability` one drops back
/// to the MQL pool and returns as an SQL after `return_delay`; otherwise it
/// went to a competitor and returns only after `lockout` (plus the return
/// delay). A returning SQL costs `reactivation_cost` (marketing work that
/// counts against ROI) and closes with `close_rate` (in practice lower than
/// its segment's; the model uses the smaller of the two, on the same close
/// draw, so a recycled lead can only win back a customer of the ideal world).
/// An SQL recycles at most once, and returns after the horizon are not
/// simulated (they stay lost).
///
/// # Example
///
/// ```
/// use lead_decay::capacity::Recycling;
/// use lead_decay::{DelayDistribution, Hours};
///
/// let recycling = Recycling::new(0.6, DelayDistribution::fixed(Hours::from_days(30.0)?)?, 0.1, 500.0)?
///     .with_lockout(Hours::from_days(730.0)?);
/// assert_eq!(recycling.revert_probability(), 0.6);
/// assert!(Recycling::new(1.5, DelayDistribution::immediate(), 0.1, 0.0).is_err());
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Recycling {
    revert_probability: f64,
    return_delay: DelayDistribution,
    close_rate: f64,
    reactivation_cost: f64,
    lockout: Hours,
}

impl Recycling {
    /// Cold SQLs revert with `revert_probability`, return after
    /// `return_delay`, close with `close_rate` and cost `reactivation_cost`
    /// each. Default lockout: 104 weeks.
    ///
    /// # Errors
    ///
    /// Probabilities outside [0, 1] (`revert_probability`, `close_rate`), a
    /// negative or non-finite cost (`reactivation_cost`).
    pub fn new(
        revert_probability: f64,
        return_delay: DelayDistribution,
        close_rate: f64,
        reactivation_cost: f64,
    ) -> Result<Recycling> {
        Ok(Recycling {
            revert_probability: check_probability("revert_probability", revert_probability)?,
            return_delay,
            close_rate: check_probability("close_rate", close_rate)?,
            reactivation_cost: check_non_negative("reactivation_cost", reactivation_cost)?,
            lockout: Hours::trusted(104.0 * 168.0),
        })
    }

    /// The same recycling with another competitor lockout.
    #[must_use]
    pub fn with_lockout(mut self, lockout: Hours) -> Recycling {
        self.lockout = lockout;
        self
    }

    /// Probability that a cold SQL reverts to the MQL pool.
    pub fn revert_probability(&self) -> f64 {
        self.revert_probability
    }

    /// Delay from reverting to returning as an SQL.
    pub fn return_delay(&self) -> &DelayDistribution {
        &self.return_delay
    }

    /// Close rate of a returning SQL.
    pub fn close_rate(&self) -> f64 {
        self.close_rate
    }

    /// Cost of reactivating one reverted lead.
    pub fn reactivation_cost(&self) -> f64 {
        self.reactivation_cost
    }

    /// How long a lead lost to a competitor stays out of reach.
    pub fn lockout(&self) -> Hours {
        self.lockout
    }
}
