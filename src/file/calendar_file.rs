//! A team's calendar read on its own from a file's `[calendar]` section
//! (a scenario file, or a file holding only that section), for the tools
//! that need the team's week without a scenario (`calibrate --calendar`).

use std::path::Path;

use serde::Deserialize;

use super::document::toml_error;
use crate::calendar::{Calendar, CalendarSpec};
use crate::error::{Error, Result};

/// The `[calendar]` section of a document; every other key is ignored (it
/// is the scenario's, checked when the scenario is read).
#[derive(Deserialize)]
struct CalendarOnly {
    calendar: Option<CalendarSpec>,
}

/// Reading a calendar alone. These live with the file format rather than
/// the calendar, so the model does not depend on it.
impl Calendar {
    /// The `[calendar]` section of the file at `path` (`.json` files are
    /// JSON, everything else TOML); the file's other sections are ignored.
    ///
    /// # Errors
    ///
    /// The file cannot be read; bad syntax; no `[calendar]` section (field
    /// `calendar`); what [`CalendarSpec::into_calendar`] rejects (under
    /// `calendar`). Each error names the file.
    pub fn load(path: impl AsRef<Path>) -> Result<Calendar> {
        let path = path.as_ref();
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            file: file.clone(),
            source,
        })?;
        let parsed = if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
            serde_json::from_str::<CalendarOnly>(&text).map_err(|e| Error::Parse {
                field: String::new(),
                message: e.to_string(),
            })
        } else {
            toml::from_str::<CalendarOnly>(&text).map_err(|e| toml_error("", &e, &text))
        };
        parsed.and_then(into_calendar).map_err(|e| e.in_file(file))
    }

    /// The `[calendar]` section of a TOML document (see [`Calendar::load`]).
    ///
    /// ```
    /// use lead_decay::Calendar;
    ///
    /// let office = Calendar::from_toml_str(r#"
    ///     name = "any scenario"
    ///     [calendar]
    ///     working_days = ["mon", "tue", "wed", "thu", "fri"]
    ///     working_hours = ["9h", "17h"]
    /// "#)?;
    /// assert_eq!(office, Calendar::office());
    /// let err = Calendar::from_toml_str("name = \"no calendar\"").unwrap_err();
    /// assert_eq!(err.field(), Some("calendar"));
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Calendar::load`], without the file.
    pub fn from_toml_str(text: &str) -> Result<Calendar> {
        toml::from_str::<CalendarOnly>(text)
            .map_err(|e| toml_error("", &e, text))
            .and_then(into_calendar)
    }
}

fn into_calendar(document: CalendarOnly) -> Result<Calendar> {
    match document.calendar {
        Some(spec) => spec.into_calendar().map_err(|e| e.within("calendar")),
        None => Err(Error::Parse {
            field: "calendar".into(),
            message: "missing: the file has no [calendar] section (the team's working days, hours, time zone \
                      and holidays)"
                .into(),
        }),
    }
}
