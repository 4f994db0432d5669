//! Reading a CRM export: one row per SQL.
//!
//! The reader takes files as CRMs and spreadsheets write them: any of the
//! common encodings and delimiters, a byte-order mark, CRLF line ends,
//! blank lines, a report footer; stage names mapped to won, lost and open;
//! amounts with currency symbols and thousands separators; timestamps in
//! several formats, with zone names, abbreviations or in the account's
//! time zone. Nothing is dropped silently: every row is used or skipped
//! with its line and reason, and every reading that changes the data
//! (a fallback encoding, a zone abbreviation, dates without a time of
//! day, unreadable optional values) is a warning in the
//! [`ImportSummary`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::io::Read;
use std::path::Path;
use std::str::FromStr;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use super::amount::{self, NumberLocale};
use super::decode::{self, Encoding};
use super::labels::{LabelMatcher, Outcome, OutcomeLabels};
use super::timestamp::{self, Reading, TimestampReader, ZoneSource};
use crate::error::{Error, Result};

/// One SQL of an export.
#[derive(Debug, Clone, PartialEq)]
pub struct SqlRecord {
    /// Line of the file the row came from (1 is the header).
    pub line: u64,
    /// When it became an SQL.
    pub became_sql: Timestamp,
    /// When sales first contacted it; `None`: not yet, or never.
    pub first_contact: Option<Timestamp>,
    /// Won, lost or open.
    pub outcome: Outcome,
    /// Deal value, when the export has one for the row.
    pub deal_value: Option<f64>,
    /// Segment, when the export has a segment column.
    pub segment: Option<String>,
    /// When a won or lost SQL was decided (closed), when the export has a
    /// decision-date column and the row a readable value. The reader
    /// leaves it `None` on open SQLs (a CRM's close date on an open deal
    /// is a forecast, not a decision) and on SQLs never contacted (they
    /// have no sales cycle).
    pub decided_at: Option<Timestamp>,
}

impl SqlRecord {
    /// Hours from becoming an SQL to the first contact, if contacted.
    pub fn delay_hours(&self) -> Option<f64> {
        self.first_contact.map(|c| timestamp::hours_between(self.became_sql, c))
    }

    /// Hours from the first contact to the decision (the sales cycle), if
    /// contacted and decided with a decision date.
    pub fn cycle_hours(&self) -> Option<f64> {
        match (self.first_contact, self.decided_at) {
            (Some(c), Some(d)) => Some(timestamp::hours_between(c, d).max(0.0)),
            _ => None,
        }
    }
}

/// The column names of an export. The defaults are `sql_at`,
/// `first_contact_at`, `outcome`, `deal_value`, `segment` and `decided_at`;
/// the last three are optional (ignored when the file has no such column),
/// and an `id` column is read only when named.
///
/// Names match the header exactly first, then ignoring case (a warning
/// when several columns match).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Columns {
    /// When the row became an SQL (required).
    pub became_sql: String,
    /// First contact by sales, empty when none (required).
    pub first_contact: String,
    /// Won, lost or open, as mapped by [`OutcomeLabels`] (required).
    pub outcome: String,
    /// Deal value (optional column).
    pub deal_value: String,
    /// Segment name (optional column).
    pub segment: String,
    /// When a won or lost SQL was decided: the CRM's close date (optional
    /// column). Read on won and lost rows only; a date without a time of
    /// day is read as the middle of its day (a day is little against a
    /// sales cycle of days to weeks). Without it, a decided SQL is known
    /// only to have been decided by the as-of date.
    pub decided: String,
    /// The SQL's id (optional column, read only when named): a repeated id
    /// skips the later row ([`SkipReason::DuplicateId`]); a named id column
    /// missing from the file is a warning.
    pub id: Option<String>,
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            became_sql: "sql_at".to_owned(),
            first_contact: "first_contact_at".to_owned(),
            outcome: "outcome".to_owned(),
            deal_value: "deal_value".to_owned(),
            segment: "segment".to_owned(),
            decided: "decided_at".to_owned(),
            id: None,
        }
    }
}

/// The keys of [`Columns::with`] and [`Columns::with_spec`].
pub const COLUMN_KEYS: &str = "sql_at, first_contact_at, outcome, deal_value, segment, decided_at, id";

impl Columns {
    /// Renames one column: `key` is one of the default names
    /// (`sql_at`, `first_contact_at`, `outcome`, `deal_value`, `segment`,
    /// `decided_at`) or `id`, `name` the export's column name, used as given (it may
    /// contain commas).
    ///
    /// ```
    /// use lead_decay::calibrate::Columns;
    ///
    /// let columns = Columns::default().with("deal_value", "Amount (USD, converted)")?;
    /// assert_eq!(columns.deal_value, "Amount (USD, converted)");
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// An unknown key (field `columns`).
    pub fn with(mut self, key: &str, name: &str) -> Result<Columns> {
        let name = name.trim().to_owned();
        match key.trim() {
            "sql_at" => self.became_sql = name,
            "first_contact_at" => self.first_contact = name,
            "outcome" => self.outcome = name,
            "deal_value" => self.deal_value = name,
            "segment" => self.segment = name,
            "decided_at" => self.decided = name,
            "id" => self.id = Some(name),
            other => {
                return Err(Error::invalid(
                    "columns",
                    format!("{other:?}"),
                    format!("one of {COLUMN_KEYS}"),
                ));
            }
        }
        Ok(self)
    }

    /// Renames columns from a spec such as
    /// `"sql_at=Created,first_contact_at=First Touch,outcome=Stage"`: each
    /// `key=name` pair maps one of the default names (the keys) to the
    /// export's column name. A name containing a comma is written in
    /// double quotes (`deal_value="Amount, USD"`); or use [`Columns::with`].
    ///
    /// ```
    /// use lead_decay::calibrate::Columns;
    ///
    /// let columns = Columns::default().with_spec("sql_at=Created,outcome=Stage")?;
    /// assert_eq!(columns.became_sql, "Created");
    /// assert_eq!(columns.outcome, "Stage");
    /// let quoted = Columns::default().with_spec(r#"deal_value="Amount, USD",outcome=Stage"#)?;
    /// assert_eq!(quoted.deal_value, "Amount, USD");
    /// assert!(Columns::default().with_spec("created=x").is_err());
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A pair without `=`, an unclosed quote, or an unknown key (field
    /// `columns`).
    pub fn with_spec(mut self, spec: &str) -> Result<Columns> {
        let mut pairs = Vec::new();
        let (mut current, mut quoted) = (String::new(), false);
        for c in spec.chars() {
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => pairs.push(std::mem::take(&mut current)),
                _ => current.push(c),
            }
        }
        if quoted {
            return Err(Error::invalid("columns", format!("{spec:?}"), "closed double quotes"));
        }
        pairs.push(current);
        for pair in pairs.iter().filter(|p| !p.trim().is_empty()) {
            let (key, name) = pair.split_once('=').ok_or_else(|| {
                Error::invalid(
                    "columns",
                    format!("{pair:?}"),
                    "key=column name pairs separated by commas",
                )
            })?;
            self = self.with(key, name)?;
        }
        Ok(self)
    }
}

