//! The decay curve of each segment above the distribution of its follow-up
//! delay (the top panel of `simulate --chart`).

use lead_decay::model::business_hours::DelayClock;
use lead_decay::{DecayCurve, DecayShape, DelayDistribution};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::{
    AXIS_DESC, COLORS, Chart, LEGEND_NAME, SANS, TICK, Ticked, TimeUnit, fail, legend, legend_share, round_ticks, short,
};

/// One segment's decay curve and follow-up delay, for [`DecayChart`].
pub struct DecaySeries {
    /// The segment's name.
    pub name: String,
    /// Its decay curve.
    pub decay: DecayCurve,
    /// The delay of the SQLs that are worked.
    pub delay: DelayDistribution,
    /// The share never followed up (shown in the legend).
    pub never: f64,
    /// The clock the delay is counted on, for a segment on business hours
    /// (`None`: no calendar, real elapsed hours).
    pub clock: Option<DelayClock>,
}

impl DecaySeries {
    /// What the delay is counted in, for a segment on business hours: a
    /// delay on the working clock is working hours after arrival, so its
    /// bars sit on the axis in working time, not in time since arrival.
    fn clock_words(&self) -> Option<&'static str> {
        match self.clock? {
            DelayClock::Working => Some("working hours after arrival"),
            _ => Some("calendar hours"),
        }
    }
}

/// The decay curve of each segment above the distribution of its follow-up
/// delay, on one time axis.
pub struct DecayChart {
    /// The title.
    pub title: String,
    /// One entry per segment.
    pub series: Vec<DecaySeries>,
}

/// Round times for a log axis, in hours, with their labels.
pub(super) const ROUND_TIMES: [(f64, &str); 13] = [
    (1.0 / 3600.0, "1 s"),
    (10.0 / 3600.0, "10 s"),
    (1.0 / 60.0, "1 min"),
    (5.0 / 60.0, "5 min"),
    (15.0 / 60.0, "15 min"),
    (1.0, "1 h"),
    (4.0, "4 h"),
    (24.0, "1 d"),
    (168.0, "1 w"),
    (672.0, "4 w"),
    (2_184.0, "13 w"),
    (8_760.0, "1 yr"),
    (87_600.0, "10 yr"),
];

impl DecayChart {
    /// The time span shown: until every curve is below 1 % and 99 % of every
    /// segment's SQLs are worked.
    pub fn span(&self) -> f64 {
        let mut span: f64 = 0.0;
        for s in &self.series {
            let cold = s
                .decay
                .time_to(0.01)
                .map(|h| h.get())
                .or_else(|| s.decay.zero_after().map(|h| h.get()))
                .unwrap_or(0.0);
            // 99 % of the worked SQLs are followed up by then.
            let worked = s.delay.quantile(0.99).map_or(0.0, |q| q.get());
            span = span.max(cold).max(worked);
        }
        if span > 0.0 && span.is_finite() {
            span * 1.05
        } else {
            24.0
        }
    }

    /// Whether the curves change on scales far apart (minutes and weeks):
    /// then time is drawn on a log axis.
    fn wants_log_axis(&self, span: f64) -> bool {
        self.series.iter().any(|s| {
            s.decay
                .time_to(0.5)
                .is_some_and(|half| half.get() > 0.0 && half.get() < span / 50.0)
        })
    }

    /// The time axis: linear in the unit that reads best, or log from a
    /// round time below the first change of any curve.
    fn axis(&self) -> TimeAxis {
        let span = self.span();
        if self.wants_log_axis(span) {
            let first = self
                .series
                .iter()
                .filter_map(|s| s.decay.time_to(0.9).map(|h| h.get()))
                .filter(|h| *h > 0.0)
                .fold(span, f64::min);
            let lo = ROUND_TIMES
                .iter()
                .map(|(h, _)| *h)
                .filter(|h| *h <= first / 3.0)
                .fold(ROUND_TIMES[0].0, f64::max);
            TimeAxis::Log {
                lo: lo.log10(),
                hi: span.log10(),
            }
        } else {
            TimeAxis::Linear(TimeUnit::for_span(span), span)
        }
    }

