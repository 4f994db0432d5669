//! Decay curves: how likely an SQL is still warm when sales first works it.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result, check_positive};
use crate::model::duration::Hours;
use crate::model::follow_up::{MAX_DELAY_SCALE, MIN_DELAY_SCALE, check_scale};

/// The range of Weibull shapes `k` accepted, `[0.01, 100]`: the exact
/// expectations are proven there (`tests/expectations.rs` checks both ends
/// against an independent quadrature). A shape of 10^16 gave 0 customers
/// where the truth was 4; a `k` above 100 is a step for any purpose (use
/// `step`).
pub const WEIBULL_K_RANGE: (f64, f64) = (0.01, 100.0);

/// The probability `f(t)` that an SQL first worked `t` hours after it became
/// an SQL is still warm (its SQL status intact).
///
/// Every curve satisfies `f(0) = 1`, `0 <= f <= 1`, `f` non-increasing, and
/// `f(never) = 0` (see [`DecayCurve::warm_probability`]).
///
/// Every time of a curve (shelf life, half-life, scale, period, table
/// time) lies in `[1e-9, 1e12]` hours
/// ([`MIN_DELAY_SCALE`],
/// [`MAX_DELAY_SCALE`]), the range
/// where the exact expectations are proven; the constructors reject others
/// with the range in the message.
///
/// ```text
/// step         f(t) = 1 if t < L, else 0                 shelf life L > 0
/// linear       f(t) = max(0, 1 - t/L)                    shelf life L > 0
/// exponential  f(t) = 2^(-t/h)                           half-life h > 0
/// weibull      f(t) = exp(-(t/s)^k)                      scale s > 0, shape k > 0
/// table        piecewise linear through (0, 1) and the points, flat after the last
/// schedule     f(t) = (1 - rate)^floor(t/P)                rate in (0, 1], period P > 0
/// ```
///
/// `schedule` is the score decay of marketing-automation tools: the lead's
/// value is multiplied by `1 - rate` at the end of every period ("lose 50 %
/// of the score every month").
///
/// # Example
///
/// ```
/// use lead_decay::{DecayCurve, Hours};
///
/// let b2b = DecayCurve::b2b_industrial(); // linear over 30 days
/// assert_eq!(b2b.at(Hours::from_days(15.0)?), 0.5);
/// assert_eq!(b2b.warm_probability(None), 0.0); // never followed up
///
/// let web = DecayCurve::exponential(Hours::new(2.0)?)?;
/// assert_eq!(web.evaluate(4.0), 0.25);
/// # Ok::<(), lead_decay::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct DecayCurve {
    shape: DecayShape,
}

/// The shape and parameters of a [`DecayCurve`] (a read-only view; build
/// curves with the constructors of [`DecayCurve`], which validate).
///
/// Its serde form is the scenario file's, with times in hours:
/// `{"shape": "weibull", "scale": 480, "k": 0.8}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "shape", rename_all = "kebab-case", deny_unknown_fields)]
#[non_exhaustive]
pub enum DecayShape {
    /// Fully warm until the shelf life, then cold.
    Step {
        /// Shelf life in hours.
        shelf_life: f64,
    },
    /// Value falls linearly to zero over the shelf life.
    Linear {
        /// Shelf life in hours.
        shelf_life: f64,
    },
    /// Value halves every half-life.
    Exponential {
        /// Half-life in hours.
        half_life: f64,
    },
    /// `exp(-(t/scale)^k)`: `k < 1` decays fast then slowly, `k > 1` holds
    /// then drops.
    Weibull {
        /// Scale in hours.
        scale: f64,
        /// Shape parameter.
        k: f64,
    },
    /// Piecewise linear through `(0, 1)` and `points` (hours, probability),
    /// flat after the last point.
    Table {
        /// Strictly increasing times (hours) with non-increasing values in [0, 1];
        /// the first point is always `(0, 1)`.
        points: Vec<(f64, f64)>,
    },
    /// Multiplied by `1 - rate` at the end of every period (the score decay
    /// of marketing-automation tools): `(1 - rate)^floor(t / period)`.
    Schedule {
        /// The share of the value lost at the end of each period, in (0, 1].
        rate: f64,
        /// The period in hours.
        period: f64,
    },
}

