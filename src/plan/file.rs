//! The parts of the `[plan]` section beyond one funnel: personas
//! (`[[plan.personas]]`, each with its own goal, rates and observed counts)
//! and BANT scoring of a lead list (`[plan.bant]`). Plain serde data,
//! embedded in [`PlanInputs`](crate::plan::PlanInputs); unknown keys are
//! errors.
//!
//! ```toml
//! [plan]
//! close_rate = 0.25                 # shared by every persona unless it sets its own
//! mql_to_sql = 0.2
//! sales_model = "field_with_inside_support"
//! marketing_sourced_share = 0.3     # of the planned deals (checked against 20-40 %)
//!
//! [[plan.personas]]
//! name = "smb"
//! customer_goal = 30
//! deal_value = 20_000
//! close_rate = 0.3
//! observed = { mql = 900, sql = 160, customers = 41, marketing_sourced_customers = 14 }
//!
//! [[plan.personas]]
//! name = "enterprise"
//! revenue_goal = 2_000_000
//! deal_value = 250_000
//! mql_to_sql = 0.1
//!
//! [plan.bant]
//! input = "leads.csv"               # Budget, Authority, Need, Timeline columns
//! weights = { budget = 20, authority = 30, need = 30, timeline = 20 }
//! threshold = 75
//! requalification_chance = 0.2      # nurtured leads that qualify at a recontact
//! recontact_after = "3w"
//! rounds = 2
//! ```

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::duration::Hours;
use crate::plan::bant::{BantScorer, BantWeights, Nurture};
use crate::plan::monitor::FunnelCounts;
use crate::plan::stage::Stage;

/// One persona of the `[plan]` section: its own goal, deal value and rates
/// (any rate it leaves out is the section's), its own share of
/// marketing-sourced deals, and optionally the counts observed for it (for
/// the monitor).
///
/// Unit costs come from the section; fixed costs are the section's and
/// count once, in the total.
///
/// The rate fields repeat [`PlanInputs`](crate::plan::PlanInputs)'s, with the same names and
/// meanings, rather than being a flattened shared struct: serde's `flatten`
/// cannot be combined with `deny_unknown_fields`, which turns a typo in
/// either section into an error.
///
/// # Example
///
/// ```
/// use lead_decay::plan::PersonaInputs;
///
/// let smb = PersonaInputs::parse("smb:customer_goal=30,close_rate=0.3,observed.mql=900,observed.customers=41,observed.marketing_sourced_customers=14")?;
/// assert_eq!(smb.name, "smb");
/// assert_eq!(smb.close_rate, Some(0.3));
/// assert_eq!(smb.observed.unwrap().mql, Some(900));
/// assert!(PersonaInputs::parse("smb:close_rat=0.3").is_err()); // typo
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PersonaInputs {
    /// The persona's name, unique in the section.
    pub name: String,
    /// Revenue to reach (needs a deal value); exclusive with `customer_goal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revenue_goal: Option<f64>,
    /// New customers to win, a whole number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_goal: Option<u64>,
    /// Average deal value (default: the section's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal_value: Option<f64>,
    /// SQL -> customer (default: the section's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub close_rate: Option<f64>,
    /// MQL -> SQL (default: the section's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mql_to_sql: Option<f64>,
    /// SAL -> SQL (default: the section's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sal_to_sql: Option<f64>,
    /// MQL -> SAL (default: the section's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mql_to_sal: Option<f64>,
    /// Inquiry -> MQL (default: the section's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inquiry_to_mql: Option<f64>,
    /// Visitor -> inquiry (default: the section's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor_to_inquiry: Option<f64>,
    /// Share of this persona's planned deals that marketing sources
    /// (default: the section's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marketing_sourced_share: Option<f64>,
    /// `E[f(D)]` for this persona (default: the section's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warm_probability: Option<f64>,
    /// What was observed for this persona: the monitor's input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<ObservedCounts>,
}

