//! The chart of `sweep --compare`: one scenario per bar.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{AXIS_DESC, COLORS, Chart, SANS, TICK, fail, short};

/// One scenario: its expected figure and the range 90 % of trials fall in.
#[derive(Debug, Clone)]
pub struct CompareBar {
    /// The scenario's name.
    pub name: String,
    /// The expected value (the bar).
    pub expected: f64,
    /// The 5th and 95th percentiles of the trials (the whisker).
    pub band: (f64, f64),
}

/// Scenarios side by side: one horizontal bar per scenario, in the order
/// given, drawn to its expected value with a whisker over the range that
/// 90 % of the trials fall in, and both written beside it.
pub struct CompareChart {
    /// The title.
    pub title: String,
    /// The metric in words with its unit (`expected revenue lost (USD)`).
    pub x_desc: String,
    /// The currency label, appended to money on the bars ("" for none).
    pub currency: String,
    /// The bars, top to bottom.
    pub bars: Vec<CompareBar>,
}

impl CompareChart {
    fn number(&self, x: f64) -> String {
        let n = super::super::grouped(x, 0);
        if self.currency.is_empty() {
            n
        } else {
            format!("{n} {}", self.currency)
        }
    }
}

impl Chart for CompareChart {
    fn size(&self) -> (u32, u32) {
        (1400, 200 + 90 * self.bars.len().max(1) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let (title, body) = root.split_vertically(60);
        title
            .draw(&Text::new(
                self.title.as_str(),
                (20, 12),
                (SANS, 26).into_font().color(&BLACK),
            ))
            .map_err(fail)?;
        let hi = self
            .bars
            .iter()
            .flat_map(|b| [b.expected, b.band.1])
            .fold(0.0, f64::max);
        // Room on the right for the labels; an all-zero chart still has an axis.
        let x_hi = if hi > 0.0 { 1.6 * hi } else { 1.0 };
        let n = self.bars.len().max(1) as f64;
        let labels: Vec<String> = self.bars.iter().map(|b| short(&b.name, 32)).collect();
        let label_width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(10) as u32;
        let mut chart = ChartBuilder::on(&body)
            .margin(15)
            .margin_right(30)
            .x_label_area_size(55)
            .y_label_area_size((label_width * 10 + 20).clamp(120, 400))
            .build_cartesian_2d(0.0..x_hi, 0.0..n)
            .map_err(fail)?;
        chart
            .configure_mesh()
            .x_desc(self.x_desc.as_str())
            .x_labels(8)
            .x_label_formatter(&|x| super::super::grouped(*x, 0))
            .y_labels(2 * self.bars.len() + 1)
            .y_label_formatter(&|y| {
                // Bar i (the first at the top) fills the band [n - 1 - i, n - i).
                let band = n - y;
                let i = band.floor();
                if (band - i - 0.5).abs() < 1e-6 && (i as usize) < labels.len() {
                    labels[i as usize].clone()
                } else {
                    String::new()
                }
            })
            .label_style((SANS, TICK))
            .axis_desc_style((SANS, AXIS_DESC))
            .disable_y_mesh()
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(fail)?;
        let band = |i: usize| (n - i as f64 - 0.8, n - i as f64 - 0.2);
        let font = (SANS, 20).into_font().color(&BLACK);
        let small = (SANS, 17).into_font().color(&RGBColor(60, 60, 60));
        for (i, b) in self.bars.iter().enumerate() {
            let (y0, y1) = band(i);
            let mid = 0.5 * (y0 + y1);
            let color = COLORS[i % COLORS.len()];
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(0.0, y0), (b.expected, y1)],
                    color.mix(0.75).filled(),
                )))
                .map_err(fail)?;
            // The whisker: 90 % of the trials, with end caps.
            let (lo, hi) = b.band;
            let cap = 0.12;
            for path in [
                vec![(lo, mid), (hi, mid)],
                vec![(lo, mid - cap), (lo, mid + cap)],
                vec![(hi, mid - cap), (hi, mid + cap)],
            ] {
                chart
                    .draw_series(std::iter::once(PathElement::new(path, BLACK.stroke_width(2))))
                    .map_err(fail)?;
            }
            let right = hi.max(b.expected) + 0.02 * x_hi;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("expected {}", self.number(b.expected)),
                    (right, mid + 0.16),
                    font.clone(),
                )))
                .map_err(fail)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("90 % of trials {} to {}", self.number(lo), self.number(hi)),
                    (right, mid - 0.06),
                    small.clone(),
                )))
                .map_err(fail)?;
        }
        Ok(())
    }
}
