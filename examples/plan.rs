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
//! with every SQL worked at once, as planned, and at the confidence asked for
//! (with personas: each persona and the total; with a marketing-sourced
//! share: marketing's part; with a period: the total per business day).
//! With observed persona counts, a monitor below it shows each banded rate
//! (the marketing-sourced share, lead-to-customer) of the total and each
//! persona as a point against its benchmark band.
//!
//! Personas, the marketing-sourced share and BANT scoring:
//!
//! ```text
//! plan --close-rate 0.25 --mql-to-sql 0.2 --sales-model field-with-inside-support \
//!     --persona smb:customer_goal=30,deal_value=20000,observed.mql=900,observed.customers=41,observed.marketing_sourced_customers=14 \
//!     --persona enterprise:revenue_goal=2000000,deal_value=250000,mql_to_sql=0.1 \
//!     --marketing-sourced-share 0.3
//! plan bant --input leads.csv --weights 20,30,30,20 --threshold 75 \
//!     --requalification-chance 0.2 --recontact-after 3w --rounds 2 \
//!     --close-rate 0.25 --customer-goal 10
//! ```
//!
//! Business days: the goal's period as a month or a date range, with the
//! team's holidays and working week, gives the plan per business day (for
//! each persona and the total); a comparison month gives the daily lift needed to hold the same total when
//! the period has fewer business days (20 against 23: +15 % a day). With
//! `--scenario`, the file's `[calendar]` is the team's week: its working
//! days count unless `--working-days` (or `[plan.business_days]
//! working_days`) says otherwise, and its holidays count beside any given:
//!
//! ```text
//! plan --revenue-goal 20000000 --deal-value 50000 --close-rate 0.25 --mql-to-sql 0.2 \
//!     --month 2021-02 --holidays 2021-02-15 --working-days mon-fri --compare-month 2021-03
//! plan ... --from 2021-02-01 --to 2021-02-28
//! ```
//!
//! `--format csv` writes one `plan,metric,value` row per figure (for `plan
//! bant`: one row per lead, unscorable rows with their reason). In a
//! scenario file the same inputs are `marketing_sourced_share`,
//! `sales_model`, `[[plan.personas]]`, `[plan.bant]` and
//! `[plan.business_days]` (see `lead_decay::plan::PersonaInputs`,
//! `BantInputs` and `BusinessDaysInputs`).

#[path = "common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgGroup, Parser, Subcommand, ValueEnum};
use lead_decay::plan::{
    BantInputs, BantWeightInputs, BusinessDayPlan, BusinessDaysInputs, LeadScoring, MonitorReport, PersonaInputs,
    PlanInputs, PlanReport, SalesModel, StageCount,
};
use lead_decay::{Analysis, Hours, Stage};

use common::grouped;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
}

/// How the sales team works (sets the marketing-sourced benchmark band).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SalesModelArg {
    /// Field sales with inside support: 20-40 % marketing-sourced.
    FieldWithInsideSupport,
    /// Inside sales with lead-focused marketing: 40-80 %.
    InsideWithLeadFocusedMarketing,
}

