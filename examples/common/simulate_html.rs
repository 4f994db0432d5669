//! `simulate --report FILE.html`: the run as a page for a sales director
//! (see [`super::html`]).

use std::path::Path;

use lead_decay::model::business_hours::DelayClock;
use lead_decay::whatif::Verdict;
use lead_decay::{DealValueShape, DelayShape, Neglect, Report, Scenario};
use serde_json::Value;

use super::charts::{Dashboard, HeatMapChart, plain_decay, plain_duration, short};
use super::figures::{money_unit, probability};
use super::html::{Assumption, Figure, Page, Reproducibility};
use super::{grouped, money, percent};

/// Where each input of a scenario file came from: the file (its key path)
/// or a default the file leaves unset.
pub struct Origins {
    file: Option<(String, Value)>,
}

impl Origins {
    /// The origins of the scenario read from `path`, or of the built-in
    /// reference case when there is none.
    pub fn read(path: Option<&Path>) -> Result<Origins, String> {
        let Some(path) = path else {
            return Ok(Origins { file: None });
        };
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        Origins::of_text(&name, &text, is_json).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The origins of a scenario file's `text` (TOML, or JSON), called `name`.
    pub fn of_text(name: &str, text: &str, is_json: bool) -> Result<Origins, String> {
        let doc: Value = if is_json {
            serde_json::from_str(text).map_err(|e| e.to_string())?
        } else {
            let toml: toml::Value = toml::from_str(text).map_err(|e| e.to_string())?;
            serde_json::to_value(toml).map_err(|e| e.to_string())?
        };
        Ok(Origins {
            file: Some((name.to_owned(), doc)),
        })
    }

    /// The file's table at `key` (`sales`), as `(key, value)` pairs in the
    /// file's notation.
    pub fn section(&self, key: &str) -> Vec<(String, String)> {
        let Some(Value::Object(table)) = self.file.as_ref().and_then(|(_, doc)| doc.get(key)) else {
            return Vec::new();
        };
        table
            .iter()
            .map(|(k, v)| {
                let text = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.clone(), text)
            })
            .collect()
    }

    /// The file's name.
    pub fn file_name(&self) -> Option<&str> {
        self.file.as_ref().map(|(name, _)| name.as_str())
    }

    /// The source of the input at `keys` (object keys and array indices):
    /// the file and the key, or `default` when the file does not set it.
    pub fn of(&self, keys: &[Key], default: &str) -> String {
        let Some((name, doc)) = &self.file else {
            return "built-in reference case (lead_decay::guide::model)".to_owned();
        };
        let mut at = doc;
        let mut path = String::new();
        for key in keys {
            let next = match key {
                Key::Field(k) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(k);
                    at.get(k)
                }
                Key::Index(i) => {
                    path.push_str(&format!("[{i}]"));
                    at.get(i)
                }
            };
            match next {
                Some(v) => at = v,
                None => return default.to_owned(),
            }
        }
        match at {
            Value::String(preset)
                if keys
                    .last()
                    .is_some_and(|k| matches!(k, Key::Field("decay" | "follow_up"))) =>
            {
                format!("{name}: {path} = \"{preset}\" (a preset)")
            }
            _ => format!("{name}: {path}"),
        }
    }
}

