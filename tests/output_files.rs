//! Issue 14, "nothing lost, nothing destroyed": the examples' output files.
//! A symlink is followed, a FIFO written through (never replaced by a
//! file), a `.partial` removed on Ctrl-C, and a chart that fails comes after
//! the report, with a non-zero exit. FIFOs and symlinks live in a temporary
//! folder; no real device node is touched.

mod common;

use std::process::{Command, Stdio};

#[cfg(unix)]
#[test]
fn per_trial_output_through_a_symlink_writes_its_target() {
    let dir = common::temp_dir("out-symlink");
    let target = dir.join("trials.csv");
    let link = dir.join("link.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let output = common::run("simulate", &["--trials", "200", "--per-trial", link.to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    let text = std::fs::read_to_string(&target).unwrap();
    assert_eq!(text.lines().count(), 201);
    assert!(!dir.join("trials.csv.partial").exists() && !dir.join("link.csv.partial").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn per_trial_output_to_a_fifo_is_written_through_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = common::temp_dir("out-fifo");
    let fifo = dir.join("trials.csv");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let output = common::run("simulate", &["--trials", "300", "--per-trial", fifo.to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(reader.join().unwrap().lines().count(), 301);
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(!dir.join("trials.csv.partial").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn an_interrupted_per_trial_run_leaves_no_partial_file() {
    let dir = common::temp_dir("out-interrupt");
    let path = dir.join("trials.csv");
    let partial = dir.join("trials.csv.partial");
    let mut child = Command::new(common::example("simulate"))
        .args(["--trials", "1000000000000", "--per-trial", path.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Poll until the run has written something (no time limit asserted).
    while std::fs::metadata(&partial).map_or(true, |m| m.len() < 100_000) {
        std::thread::sleep(std::time::Duration::from_millis(20));
        if let Some(status) = child.try_wait().unwrap() {
            panic!("simulate ended early: {status}");
        }
    }
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(!status.success());
    assert!(!partial.exists(), "the .partial was left behind");
    assert!(!path.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn a_chart_that_cannot_be_written_comes_after_the_report_and_fails_the_run() {
    let dir = common::temp_dir("out-chart");
    // A path under a regular file: no user (not even root) can create it.
    let blocker = dir.join("not-a-folder");
    std::fs::write(&blocker, "").unwrap();
    let chart = blocker.join("chart.png");
    let output = common::run("simulate", &["--trials", "2000", "--chart", chart.to_str().unwrap()]);
    assert!(!output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("Neglect costs"), "the report was thrown away: {stdout}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("chart.png"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}