impl From<SalesModelArg> for SalesModel {
    fn from(arg: SalesModelArg) -> SalesModel {
        match arg {
            SalesModelArg::FieldWithInsideSupport => SalesModel::FieldWithInsideSupport,
            SalesModelArg::InsideWithLeadFocusedMarketing => SalesModel::InsideWithLeadFocusedMarketing,
        }
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Score a lead list on BANT: who qualifies, who goes to nurture and
    /// when they are recontacted, and what the qualified leads bring the
    /// funnel (with --close-rate, and a goal).
    Bant {
        /// CSV with Budget, Authority, Need and Timeline columns (yes/no,
        /// partial, a number in [0, 1] or a percentage), and optionally id.
        #[arg(long, value_name = "FILE.csv")]
        input: Option<PathBuf>,
        /// Points for budget, authority, need and timeline (default 25,25,25,25).
        #[arg(long, value_name = "B,A,N,T", value_parser = parse_weights)]
        weights: Option<BantWeightInputs>,
        /// Points needed to qualify (default 75).
        #[arg(long)]
        threshold: Option<f64>,
        /// Chance that a nurtured lead qualifies at a recontact.
        #[arg(long)]
        requalification_chance: Option<f64>,
        /// Time between recontacts of a nurtured lead (default 3w).
        #[arg(long)]
        recontact_after: Option<Hours>,
        /// Recontacts per nurtured lead (default 1).
        #[arg(long)]
        rounds: Option<u32>,
    },
}

/// Plan a demand waterfall backwards from a goal (per persona with --persona, split by
/// --marketing-sourced-share, per business day with --month); `plan bant` scores a lead
/// list on BANT.
#[derive(Debug, Parser)]
#[command(allow_negative_numbers = true)]
#[command(group(ArgGroup::new("goal").args(["revenue_goal", "customer_goal"])))]
#[command(args_override_self = true)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// Scenario file whose `[plan]` section (and segment) supplies the inputs; flags override it.
    #[arg(long, global = true)]
    scenario: Option<PathBuf>,
    /// Revenue to reach (needs --deal-value).
    #[arg(long, global = true)]
    revenue_goal: Option<f64>,
    /// New customers to win (a whole number).
    #[arg(long, global = true, value_parser = parse_customers)]
    customer_goal: Option<u64>,
    /// Average deal value.
    #[arg(long, global = true)]
    deal_value: Option<f64>,
    /// SQL -> customer (required unless the scenario gives it).
    #[arg(long, global = true)]
    close_rate: Option<f64>,
    /// MQL -> SQL (when there is no SAL stage).
    #[arg(long, global = true)]
    mql_to_sql: Option<f64>,
    /// SAL -> SQL.
    #[arg(long, global = true)]
    sal_to_sql: Option<f64>,
    /// MQL -> SAL (with --sal-to-sql).
    #[arg(long, global = true)]
    mql_to_sal: Option<f64>,
    /// Inquiry -> MQL.
    #[arg(long, global = true)]
    inquiry_to_mql: Option<f64>,
    /// Visitor -> inquiry.
    #[arg(long, global = true)]
    visitor_to_inquiry: Option<f64>,
    /// Also plan the SQLs that reach the goal with this probability.
    #[arg(long, global = true)]
    confidence: Option<f64>,
    /// Cost of one visitor.
    #[arg(long, global = true)]
    cost_per_visitor: Option<f64>,
    /// Cost of one inquiry.
    #[arg(long, global = true)]
    cost_per_inquiry: Option<f64>,
    /// Cost of one MQL.
    #[arg(long, global = true)]
    cost_per_mql: Option<f64>,
    /// Cost of one SAL.
    #[arg(long, global = true)]
    cost_per_sal: Option<f64>,
    /// Cost of one SQL.
    #[arg(long, global = true)]
    cost_per_sql: Option<f64>,
    /// A fixed cost, NAME=AMOUNT (repeatable): staff, technology, agency, ...
    #[arg(long, global = true, value_parser = parse_fixed_cost)]
    fixed_cost: Vec<(String, f64)>,
    /// SQLs never followed up, out of every --neglected-of.
    #[arg(long, global = true)]
    neglected: Option<u64>,
    /// The cohort --neglected counts in ("5 of every 40").
    #[arg(long, global = true)]
    neglected_of: Option<u64>,
    /// Probability that each SQL is never followed up.
    #[arg(long, global = true)]
    never_followed_up: Option<f64>,
    /// E[f(D)]: the chance a worked SQL is still warm (default 1).
    #[arg(long, global = true)]
    warm_probability: Option<f64>,
    /// Share of the planned deals marketing sources: splits the plan and
    /// checks the share against the band of --sales-model.
    #[arg(long, global = true)]
    marketing_sourced_share: Option<f64>,
    /// How the sales team works (sets the marketing-sourced band).
    #[arg(long, global = true, value_enum)]
    sales_model: Option<SalesModelArg>,
    /// A persona, NAME:key=value,... with its own goal, rates and deal value
    /// (customer_goal, revenue_goal, deal_value, close_rate, mql_to_sql, ...,
    /// marketing_sourced_share, and observed.mql=..., observed.customers=...,
    /// observed.marketing_sourced_customers=... for its monitor); repeatable.
    /// Rates it leaves out are the flags'; the report is their total.
    #[arg(long, global = true, value_name = "NAME:KEY=VALUE,...", value_parser = parse_persona)]
    persona: Vec<PersonaInputs>,
    /// The month the goal is for, YYYY-MM: adds the plan per business day
    /// of that month, for each persona and the total ([plan.business_days]
    /// month).
    #[arg(long, value_name = "YYYY-MM", conflicts_with_all = ["from", "to"])]
    month: Option<String>,
    /// The first date of the goal's period, YYYY-MM-DD (with --to), instead of --month.
    #[arg(long, value_name = "YYYY-MM-DD")]
    from: Option<String>,
    /// The last date of the goal's period, YYYY-MM-DD, included (with --from).
    #[arg(long, value_name = "YYYY-MM-DD")]
    to: Option<String>,
    /// Holidays, YYYY-MM-DD,...: days off that are not business days (a
    /// list for the whole year is fine), beside the holidays of the
    /// scenario's [calendar].
    #[arg(long, value_name = "DATE,...", value_delimiter = ',')]
    holidays: Vec<String>,
    /// Working days: names or ranges, e.g. mon-fri or mon-fri,sat (default:
    /// the scenario's [calendar] working days, else mon-fri).
    #[arg(long, value_name = "DAYS", value_delimiter = ',')]
    working_days: Vec<String>,
    /// A month to compare with, YYYY-MM: the plan per business day in it and
    /// the daily lift the goal's period needs to hold the same total.
    #[arg(long, value_name = "YYYY-MM")]
    compare_month: Option<String>,
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Also draw the demand waterfall to this file (.png or .svg).
    #[arg(long, global = true, value_name = "FILE.png|FILE.svg")]
    chart: Option<PathBuf>,
    /// Also write a one-file HTML report (the plan in one sentence, key
    /// figures, the waterfall, every input and its source).
    #[arg(long, value_name = "FILE.html")]
    report: Option<PathBuf>,
}

/// `--customer-goal`: a whole number of customers, written as an integer or
/// as a whole decimal (`30`, `30.0`, `3e1`).
fn parse_customers(text: &str) -> Result<u64, String> {
    let text = text.trim();
    if let Ok(n) = text.parse::<u64>() {
        return Ok(n);
    }
    match text.parse::<f64>() {
        // Whole and below 2^53: the conversion is exact.
        Ok(x) if x >= 0.0 && x.fract() == 0.0 && x <= 9.0e15 => Ok(x as u64),
        _ => Err(format!("expected a whole number of customers >= 1, got {text}")),
    }
}

fn parse_persona(text: &str) -> Result<PersonaInputs, String> {
    PersonaInputs::parse(text).map_err(|e| e.to_string())
}

