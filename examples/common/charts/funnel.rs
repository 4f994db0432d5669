//! The demand waterfall of `plan`.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{AXIS_DESC, COLORS, Chart, SANS, TICK, Ticked, fail, legend, round_ticks, short};

/// A demand waterfall: the units every stage needs, one bar per plan
/// variant, each with its number. The axis is linear, so 8,000 MQLs look
/// five times 1,600 SQLs; only when the stages differ by more than a
/// factor of 100 (visitors against customers) is it logarithmic, and the
/// title says so.
pub struct FunnelChart {
    /// The title.
    pub title: String,
    /// Stage names, from the top of the funnel down.
    pub stages: Vec<String>,
    /// (series name, count per stage); a count of 0 is not drawn.
    pub series: Vec<(String, Vec<f64>)>,
}

impl FunnelChart {
    /// The largest ratio of the longest to the shortest bar drawn on a
    /// linear axis: beyond it the shortest bars would be a few pixels, and
    /// the axis turns logarithmic (said in the title, numbers on the bars).
    const MAX_LINEAR_RATIO: f64 = 100.0;

    /// Whether the bars need a log axis.
    pub fn is_log(&self) -> bool {
        let drawn = || {
            self.series
                .iter()
                .flat_map(|(_, counts)| counts.iter().copied())
                .filter(|c| c.is_finite() && *c >= 1.0)
        };
        let max = drawn().fold(0.0, f64::max);
        let min = drawn().fold(f64::INFINITY, f64::min);
        min.is_finite() && max / min > Self::MAX_LINEAR_RATIO
    }
}

impl Chart for FunnelChart {
    fn size(&self) -> (u32, u32) {
        (1200, 700)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let drawn = || {
            self.series
                .iter()
                .flat_map(|(_, counts)| counts.iter().copied())
                .filter(|c| c.is_finite() && *c >= 1.0)
        };
        let max = drawn().fold(1.0, f64::max);
        let min = drawn().fold(f64::INFINITY, f64::min).min(max);
        let log = self.is_log();
        // Linear: from 0 to a little past the longest bar (room for its
        // number). Log: from the decade below the shortest bar to a little
        // past the longest, never a decade of nothing.
        let (x_lo, x_hi, ticks) = if log {
            let lo = min.log10().floor();
            let hi = (max * 1.6).log10();
            let ticks = (lo as i64..=hi.floor() as i64).map(|k| k as f64).collect();
            (lo, hi, ticks)
        } else {
            let hi = max * 1.15;
            (0.0, hi, round_ticks(0.0, hi, true))
        };
        let position = |c: f64| if log { c.log10() } else { c };
        let n = self.stages.len().max(1) as f64;
        let title = if log {
            format!("{} (log scale: each bar's number is its size)", short(&self.title, 70))
        } else {
            short(&self.title, 90)
        };
        let mut chart = ChartBuilder::on(root)
            .caption(&title, (SANS, 22))
            .margin(10)
            .margin_right(30)
            .x_label_area_size(60)
            .y_label_area_size(150)
            .build_cartesian_2d(Ticked::new(x_lo, x_hi, ticks), 0.0..n)
            .map_err(fail)?;
        let stages = self.stages.clone();
        let x_format = |x: &f64| {
            if log {
                super::super::grouped(10f64.powf(x.round()), 0)
            } else {
                super::super::grouped(*x, 0)
            }
        };
        chart
            .configure_mesh()
            .x_desc(if log {
                "units needed (log scale)"
            } else {
                "units needed"
            })
            .x_label_formatter(&x_format)
            // Reading size when the chart is scaled to a page column.
            .label_style((SANS, TICK))
            .axis_desc_style((SANS, AXIS_DESC))
            .y_labels(2 * self.stages.len() + 1)
            .y_label_formatter(&|y| {
                // Label the middle of each band: band i spans [n-1-i, n-i).
                let band = n - y;
                let i = band.floor();
                if (band - i - 0.5).abs() < 1e-6 && (i as usize) < stages.len() {
                    short(&stages[i as usize], 22)
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
                        .map(|&(c, lo, hi)| Rectangle::new([(x_lo, lo), (position(c), hi)], color.mix(0.8).filled())),
                )
                .map_err(fail)?
                .label(short(name, 48))
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], color.mix(0.8).filled()));
            let nudge = 0.006 * (x_hi - x_lo);
            chart
                .draw_series(bars.iter().map(|&(c, lo, hi)| {
                    Text::new(
                        super::super::grouped(c, 0),
                        (position(c) + nudge, 0.5 * (lo + hi) + 0.02),
                        (SANS, 15).into_font().color(&BLACK),
                    )
                }))
                .map_err(fail)?;
        }
        legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        Ok(())
    }
}