/// What to do with a first contact recorded before the SQL date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ContactBeforeSql {
    /// Skip the row ([`SkipReason::ContactBeforeSql`]).
    #[default]
    Skip,
    /// Keep the row with a delay of zero: the SQL was already being worked
    /// when it qualified (HubSpot, for one, can record an engagement before
    /// the lifecycle date). Counted in a warning.
    Zero,
}

impl FromStr for ContactBeforeSql {
    type Err = Error;

    fn from_str(text: &str) -> Result<ContactBeforeSql> {
        match text.trim().to_ascii_lowercase().as_str() {
            "skip" => Ok(ContactBeforeSql::Skip),
            "zero" => Ok(ContactBeforeSql::Zero),
            _ => Err(Error::invalid(
                "contact_before_sql",
                format!("{text:?}"),
                "skip or zero",
            )),
        }
    }
}

/// How to read an export: column names, outcome labels, timestamp formats
/// and time zone, number notation, file encoding and delimiter, and the
/// moment the export was taken.
///
/// Start from [`ExportFormat::default`] (the library's own export format)
/// or a CRM preset ([`ExportFormat::preset`]) and change any part.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct ExportFormat {
    /// Column names.
    pub columns: Columns,
    /// Which outcome labels mean won, lost and open.
    pub labels: OutcomeLabels,
    /// strftime-style formats tried in order before the built-in ones
    /// (e.g. `"%d/%m/%Y %H:%M"`); see [`ExportFormat::BUILT_IN_TIMESTAMPS`].
    /// Each must hold a `%` directive.
    pub timestamp_formats: Vec<String>,
    /// The time zone of civil times (those without an offset or zone): an
    /// IANA name (`Europe/Berlin`), `UTC`, or an offset (`+01:00`). `None`:
    /// UTC, with a warning when the file has civil times.
    pub time_zone: Option<String>,
    /// Accept columns whose values have no time of day. Such a date is
    /// placed at the middle of its day, or of the part of the day before a
    /// same-day contact (after a same-day SQL), so delays are right on
    /// average but each is uncertain by up to a day: a warning says so.
    /// Without it, a time column with only dates is an error.
    pub date_only: bool,
    /// Field delimiter; `None`: decided from the header line (the most
    /// frequent of `,`, `;`, tab and `|`).
    pub delimiter: Option<u8>,
    /// Character encoding.
    pub encoding: Encoding,
    /// Notation of the deal values.
    pub number_locale: NumberLocale,
    /// First contacts before the SQL date: skip the row, or a zero delay.
    pub contact_before_sql: ContactBeforeSql,
    /// When the export was taken; SQLs still open or uncontacted are
    /// censored at this moment, and rows with a later timestamp are skipped
    /// ([`SkipReason::AfterExport`]). `None`: the latest timestamp in the file.
    pub as_of: Option<Timestamp>,
}

impl ExportFormat {
    /// The built-in timestamp forms, tried after any custom formats:
    /// RFC 3339 / ISO-8601 with an offset (`2024-03-01T09:30:00Z`,
    /// `...+01:00`), with a zone annotation (`...[Europe/Berlin]`), civil
    /// date-times `2024-03-01T09:30[:15]` and `2024-03-01 09:30[:15]`
    /// (read in [`ExportFormat::time_zone`]) and dates `2024-03-01`; any of
    /// these (or a custom format) followed by a zone abbreviation
    /// (`2024-03-01 09:30 EST`) or an IANA zone name.
    pub const BUILT_IN_TIMESTAMPS: &'static str = "ISO-8601 (2024-03-01T09:30:00Z, 2024-03-01T09:30-05:00[America/New_York], 2024-03-01 09:30[:15], 2024-03-01), optionally followed by a zone abbreviation or IANA name";

    /// The time zone of civil times.
    ///
    /// # Errors
    ///
    /// An unknown zone name (field `time_zone`).
    pub fn zone(&self) -> Result<TimeZone> {
        self.time_zone
            .as_deref()
            .map_or(Ok(TimeZone::UTC), timestamp::zone_named)
    }

    /// Reads a timestamp (such as an `as_of` given on a command line) as
    /// the export's values are read: the custom formats, then the built-in
    /// forms, civil times in [`ExportFormat::time_zone`]. A date without a
    /// time of day means the end of that day.
    ///
    /// ```
    /// use lead_decay::calibrate::ExportFormat;
    ///
    /// let mut format = ExportFormat::default();
    /// format.timestamp_formats = vec!["%d.%m.%Y %H:%M".to_owned()];
    /// format.time_zone = Some("Europe/Berlin".to_owned());
    /// assert_eq!(format.parse_timestamp("31.03.2025 18:00")?.to_string(), "2025-03-31T16:00:00Z");
    /// assert_eq!(format.parse_timestamp("2025-03-31")?.to_string(), "2025-03-31T22:00:00Z");
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A value no format reads, a format without directives, an unknown
    /// time zone (field `as_of`).
    pub fn parse_timestamp(&self, text: &str) -> Result<Timestamp> {
        let reader = TimestampReader::new(&self.timestamp_formats, self.zone()?)?;
        let reading = reader.read(text).ok_or_else(|| {
            Error::invalid(
                "as_of",
                format!("{text:?}"),
                format!(
                    "a timestamp in one of the formats {:?} or {}",
                    self.timestamp_formats,
                    ExportFormat::BUILT_IN_TIMESTAMPS
                ),
            )
        })?;
        Ok(if reading.date_only {
            timestamp::plus_hours(reading.at, 24.0)
        } else {
            reading.at
        })
    }
}

