//! Funnel monitors: counts by stage and persona, conversion rates, and
//! benchmark bands that turn an unusual rate into a warning.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::plan::stage::Stage;

/// A benchmark band `[low, high]` for a rate. A rate outside its band is a
/// warning, not an error: benchmarks describe typical companies, not rules.
///
/// # Example
///
/// ```
/// use lead_decay::plan::{Band, BandStatus};
///
/// let band = Band::LEAD_TO_CUSTOMER; // typically 2-5 %
/// assert_eq!(band.status(0.03), BandStatus::Within);
/// assert_eq!(band.status(0.01), BandStatus::Below);
/// assert!(Band::new(0.5, 0.2).is_err());
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct Band {
    low: f64,
    high: f64,
}

/// Where a rate falls relative to its [`Band`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum BandStatus {
    /// Below the band's low end.
    Below,
    /// Inside the band (ends included).
    Within,
    /// Above the band's high end.
    Above,
}

impl Band {
    /// Lead-to-customer conversion: typically 2-5 %.
    pub const LEAD_TO_CUSTOMER: Band = Band { low: 0.02, high: 0.05 };
    /// Marketing-sourced share of new customers for a field sales team with
    /// inside support: 20-40 %.
    pub const MARKETING_SOURCED_FIELD_SALES: Band = Band { low: 0.20, high: 0.40 };
    /// Marketing-sourced share of new customers for an inside sales team with
    /// lead-focused marketing: 40-80 %.
    pub const MARKETING_SOURCED_INSIDE_SALES: Band = Band { low: 0.40, high: 0.80 };

    /// A band from `low` to `high` (rates, ends included).
    ///
    /// # Errors
    ///
    /// Ends that are not finite, `low < 0`, or `low > high` (field `band`).
    pub fn new(low: f64, high: f64) -> Result<Band> {
        if !(low.is_finite() && high.is_finite() && low >= 0.0 && low <= high) {
            return Err(Error::invalid(
                "band",
                format!("[{low}, {high}]"),
                "finite ends with 0 <= low <= high",
            ));
        }
        Ok(Band { low, high })
    }

    /// The low end.
    pub fn low(&self) -> f64 {
        self.low
    }

    /// The high end.
    pub fn high(&self) -> f64 {
        self.high
    }

    /// Where `rate` falls.
    pub fn status(&self, rate: f64) -> BandStatus {
        if rate < self.low {
            BandStatus::Below
        } else if rate > self.high {
            BandStatus::Above
        } else {
            BandStatus::Within
        }
    }
}

/// How the sales team works; it sets the benchmark for the marketing-sourced
/// share of new customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SalesModel {
    /// A field sales team with inside support (benchmark 20-40 %).
    FieldWithInsideSupport,
    /// An inside sales team with lead-focused marketing (benchmark 40-80 %).
    InsideWithLeadFocusedMarketing,
}

impl SalesModel {
    /// The benchmark band for the marketing-sourced share of new customers.
    pub fn marketing_sourced_band(self) -> Band {
        match self {
            SalesModel::FieldWithInsideSupport => Band::MARKETING_SOURCED_FIELD_SALES,
            SalesModel::InsideWithLeadFocusedMarketing => Band::MARKETING_SOURCED_INSIDE_SALES,
        }
    }
}

/// Observed counts for one period: units at each stage (any stage may be
/// missing), new customers, and how many of them marketing sourced.
///
/// # Example
///
/// ```
/// use lead_decay::plan::{FunnelCounts, Stage};
///
/// let counts = FunnelCounts::new(12, 4)?.with(Stage::Visitor, 20_000).with(Stage::Inquiry, 400);
/// assert_eq!(counts.count(Stage::Inquiry), Some(400));
/// assert_eq!(counts.count(Stage::Mql), None);
/// assert!(FunnelCounts::new(3, 4).is_err()); // more marketing-sourced than new customers
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
pub struct FunnelCounts {
    /// Visitors, if counted.
    pub visitor: Option<u64>,
    /// Inquiries, if counted.
    pub inquiry: Option<u64>,
    /// MQLs, if counted.
    pub mql: Option<u64>,
    /// SALs, if counted.
    pub sal: Option<u64>,
    /// SQLs, if counted.
    pub sql: Option<u64>,
    customers: u64,
    marketing_sourced_customers: u64,
}

