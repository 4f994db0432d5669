//! The plan report as a flat table of figures (the `plan` example's CSV).

use serde::Serialize;

use crate::plan::funnel::StageCount;
use crate::plan::leads::LeadScoring;
use crate::plan::period::BusinessDayPlan;
use crate::plan::report::PlanReport;

/// One figure of a [`PlanReport`]: which plan, which metric, its value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanFigure {
    /// The plan it belongs to: `plan`, `total`, `confidence 0.9`,
    /// `persona smb`, `marketing_sourced`, `other`, `monitor smb`, `bant`,
    /// `business_days`, `business_days smb`.
    pub plan: String,
    /// The metric: `deals`, `revenue`, a stage (`mql`), a cost (`mql_cost`), ...
    pub metric: String,
    /// Its value.
    pub value: f64,
}

impl PlanReport {
    /// Every figure of the report as `(plan, metric, value)` rows: the plan
    /// (`plan`, or `total` with personas), the confidence plan
    /// (`confidence 0.9`), each persona (`persona smb`), the marketing split
    /// (`marketing_sourced`, `other`), the monitor's readings (`monitor
    /// smb`), the BANT scoring (`bant`) and the plan per business day
    /// (`business_days`: `business_days`, `deals_per_business_day`,
    /// `sql_per_business_day`, ..., and with a comparison month
    /// `compare_business_days`, `compare_sql_per_business_day`, ...,
    /// `daily_lift`; the same for each persona as `business_days smb`).
    /// Stage counts are named after the
    /// stage (`sql`, `mql`, ...), their costs `sql_cost`, ...; figures that
    /// are not known (no costs, no deal value) are left out. The `plan`
    /// example's CSV.
    ///
    /// # Example
    ///
    /// ```
    /// use lead_decay::plan::PlanInputs;
    ///
    /// let inputs: PlanInputs = toml::from_str("customer_goal = 10\nclose_rate = 0.25\nmql_to_sql = 0.2").unwrap();
    /// let figures = inputs.report()?.figures();
    /// let mqls = figures.iter().find(|f| f.plan == "plan" && f.metric == "mql").unwrap();
    /// assert_eq!(mqls.value, 200.0);
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn figures(&self) -> Vec<PlanFigure> {
        let report = self;
        let mut rows = Vec::new();
        let mut push = |plan: &str, metric: &str, value: Option<f64>| {
            if let Some(value) = value {
                rows.push(PlanFigure {
                    plan: plan.to_owned(),
                    metric: metric.to_owned(),
                    value,
                });
            }
        };
        let main = if report.personas.is_empty() { "plan" } else { "total" };
        plan_figures(&mut push, main, report);
        if let Some(sure) = &report.confidence {
            let name = format!("confidence {}", sure.level);
            push(&name, "probability", Some(sure.probability));
            stage_figures(&mut push, &name, &sure.stages);
            push(&name, "budget", sure.budget);
        }
        for persona in &report.personas {
            plan_figures(&mut push, &format!("persona {}", persona.name), &persona.plan);
        }
        if let Some(split) = &report.marketing_sourced {
            push("marketing_sourced", "share", Some(split.share));
            push("marketing_sourced", "band_low", Some(split.band.low()));
            push("marketing_sourced", "band_high", Some(split.band.high()));
            for (name, part) in [("marketing_sourced", &split.marketing), ("other", &split.other)] {
                push(name, "deals", Some(part.deals as f64));
                push(name, "revenue", part.revenue);
                stage_figures(&mut push, name, &part.stages);
            }
        }
        if let Some(monitor) = &report.monitor {
            for persona in std::iter::once(&monitor.total).chain(&monitor.personas) {
                for reading in &persona.readings {
                    push(&format!("monitor {}", persona.name), &reading.metric, reading.value);
                }
            }
        }
        if let Some(bant) = &report.bant {
            bant_figures(&mut push, bant);
        }
        if let Some(days) = &report.business_days {
            business_day_figures(&mut push, "business_days", days);
        }
        for persona in &report.personas {
            if let Some(days) = &persona.plan.business_days {
                business_day_figures(&mut push, &format!("business_days {}", persona.name), days);
            }
        }
        rows
    }
}

fn plan_figures(push: &mut impl FnMut(&str, &str, Option<f64>), name: &str, report: &PlanReport) {
    push(name, "deals", Some(report.deals as f64));
    push(name, "revenue", report.revenue);
    push(name, "close_rate", Some(report.close_rate));
    push(name, "effective_close_rate", Some(report.effective_close_rate));
    stage_figures(push, name, &report.stages);
    push(name, "budget", report.budget);
    push(name, "cost_per_customer", report.cost_per_customer);
    push(name, "roi", report.roi);
    push(name, "neglect_overhead_sqls", Some(report.neglect_overhead.sqls as f64));
}

fn stage_figures(push: &mut impl FnMut(&str, &str, Option<f64>), name: &str, stages: &[StageCount]) {
    for s in stages {
        push(name, s.stage.name(), Some(s.count as f64));
        push(name, &format!("{}_cost", s.stage.name()), s.cost);
    }
}

fn bant_figures(push: &mut impl FnMut(&str, &str, Option<f64>), bant: &LeadScoring) {
    push("bant", "rows", Some(bant.rows as f64));
    push("bant", "scored", Some(bant.scored as f64));
    push("bant", "unscorable", Some(bant.unscorable.len() as f64));
    push("bant", "qualified", Some(bant.qualified as f64));
    push("bant", "nurtured", Some(bant.nurtured as f64));
    for r in &bant.recontacts {
        push(
            "bant",
            &format!("recontact_{}_after_hours", r.round),
            Some(r.after_hours),
        );
        push(
            "bant",
            &format!("recontact_{}_expected_requalified", r.round),
            Some(r.expected_requalified),
        );
    }
    push(
        "bant",
        "expected_qualified_with_nurture",
        Some(bant.expected_qualified_with_nurture),
    );
    if let Some(f) = &bant.funnel {
        push("bant", "expected_customers", Some(f.expected_customers));
        push(
            "bant",
            "expected_customers_with_nurture",
            Some(f.expected_customers_with_nurture),
        );
        push("bant", "sqls_needed", f.sqls_needed.map(|n| n as f64));
        push("bant", "goal_probability", f.goal_probability);
    }
}

fn business_day_figures(push: &mut impl FnMut(&str, &str, Option<f64>), name: &str, days: &BusinessDayPlan) {
    push(name, "business_days", Some(f64::from(days.period.business_days)));
    push(name, "deals_per_business_day", Some(days.deals_per_business_day));
    for s in &days.stages {
        push(
            name,
            &format!("{}_per_business_day", s.stage.name()),
            Some(s.per_business_day),
        );
    }
    if let Some(compare) = &days.compare {
        push(
            name,
            "compare_business_days",
            Some(f64::from(compare.period.business_days)),
        );
        for s in &compare.stages {
            push(
                name,
                &format!("compare_{}_per_business_day", s.stage.name()),
                Some(s.per_business_day),
            );
        }
        push(name, "daily_lift", Some(compare.daily_lift));
    }
}
