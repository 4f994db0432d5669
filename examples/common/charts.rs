//! Charts for the example programs, drawn with plotters as PNG or SVG.
//!
//! Text is rendered with an embedded font (DejaVu Sans, see
//! `fonts/LICENSE-DejaVu.txt`), so PNG charts have readable labels on a
//! machine without any system fonts. Every file is written through
//! [`super::write_atomically`]: a failed render leaves nothing behind.
#![allow(dead_code)]

use std::fmt::Display;
use std::io::Write;
use std::path::Path;

use lead_decay::{DecayCurve, DelayDistribution};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The font every chart uses, registered with plotters once per process.
const FONT: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");
const SANS: &str = "sans-serif";

/// Registers the embedded font as plotters' `sans-serif` (the family
/// criterion's report charts use too).
pub fn register_font() -> Result<(), String> {
    static REGISTERED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| plotters::style::register_font(SANS, FontStyle::Normal, FONT).is_ok());
    if ok {
        Ok(())
    } else {
        Err("cannot draw the chart: the embedded font does not load".to_owned())
    }
}

/// Draws the series legend of `chart` at `position`, in the style every
/// chart shares.
fn legend<'a, DB: DrawingBackend + 'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .position(position)
        .label_font((SANS, 14))
        .background_style(WHITE.mix(0.85))
        .border_style(GREY)
        .draw()
        .map_err(fail)
}

/// The series colours, distinguishable in colour and in grey.
pub const COLORS: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(255, 127, 14),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
];
const GREY: RGBColor = RGBColor(150, 150, 150);

/// The file formats a chart can be written in, from the path's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartFormat {
    /// A PNG bitmap.
    Png,
    /// An SVG drawing.
    Svg,
}

impl ChartFormat {
    /// The format of `path` (`.png` or `.svg`, any case).
    pub fn of(path: &Path) -> Result<ChartFormat, String> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("png") => Ok(ChartFormat::Png),
            Some("svg") => Ok(ChartFormat::Svg),
            _ => Err(format!(
                "{}: cannot tell the chart format: expected a file name ending in .png or .svg",
                path.display()
            )),
        }
    }
}

/// Something that can be drawn on any plotters backend.
pub trait Chart {
    /// The size in pixels.
    fn size(&self) -> (u32, u32) {
        (1200, 800)
    }

    /// Draws the chart on `root`, already filled white.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>;
}

/// Turns a plotters (or any other) error into a message.
pub fn fail(e: impl Display) -> String {
    format!("cannot draw the chart: {e}")
}

/// Renders `chart` to `path` as PNG or SVG (from the extension).
pub fn save(path: &Path, chart: &impl Chart) -> Result<(), String> {
    let format = ChartFormat::of(path)?;
    register_font()?;
    let (w, h) = chart.size();
    match format {
        ChartFormat::Png => {
            let mut pixels = vec![0u8; w as usize * h as usize * 3];
            {
                let root = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
                root.fill(&WHITE).map_err(fail)?;
                chart.draw(&root)?;
                root.present().map_err(fail)?;
            }
            super::write_atomically(path, |file| {
                let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), w, h);
                encoder.set_color(png::ColorType::Rgb);
                encoder.set_depth(png::BitDepth::Eight);
                let mut writer = encoder.write_header().map_err(std::io::Error::other)?;
                writer.write_image_data(&pixels).map_err(std::io::Error::other)?;
                writer.finish().map_err(std::io::Error::other)
            })
        }
        ChartFormat::Svg => {
            let mut text = String::new();
            {
                let root = SVGBackend::with_string(&mut text, (w, h)).into_drawing_area();
                root.fill(&WHITE).map_err(fail)?;
                chart.draw(&root)?;
                root.present().map_err(fail)?;
            }
            super::write_atomically(path, |file| file.write_all(text.as_bytes()))
        }
    }
}

/// A time axis in the unit that reads best for its length.
#[derive(Debug, Clone, Copy)]
pub struct TimeUnit {
    /// Hours per unit.
    pub hours: f64,
    /// The unit's name.
    pub name: &'static str,
}