impl FunnelCounts {
    /// `customers` new customers, `marketing_sourced` of them sourced by marketing.
    ///
    /// # Errors
    ///
    /// `marketing_sourced > customers` (field `marketing_sourced_customers`).
    pub fn new(customers: u64, marketing_sourced: u64) -> Result<FunnelCounts> {
        if marketing_sourced > customers {
            return Err(Error::invalid(
                "marketing_sourced_customers",
                marketing_sourced,
                format!("at most the new customers ({customers})"),
            ));
        }
        Ok(FunnelCounts {
            customers,
            marketing_sourced_customers: marketing_sourced,
            ..FunnelCounts::default()
        })
    }

    /// Sets the count at `stage`.
    #[must_use]
    pub fn with(mut self, stage: Stage, count: u64) -> FunnelCounts {
        *self.slot(stage) = Some(count);
        self
    }

    /// The count at `stage`, if counted.
    pub fn count(&self, stage: Stage) -> Option<u64> {
        match stage {
            Stage::Visitor => self.visitor,
            Stage::Inquiry => self.inquiry,
            Stage::Mql => self.mql,
            Stage::Sal => self.sal,
            Stage::Sql => self.sql,
        }
    }

    /// New customers.
    pub fn customers(&self) -> u64 {
        self.customers
    }

    /// New customers sourced by marketing.
    pub fn marketing_sourced_customers(&self) -> u64 {
        self.marketing_sourced_customers
    }

    fn slot(&mut self, stage: Stage) -> &mut Option<u64> {
        match stage {
            Stage::Visitor => &mut self.visitor,
            Stage::Inquiry => &mut self.inquiry,
            Stage::Mql => &mut self.mql,
            Stage::Sal => &mut self.sal,
            Stage::Sql => &mut self.sql,
        }
    }

    fn add(&mut self, other: &FunnelCounts) {
        for stage in Stage::ALL {
            if let Some(n) = other.count(stage) {
                let slot = self.slot(stage);
                *slot = Some(slot.unwrap_or(0).saturating_add(n));
            }
        }
        self.customers = self.customers.saturating_add(other.customers);
        self.marketing_sourced_customers = self
            .marketing_sourced_customers
            .saturating_add(other.marketing_sourced_customers);
    }
}

/// One monitored rate: its value (when its denominator is non-zero), its
/// band (if it has one) and where it falls.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Reading {
    /// The rate's name, e.g. `lead_to_customer`, `mql_to_sql`.
    pub metric: String,
    /// The rate, `None` when its denominator is zero.
    pub value: Option<f64>,
    /// The benchmark band, if the rate has one.
    pub band: Option<Band>,
    /// Where the value falls in the band.
    pub status: Option<BandStatus>,
    /// For a total: the personas the rate is computed over, when some
    /// personas do not count both of its stages and are left out (`None`
    /// when every persona counts both, and for a single persona). A total
    /// rate never divides one persona's customers by another's stage.
    pub over: Option<Vec<String>>,
}

/// The readings for one persona (segment), or for all of them together.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct PersonaReport {
    /// The persona's name (`total` for the sum over personas).
    pub name: String,
    /// Its counts.
    pub counts: FunnelCounts,
    /// Its rates.
    pub readings: Vec<Reading>,
}

/// What a [`Monitor`] reports: totals, each persona, and warnings for every
/// rate outside its band.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct MonitorReport {
    /// All personas together.
    pub total: PersonaReport,
    /// Each persona.
    pub personas: Vec<PersonaReport>,
    /// One line per rate outside its band.
    pub warnings: Vec<String>,
    /// One line per total rate that leaves personas out because they do not
    /// count both of its stages (see [`Reading::over`]).
    pub notes: Vec<String>,
}

/// Checks observed funnel counts against benchmark bands.
///
/// Rates: the marketing-sourced share of new customers (band from the
/// [`SalesModel`]), lead-to-customer conversion (typically 2-5 %),
/// visitor-to-lead conversion (no default band; set one with
/// [`Monitor::with_visitor_to_lead_band`]), and the conversion between
/// every pair of adjacent counted stages. A *lead* is an MQL (else the first
/// counted stage below it: SAL, SQL), unless [`Monitor::with_lead_stage`]
/// says otherwise: the 2-5 % benchmark counts qualified leads, and the
/// article it comes from converts inquiries to leads at only 4.4 %, so an
/// inquiry is not a lead.
///
/// The total sums the personas' counts; each total rate sums only the
/// personas that count both of its stages, lists them in [`Reading::over`]
/// and adds a line to [`MonitorReport::notes`] when some are left out.
///
/// # Example
///
/// ```
/// use lead_decay::plan::{FunnelCounts, Monitor, SalesModel, Stage};
///
/// let monitor = Monitor::new(SalesModel::FieldWithInsideSupport);
/// let smb = FunnelCounts::new(10, 4)?.with(Stage::Mql, 400);
/// let enterprise = FunnelCounts::new(6, 2)?.with(Stage::Mql, 100);
/// let report = monitor.check(&[("smb", smb), ("enterprise", enterprise)])?;
/// assert_eq!(report.total.counts.count(Stage::Mql), Some(500));
/// // 16 customers from 500 MQLs: 3.2 %, inside the 2-5 % band; 6 of 16
/// // marketing-sourced (37.5 %) is inside 20-40 %. But enterprise converts 6 %.
/// assert_eq!(report.warnings.len(), 1);
/// assert!(report.warnings[0].starts_with("enterprise: lead_to_customer 6.0 %"));
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Monitor {
    sales_model: SalesModel,
    lead_stage: Option<Stage>,
    lead_to_customer: Band,
    visitor_to_lead: Option<Band>,
}

