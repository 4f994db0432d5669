//! The histogram of a money metric over the trials.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{AXIS_DESC, COLORS, Chart, LEGEND_NAME, SANS, TICK, fail, lattice_step, legend, short};

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
    /// Ranges shaded behind the bars, widest first, each `(low, high,
    /// legend)`: with uncertain inputs, where 90 % of the campaigns fall
    /// and where 90 % of the expected values given the inputs fall.
    pub bands: Vec<(f64, f64, String)>,
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
            .caption(short(&self.title, 60), (SANS, 20))
            .margin(10)
            .margin_right(30)
            .x_label_area_size(60)
            .y_label_area_size(90)
            .build_cartesian_2d(lo..hi, 0.0..y_max)
            .map_err(fail)?;
        chart
            .configure_mesh()
            .label_style((SANS, TICK))
            .axis_desc_style((SANS, AXIS_DESC))
            .x_desc(self.x_desc.as_str())
            .y_desc("share of simulated campaigns")
            .x_labels(6)
            .x_label_formatter(&|x| super::super::grouped(*x, 0))
            .y_label_formatter(&|y| format!("{:.0} %", 100.0 * y))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(fail)?;
        for (i, (low, high, label)) in self.bands.iter().enumerate() {
            let shade = COLORS[2 + i % 2].mix(0.18 + 0.12 * i as f64);
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(low.max(lo), 0.0), (high.min(hi), y_max)],
                    shade.filled(),
                )))
                .map_err(fail)?
                .label(label.as_str())
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], shade.filled()));
        }
        let color = COLORS[1];
        chart
            .draw_series(counts.iter().enumerate().filter(|(_, c)| **c > 0).map(|(b, &c)| {
                let x0 = lo + b as f64 * width;
                Rectangle::new([(x0, 0.0), (x0 + width * 0.9, c as f64 / n)], color.mix(0.75).filled())
            }))
            .map_err(fail)?
            .label(short(&self.name, LEGEND_NAME))
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], color.mix(0.75).filled()));
        if let Some(e) = self.expected.filter(|e| e.is_finite()) {
            chart
                .draw_series(LineSeries::new(vec![(e, 0.0), (e, y_max)], BLACK.stroke_width(2)))
                .map_err(fail)?
                .label(format!("expected: {}", super::super::grouped(e, 0)))
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
