//! A segment: one cohort of SQLs with its close rate, deal values, decay and
//! follow-up.

use crate::error::{Error, Result, check_probability};
use crate::model::business_hours::BusinessHours;
use crate::model::deal_value::DealValue;
use crate::model::decay::DecayCurve;
use crate::model::duration::Hours;
use crate::model::follow_up::{DelayDistribution, FollowUp, Neglect, check_neglect};

/// The largest cohort a segment may hold: far beyond any real campaign, and
/// small enough that count histograms stay bounded.
pub const MAX_SQLS: u64 = 1_000_000_000;

/// One cohort of SQLs that share a close rate, deal values, a decay curve and
/// a follow-up model (a persona, a product line, a region).
///
/// Build one with [`Segment::builder`]; every parameter is validated in
/// [`SegmentBuilder::build`], which names the offending field.
///
/// # Example
///
/// ```
/// use lead_decay::{DealValue, DecayCurve, Segment};
///
/// let industrial = Segment::builder("industrial")
///     .sqls(40)
///     .close_rate(0.25)
///     .deal_value(DealValue::fixed(100_000.0)?)
///     .decay(DecayCurve::b2b_industrial())
///     .neglected(5)
///     .build()?;
/// assert_eq!(industrial.worked_sqls(), 35.0);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    name: String,
    sqls: u64,
    /// `qualified_close_rate x instant_response_share`.
    close_rate: f64,
    qualified_close_rate: f64,
    instant_response_share: f64,
    deal_value: DealValue,
    decay: DecayCurve,
    follow_up: FollowUp,
    business_hours: Option<BusinessHours>,
}

impl Segment {
    /// Starts a segment called `name`.
    pub fn builder(name: impl Into<String>) -> SegmentBuilder {
        SegmentBuilder {
            name: name.into(),
            ..SegmentBuilder::default()
        }
    }

    /// The segment's name, unique within a scenario.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// SQLs in the cohort.
    pub fn sqls(&self) -> u64 {
        self.sqls
    }

    /// Probability that an SQL worked instantly becomes a customer:
    /// [`Segment::qualified_close_rate`] x [`Segment::instant_response_share`]
    /// (the close rate given, unless a share below 1 was set).
    pub fn close_rate(&self) -> f64 {
        self.close_rate
    }

    /// The close rate as given (`close_rate` in scenario files): of the SQLs
    /// that qualify.
    pub fn qualified_close_rate(&self) -> f64 {
        self.qualified_close_rate
    }

    /// The share of SQLs that would qualify with an instant response (1
    /// unless set): the level that response-time studies, which give only
    /// ratios, leave open. See [`SegmentBuilder::instant_response_share`].
    pub fn instant_response_share(&self) -> f64 {
        self.instant_response_share
    }

    /// What the segment's results assume without the scenario saying so:
    /// for a decay fitted to response-time ratios (the `inbound-web`
    /// preset), the level those ratios leave open, i.e. the share of SQLs
    /// that would qualify with an instant response.
    ///
    /// # Example
    ///
    /// ```
    /// use lead_decay::{DealValue, DecayCurve, Segment};
    ///
    /// let web = Segment::builder("web")
    ///     .sqls(100)
    ///     .close_rate(0.1)
    ///     .deal_value(DealValue::fixed(5_000.0)?)
    ///     .decay(DecayCurve::inbound_web())
    ///     .build()?;
    /// assert!(web.assumptions()[0].contains("instant_response_share = 100 %"));
    /// assert!(web.with_decay(DecayCurve::consumer()).assumptions().is_empty());
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn assumptions(&self) -> Vec<String> {
        if self.decay != DecayCurve::inbound_web() {
            return Vec::new();
        }
        let stated = if self.instant_response_share == 1.0 {
            "the default; set instant_response_share in the segment"
        } else {
            "as set"
        };
        vec![format!(
            "{}: the inbound-web decay gives ratios between response times, not levels; it assumes that \
             instant_response_share = {} % of the SQLs would qualify if answered within 5 minutes ({stated}), \
             and the customers counted as lost scale with it",
            self.name,
            100.0 * self.instant_response_share
        )]
    }

    /// What a won deal is worth.
    pub fn deal_value(&self) -> &DealValue {
        &self.deal_value
    }

