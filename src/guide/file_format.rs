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
//! [calendar]                       # optional: the team's working week (business hours, below)
//! working_days = ["mon", "tue", "wed", "thu", "fri"]
//! working_hours = ["9h", "17h"]
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
//! | `instant_response_share` | optional, in (0, 1], default 1: the share of the segment's SQLs that would qualify with an instant response; `close_rate` is then the close rate of those that do. Decay curves fitted to response-time studies (`"inbound-web"`) give only ratios between response times: this is the level they leave open ([`SegmentBuilder::instant_response_share`](crate::SegmentBuilder::instant_response_share)). It may be uncertain (`{ dist = "uniform", min = 0.2, max = 0.6 }`) and is the what-if knob `instant-response-share` |
//! | `follow_up` | `{ dist = "fixed", delay }`, `{ dist = "exponential", mean }`, `{ dist = "lognormal", median, sigma }`, `{ dist = "gamma", mean, shape }`, `{ dist = "uniform", min, max }`, `{ dist = "empirical", samples = [...] }`; default: worked at once. Or a preset that sets who is never followed up as well: `"hbr-2011-audit"` ([`FollowUp::hbr_2011_audit`](crate::FollowUp::hbr_2011_audit)); then `neglected` and `never_followed_up` are errors |
//! | `handling`, `inquiry_handling`, `return_delay` | a delay law, written as `follow_up`'s tables (no presets) |
//! | an uncertain number | any number of a segment that a knob sets may instead be a distribution `{ dist = ..., ... }` or a reference `{ input = "..." }`: see [Uncertain inputs](#uncertain-inputs) |
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
//! | `calendar` | no | the team's working week, time zone and holidays (see Business hours); round the clock without it |
//! | `sales`, `recycling`, `plan` | no | the sections below |
//! | `inputs` | no | `[[inputs]]`: named uncertain inputs ([below](#named-inputs-inputs)) |
//! | `joint` | no | `[[joint]]`: joint uncertain inputs ([below](#joint-inputs-joint)) |
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
//! | `follow_up` | no | the delay law of the worked SQLs, or a follow-up preset (default: worked at once); in a table, `clock = "working"` counts the delay in the team's working hours (see Business hours) |
//! | `sla` | no | the follow-up deadline (a duration); enables the `sla_met` metric |
//! | `sla_clock` | no | `"calendar"` (default: real elapsed hours) or `"working"`: the SLA counts working hours (needs `sla` and a working-clock `follow_up`) |
//! | `arrivals` | no | when the SQLs arrive over the week: `"always"` (default), `"working-hours"`, or `{ hour_of_week = [168 weights] }` |
//! | `auto_response` | no | a duration: SQLs that arrive while the team is off hear back this many calendar hours after arriving (e.g. `"10m"`), and that counts as first contact for the decay (see Business hours) |
//! | `calendar` | no | the segment's own calendar, a table like `[calendar]` that replaces it for this segment |
//!
//! # Business hours
//!
//! Buyers cool around the clock; the team may work Monday to Friday, 9 to 17.
//! A top-level `[calendar]` is the team's working week (the same keys as
//! [`CalendarSpec`](crate::calendar::CalendarSpec)), and a segment runs on it
//! when it says so:
//!
//! ```toml
//! [calendar]
//! time_zone = "Europe/Berlin"            # IANA name, bundled database; default "UTC"
//! working_days = ["mon", "tue", "wed", "thu", "fri"]
//! working_hours = ["9h", "17h"]          # or by day: { mon = ["9h", "17h"], sat = ["9h", "13h"] },
//!                                        # several shifts: [["8h", "12h"], ["14h", "18h"]]
//! holidays = ["2025-12-25", "2025-12-26"]
//! start = "2025-12-01"                   # optional dates of arrivals (with end): holidays
//! end = "2025-12-31"                     # and daylight-saving changes then move the clock
//!
//! [[segments]]
//! name = "web"
//! # ...
//! follow_up = { dist = "exponential", mean = "2h", clock = "working" }
//! sla = "4h"
//! sla_clock = "working"                  # 4 working hours
//! arrivals = "always"                    # or "working-hours", or { hour_of_week = [...] }
//! auto_response = "10m"                  # off hours, an automated reply within 10 minutes
//!
//! [[segments]]
//! name = "evening desk"
//! # ...
//! follow_up = { dist = "fixed", delay = "30m", clock = "working" }
//! calendar = { working_hours = ["12h", "22h"] }   # this segment's team: every day, 12 to 22
//! ```
//!
//! * `clock = "working"` in the `follow_up` table: the delay is working
//!   hours after the SQL arrives (an SQL that arrives outside hours starts
//!   waiting at the next opening); the buyer still cools in calendar time.
//!   `clock = "calendar"` is the default. Only a segment's `follow_up` has a
//!   clock (`handling`, `return_delay` ... with one are errors), and a preset
//!   name has none.
//! * `sla_clock = "working"`: the SLA counts working hours. It needs an `sla`
//!   and a follow-up on the working clock.
//! * `auto_response = "10m"`: an automated reply (a bot, an on-call text)
//!   answers every SQL that arrives outside working hours (nights, weekends,
//!   holidays) 10 calendar minutes after it arrives. The buyer's decay
//!   stops there: such an SQL is first contacted after `min(C, 10 min)`, `C`
//!   the team's own calendar delay. It is modelled at the full duration
//!   (the latest "within 10 minutes" allows); SQLs arriving while the team
//!   works are unchanged; the SLA and `sla_met` still measure the team's own
//!   follow-up (a bot does not meet an SLA), and neglect is unchanged (an
//!   SQL never worked is lost whatever it heard). It works with a delay on
//!   either clock.
//! * `arrivals`: `"always"` spreads the SQLs evenly over the week (the
//!   default), `"working-hours"` only over the team's hours, and
//!   `{ hour_of_week = [w0, ..., w167] }` in proportion to 168 weights >= 0,
//!   one per hour from Monday 00:00 local time: rates per hour, so on a
//!   dated calendar each local hour of each date takes its weight over its
//!   real length (a daylight-saving night has an hour fewer or one local
//!   hour two hours long); a table with no weight on any hour of the dates
//!   is an error.
//! * A segment with any of these keys (or its own `calendar`) runs on its
//!   own `calendar` if it has one, else on `[calendar]`; one with none of them
//!   runs round the clock whatever `[calendar]` says, so a file without these
//!   keys gives the same results as before calendars existed. A working
//!   clock or `arrivals` with no calendar at all is an error (`clock =
//!   "calendar"` and `sla_clock = "calendar"` say the default and need none).
//! * `[sales]` works on `[calendar]` when it sets no hours of its own;
//!   `[calendar]` together with `working_days`, `working_hours` or `calendar`
//!   in `[sales]` is an error (one team, one calendar).
//!
//! `Scenario::to_toml_string` and `to_json_string` write these keys back:
//! the first segment's calendar becomes `[calendar]` (unless `[sales]` works
//! on other hours) and a segment on another calendar keeps its own.
//!
//! ```
//! use lead_decay::Scenario;
//!
//! let scenario = Scenario::from_toml_str(r#"
//!     name = "weekend"
//!     [calendar]
//!     working_days = ["mon", "tue", "wed", "thu", "fri"]
//!     working_hours = ["9h", "17h"]
//!     [[segments]]
//!     name = "web"
//!     sqls = 1000
//!     close_rate = 0.1
//!     deal_value = 300
//!     decay = "consumer"
//!     follow_up = { dist = "exponential", mean = "2h", clock = "working" }
//! "#)?;
//! let hours = scenario.segments()[0].business_hours().unwrap();
//! assert_eq!(hours.calendar().weekly_hours(), 40.0);
//! assert_eq!(Scenario::from_toml_str(&scenario.to_toml_string())?, scenario);
//!
//! // The working clock needs a calendar.
//! let error = Scenario::from_toml_str(r#"
//!     name = "no calendar"
//!     [[segments]]
//!     name = "web"
//!     sqls = 1000
//!     close_rate = 0.1
//!     deal_value = 300
//!     decay = "consumer"
//!     follow_up = { dist = "exponential", mean = "2h", clock = "working" }
//! "#).unwrap_err();
//! assert!(error.to_string().starts_with("segments[0].follow_up.clock: given without a calendar"));
//! # Ok::<(), lead_decay::Error>(())
//! ```
//!
//! Bad calendars name their key: `calendar.working_hours` for hours that end
//! before they start, `calendar.time_zone` for an unknown zone,
//! `calendar.holidays[1]` for a holiday that is not a date,
//! `calendar.working_days` or `calendar.working_hours` for a calendar with no
//! working hours (prefixed `segments[i].` for a segment's own).
//!
//! Every number of a segment may be uncertain
//! ([Uncertain inputs](#uncertain-inputs)).
//!
//! # Uncertain inputs
//!
//! A number of a segment that nobody knows to four digits can be written as
//! a distribution: each trial of a simulation draws it (the model guide's
//! [uncertain inputs](super::model#uncertain-inputs) says how), and the
//! report separates what the inputs leave open from the luck of the draw.
//! The issue's three examples:
//!
//! ```toml
//! close_rate = { dist = "beta", mean = 0.25, sd = 0.04 }
//! decay = { shape = "linear", shelf_life = { dist = "uniform", min = "20d", max = "40d" } }
//! follow_up = { dist = "exponential", mean = { dist = "pert", min = "4h", mode = "2d", max = "6d" } }
//! ```
//!
//! Which keys may be uncertain, and the knob ([`Knob`](crate::whatif::Knob))
//! each one is:
//!
//! | key of a segment | knob | takes |
//! |---|---|---|
//! | `sqls` | `sqls` | a discrete distribution |
//! | `close_rate` | `close-rate` | any (its draws must stay in `[0, 1]`) |
//! | `deal_value`: `mean` of a `lognormal` or `gamma`; `value` of `{ dist = "fixed", value = ... }` | `deal-value` | any |
//! | `deal_value`: `cv` | `deal-value-cv` | any |
//! | `decay`: `shelf_life`, `half_life`, `scale`, `period` | `shelf-life` | any (durations) |
//! | `decay`: `k` (weibull) | `weibull-shape` | any |
//! | `decay`: `rate` (schedule) | `schedule-rate` | any |
//! | `neglected` | `neglected` | a discrete distribution |
//! | `never_followed_up` | `never-followed-up` | any |
//! | `follow_up`: `mean` (exponential, gamma), `delay` (fixed) | `follow-up-mean` | any (durations) |
//! | `follow_up`: `median`, `sigma` (lognormal) | `follow-up-median`, `follow-up-sigma` | any |
//! | `follow_up`: `shape` (gamma) | `follow-up-shape` | any |
//! | `follow_up`: `min`, `max` (uniform) | `follow-up-min`, `follow-up-max` | any (durations) |
//! | `sla` | `sla` | any (durations) |
//!
//! A fixed deal value that is uncertain is written `deal_value = { dist =
//! "fixed", value = { dist = "pert", min = 80000, mode = 100000, max =
//! 150000 } }`: a table's `dist` under `deal_value` is the deal value's own
//! family. Elsewhere a table is an error that says so: the top level's
//! `marketing_spend` and `customer_goal`, a segment's `name` and
//! `instant_response_share`, presets, table points and empirical samples;
//! uncertain `[sales]`, `[recycling]` and `[plan]` inputs are not supported
//! (the queue has no exact conditional expectation to carry them).
//!
//! ## Distributions
//!
//! | `dist` | keys | notes |
//! |---|---|---|
//! | `"uniform"` | `min`, `max` | `min <= max` |
//! | `"triangular"` | `min`, `mode`, `max` | `min <= mode <= max` |
//! | `"pert"` | `min`, `mode`, `max` | the standard PERT (lambda 4): a beta stretched over `[min, max]`, mean `(min + 4 mode + max) / 6` |
//! | `"normal"` | `mean`, `sd` | reaches 8.21 `sd` either side of the mean: it must stay in the knob's range ([tails](super::model#the-tails-what-a-draw-can-reach)) |
//! | `"lognormal"` | `median`, `sigma` | `ln X ~ Normal(ln median, sigma)` |
//! | `"gamma"` | `mean`, `sd` | shape `(mean / sd)²` between 1e-3 and 1e10 |
//! | `"beta"` | `alpha`, `beta`, or `mean`, `sd` | on `[0, 1]`; `sd < sqrt(mean (1 - mean))` |
//! | `"poisson"` | `mean` | 0, 1, 2, ... |
//! | `"binomial"` | `n`, `p` | 0, 1, ..., `n` |
//! | `"uniform-int"` | `min`, `max` | whole numbers from `min` to `max`, equally likely |
//!
//! The values of a distribution (`min`, `mode`, `max`, `mean`, `median`,
//! `sd`) are in the knob's unit: durations keep their units (`min = "1d"`,
//! or hours as a number), probabilities and money are plain numbers.
//! `sigma`, `alpha`, `beta`, `n` and `p` are plain numbers. Whole-number
//! knobs (`sqls`, `neglected`) take only `"poisson"`, `"binomial"` and
//! `"uniform-int"`; a continuous distribution there is an error.
//!
//! ## The base value
//!
//! The segment's own number (what [`Expected::of`](crate::Expected::of)
//! and every report of the scenario without its uncertainty use) is the
//! distribution's median, rounded for a whole number, unless the table
//! says `base = ...`:
//!
//! ```toml
//! close_rate = { dist = "beta", mean = 0.25, sd = 0.04, base = 0.25 }
//! ```
//!
//! ## Named inputs: `[[inputs]]`
//!
//! By default each uncertain value is drawn on its own, for its segment
//! alone. An input that several segments share (one shelf life for the
//! whole market: one draw per trial, the same in every segment) is named
//! once and referred to:
//!
//! ```toml
//! [[inputs]]
//! name = "market shelf life"     # what segments refer to; shown in reports
//! knob = "shelf-life"            # required: the knob it sets
//! dist = "triangular"
//! min = "2w"
//! mode = "3w"
//! max = "8w"
//!
//! [[segments]]
//! name = "north"
//! # ...
//! decay = { shape = "linear", shelf_life = { input = "market shelf life" } }
//!
//! [[segments]]
//! name = "south"
//! # ...
//! decay = { shape = "exponential", half_life = { input = "market shelf life", base = "10d" } }
//! ```
//!
//! A reference takes `input` and optionally `base` (default: the named
//! input's median), and its key must be the named input's knob. An entry
//! of `[[inputs]]` no segment refers to sets its knob in the segments it
//! lists (`segments = ["north"]`), or in every segment; those segments
//! keep their own numbers as base values. An entry may not have both
//! `segments` and references.
//!
//! ## Joint inputs: `[[joint]]`
//!
//! Inputs that are not independent (the estimates of one fit, which come
//! with a covariance; the decay shapes a fit could not tell apart) are one
//! joint input, drawn together. A multivariate normal over several knobs,
//! each on its scale (`"identity"`, `"log"`: the value is `exp(x)`,
//! `"logit"`: the value is `1 / (1 + exp(-x))`; default `"identity"`), with
//! its mean and covariance on those scales (plain numbers: hours for
//! durations):
//!
//! ```toml
//! [[joint]]
//! name = "fit"                     # optional: its name in reports
//! segments = ["web"]               # optional: default every segment
//! dist = "normal"
//! knobs = ["close-rate", "follow-up-median", "follow-up-sigma"]
//! scales = ["logit", "log", "log"]
//! mean = [-1.0986, 1.6094, 0.1823]
//! covariance = [[0.0025, 0.0, 0.0], [0.0, 0.0100, 0.0020], [0.0, 0.0020, 0.0040]]
//! ```
//!
//! The covariance must be symmetric and positive semi-definite (a singular
//! one, of parameters perfectly correlated, is accepted); whole-number
//! knobs cannot be in a joint normal. Weighted alternatives, one drawn per
//! trial with probability its weight over the total; each may replace the
//! decay curve (`decay`, as a segment's), the follow-up delay (`follow_up`,
//! a delay table) and set knob values (`set`, by knob name, durations with
//! their units):
//!
//! ```toml
//! [[joint]]
//! name = "decay shape"
//! segments = ["web"]
//! dist = "alternatives"
//!
//! [[joint.alternatives]]
//! weight = 0.55
//! decay = { shape = "weibull", scale = "20d", k = 0.8 }
//! set = { close-rate = 0.26 }
//!
//! [[joint.alternatives]]
//! weight = 0.45
//! decay = { shape = "linear", shelf_life = "45d" }
//! follow_up = { dist = "lognormal", median = "5h", sigma = 1.2 }
//! ```
//!
//! A joint input leaves the segments' own numbers as the base values.
//!
//! ## Checked when the file loads
//!
//! A file with uncertain inputs loads only if every trial can run: each
//! input's lowest, median and highest draw and every alternative are
//! applied to every segment they set, two inputs may not set the same
//! number of a segment (nor a delay's `mean` and its `median`, `sigma`,
//! `min` or `max`, nor a replaced decay and its time scale), and pairs that
//! could cross are refused (`neglected` above `sqls`, a uniform delay's
//! `min` above its `max`). The errors name the file's paths:
//!
//! ```
//! use lead_decay::Scenario;
//!
//! let segment = |shelf_life: &str| format!(
//!     "name = \"x\"\n[[segments]]\nname = \"a\"\nsqls = 40\nclose_rate = 0.25\ndeal_value = 1000\n\
//!      decay = {{ shape = \"linear\", shelf_life = {shelf_life} }}\n"
//! );
//! let error = |value: &str| Scenario::from_toml_str(&segment(value)).unwrap_err().to_string();
//! assert!(error("{ dist = \"normal\", mean = \"30d\", sd = \"5d\" }").starts_with(
//!     "segments[0].decay.shelf_life: expected a distribution whose every draw is a valid shelf-life: \
//!      its lowest draw, -265.1 hours (at probability 2^-53), is refused"
//! ));
//! assert!(error("{ dist = \"uniform\", min = \"40d\", max = \"20d\" }")
//!     .starts_with("segments[0].decay.shelf_life.min: expected a minimum <= the maximum"));
//! assert!(error("{ input = \"market\" }").starts_with("segments[0].decay.shelf_life.input:"));
//! assert!(error("{ dist = \"cauchy\" }").starts_with("segments[0].decay.shelf_life.dist:"));
//! let scenario = Scenario::from_toml_str(&segment("{ dist = \"uniform\", min = \"20d\", max = \"40d\" }"))?;
//! assert_eq!(scenario.uncertainty().dimension(), 1);
//! assert_eq!(scenario.segments()[0].decay().time_scale().days(), 30.0);
//! // Written back, it reads back the same.
//! assert_eq!(Scenario::from_toml_str(&scenario.to_toml_string())?, scenario);
//! # Ok::<(), lead_decay::Error>(())
//! ```
//!
//! `Scenario::to_toml_string` and `to_json_string` write the uncertainty
//! back: a value in its segment's key where it can sit there (with `base`
//! when the segment's number is not the median), the others in
//! `[[inputs]]` with their `segments`, joint inputs in `[[joint]]`.
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
//! | `calendar` | `[calendar]`, else round the clock | the team's hours as a calendar table (shifts by day, time zone, holidays, dates), instead of `working_days` / `working_hours`; with a top-level `[calendar]`, none of the three may be given |
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
