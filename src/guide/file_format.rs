//! Scenario files: every section and key, units, presets, and the errors a
//! bad file gives.
//!
//! A scenario file describes one analysis: the SQL cohorts (segments), what
//! marketing spent, the goal, and optionally the sales team, the recycling of
//! cold SQLs and the funnel-planning inputs. It is TOML or JSON with one
//! schema: a file whose name ends in `.json` is read as JSON, any other as
//! TOML. In code, `Scenario::load(path)`, `Scenario::from_toml_str` and
//! `Scenario::from_json_str` read one into a [`Scenario`](crate::Scenario),
//! and `Scenario::to_toml_string` writes a scenario back in this format (it
//! loads back to an equal scenario). Every example program takes one with
//! `--scenario FILE`; the crate's repository has runnable files in
//! `examples/scenarios/`.
//!
//! # A complete file
//!
//! ```toml
//! name = "b2b-industrial"          # required
//! currency = "USD"                 # optional display label
//! marketing_spend = 400000         # optional; enables ROI metrics
//! customer_goal = 10               # optional; enables P(customers >= goal)
//!
//! [[segments]]                     # at least one
//! name = "industrial"              # required, unique
//! sqls = 40                        # SQLs in the cohort
//! close_rate = 0.25
//! deal_value = 100000              # or { dist = "lognormal", mean = 100000, cv = 0.5 }
//! decay = { shape = "linear", shelf_life = "30d" }   # or a preset: decay = "b2b-industrial"
//! neglected = 5                    # or never_followed_up = 0.36
//! follow_up = { dist = "exponential", mean = "2d" }
//! sla = "1d"
//!
//! [sales]                          # optional: the sales team (the `capacity` example)
//! reps = 3
//! horizon = "8w"
//! handling = { dist = "exponential", mean = "45m" }
//! discipline = "fifo"
//! triage = false
//! sla = "1h"
//! working_days = ["mon", "tue", "wed", "thu", "fri"]
//! working_hours = ["9h", "17h"]
//! arrivals = "always"
//! warm_up = "1w"
//! inquiries_per_day = 30
//! inquiry_handling = { dist = "exponential", mean = "15m" }
//! inquiry_close_rate = 0.002
//! inquiry_deal_value = 10000
//!
//! [recycling]                      # optional: what happens to cold SQLs (capacity runs)
//! revert_probability = 0.6
//! return_delay = { dist = "fixed", delay = "4w" }
//! close_rate = 0.1
//! reactivation_cost = 500
//! lockout = "104w"
//!
//! [plan]                           # optional: inputs of the `plan` example
//! confidence = 0.9
//! mql_to_sql = 0.2
//! ```
//!
//! The same scenario in JSON: `{"name": "b2b-industrial", "segments": [{"name":
//! "industrial", "sqls": 40, ..., "decay": {"shape": "linear", "shelf_life":
//! "30d"}}], "sales": {...}}`.
//!
//! # Values
//!
//! | key | values |
//! |---|---|
//! | durations | hours as a number, or a string with a unit: `"45m"`, `"4h"`, `"1.5d"`, `"2w"` (m minutes, h hours, d days of 24 h, w weeks of 7 d); never negative, NaN or infinite |
//! | `deal_value` | a number >= 0, or `{ dist = "lognormal" \| "gamma", mean, cv }` with `mean > 0` and `cv > 0` (the distribution's mean and coefficient of variation) |
//! | `decay` | a preset: `"b2b-industrial"` (linear over 30 d), `"consumer"` (linear over 1 d), `"consumer-afternoon"` (linear over 4 h), `"inbound-web"` ([`DecayCurve::inbound_web`](crate::DecayCurve::inbound_web): ratios fitted to response-time studies, not levels; see `instant_response_share`); or `{ shape = "step" \| "linear", shelf_life }`, `{ shape = "exponential", half_life }`, `{ shape = "weibull", scale, k }`, `{ shape = "table", points = [[t, f], ...] }`, `{ shape = "schedule", rate = 0.5, period = "30d" }` |
//! | `instant_response_share` | optional, in (0, 1], default 1: the share of the segment's SQLs that would qualify with an instant response; `close_rate` is then the close rate of those that do. Decay curves fitted to response-time studies (`"inbound-web"`) give only ratios between response times: this is the level they leave open ([`SegmentBuilder::instant_response_share`](crate::SegmentBuilder::instant_response_share)) |
//! | `follow_up` | `{ dist = "fixed", delay }`, `{ dist = "exponential", mean }`, `{ dist = "lognormal", median, sigma }`, `{ dist = "gamma", mean, shape }`, `{ dist = "uniform", min, max }`, `{ dist = "empirical", samples = [...] }`; default: worked at once. Or a preset that sets who is never followed up as well: `"hbr-2011-audit"` ([`FollowUp::hbr_2011_audit`](crate::FollowUp::hbr_2011_audit)); then `neglected` and `never_followed_up` are errors |
//! | `handling`, `inquiry_handling`, `return_delay` | a delay law, written as `follow_up`'s tables (no presets) |
//!
//! The formulas of each decay shape, delay law and deal-value distribution,
//! and the constraints on their parameters, are in [`model`](super::model).
//! A table takes only its own family's keys: `{ shape = "linear", half_life =
//! "2d" }` is an error, not a linear curve with an ignored key.
//!
//! # Top level
//!
//! | key | required | meaning |
//! |---|---|---|
//! | `name` | yes | the scenario's name (non-empty), shown in every report |
//! | `currency` | no | a display label for money (`"USD"`); it converts nothing |
//! | `marketing_spend` | no | what marketing spent to produce these SQLs (> 0); enables the ROI metrics |
//! | `customer_goal` | no | the customer goal (>= 1); enables `P(customers >= goal)` |
//! | `segments` | yes | one or more `[[segments]]` tables |
//! | `sales`, `recycling`, `plan` | no | the sections below |
//!
//! # `[[segments]]`
//!
//! | key | required | meaning |
//! |---|---|---|
//! | `name` | yes | non-empty, unique within the file |
//! | `sqls` | yes | SQLs in the cohort, at most 1,000,000,000 |
//! | `close_rate` | yes | the probability that a warm SQL closes, in `[0, 1]` |
//! | `deal_value` | yes | a number or a distribution (see Values) |
//! | `decay` | yes | a preset or a curve (see Values) |
//! | `neglected` | no | the exact count of SQLs never followed up, at most `sqls`; exclusive with `never_followed_up` |
//! | `never_followed_up` | no | the probability that each SQL is never followed up, in `[0, 1]` |
//! | `follow_up` | no | the delay law of the worked SQLs, or a follow-up preset (default: worked at once) |
//! | `sla` | no | the follow-up deadline (a duration); enables the `sla_met` metric |
//!
//! # `[sales]`: the sales team
//!
//! Read by [`crate::capacity`] (the `capacity` and `sweep` examples); the
//! core simulation ignores it. Each segment's `sqls` arrive as a Poisson
//! process over the horizon, and the team's queue produces the follow-up
//! delays (the segments' own `neglected`, `never_followed_up`, `follow_up`
//! and `sla` are not used there: every SQL that arrives is worked when a rep
//! takes it, or dropped by triage).
//!
//! | key | default | meaning |
//! |---|---|---|
//! | `reps` | required | reps in the team, 1 to 100,000 |
//! | `horizon` | required | SQLs arrive over `[0, horizon)`, > 0 and at most 100 years; the queue then drains |
//! | `handling` | required | a rep's working time per SQL (a delay law with a positive mean) |
//! | `discipline` | `"fifo"` | which waiting item a free rep takes: `"fifo"`, `"newest-first"`, or `"priority"` (highest `close rate × mean deal value × f(age)` first) |
//! | `triage` | `false` | drop SQLs whose decay has reached 0 unworked instead of spending a rep's time on them |
//! | `sla` | none | the team's follow-up deadline, for `sla_met` |
//! | `working_days` | every day | day names `"mon"` ... `"sun"` (any prefix of three letters or more of the English name) |
//! | `working_hours` | round the clock | `[opens, closes]`, durations after midnight with `0 <= opens < closes <= 24h` |
//! | `arrivals` | `"always"` | `"always"`, or `"working-hours"`: SQLs arrive only while the team works |
//! | `warm_up` | 0 | arrivals before it load the queue but are left out of every metric; shorter than the horizon |
//! | `inquiries_per_day` | none | raw inquiries forwarded to sales, a rate > 0; needs `inquiry_handling` |
//! | `inquiry_handling` | required with inquiries | a rep's time per inquiry (a delay law) |
//! | `inquiry_close_rate` | 0 | the close rate of a handled inquiry, in `[0, 1]` |
//! | `inquiry_deal_value` | 0 | the deal value of an inquiry won |
//!
//! The inquiry keys other than `inquiries_per_day` are errors without it.
//!
//! # `[recycling]`: what happens to cold SQLs
//!
//! Read by capacity runs. A cold SQL reverts to the MQL pool with
//! `revert_probability` and returns as an SQL after `return_delay`;
//! otherwise it went to a competitor and returns only after `lockout` plus
//! the return delay. An SQL recycles at most once; returns after the horizon
//! are not simulated.
//!
//! | key | default | meaning |
//! |---|---|---|
//! | `revert_probability` | required | in `[0, 1]` |
//! | `return_delay` | required | a delay law |
//! | `close_rate` | required | close rate of a returning SQL, in `[0, 1]` (the smaller of it and the segment's applies) |
//! | `reactivation_cost` | 0 | marketing cost per returning SQL, counted against ROI |
//! | `lockout` | `"104w"` | how long a lead lost to a competitor stays out of reach |
//!
//! # `[plan]`: funnel-planning inputs
//!
//! Read by [`crate::plan`] (the `plan` example); every key is optional here,
//! and where the section is silent the rest of the file completes it: the
//! goal defaults to the scenario's `customer_goal`, and with a single segment
//! its close rate, mean deal value, neglect and warm probability `E[f(D)]`
//! make the plan decay-aware.
//!
//! | key | meaning |
//! |---|---|
//! | `revenue_goal` | revenue to reach (needs `deal_value`); exclusive with `customer_goal` |
//! | `customer_goal` | new customers to win, a whole number (as the scenario's `customer_goal`) |
//! | `deal_value` | average deal value (required with `revenue_goal`; enables ROI) |
//! | `close_rate` | SQL to customer |
//! | `mql_to_sql` | MQL to SQL, when there is no SAL stage |
//! | `sal_to_sql`, `mql_to_sal` | SAL to SQL, and MQL to SAL (needs `sal_to_sql`) |
//! | `inquiry_to_mql` | inquiry to MQL (needs an MQL stage) |
//! | `visitor_to_inquiry` | visitor to inquiry (needs `inquiry_to_mql`) |
//! | `confidence` | plan the SQLs that reach the goal with this probability, in `(0, 1)` |
//! | `cost_per_visitor`, `cost_per_inquiry`, `cost_per_mql`, `cost_per_sal`, `cost_per_sql` | variable costs per stage |
//! | `fixed_costs` | fixed costs by name: `{ staff = 400_000, agency = 60_000 }` |
//! | `neglected`, `neglected_of` | `neglected` SQLs never followed up out of every `neglected_of` |
//! | `never_followed_up` | the probability that each SQL is never followed up; exclusive with `neglected` |
//! | `warm_probability` | `E[f(D)]`, the chance a worked SQL is still warm (default 1) |
//!
//! # Errors
//!
//! Unknown keys are errors, so a typo cannot silently change a result, and
//! so is a key of another distribution family. Every error names the field
//! path (`segments[1].decay.shelf_life`), the value found and what was
//! expected; when the scenario came from a file, the file name comes first,
//! and syntax errors give the line and column. Nothing in a file can make the
//! library panic.
//!
//! ```
//! use lead_decay::Scenario;
//!
//! let file = |segment: &str| {
//!     format!("name = \"bad\"\n[[segments]]\nname = \"a\"\nsqls = 40\ndeal_value = 1000\n{segment}")
//! };
//! let error = |segment: &str| Scenario::from_toml_str(&file(segment)).unwrap_err().to_string();
//!
//! assert_eq!(
//!     error("close_rate = 0.25\ndecay = { shape = \"linear\", shelf_life = 0 }"),
//!     "segments[0].decay.shelf_life: expected a finite number > 0, got 0",
//! );
//! assert_eq!(
//!     error("close_rate = 1.5\ndecay = \"consumer\""),
//!     "segments[0].close_rate: expected a probability in [0, 1], got 1.5",
//! );
//! assert!(error("close_rat = 0.25\ndecay = \"consumer\"").starts_with("segments[0].close_rat: unknown field"));
//! ```
