//! Split one Monte Carlo run over processes or machines, and merge the
//! pieces into exactly the report of one run.
//!
//! ```text
//! # each task: its share of 10 million trials, from its index alone
//! cargo run --release --example shard -- run --scenario s.toml --trials 10000000 \
//!     --index 3 --of 16 --out shard-3.json
//! # or an explicit trial range
//! cargo run --release --example shard -- run --trials 10000000 --range 0..2500000 --out a.json
//! # then: one report, the same JSON as a single run's
//! cargo run --release --example shard -- merge --scenario s.toml --trials 10000000 shard-*.json
//! ```
//!
//! Trial `i` of a seed draws from its own stream, so the shards of one run
//! (same scenario, engine, seed and trial total) merge bit for bit into the
//! report of the whole run, in any order. `merge` refuses a shard of another
//! run or trial total and trials tallied twice, and names the missing
//! trials when shards are absent. The range of `--index K --of M` depends
//! on `K`, `M` and `--trials` alone ([`lead_decay::engine::shard_range`]), so
//! a batch scheduler can rerun a failed index and get the same shard; the
//! README shows a Kubernetes Indexed Job and a Slurm job array.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use lead_decay::engine::shard_range;
use lead_decay::{Engine, Scenario, Simulation, Tally};
use serde::{Deserialize, Serialize};

#[derive(Parser, Debug)]
#[command(about = "Run a share of a Monte Carlo run, or merge the shares into one report")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run one shard and write its tally (JSON) to --out.
    Run(RunArgs),
    /// Merge shard files and print the report of the whole run (JSON).
    Merge(MergeArgs),
}

/// What identifies the run every shard belongs to.
#[derive(Args, Debug)]
struct RunSettings {
    /// Scenario file (TOML, or JSON with a .json extension); default: the reference case.
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// Trials of the whole run (all shards together).
    #[arg(long)]
    trials: u64,
    /// Seed of the run.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Engine of the run.
    #[arg(long, default_value = "auto")]
    engine: Engine,
}

#[derive(Args, Debug)]
struct RunArgs {
    #[command(flatten)]
    run: RunSettings,
    /// This shard's index, from 0 (with --of); e.g. $JOB_COMPLETION_INDEX or $SLURM_ARRAY_TASK_ID.
    #[arg(long, requires = "of", conflicts_with = "range")]
    index: Option<u64>,
    /// The number of shards (with --index).
    #[arg(long, requires = "index")]
    of: Option<u64>,
    /// An explicit trial range A..B instead of --index/--of.
    #[arg(long, value_parser = parse_range)]
    range: Option<Range<u64>>,
    /// Where to write the shard (written atomically: a temporary file, then a rename).
    #[arg(long)]
    out: PathBuf,
    /// Threads (default: all cores); results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
}

#[derive(Args, Debug)]
struct MergeArgs {
    /// Scenario file of the run (default: the reference case).
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// Trials of the whole run: every shard must belong to a run of this many.
    #[arg(long)]
    trials: u64,
    /// The shard files, in any order.
    #[arg(required = true)]
    shards: Vec<PathBuf>,
}

/// A shard file: the trial total of its run and the tally of its trials
/// (which carries the scenario's fingerprint, the engine, the seed and the
/// trial ranges).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Shard {
    trials: u64,
    tally: Tally,
}

fn parse_range(text: &str) -> Result<Range<u64>, String> {
    let (a, b) = text
        .split_once("..")
        .ok_or_else(|| format!("expected a range A..B, got {text:?}"))?;
    let number = |s: &str| s.trim().parse::<u64>().map_err(|e| format!("{s:?} in {text:?}: {e}"));
    Ok(number(a)?..number(b)?)
}

fn load_scenario(path: Option<&Path>) -> Result<Scenario, String> {
    match path {
        Some(path) => Scenario::load(path).map_err(|e| e.to_string()),
        None => Ok(Scenario::reference()),
    }
}

fn run(args: &RunArgs) -> Result<(), String> {
    let scenario = load_scenario(args.run.scenario.as_deref())?;
    let trials = args.run.trials;
    let range = match (&args.range, args.index, args.of) {
        (Some(range), _, _) => range.clone(),
        (None, Some(index), Some(of)) => shard_range(trials, index, of).map_err(|e| e.to_string())?,
        _ => return Err("give --index K --of M, or --range A..B".into()),
    };
    if !(range.start <= range.end && range.end <= trials) {
        return Err(format!(
            "--range {}..{} is not inside 0..{trials}",
            range.start, range.end
        ));
    }
    let mut simulation = Simulation::new(&scenario)
        .trials(trials)
        .seed(args.run.seed)
        .engine(args.run.engine);
    if let Some(threads) = args.threads {
        simulation = simulation.threads(threads);
    }
    let tally = simulation.run_range(range).map_err(|e| e.to_string())?;
    let json = serde_json::to_string(&Shard { trials, tally }).map_err(|e| e.to_string())?;
    write_atomically(&args.out, json.as_bytes())
}

/// Writes `bytes` to a temporary file beside `path`, then renames it, so a
/// killed task never leaves a half-written shard under the final name.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".{}.tmp", std::process::id()));
    let temporary = PathBuf::from(temporary);
    std::fs::write(&temporary, bytes).map_err(|e| format!("{}: {e}", temporary.display()))?;
    std::fs::rename(&temporary, path).map_err(|e| format!("{}: {e}", path.display()))
}

fn merge(args: &MergeArgs) -> Result<(), String> {
    let scenario = load_scenario(args.scenario.as_deref())?;
    let mut merged: Option<Tally> = None;
    for path in &args.shards {
        let name = path.display();
        let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
        let shard: Shard = serde_json::from_str(&text).map_err(|e| format!("{name}: not a shard file: {e}"))?;
        if shard.trials != args.trials {
            return Err(format!(
                "{name}: a shard of a {}-trial run, expected --trials {}",
                shard.trials, args.trials
            ));
        }
        if shard.tally.identity().scenario != scenario.fingerprint() {
            return Err(format!(
                "{name}: a shard of another scenario (fingerprint {:016x}, expected {:016x} of {:?})",
                shard.tally.identity().scenario,
                scenario.fingerprint(),
                scenario.name()
            ));
        }
        match &mut merged {
            None => merged = Some(shard.tally),
            Some(tally) => tally.merge(&shard.tally).map_err(|e| format!("{name}: {e}"))?,
        }
    }
    let tally = merged.ok_or("no shard files")?;
    let gaps = tally.gaps(args.trials);
    if !gaps.is_empty() {
        let missing: Vec<String> = gaps.iter().map(|g| format!("{}..{}", g.start, g.end)).collect();
        return Err(format!(
            "trials {} of 0..{} are in no shard: run the shards that cover them",
            missing.join(", "),
            args.trials
        ));
    }
    let report = tally.report(&scenario).map_err(|e| e.to_string())?;
    let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
    println!("{json}");
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Run(args) => run(args),
        Command::Merge(args) => merge(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
