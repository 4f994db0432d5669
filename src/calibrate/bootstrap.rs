//! A bootstrap of the whole fit: the export's rows drawn again with
//! replacement, every part refitted (the follow-up, every decay shape and
//! the choice among them, the sales cycle, the deal values), each
//! replicate one equally weighted alternative of the fitted scenario.

use rand::RngExt;
use serde::Serialize;

use super::clock_fit::ClockFit;
use super::decay_fit::ShapeKind;
use super::export::Export;
use super::forecast::ShapeChoice;
use super::report::{Calibration, SIGNIFICANT_DIGITS, rounded_curve, rounded_delay, significant};
use crate::calendar::Calendar;
use crate::engine::trial_rng;
use crate::error::{Error, Result};
use crate::model::decay::DecayCurve;
use crate::model::follow_up::DelayDistribution;
use crate::model::knob::Knob;
use crate::model::uncertainty::{Alternative, JointInput};

/// The most replicates a bootstrap may ask for: each is a whole refit, and
/// each becomes one alternative in the scenario file (10,000 replicates of
/// a 2,000-row export take minutes and a file of a few megabytes).
pub const MAX_BOOTSTRAP_REPLICATES: usize = 10_000;

/// How to bootstrap a fit ([`Calibration::bootstrap`]): how many
/// replicates, the seed that draws their rows, and the team's calendar
/// when the delay is counted on its working clock.
///
/// ```
/// use lead_decay::calibrate::Bootstrap;
///
/// let options = Bootstrap::new(200, 7)?;
/// assert_eq!((options.replicates, options.seed), (200, 7));
/// assert!(Bootstrap::new(0, 7).unwrap_err().to_string().contains("bootstrap"));
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Bootstrap {
    /// Replicates, from 1 to [`MAX_BOOTSTRAP_REPLICATES`].
    pub replicates: usize,
    /// Seed of the rows each replicate draws: replicate `i` draws from
    /// the stream `(seed, i)`, so the replicates are the same on any
    /// number of threads.
    pub seed: u64,
    /// The team's calendar, needed when the calibration counts the delay
    /// on a clock fitted with one ([`Calibration::clock`]).
    #[serde(skip)]
    pub calendar: Option<Calendar>,
}

impl Bootstrap {
    /// `replicates` replicates drawn with `seed`, without a calendar.
    ///
    /// # Errors
    ///
    /// `replicates` 0 or above [`MAX_BOOTSTRAP_REPLICATES`] (field
    /// `bootstrap`).
    pub fn new(replicates: usize, seed: u64) -> Result<Bootstrap> {
        if replicates == 0 || replicates > MAX_BOOTSTRAP_REPLICATES {
            return Err(Error::invalid(
                "bootstrap",
                replicates,
                format!("a number of replicates from 1 to {MAX_BOOTSTRAP_REPLICATES}"),
            ));
        }
        Ok(Bootstrap {
            replicates,
            seed,
            calendar: None,
        })
    }

    /// The same options with the team's calendar: each replicate's delay
    /// is then fitted on the clock the calibration chose.
    #[must_use]
    pub fn with_calendar(mut self, calendar: Calendar) -> Bootstrap {
        self.calendar = Some(calendar);
        self
    }

    /// Replicate `replicate`'s export: as many rows as `export` holds,
    /// drawn from its usable rows uniformly with replacement, with the
    /// same as-of date.
    pub fn resample(&self, export: &Export, replicate: usize) -> Export {
        let records = export.records();
        let mut rng = trial_rng(self.seed, replicate as u64);
        let drawn = (0..records.len())
            .map(|_| records[rng.random_range(0..records.len())].clone())
            .collect();
        Export::from_records(drawn, export.as_of())
    }
}

/// What one replicate's refit sets in the fitted scenario, to
/// [`SIGNIFICANT_DIGITS`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Replicate {
    /// The decay shape (the best by AIC in this replicate when averaged).
    pub shape: ShapeKind,
    /// Its close rate.
    pub close_rate: f64,
    /// Its curve.
    #[serde(skip)]
    pub decay: DecayCurve,
    /// The best delay family's fit, on the calibration's clock.
    #[serde(skip)]
    pub delay: DelayDistribution,
    /// The share never followed up.
    pub never_followed_up: f64,
    /// The mean value of the won deals (`None` without values).
    pub mean_deal_value: Option<f64>,
}

/// The replicates of a bootstrap ([`Calibration::bootstrap`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct BootstrapFit {
    /// The seed the rows were drawn with.
    pub seed: u64,
    /// The replicates, in order.
    pub replicates: Vec<Replicate>,
}

impl BootstrapFit {
    /// How many replicates chose each shape, most first (ties in the order
    /// of [`ShapeKind::ALL`]).
    pub fn shape_counts(&self) -> Vec<(ShapeKind, usize)> {
        let mut counts: Vec<(ShapeKind, usize)> = ShapeKind::ALL
            .into_iter()
            .map(|s| (s, self.replicates.iter().filter(|r| r.shape == s).count()))
            .filter(|&(_, n)| n > 0)
            .collect();
        counts.sort_by_key(|c| std::cmp::Reverse(c.1));
        counts
    }