/// A named decay curve with its scenario-file spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecayPreset {
    /// `b2b-industrial`: linear over 30 days (B2B industrial sales).
    B2bIndustrial,
    /// `consumer`: linear over 1 day.
    Consumer,
    /// `consumer-afternoon`: linear over 4 hours.
    ConsumerAfternoon,
    /// `inbound-web`: inbound web leads on a minutes scale, fitted to the
    /// ratios of the published response-time studies (ratios, not levels:
    /// see [`DecayCurve::inbound_web`]).
    InboundWeb,
}

impl DecayPreset {
    /// Every preset, in documentation order.
    pub const ALL: [DecayPreset; 4] = [
        DecayPreset::B2bIndustrial,
        DecayPreset::Consumer,
        DecayPreset::ConsumerAfternoon,
        DecayPreset::InboundWeb,
    ];

    /// The scenario-file name (`"b2b-industrial"`, ...).
    pub const fn name(self) -> &'static str {
        match self {
            DecayPreset::B2bIndustrial => "b2b-industrial",
            DecayPreset::Consumer => "consumer",
            DecayPreset::ConsumerAfternoon => "consumer-afternoon",
            DecayPreset::InboundWeb => "inbound-web",
        }
    }

    /// The preset called `name` in scenario files.
    ///
    /// # Errors
    ///
    /// An unknown name; the message lists the known ones.
    pub fn from_name(name: &str) -> Result<DecayPreset> {
        DecayPreset::ALL.into_iter().find(|p| p.name() == name).ok_or_else(|| {
            Error::invalid(
                "",
                format!("{name:?}"),
                format!(
                    "a decay preset ({})",
                    DecayPreset::ALL.map(|p| format!("{:?}", p.name())).join(", ")
                ),
            )
        })
    }

    /// The curve.
    pub fn curve(self) -> DecayCurve {
        let shelf_life = match self {
            DecayPreset::B2bIndustrial => 30.0 * 24.0,
            DecayPreset::Consumer => 24.0,
            DecayPreset::ConsumerAfternoon => 4.0,
            DecayPreset::InboundWeb => {
                let mut points = vec![(0.0, 1.0)];
                points.extend(INBOUND_WEB);
                return DecayCurve {
                    shape: DecayShape::Table { points },
                };
            }
        };
        DecayCurve {
            shape: DecayShape::Linear { shelf_life },
        }
    }
}

/// The knots of the `inbound-web` table (hours, f), after the implicit (0, 1):
/// fitted to the four published qualification ratios at once (see
/// [`DecayCurve::inbound_web`]).
const INBOUND_WEB: [(f64, f64); 7] = [
    (5.0 / 60.0, 1.0),
    (10.0 / 60.0, 0.25),
    (0.5, 0.0476),
    (1.0, 0.030),
    (2.0, 0.028),
    (24.0, 0.0033),
    (30.0 * 24.0, 0.0),
];

impl DecayCurve {
    /// Warm until `shelf_life`, then cold.
    ///
    /// # Errors
    ///
    /// A shelf life outside `[1e-9, 1e12]` hours.
    pub fn step(shelf_life: Hours) -> Result<DecayCurve> {
        let shelf_life = check_scale("shelf_life", shelf_life.get())?;
        Ok(DecayCurve {
            shape: DecayShape::Step { shelf_life },
        })
    }

    /// Falls linearly from 1 to 0 over `shelf_life`.
    ///
    /// # Errors
    ///
    /// A shelf life outside `[1e-9, 1e12]` hours.
    pub fn linear(shelf_life: Hours) -> Result<DecayCurve> {
        let shelf_life = check_scale("shelf_life", shelf_life.get())?;
        Ok(DecayCurve {
            shape: DecayShape::Linear { shelf_life },
        })
    }

    /// Halves every `half_life` hours, for any finite half-life > 0: the
    /// schedule tail of the exact expectations needs half-lives beyond the
    /// accepted range (the closed forms hold there).
    pub(crate) fn exponential_internal(half_life: f64) -> DecayCurve {
        DecayCurve {
            shape: DecayShape::Exponential { half_life },
        }
    }

    /// Halves every `half_life`.
    ///
    /// # Errors
    ///
    /// A half-life outside `[1e-9, 1e12]` hours.
    pub fn exponential(half_life: Hours) -> Result<DecayCurve> {
        let half_life = check_scale("half_life", half_life.get())?;
        Ok(DecayCurve {
            shape: DecayShape::Exponential { half_life },
        })
    }