impl TimeUnit {
    /// Minutes below 3 hours, hours below 4 days, days after.
    pub fn for_span(hours: f64) -> TimeUnit {
        if hours <= 3.0 {
            TimeUnit {
                hours: 1.0 / 60.0,
                name: "minutes",
            }
        } else if hours <= 96.0 {
            TimeUnit {
                hours: 1.0,
                name: "hours",
            }
        } else {
            TimeUnit {
                hours: 24.0,
                name: "days",
            }
        }
    }
}

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

/// The time by which `delay` has reached 99 % (by doubling, then bisection).
fn delay_quantile_99(delay: &DelayDistribution) -> f64 {
    let mut hi = delay.mean().max(1e-3);
    for _ in 0..60 {
        if delay.cdf(hi) >= 0.99 {
            break;
        }
        hi *= 2.0;
    }
    let mut lo = 0.0;
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if delay.cdf(mid) >= 0.99 {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
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
            span = span.max(cold).max(delay_quantile_99(&s.delay));
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
                    super::grouped(s.delay.mean(), 1),
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

/// The distribution of customers over the trials, every SQL worked at once
/// (ideal) beside as followed up (actual).
pub struct CustomersChart {
    /// The title.
    pub title: String,
    /// Trials with `k` ideal customers, at index `k`.
    pub ideal: Vec<u64>,
    /// Trials with `k` actual customers, at index `k`.
    pub actual: Vec<u64>,
    /// The customer goal, drawn as a line.
    pub goal: Option<u64>,
}

impl CustomersChart {
    /// Draws into `area`.
    pub fn draw_in<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let trials = self.ideal.iter().sum::<u64>().max(1) as f64;
        let k_max = self.ideal.len().max(self.actual.len()).max(1);
        let y_max = self
            .ideal
            .iter()
            .chain(&self.actual)
            .map(|&c| c as f64 / trials)
            .fold(0.0, f64::max)
            .max(1e-9)
            * 1.15;
        let mut chart = ChartBuilder::on(area)
            .caption(&self.title, (SANS, 20))
            .margin(10)
            .margin_right(30)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(-0.5..k_max as f64 - 0.5, 0.0..y_max)
            .map_err(fail)?;
        chart
            .configure_mesh()
            .x_desc("customers in a trial")
            .y_desc("share of trials")
            .y_label_formatter(&|y| format!("{:.0} %", 100.0 * y))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(fail)?;
        for (i, (name, counts)) in [
            ("ideal: every SQL worked at once", &self.ideal),
            ("actual: as followed up", &self.actual),
        ]
        .into_iter()
        .enumerate()
        {
            let color = if i == 0 { GREY } else { COLORS[0] };
            let offset = if i == 0 { -0.4 } else { 0.0 };
            chart
                .draw_series(counts.iter().enumerate().filter(|(_, c)| **c > 0).map(|(k, &c)| {
                    let x0 = k as f64 + offset;
                    Rectangle::new([(x0, 0.0), (x0 + 0.4, c as f64 / trials)], color.filled())
                }))
                .map_err(fail)?
                .label(name)
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], color.filled()));
        }
        if let Some(goal) = self.goal {
            let g = goal as f64 - 0.5;
            chart
                .draw_series(LineSeries::new(vec![(g, 0.0), (g, y_max)], COLORS[1].stroke_width(2)))
                .map_err(fail)?
                .label(format!("goal: {goal} customers"))
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], COLORS[1].stroke_width(2)));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        Ok(())
    }
}

impl Chart for CustomersChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        self.draw_in(root)
    }
}

/// A histogram of a money metric over the trials (revenue lost).
pub struct MoneyChart {
    /// The title.
    pub title: String,
    /// The x axis label, with the currency.
    pub x_desc: String,
    /// The series name.
    pub name: String,
    /// One value per trial.
    pub values: Vec<f64>,
    /// The expected value, drawn as a line.
    pub expected: Option<f64>,
}

