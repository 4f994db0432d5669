//! The monitor panel of `plan`: observed rates against benchmark bands.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{AXIS_DESC, COLORS, Chart, SANS, TICK, Ticked, fail, legend, round_ticks, short};

/// One observed rate of one persona (or the total) and its benchmark band.
pub struct MonitorRow {
    /// The persona's name (`total` for all of them).
    pub name: String,
    /// The observed rate, `None` when its denominator is zero.
    pub value: Option<f64>,
    /// The benchmark band `(low, high)`.
    pub band: (f64, f64),
}

/// One banded metric: a row per persona, the total first.
pub struct MonitorPanel {
    /// The metric's name, e.g. `lead-to-customer`.
    pub metric: String,
    /// Its rows, from the top down.
    pub rows: Vec<MonitorRow>,
}

/// Observed rates as points against their benchmark bands, drawn as shaded
/// ranges: one panel per banded metric, side by side.
pub struct MonitorChart {
    /// The title.
    pub title: String,
    /// The panels, left to right.
    pub panels: Vec<MonitorPanel>,
}

/// A band for a label: `20-40 %`, with a decimal only where it needs one.
pub fn band_label((low, high): (f64, f64)) -> String {
    let pct = |x: f64| {
        let p = 100.0 * x;
        if (p - p.round()).abs() < 1e-9 {
            format!("{p:.0}")
        } else {
            format!("{p:.1}")
        }
    };
    format!("{}-{} %", pct(low), pct(high))
}

impl MonitorPanel {
    /// The panel's band label: the band every row shares, else `bands vary`.
    fn band_label(&self) -> String {
        match self.rows.first() {
            Some(first) if self.rows.iter().all(|r| r.band == first.band) => {
                format!("band {}", band_label(first.band))
            }
            Some(_) => "bands vary by persona".to_owned(),
            None => String::new(),
        }
    }

    /// Draws into `area`, with its legend: each panel is read alone.
    fn draw_in<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let finite = |x: f64| x.is_finite().then_some(x);
        let max = self
            .rows
            .iter()
            .flat_map(|r| [r.value.and_then(finite), finite(r.band.1)])
            .flatten()
            .fold(0.0, f64::max)
            .max(0.01);
        let hi = max * 1.25;
        let ticks = round_ticks(0.0, hi, false);
        let n = self.rows.len().max(1) as f64;
        // Room on top for the legend (about 80 pixels of the plot, which
        // is the panel less its caption and axis): at least one spare row.
        let plot = (f64::from(area.dim_in_pixel().1) - 110.0).max(120.0);
        let top = n + (80.0 * n / (plot - 80.0)).max(1.0);
        let mut chart = ChartBuilder::on(area)
            .caption(
                format!("{} ({})", short(&self.metric, 28), self.band_label()),
                (SANS, 20),
            )
            .margin(10)
            .margin_right(25)
            .x_label_area_size(55)
            .y_label_area_size(140)
            .build_cartesian_2d(
                Ticked::new(0.0, hi, ticks),
                // A tick in the middle of each row, for its name.
                Ticked::new(0.0, top, (0..self.rows.len()).map(|i| n - i as f64 - 0.5).collect()),
            )
            .map_err(fail)?;
        let names: Vec<String> = self.rows.iter().map(|r| short(&r.name, 12)).collect();
        chart
            .configure_mesh()
            .x_desc("observed rate")
            .x_label_formatter(&|x: &f64| {
                let p = 100.0 * x;
                if (p - p.round()).abs() < 1e-6 {
                    format!("{p:.0} %")
                } else {
                    format!("{p:.1} %")
                }
            })
            .label_style((SANS, TICK))
            .axis_desc_style((SANS, AXIS_DESC))
            .y_label_formatter(&|y| {
                // Row i's middle is n-i-0.5.
                let i = (n - 0.5 - y).round();
                if i >= 0.0 && (i as usize) < names.len() {
                    names[i as usize].clone()
                } else {
                    String::new()
                }
            })
            .disable_y_mesh()
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(fail)?;
        let band_color = COLORS[2];
        let point_color = COLORS[0];
        let outside_color = COLORS[1];
        let middle = |i: usize| n - i as f64 - 0.5;
        chart
            .draw_series(self.rows.iter().enumerate().map(|(i, r)| {
                Rectangle::new(
                    [(r.band.0, middle(i) - 0.3), (r.band.1, middle(i) + 0.3)],
                    band_color.mix(0.3).filled(),
                )
            }))
            .map_err(fail)?
            .label("benchmark band")
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 20, y + 6)], band_color.mix(0.3).filled()));
        let within = |r: &MonitorRow, v: f64| v >= r.band.0 && v <= r.band.1;
        let points = |inside: bool| {
            self.rows
                .iter()
                .enumerate()
                .filter_map(move |(i, r)| r.value.filter(|v| v.is_finite()).map(|v| (i, r, v)))
                .filter(move |(_, r, v)| within(r, *v) == inside)
                .map(|(i, _, v)| (v, middle(i)))
                .collect::<Vec<_>>()
        };
        for (inside, color, label) in [
            (true, point_color, "observed, within band"),
            (false, outside_color, "observed, outside band"),
        ] {
            let drawn = points(inside);
            if drawn.is_empty() {
                continue;
            }
            chart
                .draw_series(drawn.iter().map(|&(v, y)| Circle::new((v, y), 7, color.filled())))
                .map_err(fail)?
                .label(label)
                .legend(move |(x, y)| Circle::new((x + 10, y), 6, color.filled()));
            chart
                .draw_series(drawn.iter().map(|&(v, y)| {
                    Text::new(
                        super::super::percent(v),
                        (v + 0.02 * hi, y + 0.3),
                        (SANS, 15).into_font().color(&BLACK),
                    )
                }))
                .map_err(fail)?;
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)
    }
}

impl MonitorChart {
    /// Draws into `area`: the title over the panels side by side.
    pub fn draw_in<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let area = area.titled(&short(&self.title, 90), (SANS, 22)).map_err(fail)?;
        let k = self.panels.len().max(1);
        let panels = area.split_evenly((1, k));
        for (panel, part) in self.panels.iter().zip(&panels) {
            panel.draw_in(part)?;
        }
        Ok(())
    }
}

impl Chart for MonitorChart {
    fn size(&self) -> (u32, u32) {
        (1200, 460)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        self.draw_in(root)
    }
}

/// A chart with the monitor below it when there is one; without one it is
/// the chart alone, drawn exactly as before.
pub struct WithMonitor<C> {
    /// The chart on top.
    pub chart: C,
    /// The monitor below, if observed counts were given.
    pub monitor: Option<MonitorChart>,
}

impl<C: Chart> WithMonitor<C> {
    /// The monitor's share of the height when there is one.
    fn monitor_height(chart_height: u32) -> u32 {
        chart_height * 460 / 700
    }
}

impl<C: Chart> Chart for WithMonitor<C> {
    fn size(&self) -> (u32, u32) {
        let (w, h) = self.chart.size();
        match self.monitor {
            Some(_) => (w, h + Self::monitor_height(h)),
            None => (w, h),
        }
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        match &self.monitor {
            None => self.chart.draw(root),
            Some(monitor) => {
                let (_, h) = root.dim_in_pixel();
                let top = h * 700 / (700 + 460);
                let (upper, lower) = root.split_vertically(top);
                self.chart.draw(&upper)?;
                monitor.draw_in(&lower)
            }
        }
    }
}