impl PersonaInputs {
    /// Reads the command-line form `NAME:key=value,key=value,...`, keys as in
    /// `[[plan.personas]]` (`observed.mql=900` for an observed count).
    ///
    /// # Errors
    ///
    /// No name, a pair without `=`, a value that is not a number, or an
    /// unknown key (field `personas.<name>.<key>`).
    ///
    /// Needs the `files` feature (on by default).
    #[cfg(feature = "files")]
    pub fn parse(spec: &str) -> Result<PersonaInputs> {
        let (name, pairs) = spec.split_once(':').unwrap_or((spec, ""));
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::invalid(
                "personas",
                format!("{spec:?}"),
                "NAME:key=value,... (e.g. smb:customer_goal=30,close_rate=0.3)",
            ));
        }
        let field = |key: &str| format!("personas.{name}.{key}");
        let mut top = serde_json::Map::new();
        let mut observed = serde_json::Map::new();
        top.insert("name".into(), name.into());
        for pair in pairs.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = pair
                .split_once('=')
                .ok_or_else(|| Error::invalid(field(pair), format!("{pair:?}"), "key=value"))?;
            let (key, value) = (key.trim(), value.trim());
            let number: f64 = value
                .parse()
                .ok()
                .filter(|x: &f64| x.is_finite())
                .ok_or_else(|| Error::invalid(field(key), format!("{value:?}"), "a finite number"))?;
            // Counts are whole numbers in JSON: 900, not 900.0.
            let json = if number.fract() == 0.0 && (0.0..9.0e15).contains(&number) {
                serde_json::Value::from(number as u64)
            } else {
                serde_json::Value::from(number)
            };
            match key.strip_prefix("observed.") {
                Some(count) => observed.insert(count.to_owned(), json),
                None => top.insert(key.to_owned(), json),
            };
        }
        if !observed.is_empty() {
            top.insert("observed".into(), observed.into());
        }
        serde_path_to_error::deserialize(serde_json::Value::Object(top)).map_err(|e| Error::Parse {
            field: format!("personas.{name}.{}", e.path()).trim_end_matches(".").to_owned(),
            message: e.inner().to_string(),
        })
    }
}

/// Counts observed for one persona over one period (any stage may be left
/// out); the `[[plan.personas]]` form of [`FunnelCounts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ObservedCounts {
    /// Visitors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor: Option<u64>,
    /// Inquiries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inquiry: Option<u64>,
    /// MQLs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mql: Option<u64>,
    /// SALs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sal: Option<u64>,
    /// SQLs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql: Option<u64>,
    /// New customers.
    pub customers: u64,
    /// New customers that marketing sourced.
    pub marketing_sourced_customers: u64,
}

impl ObservedCounts {
    /// The counts as the monitor reads them.
    ///
    /// # Errors
    ///
    /// More marketing-sourced customers than customers (field
    /// `marketing_sourced_customers`).
    pub fn counts(&self) -> Result<FunnelCounts> {
        let mut counts = FunnelCounts::new(self.customers, self.marketing_sourced_customers)?;
        for (stage, n) in [
            (Stage::Visitor, self.visitor),
            (Stage::Inquiry, self.inquiry),
            (Stage::Mql, self.mql),
            (Stage::Sal, self.sal),
            (Stage::Sql, self.sql),
        ] {
            if let Some(n) = n {
                counts = counts.with(stage, n);
            }
        }
        Ok(counts)
    }
}

/// The `[plan.bant]` section: how to score a lead list on BANT, and the
/// nurture pool for leads that fall short.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct BantInputs {
    /// The lead list: a CSV file with Budget, Authority, Need and Timeline
    /// columns (see [`LeadList`](crate::plan::LeadList)); relative to the
    /// scenario file's folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<PathBuf>,
    /// Points per criterion (default 25 each).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<BantWeightInputs>,
    /// Points needed to qualify (default 75).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// Chance that a nurtured lead qualifies at a recontact (default: not
    /// modelled; the report then says when leads are recontacted, not how
    /// many requalify).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requalification_chance: Option<f64>,
    /// Time between recontacts of a nurtured lead (default 3 weeks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recontact_after: Option<Hours>,
    /// Recontacts per nurtured lead (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounds: Option<u32>,
}

/// Points per BANT criterion, as written in `[plan.bant]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BantWeightInputs {
    /// Budget.
    pub budget: f64,
    /// Authority.
    pub authority: f64,
    /// Need.
    pub need: f64,
    /// Timeline (timeframe).
    pub timeline: f64,
}

impl BantInputs {
    /// The scorer: the weights and threshold given, else 25 points each and 75.
    ///
    /// # Errors
    ///
    /// As [`BantWeights::new`] and [`BantScorer::new`], under `bant.`.
    pub fn scorer(&self) -> Result<BantScorer> {
        let weights = match self.weights {
            Some(w) => BantWeights::new(w.budget, w.authority, w.need, w.timeline).map_err(|e| e.within("bant"))?,
            None => BantWeights::default(),
        };
        BantScorer::new(weights, self.threshold.unwrap_or(75.0)).map_err(|e| e.within("bant"))
    }

    /// The nurture pool: recontacts every `recontact_after` (default 3
    /// weeks), `rounds` times (default 1), requalifying with
    /// `requalification_chance` (0 when not given).
    ///
    /// # Errors
    ///
    /// A chance outside [0, 1] (field `bant.requalification_chance`).
    pub fn nurture(&self) -> Result<Nurture> {
        let mut nurture = Nurture::new(self.requalification_chance.unwrap_or(0.0)).map_err(|e| e.within("bant"))?;
        if let Some(after) = self.recontact_after {
            if after.get() <= 0.0 {
                return Err(Error::invalid(
                    "bant.recontact_after",
                    after,
                    "a time between recontacts > 0",
                ));
            }
            nurture = nurture.with_recontact_after(after);
        }
        Ok(nurture.with_rounds(self.rounds.unwrap_or(1)))
    }
}