    /// `exp(-(t/scale)^k)`.
    ///
    /// # Errors
    ///
    /// A scale outside `[1e-9, 1e12]` hours, or `k` outside
    /// [`WEIBULL_K_RANGE`].
    pub fn weibull(scale: Hours, k: f64) -> Result<DecayCurve> {
        let scale = check_scale("scale", scale.get())?;
        let k = check_positive("k", k)?;
        let (least, most) = WEIBULL_K_RANGE;
        if !(least..=most).contains(&k) {
            return Err(Error::invalid("k", k, format!("a number between {least} and {most}")));
        }
        Ok(DecayCurve {
            shape: DecayShape::Weibull { scale, k },
        })
    }

    /// Piecewise linear through `(0, 1)` and `points` (time, probability),
    /// flat after the last point.
    ///
    /// # Errors
    ///
    /// No points, times that are not strictly increasing or outside
    /// `[1e-9, 1e12]` hours, values outside [0, 1], or values that
    /// increase. The error names the point (`points[2]`).
    pub fn table(points: &[(Hours, f64)]) -> Result<DecayCurve> {
        if points.is_empty() {
            return Err(Error::invalid("points", "[]", "at least one [time, probability] point"));
        }
        let mut table = Vec::with_capacity(points.len() + 1);
        table.push((0.0, 1.0));
        for (i, &(t, f)) in points.iter().enumerate() {
            let field = format!("points[{i}]");
            let (t_prev, f_prev) = table[table.len() - 1];
            let t = t.get();
            if !(t > t_prev) {
                let expected = if i == 0 {
                    "a time > 0".to_owned()
                } else {
                    format!("a time after the previous point's {t_prev} h")
                };
                return Err(Error::invalid(field, format!("[{t}, {f}]"), expected));
            }
            if !(MIN_DELAY_SCALE..=MAX_DELAY_SCALE).contains(&t) {
                return Err(Error::invalid(
                    field,
                    format!("[{t}, {f}]"),
                    format!("a time between {MIN_DELAY_SCALE:e} and {MAX_DELAY_SCALE:e} hours"),
                ));
            }
            if !(0.0..=f_prev).contains(&f) {
                return Err(Error::invalid(
                    field,
                    format!("[{t}, {f}]"),
                    format!("a probability in [0, {f_prev}] (a table may not increase)"),
                ));
            }
            table.push((t, f));
        }
        Ok(DecayCurve {
            shape: DecayShape::Table { points: table },
        })
    }

    /// Multiplied by `1 - rate` at the end of every `period`:
    /// `f(t) = (1 - rate)^floor(t / period)`, the score decay of
    /// marketing-automation tools (e.g. `schedule(0.5, 30 days)`: half the
    /// value is lost every month). A rate of 1 is a step at `period`.
    ///
    /// # Errors
    ///
    /// A rate outside (0, 1] (field `rate`) or a period outside
    /// `[1e-9, 1e12]` hours (`period`).
    ///
    /// ```
    /// use lead_decay::{DecayCurve, Hours};
    ///
    /// let monthly = DecayCurve::schedule(0.5, Hours::from_days(30.0)?)?;
    /// assert_eq!(monthly.at(Hours::from_days(29.0)?), 1.0);
    /// assert_eq!(monthly.at(Hours::from_days(65.0)?), 0.25);
    /// assert!(DecayCurve::schedule(0.0, Hours::from_days(30.0)?).is_err());
    /// # Ok::<(), lead_decay::Error>(())
    /// ```
    pub fn schedule(rate: f64, period: Hours) -> Result<DecayCurve> {
        if !(rate > 0.0 && rate <= 1.0) {
            return Err(Error::invalid(
                "rate",
                rate,
                "a share of the value lost per period in (0, 1]",
            ));
        }
        let period = check_scale("period", period.get())?;
        Ok(DecayCurve {
            shape: DecayShape::Schedule { rate, period },
        })
    }

