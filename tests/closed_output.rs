//! Every example, its standard output a pipe nobody reads (`| head` after
//! `head` has gone): a one-line error and a failure exit code, never a
//! panic.

mod common;

use std::process::Command;

fn into_a_closed_pipe(name: &str, args: &[&str]) -> std::process::Output {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    // The reader is gone before the example starts, so its first write fails.
    drop(reader);
    Command::new(common::example(name))
        .args(args)
        .stdout(writer)
        .output()
        .expect("the example starts")
}

#[test]
fn examples_end_with_an_error_not_a_panic_when_output_cannot_be_written() {
    let plan = [
        "--revenue-goal",
        "20000000",
        "--deal-value",
        "50000",
        "--close-rate",
        "0.25",
    ];
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("simulate", vec!["--trials", "1000"]),
        ("simulate", vec!["--trials", "1000", "--format", "json"]),
        ("plan", plan.to_vec()),
        ("plan", [&plan[..], &["--format", "json"]].concat()),
        ("capacity", vec!["--trials", "20", "run"]),
        ("calibrate", vec!["--input", "examples/data/export.csv"]),
        (
            "sweep",
            vec![
                "--trials",
                "1000",
                "--vary",
                "shelf-life",
                "--from",
                "1d",
                "--to",
                "30d",
                "--steps",
                "2",
            ],
        ),
    ];
    for (name, args) in cases {
        let output = into_a_closed_pipe(name, &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{name} {args:?} succeeded");
        assert!(!stderr.contains("panicked"), "{name} {args:?}: {stderr}");
        assert!(stderr.contains("cannot write the output"), "{name} {args:?}: {stderr}");
    }
}