/// A step of a key path.
#[derive(Clone, Copy)]
pub enum Key {
    /// An object key.
    Field(&'static str),
    /// An array index.
    Index(usize),
}

/// Every input of `scenario`, its unit and where it came from.
pub fn assumptions(scenario: &Scenario, origins: &Origins) -> Vec<Assumption> {
    use Key::{Field, Index};
    let currency = scenario
        .currency()
        .map_or_else(|| "money (no currency set)".to_owned(), str::to_owned);
    let top = |key: &'static str, default: &str| origins.of(&[Field(key)], default);
    let mut rows = vec![
        Assumption::new("scenario", scenario.name(), "", top("name", "")),
        Assumption::new(
            "currency",
            scenario.currency().unwrap_or("not set"),
            "label",
            top("currency", "not set: money is shown without a currency"),
        ),
        Assumption::new(
            "marketing spend",
            scenario
                .marketing_spend()
                .map_or_else(|| "not set".to_owned(), |s| grouped(s, 0)),
            currency.clone(),
            top("marketing_spend", "not set: no ROI figures"),
        ),
        Assumption::new(
            "customer goal",
            scenario
                .customer_goal()
                .map_or_else(|| "not set".to_owned(), |g| g.to_string()),
            "customers",
            top("customer_goal", "not set: no goal chance"),
        ),
    ];
    let several = scenario.segments().len() > 1;
    for (i, s) in scenario.segments().iter().enumerate() {
        let name = |what: &str| {
            if several {
                format!("{}: {what}", short(s.name(), 30))
            } else {
                what.to_owned()
            }
        };
        let at = |key: &'static str, default: &str| origins.of(&[Field("segments"), Index(i), Field(key)], default);
        rows.push(Assumption::new(name("segment"), s.name(), "", at("name", "")));
        rows.push(Assumption::new(
            name("SQLs"),
            grouped(s.sqls() as f64, 0),
            "SQLs",
            at("sqls", ""),
        ));
        rows.push(Assumption::new(
            name("close rate"),
            format!("{} %", grouped(100.0 * s.qualified_close_rate(), 2)),
            "of SQLs worked at once",
            at("close_rate", ""),
        ));
        if s.instant_response_share() < 1.0 || !s.assumptions().is_empty() {
            rows.push(Assumption::new(
                name("instant response share"),
                format!("{} %", grouped(100.0 * s.instant_response_share(), 1)),
                "of SQLs that would qualify if answered at once",
                at("instant_response_share", "default (100 %): see the note below"),
            ));
        }
        let deal = match s.deal_value().shape() {
            DealValueShape::Fixed { value } => format!("{} per deal", grouped(value, 0)),
            DealValueShape::LogNormal { mean, cv } => {
                format!(
                    "mean {}, spread {} % (log-normal)",
                    grouped(mean, 0),
                    grouped(100.0 * cv, 0)
                )
            }
            DealValueShape::Gamma { mean, cv } => {
                format!("mean {}, spread {} % (gamma)", grouped(mean, 0), grouped(100.0 * cv, 0))
            }
            _ => format!("mean {}", grouped(s.deal_value().mean(), 0)),
        };
        rows.push(Assumption::new(
            name("deal value"),
            deal,
            currency.clone(),
            at("deal_value", ""),
        ));
        rows.push(Assumption::new(
            name("how fast leads go cold"),
            plain_decay(s.decay()),
            "time since the lead became an SQL",
            at("decay", ""),
        ));
        let (neglect, unit, key) = match s.follow_up().neglect() {
            Neglect::Count(k) => (grouped(k as f64, 0), "SQLs never followed up", "neglected"),
            Neglect::Probability(q) => (
                format!("{} %", grouped(100.0 * q, 1)),
                "of SQLs never followed up",
                "never_followed_up",
            ),
            _ => ("none".to_owned(), "SQLs never followed up", "neglected"),
        };
        // A follow-up preset sets the neglect as well.
        let follow_up = at("follow_up", "");
        let neglect_source = if follow_up.ends_with("(a preset)") {
            follow_up
        } else {
            at(key, "default: every SQL is followed up")
        };
        rows.push(Assumption::new(name("neglect"), neglect, unit, neglect_source));
        let delay = s.follow_up().delay();
        let law = match delay.shape() {
            DelayShape::Fixed { delay } if *delay == 0.0 => "worked at once".to_owned(),
            DelayShape::Fixed { delay } => format!("always {}", plain_duration(*delay)),
            DelayShape::Exponential { .. } => {
                format!("{} on average (exponential)", plain_duration(delay.mean().get()))
            }
            DelayShape::LogNormal { median, sigma } => format!(
                "median {}, mean {} (log-normal, σ {})",
                plain_duration(*median),
                plain_duration(delay.mean().get()),
                grouped(*sigma, 2)
            ),
            DelayShape::Gamma { shape, .. } => format!(
                "{} on average (gamma, shape {})",
                plain_duration(delay.mean().get()),
                grouped(*shape, 2)
            ),
            DelayShape::Uniform { min, max } => {
                format!("between {} and {}", plain_duration(*min), plain_duration(*max))
            }
            DelayShape::Empirical { samples } => format!(
                "{} observed delays, {} on average",
                samples.len(),
                plain_duration(delay.mean().get())
            ),
            _ => format!("{} on average", plain_duration(delay.mean().get())),
        };
        let clock = match s.business_hours().map(|b| b.delay_clock()) {
            Some(DelayClock::Working) => "time to first follow-up, in working hours after arrival",
            Some(_) => "time to first follow-up, in calendar hours",
            None => "time to first follow-up",
        };
        rows.push(Assumption::new(
            name("follow-up delay"),
            law,
            clock,
            at("follow_up", "default: worked at once"),
        ));
        if let Some(sla) = s.follow_up().sla() {
            rows.push(Assumption::new(
                name("SLA"),
                plain_duration(sla.get()),
                "follow-up deadline",
                at("sla", ""),
            ));
        }
        if let Some(hours) = s.business_hours() {
            rows.push(Assumption::new(
                name("business hours"),
                match hours.delay_clock() {
                    DelayClock::Working => "the follow-up delay runs on the team's working clock",
                    _ => "the follow-up delay runs on the calendar clock (nights and weekends count)",
                },
                "",
                at("business_hours", "the scenario's calendar"),
            ));
        }
    }
    rows
}

/// Unit of a `[sales]` or `[recycling]` key, for the assumptions table.
pub fn sales_unit(key: &str) -> &'static str {
    match key {
        "reps" => "sales reps",
        "horizon" | "warm_up" | "sla" | "lockout" | "return_delay" => "time",
        "handling" | "inquiry_handling" => "time per lead",
        "inquiries_per_day" => "raw inquiries a day",
        "close_rate" | "inquiry_close_rate" | "revert_probability" => "share",
        "reactivation_cost" | "inquiry_deal_value" => "money",
        "working_days" => "days of the week",
        "working_hours" => "hours of the day",
        _ => "",
    }
}