impl MoneyChart {
    /// Draws into `area`.
    pub fn draw_in<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let finite = || self.values.iter().copied().filter(|v| v.is_finite());
        let lo = finite().fold(f64::INFINITY, f64::min);
        let hi = finite().fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = if lo.is_finite() && hi > lo {
            (lo, hi)
        } else if lo.is_finite() {
            (lo - 0.5 * lo.abs().max(1.0), lo + 0.5 * lo.abs().max(1.0))
        } else {
            (0.0, 1.0)
        };
        // Money that comes in whole deals (a fixed deal value) sits on a
        // lattice: bins of whole lattice steps keep the bars from aliasing.
        let (start, width, bins) = match lattice_step(self.values.iter().copied()) {
            Some(step) => {
                let points = ((hi - lo) / step).round() + 1.0;
                let per_bin = (points / 40.0).ceil().max(1.0);
                let width = per_bin * step;
                (lo - 0.5 * step, width, ((points / per_bin).ceil() as usize).max(1))
            }
            None => (lo, (hi - lo) / 40.0, 40usize),
        };
        let (lo, hi) = (start, start + width * bins as f64);
        let mut counts = vec![0u64; bins];
        for v in finite() {
            let b = (((v - lo) / width) as usize).min(bins - 1);
            counts[b] += 1;
        }
        let n = self.values.len().max(1) as f64;
        let y_max = counts.iter().map(|&c| c as f64 / n).fold(0.0, f64::max).max(1e-9) * 1.15;
        let mut chart = ChartBuilder::on(area)
            .caption(&self.title, (SANS, 20))
            .margin(10)
            .margin_right(30)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(lo..hi, 0.0..y_max)
            .map_err(fail)?;
        chart
            .configure_mesh()
            .x_desc(self.x_desc.as_str())
            .y_desc("share of trials")
            .x_labels(6)
            .x_label_formatter(&|x| super::grouped(*x, 0))
            .y_label_formatter(&|y| format!("{:.0} %", 100.0 * y))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(fail)?;
        let color = COLORS[1];
        chart
            .draw_series(counts.iter().enumerate().filter(|(_, c)| **c > 0).map(|(b, &c)| {
                let x0 = lo + b as f64 * width;
                Rectangle::new([(x0, 0.0), (x0 + width * 0.9, c as f64 / n)], color.mix(0.75).filled())
            }))
            .map_err(fail)?
            .label(self.name.as_str())
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], color.mix(0.75).filled()));
        if let Some(e) = self.expected.filter(|e| e.is_finite()) {
            chart
                .draw_series(LineSeries::new(vec![(e, 0.0), (e, y_max)], BLACK.stroke_width(2)))
                .map_err(fail)?
                .label(format!("expected: {}", super::grouped(e, 0)))
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(2)));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        Ok(())
    }
}

impl Chart for MoneyChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        self.draw_in(root)
    }
}

/// The common step of values that all lie on `lo + k step`, if they do and
/// there are at most a million lattice points between the extremes.
fn lattice_step(values: impl Iterator<Item = f64>) -> Option<f64> {
    let mut distinct: Vec<f64> = values.filter(|v| v.is_finite()).collect();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let step = distinct.windows(2).map(|w| w[1] - w[0]).fold(f64::INFINITY, f64::min);
    if !(step.is_finite() && step > 0.0) {
        return None;
    }
    let lo = distinct[0];
    let on_lattice = distinct.iter().all(|v| {
        let k = (v - lo) / step;
        (k - k.round()).abs() < 1e-6
    });
    let span = (distinct[distinct.len() - 1] - lo) / step;
    (on_lattice && span <= 1e6).then_some(step)
}

/// The `simulate` dashboard: decay and follow-up on top, the customers
/// histogram and the distribution of revenue lost below.
pub struct Dashboard {
    /// Top panel.
    pub decay: DecayChart,
    /// Bottom left.
    pub customers: CustomersChart,
    /// Bottom right.
    pub revenue_lost: MoneyChart,
}