    /// How SQL warmth decays with the follow-up delay.
    pub fn decay(&self) -> &DecayCurve {
        &self.decay
    }

    /// Who is followed up, and when.
    pub fn follow_up(&self) -> &FollowUp {
        &self.follow_up
    }

    /// Expected number of SQLs that are followed up at all.
    pub fn worked_sqls(&self) -> f64 {
        self.follow_up.expected_worked(self.sqls)
    }

    /// The value each SQL carries of the revenue it is meant to produce:
    /// close rate × mean deal value (25,000 in the reference case).
    pub fn value_per_sql(&self) -> f64 {
        self.close_rate * self.deal_value.mean()
    }

    /// The segment with another follow-up model (for sweeps and what-ifs).
    ///
    /// # Errors
    ///
    /// A neglect count larger than the cohort.
    pub fn with_follow_up(self, follow_up: FollowUp) -> Result<Segment> {
        check_neglect(follow_up.neglect(), self.sqls)?;
        Ok(Segment { follow_up, ..self })
    }

    /// The segment's business hours, if its follow-up runs on a team's
    /// calendar (`None`: round the clock, arrival time irrelevant).
    pub fn business_hours(&self) -> Option<&BusinessHours> {
        self.business_hours.as_ref()
    }

    /// The segment with its SQLs arriving and followed up on `hours`
    /// (`None`: round the clock, as without a calendar).
    #[must_use]
    pub fn with_business_hours(self, hours: Option<BusinessHours>) -> Segment {
        Segment {
            business_hours: hours,
            ..self
        }
    }

    /// The segment with another decay curve.
    #[must_use]
    pub fn with_decay(self, decay: DecayCurve) -> Segment {
        Segment { decay, ..self }
    }

    /// The segment with another close rate.
    ///
    /// # Errors
    ///
    /// A close rate outside [0, 1] (field `close_rate`).
    pub fn with_close_rate(self, close_rate: f64) -> Result<Segment> {
        let close_rate = check_probability("close_rate", close_rate)?;
        Ok(Segment { close_rate, ..self })
    }

    /// The segment with another deal value.
    #[must_use]
    pub fn with_deal_value(self, deal_value: DealValue) -> Segment {
        Segment { deal_value, ..self }
    }

    /// The segment with another cohort size (a neglect count is kept, and
    /// must fit).
    ///
    /// # Errors
    ///
    /// `sqls` of 0 or above [`MAX_SQLS`], or a neglect count larger than `sqls`.
    pub fn with_sqls(self, sqls: u64) -> Result<Segment> {
        check_sqls(sqls)?;
        check_neglect(self.follow_up.neglect(), sqls)?;
        Ok(Segment { sqls, ..self })
    }
}

impl Segment {
    /// A copy with its inputs replaced at once (what uncertain inputs and
    /// knobs set), validated once: the cohort size against the neglect
    /// count, and the close rate (as given, of the SQLs that qualify; the
    /// effective rate is it times the instant-response share, as in
    /// [`SegmentBuilder::build`]).
    pub(crate) fn with_inputs(
        &self,
        sqls: u64,
        qualified_close_rate: f64,
        deal_value: DealValue,
        decay: DecayCurve,
        follow_up: FollowUp,
    ) -> Result<Segment> {
        check_sqls(sqls)?;
        let qualified_close_rate = check_probability("close_rate", qualified_close_rate)?;
        check_neglect(follow_up.neglect(), sqls)?;
        Ok(Segment {
            name: self.name.clone(),
            sqls,
            close_rate: qualified_close_rate * self.instant_response_share,
            qualified_close_rate,
            instant_response_share: self.instant_response_share,
            deal_value,
            decay,
            follow_up,
            business_hours: self.business_hours.clone(),
        })
    }
}

impl Segment {
    /// The segment with another share of SQLs that would qualify with an
    /// instant response, its qualified close rate kept.
    pub(crate) fn with_instant_response_share(&self, share: f64) -> Result<Segment> {
        let share = check_instant_response_share(share)?;
        Ok(Segment {
            close_rate: self.qualified_close_rate * share,
            instant_response_share: share,
            ..self.clone()
        })
    }
}