/// Why a row was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SkipReason {
    /// A timestamp that no format could read.
    UnparseableTimestamp,
    /// A required value is empty.
    MissingValue,
    /// The first contact precedes the SQL date (and
    /// [`ContactBeforeSql::Skip`]).
    ContactBeforeSql,
    /// Won without a first contact (a won SQL must have been worked).
    WonWithoutContact,
    /// An outcome label that [`OutcomeLabels`] does not map; the summary
    /// counts each such label once ([`ImportSummary::unknown_outcomes`]).
    UnknownOutcome,
    /// A timestamp after the export's `as_of` moment.
    AfterExport,
    /// A row with another number of fields than the header.
    WrongFieldCount,
    /// An id already seen on an earlier row (when an id column is named).
    DuplicateId,
    /// A row the CSV reader could not read (bad quoting).
    MalformedRow,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SkipReason::UnparseableTimestamp => "unparseable timestamp",
            SkipReason::MissingValue => "missing value",
            SkipReason::ContactBeforeSql => "first contact before the SQL date",
            SkipReason::WonWithoutContact => "won without a first contact",
            SkipReason::UnknownOutcome => "unknown outcome",
            SkipReason::AfterExport => "timestamp after the export date",
            SkipReason::WrongFieldCount => "wrong number of fields",
            SkipReason::DuplicateId => "repeated SQL id",
            SkipReason::MalformedRow => "malformed row",
        })
    }
}

/// A row that was not used, with its line number and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowProblem {
    /// Line in the file (the header is line 1).
    pub line: u64,
    /// The column at fault (empty for a malformed row).
    pub column: String,
    /// The offending value as written (for a malformed row or a wrong
    /// number of fields: what the reader found).
    pub value: String,
    /// Why the row was skipped.
    pub reason: SkipReason,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)?;
        if !self.column.is_empty() {
            write!(f, " in column {:?}: {:?}", self.column, self.value)?;
        } else if !self.value.is_empty() {
            write!(f, ": {}", self.value)?;
        }
        Ok(())
    }
}

/// What kind of reading a warning reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WarningKind {
    /// The file is not UTF-8 and was read as Windows-1252.
    Encoding,
    /// Several columns match a name ignoring case; the first is used.
    AmbiguousColumn,
    /// Lines after the data that are not records (a report footer).
    Footer,
    /// Civil times read as UTC because no time zone was given.
    CivilTimesAsUtc,
    /// A zone abbreviation read as a fixed offset.
    ZoneAbbreviation,
    /// Values without a time of day.
    DateOnly,
    /// First contacts before the SQL date read as a zero delay.
    ContactBeforeSqlZeroed,
    /// Deal values that could not be read; the rows are kept without one.
    UnreadableDealValue,
    /// The deal-value column holds several currencies.
    MixedCurrencies,
    /// No deal-value column: the fitted scenario needs a deal value.
    NoDealValues,
    /// An id column was named but the file has none: repeats go undetected.
    NoIdColumn,
    /// Decision dates that could not be read; the rows are kept, known
    /// only to be decided by the as-of date.
    UnreadableDecisionDate,
    /// Decision dates before the first contact, read as decided at the
    /// first contact.
    DecisionBeforeContact,
}

/// A reading of the export that changes or qualifies the data, reported
/// once with the number of rows it touched and the first of their lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ImportWarning {
    /// What kind of reading.
    pub kind: WarningKind,
    /// What happened and what it does to the fit, in words.
    pub message: String,
    /// Rows touched (0 when the warning is about the file as a whole).
    pub rows: u64,
    /// The first few of their lines.
    pub first_lines: Vec<u64>,
}

impl fmt::Display for ImportWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if self.rows > 0 {
            write!(
                f,
                " [{} row{}: {}]",
                self.rows,
                if self.rows == 1 { "" } else { "s" },
                lines_list(&self.first_lines, self.rows)
            )?;
        }
        Ok(())
    }
}

/// `"line 3"`, `"lines 3, 5, 9, ..."`.
pub(crate) fn lines_list(lines: &[u64], total: u64) -> String {
    let list: Vec<String> = lines.iter().map(u64::to_string).collect();
    let more = if (lines.len() as u64) < total { ", ..." } else { "" };
    format!("line{} {}{more}", if total == 1 { "" } else { "s" }, list.join(", "))
}

/// What happened to the rows of an export.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[non_exhaustive]
pub struct ImportSummary {
    /// Data rows read (header, blank lines and a report footer excluded):
    /// always `used + skipped`.
    pub rows: u64,
    /// Rows used.
    pub used: u64,
    /// Rows skipped.
    pub skipped: u64,
    /// Skipped rows by reason.
    pub skipped_by_reason: BTreeMap<SkipReason, u64>,
    /// The first [`FIRST_LINES`] lines skipped for each reason.
    pub skipped_lines: BTreeMap<SkipReason, Vec<u64>>,
    /// Each outcome label that no [`OutcomeLabels`] list maps, with the
    /// number of rows it skipped.
    pub unknown_outcomes: BTreeMap<String, u64>,
    /// Readings that change or qualify the data, each reported once.
    pub warnings: Vec<ImportWarning>,
    /// The deal-value column found in the header, if any.
    pub deal_value_column: Option<String>,
    /// The decision-date column found in the header, if any.
    pub decided_column: Option<String>,
    /// Used rows by outcome: won, lost, open.
    pub won: u64,
    /// Lost SQLs among the used rows.
    pub lost: u64,
    /// Open SQLs among the used rows.
    pub open: u64,
    /// Used rows with a first contact.
    pub contacted: u64,
}

impl ImportSummary {
    /// Why no row is left, when none is: each skip reason with its count
    /// and first lines, most frequent first (`None` when some row is used).
    pub fn why_empty(&self) -> Option<String> {
        if self.used > 0 {
            return None;
        }
        if self.rows == 0 {
            return Some("the export has no data rows".to_owned());
        }
        let mut reasons: Vec<(&SkipReason, &u64)> = self.skipped_by_reason.iter().collect();
        reasons.sort_by(|a, b| b.1.cmp(a.1));
        let parts: Vec<String> = reasons
            .iter()
            .map(|(reason, n)| {
                let lines = self.skipped_lines.get(reason).map_or(&[][..], Vec::as_slice);
                format!("{n} x {reason} ({})", lines_list(lines, **n))
            })
            .collect();
        Some(format!("all {} rows were skipped: {}", self.rows, parts.join("; ")))
    }
}

