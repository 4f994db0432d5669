//! The output of the `simulate` example: the JSON contract key by key, and
//! the CSV, per-trial and table formats.
//!
//! ```text
//! cargo run --release --example simulate -- [--scenario FILE] [--trials N] [--seed S]
//!     [--format table|json|csv] [--per-trial FILE.csv] [--engine auto|per-sql|collapsed]
//!     [--threads N] [--chart FILE.png|FILE.svg]
//! ```
//!
//! Without `--scenario` it runs the built-in reference case
//! ([`model`](super::model)); the defaults are 100,000 trials, seed 42, the
//! `auto` engine and all cores. `--format table` (the default) is for people;
//! `json` is the machine contract below; `csv` gives one row per metric.
//!
//! # The JSON contract
//!
//! `--format json` prints a [`Report`](crate::Report) (which serialises to
//! exactly these keys with serde) plus the example's `timing`. The keys below
//! are a contract: they keep their names and meanings, and new keys may be
//! added, so a consumer should ignore keys it does not know. Every number is
//! a JSON number (integers for `trials`, `seed`, `count` and
//! `goal.customers`; floats otherwise, so a count summary reads `9.0`); a
//! metric that does not apply is `null`, never omitted.
//!
//! | key | value |
//! |---|---|
//! | `scenario` | the scenario's `name` |
//! | `currency` | the scenario's `currency` label, or `null` |
//! | `trials` | trials run |
//! | `seed` | the seed |
//! | `engine` | the engine that ran: `"per-sql"` or `"collapsed"` (`auto` is resolved first) |
//! | `expected` | the exact expectation of every metric: an object with the keys `customers`, `customers_ideal`, `customers_lost`, `revenue`, `revenue_ideal`, `revenue_lost`, `roi`, `roi_ideal`, `roi_lost`, `sla_met`; a number each, `null` where the metric does not apply; and `lost`, the loss split by cause: `{ "never_followed_up": { "customers", "revenue" }, "too_late": { "customers", "revenue" } }` |
//! | `metrics` | the Monte Carlo summary of every metric: an object with the same ten keys, each a summary object or `null` |
//! | `goal` | with a `customer_goal`: `{ "customers": goal, "probability": P(customers >= goal), "probability_ideal": P(customers_ideal >= goal), "std_error", "std_error_ideal" }` (shares of trials with their standard errors), plus `"exact": { "probability", "probability_ideal" }` when the model allows it or `"not_exact": "uncertain-inputs" \| "too-large"` when it does not; without a goal, `null` |
//! | `segments` | one object per segment, in file order: `{ "name", "expected", "metrics" }`, with `expected` and `metrics` shaped as above (their ROI keys are always `null`: ROI is a scenario-level metric) |
//! | `loss_by_arrival` | only for a scenario with segments whose follow-up runs on the team's working clock (absent otherwise): one object per such segment, `{ "segment", "hours", "revenue_ideal", "revenue_lost", "worst_window", "verdict" }` from [`ArrivalLoss`](crate::exact::arrival_loss::ArrivalLoss): `hours` holds the 168 hours of the week from Monday 00:00 local time, each `{ "day", "hour", "share_of_sqls", "warm_probability", "revenue_ideal", "revenue_lost" }` (exact; `warm_probability` is `null` in an hour without arrivals); `worst_window` is a [`LossWindow`](crate::exact::arrival_loss::LossWindow) `{ "start", "hours", "share_of_sqls", "loss_share", "revenue_lost", "share_of_loss" }` or `null`, and `verdict` its sentence |
//! | `timing` | `{ "seconds", "trials_per_second", "sql_trials_per_second" }`: the wall-clock time of the simulation (preparing the engine, the trials and the report; not start-up, loading or output). The only part that is not reproducible |
//!
//! A summary object has the keys `count`, `mean`, `std_dev`, `std_error`,
//! `ci95_low`, `ci95_high`, `min`, `p05`, `p25`, `p50`, `p75`, `p95`, `max`,
//! defined in [`metrics`](super::metrics) (sample standard deviation,
//! normal 95 % interval of the mean, inverted-CDF quantiles). A metric is
//! `null` in both `expected` and `metrics` when it does not apply: the ROI
//! keys without a `marketing_spend`, `sla_met` without an `sla` in any
//! segment.
//!
//! # A real output
//!
//! `cargo run --release --example simulate -- --format json --trials 20000`
//! (the reference case, seed 42; the timing varies from run to run, every
//! other number is reproduced bit for bit):
//!
//! ```json
//! {
//!   "scenario": "reference",
//!   "currency": null,
//!   "trials": 20000,
//!   "seed": 42,
//!   "engine": "collapsed",
//!   "expected": {
//!     "customers": 8.75,
//!     "customers_ideal": 10.0,
//!     "customers_lost": 1.25,
//!     "revenue": 875000.0,
//!     "revenue_ideal": 1000000.0,
//!     "revenue_lost": 125000.0,
//!     "roi": null,
//!     "roi_ideal": null,
//!     "roi_lost": null,
//!     "sla_met": null,
//!     "lost": {
//!       "never_followed_up": { "customers": 1.25, "revenue": 125000.0 },
//!       "too_late": { "customers": 0.0, "revenue": 0.0 }
//!     }
//!   },
//!   "metrics": {
//!     "customers": {
//!       "count": 20000,
//!       "mean": 8.7464,
//!       "std_dev": 2.5568758125290394,
//!       "std_error": 0.018079842256911473,
//!       "ci95_low": 8.710964160330288,
//!       "ci95_high": 8.78183583966971,
//!       "min": 1.0,
//!       "p05": 5.0,
//!       "p25": 7.0,
//!       "p50": 9.0,
//!       "p75": 10.0,
//!       "p95": 13.0,
//!       "max": 21.0
//!     },
//!     "customers_ideal": {
//!       "count": 20000,
//!       "mean": 10.0035,
//!       "std_dev": 2.7296080832263083,
//!       "std_error": 0.019301243856309366,
//!       "ci95_low": 9.96567025718481,
//!       "ci95_high": 10.041329742815192,
//!       "min": 1.0,
//!       "p05": 6.0,
//!       "p25": 8.0,
//!       "p50": 10.0,
//!       "p75": 12.0,
//!       "p95": 15.0,
//!       "max": 24.0
//!     },
//!     "customers_lost": {
//!       "count": 20000,
//!       "mean": 1.2571,
//!       "std_dev": 0.9693536879429595,
//!       "std_error": 0.006854365661126551,
//!       "ci95_low": 1.243665690167324,
//!       "ci95_high": 1.2705343098326762,
//!       "min": 0.0,
//!       "p05": 0.0,
//!       "p25": 1.0,
//!       "p50": 1.0,
//!       "p75": 2.0,
//!       "p95": 3.0,
//!       "max": 5.0
//!     },
//!     "revenue": {
//!       "count": 20000,
//!       "mean": 874640.0,
//!       "std_dev": 255687.58125290394,
//!       "std_error": 1807.9842256911475,
//!       "ci95_low": 871096.4160330289,
//!       "ci95_high": 878183.583966971,
//!       "min": 100000.0,
//!       "p05": 500000.0,
//!       "p25": 700000.0,
//!       "p50": 900000.0,
//!       "p75": 1000000.0,
//!       "p95": 1300000.0,
//!       "max": 2100000.0
//!     },
//!     "revenue_ideal": {
//!       "count": 20000,
//!       "mean": 1000350.0000000001,
//!       "std_dev": 272960.8083226308,
//!       "std_error": 1930.1243856309366,
//!       "ci95_low": 996567.0257184809,
//!       "ci95_high": 1004132.9742815192,
//!       "min": 100000.0,
//!       "p05": 600000.0,
//!       "p25": 800000.0,
//!       "p50": 1000000.0,
//!       "p75": 1200000.0,
//!       "p95": 1500000.0,
//!       "max": 2400000.0
//!     },
//!     "revenue_lost": {
//!       "count": 20000,
//!       "mean": 125710.00000000001,
//!       "std_dev": 96935.36879429595,
//!       "std_error": 685.4365661126551,
//!       "ci95_low": 124366.56901673239,
//!       "ci95_high": 127053.43098326762,
//!       "min": 0.0,
//!       "p05": 0.0,
//!       "p25": 100000.0,
//!       "p50": 100000.0,
//!       "p75": 200000.0,
//!       "p95": 300000.0,
//!       "max": 500000.0
//!     },
//!     "roi": null,
//!     "roi_ideal": null,
//!     "roi_lost": null,
//!     "sla_met": null
//!   },
//!   "goal": {
//!     "customers": 10,
//!     "probability": 0.37295,
//!     "probability_ideal": 0.56225,
//!     "std_error": 0.003419490440840565,
//!     "std_error_ideal": 0.003508026065325057,
//!     "exact": {
//!       "probability": 0.373676283613634,
//!       "probability_ideal": 0.5604602683274669
//!     }
//!   },
//!   "segments": [
//!     {
//!       "name": "industrial",
//!       "expected": {
//!         "customers": 8.75,
//!         "customers_ideal": 10.0,
//!         "customers_lost": 1.25,
//!         "revenue": 875000.0,
//!         "revenue_ideal": 1000000.0,
//!         "revenue_lost": 125000.0,
//!         "roi": null,
//!         "roi_ideal": null,
//!         "roi_lost": null,
//!         "sla_met": null,
//!         "lost": {
//!           "never_followed_up": { "customers": 1.25, "revenue": 125000.0 },
//!           "too_late": { "customers": 0.0, "revenue": 0.0 }
//!         }
//!       },
//!       "metrics": {
//!         "customers": {
//!           "count": 20000,
//!           "mean": 8.7464,
//!           "std_dev": 2.5568758125290394,
//!           "std_error": 0.018079842256911473,
//!           "ci95_low": 8.710964160330288,
//!           "ci95_high": 8.78183583966971,
//!           "min": 1.0,
//!           "p05": 5.0,
//!           "p25": 7.0,
//!           "p50": 9.0,
//!           "p75": 10.0,
//!           "p95": 13.0,
//!           "max": 21.0
//!         },
//!         "customers_ideal": {
//!           "count": 20000,
//!           "mean": 10.0035,
//!           "std_dev": 2.7296080832263083,
//!           "std_error": 0.019301243856309366,
//!           "ci95_low": 9.96567025718481,
//!           "ci95_high": 10.041329742815192,
//!           "min": 1.0,
//!           "p05": 6.0,
//!           "p25": 8.0,
//!           "p50": 10.0,
//!           "p75": 12.0,
//!           "p95": 15.0,
//!           "max": 24.0
//!         },
//!         "customers_lost": {
//!           "count": 20000,
//!           "mean": 1.2571,
//!           "std_dev": 0.9693536879429595,
//!           "std_error": 0.006854365661126551,
//!           "ci95_low": 1.243665690167324,
//!           "ci95_high": 1.2705343098326762,
//!           "min": 0.0,
//!           "p05": 0.0,
//!           "p25": 1.0,
//!           "p50": 1.0,
//!           "p75": 2.0,
//!           "p95": 3.0,
//!           "max": 5.0
//!         },
//!         "revenue": {
//!           "count": 20000,
//!           "mean": 874640.0,
//!           "std_dev": 255687.58125290394,
//!           "std_error": 1807.9842256911475,
//!           "ci95_low": 871096.4160330289,
//!           "ci95_high": 878183.583966971,
//!           "min": 100000.0,
//!           "p05": 500000.0,
//!           "p25": 700000.0,
//!           "p50": 900000.0,
//!           "p75": 1000000.0,
//!           "p95": 1300000.0,
//!           "max": 2100000.0
//!         },
//!         "revenue_ideal": {
//!           "count": 20000,
//!           "mean": 1000350.0000000001,
//!           "std_dev": 272960.8083226308,
//!           "std_error": 1930.1243856309366,
//!           "ci95_low": 996567.0257184809,
//!           "ci95_high": 1004132.9742815192,
//!           "min": 100000.0,
//!           "p05": 600000.0,
//!           "p25": 800000.0,
//!           "p50": 1000000.0,
//!           "p75": 1200000.0,
//!           "p95": 1500000.0,
//!           "max": 2400000.0
//!         },
//!         "revenue_lost": {
//!           "count": 20000,
//!           "mean": 125710.00000000001,
//!           "std_dev": 96935.36879429595,
//!           "std_error": 685.4365661126551,
//!           "ci95_low": 124366.56901673239,
//!           "ci95_high": 127053.43098326762,
//!           "min": 0.0,
//!           "p05": 0.0,
//!           "p25": 100000.0,
//!           "p50": 100000.0,
//!           "p75": 200000.0,
//!           "p95": 300000.0,
//!           "max": 500000.0
//!         },
//!         "roi": null,
//!         "roi_ideal": null,
//!         "roi_lost": null,
//!         "sla_met": null
//!       }
//!     }
//!   ],
//!   "timing": {
//!     "seconds": 0.000630315,
//!     "trials_per_second": 31730166.662700396,
//!     "sql_trials_per_second": 1269206666.5080159
//!   }
//! }
//! ```
//!
//! Read it as: the exact expectation is 8.75 customers (1.25 lost, 125,000 of
//! revenue lost); the 20,000 trials average 8.7464 customers, with a 95 %
//! interval of the mean from 8.711 to 8.782 that holds the exact value; a
//! single campaign brings between 5 and 13 customers nine times in ten; and
//! the goal of 10 customers is reached in 37.3 % of the trials (± 0.34
//! points, one standard error), against 56.2 % had every SQL been worked at
//! once; exactly, the chances are 37.4 % and 56.0 % (`goal.exact`, the
//! binomial tails: see [`CustomerDistribution`](crate::exact::CustomerDistribution)).
//! All of the loss comes from the 5 SQLs never followed up (`expected.lost`).
//!
//! With a `marketing_spend` and an `sla` the ROI keys and `sla_met` are
//! filled in. For `examples/scenarios/b2b-industrial.toml` (120 SQLs, spend
//! 1,200,000, lognormal deal values, one SQL in eight never followed up, a
//! two-day mean delay, an SLA of one day), the same command with
//! `--scenario` gives, among the rest:
//!
//! ```json
//! "expected": { "customers": 24.500000535329065, "roi": 1.041666711277422, "roi_ideal": 1.5,
//!               "roi_lost": 0.45833328872257806, "sla_met": 0.3442856727514457, "...": "..." },
//! "metrics": { "sla_met": { "count": 20000, "mean": 0.3443054166666667, "p05": 0.275,
//!                           "p50": 0.3416666666666667, "p95": 0.4166666666666667, "...": "..." },
//!              "...": "..." }
//! ```
//!
//! In code, the same object without `timing`:
//!
//! ```
//! use lead_decay::{Scenario, Simulation};
//!
//! let report = Simulation::new(&Scenario::reference()).trials(20_000).seed(42).run()?;
//! let json = serde_json::to_value(&report).expect("a report serialises");
//! assert_eq!(json["engine"], "collapsed");
//! assert_eq!(json["expected"]["customers"], 8.75);
//! assert_eq!(json["metrics"]["customers"]["mean"], 8.7464);
//! assert_eq!(json["metrics"]["customers"]["p50"], 9.0);
//! assert_eq!(json["goal"]["probability"], 0.37295);
//! assert!(json["metrics"]["roi"].is_null());
//! assert_eq!(json["segments"][0]["name"], "industrial");
//! # Ok::<(), lead_decay::Error>(())
//! ```
//!
//! # Uncertain inputs
//!
//! A scenario with uncertain inputs adds an `inputs` object (absent
//! otherwise, so reports of other scenarios are unchanged), and its
//! `expected` is the exact expectation over the inputs
//! ([`guide::model`](super::model#two-level-trials-what-we-dont-know-apart-from-luck)):
//!
//! | key | meaning |
//! |---|---|
//! | `inputs.factors` | the uncertain inputs, by name |
//! | `inputs.method` | `{"method": "quadrature", "evaluations": N}` or `{"method": "quasi_monte_carlo", "points": 1024, "replicates": 16}`: how `expected` was computed |
//! | `inputs.expected_std_error` | the standard error of each figure of `expected` (quasi-Monte Carlo only; `null` for quadrature) |
//! | `inputs.given_inputs` | per metric, a summary (as in `metrics`) of the exact `E[metric | inputs]` of each trial's inputs |
//! | `inputs.variance_share` | per metric, `Var(E[M | X]) / Var(M)`: the share of the trials' variance the inputs explain |
//!
//! The CSV of such a scenario adds four columns to every row:
//! `expected_given_inputs_p05`, `expected_given_inputs_p50`,
//! `expected_given_inputs_p95` and `variance_share_inputs`; the per-trial
//! rows add one column per uncertain input, `input:NAME`, with the value
//! the trial drew (the point of the unit cube for a joint input's
//! coordinates, `input:NAME[k]`).
//!
//! # CSV: one row per metric
//!
//! `--format csv` writes a header and one row per metric that applies, with
//! the exact expectation beside the summary fields (the same run):
//!
//! ```text
//! metric,expected,mean,std_dev,std_error,ci95_low,ci95_high,min,p05,p25,p50,p75,p95,max
//! customers,8.75,8.7464,2.5568758125290394,0.018079842256911473,8.710964160330288,8.78183583966971,1,5,7,9,10,13,21
//! customers_ideal,10,10.0035,2.7296080832263083,0.019301243856309366,9.96567025718481,10.041329742815192,1,6,8,10,12,15,24
//! customers_lost,1.25,1.2571,0.9693536879429595,0.006854365661126551,1.243665690167324,1.2705343098326762,0,0,1,1,2,3,5
//! revenue,875000,874640,255687.58125290394,1807.9842256911475,871096.4160330289,878183.583966971,100000,500000,700000,900000,1000000,1300000,2100000
//! revenue_ideal,1000000,1000350.0000000001,272960.8083226308,1930.1243856309366,996567.0257184809,1004132.9742815192,100000,600000,800000,1000000,1200000,1500000,2400000
//! revenue_lost,125000,125710.00000000001,96935.36879429595,685.4365661126551,124366.56901673239,127053.43098326762,0,0,100000,100000,200000,300000,500000
//! ```
//!
//! # Per-trial rows
//!
//! `--per-trial FILE.csv` also writes one row per trial, in trial order: the
//! trial index and the ten metrics of that trial (empty cells for those that
//! do not apply), and, when the scenario has more than one segment, four
//! columns per segment (`NAME.customers`, `NAME.customers_lost`,
//! `NAME.revenue`, `NAME.revenue_lost`). The report is the summary of
//! exactly these rows. The first rows of the same run:
//!
//! ```text
//! trial,customers,customers_ideal,customers_lost,revenue,revenue_ideal,revenue_lost,roi,roi_ideal,roi_lost,sla_met
//! 0,13,15,2,1300000,1500000,200000,,,,
//! 1,12,13,1,1200000,1300000,100000,,,,
//! 2,6,8,2,600000,800000,200000,,,,
//! ```
//!
//! # The table
//!
//! The default format is for people: a header line (scenario, trials, seed,
//! engine, seconds), the verdict sentence ("Neglect costs 1.25 of 10.00
//! expected customers (12.5 %), 125,000 in expected revenue; P(at least 10
//! customers) falls from 56.2 % to 37.3 %."), then one aligned row per
//! metric with its expectation, mean, interval of the mean, `p05`, `p50`,
//! `p95` and unit, with thousands separators. Its layout may change between
//! versions; programs should read the JSON.
//!
//! # Exit status
//!
//! 0 on success. On bad input (an unreadable or invalid scenario file, zero
//! trials, an unwritable output file) a one-paragraph error on stderr that
//! names the file, the field and what was expected, and exit status 1;
//! malformed flags exit with status 2 (clap). Never a panic or a backtrace.
//!
//! ```text
//! $ cargo run --release --example simulate -- --trials 0
//! error: trials: expected at least 1 trial, got 0
//! ```