impl Chart for Dashboard {
    fn size(&self) -> (u32, u32) {
        (1400, 1100)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let (top, bottom) = root.split_vertically(560);
        self.decay.draw_in(&top)?;
        let (left, right) = bottom.split_horizontally(700);
        self.customers.draw_in(&left)?;
        self.revenue_lost.draw_in(&right)
    }
}

/// One point of a sweep: the swept value and the metrics there.
#[derive(Debug, Clone)]
pub struct SweepPoint {
    /// The swept input, in the axis unit.
    pub x: f64,
    /// Expected customers.
    pub customers: f64,
    /// Customers: 5th and 95th percentile.
    pub customers_band: (f64, f64),
    /// Expected revenue lost.
    pub revenue_lost: f64,
    /// Revenue lost: 5th and 95th percentile.
    pub revenue_lost_band: (f64, f64),
    /// Expected ROI lost (points), when the scenario has a marketing spend.
    pub roi_lost: Option<f64>,
    /// ROI lost: 5th and 95th percentile.
    pub roi_lost_band: Option<(f64, f64)>,
}

/// A sweep of one input: expected revenue lost with its 90 % band, expected
/// customers with theirs, and ROI lost when the scenario has a spend. Swept
/// over the mean follow-up delay, this is the "value of speed" curve.
pub struct SweepChart {
    /// The title.
    pub title: String,
    /// The x axis label.
    pub x_desc: String,
    /// The currency label.
    pub currency: String,
    /// The points, in increasing `x`.
    pub points: Vec<SweepPoint>,
}

impl SweepChart {
    #[allow(clippy::too_many_arguments)]
    fn panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        caption: Option<&str>,
        y_desc: &str,
        name: &str,
        color: RGBColor,
        mean: impl Fn(&SweepPoint) -> f64,
        band: impl Fn(&SweepPoint) -> (f64, f64),
        percent: bool,
        x_desc: bool,
    ) -> Result<(), String> {
        let x_lo = self.points.first().map_or(0.0, |p| p.x);
        let x_hi = self.points.last().map_or(1.0, |p| p.x);
        let x_hi = if x_hi > x_lo { x_hi } else { x_lo + 1.0 };
        let y_hi = self
            .points
            .iter()
            .flat_map(|p| [mean(p), band(p).1])
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let y_lo = self
            .points
            .iter()
            .flat_map(|p| [mean(p), band(p).0])
            .filter(|v| v.is_finite())
            .fold(0.0, f64::min);
        let y_hi = if y_hi > y_lo { y_hi * 1.1 } else { y_lo + 1.0 };
        let mut builder = ChartBuilder::on(area);
        if let Some(caption) = caption {
            builder.caption(caption, (SANS, 22));
        }
        let mut chart = builder
            .margin(10)
            .margin_right(30)
            .x_label_area_size(if x_desc { 40 } else { 25 })
            .y_label_area_size(80)
            .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)
            .map_err(fail)?;
        let mut mesh = chart.configure_mesh();
        mesh.y_desc(y_desc).light_line_style(WHITE.mix(0.0));
        let fmt_money = |y: &f64| super::grouped(*y, 0);
        let fmt_points = |y: &f64| format!("{y:.0}");
        if percent {
            mesh.y_label_formatter(&fmt_points);
        } else {
            mesh.y_label_formatter(&fmt_money);
        }
        if x_desc {
            mesh.x_desc(self.x_desc.as_str());
        }
        mesh.draw().map_err(fail)?;
        let mut polygon: Vec<(f64, f64)> = self.points.iter().map(|p| (p.x, band(p).1)).collect();
        polygon.extend(self.points.iter().rev().map(|p| (p.x, band(p).0)));
        chart
            .draw_series(std::iter::once(Polygon::new(polygon, color.mix(0.2).filled())))
            .map_err(fail)?
            .label(format!("{name}: 90 % of trials (p05 to p95)"))
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], color.mix(0.2).filled()));
        chart
            .draw_series(LineSeries::new(
                self.points.iter().map(|p| (p.x, mean(p))),
                color.stroke_width(3),
            ))
            .map_err(fail)?
            .label(format!("{name}: expected"))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(3)));
        chart
            .draw_series(
                self.points
                    .iter()
                    .map(|p| Circle::new((p.x, mean(p)), 4, color.filled())),
            )
            .map_err(fail)?;
        // The legend goes where the curve is not: the upper left of a falling one
        // would cover its start.
        let falling = match (self.points.first(), self.points.last()) {
            (Some(a), Some(b)) => mean(b) < mean(a),
            _ => false,
        };
        legend(
            &mut chart,
            if falling {
                SeriesLabelPosition::UpperRight
            } else {
                SeriesLabelPosition::UpperLeft
            },
        )?;
        Ok(())
    }
}

