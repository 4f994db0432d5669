//! Charts for the example programs, drawn with plotters as PNG or SVG: one
//! file per chart, and here what they share (the font, the legend style,
//! the colours, the file formats and [`save`]).
//!
//! Text is rendered with an embedded font (DejaVu Sans, see
//! `fonts/LICENSE-DejaVu.txt`), so PNG charts have readable labels on a
//! machine without any system fonts. Every file is written through
//! [`super::write_atomically`]: a failed render leaves nothing behind.
// Each example uses some of the charts only.
#![allow(dead_code, unused_imports)]

mod compare;
mod conversion;
mod customers;
mod dashboard;
mod decay;
mod funnel;
mod heat_map;
mod money;
mod monitor;
mod sweep;
mod tornado;

pub use compare::{CompareBar, CompareChart};
pub use conversion::{ConversionBin, ConversionChart, FittedCurve};
pub use customers::CustomersChart;
pub use dashboard::{Dashboard, DashboardData};
pub use decay::{DecayChart, DecaySeries, plain_decay, plain_duration};
pub use funnel::FunnelChart;
pub use heat_map::{HeatMapChart, HeatMapPanel};
pub use money::MoneyChart;
pub use monitor::{MonitorChart, MonitorPanel, MonitorRow, WithMonitor, band_label};
pub use sweep::{InputBand, Marker, SweepChart, SweepPoint};
pub use tornado::{TornadoBar, TornadoChart};

use std::fmt::Display;
use std::io::Write;
use std::path::Path;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

/// The font every chart uses, registered with plotters once per process.
const FONT: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
pub(crate) const SANS: &str = "sans-serif";

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
pub(crate) fn legend<'a, DB: DrawingBackend + 'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .position(position)
        .label_font((SANS, LEGEND))
        .background_style(WHITE.mix(0.85))
        .border_style(GREY)
        .draw()
        .map_err(fail)
}

/// `name` cut to at most `max` characters, an ellipsis marking the cut: a
/// long segment or scenario name must not run across the plot.
pub fn short(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        name.to_owned()
    } else {
        let kept: String = name.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", kept.trim_end())
    }
}

/// A share for a legend: one decimal, but `< 0.1 %` (`> 99.9 %`) for a
/// share that one decimal would round to 0 (100) while it is not, and
/// `0 %` (`100 %`) only when it is exactly that.
pub fn legend_share(share: f64) -> String {
    if share == 0.0 {
        "0 %".to_owned()
    } else if share == 1.0 {
        "100 %".to_owned()
    } else if share > 0.0 && share < 0.0005 {
        "< 0.1 %".to_owned()
    } else if share > 0.9995 && share < 1.0 {
        "> 99.9 %".to_owned()
    } else {
        super::percent(share)
    }
}

/// Tick labels' size in pixels: a chart scaled to a page column (about
/// 900 pixels on 180 mm, or 92 mm high in print) keeps them at about 7.5 pt.
pub(crate) const TICK: u32 = 18;
/// Axis descriptions' size in pixels.
pub(crate) const AXIS_DESC: u32 = 18;
/// Legends' size in pixels.
pub(crate) const LEGEND: u32 = 16;

/// The longest series name a legend shows whole.
pub const LEGEND_NAME: usize = 28;

/// The series colours, distinguishable in colour and in grey.
pub const COLORS: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(255, 127, 14),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
];
pub(crate) const GREY: RGBColor = RGBColor(150, 150, 150);

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

/// Round tick positions from `lo` to `hi`: a step of 1, 2 or 5 times a
/// power of ten giving at most about ten ticks; whole numbers only when
/// `whole`.
pub fn round_ticks(lo: f64, hi: f64, whole: bool) -> Vec<f64> {
    let span = hi - lo;
    if span.is_nan() || span <= 0.0 || !span.is_finite() {
        return vec![lo];
    }
    let raw = span / 10.0;
    let power = 10f64.powf(raw.log10().floor());
    let mut step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    if whole {
        step = step.max(1.0).round();
    }
    let first = (lo / step).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// A linear axis from `lo` to `hi` with ticks exactly where given (plotters
/// picks its own otherwise: `4.5` reps, `0.60 min`).
#[derive(Debug, Clone)]
pub struct Ticked {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Ticked {
    /// An axis over `lo..hi` with a tick (and a label) at each of `ticks`.
    pub fn new(lo: f64, hi: f64, ticks: Vec<f64>) -> Ticked {
        Ticked { lo, hi, ticks }
    }
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        RangedCoordf64::from(self.lo..self.hi).map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
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

/// The common step of values that all lie on `lo + k step`, if they do and
/// there are at most a million lattice points between the extremes.
pub(crate) fn lattice_step(values: impl Iterator<Item = f64>) -> Option<f64> {
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