/// `share` in `(0, 1]`.
fn check_instant_response_share(share: f64) -> Result<f64> {
    if share > 0.0 && share <= 1.0 {
        Ok(share)
    } else {
        Err(Error::invalid(
            "instant_response_share",
            share,
            "a share of SQLs in (0, 1]",
        ))
    }
}

/// `sqls` in `1..=MAX_SQLS`.
fn check_sqls(sqls: u64) -> Result<()> {
    if sqls == 0 {
        // Nothing to simulate: a report would say "0.0 % of 0.00".
        return Err(Error::invalid(
            "sqls",
            0,
            "at least 1 SQL (a segment without SQLs has nothing to simulate: leave it out)",
        ));
    }
    if sqls > MAX_SQLS {
        return Err(Error::invalid(
            "sqls",
            sqls,
            format!("at most {MAX_SQLS} SQLs in one segment"),
        ));
    }
    Ok(())
}

/// Collects a [`Segment`]'s parameters; [`SegmentBuilder::build`] validates them.
///
/// Defaults: every SQL followed up at once (no neglect, zero delay), no SLA.
/// `sqls`, `close_rate`, `deal_value` and `decay` are required.
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct SegmentBuilder {
    name: String,
    sqls: Option<u64>,
    close_rate: Option<f64>,
    instant_response_share: Option<f64>,
    deal_value: Option<DealValue>,
    decay: Option<DecayCurve>,
    neglected: Option<u64>,
    never_followed_up: Option<f64>,
    delay: Option<DelayDistribution>,
    sla: Option<Hours>,
}

impl SegmentBuilder {
    /// SQLs in the cohort.
    pub fn sqls(mut self, sqls: u64) -> Self {
        self.sqls = Some(sqls);
        self
    }

    /// Probability that an SQL worked instantly becomes a customer, in [0, 1].
    pub fn close_rate(mut self, close_rate: f64) -> Self {
        self.close_rate = Some(close_rate);
        self
    }

    /// The share of SQLs that would qualify with an instant response, in
    /// (0, 1]; default 1. An SQL first worked after `t` hours becomes a
    /// customer with probability `close_rate x share x f(t)`.
    ///
    /// Decay curves fitted to response-time studies (the `inbound-web`
    /// preset) know only ratios between response times, and fix `f = 1` for
    /// the fastest response: without a share, the model assumes every SQL
    /// would qualify if answered at once, and the customers it counts as
    /// lost to slow follow-up scale with that unstated 100 %. The share is
    /// that level, stated: the ratios (and the share of the ideal lost) stay
    /// the same, the customers and revenue at stake scale with it.
    ///
    /// # Example
    ///
    /// ```
    /// use lead_decay::{DealValue, DecayCurve, Segment};
    ///
    /// let web = Segment::builder("web")
    ///     .sqls(1_000)
    ///     .close_rate(0.1)
    ///     .instant_response_share(0.3) // 30 % would qualify even when called at once
    ///     .deal_value(DealValue::fixed(5_000.0)?)
    ///     .decay(DecayCurve::inbound_web())
    ///     .build()?;
    /// assert!((web.close_rate() - 0.03).abs() < 1e-15);
    /// assert_eq!(web.qualified_close_rate(), 0.1);
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn instant_response_share(mut self, share: f64) -> Self {
        self.instant_response_share = Some(share);
        self
    }

    /// What a won deal is worth.
    pub fn deal_value(mut self, deal_value: DealValue) -> Self {
        self.deal_value = Some(deal_value);
        self
    }

    /// How SQL warmth decays with the follow-up delay.
    pub fn decay(mut self, decay: DecayCurve) -> Self {
        self.decay = Some(decay);
        self
    }

    /// Exactly `count` SQLs of the cohort are never followed up.
    pub fn neglected(mut self, count: u64) -> Self {
        self.neglected = Some(count);
        self
    }

    /// Each SQL is independently never followed up with `probability`.
    pub fn never_followed_up(mut self, probability: f64) -> Self {
        self.never_followed_up = Some(probability);
        self
    }

    /// The delay to first follow-up of the SQLs that are worked (with the
    /// neglect and the SLA, it makes the segment's [`FollowUp`], which
    /// [`Segment::follow_up`] returns).
    pub fn delay(mut self, delay: DelayDistribution) -> Self {
        self.delay = Some(delay);
        self
    }