impl Chart for SweepChart {
    fn size(&self) -> (u32, u32) {
        (1200, 1000)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let has_roi = self.points.iter().all(|p| p.roi_lost.is_some());
        let panels = root.split_evenly((if has_roi { 3 } else { 2 }, 1));
        let currency = if self.currency.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.currency)
        };
        self.panel(
            &panels[0],
            Some(&self.title),
            &format!("revenue lost{currency}"),
            "revenue lost",
            COLORS[1],
            |p| p.revenue_lost,
            |p| p.revenue_lost_band,
            false,
            false,
        )?;
        if has_roi {
            self.panel(
                &panels[1],
                None,
                "ROI lost (% points)",
                "ROI lost",
                COLORS[3],
                |p| 100.0 * p.roi_lost.unwrap_or(f64::NAN),
                |p| {
                    let (a, b) = p.roi_lost_band.unwrap_or((f64::NAN, f64::NAN));
                    (100.0 * a, 100.0 * b)
                },
                true,
                false,
            )?;
        }
        self.panel(
            panels.last().expect("two or three panels"),
            None,
            "customers",
            "customers",
            COLORS[0],
            |p| p.customers,
            |p| p.customers_band,
            true,
            true,
        )
    }
}

/// A demand waterfall: the units every stage needs, one bar per plan
/// variant, on a log axis (visitors and customers differ by orders of
/// magnitude).
pub struct FunnelChart {
    /// The title.
    pub title: String,
    /// Stage names, from the top of the funnel down.
    pub stages: Vec<String>,
    /// (series name, count per stage); a count of 0 is not drawn.
    pub series: Vec<(String, Vec<f64>)>,
}

impl Chart for FunnelChart {
    fn size(&self) -> (u32, u32) {
        (1200, 700)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let max = self
            .series
            .iter()
            .flat_map(|(_, counts)| counts.iter().copied())
            .filter(|c| c.is_finite())
            .fold(1.0, f64::max);
        let x_hi = (max * 3.0).log10().ceil().max(1.0);
        let n = self.stages.len().max(1) as f64;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, (SANS, 22))
            .margin(10)
            .margin_right(30)
            .x_label_area_size(40)
            .y_label_area_size(110)
            .build_cartesian_2d(0.0..x_hi, 0.0..n)
            .map_err(fail)?;
        let stages = self.stages.clone();
        chart
            .configure_mesh()
            .x_desc("units needed (log scale)")
            .x_labels(x_hi as usize + 1)
            .x_label_formatter(&|x| super::grouped(10f64.powf(x.round()), 0))
            .y_labels(2 * self.stages.len() + 1)
            .y_label_formatter(&|y| {
                // Label the middle of each band: band i spans [n-1-i, n-i).
                let band = n - y;
                let i = band.floor();
                if (band - i - 0.5).abs() < 1e-6 && (i as usize) < stages.len() {
                    stages[i as usize].clone()
                } else {
                    String::new()
                }
            })
            .disable_y_mesh()
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(fail)?;
        let k = self.series.len().max(1) as f64;
        let height = 0.8 / k;
        for (j, (name, counts)) in self.series.iter().enumerate() {
            let color = COLORS[j % COLORS.len()];
            let bars: Vec<(f64, f64, f64)> = counts
                .iter()
                .enumerate()
                .filter(|(_, c)| **c >= 1.0)
                .map(|(i, &c)| {
                    let top = n - i as f64 - 0.1 - j as f64 * height;
                    (c, top - height, top)
                })
                .collect();
            chart
                .draw_series(
                    bars.iter()
                        .map(|&(c, lo, hi)| Rectangle::new([(0.0, lo), (c.log10(), hi)], color.mix(0.8).filled())),
                )
                .map_err(fail)?
                .label(name.as_str())
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], color.mix(0.8).filled()));
            chart
                .draw_series(bars.iter().map(|&(c, lo, hi)| {
                    Text::new(
                        super::grouped(c, 0),
                        (c.log10() + 0.03, 0.5 * (lo + hi) + 0.02),
                        (SANS, 13).into_font().color(&BLACK),
                    )
                }))
                .map_err(fail)?;
        }
        legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        Ok(())
    }
}

