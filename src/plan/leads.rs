//! BANT scoring of a lead list read from CSV: who qualifies, who goes to
//! nurture and when they are recontacted, and every row that cannot be
//! scored, with its line and reason.
// Reading CSV needs the `calibrate` feature; without it only scoring a list
// built elsewhere remains.
#![cfg_attr(not(feature = "calibrate"), allow(unused_imports, dead_code))]

use std::io::Read;
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::plan::bant::{BantCredit, BantScorer, BantWeights, INQUIRY_BENCHMARKS, Nurture, PublishedFigure};

/// The criteria in column order of [`BantCredit`], with the header names
/// each is found under (case-insensitive).
const CRITERIA: [(&str, &[&str]); 4] = [
    ("Budget", &["budget", "b"]),
    ("Authority", &["authority", "a"]),
    ("Need", &["need", "n"]),
    ("Timeline", &["timeline", "timeframe", "timing", "t"]),
];

/// Header names of an optional lead identifier column.
const ID_COLUMNS: [&str; 5] = ["id", "lead", "lead_id", "name", "email"];

/// One scored lead.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct ScoredLead {
    /// Line in the file (the header is line 1).
    pub line: u64,
    /// The lead's identifier, when the file has an `id` (or `lead`,
    /// `lead_id`, `name`, `email`) column.
    pub id: Option<String>,
    /// Credit per criterion: budget, authority, need, timeline, each in [0, 1].
    pub credit: [f64; 4],
    /// Its score: the sum of weight x credit.
    pub score: f64,
    /// Whether it reaches the threshold; the others go to nurture.
    pub qualified: bool,
}

/// A row that could not be scored, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct UnscorableRow {
    /// Line in the file (the header is line 1).
    pub line: u64,
    /// What is wrong, naming the column and the value.
    pub reason: String,
}

/// A lead list scored on BANT.
///
/// Columns are found by name, case-insensitively: `Budget`, `Authority`,
/// `Need`, and `Timeline` (or `Timeframe`), plus an optional identifier
/// (`id`, `lead`, `lead_id`, `name`, `email`); other columns are ignored.
/// A cell is `yes`/`y`/`true` (full credit), `no`/`n`/`false` (none),
/// `partial` (half), a number in [0, 1], or a percentage (`50%`). A row
/// with an empty or unreadable cell is not scored: it is kept in
/// [`LeadList::unscorable`] with its line and reason, never dropped
/// silently.
///
/// # Example
///
/// ```
/// use lead_decay::plan::{BantScorer, LeadList};
///
/// let csv = "id,Budget,Authority,Need,Timeline\n\
///            acme,yes,yes,yes,no\n\
///            globex,yes,partial,no,no\n\
///            initech,yes,maybe,yes,yes\n";
/// let leads = LeadList::from_reader(csv.as_bytes(), &BantScorer::default())?;
/// assert_eq!((leads.qualified(), leads.nurtured()), (1, 1));
/// assert_eq!(leads.leads()[1].score, 37.5);
/// assert_eq!(leads.unscorable()[0].line, 4);
/// assert_eq!(leads.unscorable()[0].reason, "column Authority: \"maybe\" is not yes, no, partial, a number in [0, 1] or a percentage");
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeadList {
    leads: Vec<ScoredLead>,
    unscorable: Vec<UnscorableRow>,
}

impl LeadList {
    /// Reads and scores a CSV file.
    ///
    /// # Errors
    ///
    /// An unreadable file, or as [`LeadList::from_reader`], attributed to
    /// the file.
    #[cfg(feature = "calibrate")]
    pub fn read_path(path: impl AsRef<Path>, scorer: &BantScorer) -> Result<LeadList> {
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(|source| Error::Io {
            file: path.display().to_string(),
            source,
        })?;
        LeadList::from_reader(std::io::BufReader::new(file), scorer).map_err(|e| e.in_file(path.display().to_string()))
    }