    /// Draws into `area` (used alone, or as one panel of a dashboard).
    pub fn draw_in<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let axis = self.axis();
        let (x_lo, x_hi) = axis.range();
        let all_immediate = self.series.iter().all(|s| s.delay.is_immediate());
        // With every SQL worked at once there is no delay to draw: the
        // decay panel takes the room, and says so in the legend.
        let split = if all_immediate { 100 } else { 62 };
        let (top, bottom) = area.split_vertically(area.dim_in_pixel().1 * split / 100);
        let mut chart = ChartBuilder::on(&top)
            .caption(short(&self.title, 90), (SANS, 22))
            .margin(10)
            .margin_right(30)
            .x_label_area_size(if all_immediate { 60 } else { 36 })
            .y_label_area_size(90)
            .build_cartesian_2d(axis.ticked(), 0.0..1.05)
            .map_err(fail)?;
        let x_format = |x: &f64| axis.label(*x);
        let mut mesh = chart.configure_mesh();
        // Few enough y labels that they never touch at the larger size.
        mesh.y_desc("share of leads still warm")
            .y_labels(6)
            .label_style((SANS, TICK))
            .axis_desc_style((SANS, AXIS_DESC))
            .y_label_formatter(&|y| format!("{:.0} %", 100.0 * y))
            .x_label_formatter(&x_format)
            .light_line_style(WHITE.mix(0.0));
        if all_immediate {
            mesh.x_desc(format!("time from SQL to first follow-up ({})", axis.name()));
        }
        mesh.draw().map_err(fail)?;
        let steps = 1_000;
        for (i, s) in self.series.iter().enumerate() {
            let color = COLORS[i % COLORS.len()];
            let points: Vec<(f64, f64)> = (0..=steps)
                .map(|j| {
                    let x = x_lo + (x_hi - x_lo) * j as f64 / steps as f64;
                    (x, s.decay.evaluate(axis.hours(x)))
                })
                .collect();
            // Straight stretches become one segment: a thick line drawn as
            // hundreds of one-pixel pieces comes out saw-toothed.
            let points = simplify(&points, 1e-4 * (x_hi - x_lo), 1e-4);
            let same_as = self.series[..i].iter().position(|earlier| earlier.decay == s.decay);
            let name = short(&s.name, LEGEND_NAME);
            let label = match same_as {
                Some(j) => format!(
                    "{name}: the same curve as {} (dashed)",
                    short(&self.series[j].name, LEGEND_NAME)
                ),
                None => format!("{name}: {}", plain_decay(&s.decay)),
            };
            let style = color.stroke_width(3);
            if same_as.is_some() {
                // Dashes let the curve drawn first show through.
                chart
                    .draw_series(DashedLineSeries::new(points, 14, 10, style))
                    .map_err(fail)?
                    .label(label)
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 8, y)], style));
            } else {
                chart
                    .draw_series(LineSeries::new(points, style))
                    .map_err(fail)?
                    .label(label)
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
            }
        }
        if all_immediate {
            let never: Vec<String> = self
                .series
                .iter()
                .map(|s| format!("{} {}", short(&s.name, LEGEND_NAME), legend_share(s.never)))
                .collect();
            chart
                .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())
                .map_err(fail)?
                .label(format!(
                    "every worked SQL is followed up at once; never followed up: {}",
                    never.join(", ")
                ))
                .legend(|(x, y)| EmptyElement::at((x, y)));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        if all_immediate {
            return Ok(());
        }

        // The delay: the share of worked SQLs first worked in each bin (the
        // first bin also holds every earlier delay). A segment worked at
        // once has no bars: its legend says so.
        let bins = 60;
        let width = (x_hi - x_lo) / bins as f64;
        let mut shares = Vec::with_capacity(self.series.len());
        for s in &self.series {
            let below = |x: f64| {
                let t = axis.hours(x);
                s.delay.cdf(t - 1e-12 * t)
            };
            let share: Vec<f64> = if s.delay.is_immediate() {
                vec![0.0; bins]
            } else {
                (0..bins)
                    .map(|b| {
                        let lo = if b == 0 { 0.0 } else { below(x_lo + b as f64 * width) };
                        (below(x_lo + (b + 1) as f64 * width) - lo).max(0.0)
                    })
                    .collect()
            };
            shares.push(share);
        }
        // Room above the bars for the legend.
        let y_max = shares.iter().flatten().copied().fold(0.0, f64::max).max(1e-9) * 1.6;
        let mut chart = ChartBuilder::on(&bottom)
            .margin(10)
            .margin_right(30)
            .x_label_area_size(60)
            .y_label_area_size(90)
            .build_cartesian_2d(axis.ticked(), 0.0..y_max)
            .map_err(fail)?;
        let drawn_clocks: Vec<Option<&str>> = self
            .series
            .iter()
            .filter(|s| !s.delay.is_immediate())
            .map(DecaySeries::clock_words)
            .collect();
        let x_desc = match drawn_clocks.as_slice() {
            [Some(words), rest @ ..] if rest.iter().all(|c| *c == Some(*words)) => {
                format!("time from SQL to first follow-up ({}): {words}", axis.name())
            }
            clocks if clocks.iter().any(Option::is_some) => format!(
                "time from SQL to first follow-up ({}): each legend names its clock",
                axis.name()
            ),
            _ => format!("time from SQL to first follow-up ({})", axis.name()),
        };
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .y_desc("share of worked SQLs")
            .y_labels(4)
            .label_style((SANS, TICK))
            .axis_desc_style((SANS, AXIS_DESC))
            .y_label_formatter(&|y| format!("{:.0} %", 100.0 * y))
            .x_label_formatter(&x_format)
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(fail)?;
        let drawn: Vec<usize> = (0..self.series.len())
            .filter(|&i| !self.series[i].delay.is_immediate())
            .collect();
        let n = drawn.len().max(1) as f64;
        for (i, (s, share)) in self.series.iter().zip(&shares).enumerate() {
            let color = COLORS[i % COLORS.len()];
            let never = format!("never followed up {}", legend_share(s.never));
            let name = short(&s.name, LEGEND_NAME);
            if s.delay.is_immediate() {
                chart
                    .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())
                    .map_err(fail)?
                    .label(format!("{name}: worked at once; {never}"))
                    .legend(move |(x, y)| {
                        Rectangle::new([(x, y - 5), (x + 20, y + 5)], color.mix(0.7).stroke_width(1))
                    });
                continue;
            }
            let slot = drawn.iter().position(|&d| d == i).unwrap_or(0);
            let offset = width * slot as f64 / n;
            chart
                .draw_series(share.iter().enumerate().filter(|(_, y)| **y > 0.0).map(|(b, &y)| {
                    let x0 = x_lo + b as f64 * width + offset;
                    Rectangle::new([(x0, 0.0), (x0 + width / n, y)], color.mix(0.7).filled())
                }))
                .map_err(fail)?
                .label(
                    match (s.clock_words(), drawn_clocks.iter().all(|c| *c == drawn_clocks[0])) {
                        // Several clocks on one axis: each segment names its own.
                        (Some(words), false) => format!(
                            "{name}: first follow-up after {} on average ({words}); {never}",
                            axis.duration(s.delay.mean().get())
                        ),
                        _ => format!(
                            "{name}: first follow-up after {} on average; {never}",
                            axis.duration(s.delay.mean().get())
                        ),
                    },
                )
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], color.mix(0.7).filled()));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        Ok(())
    }
}