    /// Validates a shape given as data.
    ///
    /// # Errors
    ///
    /// As the constructor of the shape.
    pub fn new(shape: DecayShape) -> Result<DecayCurve> {
        match shape {
            DecayShape::Step { shelf_life } => {
                DecayCurve::step(Hours::new(shelf_life).map_err(|e| e.within("shelf_life"))?)
            }
            DecayShape::Linear { shelf_life } => {
                DecayCurve::linear(Hours::new(shelf_life).map_err(|e| e.within("shelf_life"))?)
            }
            DecayShape::Exponential { half_life } => {
                DecayCurve::exponential(Hours::new(half_life).map_err(|e| e.within("half_life"))?)
            }
            DecayShape::Weibull { scale, k } => {
                DecayCurve::weibull(Hours::new(scale).map_err(|e| e.within("scale"))?, k)
            }
            DecayShape::Schedule { rate, period } => {
                DecayCurve::schedule(rate, Hours::new(period).map_err(|e| e.within("period"))?)
            }
            DecayShape::Table { points } => {
                // Accept the table with or without its implicit leading (0, 1).
                let skip = usize::from(points.first() == Some(&(0.0, 1.0)));
                let mut checked = Vec::with_capacity(points.len());
                for (i, &(t, f)) in points.iter().enumerate().skip(skip) {
                    checked.push((Hours::new(t).map_err(|e| e.within(&format!("points[{i}]")))?, f));
                }
                DecayCurve::table(&checked)
            }
        }
    }

    /// Linear over 30 days: B2B industrial sales.
    pub fn b2b_industrial() -> DecayCurve {
        DecayPreset::B2bIndustrial.curve()
    }

    /// Linear over 1 day: consumer markets.
    pub fn consumer() -> DecayCurve {
        DecayPreset::Consumer.curve()
    }

    /// Linear over 4 hours: consumer markets where interest lasts an afternoon.
    pub fn consumer_afternoon() -> DecayCurve {
        DecayPreset::ConsumerAfternoon.curve()
    }

    /// Inbound web leads, on a minutes scale: a table fitted to the
    /// qualification ratios of two published studies of lead response time,
    /// all at once.
    ///
    /// ```text
    ///  t   0     5 min  10 min  30 min  1 h    2 h    24 h     30 d
    ///  f   1     1      0.25    0.0476  0.030  0.028  0.0033   0      (linear between)
    /// ```
    ///
    /// How each published figure is read into the model (`f(t)` is the
    /// relative chance that a lead first tried at `t` still qualifies;
    /// "tried within a window" means a first try uniformly spread over it,
    /// so the window's chance is the average of `f` over it), and how
    /// closely the table reproduces it:
    ///
    /// | source | published | read as | here |
    /// |---|---|---|---|
    /// | Lead Response Management study (Oldroyd and InsideSales.com, 2007) | odds of qualifying fall 4 times from a call after 5 minutes to one after 10 | `f(5 min) / f(10 min)` | **4.00** |
    /// | same | 21 times from 5 to 30 minutes | `f(5 min) / f(30 min)` | **21.0** |
    /// | HBR, "The Short Life of Online Sales Leads" (Oldroyd, McElheran, Elkington, 2011) | tried within an hour: nearly 7 times as likely to qualify as an hour later | `avg f over [0, 1 h] / avg f over [1 h, 2 h]` | **7.05** |
    /// | same | more than 60 times as likely as after 24 hours or longer | `avg f over [0, 1 h] / f(24 h)` (`f` only falls after 24 h) | **61.9** |
    ///
    /// `tests/presets.rs` holds each ratio within 30 % of its published
    /// value (and the HBR one above 60). The study's 100 times fall in the
    /// odds of *contacting* a lead (5 against 30 minutes; 5 times from 5 to
    /// 10) is not modelled: `f` is the chance of qualifying, and a lead
    /// that is reached but does not qualify is as lost as one never reached.
    /// Between the anchors the table is a modelling choice: flat for the
    /// first five minutes and cold after 30 days.
    ///
    /// # Ratios are not levels
    ///
    /// The studies give ratios between response times, never the share of
    /// leads that qualifies at all. The table fixes `f = 1` for a first try
    /// within 5 minutes: with it alone, every SQL would qualify and close at
    /// the segment's close rate if answered at once, and the share of
    /// customers a slow follow-up loses follows from the ratios. Whether
    /// that is 100 customers lost of a nominal 100 or 30 of 30 is a level the
    /// studies leave open: set it with
    /// [`SegmentBuilder::instant_response_share`](crate::SegmentBuilder::instant_response_share)
    /// (`instant_response_share` in scenario files; default 1, every SQL).
    pub fn inbound_web() -> DecayCurve {
        DecayPreset::InboundWeb.curve()
    }