    /// Reads and scores CSV text.
    ///
    /// # Errors
    ///
    /// A missing header or a missing BANT column (field `columns`, listing
    /// the columns found), or a read failure.
    #[cfg(feature = "calibrate")]
    pub fn from_reader(mut reader: impl Read, scorer: &BantScorer) -> Result<LeadList> {
        // Lead lists are small: reading them whole lets every row be
        // reported at its true line (the CSV reader counts a record after a
        // blank line from the blank line).
        let mut text = Vec::new();
        reader
            .read_to_end(&mut text)
            .map_err(|e| Error::invalid("rows", e, "readable CSV"))?;
        let line_of = |byte: u64, fallback: u64| {
            let Ok(mut at) = usize::try_from(byte) else {
                return fallback;
            };
            let mut line = 1 + text[..at.min(text.len())].iter().filter(|&&b| b == b'\n').count() as u64;
            while let Some(&b) = text.get(at).filter(|&&b| b == b'\n' || b == b'\r') {
                line += u64::from(b == b'\n');
                at += 1;
            }
            line
        };
        let mut csv = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(text.as_slice());
        let headers = csv
            .headers()
            .map_err(|e| Error::invalid("header", e, "a CSV header row"))?
            .clone();
        let find = |names: &[&str]| {
            headers
                .iter()
                .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
        };
        let mut columns = [0usize; 4];
        for (slot, (label, names)) in columns.iter_mut().zip(CRITERIA) {
            *slot = find(names).ok_or_else(|| {
                Error::invalid(
                    "columns",
                    format!(
                        "no column {label:?} (found {})",
                        headers.iter().collect::<Vec<_>>().join(", ")
                    ),
                    "Budget, Authority, Need and Timeline columns",
                )
            })?;
        }
        let id_column = find(&ID_COLUMNS);
        let mut list = LeadList {
            leads: Vec::new(),
            unscorable: Vec::new(),
        };
        let mut record = csv::StringRecord::new();
        let mut line = 1;
        loop {
            match csv.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    line = record.position().map_or(line + 1, |p| line_of(p.byte(), p.line()));
                    if record.iter().all(|f| f.trim().is_empty()) {
                        continue; // a blank line is not a lead
                    }
                    let mut credit = [0.0; 4];
                    let mut problem = None;
                    for (i, (&column, (label, _))) in columns.iter().zip(CRITERIA).enumerate() {
                        match parse_credit(record.get(column).unwrap_or("")) {
                            Ok(c) => credit[i] = c,
                            Err(why) => {
                                problem = Some(format!("column {label}: {why}"));
                                break;
                            }
                        }
                    }
                    if let Some(reason) = problem {
                        list.unscorable.push(UnscorableRow { line, reason });
                        continue;
                    }
                    // Every credit is in [0, 1]: `new` cannot fail.
                    let bant = BantCredit::new(credit[0], credit[1], credit[2], credit[3])?;
                    list.leads.push(ScoredLead {
                        line,
                        id: id_column
                            .and_then(|c| record.get(c))
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .map(str::to_owned),
                        credit,
                        score: scorer.score(&bant),
                        qualified: scorer.qualifies(&bant),
                    });
                }
                Err(e) => {
                    let Some(pos) = e.position() else {
                        return Err(Error::invalid("rows", e, "readable CSV"));
                    };
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        return Err(Error::invalid("rows", e, "readable CSV"));
                    }
                    line = line_of(pos.byte(), pos.line());
                    list.unscorable.push(UnscorableRow {
                        line,
                        reason: format!("malformed row: {e}"),
                    });
                }
            }
        }
        Ok(list)
    }

    /// The scored leads, in file order.
    pub fn leads(&self) -> &[ScoredLead] {
        &self.leads
    }

    /// The rows that could not be scored, in file order.
    pub fn unscorable(&self) -> &[UnscorableRow] {
        &self.unscorable
    }

    /// Leads that qualify.
    pub fn qualified(&self) -> u64 {
        self.leads.iter().filter(|l| l.qualified).count() as u64
    }

    /// Leads that fall short and go to nurture.
    pub fn nurtured(&self) -> u64 {
        self.leads.len() as u64 - self.qualified()
    }

    /// The report: counts, the nurture schedule, and every lead and
    /// unscorable row.
    pub fn report(&self, scorer: &BantScorer, nurture: &Nurture) -> LeadScoring {
        let nurtured = self.nurtured() as f64;
        let chance = nurture.requalification_chance();
        let mut waiting = nurtured;
        let recontacts = (1..=nurture.rounds())
            .map(|round| {
                let requalified = waiting * chance;
                let recontact = Recontact {
                    round,
                    after_hours: f64::from(round) * nurture.recontact_after().get(),
                    leads: waiting,
                    expected_requalified: requalified,
                };
                waiting -= requalified;
                recontact
            })
            .collect::<Vec<_>>();
        let from_nurture: f64 = recontacts.iter().map(|r| r.expected_requalified).sum();
        LeadScoring {
            weights: scorer.weights(),
            threshold: scorer.threshold(),
            rows: (self.leads.len() + self.unscorable.len()) as u64,
            scored: self.leads.len() as u64,
            qualified: self.qualified(),
            nurtured: self.nurtured(),
            requalification_chance: chance,
            recontacts,
            expected_qualified_with_nurture: self.qualified() as f64 + from_nurture,
            unscorable: self.unscorable.clone(),
            leads: self.leads.clone(),
            funnel: None,
            inquiry_benchmarks: INQUIRY_BENCHMARKS.to_vec(),
        }
    }
}

