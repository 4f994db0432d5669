//! The tornado of `sensitivity`: what each uncertain input swings.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{AXIS_DESC, COLORS, Chart, GREY, SANS, TICK, fail};

/// One bar: an input moved alone from its low to its high percentile.
#[derive(Debug, Clone)]
pub struct TornadoBar {
    /// The input in words with its range (`close rate: 18.4 % → 31.9 %`).
    pub label: String,
    /// The metric with the input at its low percentile.
    pub at_low: f64,
    /// The metric with the input at its high percentile.
    pub at_high: f64,
}

/// A tornado chart: one horizontal bar per input, the widest at the top,
/// each drawn from the metric at the medians to its value with the input at
/// its low percentile (one colour) and at its high percentile (another),
/// with the swing written beside it.
pub struct TornadoChart {
    /// The title.
    pub title: String,
    /// The line under the title (what was moved, and how).
    pub subtitle: String,
    /// The metric in words with its unit (`expected revenue lost (EUR)`).
    pub x_desc: String,
    /// The currency label, appended to money on the bars ("" for counts).
    pub currency: String,
    /// Decimals of the numbers on the chart (0 for money, 2 for customers).
    pub decimals: usize,
    /// The metric with every input at its median.
    pub base: f64,
    /// What the low and the high end are called (`10th percentile`).
    pub ends: (String, String),
    /// The bars, widest first.
    pub bars: Vec<TornadoBar>,
}

impl TornadoChart {
    fn number(&self, x: f64) -> String {
        let n = super::super::grouped(x, self.decimals);
        if self.currency.is_empty() {
            n
        } else {
            format!("{n} {}", self.currency)
        }
    }
}

impl Chart for TornadoChart {
    fn size(&self) -> (u32, u32) {
        (1400, 290 + 90 * self.bars.len().max(1) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let (title, body) = root.split_vertically(115);
        title
            .draw(&Text::new(
                self.title.as_str(),
                (20, 12),
                (SANS, 26).into_font().color(&BLACK),
            ))
            .map_err(fail)?;
        title
            .draw(&Text::new(
                self.subtitle.as_str(),
                (20, 48),
                (SANS, 17).into_font().color(&RGBColor(80, 80, 80)),
            ))
            .map_err(fail)?;
        // The legend sits under the title, where no bar can hide it.
        let (low_color, high_color) = (COLORS[0], COLORS[3]);
        let entries = [
            (format!("input at its {}", self.ends.0), Some(low_color)),
            (format!("input at its {}", self.ends.1), Some(high_color)),
            (format!("every input at its median: {}", self.number(self.base)), None),
        ];
        let mut x = 20;
        for (text, color) in entries {
            match color {
                Some(c) => title
                    .draw(&Rectangle::new([(x, 84), (x + 24, 98)], c.mix(0.85).filled()))
                    .map_err(fail)?,
                None => title
                    .draw(&PathElement::new(
                        vec![(x + 11, 80), (x + 11, 102)],
                        GREY.stroke_width(3),
                    ))
                    .map_err(fail)?,
            }
            title
                .draw(&Text::new(
                    text.clone(),
                    (x + 32, 82),
                    (SANS, 16).into_font().color(&BLACK),
                ))
                .map_err(fail)?;
            x += 32 + 9 * text.chars().count() as i32 + 40;
        }
        let values = self.bars.iter().flat_map(|b| [b.at_low, b.at_high]).chain([self.base]);
        let lo = values.clone().fold(f64::INFINITY, f64::min);
        let hi = values.fold(f64::NEG_INFINITY, f64::max);
        // Room on the right for the swing labels, a little on the left.
        let span = if hi > lo { hi - lo } else { hi.abs().max(1.0) };
        let (x_lo, x_hi) = (lo - 0.05 * span, hi + 0.45 * span);
        let n = self.bars.len().max(1) as f64;
        let labels: Vec<String> = self.bars.iter().map(|b| b.label.clone()).collect();
        let label_width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(10) as u32;
        let mut chart = ChartBuilder::on(&body)
            .margin(15)
            .margin_right(30)
            .x_label_area_size(55)
            .y_label_area_size((label_width * 10 + 20).clamp(120, 600))
            .build_cartesian_2d(x_lo..x_hi, 0.0..n)
            .map_err(fail)?;
        chart
            .configure_mesh()
            .x_desc(self.x_desc.as_str())
            .x_labels(8)
            .x_label_formatter(&|x| super::super::grouped(*x, if self.decimals > 0 { 1 } else { 0 }))
            .y_labels(2 * self.bars.len() + 1)
            .y_label_formatter(&|y| {
                // Bar i (the widest first) fills the band [n - 1 - i, n - i).
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
        let low_bars: Vec<_> = self
            .bars
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let (y0, y1) = band(i);
                Rectangle::new([(self.base, y0), (b.at_low, y1)], low_color.mix(0.85).filled())
            })
            .collect();
        chart.draw_series(low_bars).map_err(fail)?;
        let high_bars: Vec<_> = self
            .bars
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let (y0, y1) = band(i);
                Rectangle::new([(self.base, y0), (b.at_high, y1)], high_color.mix(0.85).filled())
            })
            .collect();
        chart.draw_series(high_bars).map_err(fail)?;
        // The swing beside each bar, and the value at each end.
        let font = (SANS, 16).into_font().color(&BLACK);
        let small = (SANS, 14).into_font().color(&RGBColor(60, 60, 60));
        for (i, b) in self.bars.iter().enumerate() {
            let (y0, y1) = band(i);
            let right = b.at_low.max(b.at_high).max(self.base);
            let swing = (b.at_high - b.at_low).abs();
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("swing {}", self.number(swing)),
                    (right + 0.02 * span, 0.5 * (y0 + y1) + 0.12),
                    font.clone(),
                )))
                .map_err(fail)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("from {} to {}", self.number(b.at_low), self.number(b.at_high)),
                    (right + 0.02 * span, 0.5 * (y0 + y1) - 0.12),
                    small.clone(),
                )))
                .map_err(fail)?;
        }
        // The medians: where every bar starts.
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(self.base, 0.0), (self.base, n)],
                GREY.stroke_width(2),
            )))
            .map_err(fail)?;
        Ok(())
    }
}