/// The most row problems kept in detail; all are counted in the summary.
pub const MAX_REPORTED_PROBLEMS: usize = 1_000;

/// The lines kept per skip reason and per warning in the summary.
pub const FIRST_LINES: usize = 5;

/// The segment name given to rows whose segment field is empty, by
/// [`Export::by_segment`].
pub const NO_SEGMENT: &str = "(no segment)";

/// A CRM export, read and checked: the usable SQLs, every skipped row with
/// its line and reason, and the summary.
///
/// # Example
///
/// ```
/// use lead_decay::calibrate::{Export, ExportFormat, Outcome};
///
/// let csv = "sql_at,first_contact_at,outcome\n\
///            2024-03-01 09:00,2024-03-01 13:00,won\n\
///            2024-03-01 10:00,,lost\n\
///            2024-03-02 10:00,2024-03-01 10:00,won\n\
///            2024-03-02 11:00,,maybe\n";
/// let export = Export::from_reader(csv.as_bytes(), &ExportFormat::default())?;
/// assert_eq!(export.records().len(), 2);
/// assert_eq!(export.records()[0].delay_hours(), Some(4.0));
/// assert_eq!(export.summary().skipped, 2);
/// assert_eq!(export.problems()[0].line, 4);  // contact before the SQL date
/// assert_eq!(export.problems()[1].to_string(), "line 5: unknown outcome in column \"outcome\": \"maybe\"");
/// assert_eq!(export.summary().unknown_outcomes["maybe"], 1);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Export {
    records: Vec<SqlRecord>,
    problems: Vec<RowProblem>,
    summary: ImportSummary,
    as_of: Timestamp,
}

/// A count with its first lines.
#[derive(Debug, Default)]
struct Tally {
    count: u64,
    lines: Vec<u64>,
}

impl Tally {
    fn add(&mut self, line: u64) {
        self.count += 1;
        if self.lines.len() < FIRST_LINES {
            self.lines.push(line);
        }
    }

    /// The warning about the rows counted here.
    fn warning(&self, kind: WarningKind, message: String) -> ImportWarning {
        ImportWarning {
            kind,
            message,
            rows: self.count,
            first_lines: self.lines.clone(),
        }
    }
}

/// What the row reader noticed, for the warnings.
#[derive(Debug, Default)]
struct Notes {
    civil: Tally,
    abbreviations: BTreeMap<&'static str, Tally>,
    /// Per time column (0: SQL, 1: contact): values read, of them date-only.
    values: [u64; 2],
    date_only: [Tally; 2],
    zeroed: Tally,
    /// Decision dates that no format reads, with the first such text.
    decided_unreadable: Tally,
    decided_unreadable_text: String,
    /// Decision dates before the first contact.
    decided_early: Tally,
}

/// One field of a record, trimmed (a missing field is empty).
fn field(record: &csv::StringRecord, i: usize) -> &str {
    record.get(i).map_or("", str::trim)
}

/// The field of an optional column, if the column exists and the field is
/// not empty.
fn optional_field(record: &csv::StringRecord, column: Option<usize>) -> Option<String> {
    column
        .map(|i| field(record, i))
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// The columns found in the header and how to read a row.
struct RowReader<'a> {
    format: &'a ExportFormat,
    timestamps: TimestampReader,
    labels: LabelMatcher,
    fields: usize,
    sql: usize,
    contact: usize,
    outcome: usize,
    value: Option<usize>,
    segment: Option<usize>,
    decided: Option<usize>,
    id: Option<usize>,
}

/// A row as read, before its deal value is decoded.
struct Row {
    record: SqlRecord,
    value_text: Option<String>,
    id: Option<String>,
}

impl RowReader<'_> {
    fn read(&self, record: &csv::StringRecord, line: u64, notes: &mut Notes) -> std::result::Result<Row, RowProblem> {
        let cols = &self.format.columns;
        let problem = |column: &str, value: &str, reason| RowProblem {
            line,
            column: column.to_owned(),
            value: value.to_owned(),
            reason,
        };
        let sql_text = field(record, self.sql);
        if sql_text.is_empty() {
            return Err(problem(&cols.became_sql, sql_text, SkipReason::MissingValue));
        }
        let sql = self
            .timestamps
            .read(sql_text)
            .ok_or_else(|| problem(&cols.became_sql, sql_text, SkipReason::UnparseableTimestamp))?;
        let contact_text = field(record, self.contact);
        let contact = if contact_text.is_empty() {
            None
        } else {
            Some(
                self.timestamps
                    .read(contact_text)
                    .ok_or_else(|| problem(&cols.first_contact, contact_text, SkipReason::UnparseableTimestamp))?,
            )
        };
        let outcome_text = field(record, self.outcome);
        if outcome_text.is_empty() {
            return Err(problem(&cols.outcome, outcome_text, SkipReason::MissingValue));
        }
        let outcome = self
            .labels
            .classify(outcome_text)
            .ok_or_else(|| problem(&cols.outcome, outcome_text, SkipReason::UnknownOutcome))?;
        for (i, reading) in [Some(sql), contact].iter().enumerate() {
            if let Some(r) = reading {
                notes.values[i] += 1;
                if r.date_only {
                    notes.date_only[i].add(line);
                }
                match r.zone {
                    ZoneSource::Civil if self.format.time_zone.is_none() && !r.date_only => notes.civil.add(line),
                    ZoneSource::Abbreviation(a) => notes.abbreviations.entry(a).or_default().add(line),
                    _ => {}
                }
            }
        }
        let (became_sql, mut first_contact) = place(sql, contact);
        if let Some(c) = first_contact
            && c < became_sql
        {
            match self.format.contact_before_sql {
                ContactBeforeSql::Skip => {
                    return Err(problem(&cols.first_contact, contact_text, SkipReason::ContactBeforeSql));
                }
                ContactBeforeSql::Zero => {
                    notes.zeroed.add(line);
                    first_contact = Some(became_sql);
                }
            }
        }
        if outcome == Outcome::Won && first_contact.is_none() {
            return Err(problem(
                &cols.first_contact,
                contact_text,
                SkipReason::WonWithoutContact,
            ));
        }
        let decided_at = match (outcome, first_contact, self.decided) {
            (Outcome::Won | Outcome::Lost, Some(contact), Some(i)) => {
                self.decided(field(record, i), contact, line, notes)
            }
            _ => None,
        };
        Ok(Row {
            record: SqlRecord {
                line,
                became_sql,
                first_contact,
                outcome,
                deal_value: None,
                segment: optional_field(record, self.segment),
                decided_at,
            },
            value_text: optional_field(record, self.value),
            id: optional_field(record, self.id),
        })
    }

    /// The decision date of a contacted, decided row: `None` when empty
    /// or unreadable (counted in a warning). A date without a time of day
    /// is the middle of its day, or of the part of it after a same-day
    /// contact, and not after a given as-of moment on that day; a date
    /// before the first contact is the first contact (counted).
    fn decided(&self, text: &str, contact: Timestamp, line: u64, notes: &mut Notes) -> Option<Timestamp> {
        if text.is_empty() {
            return None;
        }
        let Some(reading) = self.timestamps.read(text) else {
            if notes.decided_unreadable.count == 0 {
                notes.decided_unreadable_text = text.to_owned();
            }
            notes.decided_unreadable.add(line);
            return None;
        };
        let mut at = reading.at;
        if reading.date_only {
            let day_end = timestamp::plus_hours(reading.at, 24.0);
            let from = if contact >= reading.at && contact < day_end {
                contact
            } else {
                reading.at
            };
            at = timestamp::plus_hours(from, timestamp::hours_between(from, day_end) / 2.0);
            if let Some(as_of) = self.format.as_of
                && as_of >= reading.at
                && at > as_of
            {
                at = as_of.max(from);
            }
        }
        if at < contact {
            notes.decided_early.add(line);
            at = contact;
        }
        Some(at)
    }
}

