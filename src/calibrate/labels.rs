//! Outcome labels: which stage or status names of an export mean won, lost
//! and open.

use serde::{Deserialize, Serialize};

/// The labels of the outcome column that mean won, lost or open.
///
/// Labels match ignoring case, surrounding spaces, and the difference
/// between `-`, `_` and spaces (`Closed Won`, `closed-won` and
/// `CLOSED_WON` are one label). With `open_otherwise`, every label that is
/// neither won nor lost is open (the usual reading of CRM pipelines, where
/// each open stage has its own name); without it, a label in none of the
/// lists skips its row, and the export reports each such label once with
/// its count.
///
/// ```
/// use lead_decay::calibrate::{Outcome, OutcomeLabels};
///
/// let labels = OutcomeLabels::won_lost(&["Closed Won"], &["Closed Lost"]).open_otherwise();
/// assert_eq!(labels.classify("closed won"), Some(Outcome::Won));
/// assert_eq!(labels.classify("Presentation Scheduled"), Some(Outcome::Open));
/// assert_eq!(OutcomeLabels::default().classify("Presentation Scheduled"), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OutcomeLabels {
    /// Labels meaning won.
    pub won: Vec<String>,
    /// Labels meaning lost.
    pub lost: Vec<String>,
    /// Labels meaning open (not decided yet).
    pub open: Vec<String>,
    /// Every label that is neither won nor lost is open.
    pub open_otherwise: bool,
}

impl Default for OutcomeLabels {
    /// `won`, `closed won`, `win`; `lost`, `closed lost`, `loss`; `open`;
    /// other labels are not open.
    fn default() -> Self {
        let list = |labels: &[&str]| labels.iter().map(|l| (*l).to_owned()).collect();
        OutcomeLabels {
            won: list(&["won", "closed won", "win"]),
            lost: list(&["lost", "closed lost", "loss"]),
            open: list(&["open"]),
            open_otherwise: false,
        }
    }
}

impl OutcomeLabels {
    /// The `won` and `lost` labels, `open` as the only open label.
    pub fn won_lost(won: &[&str], lost: &[&str]) -> OutcomeLabels {
        let list = |labels: &[&str]| labels.iter().map(|l| (*l).to_owned()).collect();
        OutcomeLabels {
            won: list(won),
            lost: list(lost),
            open: vec!["open".to_owned()],
            open_otherwise: false,
        }
    }

    /// The same labels, with every other label read as open.
    #[must_use]
    pub fn open_otherwise(mut self) -> OutcomeLabels {
        self.open_otherwise = true;
        self
    }

    /// Splits a comma-separated list such as `"Closed Won,Won"` into labels
    /// (empty items dropped).
    pub fn list(spec: &str) -> Vec<String> {
        spec.split(',')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// The outcome `label` means, `None` when it is in no list (and
    /// `open_otherwise` is off). An empty label is `None`.
    pub fn classify(&self, label: &str) -> Option<Outcome> {
        let key = normalise(label);
        if key.is_empty() {
            return None;
        }
        let has = |list: &[String]| list.iter().any(|l| normalise(l) == key);
        if has(&self.won) {
            Some(Outcome::Won)
        } else if has(&self.lost) {
            Some(Outcome::Lost)
        } else if has(&self.open) || self.open_otherwise {
            Some(Outcome::Open)
        } else {
            None
        }
    }

    /// A matcher with the labels normalised once, for reading many rows.
    pub(crate) fn matcher(&self) -> LabelMatcher {
        let keys = |list: &[String]| list.iter().map(|l| normalise(l)).collect();
        LabelMatcher {
            won: keys(&self.won),
            lost: keys(&self.lost),
            open: keys(&self.open),
            open_otherwise: self.open_otherwise,
        }
    }
}

/// [`OutcomeLabels`] with every label normalised.
#[derive(Debug, Clone)]
pub(crate) struct LabelMatcher {
    won: Vec<String>,
    lost: Vec<String>,
    open: Vec<String>,
    open_otherwise: bool,
}

impl LabelMatcher {
    pub(crate) fn classify(&self, label: &str) -> Option<Outcome> {
        // Most labels are plain ASCII words ("won", "Closed Lost"): compare
        // them without building the normalised form (measured: the
        // allocation per row was a sizeable share of reading 1 M rows).
        let trimmed = label.trim();
        let plain = |b: u8| (b.is_ascii_graphic() && b != b'-' && b != b'_') || b == b' ';
        if !trimmed.is_empty() && trimmed.bytes().all(plain) && !trimmed.contains("  ") {
            let has = |keys: &[String]| keys.iter().any(|k| k.eq_ignore_ascii_case(trimmed));
            return if has(&self.won) {
                Some(Outcome::Won)
            } else if has(&self.lost) {
                Some(Outcome::Lost)
            } else if has(&self.open) || self.open_otherwise {
                Some(Outcome::Open)
            } else {
                None
            };
        }
        let key = normalise(label);
        if key.is_empty() {
            None
        } else if self.won.contains(&key) {
            Some(Outcome::Won)
        } else if self.lost.contains(&key) {
            Some(Outcome::Lost)
        } else if self.open.contains(&key) || self.open_otherwise {
            Some(Outcome::Open)
        } else {
            None
        }
    }
}

/// Lower case, `-` and `_` as spaces, runs of spaces as one, trimmed.
/// (Whitespace other than spaces, e.g. a tab, also separates words.)
fn normalise(label: &str) -> String {
    let mapped: String = label
        .chars()
        .map(|c| if c == '-' || c == '_' { ' ' } else { c })
        .collect::<String>()
        .to_lowercase();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The outcome of an SQL at the time of the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Became a customer. A won SQL was contacted, was still warm and closed.
    Won,
    /// Closed without a deal: contacted and either cold or would not close,
    /// or never contacted.
    Lost,
    /// Not decided yet: censored, never counted as a loss.
    Open,
}

impl Outcome {
    /// Reads `won`, `lost` or `open` (any case, surrounding spaces ignored;
    /// `closed won` / `closed-won` / `closed_won` and the `lost` forms too):
    /// the [`OutcomeLabels::default`] labels.
    pub fn parse(text: &str) -> Option<Outcome> {
        OutcomeLabels::default().classify(text)
    }

    /// `"won"`, `"lost"` or `"open"`.
    pub const fn name(self) -> &'static str {
        match self {
            Outcome::Won => "won",
            Outcome::Lost => "lost",
            Outcome::Open => "open",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_match_ignoring_case_dashes_underscores_and_spacing() {
        let labels = OutcomeLabels::won_lost(&["Closed Won"], &["Abgeschlossen - Verloren"]);
        let matcher = labels.matcher();
        for text in ["closed won", " CLOSED_WON ", "Closed-Won", "closed\twon", "closed  won"] {
            assert_eq!(matcher.classify(text), Some(Outcome::Won), "{text:?}");
            assert_eq!(labels.classify(text), Some(Outcome::Won), "{text:?}");
        }
        assert_eq!(matcher.classify("abgeschlossen verloren"), Some(Outcome::Lost));
        assert_eq!(matcher.classify("Presentation Scheduled"), None);
        assert_eq!(matcher.classify(""), None);
    }
}
