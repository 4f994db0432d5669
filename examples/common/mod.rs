//! Formatting and error handling shared by the example programs.
#![allow(dead_code)]

pub mod charts;
pub mod progress;

use std::fmt::Display;
use std::path::Path;
use std::process::ExitCode;

/// `1234567.891` with `decimals` decimals and thousands separators: `1,234,567.89`.
pub fn grouped(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let text = format!("{:.*}", decimals, x.abs());
    let (whole, fraction) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let mut out = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    let negative = x < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0');
    if negative { format!("-{out}") } else { out }
}

/// A share as a percentage with one decimal: `0.3737` -> `37.4 %`.
pub fn percent(share: f64) -> String {
    format!("{:.1} %", 100.0 * share)
}

/// Money with the currency label, no decimals: `125,000 USD`.
pub fn money(x: f64, currency: Option<&str>) -> String {
    match currency {
        Some(c) => format!("{} {c}", grouped(x, 0)),
        None => grouped(x, 0),
    }
}

/// `p05 to p95` of a summary, scaled and grouped: `5 to 13`.
pub fn range(s: &lead_decay::Summary, decimals: usize, scale: f64) -> String {
    format!(
        "{} to {}",
        grouped(scale * s.p05, decimals),
        grouped(scale * s.p95, decimals)
    )
}

/// Writes rows with the first column left-aligned and the rest right-aligned.
pub fn aligned(out: &mut impl std::io::Write, rows: &[Vec<String>]) -> std::io::Result<()> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c == 0 {
                line.push_str(&format!("{cell:<w$}", w = widths[0]));
            } else {
                line.push_str(&format!("  {cell:>w$}", w = widths[c]));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// `println!` that never panics: when standard output cannot be written (a
/// pipe whose reader has gone, as in `| head`, or a full disk), the program
/// ends with a one-line error and the failure exit code, as `simulate` does.
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(error) = writeln!(std::io::stdout(), $($arg)*) {
            $crate::common::output_failed(error)
        }
    }};
}

/// Ends the program after standard output failed (see [`outln!`]).
pub fn output_failed(error: std::io::Error) -> ! {
    eprintln!("error: cannot write the output: {error}");
    std::process::exit(1)
}

/// Prints a one-paragraph error and returns the failure exit code.
pub fn fail(error: impl Display) -> ExitCode {
    eprintln!("error: {error}");
    ExitCode::FAILURE
}

/// Writes `contents` to `path` through a temporary file renamed into place,
/// so a failed write never leaves a half-written file behind.
pub fn write_atomically(
    path: &Path,
    contents: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<(), String> {
    let describe = |e: std::io::Error| format!("{}: cannot write: {e}", path.display());
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(".partial");
    let tmp = path.with_file_name(tmp_name);
    let result = std::fs::File::create(&tmp).and_then(|mut file| {
        contents(&mut file)?;
        file.sync_all()
    });
    if let Err(e) = result.and_then(|()| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(describe(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(grouped(1_234_567.891, 2), "1,234,567.89");
        assert_eq!(grouped(-125_000.0, 0), "-125,000");
        assert_eq!(grouped(999.0, 0), "999");
        assert_eq!(grouped(-0.0001, 2), "0.00");
    }
}