fn parse_weights(text: &str) -> Result<BantWeightInputs, String> {
    let points: Vec<f64> = text
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("expected four numbers B,A,N,T, got {text:?}"))?;
    match points[..] {
        [budget, authority, need, timeline] => Ok(BantWeightInputs {
            budget,
            authority,
            need,
            timeline,
        }),
        _ => Err(format!("expected four numbers B,A,N,T, got {text:?}")),
    }
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
            Some(path) => {
                let mut inputs = Analysis::load(path).map_err(|e| e.to_string())?.plan_inputs();
                // A lead list is named relative to the scenario file.
                if let Some(input) = inputs.bant.as_mut().and_then(|b| b.input.as_mut())
                    && input.is_relative()
                {
                    *input = path.parent().unwrap_or(std::path::Path::new("")).join(&*input);
                }
                inputs
            }
            None => PlanInputs::default(),
        };
        if !self.persona.is_empty() {
            inputs.personas = self.persona.clone();
        }
        if let Some(share) = self.marketing_sourced_share {
            inputs.marketing_sourced_share = Some(share);
        }
        if let Some(model) = self.sales_model {
            inputs.sales_model = Some(model.into());
        }
        if let Some(Command::Bant {
            input,
            weights,
            threshold,
            requalification_chance,
            recontact_after,
            rounds,
        }) = &self.command
        {
            let bant = inputs.bant.get_or_insert_with(BantInputs::default);
            bant.input = input.clone().or(bant.input.take());
            bant.weights = weights.or(bant.weights);
            bant.threshold = threshold.or(bant.threshold);
            bant.requalification_chance = requalification_chance.or(bant.requalification_chance);
            bant.recontact_after = recontact_after.or(bant.recontact_after);
            bant.rounds = rounds.or(bant.rounds);
            if bant.input.is_none() {
                return Err("plan bant: give the lead list with --input FILE.csv (or input in [plan.bant])".into());
            }
        }
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
        self.apply_business_days(&mut inputs);
        Ok(inputs)
    }

    /// The business-day flags on top of the scenario's `[plan.business_days]`.
    fn apply_business_days(&self, inputs: &mut PlanInputs) {
        let given = self.month.is_some()
            || self.from.is_some()
            || self.to.is_some()
            || !self.holidays.is_empty()
            || !self.working_days.is_empty()
            || self.compare_month.is_some();
        if !given {
            return;
        }
        let days = inputs.business_days.get_or_insert_with(BusinessDaysInputs::default);
        if self.month.is_some() {
            days.month = self.month.clone();
            (days.from, days.to) = (None, None);
        }
        if self.from.is_some() || self.to.is_some() {
            (days.from, days.to) = (self.from.clone(), self.to.clone());
            days.month = None;
        }
        if !self.holidays.is_empty() {
            days.holidays = self.holidays.clone();
        }
        if !self.working_days.is_empty() {
            days.working_days = Some(self.working_days.clone());
        }
        if self.compare_month.is_some() {
            days.compare_month = self.compare_month.clone();
        }
    }

    /// The flag that set a `business_days.*` field, when it was given.
    fn business_days_flag(&self, field: &str) -> Option<&'static str> {
        let key = field.strip_prefix("business_days.")?;
        let key = key.split('[').next().unwrap_or(key);
        [
            ("month", "--month", self.month.is_some()),
            ("from", "--from", self.from.is_some()),
            ("to", "--to", self.to.is_some()),
            ("holidays", "--holidays", !self.holidays.is_empty()),
            ("working_days", "--working-days", !self.working_days.is_empty()),
            ("compare_month", "--compare-month", self.compare_month.is_some()),
        ]
        .into_iter()
        .find(|&(k, _, given)| k == key && given)
        .map(|(_, flag, _)| flag)
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(Err(e)) = args.chart.as_deref().map(common::charts::ChartFormat::of) {
        return common::fail(e);
    }
    if let Some(Err(e)) = args.report.as_deref().map(common::html::check_path) {
        return common::fail(e);
    }
    let inputs = match args.inputs() {
        Ok(inputs) => inputs,
        Err(e) => return common::fail(e),
    };
    let result = match args.command {
        Some(Command::Bant { .. }) => run_bant(&args, &inputs),
        None => run_plan(&args, &inputs),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => common::fail(e),
    }
}

fn run_plan(args: &Args, inputs: &PlanInputs) -> Result<(), String> {
    let report = inputs
        .report()
        .map_err(|e| match e.field().and_then(|f| args.business_days_flag(f)) {
            Some(flag) => format!("{e} (flag {flag})"),
            None => e.to_string(),
        })?;
    match args.format {
        Format::Json => outln!("{}", to_json(&report)?),
        Format::Csv => write_csv(&plan_rows(&report))?,
        Format::Table => print_table(&report),
    }
    if let Some(path) = &args.chart {
        common::charts::save(path, &plan_chart(&report))?;
    }
    match &args.report {
        Some(path) => write_report(path, args, inputs, &report),
        None => Ok(()),
    }
}

/// The plan in one sentence: what the goal takes, at the top of the
/// funnel and in SQLs, and what neglect and chance add.
fn plan_verdict(report: &PlanReport) -> String {
    let sqls = report.stages.first().map_or(0, |s| s.count);
    let mut text = format!(
        "{} customers{} take {} SQLs on average",
        grouped(report.deals as f64, 0),
        report
            .revenue
            .map_or_else(String::new, |r| format!(" ({} in revenue)", money(r))),
        grouped(sqls as f64, 0)
    );
    if report.neglect_overhead.sqls > 0 {
        text.push_str(&format!(
            ", {} of them to make up for neglect and decay",
            grouped(report.neglect_overhead.sqls as f64, 0)
        ));
    }
    if let Some(top) = report.stages.last().filter(|s| s.stage != Stage::Sql) {
        text.push_str(&format!(
            ", and {} {}",
            grouped(top.count as f64, 0),
            stage_name(top.stage)
        ));
    }
    if let Some(budget) = report.budget {
        text.push_str(&format!(", for a budget of {}", money(budget)));
    }
    if let Some(sure) = &report.confidence {
        text.push_str(&format!(
            "; to reach the goal with {} confidence, {} SQLs (the average plan reaches it {} of the time)",
            percent(sure.level),
            grouped(sure.sqls as f64, 0),
            percent(sure.expected_plan_probability)
        ));
    }
    text.push('.');
    text
}

