//! Scenario files: reading and writing the TOML or JSON documents that hold
//! a whole analysis.
//!
//! A file holds the core [`Scenario`] (segments, spend, goal) and, for the
//! features above the core, optional `[plan]`, `[sales]` and `[recycling]`
//! sections. [`Analysis`] is the whole file; [`Scenario::load`] and its
//! siblings read just the core (the other sections are still validated).
//! The format is documented in [`crate::guide`] and in
//! [`crate::model::scenario`].
//!
//! Layer 6 of the crate: files are the outer edge, so this module may use
//! every layer below it (the model and the `plan` and `capacity` features
//! whose sections a file carries), and nothing below it uses it.

mod business_hours;
mod calendar_file;
mod curves;
mod delays;
mod document;
mod params;
mod sales;
mod segment;
mod serde_impls;
mod uncertain;

use std::path::Path;

use crate::calendar::Calendar;
use crate::capacity::{CapacityModel, Recycling, SalesSetup};
use crate::error::{Error, Result};
use crate::model::scenario::Scenario;
use crate::plan::PlanInputs;
use document::ScenarioSpec;

/// A whole scenario file: the core [`Scenario`] and the optional sections
/// that the features read (`[plan]`, `[sales]`, `[recycling]`).
///
/// # Example
///
/// ```
/// use lead_decay::Analysis;
///
/// let analysis = Analysis::from_toml_str(r#"
///     name = "team"
///     [[segments]]
///     name = "inbound"
///     sqls = 400
///     close_rate = 0.25
///     deal_value = 10000
///     decay = "consumer"
///     [sales]
///     reps = 2
///     horizon = "4w"
///     handling = { dist = "exponential", mean = "2h" }
/// "#)?;
/// assert_eq!(analysis.scenario().total_sqls(), 400);
/// assert!(analysis.sales().is_some() && analysis.plan().is_none());
/// let model = analysis.capacity_model()?;
/// assert_eq!(model.team().reps(), 2);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    scenario: Scenario,
    calendar: Option<Calendar>,
    plan: Option<PlanInputs>,
    sales: Option<SalesSetup>,
    recycling: Option<Recycling>,
}

impl Analysis {
    /// An analysis of `scenario` with no feature sections.
    pub fn new(scenario: Scenario) -> Analysis {
        Analysis {
            scenario,
            calendar: None,
            plan: None,
            sales: None,
            recycling: None,
        }
    }

    /// With the team's calendar (the top-level `[calendar]` section): the
    /// planner's business days count on it ([`Analysis::plan_inputs`]).
    /// Segments and `[sales]` carry their own calendars; this one is written
    /// back as `[calendar]`.
    #[must_use]
    pub fn with_calendar(mut self, calendar: Calendar) -> Analysis {
        self.calendar = Some(calendar);
        self
    }

    /// The top-level `[calendar]` of the file, when it has one.
    pub fn calendar(&self) -> Option<&Calendar> {
        self.calendar.as_ref()
    }

    /// With funnel-planning inputs (the `[plan]` section).
    #[must_use]
    pub fn with_plan(mut self, plan: PlanInputs) -> Analysis {
        self.plan = Some(plan);
        self
    }

    /// With a sales team (the `[sales]` section).
    #[must_use]
    pub fn with_sales(mut self, sales: SalesSetup) -> Analysis {
        self.sales = Some(sales);
        self
    }

    /// With recycling of cold SQLs (the `[recycling]` section).
    #[must_use]
    pub fn with_recycling(mut self, recycling: Recycling) -> Analysis {
        self.recycling = Some(recycling);
        self
    }

