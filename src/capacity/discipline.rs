//! Which waiting item a free rep takes next.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// The queue discipline of a sales team.
///
/// # Example
///
/// ```
/// use lead_decay::capacity::Discipline;
///
/// assert_eq!("newest-first".parse::<Discipline>()?, Discipline::NewestFirst);
/// assert!("random".parse::<Discipline>().is_err());
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Discipline {
    /// First come, first served (the default).
    #[default]
    Fifo,
    /// The most recent arrival first: fresh leads are still warm, old ones
    /// may wait for ever.
    NewestFirst,
    /// The highest expected value first: `close rate × mean deal value ×
    /// f(age)` at the moment of choosing (ties: the oldest). Raw inquiries
    /// score their own close rate times the mean deal value of the SQLs'
    /// first segment.
    Priority,
}

impl Discipline {
    /// Every discipline, in documentation order.
    pub const ALL: [Discipline; 3] = [Discipline::Fifo, Discipline::NewestFirst, Discipline::Priority];

    /// The spelling used in scenario files and on command lines.
    pub const fn name(self) -> &'static str {
        match self {
            Discipline::Fifo => "fifo",
            Discipline::NewestFirst => "newest-first",
            Discipline::Priority => "priority",
        }
    }
}

impl fmt::Display for Discipline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Discipline {
    type Err = Error;

    fn from_str(text: &str) -> Result<Discipline> {
        Discipline::ALL.into_iter().find(|d| d.name() == text).ok_or_else(|| {
            Error::invalid(
                "discipline",
                format!("{text:?}"),
                "a queue discipline: \"fifo\", \"newest-first\" or \"priority\"",
            )
        })
    }
}