/// Places dates without a time of day inside their day: at its middle, or
/// at the middle of the part of the day that the other timestamp leaves
/// possible (a date-only SQL date before a same-day contact, a date-only
/// contact after a same-day SQL), so the delay is never negative because
/// of the missing time and right on average.
fn place(sql: Reading, contact: Option<Reading>) -> (Timestamp, Option<Timestamp>) {
    let mid = |a: Timestamp, b: Timestamp| timestamp::plus_hours(a, timestamp::hours_between(a, b) / 2.0);
    let day_end = |r: Reading| timestamp::plus_hours(r.at, 24.0);
    let noon = |r: Reading| timestamp::plus_hours(r.at, 12.0);
    let Some(contact) = contact else {
        return (if sql.date_only { noon(sql) } else { sql.at }, None);
    };
    match (sql.date_only, contact.date_only) {
        (false, false) => (sql.at, Some(contact.at)),
        (true, true) => (noon(sql), Some(noon(contact))),
        (true, false) => {
            let s = if contact.at >= sql.at && contact.at < day_end(sql) {
                mid(sql.at, contact.at)
            } else {
                noon(sql)
            };
            (s, Some(contact.at))
        }
        (false, true) => {
            let c = if sql.at >= contact.at && sql.at < day_end(contact) {
                mid(sql.at, day_end(contact))
            } else {
                noon(contact)
            };
            (sql.at, Some(c))
        }
    }
}

/// The column of `headers` named `name`: exact match first, then ignoring
/// case; the first of several, with a warning.
fn find_column(headers: &csv::StringRecord, name: &str, warnings: &mut Vec<ImportWarning>) -> Option<usize> {
    let exact: Vec<usize> = (0..headers.len()).filter(|&i| headers[i].trim() == name).collect();
    let lower = name.to_lowercase();
    let matches = if exact.is_empty() {
        (0..headers.len())
            .filter(|&i| headers[i].trim().to_lowercase() == lower)
            .collect()
    } else {
        exact
    };
    if matches.len() > 1 {
        let found: Vec<String> = matches
            .iter()
            .map(|&i| format!("{:?} (column {})", headers[i].trim(), i + 1))
            .collect();
        warnings.push(ImportWarning {
            kind: WarningKind::AmbiguousColumn,
            message: format!(
                "{} columns match {name:?}: {}; the first is used (name another with --column)",
                matches.len(),
                found.join(", ")
            ),
            rows: 0,
            first_lines: Vec::new(),
        });
    }
    matches.first().copied()
}

/// Line numbers from byte offsets, counting every line end of the file
/// (the CSV reader's own count misses blank lines and counts a CRLF file's
/// lines from the wrong end), in one pass over the text as the offsets grow.
struct LineCounter<'a> {
    text: &'a [u8],
    byte: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a [u8]) -> LineCounter<'a> {
        LineCounter { text, byte: 0, line: 1 }
    }

    /// The line (1-based) of the record starting at byte `at` (offsets
    /// only grow; a smaller one restarts the count).
    fn line_at(&mut self, at: u64) -> u64 {
        let mut at = usize::try_from(at).unwrap_or(usize::MAX).min(self.text.len());
        // The reader's offset is where it started reading: before the line
        // ends (and blank lines) that precede the record.
        while at < self.text.len() && matches!(self.text[at], b'\r' | b'\n') {
            at += 1;
        }
        if at < self.byte {
            (self.byte, self.line) = (0, 1);
        }
        self.line += self.text[self.byte..at].iter().filter(|&&b| b == b'\n').count() as u64;
        self.byte = at;
        self.line
    }
}

/// The number of non-empty fields of a record.
fn non_empty(record: &csv::StringRecord) -> usize {
    record.iter().filter(|f| !f.trim().is_empty()).count()
}

/// An export being read.
struct Loading {
    export: Export,
    notes: Notes,
    /// Deal values as written, by record index, decoded at the end.
    values: Vec<(usize, String)>,
    ids: HashSet<String>,
}

impl Loading {
    /// Reads one data row.
    fn row(&mut self, rows: &RowReader<'_>, record: &csv::StringRecord, line: u64) {
        let export = &mut self.export;
        export.summary.rows += 1;
        if !rows.fits(record) {
            export.skip(RowProblem {
                line,
                column: String::new(),
                value: format!("{} fields, the header has {}", record.len(), rows.fields),
                reason: SkipReason::WrongFieldCount,
            });
            return;
        }
        match rows.read(record, line, &mut self.notes) {
            Ok(row) => {
                if let Some(id) = row.id
                    && !self.ids.insert(id.clone())
                {
                    export.skip(RowProblem {
                        line,
                        column: rows.format.columns.id.clone().unwrap_or_default(),
                        value: id,
                        reason: SkipReason::DuplicateId,
                    });
                    return;
                }
                if let Some(text) = row.value_text {
                    self.values.push((export.records.len(), text));
                }
                export.records.push(row.record);
            }
            Err(problem) => {
                if problem.reason == SkipReason::UnknownOutcome {
                    *export
                        .summary
                        .unknown_outcomes
                        .entry(problem.value.clone())
                        .or_default() += 1;
                }
                export.skip(problem);
            }
        }
    }

