//! A capacity model: a team, what flows into its queue, over what horizon.

use super::flow::{ArrivalHours, InquiryStream, SqlStream};
use super::recycling::Recycling;
use super::team::SalesTeam;
use crate::calendar::WEEK_HOURS;
use crate::error::{Error, Result, check_positive};
use crate::model::duration::Hours;

/// Everything a capacity run needs: the [`SalesTeam`], the SQL streams (one
/// per segment), optional raw inquiries and recycling, the horizon, and the
/// marketing spend for ROI.
///
/// Build one with [`CapacityModel::new`] or from a scenario's `[sales]`
/// section with [`SalesSetup::model_for`](super::SalesSetup::model_for) (a file's `Analysis::capacity_model`).
///
/// # Example
///
/// ```
/// use lead_decay::capacity::{CapacityModel, SalesTeam, SqlStream};
/// use lead_decay::{DelayDistribution, Hours, Scenario};
///
/// let segment = Scenario::reference().segments()[0].clone();
/// let stream = SqlStream::new(segment, 20.0, DelayDistribution::exponential(Hours::new(1.0)?)?)?;
/// let model = CapacityModel::new(SalesTeam::new(2)?, vec![stream], Hours::from_days(28.0)?)?;
/// // 20 SQLs a day of 1 h each over 2 reps x 24 h: 20/48 busy.
/// assert!((model.offered_load() - 20.0 / 48.0).abs() < 1e-12);
/// assert!(CapacityModel::new(SalesTeam::new(2)?, vec![], Hours::from_days(28.0)?).is_err());
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CapacityModel {
    team: SalesTeam,
    streams: Vec<SqlStream>,
    inquiries: Option<InquiryStream>,
    recycling: Option<Recycling>,
    horizon: f64,
    warm_up: f64,
    marketing_spend: Option<f64>,
}

/// The longest horizon accepted: 100 years (bounds the weekly buffers).
pub const MAX_HORIZON_HOURS: f64 = 100.0 * 52.0 * WEEK_HOURS;

impl CapacityModel {
    /// `team` working the SQLs of `streams` that arrive during `horizon`.
    ///
    /// # Errors
    ///
    /// No streams (`segments`), a horizon of zero or above
    /// [`MAX_HORIZON_HOURS`] (`horizon`).
    pub fn new(team: SalesTeam, streams: Vec<SqlStream>, horizon: Hours) -> Result<CapacityModel> {
        if streams.is_empty() {
            return Err(Error::invalid("segments", "[]", "at least one SQL stream"));
        }
        let horizon = check_positive("horizon", horizon.get())?;
        if horizon > MAX_HORIZON_HOURS {
            return Err(Error::invalid(
                "horizon",
                Hours::trusted(horizon),
                "a horizon of at most 100 years",
            ));
        }
        Ok(CapacityModel {
            team,
            streams,
            inquiries: None,
            recycling: None,
            horizon,
            warm_up: 0.0,
            marketing_spend: None,
        })
    }

    /// The same model with raw inquiries forwarded to sales.
    #[must_use]
    pub fn with_inquiries(mut self, inquiries: InquiryStream) -> CapacityModel {
        self.inquiries = Some(inquiries);
        self
    }

    /// The same model with recycling of cold SQLs.
    #[must_use]
    pub fn with_recycling(mut self, recycling: Recycling) -> CapacityModel {
        self.recycling = Some(recycling);
        self
    }

    /// The same model with another team.
    #[must_use]
    pub fn with_team(mut self, team: SalesTeam) -> CapacityModel {
        self.team = team;
        self
    }

    /// The same model with SQLs arriving in working hours only (or round
    /// the clock), for every stream including inquiries.
    #[must_use]
    pub fn with_arrivals(mut self, arrivals: ArrivalHours) -> CapacityModel {
        self.streams = self.streams.into_iter().map(|s| s.with_arrivals(arrivals)).collect();
        self.inquiries = self.inquiries.map(|i| i.with_arrivals(arrivals));
        self
    }

    /// The same model without inquiries.
    #[must_use]
    pub fn without_inquiries(mut self) -> CapacityModel {
        self.inquiries = None;
        self
    }

    /// SQLs and inquiries arriving before `warm_up` are simulated (they load
    /// the queue) but left out of every metric: the steady state, without
    /// the empty-office start.
    ///
    /// # Errors
    ///
    /// A warm-up not shorter than the horizon (`warm_up`).
    pub fn with_warm_up(mut self, warm_up: Hours) -> Result<CapacityModel> {
        if !(warm_up.get() < self.horizon) {
            return Err(Error::invalid("warm_up", warm_up, "a warm-up shorter than the horizon"));
        }
        self.warm_up = warm_up.get();
        Ok(self)
    }

