//! What arrives at the sales queue: SQL streams per segment and raw
//! inquiries forwarded by marketing.

use crate::error::{Error, Result, check_positive, check_probability};
use crate::model::deal_value::DealValue;
use crate::model::follow_up::DelayDistribution;
use crate::model::segment::Segment;

/// Checks that a handling-time distribution has a mean > 0 (it is finite
/// by construction).
pub(crate) fn check_handling(field: &str, handling: &DelayDistribution) -> Result<()> {
    let mean = handling.mean().get();
    if mean > 0.0 {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!("mean {mean} h"),
            "a handling time with a mean > 0",
        ))
    }
}

/// When arrivals happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ArrivalHours {
    /// Round the clock: `rate_per_day` per 24 hours.
    #[default]
    Always,
    /// Only while the team works: `rate_per_day` per working day (per
    /// mean working day, [`Calendar::mean_daily_hours`], when days differ),
    /// spread evenly over its working hours.
    ///
    /// [`Calendar::mean_daily_hours`]: crate::Calendar::mean_daily_hours
    WorkingHours,
}

/// SQLs of one segment arriving as a Poisson process.
///
/// The segment gives the close rate, deal values and decay curve; its
/// follow-up model is ignored, because the follow-up delay is what the
/// queue produces.
///
/// # Example
///
/// ```
/// use lead_decay::capacity::SqlStream;
/// use lead_decay::{DelayDistribution, Hours, Scenario};
///
/// let segment = Scenario::reference().segments()[0].clone();
/// let handling = DelayDistribution::exponential(Hours::new(0.5)?)?;
/// let stream = SqlStream::new(segment.clone(), 12.0, handling.clone())?;
/// assert_eq!(stream.rate_per_day(), 12.0);
/// assert!(SqlStream::new(segment, 0.0, handling).is_err());
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SqlStream {
    segment: Segment,
    rate_per_day: f64,
    handling: DelayDistribution,
    arrivals: ArrivalHours,
}

impl SqlStream {
    /// `rate_per_day` SQLs of `segment` a day, each taking `handling` of a
    /// rep's working time.
    ///
    /// # Errors
    ///
    /// A rate that is not finite and > 0 (`rate_per_day`), a handling time
    /// without a positive mean (`handling`).
    pub fn new(segment: Segment, rate_per_day: f64, handling: DelayDistribution) -> Result<SqlStream> {
        check_positive("rate_per_day", rate_per_day)?;
        check_handling("handling", &handling)?;
        Ok(SqlStream {
            segment,
            rate_per_day,
            handling,
            arrivals: ArrivalHours::Always,
        })
    }

    /// The same stream arriving only in working hours (or round the clock).
    #[must_use]
    pub fn with_arrivals(mut self, arrivals: ArrivalHours) -> SqlStream {
        self.arrivals = arrivals;
        self
    }

    /// The segment.
    pub fn segment(&self) -> &Segment {
        &self.segment
    }

    /// Expected arrivals per day (per working day for working-hours arrivals).
    pub fn rate_per_day(&self) -> f64 {
        self.rate_per_day
    }

    /// Handling time per SQL, in working hours.
    pub fn handling(&self) -> &DelayDistribution {
        &self.handling
    }

    /// When SQLs arrive.
    pub fn arrivals(&self) -> ArrivalHours {
        self.arrivals
    }
}

/// Raw inquiries that marketing forwards to sales instead of qualifying
/// them: they take reps' time, and close rarely.
///
/// # Example
///
/// ```
/// use lead_decay::capacity::InquiryStream;
/// use lead_decay::{DealValue, DelayDistribution, Hours};
///
/// let handling = DelayDistribution::exponential(Hours::from_minutes(15.0)?)?;
/// let inquiries = InquiryStream::new(40.0, handling, 0.002, DealValue::fixed(10_000.0)?)?;
/// assert_eq!(inquiries.close_rate(), 0.002);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct InquiryStream {
    rate_per_day: f64,
    handling: DelayDistribution,
    close_rate: f64,
    deal_value: DealValue,
    arrivals: ArrivalHours,
}

impl InquiryStream {
    /// `rate_per_day` inquiries a day, each taking `handling`; a handled
    /// inquiry closes with `close_rate` (whatever its wait: it was never warm).
    ///
    /// # Errors
    ///
    /// A rate that is not finite and > 0 (`inquiries_per_day`), a handling
    /// time without a positive mean (`inquiry_handling`), a close rate
    /// outside [0, 1] (`inquiry_close_rate`).
    pub fn new(
        rate_per_day: f64,
        handling: DelayDistribution,
        close_rate: f64,
        deal_value: DealValue,
    ) -> Result<InquiryStream> {
        check_positive("inquiries_per_day", rate_per_day)?;
        check_handling("inquiry_handling", &handling)?;
        check_probability("inquiry_close_rate", close_rate)?;
        Ok(InquiryStream {
            rate_per_day,
            handling,
            close_rate,
            deal_value,
            arrivals: ArrivalHours::Always,
        })
    }

    /// The same stream arriving only in working hours (or round the clock).
    #[must_use]
    pub fn with_arrivals(mut self, arrivals: ArrivalHours) -> InquiryStream {
        self.arrivals = arrivals;
        self
    }

    /// Expected inquiries per day (per working day for working-hours arrivals).
    pub fn rate_per_day(&self) -> f64 {
        self.rate_per_day
    }

    /// Handling time per inquiry, in working hours.
    pub fn handling(&self) -> &DelayDistribution {
        &self.handling
    }

    /// Probability that a handled inquiry becomes a customer.
    pub fn close_rate(&self) -> f64 {
        self.close_rate
    }

    /// What an inquiry customer is worth.
    pub fn deal_value(&self) -> &DealValue {
        &self.deal_value
    }

    /// When inquiries arrive.
    pub fn arrivals(&self) -> ArrivalHours {
        self.arrivals
    }
}