/// A persona's own inputs as `--persona` writes them:
/// `customer_goal=30, deal_value=20000, observed.mql=900`.
fn persona_spec(persona: &PersonaInputs) -> String {
    use serde_json::Value;
    // 20000, not serde_json's 20000.0.
    let number = |v: &Value| match v.as_f64() {
        Some(x) if v.is_f64() => x.to_string(),
        _ => v.to_string(),
    };
    let mut pairs = Vec::new();
    if let Ok(Value::Object(map)) = serde_json::to_value(persona) {
        for (key, value) in map.iter().filter(|(k, _)| *k != "name") {
            match value {
                Value::Object(observed) => {
                    pairs.extend(observed.iter().map(|(k, v)| format!("{key}.{k}={}", number(v))));
                }
                value => pairs.push(format!("{key}={}", number(value))),
            }
        }
    }
    pairs.join(", ")
}

/// A stage's name as the waterfall writes it: `MQLs`, `visitors`.
fn stage_name(stage: Stage) -> String {
    match stage {
        Stage::Visitor => "visitors".to_owned(),
        Stage::Inquiry => "inquiries".to_owned(),
        other => format!("{}s", other.name().to_uppercase()),
    }
}

/// `plan --report FILE.html`: the plan as a page for a sales director.
fn write_report(path: &std::path::Path, args: &Args, inputs: &PlanInputs, report: &PlanReport) -> Result<(), String> {
    use common::html::{Assumption, Figure, Page, Reproducibility};
    let mut page = Page::new(
        "lead-decay · the demand a goal takes",
        &format!("Demand plan for {} customers", grouped(report.deals as f64, 0)),
        &plan_verdict(report),
    );
    let sqls = report.stages.first().map_or(0, |s| s.count);
    let mut figures = vec![
        Figure::new(
            "customers to win",
            grouped(report.deals as f64, 0),
            report
                .revenue
                .map_or_else(|| "the customer goal".to_owned(), |r| format!("revenue {}", money(r))),
        ),
        Figure::new(
            "SQLs needed",
            grouped(sqls as f64, 0),
            format!(
                "close rate {}, {} after neglect and decay",
                percent(report.close_rate),
                percent(report.effective_close_rate)
            ),
        ),
    ];
    if let Some(top) = report.stages.last().filter(|s| s.stage != Stage::Sql) {
        figures.push(Figure::new(
            format!("{} needed", stage_name(top.stage)),
            grouped(top.count as f64, 0),
            "the top of the funnel",
        ));
    }
    figures.push(Figure::new(
        "neglect and decay",
        format!("+{} SQLs", grouped(report.neglect_overhead.sqls as f64, 0)),
        report.neglect_overhead.budget.map_or_else(
            || "extra SQLs the plan needs".to_owned(),
            |b| format!("+{} budget", money(b)),
        ),
    ));
    if let Some(budget) = report.budget {
        figures.push(Figure::new(
            "budget",
            money(budget),
            report
                .cost_per_customer
                .map_or_else(String::new, |c| format!("{} per customer", money(c))),
        ));
    }
    if let Some(sure) = &report.confidence {
        figures.push(Figure::new(
            format!("SQLs for {} confidence", percent(sure.level)),
            grouped(sure.sqls as f64, 0),
            format!(
                "the average plan reaches the goal {} of the time",
                percent(sure.expected_plan_probability)
            ),
        ));
    }
    page.heading("Key figures").figures(&figures);
    page.heading("The demand waterfall");
    let chart = plan_chart(report);
    let (w, h) = common::charts::Chart::size(&chart);
    let mut caption =
        "The units every stage needs for the goal: with every SQL worked at once, as planned with neglect and \
         decay, and (when asked for) with the confidence of reaching the goal, each persona's plan, marketing's \
         part and the total per business day. Each bar carries its number."
            .to_owned();
    if chart.monitor.is_some() {
        caption.push_str(
            " Below, the monitor: each observed rate (a point, red outside its band) against its benchmark band \
             (shaded), for the total and each persona.",
        );
    }
    page.chart_at(&chart, (960, h * 960 / w), &caption)?;
    page.heading("Stages");
    let mut rows: Vec<Vec<String>> = report
        .stages
        .iter()
        .map(|s| {
            vec![
                stage_name(s.stage),
                grouped(s.count as f64, 0),
                opt_money(s.cost_per_unit),
                opt_money(s.cost),
            ]
        })
        .collect();
    if let Some(sure) = &report.confidence {
        rows.extend(sure.stages.iter().map(|s| {
            vec![
                format!("{} for {} confidence", stage_name(s.stage), percent(sure.level)),
                grouped(s.count as f64, 0),
                opt_money(s.cost_per_unit),
                opt_money(s.cost),
            ]
        }));
    }
    page.table(&["stage", "count", "cost per unit", "cost"], &rows);
    if let Some(days) = &report.business_days {
        page.heading(&format!("Per business day of {}", days.period.label));
        page.note(&business_days_note(days));
        let (header, rows) = business_day_table(report, days);
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        page.table(&header, &rows);
    }
    for warning in &report.warnings {
        page.note(&format!("Note: {warning}."));
    }
    // Every input, and who set it: a flag, the scenario file, or nobody.
    let file = args.scenario.as_ref().map(|p| {
        p.file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    });
    let source = |flag: &str, given: bool| {
        if given {
            format!("command line (--{flag})")
        } else {
            match &file {
                Some(name) => format!("{name}: [plan] or its segment"),
                None => "default".to_owned(),
            }
        }
    };
    let share = |x: f64| percent(x);
    let mut table = Vec::new();
    let mut add = |label: &str, value: Option<String>, unit: &str, flag: &str, given: bool| {
        if let Some(value) = value {
            table.push(Assumption::new(label, value, unit, source(flag, given)));
        }
    };
    add(
        "revenue goal",
        inputs.revenue_goal.map(money),
        "money",
        "revenue-goal",
        args.revenue_goal.is_some(),
    );
    add(
        "customer goal",
        inputs.customer_goal.map(|g| grouped(g as f64, 0)),
        "customers",
        "customer-goal",
        args.customer_goal.is_some(),
    );
    add(
        "deal value",
        inputs.deal_value.map(money),
        "money per deal",
        "deal-value",
        args.deal_value.is_some(),
    );
    add(
        "close rate",
        inputs.close_rate.map(share),
        "SQL to customer",
        "close-rate",
        args.close_rate.is_some(),
    );
    add(
        "SAL to SQL",
        inputs.sal_to_sql.map(share),
        "conversion",
        "sal-to-sql",
        args.sal_to_sql.is_some(),
    );
    add(
        "MQL to SAL",
        inputs.mql_to_sal.map(share),
        "conversion",
        "mql-to-sal",
        args.mql_to_sal.is_some(),
    );
    add(
        "MQL to SQL",
        inputs.mql_to_sql.map(share),
        "conversion",
        "mql-to-sql",
        args.mql_to_sql.is_some(),
    );
    add(
        "inquiry to MQL",
        inputs.inquiry_to_mql.map(share),
        "conversion",
        "inquiry-to-mql",
        args.inquiry_to_mql.is_some(),
    );
    add(
        "visitor to inquiry",
        inputs.visitor_to_inquiry.map(share),
        "conversion",
        "visitor-to-inquiry",
        args.visitor_to_inquiry.is_some(),
    );
    add(
        "SQLs never followed up",
        inputs.neglected.map(|k| match inputs.neglected_of {
            Some(of) => format!("{k} of every {of}"),
            None => k.to_string(),
        }),
        "SQLs",
        "neglected",
        args.neglected.is_some(),
    );
    add(
        "never followed up",
        inputs.never_followed_up.map(share),
        "of SQLs",
        "never-followed-up",
        args.never_followed_up.is_some(),
    );
    add(
        "still warm when worked",
        inputs.warm_probability.map(share),
        "of worked SQLs (E[f(D)])",
        "warm-probability",
        args.warm_probability.is_some(),
    );
    add(
        "confidence",
        inputs.confidence.map(share),
        "chance of the goal",
        "confidence",
        args.confidence.is_some(),
    );
    add(
        "marketing-sourced share",
        inputs.marketing_sourced_share.map(share),
        "of the planned deals",
        "marketing-sourced-share",
        args.marketing_sourced_share.is_some(),
    );
    add(
        "sales model",
        inputs.sales_model.map(|m| {
            let band = m.marketing_sourced_band();
            let name =
                serde_json::to_value(m).map_or_else(|_| String::new(), |v| v.as_str().unwrap_or("").replace('_', " "));
            format!("{name} (band {:.0}-{:.0} %)", 100.0 * band.low(), 100.0 * band.high())
        }),
        "marketing-sourced band",
        "sales-model",
        args.sales_model.is_some(),
    );
    for persona in &inputs.personas {
        add(
            &format!("persona {}", persona.name),
            Some(persona_spec(persona)),
            "its goal, rates and observed counts",
            "persona",
            !args.persona.is_empty(),
        );
    }
    for (stage, cost, flag, given) in [
        (
            "visitor",
            inputs.cost_per_visitor,
            "cost-per-visitor",
            args.cost_per_visitor.is_some(),
        ),
        (
            "inquiry",
            inputs.cost_per_inquiry,
            "cost-per-inquiry",
            args.cost_per_inquiry.is_some(),
        ),
        ("MQL", inputs.cost_per_mql, "cost-per-mql", args.cost_per_mql.is_some()),
        ("SAL", inputs.cost_per_sal, "cost-per-sal", args.cost_per_sal.is_some()),
        ("SQL", inputs.cost_per_sql, "cost-per-sql", args.cost_per_sql.is_some()),
    ] {
        add(&format!("cost per {stage}"), cost.map(money), "money", flag, given);
    }
    for (name, amount) in &inputs.fixed_costs {
        let given = args.fixed_cost.iter().any(|(n, _)| n == name);
        add(
            &format!("fixed cost: {name}"),
            Some(money(*amount)),
            "money",
            "fixed-cost",
            given,
        );
    }
    if let (Some(days), Some(given)) = (&report.business_days, &inputs.business_days) {
        // A flag, the file's [plan.business_days] (or its [calendar], for
        // the working week and holidays), or the default week.
        let by = |name: &str| match (args.business_days_flag(&format!("business_days.{name}")), &file) {
            (Some(flag), _) => format!("command line ({flag})"),
            (None, Some(file)) if matches!(name, "working_days" | "holidays") => {
                format!("{file}: [plan.business_days] or [calendar]")
            }
            (None, Some(file)) => format!("{file}: [plan.business_days]"),
            (None, None) => "default".to_owned(),
        };
        let period = if given.month.is_some() { "month" } else { "from" };
        table.push(Assumption::new(
            "period",
            days.period.label.clone(),
            "the goal's dates",
            by(period),
        ));
        table.push(Assumption::new(
            "working days",
            days.working_days.join(" "),
            "business days",
            by("working_days"),
        ));
        if !days.period.holidays.is_empty() {
            table.push(Assumption::new(
                "holidays",
                days.period.holidays.join(", "),
                "days off in the period",
                by("holidays"),
            ));
        }
        if let Some(c) = &days.compare {
            table.push(Assumption::new(
                "compared with",
                c.period.label.clone(),
                "month",
                by("compare_month"),
            ));
        }
    }
    page.heading("Assumptions").assumptions(&table);
    let footer = Reproducibility {
        scenario: Reproducibility::scenario_of(args.scenario.as_deref(), "none: the command line's inputs")?,
        seed: None,
        trials: None,
        engine: "exact (binomial tails, no sampling)".to_owned(),
        command: Reproducibility::command_line(),
    };
    page.write(path, &footer)
}