/// The decay curve in words a sales director reads: how long a lead stays
/// warm, not the curve's family and parameters.
pub fn plain_decay(decay: &DecayCurve) -> String {
    let time = |h: f64| plain_duration(h);
    let half = decay.time_to(0.5).map(|h| h.get());
    match decay.shape() {
        DecayShape::Step { shelf_life } => format!("warm for {}, then cold", time(*shelf_life)),
        DecayShape::Linear { shelf_life } => format!("cools evenly, cold after {}", time(*shelf_life)),
        DecayShape::Schedule { rate, period } => {
            format!("loses {:.0} % of its warmth every {}", 100.0 * rate, time(*period))
        }
        _ => match (half, decay.time_to(0.05).map(|h| h.get())) {
            (Some(half), Some(most)) if most > half => {
                format!("half cold after {}, 95 % after {}", time(half), time(most))
            }
            (Some(half), _) => format!("half cold after {}", time(half)),
            _ => "stays mostly warm".to_owned(),
        },
    }
}

/// A duration in the unit that reads best, with two significant digits:
/// `5 minutes`, `4 hours`, `1.5 days`, `30 days`, `6 weeks`.
pub fn plain_duration(hours: f64) -> String {
    let (value, unit) = if hours < 1.0 {
        (hours * 60.0, "minute")
    } else if hours < 48.0 {
        (hours, "hour")
    } else if hours < 60.0 * 24.0 {
        (hours / 24.0, "day")
    } else {
        (hours / 168.0, "week")
    };
    let text = significant(value);
    if text == "1" {
        format!("1 {unit}")
    } else {
        format!("{text} {unit}s")
    }
}