    /// The shape and its parameters.
    pub fn shape(&self) -> &DecayShape {
        &self.shape
    }

    /// `f(t)` for a delay of `t` hours; negative `t` counts as 0 and NaN as
    /// never (0).
    #[inline]
    pub fn evaluate(&self, t: f64) -> f64 {
        if !(t > 0.0) {
            return if t.is_nan() { 0.0 } else { 1.0 };
        }
        match self.shape {
            DecayShape::Step { shelf_life } => f64::from(u8::from(t < shelf_life)),
            DecayShape::Linear { shelf_life } => (1.0 - t / shelf_life).max(0.0),
            DecayShape::Exponential { half_life } => (-t / half_life).exp2(),
            DecayShape::Weibull { scale, k } => (-(t / scale).powf(k)).exp(),
            DecayShape::Table { ref points } => table_value(points, t),
            DecayShape::Schedule { rate, period } => schedule_value(rate, period, t),
        }
    }

    /// `f(t)` for a delay.
    pub fn at(&self, delay: Hours) -> f64 {
        self.evaluate(delay.get())
    }

    /// `f(delay)`, with `None` meaning never followed up (0).
    pub fn warm_probability(&self, delay: Option<Hours>) -> f64 {
        delay.map_or(0.0, |d| self.at(d))
    }

    /// The earliest time at which `f` has fallen to `level` or below, or
    /// `None` if it never does (a table that stays above `level`).
    ///
    /// `time_to(0.5)` is the curve's half-life in the everyday sense.
    pub fn time_to(&self, level: f64) -> Option<Hours> {
        if !(level < 1.0) {
            return Some(Hours::ZERO);
        }
        let level = level.max(0.0);
        let hours = match self.shape {
            DecayShape::Step { shelf_life } => shelf_life,
            DecayShape::Linear { shelf_life } => shelf_life * (1.0 - level),
            DecayShape::Exponential { half_life } if level > 0.0 => -half_life * level.log2(),
            DecayShape::Weibull { scale, k } if level > 0.0 => scale * (-level.ln()).powf(1.0 / k),
            DecayShape::Schedule { rate, period } => {
                if rate == 1.0 {
                    period
                } else if level > 0.0 {
                    // The smallest whole number of periods k with (1 - rate)^k <= level.
                    let estimate = (level.ln() / (-rate).ln_1p()).ceil().max(1.0);
                    if !estimate.is_finite() {
                        return None; // beyond any finite time (a rate of 5e-324)
                    }
                    // The estimate is off by roundings only; gallop to a
                    // bracket `(lo, hi]`, `(1 - rate)^lo > level >=
                    // (1 - rate)^hi`, then bisect: a bounded number of steps
                    // at any rate (a `k += 1` walk never ended where
                    // `1 - rate` rounded to 1).
                    let above = |k: f64| schedule_weight(rate, k) > level;
                    let (mut lo, mut hi, mut step) = (estimate - 1.0, estimate, 1.0);
                    while above(hi) {
                        lo = hi;
                        hi += step;
                        step *= 2.0;
                    }
                    step = 1.0;
                    while lo > 0.0 && !above(lo) {
                        hi = lo;
                        lo = (lo - step).max(0.0);
                        step *= 2.0;
                    }
                    while hi - lo > 1.0 {
                        let mid = (0.5 * (lo + hi)).floor();
                        if mid <= lo || mid >= hi {
                            break;
                        }
                        if above(mid) { lo = mid } else { hi = mid }
                    }
                    hi * period
                } else {
                    return None;
                }
            }
            DecayShape::Exponential { .. } | DecayShape::Weibull { .. } => return None,
            DecayShape::Table { ref points } => {
                let i = points.iter().position(|&(_, f)| f <= level)?;
                let (t0, f0) = points[i - 1];
                let (t1, f1) = points[i];
                t0 + (t1 - t0) * (f0 - level) / (f0 - f1)
            }
        };
        Hours::new(hours).ok()
    }

