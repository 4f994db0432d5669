//! How many visitors, inquiries, MQLs, SALs and SQLs does a revenue (or
//! customer) goal take, what budget, and how much more once neglected and
//! cold SQLs and plain chance are accounted for?
//!
//! ```text
//! cargo run --release --example plan -- --revenue-goal 20000000 --deal-value 50000 \
//!     --close-rate 0.25 --mql-to-sql 0.2 --confidence 0.9
//! cargo run --release --example plan -- --customer-goal 10 --close-rate 0.25 \
//!     --neglected 5 --neglected-of 40 --format json
//! ```
//!
//! With `--scenario FILE` the inputs come from the file's `[plan]` section,
//! completed from the rest of the scenario (its customer goal and, with one
//! segment, its close rate, deal value, neglect and decay: see
//! `Analysis::plan_inputs`); flags given on the command line win.
//!
//! The JSON output is the `PlanReport` contract: `deals`, `stages` (from SQL
//! upwards), `budget`, `cost_per_customer`, `neglect_overhead`, `confidence`
//! (`null` without `--confidence`) and `warnings`.
//!
//! `--chart FILE.png|FILE.svg` also draws the demand waterfall: every stage
//! with every SQL worked at once, as planned, and at the confidence asked for.

#[path = "common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgGroup, Parser, ValueEnum};
use lead_decay::Analysis;
use lead_decay::Stage;
use lead_decay::plan::{PlanInputs, PlanReport, StageCount};

use common::grouped;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Table,
    Json,
}

/// Plan a demand waterfall backwards from a goal.
#[derive(Debug, Parser)]
#[command(allow_negative_numbers = true)]
#[command(group(ArgGroup::new("goal").args(["revenue_goal", "customer_goal"])))]
struct Args {
    /// Scenario file whose `[plan]` section (and segment) supplies the inputs; flags override it.
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// Revenue to reach (needs --deal-value).
    #[arg(long)]
    revenue_goal: Option<f64>,
    /// New customers to win.
    #[arg(long)]
    customer_goal: Option<f64>,
    /// Average deal value.
    #[arg(long)]
    deal_value: Option<f64>,
    /// SQL -> customer (required unless the scenario gives it).
    #[arg(long)]
    close_rate: Option<f64>,
    /// MQL -> SQL (when there is no SAL stage).
    #[arg(long)]
    mql_to_sql: Option<f64>,
    /// SAL -> SQL.
    #[arg(long)]
    sal_to_sql: Option<f64>,
    /// MQL -> SAL (with --sal-to-sql).
    #[arg(long)]
    mql_to_sal: Option<f64>,
    /// Inquiry -> MQL.
    #[arg(long)]
    inquiry_to_mql: Option<f64>,
    /// Visitor -> inquiry.
    #[arg(long)]
    visitor_to_inquiry: Option<f64>,
    /// Also plan the SQLs that reach the goal with this probability.
    #[arg(long)]
    confidence: Option<f64>,
    /// Cost of one visitor.
    #[arg(long)]
    cost_per_visitor: Option<f64>,
    /// Cost of one inquiry.
    #[arg(long)]
    cost_per_inquiry: Option<f64>,
    /// Cost of one MQL.
    #[arg(long)]
    cost_per_mql: Option<f64>,
    /// Cost of one SAL.
    #[arg(long)]
    cost_per_sal: Option<f64>,
    /// Cost of one SQL.
    #[arg(long)]
    cost_per_sql: Option<f64>,
    /// A fixed cost, NAME=AMOUNT (repeatable): staff, technology, agency, ...
    #[arg(long, value_parser = parse_fixed_cost)]
    fixed_cost: Vec<(String, f64)>,
    /// SQLs never followed up, out of every --neglected-of.
    #[arg(long)]
    neglected: Option<u64>,
    /// The cohort --neglected counts in ("5 of every 40").
    #[arg(long)]
    neglected_of: Option<u64>,
    /// Probability that each SQL is never followed up.
    #[arg(long)]
    never_followed_up: Option<f64>,
    /// E[f(D)]: the chance a worked SQL is still warm (default 1).
    #[arg(long)]
    warm_probability: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Also draw the demand waterfall to this file (.png or .svg).
    #[arg(long, value_name = "FILE.png|FILE.svg")]
    chart: Option<PathBuf>,
}