/// Keeps the points a line needs: drops every point within `dy` (in y) of
/// the straight line between its kept neighbours, so a straight stretch is
/// one segment. `dx` only guards against empty spans.
fn simplify(points: &[(f64, f64)], dx: f64, dy: f64) -> Vec<(f64, f64)> {
    if points.len() <= 2 {
        return points.to_vec();
    }
    let mut kept = vec![points[0]];
    let mut anchor = 0;
    let mut i = 2;
    while i < points.len() {
        let (x0, y0) = points[anchor];
        let (x1, y1) = points[i];
        let straight = (anchor + 1..i).all(|j| {
            let (x, y) = points[j];
            let t = if x1 - x0 > dx { (x - x0) / (x1 - x0) } else { 0.0 };
            (y - (y0 + t * (y1 - y0))).abs() <= dy
        });
        if !straight {
            anchor = i - 1;
            kept.push(points[anchor]);
        }
        i += 1;
    }
    kept.push(points[points.len() - 1]);
    kept
}

/// The time axis of [`DecayChart`]: linear in one unit, or log10 of hours.
#[derive(Debug, Clone, Copy)]
enum TimeAxis {
    Linear(TimeUnit, f64),
    Log { lo: f64, hi: f64 },
}

impl TimeAxis {
    fn range(self) -> (f64, f64) {
        match self {
            TimeAxis::Linear(unit, span) => (0.0, span / unit.hours),
            TimeAxis::Log { lo, hi } => (lo, hi),
        }
    }

    /// The axis with its ticks: round numbers of the unit, or round times
    /// (1 min, 5 min, 1 h, 1 d, 1 w) on a log axis.
    fn ticked(self) -> Ticked {
        let (lo, hi) = self.range();
        let ticks = match self {
            TimeAxis::Linear(..) => round_ticks(lo, hi, false),
            TimeAxis::Log { .. } => {
                let inside: Vec<f64> = ROUND_TIMES
                    .iter()
                    .map(|(h, _)| h.log10())
                    .filter(|x| *x >= lo - 1e-9 && *x <= hi + 1e-9)
                    .collect();
                inside
            }
        };
        Ticked::new(lo, hi, ticks)
    }

    fn hours(self, x: f64) -> f64 {
        match self {
            TimeAxis::Linear(unit, _) => x * unit.hours,
            TimeAxis::Log { .. } => 10f64.powf(x),
        }
    }

    fn name(self) -> &'static str {
        match self {
            TimeAxis::Linear(unit, _) => unit.name,
            TimeAxis::Log { .. } => "log scale",
        }
    }

    /// A duration as the axis reads it: in its unit, or in words on a log
    /// axis.
    fn duration(self, hours: f64) -> String {
        match self {
            TimeAxis::Linear(unit, _) => {
                let value = significant(hours / unit.hours);
                let name = if value == "1" {
                    unit.name.trim_end_matches('s')
                } else {
                    unit.name
                };
                format!("{value} {name}")
            }
            TimeAxis::Log { .. } => plain_duration(hours),
        }
    }

    fn label(self, x: f64) -> String {
        match self {
            TimeAxis::Linear(..) => significant_tick(x),
            TimeAxis::Log { .. } => ROUND_TIMES
                .iter()
                .find(|(h, _)| (h.log10() - x).abs() < 1e-6)
                .map_or_else(String::new, |(_, label)| (*label).to_owned()),
        }
    }
}

/// A tick value without trailing zeros: `2`, `2.5`, `0.25`.
fn significant_tick(x: f64) -> String {
    let text = format!("{x:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Two significant digits, without trailing zeros.
fn significant(x: f64) -> String {
    if x >= 10.0 {
        format!("{x:.0}")
    } else if x >= 1.0 {
        format!("{:.1}", x).trim_end_matches(".0").to_owned()
    } else {
        format!("{x:.2}")
    }
}

impl Chart for DecayChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        self.draw_in(root)
    }
}