fn run_bant(args: &Args, inputs: &PlanInputs) -> Result<(), String> {
    let scoring = inputs
        .lead_scoring()
        .map_err(|e| e.to_string())?
        .ok_or("plan bant: no lead list to score")?;
    match args.format {
        Format::Json => outln!("{}", to_json(&scoring)?),
        Format::Csv => write_csv(&lead_rows(&scoring))?,
        Format::Table => print_bant(&scoring),
    }
    match &args.chart {
        Some(path) => common::charts::save(path, &bant_chart(&scoring)),
        None => Ok(()),
    }
}

fn to_json(value: &impl serde::Serialize) -> Result<String, String> {
    serde_json::to_string_pretty(value).map_err(|e| format!("could not write JSON: {e}"))
}

fn write_csv(rows: &[Vec<String>]) -> Result<(), String> {
    let mut writer = csv::Writer::from_writer(std::io::stdout());
    for row in rows {
        if let Err(e) = writer.write_record(row) {
            return Err(format!("cannot write the output: {e}"));
        }
    }
    writer.flush().map_err(|e| format!("cannot write the output: {e}"))
}

/// `plan,metric,value` rows: every figure of the report.
fn plan_rows(report: &PlanReport) -> Vec<Vec<String>> {
    let mut rows = vec![vec!["plan".to_owned(), "metric".to_owned(), "value".to_owned()]];
    rows.extend(
        report
            .figures()
            .into_iter()
            .map(|f| vec![f.plan, f.metric, f.value.to_string()]),
    );
    rows
}