fn parse_fixed_cost(text: &str) -> Result<(String, f64), String> {
    let (name, amount) = text
        .split_once('=')
        .ok_or_else(|| format!("expected NAME=AMOUNT, got {text:?}"))?;
    let amount = amount
        .trim()
        .parse::<f64>()
        .map_err(|_| format!("expected a number after '=', got {amount:?}"))?;
    Ok((name.trim().to_owned(), amount))
}

impl Args {
    /// The scenario's inputs (if any) with every flag given applied on top.
    fn inputs(&self) -> Result<PlanInputs, String> {
        let mut inputs = match &self.scenario {
            Some(path) => Analysis::load(path).map_err(|e| e.to_string())?.plan_inputs(),
            None => PlanInputs::default(),
        };
        if self.revenue_goal.is_some() || self.customer_goal.is_some() {
            inputs.revenue_goal = self.revenue_goal;
            inputs.customer_goal = self.customer_goal;
        }
        if self.neglected.is_some() || self.never_followed_up.is_some() {
            inputs.neglected = self.neglected;
            inputs.neglected_of = self.neglected_of;
            inputs.never_followed_up = self.never_followed_up;
        }
        let overrides = [
            (&mut inputs.deal_value, self.deal_value),
            (&mut inputs.close_rate, self.close_rate),
            (&mut inputs.mql_to_sql, self.mql_to_sql),
            (&mut inputs.sal_to_sql, self.sal_to_sql),
            (&mut inputs.mql_to_sal, self.mql_to_sal),
            (&mut inputs.inquiry_to_mql, self.inquiry_to_mql),
            (&mut inputs.visitor_to_inquiry, self.visitor_to_inquiry),
            (&mut inputs.confidence, self.confidence),
            (&mut inputs.cost_per_visitor, self.cost_per_visitor),
            (&mut inputs.cost_per_inquiry, self.cost_per_inquiry),
            (&mut inputs.cost_per_mql, self.cost_per_mql),
            (&mut inputs.cost_per_sal, self.cost_per_sal),
            (&mut inputs.cost_per_sql, self.cost_per_sql),
            (&mut inputs.warm_probability, self.warm_probability),
        ];
        for (field, flag) in overrides {
            if flag.is_some() {
                *field = flag;
            }
        }
        inputs.fixed_costs.extend(self.fixed_cost.iter().cloned());
        Ok(inputs)
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(Err(e)) = args.chart.as_deref().map(common::charts::ChartFormat::of) {
        return common::fail(e);
    }
    let report = match args
        .inputs()
        .and_then(|inputs| inputs.report().map_err(|e| e.to_string()))
    {
        Ok(report) => report,
        Err(e) => return common::fail(e),
    };
    match args.format {
        Format::Json => match serde_json::to_string_pretty(&report) {
            Ok(json) => outln!("{json}"),
            Err(e) => {
                eprintln!("error: could not write JSON: {e}");
                return ExitCode::FAILURE;
            }
        },
        Format::Table => print_table(&report),
    }
    if let Some(path) = &args.chart
        && let Err(e) = common::charts::save(path, &funnel_chart(&report))
    {
        return common::fail(e);
    }
    ExitCode::SUCCESS
}

/// The waterfall: customers and every stage, without neglect, as planned,
/// and at the confidence asked for.
fn funnel_chart(report: &PlanReport) -> common::charts::FunnelChart {
    let top_down: Vec<&StageCount> = report.stages.iter().rev().collect();
    let mut stages: Vec<String> = top_down
        .iter()
        .map(|s| match s.stage {
            Stage::Visitor => "visitors".to_owned(),
            Stage::Inquiry => "inquiries".to_owned(),
            other => format!("{}s", other.name().to_uppercase()),
        })
        .collect();
    stages.push("customers".to_owned());
    let with_deals = |counts: Vec<f64>, deals: f64| {
        let mut counts = counts;
        counts.push(deals);
        counts
    };
    let planned: Vec<f64> = top_down.iter().map(|s| s.count as f64).collect();
    let without: Vec<f64> = top_down
        .iter()
        .map(|s| (s.count - report.neglect_overhead.count(s.stage).unwrap_or(0).min(s.count)) as f64)
        .collect();
    let mut series = vec![
        (
            "every SQL worked at once".to_owned(),
            with_deals(without, report.deals as f64),
        ),
        (
            "planned, with neglect and decay".to_owned(),
            with_deals(planned, report.deals as f64),
        ),
    ];
    if let Some(confidence) = &report.confidence {
        let counts: Vec<f64> = top_down
            .iter()
            .map(|s| {
                confidence
                    .stages
                    .iter()
                    .find(|c| c.stage == s.stage)
                    .map_or(0.0, |c| c.count as f64)
            })
            .collect();
        series.push((
            format!("{} confidence of the goal", percent(confidence.level)),
            with_deals(counts, report.deals as f64),
        ));
    }
    common::charts::FunnelChart {
        title: format!("demand waterfall for {} customers", grouped(report.deals as f64, 0)),
        stages,
        series,
    }
}

fn print_table(report: &PlanReport) {
    match report.revenue {
        Some(revenue) => outln!(
            "Goal: {} deals, revenue {}",
            grouped(report.deals as f64, 0),
            money(revenue)
        ),
        None => outln!("Goal: {} deals", grouped(report.deals as f64, 0)),
    }
    outln!(
        "Close rate {}, effective {} after neglect and decay",
        percent(report.close_rate),
        percent(report.effective_close_rate)
    );
    outln!();
    print_stages("Expected-value plan", &report.stages);
    for fixed in &report.fixed_costs {
        outln!("  {:<26}{:>34}", format!("fixed: {}", fixed.name), money(fixed.amount));
    }
    outln!("  {:<26}{:>34}", "budget", opt_money(report.budget));
    outln!(
        "  {:<26}{:>34}",
        "cost per customer",
        opt_money(report.cost_per_customer)
    );
    outln!(
        "  {:<26}{:>34}",
        "ROI",
        report.roi.map_or_else(|| "-".to_owned(), percent)
    );
    outln!();
    let overhead = &report.neglect_overhead;
    let extra: Vec<String> = overhead
        .stages
        .iter()
        .map(|s| format!("+{} {}", grouped(s.count as f64, 0), s.stage.label()))
        .collect();
    if overhead.sqls == 0 {
        outln!("Neglect overhead: none");
    } else {
        outln!(
            "Neglect overhead: {}; budget {}",
            extra.join(", "),
            overhead
                .budget
                .map_or_else(|| "-".to_owned(), |b| format!("+{}", money(b)))
        );
    }
    if let Some(sure) = &report.confidence {
        outln!();
        print_stages(
            &format!(
                "Plan for {} confidence (P(goal) = {})",
                percent(sure.level),
                percent(sure.probability)
            ),
            &sure.stages,
        );
        outln!("  {:<26}{:>34}", "budget", opt_money(sure.budget));
    }
    if !report.warnings.is_empty() {
        outln!();
        outln!("Warnings:");
        for warning in &report.warnings {
            outln!("  - {warning}");
        }
    }
}

fn print_stages(title: &str, stages: &[StageCount]) {
    outln!("{title}");
    outln!("  {:<8}{:>18}{:>16}{:>18}", "stage", "count", "cost/unit", "cost");
    for s in stages {
        outln!(
            "  {:<8}{:>18}{:>16}{:>18}",
            s.stage.label(),
            grouped(s.count as f64, 0),
            opt_money(s.cost_per_unit),
            opt_money(s.cost)
        );
    }
}

fn percent(x: f64) -> String {
    format!("{:.2} %", 100.0 * x)
}

fn opt_money(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_owned(), money)
}

/// Whole amounts with thousands separators; small amounts keep cents.
fn money(x: f64) -> String {
    let decimals = if x.abs() < 100.0 && x.fract() != 0.0 { 2 } else { 0 };
    grouped(x, decimals)
}
