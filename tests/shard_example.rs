//! The `shard` example as a batch scheduler runs it: four processes each
//! tally their index's share of one run, and the merge of their files, in
//! any order, is the report of one run bit for bit; a shard of another run
//! is refused with a clear message.

mod common;

use std::path::{Path, PathBuf};

use lead_decay::{Report, Scenario, Simulation};

const TRIALS: &str = "40000";

fn run_shard(dir: &Path, index: u64, extra: &[&str]) -> PathBuf {
    let out = dir.join(format!("shard-{index}.json"));
    let index = index.to_string();
    let mut args = vec![
        "run", "--trials", TRIALS, "--seed", "9", "--index", &index, "--of", "4", "--out",
    ];
    let out_text = out.to_str().unwrap().to_owned();
    args.push(&out_text);
    args.extend_from_slice(extra);
    let output = common::run("shard", &args);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    out
}

fn merge(files: &[&PathBuf]) -> std::process::Output {
    let mut args = vec!["merge".to_owned(), "--trials".into(), TRIALS.into()];
    args.extend(files.iter().map(|f| f.to_str().unwrap().to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    common::run("shard", &args)
}

#[test]
fn four_processes_shards_merged_in_any_order_equal_one_run_bit_for_bit() {
    let dir = common::temp_dir("shards-merge");
    let shards: Vec<PathBuf> = (0..4).map(|i| run_shard(&dir, i, &[])).collect();
    let whole = Simulation::new(&Scenario::reference())
        .trials(40_000)
        .seed(9)
        .run()
        .unwrap();
    let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
    for order in [[0, 1, 2, 3], [3, 1, 0, 2], [2, 3, 1, 0]] {
        let files: Vec<&PathBuf> = order.iter().map(|&i| &shards[i]).collect();
        let output = merge(&files);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let text = String::from_utf8(output.stdout).unwrap();
        assert_eq!(text, expected);
        let report: Report = serde_json::from_str(&text).unwrap();
        assert_eq!(report, whole);
    }
}

#[test]
fn a_shard_of_another_seed_a_repeated_shard_and_a_missing_shard_are_refused() {
    let dir = common::temp_dir("shards-refused");
    let shards: Vec<PathBuf> = (0..4).map(|i| run_shard(&dir, i, &[])).collect();
    let other_dir = dir.join("other");
    std::fs::create_dir_all(&other_dir).unwrap();
    let other_seed = {
        let out = other_dir.join("shard-3.json");
        let output = common::run(
            "shard",
            &[
                "run",
                "--trials",
                TRIALS,
                "--seed",
                "10",
                "--index",
                "3",
                "--of",
                "4",
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert!(output.status.success());
        out
    };
    let error = |files: &[&PathBuf]| {
        let output = merge(files);
        assert!(!output.status.success());
        String::from_utf8(output.stderr).unwrap()
    };
    let text = error(&[&shards[0], &shards[1], &shards[2], &other_seed]);
    assert!(text.contains("seed 10") && text.contains("seed 9"), "{text}");
    let text = error(&[&shards[0], &shards[1], &shards[1], &shards[3]]);
    assert!(text.contains("trials 10000..20000 a second time"), "{text}");
    let text = error(&[&shards[0], &shards[3]]);
    assert!(
        text.contains("trials 10000..30000 of 0..40000 are in no shard"),
        "{text}"
    );
    let output = common::run("shard", &["merge", "--trials", "50000", shards[0].to_str().unwrap()]);
    let text = String::from_utf8(output.stderr).unwrap();
    assert!(
        !output.status.success() && text.contains("a shard of a 40000-trial run"),
        "{text}"
    );
}
