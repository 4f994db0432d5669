//! A scenario: the segments of one analysis, the marketing spend and the goal,
//! built in code or read from a scenario file.
//!
//! # Scenario files
//!
//! TOML or JSON, one schema:
//!
//! ```toml
//! name = "b2b-industrial"          # required
//! currency = "USD"                 # optional display label
//! marketing_spend = 400000         # optional; enables ROI metrics
//! customer_goal = 10               # optional; enables P(customers >= goal)
//!
//! [[segments]]
//! name = "industrial"              # required, unique
//! sqls = 40                        # SQLs in the cohort
//! close_rate = 0.25                # or uncertain: { dist = "beta", mean = 0.25, sd = 0.04 }
//! deal_value = 100000              # or { dist = "lognormal", mean = 100000, cv = 0.5 }
//! decay = { shape = "linear", shelf_life = "30d" }   # or a preset: decay = "b2b-industrial"
//! neglected = 5                    # or never_followed_up = 0.36
//! follow_up = { dist = "exponential", mean = "2d" }
//! sla = "1d"
//!
//! [sales]                          # optional: the sales team (the `capacity` example)
//! reps = 3                         # required, >= 1
//! horizon = "8w"                   # required: the segments' SQLs arrive over it
//! handling = { dist = "exponential", mean = "45m" }   # required: time per SQL
//! discipline = "fifo"              # or "newest-first", "priority"
//! triage = false                   # drop SQLs past their shelf life unworked
//! sla = "1h"                       # the follow-up deadline
//! working_days = ["mon", "tue", "wed", "thu", "fri"]  # default: every day
//! working_hours = ["9h", "17h"]    # default: round the clock
//! # or, instead of the two keys above, a full calendar (see `calendar`):
//! # calendar = { time_zone = "Europe/Berlin", working_hours = { mon = ["9h", "17h"], sat = ["9h", "13h"] } }
//! arrivals = "always"              # or "working-hours"
//! warm_up = "1w"                   # arrivals before it are not measured
//! inquiries_per_day = 30           # raw inquiries forwarded to sales ...
//! inquiry_handling = { dist = "exponential", mean = "15m" }  # ... their handling
//! inquiry_close_rate = 0.002       # ... and close rate (default 0)
//! inquiry_deal_value = 10000       # ... and deal value (default 0)
//!
//! [recycling]                      # optional: what happens to cold SQLs
//! revert_probability = 0.6         # back to the MQL pool, else to a competitor
//! return_delay = { dist = "fixed", delay = "4w" }
//! close_rate = 0.1                 # of a returning SQL
//! reactivation_cost = 500          # per returning SQL, against ROI (default 0)
//! lockout = "104w"                 # competitor lockout (default 104 weeks)
//!
//! [plan]                           # optional: inputs of the `plan` example
//! confidence = 0.9                 # (keys as its flags; see `PlanInputs`)
//! mql_to_sql = 0.2
//! ```
//!
//! Every key, value, unit and preset: [`crate::guide::file_format`]. Any
//! number of a segment may be uncertain (a distribution, drawn per trial),
//! and `[[inputs]]` and `[[joint]]` hold inputs shared by segments or drawn
//! together: see [uncertain inputs](crate::guide::file_format#uncertain-inputs)
//! and [`crate::model::uncertainty`].
//!
//! Unknown keys are errors, so a typo cannot silently change a result. Every
//! error names the field path (`segments[1].decay.shelf_life`) and what was
//! expected; [`Scenario::load`](crate::Scenario::load) adds the file name.

use std::collections::HashSet;
use std::fmt;

use crate::error::{Error, Result, check_positive};
use crate::model::deal_value::DealValue;
use crate::model::decay::DecayCurve;
use crate::model::segment::Segment;
use crate::model::uncertainty::Uncertainty;

/// The smallest marketing spend accepted (10^-6 of the currency): ROI
/// divides by the spend, and with deal values bounded by
/// [`crate::model::deal_value::MAX_DEAL_VALUE`] every ROI stays finite.
pub const MIN_MARKETING_SPEND: f64 = 1e-6;

/// Everything one analysis needs: the SQL cohorts (segments), what marketing
/// spent to produce them, and the customer goal.
///
/// Build it in code with [`Scenario::builder`], or read a scenario file with
/// [`Scenario::load`], [`Scenario::from_toml_str`] or [`Scenario::from_json_str`]
/// (the format is documented in the [module docs](crate::model::scenario)).
///
/// # Example
///
/// ```
/// use lead_decay::Scenario;
///
/// let scenario = Scenario::from_toml_str(r#"
///     name = "b2b-industrial"
///     marketing_spend = 400000
///     customer_goal = 10
///
///     [[segments]]
///     name = "industrial"
///     sqls = 40
///     close_rate = 0.25
///     deal_value = 100000
///     decay = "b2b-industrial"
///     neglected = 5
/// "#)?;
/// assert_eq!(scenario.total_sqls(), 40);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct Scenario {
    name: String,
    currency: Option<String>,
    marketing_spend: Option<f64>,
    customer_goal: Option<u64>,
    segments: Vec<Segment>,
    uncertainty: Uncertainty,
}