impl Monitor {
    /// A monitor with the default bands for `sales_model`.
    pub fn new(sales_model: SalesModel) -> Monitor {
        Monitor {
            sales_model,
            lead_stage: None,
            lead_to_customer: Band::LEAD_TO_CUSTOMER,
            visitor_to_lead: None,
        }
    }

    /// Counts `stage` as the lead stage (default: the first counted stage
    /// below visitors).
    ///
    /// # Errors
    ///
    /// `Stage::Visitor` (field `lead_stage`): visitors are not leads.
    pub fn with_lead_stage(mut self, stage: Stage) -> Result<Monitor> {
        if stage == Stage::Visitor {
            return Err(Error::invalid("lead_stage", stage, "a stage below visitor"));
        }
        self.lead_stage = Some(stage);
        Ok(self)
    }

    /// Replaces the lead-to-customer band (default 2-5 %).
    #[must_use]
    pub fn with_lead_to_customer_band(mut self, band: Band) -> Monitor {
        self.lead_to_customer = band;
        self
    }

    /// Sets a band for visitor-to-lead conversion (default: none, the rate is
    /// reported without a benchmark).
    #[must_use]
    pub fn with_visitor_to_lead_band(mut self, band: Band) -> Monitor {
        self.visitor_to_lead = Some(band);
        self
    }

    /// Reads every persona and their total.
    ///
    /// # Errors
    ///
    /// Two personas with the same name (field `personas[i].name`).
    pub fn check(&self, personas: &[(&str, FunnelCounts)]) -> Result<MonitorReport> {
        let mut reports = Vec::with_capacity(personas.len());
        let mut warnings = Vec::new();
        for (i, (name, counts)) in personas.iter().enumerate() {
            if personas[..i].iter().any(|(other, _)| other == name) {
                return Err(Error::invalid(
                    format!("personas[{i}].name"),
                    name,
                    "a name not used by another persona",
                ));
            }
            let report = self.read(name, &[(*name, *counts)]);
            warnings.extend(warnings_of(&report, Some(name)));
            reports.push(report);
        }
        let total = self.read("total", personas);
        let mut all = warnings_of(&total, None);
        let notes = total
            .readings
            .iter()
            .filter_map(|r| {
                let over = r.over.as_ref()?;
                let left_out: Vec<&str> = personas
                    .iter()
                    .map(|(name, _)| *name)
                    .filter(|name| !over.iter().any(|o| o == name))
                    .collect();
                Some(format!(
                    "total {} is over {} only: {} {} not count both of its stages",
                    r.metric,
                    over.join(", "),
                    left_out.join(", "),
                    if left_out.len() == 1 { "does" } else { "do" },
                ))
            })
            .collect();
        all.extend(warnings);
        Ok(MonitorReport {
            total,
            personas: reports,
            warnings: all,
            notes,
        })
    }

