//! The model: how an SQL loses its value while it waits for sales, and what
//! one Monte Carlo trial draws.
//!
//! # The story
//!
//! Marketing hands sales-qualified leads (SQLs) to sales. An SQL is an SQL
//! because of *current* behaviour: interest, urgency, willingness to talk.
//! That state does not last. In B2B industrial sales it lasts about a month;
//! in many consumer markets a day, sometimes an afternoon. Sales follows up
//! on each SQL after some delay, or never. The later the follow-up, the
//! likelier the lead has gone cold: it drops back to the MQL pool (reviving
//! it costs more marketing work than a new lead) or has moved to a
//! competitor.
//!
//! The crate puts a number on that loss: a decay curve `f(t)` says how likely
//! an SQL first worked `t` hours after it became an SQL is still warm; a
//! follow-up model says who is never worked and how long the others wait;
//! together with a close rate and deal values they give the customers,
//! revenue and ROI won, those an instant follow-up would have won, and the
//! difference: what neglect and delay cost.
//!
//! # The reference case
//!
//! Every part of the library agrees with this example (the tests pin it, and
//! [`Scenario::reference`](crate::Scenario::reference) builds it):
//!
//! * goal 10 new customers at a close rate of 25 %: 10 / 0.25 = **40 SQLs**
//!   are needed; with a customer worth 100,000 each SQL carries
//!   10 × 100,000 / 40 = **25,000** of the goal;
//! * 5 of the 40 SQLs are neglected (never followed up), the other 35 are
//!   worked at once: expected customers 35 × 0.25 = **8.75**, expected
//!   revenue **875,000** instead of 1,000,000, expected revenue lost to
//!   neglect **125,000** (1.25 customers);
//! * a planner who rounds down ("count on 8 customers, 800,000, 200,000
//!   lost") gives the deterministic reading. The library reports the
//!   distribution: customers ~ Binomial(35, 0.25), median 9, 5th percentile 5,
//!   95th percentile 13, and P(customers >= 10) = **0.374**, against **0.560**
//!   with no neglect;
//! * even with perfect follow-up, 40 SQLs reach 10 customers only 56 % of the
//!   time; **55 SQLs** are needed for 90 % confidence.
//!
//! ```
//! use lead_decay::plan::binomial_at_least;
//! use lead_decay::{Expected, Scenario, Simulation};
//!
//! let scenario = Scenario::reference();
//! let expected = Expected::of(&scenario);
//! assert_eq!((expected.customers, expected.customers_ideal), (8.75, 10.0));
//! assert_eq!((expected.revenue, expected.revenue_lost), (875_000.0, 125_000.0));
//!
//! // The exact binomial tail, and what the Monte Carlo run reports.
//! assert!((binomial_at_least(35, 0.25, 10) - 0.374).abs() < 5e-4);
//! assert!((binomial_at_least(40, 0.25, 10) - 0.560).abs() < 1e-3);
//! assert!(binomial_at_least(55, 0.25, 10) >= 0.9 && binomial_at_least(54, 0.25, 10) < 0.9);
//! let report = Simulation::new(&scenario).trials(50_000).seed(1).run()?;
//! let customers = report.metrics.customers;
//! assert_eq!((customers.p05, customers.p50, customers.p95), (5.0, 9.0, 13.0));
//! # Ok::<(), lead_decay::Error>(())
//! ```
//!
//! The funnel-planning reference (the `plan` example, [`crate::plan`]):
//! revenue goal 20,000,000 at an average deal of 50,000 is **400 deals**; at a
//! close rate of 25 % that is **1,600 SQLs**; at 20 % from MQL to SQL,
//! **8,000 MQLs**. (A goal of 10,000,000 would be 200 deals, 800 SQLs and
//! 4,000 MQLs.)
//!
//! ```
//! use lead_decay::plan::{Funnel, Goal, Stage};
//!
//! let funnel = Funnel::new(0.25)?.with_stage(Stage::Mql, 0.2)?;
//! let plan = funnel.plan(&Goal::revenue(20_000_000.0, 50_000.0)?)?;
//! assert_eq!((plan.deals(), plan.sqls(), plan.count(Stage::Mql)), (400, 1_600, Some(8_000)));
//! # Ok::<(), lead_decay::Error>(())
//! ```
//!
//! # Time and money
//!
//! * Time is measured in hours (`f64`, the [`Hours`](crate::Hours) type:
//!   finite and non-negative). Scenario files accept a number of hours or a
//!   string with a unit: `"45m"`, `"4h"`, `"1.5d"`, `"2w"` (m = minutes,
//!   h = hours, d = days of 24 h, w = weeks of 7 d). Negative, NaN and
//!   infinite durations are errors. A day is 24 hours: there are no business
//!   hours in the core model (the capacity model has working hours).
//! * Money is a plain `f64` in the scenario's currency; `currency` is a
//!   display label only.
//!
//! # Decay curves
//!
//! A [`DecayCurve`](crate::DecayCurve) `f(t)` is the probability that an SQL
//! first worked `t` hours after it became an SQL is still warm (its SQL status
//! intact). Every curve has `f(0) = 1`, `0 <= f <= 1`, `f` non-increasing, and
//! `f(never) = 0`: an SQL never followed up is never warm.
//!
//! ```text
//! shape        parameters                          f(t)
//! step         shelf_life L > 0                    1 if t < L, else 0
//! linear       shelf_life L > 0                    max(0, 1 - t/L)
//! exponential  half_life h > 0                     2^(-t/h)
//! weibull      scale s > 0, k > 0 (its shape)      exp(-(t/s)^k)
//! table        points [[t_1, f_1], ...]            piecewise linear through (0, 1) and the
//!                                                  points, flat after the last
//! schedule     rate r in (0, 1], period P > 0      (1 - r)^floor(t/P)
//! ```
//!
//! * `step` is fully warm until its shelf life and cold from it on (at
//!   exactly `t = L` it is cold).
//! * `weibull` with `k < 1` decays fast and then slowly; `k > 1` holds and
//!   then drops; `k = 1` is exponential with half-life `s ln 2`.
//! * `table` points have strictly increasing times `t_i > 0` and values in
//!   `[0, 1]` that never increase; the point `(0, 1)` is implicit.
//! * `schedule` is the score decay of marketing-automation tools: the
//!   lead's value is multiplied by `1 - r` at the end of every period ("lose
//!   50 % of the score every month"); `r = 1` is a step at `P`.
//!
//! Presets (each a named constructor of `DecayCurve` and a scenario-file
//! string):
//!
//! ```text
//! b2b-industrial       linear over 30 days        DecayCurve::b2b_industrial()
//! consumer             linear over 1 day          DecayCurve::consumer()
//! consumer-afternoon   linear over 4 hours        DecayCurve::consumer_afternoon()
//! inbound-web          a table on a minutes scale DecayCurve::inbound_web()
//!    t   0    5 min   10 min   30 min   1 h     2 h     24 h     30 d
//!    f   1    1       0.25     0.0476   0.030   0.028   0.0033   0      (linear between)
//! ```
//!
//! `inbound-web` is fitted to the qualification ratios of two published
//! studies of lead response time at once (Harvard Business Review, "The
//! Short Life of Online Sales Leads", 2011: 7 and > 60 times; the Lead
//! Response Management study, 2007: 4 and 21 times), reproducing them as
//! 7.05, 61.9, 4.00 and 21.0; the documentation of
//! [`DecayCurve::inbound_web`](crate::DecayCurve::inbound_web) says how each
//! published figure is read into the curve. The studies give ratios between
//! response times, not levels: `f = 1` within 5 minutes is a normalisation,
//! and the share of SQLs that would qualify with an instant response is the
//! segment's `instant_response_share` (default 1, listed among the report's
//! assumptions).
//!
//! # Follow-up, per segment
//!
//! A [`FollowUp`](crate::FollowUp) model says who is never followed up, how
//! long the others wait, and the deadline agreed with sales.
//!
//! * **Neglect** ([`Neglect`](crate::Neglect)): `neglected = k`, an exact count
//!   of SQLs of the cohort that are never followed up (at most the cohort's
//!   `sqls`), **or** `never_followed_up = q`, the probability that each SQL
//!   is never followed up, independently. Giving both is an error. The SQLs
//!   worked on average are `N_worked = N - k`, or `N (1 - q)`.
//! * **Delay** ([`DelayDistribution`](crate::DelayDistribution)): the law of
//!   the delay `D` from "became an SQL" to "first worked by sales", for the
//!   SQLs that are worked. Default: 0 (worked at once).
//!
//! ```text
//! law          parameters                     P(D <= t)                         E[D]
//! fixed        delay d >= 0                   1 if t >= d, else 0               d
//! exponential  mean m > 0                     1 - exp(-t/m)                     m
//! lognormal    median M > 0, sigma σ > 0      Φ((ln t - ln M) / σ)              M exp(σ²/2)
//! gamma        mean m > 0, shape k > 0        P(k, t k / m)   (scale m / k)     m
//! uniform      min a <= max b                 (t - a)/(b - a) on [a, b]         (a + b)/2
//! empirical    samples x_1 .. x_n (n >= 1)    #{i : x_i <= t} / n               mean of the x_i
//! ```
//!
//! (`Φ` is the standard normal CDF, `P(k, x)` the regularised lower
//! incomplete gamma function; an empirical delay draws one of its samples
//! uniformly.)
//!
//! * **SLA** (optional): the follow-up deadline agreed between marketing and
//!   sales. The report gives the share of SQLs first worked within it
//!   (`D <= sla`); never-followed-up SQLs count as missed.
//! * **Preset** `hbr-2011-audit`
//!   ([`FollowUp::hbr_2011_audit`](crate::FollowUp::hbr_2011_audit)): how
//!   2,241 US companies answered web leads in the HBR 2011 audit: 23 % never
//!   (`never_followed_up = 0.23`), and for the rest an empirical delay of 77
//!   equally likely atoms with a mean of 42 hours (37 % of all companies
//!   within an hour, 16 % within 1 to 24 hours, 24 % later). A preset sets
//!   the neglect as well as the delay, so a segment that names one may not
//!   also give `neglected` or `never_followed_up`.
//!
//! # Deal values
//!
//! A [`DealValue`](crate::DealValue) `V` is what a won deal is worth: a fixed
//! number, or a distribution given by its mean and its coefficient of
//! variation `cv` (standard deviation / mean), the two figures a sales team
//! knows:
//!
//! ```text
//! fixed      V = value >= 0
//! lognormal  ln V ~ Normal(ln mean - s²/2, s),  s² = ln(1 + cv²)
//! gamma      V ~ Gamma(shape 1/cv², scale mean · cv²)
//! ```
//!
//! Both distributions have exactly the given mean.
//!
//! # One trial: the generative model
//!
//! A scenario is a set of [`Segment`](crate::Segment)s (cohorts of `N` SQLs
//! that share a close rate `p`, deal values, a decay curve and a follow-up
//! model). In one trial, for every SQL `i` of every segment, independently:
//!
//! 1. it is neglected or not (exactly `k` of the cohort, or each with
//!    probability `q`); if it is worked, draw its follow-up delay `D_i`;
//! 2. it is **warm** when worked with probability `f(D_i)`: draw
//!    `W_i ~ U(0, 1)`, warm iff `W_i < f(D_i)` (a neglected SQL is never warm);
//! 3. draw `U_i ~ U(0, 1)`: the SQL **would close** iff `U_i < p`;
//! 4. draw its deal value `V_i`.
//!
//! Then an SQL is an *ideal customer* iff it would close (the world in which
//! every SQL is worked at once), a *customer* iff it is warm and would close,
//! and a *lost customer* iff it is an ideal customer and not warm. The ideal
//! and the actual world share `U_i` and `V_i` (common random numbers), so in
//! every trial `customers <= customers_ideal` and `revenue_lost >= 0`, and the
//! loss estimate has far less variance than the difference of two
//! independent runs would have. The metrics of a trial are these counts and
//! sums over all SQLs and segments ([`metrics`](super::metrics)).
//!
//! # Engines: exact in distribution
//!
//! Any sampler that draws exactly this law is allowed; two exist (the
//! [`Engine`](crate::Engine) choice):
//!
//! * `per-sql` draws the cohort SQL by SQL. With an SLA it draws each worked
//!   SQL's delay and evaluates the decay at it, as the steps above read.
//!   Without one nothing observes a worked SQL's delay, so it is integrated
//!   out: a worked SQL that would close is warm with probability
//!   `r = E[f(D)]`, computed exactly.
//! * `collapsed` draws each cohort as a handful of binomial counts, whose law
//!   follows from the SQLs being i.i.d.:
//!
//! ```text
//! worked                      W = N - k                 (or W ~ Binomial(N, 1 - q))
//! closers among the worked    K_w ~ Binomial(W, p)
//! closers among the neglected K_n ~ Binomial(N - W, p)  (ideal customers too)
//! customers                   C ~ Binomial(K_w, r)       r = E[f(D)]
//! customers_ideal = K_w + K_n,   customers_lost = K_w - C + K_n
//! revenue = the sum of C deal values, revenue_lost = the sum of customers_lost deal values
//! ```
//!
//! With an SLA `s` the joint law of "warm" and "worked within `s`" splits
//! each count once more, with `a = E[f(D) 1{D <= s}]` and `F = P(D <= s)`.
//! `auto` (the default) picks the fastest exact engine (today always
//! `collapsed`). The engines draw different random numbers, so their reports
//! differ trial by trial but agree in distribution (the test suite checks
//! each engine's counts against the exact binomial laws with chi-square
//! tests, and their revenue means against each other).
//!
//! # A worked example with a follow-up delay
//!
//! The reference segment, followed up after an exponential delay with a mean
//! of 2 days: the probability that a worked SQL is still warm under the
//! 30-day linear decay is
//!
//! ```text
//! E[f(D)] = E[max(0, 1 - D/L)] = 1 - (m/L) (1 - exp(-L/m))
//!         = 1 - (48/720) (1 - e^-15) = 0.93333...
//! E[customers] = 35 × 0.25 × 0.93333 = 8.1667,   E[revenue_lost] = (10 - 8.1667) × 100,000 = 183,333
//! ```
//!
//! ```
//! use lead_decay::{DealValue, DecayCurve, DelayDistribution, Expected, Hours, Scenario, Segment};
//!
//! let segment = Segment::builder("industrial")
//!     .sqls(40)
//!     .close_rate(0.25)
//!     .deal_value(DealValue::fixed(100_000.0)?)
//!     .decay(DecayCurve::b2b_industrial())
//!     .neglected(5)
//!     .delay(DelayDistribution::exponential(Hours::from_days(2.0)?)?)
//!     .build()?;
//! let scenario = Scenario::builder("delayed").segment(segment).build()?;
//! let expected = Expected::of(&scenario);
//! let warm = 1.0 - (48.0 / 720.0) * (1.0 - (-15.0f64).exp());
//! assert!((expected.customers - 35.0 * 0.25 * warm).abs() < 1e-9);
//! assert!((expected.revenue_lost - 183_333.3).abs() < 0.1);
//! # Ok::<(), lead_decay::Error>(())
//! ```
//!
//! # Business hours
//!
//! Buyers cool around the clock; sales may work Monday to Friday 9 to 5. A
//! segment can carry [`crate::model::business_hours::BusinessHours`]: the
//! team's [`crate::Calendar`], when its SQLs arrive (round the clock, only in
//! working hours, or an hour-of-week table of 168 weights) and the clock of
//! its follow-up delay and SLA. A delay `W` on the working clock is working
//! hours after the SQL arrives at `a` (outside hours the wait starts at the
//! next opening); the buyer waits `C = to_calendar(to_working(a) + W) − a`
//! calendar hours and the decay is `f(C)`. The exact warm probability
//! integrates over the arrival profile and `W` piece by piece of the
//! piecewise-linear working clock
//! ([`crate::exact::business::warm_probability_at_work`]); both engines draw
//! the arrival time and the delay. Without business hours, with a
//! round-the-clock calendar or with a delay on the calendar clock, every
//! result is what it was before.
//!
//! Two clocks, then:
//!
//! | clock | runs | what is counted on it |
//! |---|---|---|
//! | calendar | always, real elapsed hours | the buyer's decay `f(C)`; a delay or SLA by default |
//! | working | only in the team's hours | a delay with `clock = "working"`, an SLA with `sla_clock = "working"` |
//!
//! The SLA on the working clock checks `W <= sla`; on the calendar clock
//! `C <= sla`.
//!
//! *An auto-response at night.* With
//! [`BusinessHours::with_auto_response`](crate::model::business_hours::BusinessHours::with_auto_response)
//! (`auto_response = "10m"` in a file), an SQL that arrives while the team
//! is off is answered automatically `R` calendar hours later, and that
//! counts as its first contact: the decay is `f(min(C, R))` for those SQLs,
//! `f(C)` for the others. It is a delay floor for the off-hours window: the
//! team's own follow-up, the SLA and neglect are unchanged, so `sla_met`
//! does not credit the bot. Exact expectations and both engines include it. In a scenario file the calendar is the `[calendar]` section
//! (or a segment's own `calendar`), see
//! [`file_format`](super::file_format#business-hours).
//!
//! *Where the loss happens.* With a working-time delay the loss depends on
//! when an SQL arrives: one that arrives Friday evening waits for Monday.
//! [`crate::exact::arrival_loss::loss_by_arrival_hour`] splits a segment's
//! expected revenue lost exactly over the 168 hours of the week (they sum to
//! its `revenue_lost`), and [`ArrivalLoss::worst_window`](crate::exact::arrival_loss::ArrivalLoss::worst_window)
//! names the run of hours with the most loss beyond the segment's average:
//! "SQLs that arrive between Friday 4 pm and Sunday 10 pm lose 95 % of
//! their value; they are 32 % of all SQLs and 54 % of the revenue lost"
//! (the gallery's `consumer-weekend.toml`; `simulate --heat-map` draws the
//! hours).
//!
//! *What it costs.* The exact expectation on business hours is an
//! integral over the week of arrivals and, for each arrival, a sum over
//! working stretches: microseconds to a second. Its work is bounded (2^26
//! units of a deterministic meter, about three seconds; the same scenario
//! is refused or not on every machine). A follow-up far shorter than a
//! working day with an enormous spread (a working-clock log-normal of
//! median 4e-8 h and sigma 3.6) or far longer than any shelf life (a gamma
//! of a million working hours) can exceed it: the run then fails with an
//! error naming the figure and "bound on work", never a number.
//!
//! *Which clock a team's delays run on* is a question for its CRM export:
//! `calibrate --calendar` fits the delay on both clocks and keeps the one
//! with the higher likelihood ([`super::calibration`]).
//!
//! # Uncertain inputs
//!
//! Every number above is, by default, known exactly, and a report's
//! intervals show only the luck of the draw. An analyst rarely knows the
//! close rate to four digits, nor the shelf life, nor the follow-up delay:
//! any of a segment's numbers can instead be uncertain, a
//! [`Knob`](crate::whatif::Knob) with a distribution attached
//! ([`crate::model::uncertainty`]; in files, [uncertain
//! inputs](super::file_format#uncertain-inputs)). A trial then has two
//! levels: it first draws its inputs, then its SQLs given those inputs.
//!
//! ## Draws are quantiles of a point of the unit cube
//!
//! A trial's inputs are a point `u` of the unit cube
//! ([`Uncertainty::dimension`](crate::model::uncertainty::Uncertainty::dimension)
//! coordinates), and
//! [`Scenario::realise(u)`](crate::Scenario::realise) sets each input to
//! the quantile of its coordinate (`InputDistribution::quantile`): a
//! scenario with no uncertainty left, which every engine and the exact
//! expectations take as they are. Because every draw goes through a
//! quantile, quasi-random designs, tornado charts (each input from its p10
//! to its p90, the others at their medians: `u = 0.5`) and Sobol indices
//! all move inputs the same way.
//!
//! ## Independent, shared and joint draws
//!
//! * **Independent** (the default): each uncertain input is drawn on its
//!   own, one coordinate each. Two segments with a value each draw twice.
//! * **Shared**: one input that sets its knob in several segments
//!   ([`UncertainInput::in_segment`](crate::model::uncertainty::UncertainInput::in_segment)
//!   more than once, or none for every segment; in files a named input of
//!   `[[inputs]]` that segments refer to) is one draw per trial, the same
//!   in all of them: one shelf life for the whole market.
//! * **Joint** ([`JointInput`](crate::model::uncertainty::JointInput)): a
//!   multivariate normal over several knobs, each on a scale (`identity`,
//!   `log`, `logit`): the coordinates `x = mean + L z`, with `L` the
//!   Cholesky factor of the covariance and `z` the standard normal
//!   quantiles of the trial's coordinates, each knob set to its coordinate
//!   transformed back; or weighted alternatives, one drawn per trial from a
//!   single coordinate, each replacing the decay curve and/or the delay and
//!   setting knob values (bootstrap replicates of a fit, decay shapes with
//!   their Akaike weights). A joint input is one factor of a sensitivity
//!   analysis, however many coordinates it owns.
//!
//! ## Whole numbers take discrete distributions
//!
//! `sqls` and `neglected` are counts: they take `poisson { mean }` (SQLs
//! that arrive independently), `binomial { n, p }` (the SQLs of a cohort of
//! `n` that sales drops, each with probability `p`) or `uniform-int { min,
//! max }`, whose draws are whole numbers; a continuous distribution for
//! them is an error, and so is a joint normal over them. Drawn together,
//! `neglected` may not exceed `sqls` in any trial: their ranges are
//! checked against each other.
//!
//! ## The tails: what a draw can reach
//!
//! A draw is the quantile of its coordinate clamped to `[2^-53, 1 -
//! 2^-53]`, the smallest probability a 53-bit uniform number can have above
//! 0 ([`TAIL_PROBABILITY`](crate::model::uncertainty::TAIL_PROBABILITY)).
//! So every distribution has a finite range of draws
//! ([`InputDistribution::support`](crate::model::uncertainty::InputDistribution::support)):
//! a `normal` reaches 8.21 standard deviations either side of its mean, a
//! `poisson` of mean 40 draws at least 1, a joint normal's coordinate
//! reaches `8.21 Σ_j |L_ij|` from its mean. A scenario is accepted only if
//! both ends of every input's range, and its median, are valid in every
//! segment it sets ([`Uncertainty::check`](crate::model::uncertainty::Uncertainty::check),
//! at build time): a `normal` shelf life of 30 ± 5 days reaches -11 days
//! and is refused, with that lowest draw in the message, where a sampler
//! that waited for it would fail once in 10^16 trials. A normal is fine
//! where its range allows it (a standard deviation below an eighth of a
//! positive mean); a `lognormal` or `gamma` never goes below 0, a `beta`
//! never leaves `[0, 1]`.
//!
//! ## The base value
//!
//! A segment keeps its own number for each uncertain input: the **base
//! value**, what the scenario without its uncertainty
//! ([`Scenario::without_uncertainty`](crate::Scenario::without_uncertainty))
//! and [`Expected::of`](crate::Expected::of) use. A scenario file puts the
//! distribution's median there (rounded for a whole number) unless it says
//! `base = ...`; in code it is whatever the segment was built with.
//!
//! ```
//! use lead_decay::model::uncertainty::{InputDistribution, UncertainInput, Uncertainty};
//! use lead_decay::whatif::Knob;
//! use lead_decay::{Expected, Scenario};
//!
//! let reference = Scenario::reference();
//! let guessed = Scenario::builder("guessed")
//!     .segment(reference.segments()[0].clone())
//!     .uncertainty(
//!         Uncertainty::new()
//!             .with_input(UncertainInput::new(Knob::CloseRate, InputDistribution::beta_mean_sd(0.25, 0.04)?))
//!             .with_input(UncertainInput::new(Knob::Neglected, InputDistribution::binomial(40, 0.125)?)),
//!     )
//!     .build()?;
//! // The base scenario is the reference case: 8.75 expected customers.
//! assert_eq!(Expected::of(&guessed.without_uncertainty()).customers, 8.75);
//! // One trial: the close rate at its 90th percentile, the neglect at its median.
//! let trial = guessed.realise(&[0.9, 0.5])?;
//! let close_rate = InputDistribution::beta_mean_sd(0.25, 0.04)?.quantile(0.9);
//! assert!((Expected::of(&trial).customers - 35.0 * close_rate).abs() < 1e-12);
//! // A normal shelf life that could go below zero is refused when the scenario is built.
//! let bad = Uncertainty::new().with_input(UncertainInput::new(Knob::ShelfLife, InputDistribution::normal(720.0, 120.0)?));
//! let error = Scenario::builder("bad").segment(reference.segments()[0].clone()).uncertainty(bad).build();
//! assert!(error.unwrap_err().to_string().contains("lowest draw, -265.1 hours"));
//! # Ok::<(), lead_decay::Error>(())
//! ```
//!
//! ## Two-level trials: what we don't know, apart from luck
//!
//! [`Simulation`](crate::Simulation) runs a scenario with uncertain inputs
//! in two levels: trial `i` of a run seeded with `s` draws its inputs at
//! the point [`trial_inputs(s, i)`](crate::engine::trial_inputs) of the
//! unit cube (a stream of its own), realises the scenario there, and draws
//! its SQLs from [`trial_rng(s, i)`](crate::engine::trial_rng) exactly as
//! a run of the realised scenario would. The ideal and actual worlds share
//! every draw, a trial depends on `(s, i)` alone (bit-identical reports on
//! any thread count, shards that merge), and a scenario without uncertain
//! inputs runs exactly as before.
//!
//! The report then answers two questions apart
//! ([`InputsReport`](crate::engine::InputsReport), the `inputs` object of
//! the JSON):
//!
//! * **What the trials spread over**, inputs and luck together:
//!   `metrics`, as for any scenario.
//! * **What the inputs leave open**: each trial also records the exact
//!   expectation given its inputs, `E[metric | inputs]`, so
//!   `inputs.given_inputs` is its distribution over the trials without any
//!   sampling noise of the SQLs ("the expected revenue lost is between its
//!   p05 and p95"), and `inputs.variance_share` the share of each metric's
//!   variance it explains, `Var(E[M | X]) / Var(M)` (the law of total
//!   variance: the rest is luck).
//!
//! `expected` is then the exact expectation over the inputs,
//! `E_X[E[metric | X]]` ([`ExpectedOverInputs`](crate::exact::ExpectedOverInputs)):
//! by Gauss–Kronrod quadrature, graded towards the tails, when there are at
//! most two continuous inputs (its error estimate below `1e-8` relative),
//! otherwise by randomised quasi-Monte Carlo (16 scrambled Sobol
//! replicates of 1,024 points), whose standard error is reported in
//! `inputs.expected_std_error`. When each exact evaluation is costly (a
//! schedule of 6-second periods against a follow-up of days takes
//! milliseconds), the first points measure the cost and the design is cut,
//! halving down to 32 points a replicate, so that the whole stays within a
//! few seconds; the report says how many points it averaged over, and
//! quadrature is used only when it fits too. The exact chance of the customer goal is
//! not computed with uncertain inputs (it is a mixture over them): the
//! report gives the Monte Carlo share and says why.
//!
//! A [`Sweep`](crate::whatif::Sweep) over a knob that is itself uncertain
//! sets it to each swept value after the inputs are drawn: the input no
//! longer sets it where it is swept (the other inputs still vary).
//!
//! ```
//! use lead_decay::{Scenario, Simulation};
//!
//! let scenario = Scenario::from_toml_str(r#"
//!     name = "guesses"
//!     [[segments]]
//!     name = "industrial"
//!     sqls = 40
//!     close_rate = { dist = "beta", mean = 0.25, sd = 0.04 }
//!     deal_value = 100000
//!     decay = { shape = "linear", shelf_life = { dist = "uniform", min = "20d", max = "40d" } }
//!     follow_up = { dist = "exponential", mean = "2d" }
//!     neglected = 5
//! "#)?;
//! let report = Simulation::new(&scenario).trials(20_000).seed(1).run()?;
//! let inputs = report.inputs.as_ref().unwrap();
//! let band = inputs.given_inputs.revenue_lost;
//! // The expected loss over the inputs lies inside what they leave open ...
//! assert!(band.p05 < report.expected.revenue_lost && report.expected.revenue_lost < band.p95);
//! // ... and a trial's loss spreads wider still: luck comes on top.
//! assert!(report.metrics.revenue_lost.std_dev > band.std_dev);
//! # Ok::<(), lead_decay::Error>(())
//! ```
//!
//! # Around the core
//!
//! * [`crate::plan`] runs the funnel backwards, from a revenue or customer
//!   goal to the SQLs, MQLs and inquiries it takes, with the effective close
//!   rate `p × (N_worked / N) × E[f(D)]` and a confidence level.
//! * [`crate::capacity`] makes the follow-up delay an output: SQLs arrive as
//!   a Poisson process, a team of reps works a queue, and each SQL's outcome
//!   then follows the generative model above with `D` its wait in the queue.
//! * [`crate::calibrate`] fits the follow-up and decay models to a CRM export
//!   (one row per SQL) and turns them into a segment.