impl fmt::Debug for Scenario {
    /// Every field; the uncertainty only when there is one, so a scenario
    /// of numbers keeps the form (and the [`Scenario::fingerprint`]) it had
    /// before uncertain inputs existed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Scenario");
        out.field("name", &self.name)
            .field("currency", &self.currency)
            .field("marketing_spend", &self.marketing_spend)
            .field("customer_goal", &self.customer_goal)
            .field("segments", &self.segments);
        if !self.uncertainty.is_empty() {
            out.field("uncertainty", &self.uncertainty);
        }
        out.finish()
    }
}

impl Scenario {
    /// Starts a scenario called `name`.
    pub fn builder(name: impl Into<String>) -> ScenarioBuilder {
        ScenarioBuilder(Scenario {
            name: name.into(),
            currency: None,
            marketing_spend: None,
            customer_goal: None,
            segments: Vec::new(),
            uncertainty: Uncertainty::new(),
        })
    }

    /// The reference case of the model: 40 SQLs at a 25 % close rate, deals
    /// worth 100,000, 5 SQLs never followed up, B2B industrial decay, a goal
    /// of 10 customers. Expected customers 8.75, revenue lost 125,000.
    ///
    /// It has **no marketing spend**, so its reports carry no ROI
    /// (`roi`, `roi_ideal` and `roi_lost` are `None`); give it one with
    /// [`ScenarioBuilder::marketing_spend`] on a scenario of your own, or in
    /// a scenario file (`marketing_spend = 400000`).
    ///
    /// ```
    /// use lead_decay::{Expected, Scenario};
    ///
    /// assert_eq!(Scenario::reference().marketing_spend(), None);
    /// assert_eq!(Expected::of(&Scenario::reference()).roi, None);
    /// ```
    pub fn reference() -> Scenario {
        let industrial = Segment::builder("industrial")
            .sqls(40)
            .close_rate(0.25)
            .deal_value(DealValue::fixed(100_000.0).expect("100,000 is a valid deal value"))
            .decay(DecayCurve::b2b_industrial())
            .neglected(5)
            .build()
            .expect("the reference segment is valid");
        Scenario::builder("reference")
            .customer_goal(10)
            .segment(industrial)
            .build()
            .expect("the reference scenario is valid")
    }

    /// The scenario's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The currency label for display (`"USD"`), if given.
    pub fn currency(&self) -> Option<&str> {
        self.currency.as_deref()
    }

    /// What marketing spent to produce these SQLs; enables ROI metrics.
    pub fn marketing_spend(&self) -> Option<f64> {
        self.marketing_spend
    }

    /// The customer goal; enables `P(customers >= goal)`.
    pub fn customer_goal(&self) -> Option<u64> {
        self.customer_goal
    }

    /// The segments, in file order.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// A 64-bit fingerprint of every input of the scenario (FNV-1a of its
    /// complete debug form, in which every number is written exactly): two
    /// scenarios with the same fingerprint are, for all practical purposes,
    /// the same scenario. Tallies carry it, so shards of one run cannot be
    /// merged with those of another. It is stable across machines and
    /// thread counts; it may change between versions of the crate.
    ///
    /// ```
    /// use lead_decay::Scenario;
    ///
    /// let reference = Scenario::reference();
    /// assert_eq!(reference.fingerprint(), Scenario::reference().fingerprint());
    /// let other = reference.map_segments(|s| Ok(s.clone()))?;
    /// assert_eq!(other.fingerprint(), reference.fingerprint());
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn fingerprint(&self) -> u64 {
        crate::statistics::fingerprint(self)
    }

    /// The uncertain inputs; empty when every input is a number.
    pub fn uncertainty(&self) -> &Uncertainty {
        &self.uncertainty
    }

    /// The scenario with no uncertainty: every input at its base value, the
    /// number the segment holds (a scenario file puts each uncertain
    /// input's median there). What [`crate::Expected::of`] sees.
    pub fn without_uncertainty(&self) -> Scenario {
        Scenario {
            uncertainty: Uncertainty::new(),
            ..self.clone()
        }
    }

    /// This scenario with `uncertainty` in place of its own, checked
    /// against it ([`Uncertainty::check`]).
    ///
    /// # Errors
    ///
    /// As [`Uncertainty::check`].
    pub fn with_uncertainty(&self, uncertainty: Uncertainty) -> Result<Scenario> {
        if !uncertainty.is_empty() {
            uncertainty.check(self)?;
        }
        Ok(Scenario {
            uncertainty,
            ..self.clone()
        })
    }

