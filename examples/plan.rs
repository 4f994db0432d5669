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
//! The JSON output is the `PlanReport` contract: `deals`, `stages` (from SQL
//! upwards), `budget`, `cost_per_customer`, `neglect_overhead`, `confidence`
//! (`null` without `--confidence`) and `warnings`.

use std::collections::BTreeMap;
use std::process::ExitCode;

use clap::{ArgGroup, Parser, ValueEnum};
use lead_decay::plan::{PlanInputs, PlanReport, StageCount};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Table,
    Json,
}

/// Plan a demand waterfall backwards from a goal.
#[derive(Debug, Parser)]
#[command(allow_negative_numbers = true)]
#[command(group(ArgGroup::new("goal").required(true).args(["revenue_goal", "customer_goal"])))]
struct Args {
    /// Revenue to reach (needs --deal-value).
    #[arg(long)]
    revenue_goal: Option<f64>,
    /// New customers to win.
    #[arg(long)]
    customer_goal: Option<f64>,
    /// Average deal value.
    #[arg(long)]
    deal_value: Option<f64>,
    /// SQL -> customer.
    #[arg(long)]
    close_rate: f64,
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
    fn inputs(&self) -> PlanInputs {
        PlanInputs {
            revenue_goal: self.revenue_goal,
            customer_goal: self.customer_goal,
            deal_value: self.deal_value,
            close_rate: Some(self.close_rate),
            mql_to_sql: self.mql_to_sql,
            sal_to_sql: self.sal_to_sql,
            mql_to_sal: self.mql_to_sal,
            inquiry_to_mql: self.inquiry_to_mql,
            visitor_to_inquiry: self.visitor_to_inquiry,
            confidence: self.confidence,
            cost_per_visitor: self.cost_per_visitor,
            cost_per_inquiry: self.cost_per_inquiry,
            cost_per_mql: self.cost_per_mql,
            cost_per_sal: self.cost_per_sal,
            cost_per_sql: self.cost_per_sql,
            fixed_costs: self.fixed_cost.iter().cloned().collect::<BTreeMap<_, _>>(),
            neglected: self.neglected,
            neglected_of: self.neglected_of,
            never_followed_up: self.never_followed_up,
            warm_probability: self.warm_probability,
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let report = match args.inputs().report() {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    match args.format {
        Format::Json => match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(e) => {
                eprintln!("error: could not write JSON: {e}");
                return ExitCode::FAILURE;
            }
        },
        Format::Table => print_table(&report),
    }
    ExitCode::SUCCESS
}

fn print_table(report: &PlanReport) {
    match report.revenue {
        Some(revenue) => println!(
            "Goal: {} deals, revenue {}",
            grouped(report.deals as f64),
            money(revenue)
        ),
        None => println!("Goal: {} deals", grouped(report.deals as f64)),
    }
    println!(
        "Close rate {}, effective {} after neglect and decay",
        percent(report.close_rate),
        percent(report.effective_close_rate)
    );
    println!();
    print_stages("Expected-value plan", &report.stages);
    for fixed in &report.fixed_costs {
        println!("  {:<26}{:>34}", format!("fixed: {}", fixed.name), money(fixed.amount));
    }
    println!("  {:<26}{:>34}", "budget", opt_money(report.budget));
    println!(
        "  {:<26}{:>34}",
        "cost per customer",
        opt_money(report.cost_per_customer)
    );
    println!(
        "  {:<26}{:>34}",
        "ROI",
        report.roi.map_or_else(|| "-".to_owned(), percent)
    );
    println!();
    let overhead = &report.neglect_overhead;
    let extra: Vec<String> = overhead
        .stages
        .iter()
        .map(|s| format!("+{} {}", grouped(s.count as f64), s.stage.label()))
        .collect();
    if overhead.sqls == 0 {
        println!("Neglect overhead: none");
    } else {
        println!(
            "Neglect overhead: {}; budget {}",
            extra.join(", "),
            overhead
                .budget
                .map_or_else(|| "-".to_owned(), |b| format!("+{}", money(b)))
        );
    }
    if let Some(sure) = &report.confidence {
        println!();
        print_stages(
            &format!(
                "Plan for {} confidence (P(goal) = {})",
                percent(sure.level),
                percent(sure.probability)
            ),
            &sure.stages,
        );
        println!("  {:<26}{:>34}", "budget", opt_money(sure.budget));
    }
    if !report.warnings.is_empty() {
        println!();
        println!("Warnings:");
        for warning in &report.warnings {
            println!("  - {warning}");
        }
    }
}

fn print_stages(title: &str, stages: &[StageCount]) {
    println!("{title}");
    println!("  {:<8}{:>18}{:>16}{:>18}", "stage", "count", "cost/unit", "cost");
    for s in stages {
        println!(
            "  {:<8}{:>18}{:>16}{:>18}",
            s.stage.label(),
            grouped(s.count as f64),
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
    if x.abs() < 100.0 && x.fract() != 0.0 {
        format!("{x:.2}")
    } else {
        grouped(x)
    }
}

/// `1234567.4` as `"1,234,567"`.
fn grouped(x: f64) -> String {
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if x < 0.0 && digits != "0" {
        format!("-{out}")
    } else {
        out
    }
}
