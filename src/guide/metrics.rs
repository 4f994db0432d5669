//! The metrics: what each number of a report means, its exact expectation,
//! and how the Monte Carlo summaries are defined.
//!
//! # The metrics of one trial
//!
//! Each trial of the generative model ([`model`](super::model)) yields, per
//! segment and summed over the segments:
//!
//! | metric | definition |
//! |---|---|
//! | `customers` | SQLs that were warm when worked and would close |
//! | `customers_ideal` | SQLs that would close: the customers had every SQL been worked at once |
//! | `customers_lost` | `customers_ideal - customers`: would have closed, but cold or never worked |
//! | `revenue`, `revenue_ideal`, `revenue_lost` | the sum of the deal values `V_i` over the same SQLs |
//! | `roi` | `(revenue - marketing_spend) / marketing_spend` |
//! | `roi_ideal` | `(revenue_ideal - marketing_spend) / marketing_spend` |
//! | `roi_lost` | `roi_ideal - roi = revenue_lost / marketing_spend` |
//! | `sla_met` | the share of the SQLs under an SLA that were first worked within it (`D <= sla`) |
//!
//! * Because the ideal and the actual world share each SQL's close draw and
//!   deal value, `customers <= customers_ideal` and `revenue_lost >= 0` hold
//!   in every trial, not just on average.
//! * The ROI metrics exist only when the scenario has a `marketing_spend`
//!   (they are `None`, JSON `null`, otherwise), and only for the whole
//!   scenario: a segment's ROI is always `None`, because the spend is not
//!   split between segments.
//! * `sla_met` exists only when at least one segment has an `sla`. For a
//!   segment it is the share of *its* SQLs first worked within its SLA;
//!   never-followed-up SQLs count as missed. For the scenario it is pooled
//!   over the segments that have an SLA, weighted by their SQL counts
//!   (segments without one are left out, not counted as met or missed).
//!
//! # Exact expectations
//!
//! [`Expected`](crate::Expected) gives the exact expected value of every
//! metric, computed without sampling. For a segment of `N` SQLs with close
//! rate `p`, mean deal value `v̄`, decay `f` and follow-up delay `D`:
//!
//! ```text
//! N_worked            = N - neglected,  or  N (1 - never_followed_up)
//! E[customers]        = N_worked · p · E[f(D)]
//! E[customers_ideal]  = N · p
//! E[customers_lost]   = E[customers_ideal] - E[customers]
//! E[revenue]          = E[customers] · v̄                   (likewise ideal and lost)
//! E[roi]              = (E[revenue] - spend) / spend        (scenario only, with a spend)
//! E[roi_ideal]        = (E[revenue_ideal] - spend) / spend
//! E[roi_lost]         = E[revenue_lost] / spend
//! E[sla_met]          = (N_worked / N) · P(D <= sla)        (with an SLA)
//! ```
//!
//! The scenario's expectations are the sums over its segments (`sla_met`
//! pooled by SQL count as above). The one hard part is `E[f(D)]`, the
//! probability that a worked SQL is still warm. It comes in closed form
//! wherever one exists, for example
//!
//! ```text
//! immediate follow-up (D = 0)          E[f(D)] = 1
//! fixed delay d                        E[f(D)] = f(d)
//! step decay, shelf life L             E[f(D)] = P(D < L)
//! exponential decay (half-life h),
//!   exponential delay (mean m)         E[f(D)] = 1 / (1 + m ln 2 / h)
//! linear decay (shelf life L),
//!   exponential delay (mean m)         E[f(D)] = 1 - (m/L) (1 - exp(-L/m))
//! ```
//!
//! and otherwise (incomplete gamma and error functions, series,
//! deterministic adaptive quadrature) with a relative error of at most 1e-9;
//! the test suite checks every decay shape with every delay law against an
//! independent quadrature and against direct draws of `f(D)`. The
//! expectations are deterministic and never NaN.
//!
//! ```
//! use lead_decay::{DecayCurve, DelayDistribution, Expected, Hours, Scenario, Segment, DealValue};
//!
//! // The reference case with a marketing spend of 400,000 and an SLA of one day.
//! let segment = Segment::builder("industrial")
//!     .sqls(40)
//!     .close_rate(0.25)
//!     .deal_value(DealValue::fixed(100_000.0)?)
//!     .decay(DecayCurve::b2b_industrial())
//!     .neglected(5)
//!     .sla(Hours::from_days(1.0)?)
//!     .build()?;
//! let scenario = Scenario::builder("with-spend").marketing_spend(400_000.0).segment(segment).build()?;
//! let e = Expected::of(&scenario);
//! assert_eq!(e.roi, Some(1.1875));        // (875,000 - 400,000) / 400,000
//! assert_eq!(e.roi_ideal, Some(1.5));     // (1,000,000 - 400,000) / 400,000
//! assert_eq!(e.roi_lost, Some(0.3125));   // 125,000 / 400,000
//! assert_eq!(e.sla_met, Some(0.875));     // 35 of 40 worked, all at once
//! # Ok::<(), lead_decay::Error>(())
//! ```
//!
//! # Monte Carlo summaries
//!
//! A run of `trials` trials summarises each metric in a
//! [`Summary`](crate::Summary):
//!
//! ```text
//! count               the number of trials n
//! mean                the sample mean
//! std_dev             the sample standard deviation (denominator n - 1; 0 when n < 2)
//! std_error           std_dev / √n: the standard error of the mean
//! ci95_low, ci95_high mean ∓ 1.959963984540054 · std_error: the 95 % normal confidence
//!                     interval of the *mean*, not the range of outcomes
//! min, max            the exact extremes
//! p05 p25 p50 p75 p95 inverted-CDF quantiles: pXX is the smallest observed value whose
//!                     empirical CDF reaches XX %, i.e. the k-th smallest value with
//!                     k = max(1, ⌈XX · n / 100⌉) (exact integer arithmetic)
//! ```
//!
//! * The interval is about the mean: with enough trials it is narrow, and the
//!   exact expectation lies inside it in about 95 % of seeds. The spread of
//!   what a single campaign may bring is read from the quantiles (`p05` to
//!   `p95` holds about 90 % of the trials).
//! * The inverted-CDF definition makes the quantiles of count metrics whole
//!   numbers that match the exact distribution's quantiles: for the reference
//!   case `p05 = 5`, `p50 = 9`, `p95 = 13`, those of Binomial(35, 0.25). The
//!   median of an even number of trials is the lower median.
//! * Count metrics (customers, and the SLA counts behind `sla_met`) are kept
//!   in exact histograms: their quantiles are exact, and their means and
//!   deviations come from exact integer sums (exact up to the final
//!   rounding). Money metrics are kept as exact sums
//!   (mean and deviation exact up to the final rounding) and a log-bucket
//!   sketch whose quantiles are within 2^-12 relative of the true sample
//!   quantile, and exact when the values around the rank fall in distinct
//!   buckets. When every segment has the same fixed deal value, the money
//!   metrics are derived from the counts (revenue = customers × value) and
//!   are exact too. Memory stays bounded whatever the number of trials.
//! * The ROI summaries are the revenue summaries mapped through
//!   `x ↦ (x - spend) / spend` (`x ↦ x / spend` for `roi_lost`), so
//!   `roi.p05` is the ROI of the revenue `p05`.
//!
//! # The chance of reaching the goal
//!
//! With a `customer_goal` `g`, the report's [`GoalChance`](crate::GoalChance) gives
//!
//! ```text
//! probability         share of trials with customers >= g
//! probability_ideal   share of trials with customers_ideal >= g (every SQL worked at once)
//! std_error           sqrt(P (1 − P) / trials), and std_error_ideal likewise
//! exact               P(customers >= g) and P(customers_ideal >= g), exactly
//! ```
//!
//! The exact values come from [`CustomerDistribution`](crate::exact::CustomerDistribution):
//! every SQL becomes a customer independently, so each segment's customers
//! are binomial and the scenario's are their convolution. A scenario with
//! uncertain inputs has none (`not_exact` says why) and a reader uses the
//! estimate with its standard error; [`GoalChance::best`](crate::GoalChance::best)
//! picks the exact value when there is one.
//!
//! For a single segment with a neglected count `k` and immediate follow-up
//! these estimate the binomial tails `P(Binomial(N - k, p) >= g)` and
//! `P(Binomial(N, p) >= g)`, which the planner computes exactly
//! (`plan::binomial_at_least`):
//!
//! ```
//! use lead_decay::plan::binomial_at_least;
//! use lead_decay::{Scenario, Simulation};
//!
//! let report = Simulation::new(&Scenario::reference()).trials(100_000).seed(3).run()?;
//! let goal = report.goal.expect("the reference case has a goal of 10 customers");
//! let exact = binomial_at_least(35, 0.25, 10); // 0.374
//! let std_error = (exact * (1.0 - exact) / 100_000.0).sqrt();
//! assert!((goal.probability - exact).abs() < 4.0 * std_error);
//! assert!((goal.probability_ideal - binomial_at_least(40, 0.25, 10)).abs() < 0.01);
//! # Ok::<(), lead_decay::Error>(())
//! ```
//!
//! # Reading a report
//!
//! A [`Report`](crate::Report) holds, for the scenario and for each segment,
//! the exact expectations (`expected`) beside the Monte Carlo summaries
//! (`metrics`). Prefer `expected` for "what does neglect cost on average":
//! it has no sampling error. Use `metrics` for everything an average hides:
//! how bad a bad quarter is (`p05` of `customers`, `p95` of `revenue_lost`)
//! and the chance of reaching the goal. That `expected` lies within the
//! Monte Carlo interval of the mean is a check of the model and the
//! engines together (the test suite makes it for the warm probability of
//! every decay shape and delay law, and for whole reports). The JSON form of
//! a report is described in [`json`](super::json).
