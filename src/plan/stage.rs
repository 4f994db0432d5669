//! The stages of the demand waterfall.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A stage of the demand waterfall, from the top of the funnel down:
/// visitor -> inquiry -> MQL -> SAL -> SQL (-> customer).
///
/// Stages order from the top of the funnel down (`Visitor < Sql`), and
/// serialise as `visitor`, `inquiry`, `mql`, `sal`, `sql`.
///
/// # Example
///
/// ```
/// use lead_decay::plan::Stage;
///
/// assert!(Stage::Mql < Stage::Sql);
/// assert_eq!(Stage::Sal.to_string(), "sal");
/// assert_eq!(Stage::Mql.label(), "MQL");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Anonymous visitors (web site, event booth, ...).
    Visitor,
    /// Inquiries: raw responders who identified themselves.
    Inquiry,
    /// Marketing-qualified leads.
    Mql,
    /// Sales-accepted leads.
    Sal,
    /// Sales-qualified leads: what sales works and closes.
    Sql,
}

impl Stage {
    /// Every stage, from the top of the funnel down.
    pub const ALL: [Stage; 5] = [Stage::Visitor, Stage::Inquiry, Stage::Mql, Stage::Sal, Stage::Sql];

    /// The stage's name in files and JSON: `visitor`, `inquiry`, `mql`, `sal`, `sql`.
    pub const fn name(self) -> &'static str {
        match self {
            Stage::Visitor => "visitor",
            Stage::Inquiry => "inquiry",
            Stage::Mql => "mql",
            Stage::Sal => "sal",
            Stage::Sql => "sql",
        }
    }

    /// The stage's name for people, in tables: `Visitor`, `Inquiry`, `MQL`,
    /// `SAL`, `SQL`.
    pub const fn label(self) -> &'static str {
        match self {
            Stage::Visitor => "Visitor",
            Stage::Inquiry => "Inquiry",
            Stage::Mql => "MQL",
            Stage::Sal => "SAL",
            Stage::Sql => "SQL",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