/// The team's inputs: every key of the file's `[sales]` and `[recycling]`
/// sections, with its unit.
pub fn team_assumptions(origins: &Origins) -> Vec<Assumption> {
    let source = origins.file_name().unwrap_or("scenario").to_owned();
    let mut rows = Vec::new();
    for section in ["sales", "recycling"] {
        for (key, value) in origins.section(section) {
            rows.push(Assumption::new(
                format!("{section}: {}", key.replace('_', " ")),
                value,
                sales_unit(&key),
                format!("{source}: {section}.{key}"),
            ));
        }
    }
    rows
}

/// The run's own inputs: trials and seed.
pub fn run_assumptions(trials: u64, seed: u64) -> Vec<Assumption> {
    vec![
        Assumption::new(
            "trials",
            grouped(trials as f64, 0),
            "simulated campaigns (Monte Carlo trials)",
            "command line (--trials, or its default)",
        ),
        Assumption::new("seed", seed.to_string(), "", "command line (--seed, or its default)"),
    ]
}

/// The key figures of a run.
pub fn figures(report: &Report) -> Vec<Figure> {
    let e = &report.expected;
    let m = &report.metrics;
    let currency = report.currency.as_deref();
    let mut out = vec![
        Figure::new(
            "customers won (expected)",
            format!("{} of {}", grouped(e.customers, 2), grouped(e.customers_ideal, 2)),
            format!(
                "a campaign brings {} to {} customers nine times in ten",
                grouped(m.customers.p05, 0),
                grouped(m.customers.p95, 0)
            ),
        ),
        Figure::new(
            "customers lost",
            grouped(e.customers_lost, 2),
            match e.lost {
                Some(split) => format!(
                    "{} of the possible; {} never followed up, {} followed up too late",
                    percent(Verdict::of(report).share_lost()),
                    grouped(split.never_followed_up.customers, 2),
                    grouped(split.too_late.customers, 2)
                ),
                None => format!("{} of the possible", percent(Verdict::of(report).share_lost())),
            },
        ),
        Figure::new(
            "revenue lost (expected)",
            money(e.revenue_lost, currency),
            format!(
                "{} to {} in nine campaigns out of ten",
                grouped(m.revenue_lost.p05, 0),
                grouped(m.revenue_lost.p95, 0)
            ),
        ),
    ];
    if let (Some(lost), Some(roi), Some(ideal)) = (e.roi_lost, e.roi, e.roi_ideal) {
        out.push(Figure::new(
            "ROI lost",
            format!("{} points", grouped(100.0 * lost, 1)),
            format!(
                "ROI {} % instead of {} % with every SQL worked at once",
                grouped(100.0 * roi, 1),
                grouped(100.0 * ideal, 1)
            ),
        ));
    }
    if let Some(goal) = report.goal {
        let (p, ideal) = goal.best();
        let how = if goal.exact.is_some() {
            "exact".to_owned()
        } else {
            format!(
                "estimated, standard error {} points",
                grouped(100.0 * goal.std_error, 1)
            )
        };
        out.push(Figure::new(
            format!("chance of at least {} customers", goal.customers),
            probability(p),
            format!("{} with every SQL worked at once ({how})", probability(ideal)),
        ));
    }
    if let Some(sla) = e.sla_met {
        out.push(Figure::new(
            "SLA met",
            percent(sla),
            "of SQLs first worked within the SLA",
        ));
    }
    out
}

