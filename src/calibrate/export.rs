//! Reading a CRM export: one row per SQL.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::Path;

use jiff::Timestamp;
use serde::Serialize;

use super::timestamp;
use crate::error::{Error, Result};

/// The outcome of an SQL at the time of the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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
    /// `closed won` / `closed-won` / `closed_won` and the `lost` forms too).
    pub fn parse(text: &str) -> Option<Outcome> {
        let t = text.trim().to_ascii_lowercase().replace(['-', '_'], " ");
        match t.as_str() {
            "won" | "closed won" | "win" => Some(Outcome::Won),
            "lost" | "closed lost" | "loss" => Some(Outcome::Lost),
            "open" => Some(Outcome::Open),
            _ => None,
        }
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
}

impl SqlRecord {
    /// Hours from becoming an SQL to the first contact, if contacted.
    pub fn delay_hours(&self) -> Option<f64> {
        self.first_contact.map(|c| timestamp::hours_between(self.became_sql, c))
    }
}

/// The column names of an export. The defaults are `sql_at`,
/// `first_contact_at`, `outcome`, `deal_value` and `segment`; the last two
/// are optional (ignored when the file has no such column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// When the row became an SQL (required).
    pub became_sql: String,
    /// First contact by sales, empty when none (required).
    pub first_contact: String,
    /// `won`, `lost` or `open` (required).
    pub outcome: String,
    /// Deal value (optional column).
    pub deal_value: String,
    /// Segment name (optional column).
    pub segment: String,
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            became_sql: "sql_at".to_owned(),
            first_contact: "first_contact_at".to_owned(),
            outcome: "outcome".to_owned(),
            deal_value: "deal_value".to_owned(),
            segment: "segment".to_owned(),
        }
    }
}

impl Columns {
    /// Renames columns from a spec such as
    /// `"sql_at=Created,first_contact_at=First Touch,outcome=Stage"`: each
    /// `key=name` pair maps one of the default names (the keys) to the
    /// export's column name.
    ///
    /// ```
    /// use lead_decay::calibrate::Columns;
    ///
    /// let columns = Columns::default().with_spec("sql_at=Created,outcome=Stage")?;
    /// assert_eq!(columns.became_sql, "Created");
    /// assert_eq!(columns.outcome, "Stage");
    /// assert!(Columns::default().with_spec("created=x").is_err());
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A pair without `=`, or an unknown key (field `columns`).
    pub fn with_spec(mut self, spec: &str) -> Result<Columns> {
        for pair in spec.split(',').filter(|p| !p.trim().is_empty()) {
            let (key, name) = pair.split_once('=').ok_or_else(|| {
                Error::invalid(
                    "columns",
                    format!("{pair:?}"),
                    "key=column name pairs separated by commas",
                )
            })?;
            let slot = match key.trim() {
                "sql_at" => &mut self.became_sql,
                "first_contact_at" => &mut self.first_contact,
                "outcome" => &mut self.outcome,
                "deal_value" => &mut self.deal_value,
                "segment" => &mut self.segment,
                other => {
                    return Err(Error::invalid(
                        "columns",
                        format!("{other:?}"),
                        "one of sql_at, first_contact_at, outcome, deal_value, segment",
                    ));
                }
            };
            *slot = name.trim().to_owned();
        }
        Ok(self)
    }
}

/// How to read an export: column names, extra timestamp formats, the
/// delimiter and the moment the export was taken.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExportFormat {
    /// Column names.
    pub columns: Columns,
    /// strftime-style formats tried before the built-in ones
    /// (e.g. `"%d/%m/%Y %H:%M"`); see [`ExportFormat::timestamp_formats`].
    pub timestamp_formats: Vec<String>,
    /// Field delimiter; `None` is a comma.
    pub delimiter: Option<u8>,
    /// When the export was taken; SQLs still open or uncontacted are
    /// censored at this moment. `None`: the latest timestamp in the file.
    pub as_of: Option<Timestamp>,
}

impl ExportFormat {
    /// The built-in timestamp forms, tried after any custom formats:
    /// RFC 3339 / ISO-8601 with an offset (`2024-03-01T09:30:00Z`,
    /// `...+01:00`), civil date-times `2024-03-01T09:30[:15]` and
    /// `2024-03-01 09:30[:15]` (read as UTC) and dates `2024-03-01`.
    pub const BUILT_IN_TIMESTAMPS: &'static str = "ISO-8601 (2024-03-01T09:30:00Z, 2024-03-01 09:30[:15], 2024-03-01)";
}