    /// The time after which `f` is 0, if it ever reaches 0.
    pub fn zero_after(&self) -> Option<Hours> {
        let hours = match self.shape {
            DecayShape::Step { shelf_life } | DecayShape::Linear { shelf_life } => Some(shelf_life),
            DecayShape::Table { ref points } => points.iter().find(|p| p.1 == 0.0).map(|p| p.0),
            DecayShape::Schedule { rate, period } => (rate == 1.0).then_some(period),
            DecayShape::Exponential { .. } | DecayShape::Weibull { .. } => None,
        };
        hours.map(Hours::trusted)
    }
}

/// `(1 - rate)^floor(t / period)` for `t > 0`.
#[inline]
fn schedule_value(rate: f64, period: f64, t: f64) -> f64 {
    let periods = (t / period).floor();
    if periods == 0.0 {
        1.0
    } else {
        schedule_weight(rate, periods)
    }
}

/// `(1 - rate)^n` for a whole number `n >= 0`, accurate for every rate in
/// `(0, 1]`: `powf` where `1 - rate` is exact in floating point (0.5, 0.25,
/// ...), else `e^(n ln(1 - rate))` with `ln_1p`. (`(1 - rate).powf(n)` alone
/// lost the rate below about 1e-16, where `1 - rate` rounds to 1: a rate of
/// 1e-20 per 1e-9 h period then never decayed, and `time_to` looped forever.)
#[inline]
pub(crate) fn schedule_weight(rate: f64, n: f64) -> f64 {
    let q = 1.0 - rate;
    if 1.0 - q == rate {
        q.powf(n)
    } else {
        (n * (-rate).ln_1p()).exp()
    }
}

fn table_value(points: &[(f64, f64)], t: f64) -> f64 {
    // points[0] is (0, 1) and t > 0, so i >= 1.
    let i = points.partition_point(|&(ti, _)| ti <= t);
    if i == points.len() {
        return points[i - 1].1;
    }
    let (t0, f0) = points[i - 1];
    let (t1, f1) = points[i];
    f0 + (f1 - f0) * (t - t0) / (t1 - t0)
}

/// Writes the [`DecayShape`] (times in hours).
impl Serialize for DecayCurve {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.shape.serialize(serializer)
    }
}