/// One row per lead, then one per unscorable row with its reason.
fn lead_rows(scoring: &LeadScoring) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            "line",
            "id",
            "budget",
            "authority",
            "need",
            "timeline",
            "score",
            "status",
            "recontact_after_hours",
            "reason",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    let first_recontact = scoring.recontacts.first().map(|r| r.after_hours.to_string());
    for lead in &scoring.leads {
        let mut row = vec![lead.line.to_string(), lead.id.clone().unwrap_or_default()];
        row.extend(lead.credit.map(|c| c.to_string()));
        row.push(lead.score.to_string());
        row.push(if lead.qualified { "qualified" } else { "nurture" }.to_owned());
        row.push(if lead.qualified { None } else { first_recontact.clone() }.unwrap_or_default());
        row.push(String::new());
        rows.push(row);
    }
    for bad in &scoring.unscorable {
        let mut row = vec![bad.line.to_string()];
        row.extend(std::iter::repeat_n(String::new(), 6));
        row.push("unscorable".to_owned());
        row.push(String::new());
        row.push(bad.reason.clone());
        rows.push(row);
    }
    rows
}

/// The plan chart: the waterfall, and below it the monitor when observed
/// counts were given.
fn plan_chart(report: &PlanReport) -> common::charts::WithMonitor<common::charts::FunnelChart> {
    common::charts::WithMonitor {
        chart: funnel_chart(report),
        monitor: report.monitor.as_ref().and_then(monitor_chart),
    }
}

/// The monitor's banded rates, one panel per metric, the total first in
/// each; `None` when no rate has a band.
fn monitor_chart(monitor: &MonitorReport) -> Option<common::charts::MonitorChart> {
    let personas: Vec<&lead_decay::plan::PersonaReport> =
        std::iter::once(&monitor.total).chain(&monitor.personas).collect();
    let mut metrics: Vec<&str> = Vec::new();
    for reading in personas.iter().flat_map(|p| &p.readings) {
        if reading.band.is_some() && !metrics.contains(&reading.metric.as_str()) {
            metrics.push(&reading.metric);
        }
    }
    let panels: Vec<common::charts::MonitorPanel> = metrics
        .iter()
        .map(|&metric| common::charts::MonitorPanel {
            metric: metric.replace("_share", " share").replace('_', "-"),
            rows: personas
                .iter()
                .filter_map(|p| {
                    let reading = p.readings.iter().find(|r| r.metric == metric)?;
                    let band = reading.band?;
                    Some(common::charts::MonitorRow {
                        name: p.name.clone(),
                        value: reading.value,
                        band: (band.low(), band.high()),
                    })
                })
                .collect(),
        })
        .collect();
    (!panels.is_empty()).then(|| common::charts::MonitorChart {
        title: "monitor: observed rates against benchmark bands".to_owned(),
        panels,
    })
}