    /// The joint input, in the segment called `segment`, named `bootstrap
    /// [segment]`: one alternative of weight 1 per replicate, setting its
    /// decay curve, close rate, delay and share never followed up, and,
    /// when `deal_value` (the scenario's deal values are the fitted ones),
    /// the mean deal value.
    ///
    /// # Errors
    ///
    /// A replicate whose deal value is missing when `deal_value` asks for
    /// it (field `deal_value`).
    pub fn joint(&self, segment: &str, deal_value: bool) -> Result<JointInput> {
        let mut alternatives = Vec::with_capacity(self.replicates.len());
        for (i, r) in self.replicates.iter().enumerate() {
            let mut a = Alternative::new(1.0)?
                .with_decay(r.decay.clone())
                .with_delay(r.delay.clone())
                .with_value(Knob::CloseRate, r.close_rate)
                .with_value(Knob::NeverFollowedUp, r.never_followed_up);
            if deal_value {
                let mean = r.mean_deal_value.ok_or_else(|| {
                    Error::invalid(
                        "deal_value",
                        format!("none in bootstrap replicate {}", i + 1),
                        "a won row with a deal value in every replicate (or give a deal value)",
                    )
                })?;
                a = a.with_value(Knob::DealValue, mean);
            }
            alternatives.push(a);
        }
        Ok(JointInput::alternatives(alternatives)?
            .in_segment(segment)
            .named(format!("bootstrap [{segment}]")))
    }
}

impl Calibration {
    /// A bootstrap of the whole fit of `export` (the export this
    /// calibration was fitted on): `options.replicates` exports of as many
    /// rows drawn with replacement ([`Bootstrap::resample`]), each fitted
    /// afresh ([`Calibration::fit`], and on the calibration's clock when it
    /// has one), keeping, averaged, the shape with the lowest AIC in that
    /// replicate (the choice of shape redone), or the shape of
    /// [`ShapeChoice::Single`].
    ///
    /// ```
    /// use lead_decay::calibrate::{Bootstrap, Calibration, Export, ExportFormat, ShapeChoice};
    ///
    /// let export = Export::read_path("examples/data/export.csv", &ExportFormat::default())?;
    /// let calibration = Calibration::fit(&export)?;
    /// let boot = calibration.bootstrap(&export, ShapeChoice::Averaged, &Bootstrap::new(3, 1)?)?;
    /// assert_eq!(boot.replicates.len(), 3);
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A replicate that cannot be fitted, or does not identify the single
    /// shape asked for (field `bootstrap`, with the replicate and the
    /// reason); a calibration on a working clock without the calendar in
    /// `options` (field `calendar`).
    pub fn bootstrap(&self, export: &Export, choice: ShapeChoice, options: &Bootstrap) -> Result<BootstrapFit> {
        let calendar = match (&self.clock, &options.calendar) {
            (Some(clock), Some(calendar)) => Some((clock.chosen, calendar)),
            (Some(_), None) => {
                return Err(Error::invalid(
                    "calendar",
                    "none given to the bootstrap",
                    "the calendar the delay's clock was fitted with",
                ));
            }
            (None, _) => None,
        };
        let n = options.replicates;
        let one = |i: usize| -> Result<Replicate> {
            let why = |e: Error| {
                Error::invalid(
                    "bootstrap",
                    format!("replicate {} of {n}: {e}", i + 1),
                    "replicates that can be fitted (too few rows to bootstrap?)",
                )
            };
            let part = options.resample(export, i);
            let mut fit = Calibration::fit(&part).map_err(why)?;
            if let Some((chosen, calendar)) = calendar {
                let clock = ClockFit::fit(&part, calendar, &fit.follow_up).map_err(why)?;
                fit.clock = Some(clock.with_chosen(chosen));
            }
            let decay = match choice {
                ShapeChoice::Averaged => fit.decay.best(),
                ShapeChoice::Single(shape) => fit.decay.get(shape).ok_or_else(|| {
                    why(Error::invalid(
                        "shape",
                        shape.name(),
                        "a shape this replicate identifies",
                    ))
                })?,
            };
            let delay = fit.delay_fit();
            let round = |x: f64| significant(x, SIGNIFICANT_DIGITS);
            Ok(Replicate {
                shape: decay.shape,
                close_rate: round(decay.close_rate.value),
                decay: rounded_curve(&decay.curve),
                delay: rounded_delay(&delay.distribution),
                never_followed_up: round(delay.never_followed_up.value),
                mean_deal_value: fit.mean_deal_value.map(round),
            })
        };
        #[cfg(feature = "parallel")]
        let replicates: Vec<Result<Replicate>> = {
            use rayon::prelude::*;
            (0..n).into_par_iter().map(one).collect()
        };
        #[cfg(not(feature = "parallel"))]
        let replicates: Vec<Result<Replicate>> = (0..n).map(one).collect();
        Ok(BootstrapFit {
            seed: options.seed,
            replicates: replicates.into_iter().collect::<Result<_>>()?,
        })
    }
}
