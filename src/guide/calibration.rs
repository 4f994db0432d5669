//! Calibration: what [`crate::calibrate`] fits from a CRM export, how it
//! reads SQLs that are still open, and how to read its report.
//!
//! # The rows
//!
//! One row per SQL: when it became an SQL, when sales first contacted it
//! (empty: not yet, or never), its outcome (won, lost, open), and
//! optionally its deal value, segment, id and decision date (`decided_at`:
//! the CRM's close date, read on won and lost rows only; on an open deal
//! the CRMs' close date is a forecast). The export is taken at the
//! **as-of date** ([`ExportFormat::as_of`](crate::calibrate::ExportFormat),
//! by default the latest timestamp in the file): everything the fit knows,
//! it knows as of that moment, and the report prints it.
//!
//! # Three fits
//!
//! * **Follow-up**: a share `q` never followed up and a delay law `g` for
//!   the rest (exponential, log-normal, gamma; AIC picks one). A contacted
//!   SQL with delay `d` contributes `(1 - q) g(d)`; a closed SQL never
//!   contacted, `q`; an open SQL not contacted `a` hours after it became an
//!   SQL is censored: `q + (1 - q) P(D > a)`, it may still be contacted.
//! * **Decay**: a contacted SQL worked after `D` hours is won with
//!   probability `π(D) = p f(D)`, `p` the close rate of an SQL worked at
//!   once and `f` the decay curve (step, linear, exponential, Weibull,
//!   monotone table).
//! * **Sales cycle**: a win is recorded a time `T_w` after the first
//!   contact, a loss a time `T_l` after it, each Weibull,
//!   `G(t) = 1 - exp(-(t/s)^k)`, fitted separately: losses are usually
//!   recorded weeks after a win would have been.
//!
//! # Immature cohorts: open SQLs are censored on their outcome
//!
//! An export always holds recent SQLs that were contacted and are still
//! open. Leaving them out biases the close rate whenever wins and losses
//! are recorded at different speeds: if a loss takes weeks to be closed in
//! the CRM and a win days, the decided SQLs of the last weeks are mostly
//! wins, and the close rate comes out too high (on a 200,000-row export
//! whose last two weeks hold half the SQLs not won as open: 0.310 [0.305,
//! 0.315] for a true 0.300). Counting them as losses biases it the other
//! way. So the decay and the sales cycle are fitted together, each
//! contacted SQL contributing, `a` hours after its first contact at the
//! as-of date:
//!
//! | row | likelihood |
//! |---|---|
//! | won, decided `t` hours after the contact | `π(D) g_w(t)` |
//! | won, no decision date | `π(D) G_w(a)` |
//! | lost, decided `t` hours after the contact | `(1 - π(D)) g_l(t)` |
//! | lost, no decision date | `(1 - π(D)) G_l(a)` |
//! | open | `π(D) (1 - G_w(a)) + (1 - π(D)) (1 - G_l(a))` |
//!
//! An SQL contacted yesterday and still open is "not decided yet" (both
//! survival terms near 1: it says almost nothing about its outcome); one
//! open for months, when wins come within days, is probably going to be
//! lost. This is the mixture ("cure") model of survival analysis with the
//! outcome as the mixing probability (Farewell 1982, *Biometrics* 38,
//! 1041–1046; Larson & Dinse 1985, *Biometrics* 41, 901–909 for the
//! competing-risks form).
//!
//! * **With decision dates** the decided rows give the cycles directly.
//! * **Without** (a contacts export, a report without the close date),
//!   each decided row is known only to have been decided by the as-of
//!   date: the cycles are read from how the share of SQLs decided grows
//!   with the time since contact ("current status" data). The close rate
//!   stays unbiased; its interval is wider, the cycles less sharp.
//!
//! The maximum is found by expectation-maximisation (each open SQL counts
//! as a fractional win `w` and loss `1 - w`, its posterior given how long
//! it has been open; the decay and the cycles are refitted; repeat), then
//! Newton's method on the whole likelihood. Standard errors come from the
//! observed information of the whole likelihood, so the close rate's
//! interval carries the uncertainty of the cycles. Each shape's AIC counts
//! the cycles' four parameters (the same for every shape, so AIC
//! differences compare the shapes only).
//!
//! When the export cannot identify the cycles (fewer than
//! [`MIN_DECIDED_PER_OUTCOME`](crate::calibrate::MIN_DECIDED_PER_OUTCOME)
//! decided wins or losses, a fit that runs to the end of the searched
//! range, a singular information matrix), the open SQLs are left out,
//! never counted as losses, and
//! [`Censoring::left_out_because`](crate::calibrate::Censoring) and the
//! report say why and what it means. Without open contacted SQLs nothing is
//! censored and the decay fits are exactly those that leave them out; the
//! cycles, when the decision dates bound them, are reported beside.
//!
//! Limits: the cycles are Weibull (exponential when `k = 1`); a CRM that
//! never closes stale deals holds "zombie" open SQLs, which the fit reads
//! as a long tail of the loss cycle (a small `k`): close or drop them
//! before exporting for a sharper fit.
//!
//! # Which decay shape: the evidence
//!
//! Every shape is fitted; the report gives each its AIC, its **Akaike
//! weight** `exp(-Δ/2) / Σ exp(-Δ_j/2)` (`Δ` its AIC minus the lowest: the
//! probability, given the data, that it is the best of the shapes fitted)
//! and what its fit implies: the exact expected revenue lost to neglect and
//! delay in the fitted scenario with that shape
//! ([`ShapeWeight`](crate::calibrate::ShapeWeight)). On a few thousand
//! SQLs several shapes often share the evidence and disagree on the loss
//! by a factor of two; the report's first lines then say that the data
//! cannot tell them apart and give the range.
//!
//! # The fitted scenario: what the export leaves open
//!
//! The scenario `calibrate` writes (`--output fitted.toml`;
//! [`Calibration::forecast`](crate::calibrate::Calibration::forecast))
//! has one segment whose numbers are the best fit's, rounded to four
//! significant digits, and, by default, up to three joint inputs (`[[joint]]`, see
//! the [file format](crate::guide::file_format)) that carry what the data
//! do not pin down ([`Calibration::fit_uncertainty`](crate::calibrate::Calibration::fit_uncertainty)):
//!
//! * **`decay shape`** (`--shape averaged`, the default): weighted
//!   alternatives, one drawn per trial. Each decay shape the data identify
//!   holds its Akaike weight, spread over `max(1, round(100 w))` points of
//!   the sampling distribution of its close rate and parameters (a
//!   multivariate normal with the fit's covariance, on the logit and log
//!   scales); each point sets the curve and the close rate. A shape with
//!   half the evidence thus gives half the trials, each with a plausible
//!   version of its own fit. One exception: the exponential is the Weibull
//!   with `k = 1`, so when the Weibull is fitted it carries the
//!   exponential's weight on its own normal
//!   ([`NESTED_IN_WEIBULL`](crate::calibrate::NESTED_IN_WEIBULL),
//!   [`Calibration::forecast_weights`](crate::calibrate::Calibration::forecast_weights)).
//!   The exponential's interval takes `k = 1` as known; where a few
//!   thousand rows cannot tell the two apart, that narrow interval sits
//!   where `k = 1` extrapolates the close rate to zero delay (too high
//!   when the truth is flat at first, `k > 1`: about 0.6 % of SQLs are
//!   worked within two hours, so the close rate at zero delay is an
//!   extrapolation), and the averaged interval covered a Weibull truth 40
//!   times in 50 instead of 45. The Weibull's normal contains `k = 1` and
//!   the curves near it, so the doubt is kept and the bias is not. The
//!   report still gives each shape's own Akaike weight.
//! * **`follow-up fit`**: the normal of the delay family's parameters and
//!   of the share never followed up, independent of the decay (whose
//!   likelihood is conditional on the delays).
//! * **`deal value fit`** (when the deal values are the export's, not
//!   `--deal-value`): the normal of the log of the mean deal value, of
//!   variance `ln(1 + cv² / n)` over the `n` won rows with a value
//!   ([`Calibration::deal_value_uncertainty`](crate::calibrate::Calibration::deal_value_uncertainty)).
//!
//! `simulate` on that file runs two-level trials: each trial draws the
//! inputs, then the SQLs. Its inputs table gives the 5th to 95th
//! percentile of the *expected* revenue lost over the inputs (what the data
//! leave open) beside the Monte Carlo spread (the luck of one cohort), and
//! the share of the variance each input explains
//! ([`InputsReport`](crate::engine::InputsReport)); the exact figures over the
//! inputs are [`ExpectedOverInputs`](crate::exact::ExpectedOverInputs).
//! So an analyst sees, for instance, that the export cannot tell a
//! Weibull from an exponential decay and that the revenue lost lies
//! between two figures a factor of two apart, rather than one number
//! with a tight interval.
//!
//! Other choices: `--shape best` or a shape's name (`--shape weibull`)
//! writes that one fit with its normal (`decay fit`: `close-rate`,
//! `shelf-life`, and `weibull-shape` for the Weibull; the table adds
//! nothing, its values are not fitted jointly); `--no-uncertainty` writes
//! the point estimates only, whose intervals then show only the luck of
//! the draw.
//!
//! **`--bootstrap N`** ([`Calibration::bootstrap`](crate::calibrate::Calibration::bootstrap),
//! [`Bootstrap`](crate::calibrate::Bootstrap)) carries the uncertainty
//! another way: the export's usable rows are drawn again with replacement
//! N times (as many rows each time; replicate `i` from the random stream
//! `(--seed, i)`, so the same seed gives the same file on any number of
//! threads), every replicate is fitted afresh (follow-up, every decay
//! shape, the sales cycle, the deal values) and keeps its own best shape
//! by AIC (the choice of shape redone; with `--shape weibull`, that shape
//! refitted), and each becomes one equally weighted alternative of a
//! single joint input, `bootstrap [segment]`, setting the decay curve, the
//! close rate, the delay, the share never followed up and, unless
//! `--deal-value` fixes it, the mean deal value. No normal is assumed, so
//! skewed and banana-shaped sampling distributions are kept, and the deal
//! value's sampling error is in it. It costs N whole fits (a 2,000-row
//! export takes about 0.75 s of CPU to fit) and N alternatives in the
//! file; a replicate that cannot be fitted (an export of a handful of
//! rows) is an error naming it. The bootstrap cannot remove a bias: each
//! replicate's shape choice errs the way the export's does (a replicate
//! that picks the exponential for a Weibull truth extrapolates as the
//! exponential does). Its own recovery study,
//! `bootstrap_recovery_study_of_the_revenue_lost`, is too costly for this
//! machine at full size so far (BENCHMARKS.md says where it stands).
//!
//! Limits, stated so they can be weighed:
//!
//! * The normals are asymptotic (Wald): honest on large exports, only
//!   approximate on a few thousand rows. The recovery study
//!   `coverage_of_the_expected_revenue_lost_from_the_default_fit` in the
//!   crate's tests measures how often the 90 % interval of the default
//!   forecast covers a known truth: 86 % to 94 % of 50 exports in each of
//!   its six cells (2,000 and 20,000 rows; a Weibull, a linear and a
//!   Weibull truth with immature cohorts), the figures in BENCHMARKS.md.
//!   Truths outside the shapes fitted (a decay that is none of them) are
//!   not measured.
//! * The deal value's mean is drawn independently of the decay and the
//!   follow-up (its sampling error is nearly independent of theirs: it
//!   comes from the won deals' sizes, they from who is won and when);
//!   the bootstrap draws all of them together.
//!
//! # Reading the report
//!
//! The text report of the `calibrate` example
//! ([`Calibration::report`](crate::calibrate::Calibration::report)) opens
//! with the rows (read, used, skipped with their reasons and lines,
//! warnings), then what the data say in plain words
//! ([`Calibration::summary`](crate::calibrate::Calibration::summary)),
//! then, below a line, the technical detail and the terms
//! ([`GLOSSARY`](crate::calibrate::GLOSSARY)). Durations read in minutes,
//! hours or days; counts and money with thousands separators.
//!
//! # Which clock: calendar or working hours
//!
//! A team that works Monday to Friday 9 to 5 answers a Friday-evening SQL
//! on Monday: 62 calendar hours, one working hour. Given the team's
//! [`Calendar`](crate::Calendar)
//! ([`Calibration::fit_with_calendar`](crate::calibrate::Calibration::fit_with_calendar);
//! `calibrate --calendar team.toml`, a file whose `[calendar]` section
//! says when the team works), every delay is measured on both clocks, the
//! follow-up model is fitted on each, and the written scenario counts the
//! delay on the clock with the higher likelihood (`clock = "working"` in
//! its `follow_up`, with the SQLs' arrivals by hour of the week as its
//! `arrivals`), or on the one `--delay-clock` names
//! ([`ClockFit`](crate::calibrate::ClockFit)). The decay is fitted on the
//! calendar clock either way: the buyer cools around the clock.
//!
//! The two likelihoods compare because they are of the same observations:
//! inside a shift one working hour is one calendar hour, so a contact's
//! density is the same on both clocks, and the SQLs never contacted or
//! still waiting enter both as probabilities of the same events. A delay
//! on the working clock cannot end outside working hours: one first
//! contact made outside them (by more than a minute) rules the working
//! clock out, and the report says how many there were. Holidays and
//! daylight-saving changes count: the export's dates are read on the
//! calendar with those dates ([`Calendar::covering`](crate::Calendar::covering)).