/// The waterfall: customers and every stage, without neglect, as planned,
/// and at the confidence asked for.
fn funnel_chart(report: &PlanReport) -> common::charts::FunnelChart {
    let top_down: Vec<&StageCount> = report.stages.iter().rev().collect();
    let mut stages: Vec<String> = top_down.iter().map(|s| stage_name(s.stage)).collect();
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
    let at_stages = |counts: &[StageCount], deals: u64| {
        let per_stage = top_down
            .iter()
            .map(|s| {
                counts
                    .iter()
                    .find(|c| c.stage == s.stage)
                    .map_or(0.0, |c| c.count as f64)
            })
            .collect();
        with_deals(per_stage, deals as f64)
    };
    for persona in &report.personas {
        series.push((
            format!("persona {}", persona.name),
            at_stages(&persona.plan.stages, persona.plan.deals),
        ));
    }
    if let Some(split) = &report.marketing_sourced {
        series.push((
            format!("marketing-sourced part ({})", percent(split.share)),
            at_stages(&split.marketing.stages, split.marketing.deals),
        ));
    }
    // The total per business day (each persona's is in the table, JSON and CSV).
    if let Some(days) = &report.business_days {
        let per_day = top_down
            .iter()
            .map(|s| days.per_business_day(s.stage).unwrap_or(0.0))
            .collect();
        series.push((
            format!(
                "planned per business day of {} ({} days)",
                days.period.label, days.period.business_days
            ),
            with_deals(per_day, days.deals_per_business_day),
        ));
    }
    common::charts::FunnelChart {
        title: format!("demand waterfall for {} customers", grouped(report.deals as f64, 0)),
        stages,
        series,
    }
}

/// The lead list as a waterfall: scored, qualified, nurtured, requalified
/// from nurture and the customers expected from them.
fn bant_chart(scoring: &LeadScoring) -> common::charts::FunnelChart {
    let mut stages = vec![
        "leads scored".to_owned(),
        "qualified".to_owned(),
        "nurtured".to_owned(),
        "qualified with nurture".to_owned(),
    ];
    let mut counts = vec![
        scoring.scored as f64,
        scoring.qualified as f64,
        scoring.nurtured as f64,
        scoring.expected_qualified_with_nurture,
    ];
    if let Some(f) = &scoring.funnel {
        stages.push("customers (expected)".to_owned());
        counts.push(f.expected_customers_with_nurture);
    }
    common::charts::FunnelChart {
        title: format!("BANT: {} of {} leads qualify", scoring.qualified, scoring.scored),
        stages,
        series: vec![("lead list".to_owned(), counts)],
    }
}

fn print_table(report: &PlanReport) {
    for persona in &report.personas {
        outln!("Persona {}", persona.name);
        print_plan(&persona.plan);
        if let Some(days) = &persona.plan.business_days {
            outln!();
            print_business_days(days);
        }
        outln!();
    }
    if !report.personas.is_empty() {
        outln!("Total of {} personas", report.personas.len());
    }
    print_plan(report);
    if let Some(days) = &report.business_days {
        outln!();
        print_business_days(days);
    }
    if let Some(split) = &report.marketing_sourced {
        outln!();
        outln!(
            "Marketing-sourced share {} (band {}-{})",
            percent(split.share),
            percent(split.band.low()),
            percent(split.band.high())
        );
        outln!("  {:<20}{:>12}{:>12}{:>20}", "", "deals", "SQLs", "revenue");
        for (name, part) in [("marketing-sourced", &split.marketing), ("other", &split.other)] {
            outln!(
                "  {:<20}{:>12}{:>12}{:>20}",
                name,
                grouped(part.deals as f64, 0),
                grouped(part.sqls as f64, 0),
                opt_money(part.revenue)
            );
        }
        print_stages("Marketing's part of the funnel", &split.marketing.stages);
    }
    if let Some(monitor) = &report.monitor {
        outln!();
        print_monitor(monitor);
    }
    if let Some(bant) = &report.bant {
        outln!();
        print_bant(bant);
    }
    if !report.warnings.is_empty() {
        outln!();
        outln!("Warnings:");
        for warning in &report.warnings {
            outln!("  - {warning}");
        }
    }
}

/// The period in one sentence: its business days, working week and
/// holidays, and the daily lift against the comparison month.
fn business_days_note(days: &BusinessDayPlan) -> String {
    let period = &days.period;
    let mut text = format!(
        "{} has {} business days ({}",
        period.label,
        period.business_days,
        days.working_days.join(" ")
    );
    if !period.holidays.is_empty() {
        text.push_str(&format!(", without holidays {}", period.holidays.join(", ")));
    }
    text.push(')');
    if let Some(c) = &days.compare {
        text.push_str(&format!(
            "; {} has {}: to hold its total, {} needs {:+.2} % leads a day",
            c.period.label,
            c.period.business_days,
            period.label,
            100.0 * c.daily_lift
        ));
    }
    text.push('.');
    text
}