/// One fitted decay curve for [`ConversionChart`]: `P(won | D) = p f(D)`.
pub struct FittedCurve {
    /// The shape's name (and "best" when AIC picked it).
    pub name: String,
    /// The fitted close rate `p`.
    pub close_rate: f64,
    /// The fitted curve `f`.
    pub curve: DecayCurve,
}

/// One delay bin of a CRM export: its conversion with a 95 % interval.
pub struct ConversionBin {
    /// Mean delay of the bin, hours.
    pub mean_hours: f64,
    /// Won share of the decided SQLs in the bin.
    pub rate: f64,
    /// Wilson 95 % interval of the rate.
    pub ci95: (f64, f64),
}

/// Conversion against response delay as a CRM export shows it (binned, with
/// Wilson intervals), beside every fitted `p f(t)`: the evidence behind a
/// calibrated decay curve.
pub struct ConversionChart {
    /// The title.
    pub title: String,
    /// The bins, in increasing delay.
    pub bins: Vec<ConversionBin>,
    /// The fitted curves; the first is drawn boldest.
    pub fits: Vec<FittedCurve>,
}

impl Chart for ConversionChart {
    fn size(&self) -> (u32, u32) {
        (1200, 750)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let t_max = self.bins.iter().map(|b| b.mean_hours).fold(0.0, f64::max).max(1e-6) * 1.05;
        let unit = TimeUnit::for_span(t_max);
        let y_max = self
            .bins
            .iter()
            .map(|b| b.ci95.1)
            .chain(self.fits.iter().map(|f| f.close_rate))
            .fold(0.0, f64::max)
            .max(1e-6)
            * 1.1;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, (SANS, 22))
            .margin(10)
            .margin_right(30)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..t_max / unit.hours, 0.0..y_max)
            .map_err(fail)?;
        chart
            .configure_mesh()
            .x_desc(format!("delay to first contact ({})", unit.name))
            .y_desc("share of contacted SQLs won")
            .y_label_formatter(&|y| format!("{:.0} %", 100.0 * y))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(fail)?;
        let steps = 400;
        for (i, fit) in self.fits.iter().enumerate() {
            let color = COLORS[(i + 1) % COLORS.len()];
            let width = if i == 0 { 4 } else { 2 };
            let points = (0..=steps).map(|k| {
                let t = t_max * f64::from(k) / f64::from(steps);
                (t / unit.hours, fit.close_rate * fit.curve.evaluate(t))
            });
            chart
                .draw_series(LineSeries::new(points, color.stroke_width(width)))
                .map_err(fail)?
                .label(format!("fit: {}", fit.name))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(width)));
        }
        let black = BLACK;
        chart
            .draw_series(self.bins.iter().map(|b| {
                let x = b.mean_hours / unit.hours;
                PathElement::new(vec![(x, b.ci95.0), (x, b.ci95.1)], black.stroke_width(2))
            }))
            .map_err(fail)?
            .label("observed: binned, with Wilson 95 % intervals")
            .legend(move |(x, y)| Circle::new((x + 10, y), 4, black.filled()));
        chart
            .draw_series(
                self.bins
                    .iter()
                    .map(|b| Circle::new((b.mean_hours / unit.hours, b.rate), 4, black.filled())),
            )
            .map_err(fail)?;
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        Ok(())
    }
}