/// Why a row was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SkipReason {
    /// A timestamp that no format could read.
    UnparseableTimestamp,
    /// A required value is empty.
    MissingValue,
    /// The first contact precedes the SQL date.
    ContactBeforeSql,
    /// Won without a first contact (a won SQL must have been worked).
    WonWithoutContact,
    /// An outcome other than won, lost or open.
    UnknownOutcome,
    /// A deal value that is not a finite number >= 0.
    InvalidDealValue,
    /// A timestamp after the export's `as_of` moment.
    AfterExport,
    /// A row the CSV reader could not read (bad quoting, invalid UTF-8,
    /// too few fields).
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
            SkipReason::InvalidDealValue => "invalid deal value",
            SkipReason::AfterExport => "timestamp after the export date",
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
    /// The offending value as written.
    pub value: String,
    /// Why the row was skipped.
    pub reason: SkipReason,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)?;
        if !self.column.is_empty() {
            write!(f, " in column {:?}: {:?}", self.column, self.value)?;
        }
        Ok(())
    }
}

/// What happened to the rows of an export.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ImportSummary {
    /// Data rows read (header excluded).
    pub rows: u64,
    /// Rows used.
    pub used: u64,
    /// Rows skipped.
    pub skipped: u64,
    /// Skipped rows by reason.
    pub skipped_by_reason: BTreeMap<SkipReason, u64>,
    /// Used rows by outcome: won, lost, open.
    pub won: u64,
    /// Lost SQLs among the used rows.
    pub lost: u64,
    /// Open SQLs among the used rows.
    pub open: u64,
    /// Used rows with a first contact.
    pub contacted: u64,
}

/// The most row problems kept in detail; all are counted in the summary.
pub const MAX_REPORTED_PROBLEMS: usize = 1_000;

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
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Export {
    records: Vec<SqlRecord>,
    problems: Vec<RowProblem>,
    summary: ImportSummary,
    as_of: Timestamp,
}

impl Export {
    /// Reads an export file.
    ///
    /// # Errors
    ///
    /// As [`Export::from_reader`], attributed to the file; an unreadable file.
    pub fn read_path(path: impl AsRef<Path>, format: &ExportFormat) -> Result<Export> {
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(|source| Error::Io {
            file: path.display().to_string(),
            source,
        })?;
        Export::from_reader(std::io::BufReader::with_capacity(1 << 16, file), format)
            .map_err(|e| e.in_file(path.display().to_string()))
    }