/// One recontact round of the nurture pool.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Recontact {
    /// The round, from 1.
    pub round: u32,
    /// When, in hours after scoring.
    pub after_hours: f64,
    /// Nurtured leads recontacted (expected, after earlier rounds requalified some).
    pub leads: f64,
    /// Expected leads that qualify at this recontact.
    pub expected_requalified: f64,
}

/// What the qualified leads mean for the funnel: they are the SQLs, closing
/// at the plan's effective close rate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct BantFunnel {
    /// Qualified leads, counted as SQLs.
    pub sqls: u64,
    /// The effective close rate (close rate x worked share x warm probability).
    pub effective_close_rate: f64,
    /// `sqls x effective_close_rate`.
    pub expected_customers: f64,
    /// Expected customers once the nurture pool's requalified leads close too.
    pub expected_customers_with_nurture: f64,
    /// The SQLs the plan needs for its goal, when there is a goal.
    pub sqls_needed: Option<u64>,
    /// The exact probability that the qualified SQLs reach the goal.
    pub goal_probability: Option<f64>,
}

/// The `plan bant` report: how a lead list scores, the nurture pool and its
/// recontacts, what the qualified leads bring the funnel, and every row
/// that could not be scored.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct LeadScoring {
    /// Points per criterion.
    pub weights: BantWeights,
    /// Points needed to qualify.
    pub threshold: f64,
    /// Data rows read (blank lines excluded).
    pub rows: u64,
    /// Rows scored.
    pub scored: u64,
    /// Leads that qualify.
    pub qualified: u64,
    /// Leads that go to nurture.
    pub nurtured: u64,
    /// Chance a nurtured lead qualifies at a recontact (0: not modelled).
    pub requalification_chance: f64,
    /// The recontact schedule of the nurture pool.
    pub recontacts: Vec<Recontact>,
    /// Qualified leads plus the nurture pool's expected requalified leads.
    pub expected_qualified_with_nurture: f64,
    /// Rows not scored, with line and reason.
    pub unscorable: Vec<UnscorableRow>,
    /// Every scored lead.
    pub leads: Vec<ScoredLead>,
    /// What the qualified leads bring the funnel, when a close rate is known.
    pub funnel: Option<BantFunnel>,
    /// Published inquiry benchmarks to read the qualified share against
    /// ([`INQUIRY_BENCHMARKS`]: inquiry -> lead 4.4 % on average, under 10 %
    /// even for best-practice companies, ...). Constants of the crate:
    /// written to JSON, not read back.
    #[serde(skip_deserializing)]
    pub inquiry_benchmarks: Vec<PublishedFigure>,
}

/// A cell's credit: yes/no, partial, a number in [0, 1] or a percentage.
fn parse_credit(cell: &str) -> std::result::Result<f64, String> {
    let text = cell.trim();
    let lower = text.to_ascii_lowercase();
    let credit = match lower.as_str() {
        "" => return Err("empty".to_owned()),
        "yes" | "y" | "true" => 1.0,
        "no" | "n" | "false" => 0.0,
        "partial" | "partly" => 0.5,
        _ => {
            let (number, scale) = match lower.strip_suffix('%') {
                Some(p) => (p.trim(), 100.0),
                None => (lower.as_str(), 1.0),
            };
            number.parse::<f64>().map(|x| x / scale).unwrap_or(f64::NAN)
        }
    };
    if (0.0..=1.0).contains(&credit) {
        Ok(credit)
    } else {
        Err(format!(
            "{text:?} is not yes, no, partial, a number in [0, 1] or a percentage"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_as_credit() {
        for (cell, credit) in [
            ("Yes", 1.0),
            (" n ", 0.0),
            ("partial", 0.5),
            ("0.25", 0.25),
            ("40%", 0.4),
        ] {
            assert_eq!(parse_credit(cell), Ok(credit), "{cell}");
        }
        for cell in ["", "1.5", "-0.1", "maybe", "NaN", "150%"] {
            assert!(parse_credit(cell).is_err(), "{cell}");
        }
    }
}