/// Reads a [`DecayShape`] and validates it as [`DecayCurve::new`] does.
impl<'de> Deserialize<'de> for DecayCurve {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        DecayCurve::new(DecayShape::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for DecayCurve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = Hours::trusted;
        match self.shape {
            DecayShape::Step { shelf_life } => write!(f, "step, shelf life {}", h(shelf_life)),
            DecayShape::Linear { shelf_life } => write!(f, "linear, shelf life {}", h(shelf_life)),
            DecayShape::Exponential { half_life } => write!(f, "exponential, half-life {}", h(half_life)),
            DecayShape::Weibull { scale, k } => write!(f, "weibull, scale {}, k {k}", h(scale)),
            DecayShape::Table { ref points } => write!(f, "table of {} points", points.len() - 1),
            DecayShape::Schedule { rate, period } => {
                write!(f, "schedule, -{} % every {}", 100.0 * rate, h(period))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(x: f64) -> Hours {
        Hours::new(x).unwrap()
    }

    #[test]
    fn presets_are_linear_over_their_shelf_life() {
        assert_eq!(DecayCurve::b2b_industrial().evaluate(360.0), 0.5);
        assert_eq!(DecayCurve::consumer().evaluate(12.0), 0.5);
        assert_eq!(DecayCurve::consumer_afternoon().evaluate(2.0), 0.5);
        assert_eq!(DecayCurve::consumer_afternoon().evaluate(5.0), 0.0);
        for preset in DecayPreset::ALL {
            assert_eq!(DecayPreset::from_name(preset.name()).unwrap(), preset);
        }
        assert!(
            DecayPreset::from_name("b2b")
                .unwrap_err()
                .to_string()
                .contains("\"b2b-industrial\"")
        );
    }

    #[test]
    fn shapes_match_their_formulas() {
        assert_eq!(DecayCurve::step(h(10.0)).unwrap().evaluate(9.999), 1.0);
        assert_eq!(DecayCurve::step(h(10.0)).unwrap().evaluate(10.0), 0.0);
        assert_eq!(DecayCurve::exponential(h(3.0)).unwrap().evaluate(6.0), 0.25);
        let w = DecayCurve::weibull(h(2.0), 0.5).unwrap();
        assert!((w.evaluate(8.0) - (-2f64).exp()).abs() < 1e-15);
        let t = DecayCurve::table(&[(h(1.0), 0.5), (h(3.0), 0.1)]).unwrap();
        assert_eq!(t.evaluate(0.5), 0.75);
        assert!((t.evaluate(2.0) - 0.3).abs() < 1e-15);
        assert_eq!(t.evaluate(100.0), 0.1);
        assert_eq!(t.evaluate(0.0), 1.0);
    }

    #[test]
    fn never_is_cold_and_nan_is_never() {
        assert_eq!(DecayCurve::consumer().warm_probability(None), 0.0);
        assert_eq!(DecayCurve::consumer().evaluate(f64::NAN), 0.0);
        assert_eq!(DecayCurve::consumer().evaluate(-1.0), 1.0);
    }

    #[test]
    fn invalid_parameters_name_the_field() {
        assert_eq!(DecayCurve::linear(Hours::ZERO).unwrap_err().field(), Some("shelf_life"));
        assert_eq!(DecayCurve::weibull(h(1.0), f64::NAN).unwrap_err().field(), Some("k"));
        let err = DecayCurve::table(&[(h(1.0), 0.5), (h(2.0), 0.6)]).unwrap_err();
        assert_eq!(err.field(), Some("points[1]"));
        let err = DecayCurve::table(&[(h(2.0), 0.5), (h(2.0), 0.4)]).unwrap_err();
        assert_eq!(err.field(), Some("points[1]"));
        assert!(DecayCurve::table(&[]).is_err());
        assert!(DecayCurve::table(&[(Hours::ZERO, 0.5)]).is_err());
        assert!(DecayCurve::table(&[(h(1.0), 1.5)]).is_err());
    }

    #[test]
    fn a_schedule_steps_down_at_the_end_of_each_period() {
        let s = DecayCurve::schedule(0.5, h(720.0)).unwrap();
        assert_eq!(s.evaluate(719.9), 1.0);
        assert_eq!(s.evaluate(720.0), 0.5);
        assert_eq!(s.evaluate(1500.0), 0.25);
        assert_eq!(s.time_to(0.5), Some(h(720.0)));
        assert_eq!(s.time_to(0.3), Some(h(1440.0)));
        assert_eq!(s.time_to(0.25), Some(h(1440.0)));
        assert_eq!(s.time_to(0.0), None);
        assert_eq!(s.zero_after(), None);
        let step = DecayCurve::schedule(1.0, h(3.0)).unwrap();
        assert_eq!((step.evaluate(2.9), step.evaluate(3.0)), (1.0, 0.0));
        assert_eq!(step.zero_after(), Some(Hours::new(3.0).unwrap()));
        assert_eq!(DecayCurve::schedule(1.5, h(1.0)).unwrap_err().field(), Some("rate"));
        assert_eq!(
            DecayCurve::schedule(f64::NAN, h(1.0)).unwrap_err().field(),
            Some("rate")
        );
        assert_eq!(
            DecayCurve::schedule(0.5, Hours::ZERO).unwrap_err().field(),
            Some("period")
        );
        assert_eq!(
            DecayCurve::new(DecayShape::Schedule {
                rate: 0.5,
                period: 720.0
            })
            .unwrap(),
            s
        );
        assert_eq!(s.to_string(), "schedule, -50 % every 30d");
    }

    #[test]
    fn time_to_inverts_the_curve() {
        assert_eq!(DecayCurve::exponential(h(5.0)).unwrap().time_to(0.5), Some(h(5.0)));
        assert_eq!(DecayCurve::b2b_industrial().time_to(0.1).unwrap().get(), 648.0);
        let t = DecayCurve::table(&[(h(1.0), 0.5), (h(3.0), 0.1)]).unwrap();
        assert_eq!(t.time_to(0.5), Some(h(1.0)));
        assert_eq!(t.time_to(0.05), None);
        let w = DecayCurve::weibull(h(4.0), 2.0).unwrap();
        let t50 = w.time_to(0.5).unwrap().get();
        assert!((w.evaluate(t50) - 0.5).abs() < 1e-12);
    }
}
