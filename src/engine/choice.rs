//! The choice of engine: which sampler turns a scenario into trials.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// Which sampler turns a scenario into trials. Both are exact in
/// distribution; they differ in speed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Engine {
    /// The fastest exact engine for the scenario (currently always
    /// [`Engine::Collapsed`], whose cost does not grow with the cohort).
    #[default]
    Auto,
    /// Every SQL drawn one by one. With an SLA, each SQL's neglect, delay,
    /// warmth and close are drawn as the generative model reads. Without
    /// one, nothing observes a worked SQL's delay, so each SQL's outcome
    /// (customer, lost customer or neither) is one categorical draw with
    /// the exact probabilities `(1 - q) p E[f(D)]` and `p (1 - (1 - q) E[f(D)])`,
    /// `q` the share never followed up.
    PerSql,
    /// Binomial counts per segment instead of SQL-by-SQL draws.
    Collapsed,
}

impl Engine {
    /// The spelling used on command lines and in reports.
    pub const fn name(self) -> &'static str {
        match self {
            Engine::Auto => "auto",
            Engine::PerSql => "per-sql",
            Engine::Collapsed => "collapsed",
        }
    }

    /// The engine `Auto` stands for (identity for the others).
    pub const fn resolve(self) -> Engine {
        match self {
            Engine::Auto => Engine::Collapsed,
            other => other,
        }
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Engine {
    type Err = Error;

    fn from_str(text: &str) -> Result<Engine> {
        [Engine::Auto, Engine::PerSql, Engine::Collapsed]
            .into_iter()
            .find(|e| e.name() == text)
            .ok_or_else(|| Error::invalid("engine", format!("{text:?}"), "\"auto\", \"per-sql\" or \"collapsed\""))
    }
}
