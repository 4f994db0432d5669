//! Formatting and error handling shared by the example programs.
#![allow(dead_code)]

pub mod calibrate_html;
pub mod charts;
pub mod figures;
pub mod html;
pub mod interrupt;
pub mod progress;
pub mod sha256;
pub mod simulate_html;
pub mod uncertain;

use std::fmt::Display;
use std::path::Path;
use std::process::ExitCode;

/// `1234567.891` with `decimals` decimals and thousands separators: `1,234,567.89`.
pub fn grouped(x: f64, decimals: usize) -> String {
    lead_decay::whatif::grouped(x, decimals)
}

/// A share as a percentage with one decimal: `0.3737` -> `37.4 %`.
pub fn percent(share: f64) -> String {
    format!("{:.1} %", 100.0 * share)
}

/// A share as percentage points with one decimal, for differences of
/// percentages such as ROI lost: `2.355` -> `235.5 % points`.
pub fn points(share: f64) -> String {
    format!("{} % points", grouped(100.0 * share, 1))
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

/// Writes `contents` to `path` so that a failed write never destroys what
/// was there.
///
/// * A symbolic link is followed: its target is written, the link stays.
/// * A regular file (or a new one) is written to `<name>.partial` beside it
///   and renamed into place, so a failed write leaves nothing half-written;
///   the `.partial` is removed on failure and on Ctrl-C (see
///   [`interrupt::remove_on_interrupt`]), and a stale one from an earlier
///   killed run is replaced.
/// * Anything else (a FIFO, a terminal, `/dev/null`) is written through in
///   place: renaming over it would replace a device node with a file.
pub fn write_atomically(
    path: &Path,
    contents: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<(), String> {
    let describe = |e: std::io::Error| format!("{}: cannot write: {e}", path.display());
    let target = follow_links(path).map_err(describe)?;
    if let Ok(meta) = std::fs::metadata(&target)
        && !meta.is_file()
    {
        if meta.is_dir() {
            return Err(format!("{}: cannot write: it is a directory", path.display()));
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .open(&target)
            .map_err(describe)?;
        return contents(&mut file).map_err(describe);
    }
    let mut tmp_name = target.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(".partial");
    let tmp = target.with_file_name(tmp_name);
    let _cleanup = interrupt::remove_on_interrupt(&tmp);
    let result = std::fs::File::create(&tmp).and_then(|mut file| {
        contents(&mut file)?;
        file.sync_all()
    });
    if let Err(e) = result.and_then(|()| std::fs::rename(&tmp, &target)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(describe(e));
    }
    Ok(())
}

/// The final target of `path` after following symbolic links (at most 40,
/// as the kernel does); `path` itself when it is not a link or does not exist.
fn follow_links(path: &Path) -> std::io::Result<std::path::PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("lead-decay-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_followed_and_its_target_written() {
        let dir = temp_dir("symlink");
        let target = dir.join("target.csv");
        std::fs::write(&target, "old").unwrap();
        let link = dir.join("link.csv");
        std::os::unix::fs::symlink("target.csv", &link).unwrap();
        write_atomically(&link, |f| std::io::Write::write_all(f, b"new")).unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert!(!dir.join("target.csv.partial").exists() && !dir.join("link.csv.partial").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_written_through_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = temp_dir("fifo");
        let fifo = dir.join("out.csv");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("mkfifo unavailable: skipped");
            return;
        }
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        write_atomically(&fifo, |f| std::io::Write::write_all(f, b"through the pipe")).unwrap();
        assert_eq!(reader.join().unwrap(), "through the pipe");
        assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
        assert!(!dir.join("out.csv.partial").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_regular_file_is_replaced_whole_and_a_stale_partial_is_gone() {
        let dir = temp_dir("regular");
        let path = dir.join("out.csv");
        std::fs::write(dir.join("out.csv.partial"), "stale from a killed run").unwrap();
        write_atomically(&path, |f| std::io::Write::write_all(f, b"whole")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "whole");
        assert!(!dir.join("out.csv.partial").exists());
        let failed = write_atomically(&path, |_| Err(std::io::Error::other("disk full")));
        assert!(failed.unwrap_err().contains("disk full"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "whole");
        assert!(!dir.join("out.csv.partial").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(grouped(1_234_567.891, 2), "1,234,567.89");
        assert_eq!(grouped(-125_000.0, 0), "-125,000");
        assert_eq!(grouped(999.0, 0), "999");
        assert_eq!(grouped(-0.0001, 2), "0.00");
    }
}
