//! The one error type of the crate.
//!
//! Every error says *where* (a field path such as `segments[1].decay.shelf_life`,
//! prefixed by the file name when the input came from a file), *what* was found
//! and *what was expected*, so an analyst can fix the input without reading code.

use std::fmt;

/// Everything that can go wrong in lead-decay.
///
/// The library never panics on user input: every invalid parameter, scenario
/// file or run setting comes back as one of these variants.
///
/// # Display and `source()`
///
/// Each error's `Display` is the whole message, cause included
/// (`ref.toml: segments[0].close_rate: expected ..., got 1.5`, or the
/// operating system's reason after the file name), and
/// [`source()`](std::error::Error::source) returns `None`: the cause is
/// printed once, whether the error is shown with `{}` or by a reporter such
/// as `anyhow` or `eyre` that walks the `source()` chain. The cause stays
/// reachable as data: match [`Error::InFile`] or [`Error::Io`] for their
/// `source` field.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A value broke its constraint (a close rate of 1.5, a negative duration,
    /// more neglected SQLs than the cohort holds, ...).
    ///
    /// Fix it by giving `field` a value that satisfies `expected`.
    InvalidValue {
        /// Path of the offending field, e.g. `segments[0].close_rate`.
        field: String,
        /// The value as the user gave it.
        value: String,
        /// The constraint the value must satisfy.
        expected: String,
    },
    /// A scenario could not be read: bad syntax, a wrong type, an unknown or
    /// missing key. `field` is empty when the problem is not inside a field.
    Parse {
        /// Path of the field where parsing failed (may be empty).
        field: String,
        /// What the parser found and expected.
        message: String,
    },
    /// A scenario file's text could not be parsed at a known position (bad
    /// syntax, a wrong type, an unknown or missing key): like
    /// [`Error::Parse`], with the 1-based `line` and `column` as fields.
    Syntax {
        /// Path of the field where parsing failed (may be empty).
        field: String,
        /// What the parser found and expected.
        message: String,
        /// 1-based line of the offending text.
        line: usize,
        /// 1-based column (in characters) of the offending text.
        column: usize,
    },
    /// An error inside a named input file; `source` carries the field path.
    InFile {
        /// The file the input came from.
        file: String,
        /// What is wrong inside the file.
        source: Box<Error>,
    },
    /// A file could not be read or written.
    Io {
        /// The file.
        file: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
}

fn field_prefix(field: &str) -> String {
    if field.is_empty() {
        String::new()
    } else {
        format!("{field}: ")
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidValue { field, value, expected } => write!(f, "{field}: expected {expected}, got {value}"),
            Error::Parse { field, message } => write!(f, "{}{message}", field_prefix(field)),
            Error::Syntax {
                field,
                message,
                line,
                column,
            } => write!(f, "{}{message} (line {line}, column {column})", field_prefix(field)),
            Error::InFile { file, source } => write!(f, "{file}: {source}"),
            Error::Io { file, source } => write!(f, "{file}: {source}"),
        }
    }
}

/// `source()` is `None`: `Display` already prints the cause (see [`Error`]).
impl std::error::Error for Error {}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An [`Error::InvalidValue`] for `field`, showing `value`, expecting `expected`.
    pub fn invalid(field: impl Into<String>, value: impl fmt::Display, expected: impl Into<String>) -> Self {
        Error::InvalidValue {
            field: field.into(),
            value: value.to_string(),
            expected: expected.into(),
        }
    }

    /// Prefixes the field path with `parent` (`decay` + `shelf_life` gives
    /// `decay.shelf_life`; `segments[2]` + `close_rate` gives
    /// `segments[2].close_rate`). Used when a validated part is placed inside
    /// a larger structure.
    #[must_use]
    pub fn within(self, parent: &str) -> Self {
        match self {
            Error::InvalidValue { field, value, expected } => Error::InvalidValue {
                field: join_path(parent, &field),
                value,
                expected,
            },
            Error::Parse { field, message } => Error::Parse {
                field: join_path(parent, &field),
                message,
            },
            Error::Syntax {
                field,
                message,
                line,
                column,
            } => Error::Syntax {
                field: join_path(parent, &field),
                message,
                line,
                column,
            },
            other => other,
        }
    }

    /// The same error pointing at `field` instead.
    #[must_use]
    pub(crate) fn at_field(self, field: &str) -> Self {
        match self {
            Error::InvalidValue { value, expected, .. } => Error::InvalidValue {
                field: field.to_owned(),
                value,
                expected,
            },
            Error::Parse { message, .. } => Error::Parse {
                field: field.to_owned(),
                message,
            },
            Error::Syntax {
                message, line, column, ..
            } => Error::Syntax {
                field: field.to_owned(),
                message,
                line,
                column,
            },
            other => other,
        }
    }

    /// Attributes the error to the input file `file`.
    #[must_use]
    pub fn in_file(self, file: impl Into<String>) -> Self {
        match self {
            already @ (Error::InFile { .. } | Error::Io { .. }) => already,
            other => Error::InFile {
                file: file.into(),
                source: Box::new(other),
            },
        }
    }

    /// The field path this error points at, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::InvalidValue { field, .. } | Error::Parse { field, .. } | Error::Syntax { field, .. } => Some(field),
            Error::InFile { source, .. } => source.field(),
            Error::Io { .. } => None,
        }
    }

    /// The 1-based `(line, column)` in the input text where parsing failed,
    /// when the parser knew it (TOML syntax and type errors).
    ///
    /// ```
    /// use lead_decay::Scenario;
    ///
    /// let err = Scenario::from_toml_str("name = \"x\"\nsegments = 3\n").unwrap_err();
    /// assert_eq!(err.field(), Some("segments"));
    /// assert_eq!(err.position(), Some((2, 12)));
    /// ```
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            Error::Syntax { line, column, .. } => Some((*line, *column)),
            Error::InFile { source, .. } => source.position(),
            _ => None,
        }
    }
}