    /// The same model with a marketing spend (over the horizon); enables ROI.
    ///
    /// # Errors
    ///
    /// A spend that is not finite and > 0 (`marketing_spend`).
    pub fn with_marketing_spend(mut self, spend: f64) -> Result<CapacityModel> {
        self.marketing_spend = Some(check_positive("marketing_spend", spend)?);
        Ok(self)
    }

    /// The team.
    pub fn team(&self) -> &SalesTeam {
        &self.team
    }

    /// The SQL streams.
    pub fn streams(&self) -> &[SqlStream] {
        &self.streams
    }

    /// Raw inquiries, if forwarded.
    pub fn inquiries(&self) -> Option<&InquiryStream> {
        self.inquiries.as_ref()
    }

    /// Recycling of cold SQLs, if modelled.
    pub fn recycling(&self) -> Option<&Recycling> {
        self.recycling.as_ref()
    }

    /// The horizon in hours: items arrive during `[0, horizon)`; those still
    /// waiting at the horizon are worked afterwards (the queue drains).
    pub fn horizon(&self) -> Hours {
        Hours::trusted(self.horizon)
    }

    /// The warm-up in hours.
    pub fn warm_up(&self) -> f64 {
        self.warm_up
    }

    /// The marketing spend, if given.
    pub fn marketing_spend(&self) -> Option<f64> {
        self.marketing_spend
    }

    /// Arrivals per hour of the stream's own clock (calendar hours, or
    /// working hours for working-hours arrivals).
    pub(crate) fn clock_rate(&self, rate_per_day: f64, arrivals: ArrivalHours) -> f64 {
        match arrivals {
            ArrivalHours::Always => rate_per_day / 24.0,
            ArrivalHours::WorkingHours => rate_per_day / self.team.hours().mean_daily_hours(),
        }
    }

    /// Expected arrivals per week of a stream.
    fn weekly_arrivals(&self, rate_per_day: f64, arrivals: ArrivalHours) -> f64 {
        let clock_hours = match arrivals {
            ArrivalHours::Always => WEEK_HOURS,
            ArrivalHours::WorkingHours => self.team.hours().weekly_hours(),
        };
        self.clock_rate(rate_per_day, arrivals) * clock_hours
    }

    /// A 64-bit fingerprint of every input of the model (as
    /// [`Scenario::fingerprint`](crate::model::scenario::Scenario::fingerprint)):
    /// capacity tallies carry it, so they cannot be reported for another model.
    pub fn fingerprint(&self) -> u64 {
        crate::statistics::fingerprint(self)
    }

    /// The offered load per rep, `ρ = λ · E[handling] / (reps · working
    /// hours)` over a week: the share of the team's working time the
    /// arrivals need (recycled returns not included). `ρ >= 1` means the
    /// queue grows without bound.
    pub fn offered_load(&self) -> f64 {
        let mut work = 0.0;
        for s in &self.streams {
            work += self.weekly_arrivals(s.rate_per_day(), s.arrivals()) * s.handling().mean().get();
        }
        if let Some(i) = &self.inquiries {
            work += self.weekly_arrivals(i.rate_per_day(), i.arrivals()) * i.handling().mean().get();
        }
        work / (f64::from(self.team.reps()) * self.team.hours().weekly_hours())
    }

    /// Whether the queue stays bounded: `ρ < 1`, or triage drops every kind
    /// of waiting item after a finite shelf life (no inquiries, every decay
    /// curve reaches 0) and the load is finite (an infinite or NaN load is
    /// never stable: every rep would be busy forever).
    pub fn is_stable(&self) -> bool {
        let load = self.offered_load();
        load < 1.0
            || (load.is_finite()
                && self.team.triage()
                && self.inquiries.is_none()
                && self.streams.iter().all(|s| s.segment().decay().zero_after().is_some()))
    }

    /// `Ok` when [`CapacityModel::is_stable`], else the error a run returns.
    ///
    /// # Errors
    ///
    /// An unstable team, named as field `sales.reps`.
    pub fn check_stable(&self) -> Result<()> {
        if self.is_stable() {
            return Ok(());
        }
        Err(Error::invalid(
            "sales.reps",
            self.team.reps(),
            format!(
                "a team that keeps up with the arrivals: the offered load is {:.3} of the team's working time \
                 (>= 1, so the queue would grow without bound); add reps, shorten handling, forward fewer inquiries \
                 or enable triage",
                self.offered_load()
            ),
        ))
    }
}
