//! The histogram of customers, ideal beside actual.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{COLORS, Chart, GREY, SANS, fail, legend, short};

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
            .caption(short(&self.title, 60), (SANS, 20))
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