/// Which clock the drawn follow-up delays are counted on, as a sentence
/// for the chart's caption (empty when no segment has business hours).
fn clock_sentence(scenario: &Scenario) -> String {
    let waiting = || {
        scenario
            .segments()
            .iter()
            .filter(|s| !s.follow_up().delay().is_immediate())
    };
    let on = |clock: DelayClock| -> Vec<String> {
        waiting()
            .filter(|s| s.business_hours().is_some_and(|b| b.delay_clock() == clock))
            .map(|s| short(s.name(), 40))
            .collect()
    };
    let (working, calendar) = (on(DelayClock::Working), on(DelayClock::Calendar));
    let all = waiting().count();
    let mut out = String::new();
    if !working.is_empty() {
        if working.len() == all {
            out.push_str(" The follow-up delay is counted in working hours after arrival: nights, weekends and holidays do not count.");
        } else {
            out.push_str(&format!(
                " The follow-up delay of {} is counted in working hours after arrival (nights, weekends and holidays do not count); the others in calendar hours.",
                working.join(", ")
            ));
        }
    } else if !calendar.is_empty() {
        out.push_str(" The follow-up delay is counted in calendar hours: nights and weekends count.");
    }
    out
}

/// Writes the report of a `simulate` run to `out`.
pub fn write(
    out: &Path,
    scenario: &Scenario,
    scenario_path: Option<&Path>,
    report: &Report,
    dashboard: &Dashboard,
    heat_map: Option<&HeatMapChart>,
) -> Result<(), String> {
    let origins = Origins::read(scenario_path)?;
    let verdict = Verdict::of(report).to_string();
    let mut page = Page::new(
        "lead-decay · what neglected leads cost",
        &format!("What slow and missing follow-up costs: {}", short(&report.scenario, 60)),
        &verdict,
    );
    page.heading("Key figures").figures(&figures(report));
    page.heading("How fast leads go cold, and how fast sales follows up");
    let waits = scenario
        .segments()
        .iter()
        .any(|s| !s.follow_up().delay().is_immediate());
    let caption = if waits {
        let mut caption = "Each line is the share of leads still warm (still interested) when sales first calls, \
                           by the time since they became SQLs; the bars show when sales actually follows up."
            .to_owned();
        caption.push_str(&clock_sentence(scenario));
        caption
    } else {
        "The line is the share of leads still warm (still interested) when sales first calls, by the time \
         since they became SQLs. Here every SQL that is worked is worked at once, so only the SQLs never \
         followed up are lost."
            .to_owned()
    };
    page.chart_at(&dashboard.decay, (960, 620), &caption)?;
    if let Some(chart) = heat_map {
        page.heading("When SQLs arrive: where the loss happens");
        let sentences: Vec<String> = chart
            .panels
            .iter()
            .map(|panel| {
                let who = if chart.panels.len() > 1 {
                    format!("{}: ", short(&panel.loss.segment, 40))
                } else {
                    String::new()
                };
                match panel.loss.worst_window() {
                    Some(window) => format!("{who}{window}."),
                    None => format!("{who}the share lost does not depend on when SQLs arrive."),
                }
            })
            .collect();
        let caption = format!(
            "{} The share of an SQL's value lost, by the day and hour (local time) it arrives: a lead that \
             arrives when the team is away waits for the next working hour while it cools. Framed: the \
             hours the team works. Beside each map, the revenue lost by day of arrival.",
            sentences.join(" ")
        );
        page.chart_at(chart, (1200, 60 + 486 * chart.panels.len().max(1) as u32), &caption)?;
    }
    page.heading("Customers: as followed up against every SQL worked at once");
    page.chart_at(
        &dashboard.customers,
        (960, 560),
        "How many customers one campaign brings, over the simulated campaigns: grey if every SQL were worked \
         at once, blue as sales follows up today. The shaded counts reach the goal.",
    )?;
    page.heading("Revenue lost");
    page.chart_at(
        &dashboard.revenue_lost,
        (960, 500),
        "The revenue lost to neglect and delay in each simulated campaign; the black line is its exact \
         expected value.",
    )?;
    page.heading("All figures");
    let currency = money_unit(report);
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (name, expected) in report.expected.iter() {
        let Some(s) = report.metrics.iter().find(|(n, _)| *n == name).map(|(_, s)| s) else {
            continue;
        };
        let (label, unit, scale, d) = match name {
            "customers" => ("customers", "customers", 1.0, 2),
            "customers_ideal" => ("customers, all worked at once", "customers", 1.0, 2),
            "customers_lost" => ("customers lost", "customers", 1.0, 2),
            "revenue" => ("revenue", currency.as_str(), 1.0, 0),
            "revenue_ideal" => ("revenue, all worked at once", currency.as_str(), 1.0, 0),
            "revenue_lost" => ("revenue lost", currency.as_str(), 1.0, 0),
            "roi" => ("ROI", "%", 100.0, 1),
            "roi_ideal" => ("ROI, all worked at once", "%", 100.0, 1),
            "roi_lost" => ("ROI lost", "% points", 100.0, 1),
            _ => ("SLA met", "% of SQLs", 100.0, 1),
        };
        let f = |x: f64| grouped(scale * x, d);
        // Quantiles of counts are whole numbers: show them so.
        let q = |x: f64| grouped(scale * x, if unit == "customers" { 0 } else { d });
        rows.push(vec![
            label.to_owned(),
            expected.map_or_else(|| "-".to_owned(), f),
            f(s.mean),
            format!("{} to {}", q(s.p05), q(s.p95)),
            unit.to_owned(),
        ]);
    }
    for row in super::figures::goal_rows(report) {
        rows.push(vec![
            row[0].clone(),
            row[1].clone(),
            row[2].clone(),
            "-".to_owned(),
            row[7].clone(),
        ]);
    }
    page.table(
        &[
            "figure",
            "expected (exact)",
            "mean of the simulated campaigns",
            "90 % of campaigns",
            "unit",
        ],
        &rows,
    );
    if let Some(note) = super::figures::goal_note(report) {
        page.note(&note);
    }
    page.heading("Assumptions");
    let mut rows = assumptions(scenario, &origins);
    rows.extend(run_assumptions(report.trials, report.seed));
    page.assumptions(&rows);
    for assumption in &report.assumptions {
        page.note(assumption);
    }
    let footer = Reproducibility {
        scenario: Reproducibility::scenario_of(scenario_path, "built-in reference case")?,
        seed: Some(report.seed),
        trials: Some(report.trials),
        engine: report.engine.to_string(),
        command: Reproducibility::command_line(),
    };
    page.write(out, &footer)
}
