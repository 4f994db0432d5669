//! The demand waterfall of `plan`.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{COLORS, Chart, SANS, fail, legend};

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
            .x_label_formatter(&|x| super::super::grouped(10f64.powf(x.round()), 0))
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
                        super::super::grouped(c, 0),
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