    /// The scenario of one trial: the inputs at the point `u` of the unit
    /// cube ([`Uncertainty::realise`]), with no uncertainty left.
    ///
    /// # Errors
    ///
    /// As [`Uncertainty::realise`].
    pub fn realise(&self, u: &[f64]) -> Result<Scenario> {
        self.uncertainty.realise(self, u)
    }

    /// This scenario with `segments` in place of its own and no
    /// uncertainty: the scenario of one trial. Not validated again: the
    /// name, spend and goal are this scenario's, and the segments were
    /// validated by [`crate::model::knob`] as they were set.
    pub(crate) fn realised(&self, segments: Vec<Segment>) -> Scenario {
        Scenario {
            name: self.name.clone(),
            currency: self.currency.clone(),
            marketing_spend: self.marketing_spend,
            customer_goal: self.customer_goal,
            segments,
            uncertainty: Uncertainty::new(),
        }
    }

    /// SQLs over all segments.
    pub fn total_sqls(&self) -> u64 {
        self.segments.iter().map(Segment::sqls).sum()
    }

    /// A copy whose segments are replaced by `map(segment)` (for sweeps and
    /// what-ifs).
    ///
    /// # Errors
    ///
    /// Whatever `map` returns.
    pub fn map_segments(&self, mut map: impl FnMut(&Segment) -> Result<Segment>) -> Result<Scenario> {
        let segments = self
            .segments
            .iter()
            .enumerate()
            .map(|(i, s)| map(s).map_err(|e| e.within(&format!("segments[{i}]"))))
            .collect::<Result<Vec<_>>>()?;
        ScenarioBuilder(Scenario {
            segments,
            ..self.clone()
        })
        .build()
    }
}

/// Collects a [`Scenario`]; [`ScenarioBuilder::build`] validates it.
#[derive(Debug, Clone)]
#[must_use]
pub struct ScenarioBuilder(Scenario);

impl ScenarioBuilder {
    /// The currency label for display.
    pub fn currency(mut self, currency: impl Into<String>) -> Self {
        self.0.currency = Some(currency.into());
        self
    }

    /// What marketing spent to produce the SQLs (> 0); enables ROI metrics.
    pub fn marketing_spend(mut self, spend: f64) -> Self {
        self.0.marketing_spend = Some(spend);
        self
    }

    /// The customer goal (>= 1); enables `P(customers >= goal)`.
    pub fn customer_goal(mut self, goal: u64) -> Self {
        self.0.customer_goal = Some(goal);
        self
    }

    /// Adds a segment.
    pub fn segment(mut self, segment: Segment) -> Self {
        self.0.segments.push(segment);
        self
    }

    /// The uncertain inputs (checked by [`ScenarioBuilder::build`]).
    pub fn uncertainty(mut self, uncertainty: Uncertainty) -> Self {
        self.0.uncertainty = uncertainty;
        self
    }

    /// Validates and builds the scenario.
    ///
    /// # Errors
    ///
    /// An empty name, no segments, duplicate segment names, a marketing
    /// spend that is not a finite number >= [`MIN_MARKETING_SPEND`], a
    /// customer goal of 0, or uncertain inputs that [`Uncertainty::check`]
    /// refuses.
    pub fn build(self) -> Result<Scenario> {
        if self.0.name.trim().is_empty() {
            return Err(Error::invalid(
                "name",
                format!("{:?}", self.0.name),
                "a non-empty scenario name",
            ));
        }
        if self.0.segments.is_empty() {
            return Err(Error::invalid("segments", "[]", "at least one segment"));
        }
        let mut seen = HashSet::new();
        for (i, segment) in self.0.segments.iter().enumerate() {
            if !seen.insert(segment.name()) {
                return Err(Error::invalid(
                    format!("segments[{i}].name"),
                    format!("{:?}", segment.name()),
                    "a segment name not used by an earlier segment",
                ));
            }
        }
        if let Some(spend) = self.0.marketing_spend {
            check_positive("marketing_spend", spend)?;
            if !(spend >= MIN_MARKETING_SPEND) {
                // ROI divides by the spend: a subnormal spend overflows it.
                return Err(Error::invalid(
                    "marketing_spend",
                    spend,
                    format!("a finite number >= {MIN_MARKETING_SPEND:e}"),
                ));
            }
        }
        if self.0.customer_goal == Some(0) {
            return Err(Error::invalid("customer_goal", 0, "a goal of at least 1 customer"));
        }
        if !self.0.uncertainty.is_empty() {
            self.0.uncertainty.check(&self.0)?;
        }
        Ok(self.0)
    }
}