    /// Reads an export from CSV text.
    ///
    /// Malformed rows do not fail the import: each is recorded in
    /// [`Export::problems`] (the first [`MAX_REPORTED_PROBLEMS`]) and counted
    /// in [`Export::summary`].
    ///
    /// # Errors
    ///
    /// An empty input, a header that cannot be read, or a missing required
    /// column (the error lists the columns found).
    pub fn from_reader(reader: impl Read, format: &ExportFormat) -> Result<Export> {
        let mut csv = csv::ReaderBuilder::new()
            .delimiter(format.delimiter.unwrap_or(b','))
            .flexible(true)
            .has_headers(true)
            .from_reader(reader);
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
        let find = |name: &str| headers.iter().position(|h| h.trim() == name);
        let required = |name: &str| {
            find(name).ok_or_else(|| {
                Error::invalid(
                    "columns",
                    format!(
                        "no column {name:?} (found {})",
                        headers.iter().collect::<Vec<_>>().join(", ")
                    ),
                    "the column named in the column mapping (rename with --columns)",
                )
            })
        };
        let cols = format.columns.clone();
        let i_sql = required(&cols.became_sql)?;
        let i_contact = required(&cols.first_contact)?;
        let i_outcome = required(&cols.outcome)?;
        let i_value = find(&cols.deal_value);
        let i_segment = find(&cols.segment);

        let mut export = Export {
            records: Vec::new(),
            problems: Vec::new(),
            summary: ImportSummary::default(),
            as_of: Timestamp::UNIX_EPOCH,
        };
        let mut record = csv::StringRecord::new();
        let mut line = 1;
        loop {
            match csv.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    line = record.position().map_or(line + 1, |p| p.line());
                    if record.iter().all(|f| f.trim().is_empty()) {
                        continue; // blank line
                    }
                    export.summary.rows += 1;
                    let parsed = parse_row(
                        &record,
                        line,
                        [i_sql, i_contact, i_outcome],
                        i_value,
                        i_segment,
                        &cols,
                        &format.timestamp_formats,
                    );
                    match parsed {
                        Ok(r) => export.records.push(r),
                        Err(problem) => export.skip(problem),
                    }
                }
                Err(e) => {
                    let Some(pos) = e.position() else {
                        return Err(Error::invalid("rows", e, "readable CSV"));
                    };
                    line = pos.line();
                    export.summary.rows += 1;
                    export.skip(RowProblem {
                        line,
                        column: String::new(),
                        value: e.to_string(),
                        reason: SkipReason::MalformedRow,
                    });
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        return Err(Error::invalid("rows", e, "readable CSV"));
                    }
                }
            }
        }
        export.finish(format.as_of, &cols);
        Ok(export)
    }

    fn skip(&mut self, problem: RowProblem) {
        self.summary.skipped += 1;
        *self.summary.skipped_by_reason.entry(problem.reason).or_default() += 1;
        if self.problems.len() < MAX_REPORTED_PROBLEMS {
            self.problems.push(problem);
        }
    }

    fn finish(&mut self, as_of: Option<Timestamp>, cols: &Columns) {
        let latest = self
            .records
            .iter()
            .map(|r| r.first_contact.unwrap_or(r.became_sql).max(r.became_sql))
            .max()
            .unwrap_or(Timestamp::UNIX_EPOCH);
        self.as_of = as_of.unwrap_or(latest);
        if as_of.is_some() {
            let as_of = self.as_of;
            let (keep, late): (Vec<_>, Vec<_>) = std::mem::take(&mut self.records)
                .into_iter()
                .partition(|r| r.became_sql <= as_of && r.first_contact.is_none_or(|c| c <= as_of));
            self.records = keep;
            for r in late {
                let (column, value) = if r.became_sql > as_of {
                    (&cols.became_sql, r.became_sql)
                } else {
                    (&cols.first_contact, r.first_contact.unwrap_or(r.became_sql))
                };
                self.skip(RowProblem {
                    line: r.line,
                    column: column.clone(),
                    value: value.to_string(),
                    reason: SkipReason::AfterExport,
                });
            }
            self.problems.sort_by_key(|p| p.line);
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

    /// Rows read, used and skipped, and why.
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
        let mut names: Vec<String> = Vec::new();
        for r in &self.records {
            if let Some(s) = &r.segment
                && !names.contains(s)
            {
                names.push(s.clone());
            }
        }
        names
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
}

fn parse_row(
    record: &csv::StringRecord,
    line: u64,
    [i_sql, i_contact, i_outcome]: [usize; 3],
    i_value: Option<usize>,
    i_segment: Option<usize>,
    cols: &Columns,
    formats: &[String],
) -> std::result::Result<SqlRecord, RowProblem> {
    let problem = |column: &str, value: &str, reason| RowProblem {
        line,
        column: column.to_owned(),
        value: value.to_owned(),
        reason,
    };
    let field = |i: usize, column: &str| {
        record.get(i).ok_or_else(|| RowProblem {
            line,
            column: column.to_owned(),
            value: format!("{} fields", record.len()),
            reason: SkipReason::MalformedRow,
        })
    };
    let sql_text = field(i_sql, &cols.became_sql)?;
    if sql_text.trim().is_empty() {
        return Err(problem(&cols.became_sql, sql_text, SkipReason::MissingValue));
    }
    let became_sql = timestamp::parse(sql_text, formats)
        .ok_or_else(|| problem(&cols.became_sql, sql_text, SkipReason::UnparseableTimestamp))?;
    let contact_text = field(i_contact, &cols.first_contact)?;
    let first_contact = if contact_text.trim().is_empty() {
        None
    } else {
        let c = timestamp::parse(contact_text, formats)
            .ok_or_else(|| problem(&cols.first_contact, contact_text, SkipReason::UnparseableTimestamp))?;
        if c < became_sql {
            return Err(problem(&cols.first_contact, contact_text, SkipReason::ContactBeforeSql));
        }
        Some(c)
    };
    let outcome_text = field(i_outcome, &cols.outcome)?;
    let outcome =
        Outcome::parse(outcome_text).ok_or_else(|| problem(&cols.outcome, outcome_text, SkipReason::UnknownOutcome))?;
    if outcome == Outcome::Won && first_contact.is_none() {
        return Err(problem(
            &cols.first_contact,
            contact_text,
            SkipReason::WonWithoutContact,
        ));
    }
    let deal_value = match i_value.and_then(|i| record.get(i)).map(str::trim) {
        None | Some("") => None,
        Some(text) => match text.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Some(v),
            _ => return Err(problem(&cols.deal_value, text, SkipReason::InvalidDealValue)),
        },
    };
    let segment = i_segment
        .and_then(|i| record.get(i))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    Ok(SqlRecord {
        line,
        became_sql,
        first_contact,
        outcome,
        deal_value,
        segment,
    })
}
