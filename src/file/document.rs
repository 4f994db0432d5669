//! The top of a scenario file: the core scenario's keys, its segments and
//! the feature sections; parsing TOML and JSON with field paths.

use serde::{Deserialize, Serialize};

use super::Analysis;
use super::business_hours::shared_calendar;
use super::sales::{RecyclingSpec, SalesSpec};
use super::segment::SegmentSpec;
use super::uncertain::{Collector, Context, InputSpec, JointSpec, inline_entry, named_entry};
use crate::calendar::CalendarSpec;
use crate::error::{Error, Result};
use crate::model::scenario::Scenario;
use crate::model::uncertainty::Uncertainty;
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
    /// Named uncertain inputs, which segments refer to (or which name their
    /// segments).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    inputs: Vec<InputSpec>,
    /// Joint uncertain inputs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    joint: Vec<JointSpec>,
}

impl ScenarioSpec {
    pub(super) fn from_toml_str(text: &str) -> Result<ScenarioSpec> {
        let deserializer = toml::Deserializer::parse(text).map_err(|e| toml_error("", &e, text))?;
        serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let field = e.path().to_string();
            explain_table(toml_error(if field == "." { "" } else { &field }, e.inner(), text))
        })
    }

    pub(super) fn from_json_str(text: &str) -> Result<ScenarioSpec> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            let field = e.path().to_string();
            explain_table(Error::Parse {
                field: if field == "." { String::new() } else { field },
                message: e.into_inner().to_string(),
            })
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
        let mut collector = Collector::with_named(self.inputs)?.with_joints(self.joint)?;
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
            let path = format!("segments[{i}]");
            let name = segment.name().to_owned();
            let mut ctx = Context::segment(&mut collector, &name, path.clone());
            builder = builder.segment(
                segment
                    .into_segment(&mut ctx, calendar.as_ref())
                    .map_err(|e| e.within(&path))?,
            );
        }
        let (uncertainty, origins) = collector.finish()?;
        let scenario = builder
            .uncertainty(uncertainty)
            .build()
            .map_err(|e| origins.repath(e))?;
        let mut analysis = Analysis::new(scenario);
        if let Some(calendar) = &calendar {
            analysis = analysis.with_calendar(calendar.clone());
        }
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
        // The file's own `[calendar]`, unless `[sales]` works other hours
        // (it would then have to say so in `[sales]`, which a top-level
        // calendar forbids). Never the segments' shared one: a top-level
        // calendar is also the planner's team calendar, so a file without
        // one would read back as another analysis (the fuzzer's case 4116,
        // seed 1: one segment's own calendar came back as `[calendar]`).
        let top = analysis
            .calendar()
            .filter(|c| sales.is_none_or(|s| s.team.hours() == *c))
            .cloned();
        ScenarioSpec {
            plan: analysis.plan().cloned(),
            sales: sales.map(|s| SalesSpec::from_setup(s, top.as_ref())),
            recycling: analysis.recycling().map(RecyclingSpec::from_recycling),
            ..ScenarioSpec::with_calendar(analysis.scenario(), top.as_ref())
        }
    }

    pub(super) fn from_scenario(scenario: &Scenario) -> ScenarioSpec {
        ScenarioSpec::with_calendar(scenario, shared_calendar(scenario).as_ref())
    }

    /// The core scenario with `top` as its `[calendar]`.
    fn with_calendar(scenario: &Scenario, top: Option<&crate::calendar::Calendar>) -> ScenarioSpec {
        let spec = ScenarioSpec {
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
            inputs: Vec::new(),
            joint: Vec::new(),
        };
        let uncertainty = scenario.uncertainty();
        if uncertainty.is_empty() {
            return spec;
        }
        // Each input in its segment's key where it can sit there, the rest
        // in [[inputs]]; if that file would not read back to this scenario
        // (an order of inputs the file cannot say), every input in
        // [[inputs]], in order.
        let inline = spec.clone().with_uncertainty(scenario, uncertainty, true);
        if inline.reads_back_as(scenario) {
            inline
        } else {
            spec.with_uncertainty(scenario, uncertainty, false)
        }
    }

    /// This spec (of `scenario`'s segments) with `uncertainty` written:
    /// single-segment inputs in their segment's key when `inline` and the
    /// key can hold them, the others in `[[inputs]]`.
    fn with_uncertainty(mut self, scenario: &Scenario, uncertainty: &Uncertainty, inline: bool) -> ScenarioSpec {
        let segments = scenario.segments();
        for input in uncertainty.inputs() {
            let home = match input.segments() {
                [only] if inline && input.label.is_none() => segments.iter().position(|s| s.name() == only),
                _ => None,
            };
            let placed = home.is_some_and(|s| {
                let table = inline_entry(input, input.knob.value_in(&segments[s]));
                self.segments[s].put_inline(&segments[s], input.knob, table)
            });
            if !placed {
                self.inputs.push(named_entry(input));
            }
        }
        self.joint = uncertainty.joints().iter().map(JointSpec::of_joint).collect();
        self
    }

    /// Whether this spec reads back to `scenario`.
    fn reads_back_as(&self, scenario: &Scenario) -> bool {
        self.clone()
            .into_analysis()
            .is_ok_and(|analysis| analysis.scenario() == scenario)
    }
}

/// A table (`{ dist = ... }`) where a plain value is required says where
/// uncertain values may go.
fn explain_table(error: Error) -> Error {
    let Some(field) = error.field().map(str::to_owned) else {
        return error;
    };
    let section = ["sales", "recycling", "plan"]
        .into_iter()
        .find(|s| field == *s || field.starts_with(&format!("{s}.")));
    let hint = match section {
        Some(section) => format!("uncertain [{section}] inputs are not supported: a plain value is required here"),
        None => "an uncertain value { dist = ... } is allowed only for a segment's inputs (sqls, close_rate, \
                 instant_response_share, deal_value, decay and follow_up parameters, neglected, never_followed_up, sla): a plain value is \
                 required here"
            .to_owned(),
    };
    let explain = |message: String| {
        if message.starts_with("invalid type: map") {
            format!("{hint} ({message})")
        } else {
            message
        }
    };
    match error {
        Error::Parse { field, message } => Error::Parse {
            field,
            message: explain(message),
        },
        Error::Syntax {
            field,
            message,
            line,
            column,
        } => Error::Syntax {
            field,
            message: explain(message),
            line,
            column,
        },
        other => other,
    }
}

/// A TOML error with its field path and, where known, line and column
/// (1-based; the column counts characters) as fields of [`Error::Syntax`].
pub(super) fn toml_error(field: &str, error: &toml::de::Error, text: &str) -> Error {
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