    /// Reads the rows held back as possible footer lines: a record followed.
    fn flush(&mut self, pending: &mut Vec<(u64, csv::StringRecord)>, rows: &RowReader<'_>) {
        for (line, record) in std::mem::take(pending) {
            self.row(rows, &record, line);
        }
    }
}

impl RowReader<'_> {
    /// The record has the header's number of fields (extra empty fields
    /// at the end, as some spreadsheets write them, are allowed).
    fn fits(&self, record: &csv::StringRecord) -> bool {
        record.len() == self.fields
            || (record.len() > self.fields && record.iter().skip(self.fields).all(|f| f.trim().is_empty()))
    }
}

impl Export {
    /// Reads an export file.
    ///
    /// # Errors
    ///
    /// As [`Export::from_reader`], attributed to the file; an unreadable file.
    pub fn read_path(path: impl AsRef<Path>, format: &ExportFormat) -> Result<Export> {
        let path = path.as_ref();
        // `fs::read` sizes its buffer from the file's length: one read, no
        // regrowth of a buffer through a `BufReader`.
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            file: path.display().to_string(),
            source,
        })?;
        Export::from_bytes(bytes, format).map_err(|e| e.in_file(path.display().to_string()))
    }

    /// Reads an export from CSV text (the whole input is read into memory
    /// to decode it).
    ///
    /// Bad rows do not fail the import: each is recorded in
    /// [`Export::problems`] (the first [`MAX_REPORTED_PROBLEMS`]) and counted
    /// in [`Export::summary`], and each reading that changes the data is a
    /// warning there.
    ///
    /// # Errors
    ///
    /// An empty input, a header that cannot be read, a missing required
    /// column (the error lists the columns found), invalid UTF-8 with
    /// [`Encoding::Utf8`], a timestamp format without directives, an unknown
    /// time zone, a time column with only dates unless
    /// [`ExportFormat::date_only`], a deal-value column whose notation
    /// [`NumberLocale::Auto`] cannot decide.
    pub fn from_reader(mut reader: impl Read, format: &ExportFormat) -> Result<Export> {
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .map_err(|e| Error::invalid("rows", e, "a readable export"))?;
        Export::from_bytes(bytes, format)
    }

    /// [`Export::from_reader`] on the whole input, read.
    fn from_bytes(bytes: Vec<u8>, format: &ExportFormat) -> Result<Export> {
        let timestamps = TimestampReader::new(&format.timestamp_formats, format.zone()?)?;
        let decoded = decode::decode(bytes, format.encoding)?;
        let delimiter = format
            .delimiter
            .unwrap_or_else(|| decode::sniff_delimiter(&decoded.text));
        let mut warnings = Vec::new();
        if let Some(line) = decoded.fallback_line {
            warnings.push(ImportWarning {
                kind: WarningKind::Encoding,
                message: format!(
                    "the file is not UTF-8 (line {line} is the first that is not) and was read as Windows-1252; give --encoding if it is another"
                ),
                rows: 0,
                first_lines: Vec::new(),
            });
        }
        let mut csv = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .from_reader(decoded.text.as_bytes());
        let headers = csv
            .headers()
            .map_err(|e| Error::invalid("header", e, "a CSV header row"))?
            .clone();
        if headers.is_empty() || headers.iter().all(|h| h.trim().is_empty()) {
            return Err(Error::invalid(
                "header",
                "an empty file",
                "a CSV header row naming the columns, then one row per SQL",
            ));
        }
        let cols = &format.columns;
        let required = |name: &str, warnings: &mut Vec<ImportWarning>| {
            find_column(&headers, name, warnings).ok_or_else(|| {
                Error::invalid(
                    "columns",
                    format!(
                        "no column {name:?} (found {}; delimiter {:?})",
                        headers.iter().collect::<Vec<_>>().join(", "),
                        char::from(delimiter)
                    ),
                    "the column named in the column mapping (rename with --column KEY=NAME, or choose a --crm preset)",
                )
            })
        };
        let rows = RowReader {
            format,
            timestamps,
            labels: format.labels.matcher(),
            fields: headers.len(),
            sql: required(&cols.became_sql, &mut warnings)?,
            contact: required(&cols.first_contact, &mut warnings)?,
            outcome: required(&cols.outcome, &mut warnings)?,
            id: cols.id.as_deref().and_then(|name| {
                let found = find_column(&headers, name, &mut warnings);
                if found.is_none() {
                    warnings.push(ImportWarning {
                        kind: WarningKind::NoIdColumn,
                        message: format!("no id column {name:?}: repeated SQLs cannot be detected"),
                        rows: 0,
                        first_lines: Vec::new(),
                    });
                }
                found
            }),
            value: find_column(&headers, &cols.deal_value, &mut warnings),
            segment: find_column(&headers, &cols.segment, &mut warnings),
            decided: find_column(&headers, &cols.decided, &mut warnings),
        };
        let export = Export {
            records: Vec::new(),
            problems: Vec::new(),
            summary: ImportSummary {
                deal_value_column: rows.value.map(|i| headers[i].trim().to_owned()),
                decided_column: rows.decided.map(|i| headers[i].trim().to_owned()),
                ..ImportSummary::default()
            },
            as_of: Timestamp::UNIX_EPOCH,
        };
        let mut state = Loading {
            export,
            notes: Notes::default(),
            values: Vec::new(),
            ids: HashSet::new(),
        };
        // Rows with another field count than the header, or with at most
        // one non-empty field, wait here: followed by a record, they are
        // read (or skipped) as rows; at the end of the file, those with at
        // most one non-empty field are the report's footer (Excel pads a
        // footer line with empty fields to the width of the sheet).
        let mut pending: Vec<(u64, csv::StringRecord)> = Vec::new();
        let mut record = csv::StringRecord::new();
        let mut line = 1;
        let mut lines = LineCounter::new(decoded.text.as_bytes());
        loop {
            match csv.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    line = record.position().map_or(line + 1, |p| lines.line_at(p.byte()));
                    if record.iter().all(|f| f.trim().is_empty()) {
                        continue; // blank line
                    }
                    if !rows.fits(&record) || non_empty(&record) <= 1 {
                        pending.push((line, record.clone()));
                        continue;
                    }
                    state.flush(&mut pending, &rows);
                    state.row(&rows, &record, line);
                }
                Err(e) => {
                    let Some(pos) = e.position() else {
                        return Err(Error::invalid("rows", e, "readable CSV"));
                    };
                    line = lines.line_at(pos.byte());
                    state.flush(&mut pending, &rows);
                    state.export.summary.rows += 1;
                    state.export.skip(RowProblem {
                        line,
                        column: String::new(),
                        value: e.to_string(),
                        reason: SkipReason::MalformedRow,
                    });
                }
            }
        }
        let footer_from = pending.iter().rposition(|(_, r)| non_empty(r) > 1).map_or(0, |i| i + 1);
        let footer = pending.split_off(footer_from);
        state.flush(&mut pending, &rows);
        let Loading {
            mut export,
            notes,
            values,
            ..
        } = state;
        if let Some((first, r)) = footer.first() {
            let text = r.iter().find(|f| !f.trim().is_empty()).unwrap_or("").trim();
            export.summary.warnings.push(ImportWarning {
                kind: WarningKind::Footer,
                message: format!(
                    "{} line{} after the data {} not records (a report footer, from line {first}: {text:?}); not counted as rows",
                    footer.len(),
                    if footer.len() == 1 { "" } else { "s" },
                    if footer.len() == 1 { "is" } else { "are" },
                ),
                rows: 0,
                first_lines: Vec::new(),
            });
        }
        warnings.append(&mut export.summary.warnings);
        export.summary.warnings = warnings;
        export.read_values(&values, format)?;
        export.note_timestamps(&notes, format)?;
        export.finish(format.as_of, cols);
        Ok(export)
    }

    /// Decodes the deal values once the column's notation is known.
    fn read_values(&mut self, values: &[(usize, String)], format: &ExportFormat) -> Result<()> {
        let Some(column) = self.summary.deal_value_column.clone() else {
            self.summary.warnings.push(ImportWarning {
                kind: WarningKind::NoDealValues,
                message: format!(
                    "no deal-value column {:?}: the fit has no deal value; give one (--deal-value) or name the column (--column deal_value=NAME)",
                    format.columns.deal_value
                ),
                rows: 0,
                first_lines: Vec::new(),
            });
            return Ok(());
        };
        let locale = match format.number_locale {
            NumberLocale::Auto => {
                amount::decide(&column, values.iter().map(|(i, t)| (self.records[*i].line, t.as_str())))?
            }
            other => other,
        };
        let mut unreadable = Tally::default();
        let mut first_unreadable = String::new();
        let mut currencies: BTreeMap<String, u64> = BTreeMap::new();
        for (i, text) in values {
            let record = &mut self.records[*i];
            match locale.parse_amount_and_currency(text) {
                Some((v, currency)) if v >= 0.0 => {
                    record.deal_value = Some(v);
                    if !currency.is_empty() {
                        *currencies.entry(currency.to_owned()).or_default() += 1;
                    }
                }
                _ => {
                    if unreadable.count == 0 {
                        first_unreadable.clone_from(text);
                    }
                    unreadable.add(record.line);
                }
            }
        }
        if unreadable.count > 0 {
            self.summary.warnings.push(unreadable.warning(
                WarningKind::UnreadableDealValue,
                format!(
                    "deal values in column {column:?} that are not amounts >= 0 in {locale} notation (first: {first_unreadable:?}): those rows are kept, without a value"
                ),
            ));
        }
        if currencies.len() > 1 {
            let list: Vec<String> = currencies.iter().map(|(c, n)| format!("{c} x {n}")).collect();
            self.summary.warnings.push(ImportWarning {
                kind: WarningKind::MixedCurrencies,
                message: format!(
                    "column {column:?} holds several currencies ({}); values are averaged as written, without conversion",
                    list.join(", ")
                ),
                rows: 0,
                first_lines: Vec::new(),
            });
        }
        Ok(())
    }

    /// Warnings (and the date-only error) about how timestamps were read.
    fn note_timestamps(&mut self, notes: &Notes, format: &ExportFormat) -> Result<()> {
        let cols = &format.columns;
        let names = [&cols.became_sql, &cols.first_contact];
        for (i, tally) in notes.date_only.iter().enumerate() {
            if tally.count == 0 {
                continue;
            }
            let all = tally.count == notes.values[i];
            if all && !format.date_only {
                return Err(Error::invalid(
                    "date_only",
                    format!(
                        "column {:?} has dates without a time of day (line {}): delays measured from midnight would be up to a day too long",
                        names[i], tally.lines[0]
                    ),
                    "timestamps with a time of day, or --date-only to read each date as the middle of its day (delays are then right on average, each uncertain by up to a day)",
                ));
            }
            self.summary.warnings.push(tally.warning(
                WarningKind::DateOnly,
                format!(
                    "{} of {} values in column {:?} have no time of day: each is read as the middle of its day (or of the part of it before a same-day contact), so delays are right on average but each is uncertain by up to a day",
                    tally.count, notes.values[i], names[i]
                ),
            ));
        }
        if notes.civil.count > 0 {
            self.summary.warnings.push(notes.civil.warning(
                WarningKind::CivilTimesAsUtc,
                "timestamps without an offset or zone were read as UTC; give the CRM account's time zone with --timezone (where both time columns are civil, the zone moves the as-of date and the timeline, not the delays)".to_owned(),
            ));
        }
        for (abbreviation, tally) in &notes.abbreviations {
            let minutes = timestamp::ZONE_ABBREVIATIONS
                .iter()
                .find(|(a, _)| a == abbreviation)
                .map_or(0, |(_, m)| *m);
            self.summary.warnings.push(tally.warning(
                WarningKind::ZoneAbbreviation,
                format!(
                    "zone abbreviation {abbreviation} read as UTC{}{:02}:{:02} (abbreviations are ambiguous; an offset or zone name in the export is exact)",
                    if minutes < 0 { '-' } else { '+' },
                    minutes.abs() / 60,
                    minutes.abs() % 60
                ),
            ));
        }
        let decided = &format.columns.decided;
        if notes.decided_unreadable.count > 0 {
            self.summary.warnings.push(ImportWarning {
                kind: WarningKind::UnreadableDecisionDate,
                message: format!(
                    "decision dates in column {decided:?} that no timestamp format reads (first: {:?}): those rows are kept, known only to be decided by the as-of date",
                    notes.decided_unreadable_text
                ),
                rows: notes.decided_unreadable.count,
                first_lines: notes.decided_unreadable.lines.clone(),
            });
        }
        if notes.decided_early.count > 0 {
            self.summary.warnings.push(ImportWarning {
                kind: WarningKind::DecisionBeforeContact,
                message: format!(
                    "decision dates in column {decided:?} before the first contact, read as decided at the first contact"
                ),
                rows: notes.decided_early.count,
                first_lines: notes.decided_early.lines.clone(),
            });
        }
        if notes.zeroed.count > 0 {
            self.summary.warnings.push(notes.zeroed.warning(
                WarningKind::ContactBeforeSqlZeroed,
                "first contacts before the SQL date read as a delay of zero (--contact-before-sql zero: the SQL was already being worked)".to_owned(),
            ));
        }
        Ok(())
    }

    fn skip(&mut self, problem: RowProblem) {
        self.summary.skipped += 1;
        *self.summary.skipped_by_reason.entry(problem.reason).or_default() += 1;
        let lines = self.summary.skipped_lines.entry(problem.reason).or_default();
        if lines.len() < FIRST_LINES {
            lines.push(problem.line);
        }
        if self.problems.len() < MAX_REPORTED_PROBLEMS {
            self.problems.push(problem);
        }
    }

    fn finish(&mut self, as_of: Option<Timestamp>, cols: &Columns) {
        let latest = self
            .records
            .iter()
            .map(|r| {
                r.first_contact
                    .unwrap_or(r.became_sql)
                    .max(r.became_sql)
                    .max(r.decided_at.unwrap_or(r.became_sql))
            })
            .max()
            .unwrap_or(Timestamp::UNIX_EPOCH);
        self.as_of = as_of.unwrap_or(latest);
        if as_of.is_some() {
            let as_of = self.as_of;
            let (keep, late): (Vec<_>, Vec<_>) = std::mem::take(&mut self.records).into_iter().partition(|r| {
                r.became_sql <= as_of
                    && r.first_contact.is_none_or(|c| c <= as_of)
                    && r.decided_at.is_none_or(|d| d <= as_of)
            });
            self.records = keep;
            for r in late {
                let (column, value) = if r.became_sql > as_of {
                    (&cols.became_sql, r.became_sql)
                } else if let Some(c) = r.first_contact.filter(|&c| c > as_of) {
                    (&cols.first_contact, c)
                } else {
                    (&cols.decided, r.decided_at.unwrap_or(r.became_sql))
                };
                self.skip(RowProblem {
                    line: r.line,
                    column: column.clone(),
                    value: value.to_string(),
                    reason: SkipReason::AfterExport,
                });
            }
            self.problems.sort_by_key(|p| p.line);
            for lines in self.summary.skipped_lines.values_mut() {
                lines.sort_unstable();
            }
        }
        let s = &mut self.summary;
        s.used = self.records.len() as u64;
        for r in &self.records {
            match r.outcome {
                Outcome::Won => s.won += 1,
                Outcome::Lost => s.lost += 1,
                Outcome::Open => s.open += 1,
            }
            s.contacted += u64::from(r.first_contact.is_some());
        }
    }

    /// Builds an export from records already in memory (e.g. from
    /// [`synthetic_export`](super::synthetic_export)), taken at `as_of`.
    /// Records after `as_of` are skipped with [`SkipReason::AfterExport`].
    pub fn from_records(records: Vec<SqlRecord>, as_of: Timestamp) -> Export {
        let mut export = Export {
            summary: ImportSummary {
                rows: records.len() as u64,
                deal_value_column: Some(Columns::default().deal_value),
                decided_column: records
                    .iter()
                    .any(|r| r.decided_at.is_some())
                    .then(|| Columns::default().decided),
                ..ImportSummary::default()
            },
            records,
            problems: Vec::new(),
            as_of,
        };
        export.finish(Some(as_of), &Columns::default());
        export
    }

    /// The usable SQLs, in file order.
    pub fn records(&self) -> &[SqlRecord] {
        &self.records
    }

    /// Skipped rows in file order (at most [`MAX_REPORTED_PROBLEMS`]).
    pub fn problems(&self) -> &[RowProblem] {
        &self.problems
    }

    /// Rows read, used and skipped, why, and the warnings.
    pub fn summary(&self) -> &ImportSummary {
        &self.summary
    }

    /// When the export was taken (the censoring moment).
    pub fn as_of(&self) -> Timestamp {
        self.as_of
    }

    /// The distinct segment names, in order of first appearance (empty when
    /// the export has no segment column).
    pub fn segments(&self) -> Vec<String> {
        let mut seen = HashSet::new();
        self.records
            .iter()
            .filter_map(|r| r.segment.as_ref())
            .filter(|s| seen.insert(s.as_str()))
            .cloned()
            .collect()
    }

    /// The rows of one segment, as an export with the same `as_of`.
    pub fn segment(&self, name: &str) -> Export {
        Export::from_records(
            self.records
                .iter()
                .filter(|r| r.segment.as_deref() == Some(name))
                .cloned()
                .collect(),
            self.as_of,
        )
    }

    /// The export split by segment in one pass (linear in the rows), in
    /// order of first appearance, each part with the same `as_of`. Rows
    /// with an empty segment field form their own part, [`NO_SEGMENT`];
    /// empty when no row has a segment (no segment column).
    pub fn by_segment(&self) -> Vec<(String, Export)> {
        if self.records.iter().all(|r| r.segment.is_none()) {
            return Vec::new();
        }
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut parts: Vec<(String, Vec<SqlRecord>)> = Vec::new();
        for r in &self.records {
            let name = r.segment.as_deref().unwrap_or(NO_SEGMENT);
            let i = *index.entry(name).or_insert_with(|| {
                parts.push((name.to_owned(), Vec::new()));
                parts.len() - 1
            });
            parts[i].1.push(r.clone());
        }
        parts
            .into_iter()
            .map(|(name, records)| {
                let mut part = Export::from_records(records, self.as_of);
                part.summary
                    .deal_value_column
                    .clone_from(&self.summary.deal_value_column);
                part.summary.decided_column.clone_from(&self.summary.decided_column);
                (name, part)
            })
            .collect()
    }
}