    /// Reads a scenario file; `.json` files are JSON, everything else TOML.
    ///
    /// # Errors
    ///
    /// The file cannot be read, or its content is invalid; the error names
    /// the file and the field path.
    pub fn load(path: impl AsRef<Path>) -> Result<Analysis> {
        let path = path.as_ref();
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            file: file.clone(),
            source,
        })?;
        let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let parsed = if is_json {
            Analysis::from_json_str(&text)
        } else {
            Analysis::from_toml_str(&text)
        };
        parsed.map_err(|e| e.in_file(file))
    }

    /// Parses a scenario file in TOML.
    ///
    /// # Errors
    ///
    /// Bad syntax, unknown keys, wrong types and invalid values, each naming
    /// the field path (`segments[1].decay.shelf_life`).
    pub fn from_toml_str(text: &str) -> Result<Analysis> {
        ScenarioSpec::from_toml_str(text)?.into_analysis()
    }

    /// Parses a scenario file in JSON (the same schema as TOML).
    ///
    /// # Errors
    ///
    /// As [`Analysis::from_toml_str`].
    pub fn from_json_str(text: &str) -> Result<Analysis> {
        ScenarioSpec::from_json_str(text)?.into_analysis()
    }

    /// The whole file in TOML (loads back to an equal analysis).
    pub fn to_toml_string(&self) -> String {
        ScenarioSpec::from_analysis(self).to_toml_string()
    }

    /// The whole file in JSON, the same schema as TOML (loads back to an
    /// equal analysis with [`Analysis::from_json_str`]).
    pub fn to_json_string(&self) -> String {
        ScenarioSpec::from_analysis(self).to_json_string()
    }

    /// The core scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The core scenario, taken out of the file.
    pub fn into_scenario(self) -> Scenario {
        self.scenario
    }

    /// The `[plan]` section as written (see [`Analysis::plan_inputs`] for
    /// the inputs completed from the rest of the file).
    pub fn plan(&self) -> Option<&PlanInputs> {
        self.plan.as_ref()
    }

    /// The `[sales]` section: the sales team for capacity runs.
    pub fn sales(&self) -> Option<&SalesSetup> {
        self.sales.as_ref()
    }

    /// The `[recycling]` section: what happens to cold SQLs in capacity runs.
    pub fn recycling(&self) -> Option<&Recycling> {
        self.recycling.as_ref()
    }

    /// The planner's inputs this file implies: its `[plan]` section,
    /// completed from the scenario where the section is silent
    /// ([`PlanInputs::completed_from`]), on the team's calendar
    /// ([`PlanInputs::team_calendar`]: `[plan.business_days]` counts the
    /// working days and holidays of the top-level `[calendar]`).
    pub fn plan_inputs(&self) -> PlanInputs {
        let mut inputs = self.plan.clone().unwrap_or_default().completed_from(&self.scenario);
        if inputs.team_calendar.is_none() {
            inputs.team_calendar.clone_from(&self.calendar);
        }
        inputs
    }

    /// The capacity model of the file: its segments worked by the `[sales]`
    /// team, with `[recycling]` if present ([`SalesSetup::model_for`]).
    ///
    /// # Errors
    ///
    /// No `[sales]` section (`sales`), or what [`SalesSetup::model_for`]
    /// reports.
    pub fn capacity_model(&self) -> Result<CapacityModel> {
        let sales = self
            .sales
            .as_ref()
            .ok_or_else(|| Error::invalid("sales", "nothing", "a [sales] section"))?;
        sales.model_for(&self.scenario, self.recycling.as_ref())
    }
}

impl From<Scenario> for Analysis {
    fn from(scenario: Scenario) -> Analysis {
        Analysis::new(scenario)
    }
}

/// Reading and writing the core scenario of a file. These live with the file
/// format rather than the model, so the model does not depend on it.
impl Scenario {
    /// Reads the scenario of a scenario file; `.json` files are JSON,
    /// everything else TOML. The file's `[plan]`, `[sales]` and
    /// `[recycling]` sections are validated but not kept: use
    /// [`Analysis::load`] for them.
    ///
    /// # Errors
    ///
    /// The file cannot be read, or its content is invalid; the error names
    /// the file and the field path.
    pub fn load(path: impl AsRef<Path>) -> Result<Scenario> {
        Analysis::load(path).map(Analysis::into_scenario)
    }

    /// Parses a scenario in TOML (see [`Scenario::load`] for the sections
    /// other than the core).
    ///
    /// # Errors
    ///
    /// Bad syntax, unknown keys, wrong types and invalid values, each naming
    /// the field path (`segments[1].decay.shelf_life`).
    pub fn from_toml_str(text: &str) -> Result<Scenario> {
        Analysis::from_toml_str(text).map(Analysis::into_scenario)
    }

    /// Parses a scenario in JSON (the same schema as TOML).
    ///
    /// # Errors
    ///
    /// As [`Scenario::from_toml_str`].
    pub fn from_json_str(text: &str) -> Result<Scenario> {
        Analysis::from_json_str(text).map(Analysis::into_scenario)
    }

    /// The scenario in the TOML scenario-file format (loads back to an equal
    /// scenario).
    pub fn to_toml_string(&self) -> String {
        ScenarioSpec::from_scenario(self).to_toml_string()
    }

    /// The scenario in JSON, the same schema as the TOML file (reads back to
    /// an equal scenario with [`Scenario::from_json_str`]).
    ///
    /// ```
    /// use lead_decay::Scenario;
    ///
    /// let scenario = Scenario::reference();
    /// assert_eq!(Scenario::from_json_str(&scenario.to_json_string())?, scenario);
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn to_json_string(&self) -> String {
        ScenarioSpec::from_scenario(self).to_json_string()
    }
}