    /// Reads the rates of `name`, summed over `members` (one persona, or
    /// every persona for the total). Each rate sums only the members that
    /// count both of its stages, and names them when that is not all.
    fn read(&self, name: &str, members: &[(&str, FunnelCounts)]) -> PersonaReport {
        let mut counts = FunnelCounts::default();
        for (_, c) in members {
            counts.add(c);
        }
        let mut readings = Vec::new();
        // The rate `lower / upper` over the members that count both
        // (`None` stands for customers, which every member counts).
        let rate = |upper: Option<Stage>, lower: Option<Stage>| {
            let count = |c: &FunnelCounts, s: Option<Stage>| match s {
                Some(s) => c.count(s),
                None => Some(c.customers()),
            };
            let mut sums = (0u64, 0u64);
            let mut over = Vec::new();
            for (member, c) in members {
                if let (Some(u), Some(l)) = (count(c, upper), count(c, lower)) {
                    sums = (sums.0.saturating_add(u), sums.1.saturating_add(l));
                    over.push((*member).to_owned());
                }
            }
            let partial = members.len() > 1 && over.len() < members.len();
            (ratio(sums.1 as f64, sums.0 as f64), partial.then_some(over))
        };
        let banded = |metric: &str, (value, over): (Option<f64>, Option<Vec<String>>), band: Option<Band>| Reading {
            metric: metric.to_owned(),
            value,
            band,
            status: band.zip(value).map(|(b, v)| b.status(v)),
            over,
        };
        readings.push(banded(
            "marketing_sourced_share",
            (
                ratio(counts.marketing_sourced_customers() as f64, counts.customers() as f64),
                None,
            ),
            Some(self.sales_model.marketing_sourced_band()),
        ));
        let lead = self
            .lead_stage
            .or_else(|| LEAD_STAGES.iter().copied().find(|&s| counts.count(s).is_some()));
        if let Some(lead) = lead.filter(|&s| counts.count(s).is_some()) {
            readings.push(banded(
                "lead_to_customer",
                rate(Some(lead), None),
                Some(self.lead_to_customer),
            ));
            if counts.count(Stage::Visitor).is_some() {
                readings.push(banded(
                    "visitor_to_lead",
                    rate(Some(Stage::Visitor), Some(lead)),
                    self.visitor_to_lead,
                ));
            }
        }
        let counted: Vec<Stage> = Stage::ALL.into_iter().filter(|&s| counts.count(s).is_some()).collect();
        for pair in counted.windows(2) {
            let (upper, lower) = (pair[0], pair[1]);
            readings.push(banded(
                &format!("{upper}_to_{lower}"),
                rate(Some(upper), Some(lower)),
                None,
            ));
        }
        if let Some(&last) = counted.last() {
            readings.push(banded(&format!("{last}_to_customer"), rate(Some(last), None), None));
        }
        // A total rate no persona counts both stages of is not a rate at all.
        readings.retain(|r| r.over.as_ref().is_none_or(|over| !over.is_empty()));
        PersonaReport {
            name: name.to_owned(),
            counts,
            readings,
        }
    }
}

/// The stages a *lead* may be, in the order the default lead stage is looked
/// for: the lead-to-customer benchmark (2-5 %) counts leads that marketing
/// has qualified (MQLs; the inquiry benchmarks convert inquiries to leads at
/// 4.4 %), so inquiries are never leads.
const LEAD_STAGES: [Stage; 3] = [Stage::Mql, Stage::Sal, Stage::Sql];

fn ratio(numerator: f64, denominator: f64) -> Option<f64> {
    (denominator > 0.0).then(|| numerator / denominator)
}

fn warnings_of(report: &PersonaReport, persona: Option<&str>) -> Vec<String> {
    let prefix = persona.map(|p| format!("{p}: ")).unwrap_or_default();
    report
        .readings
        .iter()
        .filter_map(|r| {
            let (value, band, status) = (r.value?, r.band?, r.status?);
            (status != BandStatus::Within).then(|| band_warning(&format!("{prefix}{}", r.metric), value, band, status))
        })
        .collect()
}

/// `"lead_to_customer 6.0 % is above the benchmark band 2.0-5.0 %"`.
pub(crate) fn band_warning(metric: &str, value: f64, band: Band, status: BandStatus) -> String {
    let side = if status == BandStatus::Below { "below" } else { "above" };
    format!(
        "{metric} {:.1} % is {side} the benchmark band {:.1}-{:.1} %",
        value * 100.0,
        band.low * 100.0,
        band.high * 100.0
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_denominators_give_no_rate_and_no_warning() {
        let report = Monitor::new(SalesModel::InsideWithLeadFocusedMarketing)
            .check(&[("empty", FunnelCounts::default().with(Stage::Mql, 0))])
            .unwrap();
        assert!(report.warnings.is_empty());
        assert!(report.total.readings.iter().all(|r| r.value.is_none()));
    }

    #[test]
    fn duplicate_personas_are_an_error() {
        let c = FunnelCounts::default();
        let err = Monitor::new(SalesModel::FieldWithInsideSupport)
            .check(&[("a", c), ("a", c)])
            .unwrap_err();
        assert_eq!(err.field(), Some("personas[1].name"));
    }
}