    /// The follow-up deadline agreed between marketing and sales.
    pub fn sla(mut self, sla: Hours) -> Self {
        self.sla = Some(sla);
        self
    }

    /// Validates and builds the segment.
    ///
    /// # Errors
    ///
    /// An empty name, a missing required field, `sqls` of 0 or above
    /// [`MAX_SQLS`], a close rate outside [0, 1],
    /// both `neglected` and `never_followed_up`, `neglected > sqls`, or a
    /// probability outside [0, 1]. Field names are those of scenario files.
    pub fn build(self) -> Result<Segment> {
        if self.name.trim().is_empty() {
            return Err(Error::invalid(
                "name",
                format!("{:?}", self.name),
                "a non-empty segment name",
            ));
        }
        let missing = |field: &str, what: &str| Error::Parse {
            field: field.to_owned(),
            message: format!("missing: expected {what}"),
        };
        let sqls = self
            .sqls
            .ok_or_else(|| missing("sqls", "the number of SQLs in the cohort"))?;
        check_sqls(sqls)?;
        let close_rate = check_probability(
            "close_rate",
            self.close_rate
                .ok_or_else(|| missing("close_rate", "a probability in [0, 1]"))?,
        )?;
        let instant_response_share = check_instant_response_share(self.instant_response_share.unwrap_or(1.0))?;
        let deal_value = self.deal_value.ok_or_else(|| missing("deal_value", "a deal value"))?;
        let decay = self.decay.ok_or_else(|| missing("decay", "a decay curve or preset"))?;
        let neglect = match (self.neglected, self.never_followed_up) {
            (Some(k), Some(q)) => {
                return Err(Error::invalid(
                    "never_followed_up",
                    format!("{q} together with neglected = {k}"),
                    "either `neglected` (a count) or `never_followed_up` (a probability), not both",
                ));
            }
            (Some(k), None) => Neglect::Count(k),
            (None, Some(q)) => Neglect::Probability(q),
            (None, None) => Neglect::None,
        };
        check_neglect(neglect, sqls)?;
        let mut follow_up = FollowUp::new(neglect)?.with_delay(self.delay.unwrap_or_default());
        if let Some(sla) = self.sla {
            follow_up = follow_up.with_sla(sla);
        }
        Ok(Segment {
            name: self.name,
            sqls,
            // x 1.0 is exact: without a share the close rate is the one given.
            close_rate: close_rate * instant_response_share,
            qualified_close_rate: close_rate,
            instant_response_share,
            deal_value,
            decay,
            follow_up,
            business_hours: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> SegmentBuilder {
        Segment::builder("s")
            .sqls(40)
            .close_rate(0.25)
            .deal_value(DealValue::fixed(1.0).unwrap())
            .decay(DecayCurve::consumer())
    }

    #[test]
    fn invalid_segments_name_the_field() {
        let field = |b: SegmentBuilder| b.build().unwrap_err().field().map(str::to_owned);
        assert_eq!(field(base().close_rate(1.5)).as_deref(), Some("close_rate"));
        assert_eq!(field(base().close_rate(f64::NAN)).as_deref(), Some("close_rate"));
        assert_eq!(field(base().neglected(41)).as_deref(), Some("neglected"));
        assert_eq!(field(base().sqls(MAX_SQLS + 1)).as_deref(), Some("sqls"));
        for share in [0.0, 1.5, f64::NAN] {
            assert_eq!(
                field(base().instant_response_share(share)).as_deref(),
                Some("instant_response_share")
            );
        }
        assert_eq!(
            field(base().neglected(1).never_followed_up(0.1)).as_deref(),
            Some("never_followed_up")
        );
        assert_eq!(
            field(base().never_followed_up(-0.1)).as_deref(),
            Some("never_followed_up")
        );
        assert_eq!(field(Segment::builder(" ").sqls(1)).as_deref(), Some("name"));
        assert_eq!(
            field(Segment::builder("x").sqls(1).close_rate(0.1)).as_deref(),
            Some("deal_value")
        );
    }

    #[test]
    fn value_per_sql_is_close_rate_times_deal_value() {
        let s = base().deal_value(DealValue::fixed(100_000.0).unwrap()).build().unwrap();
        assert_eq!(s.value_per_sql(), 25_000.0);
    }
}