/// One row per stage (and deals): the total per business day, each
/// persona's, and the total per business day of the comparison month.
fn business_day_table(report: &PlanReport, days: &BusinessDayPlan) -> (Vec<String>, Vec<Vec<String>>) {
    let main = if report.personas.is_empty() { "planned" } else { "total" };
    let mut header = vec!["stage".to_owned(), format!("{main} per day")];
    let personas: Vec<(&str, &BusinessDayPlan)> = report
        .personas
        .iter()
        .filter_map(|p| Some((p.name.as_str(), p.plan.business_days.as_ref()?)))
        .collect();
    header.extend(personas.iter().map(|(name, _)| format!("{name} per day")));
    if let Some(c) = &days.compare {
        header.push(format!("{main} per day of {}", c.period.label));
    }
    let cell = |x: Option<f64>| x.map_or_else(|| "-".to_owned(), |x| grouped(x, 2));
    let mut rows = Vec::new();
    for s in days.stages.iter().rev() {
        let mut row = vec![stage_name(s.stage), cell(Some(s.per_business_day))];
        row.extend(personas.iter().map(|(_, p)| cell(p.per_business_day(s.stage))));
        if let Some(c) = &days.compare {
            row.push(cell(
                c.stages.iter().find(|o| o.stage == s.stage).map(|o| o.per_business_day),
            ));
        }
        rows.push(row);
    }
    let mut deals = vec!["customers".to_owned(), cell(Some(days.deals_per_business_day))];
    deals.extend(personas.iter().map(|(_, p)| cell(Some(p.deals_per_business_day))));
    if let Some(c) = &days.compare {
        deals.push(cell(
            (c.period.business_days > 0).then(|| report.deals as f64 / f64::from(c.period.business_days)),
        ));
    }
    rows.push(deals);
    (header, rows)
}

fn print_business_days(days: &BusinessDayPlan) {
    let period = &days.period;
    let holidays = if period.holidays.is_empty() {
        String::new()
    } else {
        format!(", without holidays {}", period.holidays.join(", "))
    };
    outln!(
        "Per business day of {} ({} business days, {}{holidays})",
        period.label,
        period.business_days,
        days.working_days.join(" ")
    );
    let compare = days.compare.as_ref();
    match compare {
        Some(c) => outln!(
            "  {:<8}{:>18}{:>16}{:>18}",
            "stage",
            "count",
            "per day",
            format!("per day {}", c.period.label)
        ),
        None => outln!("  {:<8}{:>18}{:>16}", "stage", "count", "per day"),
    }
    for s in &days.stages {
        let other = compare
            .and_then(|c| c.stages.iter().find(|o| o.stage == s.stage))
            .map(|o| format!("{:>18}", grouped(o.per_business_day, 2)))
            .unwrap_or_default();
        outln!(
            "  {:<8}{:>18}{:>16}{other}",
            s.stage.label(),
            grouped(s.count as f64, 0),
            grouped(s.per_business_day, 2)
        );
    }
    if let Some(c) = compare {
        outln!(
            "  {} has {} business days, {} {}: to hold {}'s total, {} needs {:+.2} % leads a day",
            period.label,
            period.business_days,
            c.period.label,
            c.period.business_days,
            c.period.label,
            period.label,
            100.0 * c.daily_lift
        );
    }
}

fn print_monitor(monitor: &MonitorReport) {
    outln!("Monitor (observed counts against benchmark bands)");
    for persona in std::iter::once(&monitor.total).chain(&monitor.personas) {
        let readings: Vec<String> = persona
            .readings
            .iter()
            .map(|r| {
                let value = r.value.map_or_else(|| "-".to_owned(), percent);
                let flag = match r.status {
                    Some(lead_decay::plan::BandStatus::Below) => " (below band)",
                    Some(lead_decay::plan::BandStatus::Above) => " (above band)",
                    _ => "",
                };
                format!("{} {value}{flag}", r.metric)
            })
            .collect();
        outln!("  {:<12} {}", persona.name, readings.join(", "));
    }
    for note in &monitor.notes {
        outln!("  note: {note}");
    }
    for warning in &monitor.warnings {
        outln!("  - {warning}");
    }
}

fn print_bant(scoring: &LeadScoring) {
    outln!(
        "BANT: {} rows, {} scored; {} qualify at {} points, {} go to nurture",
        scoring.rows,
        scoring.scored,
        scoring.qualified,
        grouped(scoring.threshold, 1),
        scoring.nurtured
    );
    for r in &scoring.recontacts {
        outln!(
            "  recontact {} after {}: {} leads, {} expected to qualify",
            r.round,
            Hours::new(r.after_hours).map_or_else(|_| format!("{} h", r.after_hours), |h| h.to_string()),
            grouped(r.leads, 1),
            grouped(r.expected_requalified, 1)
        );
    }
    if let Some(f) = &scoring.funnel {
        outln!(
            "  as SQLs: {} expected customers at {} ({} with nurture)",
            grouped(f.expected_customers, 2),
            percent(f.effective_close_rate),
            grouped(f.expected_customers_with_nurture, 2)
        );
        if let (Some(needed), Some(p)) = (f.sqls_needed, f.goal_probability) {
            outln!(
                "  the goal needs {} SQLs; these {} reach it with probability {}",
                grouped(needed as f64, 0),
                grouped(f.sqls as f64, 0),
                percent(p)
            );
        }
    }
    if scoring.scored > 0 {
        let benchmark = |name: &str| {
            scoring
                .inquiry_benchmarks
                .iter()
                .find(|b| b.name == name)
                .map_or(f64::NAN, |b| b.value)
        };
        outln!(
            "  {} of the scored leads qualify; published: inquiry -> lead {} on average, under {} at best",
            percent(scoring.qualified as f64 / scoring.scored as f64),
            percent(benchmark("inquiry_to_lead_average")),
            percent(benchmark("inquiry_to_lead_best_practice_ceiling"))
        );
    }
    for bad in &scoring.unscorable {
        outln!("  unscorable: line {}: {}", bad.line, bad.reason);
    }
}

fn print_plan(report: &PlanReport) {
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
