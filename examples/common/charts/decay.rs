//! The decay curve of each segment above the distribution of its follow-up
//! delay (the top panel of `simulate --chart`).

use lead_decay::{DecayCurve, DelayDistribution};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::{COLORS, Chart, SANS, TimeUnit, fail, legend};

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
}

/// The decay curve of each segment above the distribution of its follow-up
/// delay, on one time axis.
pub struct DecayChart {
    /// The title.
    pub title: String,
    /// One entry per segment.
    pub series: Vec<DecaySeries>,
}

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

    /// Draws into `area` (used alone, or as one panel of a dashboard).
    pub fn draw_in<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let span = self.span();
        let axis = if self.wants_log_axis(span) {
            let first = self
                .series
                .iter()
                .filter_map(|s| s.decay.time_to(0.9).map(|h| h.get()))
                .filter(|h| *h > 0.0)
                .fold(span, f64::min);
            TimeAxis::Log {
                lo: (first / 10.0).log10().floor(),
                hi: span.log10(),
            }
        } else {
            TimeAxis::Linear(TimeUnit::for_span(span), span)
        };
        let (x_lo, x_hi) = axis.range();
        let (top, bottom) = area.split_vertically(area.dim_in_pixel().1 * 62 / 100);
        let mut chart = ChartBuilder::on(&top)
            .caption(&self.title, (SANS, 22))
            .margin(10)
            .margin_right(30)
            .x_label_area_size(30)
            .y_label_area_size(60)
            .build_cartesian_2d(x_lo..x_hi, 0.0..1.05)
            .map_err(fail)?;
        let x_format = |x: &f64| axis.label(*x);
        chart
            .configure_mesh()
            .y_desc("still warm, f(t)")
            .y_label_formatter(&|y| format!("{:.0} %", 100.0 * y))
            .x_label_formatter(&x_format)
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(fail)?;
        let steps = 800;
        for (i, s) in self.series.iter().enumerate() {
            let color = COLORS[i % COLORS.len()];
            let points: Vec<(f64, f64)> = (0..=steps)
                .map(|j| {
                    let x = x_lo + (x_hi - x_lo) * j as f64 / steps as f64;
                    (x, s.decay.evaluate(axis.hours(x)))
                })
                .collect();
            chart
                .draw_series(LineSeries::new(points, color.stroke_width(3)))
                .map_err(fail)?
                .label(format!("{}: decay, {}", s.name, s.decay))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(3)));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;

        // The delay: the share of worked SQLs first worked in each bin (the
        // first bin also holds every earlier delay, e.g. immediate ones).
        let bins = 60;
        let width = (x_hi - x_lo) / bins as f64;
        let mut shares = Vec::with_capacity(self.series.len());
        for s in &self.series {
            let below = |x: f64| {
                let t = axis.hours(x);
                s.delay.cdf(t - 1e-12 * t)
            };
            let share: Vec<f64> = (0..bins)
                .map(|b| {
                    let lo = if b == 0 { 0.0 } else { below(x_lo + b as f64 * width) };
                    (below(x_lo + (b + 1) as f64 * width) - lo).max(0.0)
                })
                .collect();
            shares.push(share);
        }
        let y_max = shares.iter().flatten().copied().fold(0.0, f64::max).max(1e-9) * 1.1;
        let mut chart = ChartBuilder::on(&bottom)
            .margin(10)
            .margin_right(30)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(x_lo..x_hi, 0.0..y_max)
            .map_err(fail)?;
        chart
            .configure_mesh()
            .x_desc(format!("time from SQL to first follow-up ({})", axis.name()))
            .y_desc("share of worked SQLs")
            .y_label_formatter(&|y| format!("{:.0} %", 100.0 * y))
            .x_label_formatter(&x_format)
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(fail)?;
        let n = self.series.len() as f64;
        for (i, (s, share)) in self.series.iter().zip(&shares).enumerate() {
            let color = COLORS[i % COLORS.len()];
            let offset = width * i as f64 / n;
            chart
                .draw_series(share.iter().enumerate().filter(|(_, y)| **y > 0.0).map(|(b, &y)| {
                    let x0 = x_lo + b as f64 * width + offset;
                    Rectangle::new([(x0, 0.0), (x0 + width / n, y)], color.mix(0.7).filled())
                }))
                .map_err(fail)?
                .label(format!(
                    "{}: follow-up delay, mean {} h; never followed up {:.1} %",
                    s.name,
                    super::super::grouped(s.delay.mean().get(), 1),
                    100.0 * s.never
                ))
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], color.mix(0.7).filled()));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        Ok(())
    }
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

    fn label(self, x: f64) -> String {
        match self {
            TimeAxis::Linear(..) => format!("{x:.1}"),
            TimeAxis::Log { .. } => {
                let h = 10f64.powf(x);
                if h < 1.0 {
                    format!("{} min", significant(60.0 * h))
                } else if h < 48.0 {
                    format!("{} h", significant(h))
                } else {
                    format!("{} d", significant(h / 24.0))
                }
            }
        }
    }
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
