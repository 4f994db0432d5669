//! The top of a scenario file: the core scenario's keys, its segments and
//! the feature sections; parsing TOML and JSON with field paths.

use serde::{Deserialize, Serialize};

use super::Analysis;
use super::business_hours::shared_calendar;
use super::sales::{RecyclingSpec, SalesSpec};
use super::segment::SegmentSpec;
use crate::calendar::CalendarSpec;
use crate::error::{Error, Result};
use crate::model::scenario::Scenario;
use crate::plan::PlanInputs;

/// A scenario file as written, before validation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ScenarioSpec {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    marketing_spend: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    customer_goal: Option<u64>,
    /// The team's working week, for the segments that run on business
    /// hours and for `[sales]` when it sets no hours of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    calendar: Option<CalendarSpec>,
    segments: Vec<SegmentSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    plan: Option<PlanInputs>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sales: Option<SalesSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    recycling: Option<RecyclingSpec>,
}

impl ScenarioSpec {
    pub(super) fn from_toml_str(text: &str) -> Result<ScenarioSpec> {
        let deserializer = toml::Deserializer::parse(text).map_err(|e| toml_error("", &e, text))?;
        serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let field = e.path().to_string();
            toml_error(if field == "." { "" } else { &field }, e.inner(), text)
        })
    }

    pub(super) fn from_json_str(text: &str) -> Result<ScenarioSpec> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            let field = e.path().to_string();
            Error::Parse {
                field: if field == "." { String::new() } else { field },
                message: e.into_inner().to_string(),
            }
        })
    }

    pub(super) fn to_toml_string(&self) -> String {
        toml::to_string(self).expect("a scenario spec always serialises to TOML")
    }

    pub(super) fn to_json_string(&self) -> String {
        // Keys are strings and every number is finite (validated), so this
        // cannot fail.
        serde_json::to_string_pretty(self).expect("a scenario spec always serialises to JSON")
    }

    pub(super) fn into_analysis(self) -> Result<Analysis> {
        let mut builder = Scenario::builder(self.name);
        if let Some(currency) = self.currency {
            builder = builder.currency(currency);
        }
        if let Some(spend) = self.marketing_spend {
            builder = builder.marketing_spend(spend);
        }
        if let Some(goal) = self.customer_goal {
            builder = builder.customer_goal(goal);
        }
        let calendar = match &self.calendar {
            Some(spec) => Some(spec.into_calendar().map_err(|e| e.within("calendar"))?),
            None => None,
        };
        for (i, segment) in self.segments.into_iter().enumerate() {
            builder = builder.segment(
                segment
                    .into_segment(calendar.as_ref())
                    .map_err(|e| e.within(&format!("segments[{i}]")))?,
            );
        }
        let mut analysis = Analysis::new(builder.build()?);
        if let Some(plan) = self.plan {
            check_finite_plan(&plan)?;
            analysis = analysis.with_plan(plan);
        }
        if let Some(sales) = self.sales {
            analysis = analysis.with_sales(sales.into_setup(calendar.as_ref()).map_err(|e| e.within("sales"))?);
        }
        if let Some(recycling) = self.recycling {
            analysis = analysis.with_recycling(recycling.into_recycling().map_err(|e| e.within("recycling"))?);
        }
        Ok(analysis)
    }

    pub(super) fn from_analysis(analysis: &Analysis) -> ScenarioSpec {
        let sales = analysis.sales();
        let top = shared_calendar(analysis.scenario(), sales.map(|s| s.team.hours()));
        ScenarioSpec {
            plan: analysis.plan().cloned(),
            sales: sales.map(|s| SalesSpec::from_setup(s, top.as_ref())),
            recycling: analysis.recycling().map(RecyclingSpec::from_recycling),
            ..ScenarioSpec::with_calendar(analysis.scenario(), top.as_ref())
        }
    }

    pub(super) fn from_scenario(scenario: &Scenario) -> ScenarioSpec {
        ScenarioSpec::with_calendar(scenario, shared_calendar(scenario, None).as_ref())
    }

    /// The core scenario with `top` as its `[calendar]`.
    fn with_calendar(scenario: &Scenario, top: Option<&crate::calendar::Calendar>) -> ScenarioSpec {
        ScenarioSpec {
            name: scenario.name().to_owned(),
            currency: scenario.currency().map(str::to_owned),
            marketing_spend: scenario.marketing_spend(),
            customer_goal: scenario.customer_goal(),
            calendar: top.map(CalendarSpec::from_calendar),
            segments: scenario
                .segments()
                .iter()
                .map(|segment| SegmentSpec::from_segment(segment, top))
                .collect(),
            plan: None,
            sales: None,
            recycling: None,
        }
    }
}

/// A TOML error with its field path and, where known, line and column
/// (1-based; the column counts characters) as fields of [`Error::Syntax`].
fn toml_error(field: &str, error: &toml::de::Error, text: &str) -> Error {
    let message = error.message().trim().to_owned();
    let field = field.to_owned();
    match error.span() {
        Some(span) => {
            let mut start = span.start.min(text.len());
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let before = &text[..start];
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            Error::Syntax {
                field,
                message,
                line: before.matches('\n').count() + 1,
                column: before[line_start..].chars().count() + 1,
            }
        }
        None => Error::Parse { field, message },
    }
}

/// Every number of a `[plan]` section finite: TOML can spell `nan` and
/// `inf`, and the crate rejects NaN when a file loads, not later in `plan`.
fn check_finite_plan(plan: &PlanInputs) -> Result<()> {
    fn walk(path: &str, value: &toml::Value) -> Result<()> {
        match value {
            toml::Value::Float(x) if !x.is_finite() => Err(Error::invalid(path, x, "a finite number")),
            toml::Value::Table(table) => table.iter().try_for_each(|(k, v)| walk(&format!("{path}.{k}"), v)),
            toml::Value::Array(items) => {
                (items.iter().enumerate()).try_for_each(|(i, v)| walk(&format!("{path}[{i}]"), v))
            }
            _ => Ok(()),
        }
    }
    match toml::Value::try_from(plan) {
        Ok(value) => walk("plan", &value),
        Err(e) => Err(Error::invalid("plan", e, "a [plan] section of finite numbers")),
    }
}