fn join_path(parent: &str, child: &str) -> String {
    match (parent.is_empty(), child.is_empty()) {
        (true, _) => child.to_owned(),
        (false, true) => parent.to_owned(),
        (false, false) if child.starts_with('[') => format!("{parent}{child}"),
        (false, false) => format!("{parent}.{child}"),
    }
}

/// Checks that `value` is a probability in `[0, 1]` (NaN fails).
pub(crate) fn check_probability(field: &str, value: f64) -> Result<f64> {
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(Error::invalid(field, value, "a probability in [0, 1]"))
    }
}

/// Checks that `value` is finite and strictly positive (NaN fails).
pub(crate) fn check_positive(field: &str, value: f64) -> Result<f64> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(Error::invalid(field, value, "a finite number > 0"))
    }
}

/// Checks that `value` is finite and not negative (NaN fails).
pub(crate) fn check_non_negative(field: &str, value: f64) -> Result<f64> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(Error::invalid(field, value, "a finite number >= 0"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_with_dots_and_brackets() {
        let e = Error::invalid("shelf_life", -1, "a duration >= 0")
            .within("decay")
            .within("segments[1]");
        assert_eq!(e.field(), Some("segments[1].decay.shelf_life"));
        let e = Error::invalid("[3]", "x", "y").within("points");
        assert_eq!(e.field(), Some("points[3]"));
    }

    #[test]
    fn file_errors_show_file_field_value_and_constraint() {
        let e = Error::invalid("close_rate", 1.5, "a probability in [0, 1]")
            .within("segments[0]")
            .in_file("ref.toml");
        assert_eq!(
            e.to_string(),
            "ref.toml: segments[0].close_rate: expected a probability in [0, 1], got 1.5"
        );
    }

    /// What `anyhow`/`eyre` print: the error, then each `source()` in turn.
    fn reported_chain(error: &dyn std::error::Error) -> String {
        let mut parts = vec![error.to_string()];
        let mut next = error.source();
        while let Some(cause) = next {
            parts.push(cause.to_string());
            next = cause.source();
        }
        parts.join(": ")
    }

    #[test]
    fn a_reporter_walking_the_source_chain_prints_each_cause_once() {
        let e = Error::invalid("close_rate", 1.5, "a probability in [0, 1]")
            .within("segments[0]")
            .in_file("ref.toml");
        let chain = reported_chain(&e);
        assert_eq!(
            chain,
            "ref.toml: segments[0].close_rate: expected a probability in [0, 1], got 1.5"
        );
        let io = Error::Io {
            file: "missing.toml".into(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        };
        assert_eq!(reported_chain(&io), "missing.toml: no such file");
        assert_eq!(reported_chain(&io).matches("no such file").count(), 1);
    }

    #[test]
    fn syntax_errors_keep_line_and_column_as_fields_through_paths_and_files() {
        let e = Error::Syntax {
            field: "close_rate".into(),
            message: "invalid type".into(),
            line: 4,
            column: 14,
        }
        .within("segments[0]")
        .in_file("a.toml");
        assert_eq!(e.position(), Some((4, 14)));
        assert_eq!(e.field(), Some("segments[0].close_rate"));
        assert_eq!(
            e.to_string(),
            "a.toml: segments[0].close_rate: invalid type (line 4, column 14)"
        );
    }

    #[test]
    fn checks_reject_nan() {
        assert!(check_probability("p", f64::NAN).is_err());
        assert!(check_positive("x", f64::NAN).is_err());
        assert!(check_non_negative("x", f64::NAN).is_err());
        assert!(check_positive("x", 0.0).is_err());
        assert!(check_non_negative("x", f64::INFINITY).is_err());
    }
}
