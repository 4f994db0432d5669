//! The histogram of customers, ideal beside actual.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{AXIS_DESC, COLORS, Chart, GREY, SANS, TICK, fail, legend, short};

/// The distribution of customers over the trials, every SQL worked at once
/// (ideal) beside as followed up (actual).
pub struct CustomersChart {
    /// The title.
    pub title: String,
    /// Trials with `k` ideal customers, at index `k`.
    pub ideal: Vec<u64>,
    /// Trials with `k` actual customers, at index `k`.
    pub actual: Vec<u64>,
    /// The customer goal: the counts that reach it are shaded and the
    /// goal's own bar is marked.
    pub goal: Option<u64>,
    /// `P(customers >= goal)` as followed up, for the legend (exact when
    /// the report has it).
    pub goal_probability: Option<f64>,
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
            // Room above the bars for the legend and the goal's marker.
            * 1.45;
        let mut chart = ChartBuilder::on(area)
            .caption(short(&self.title, 60), (SANS, 20))
            .margin(10)
            .margin_right(30)
            .x_label_area_size(60)
            .y_label_area_size(90)
            .build_cartesian_2d(-0.5..k_max as f64 - 0.5, 0.0..y_max)
            .map_err(fail)?;
        chart
            .configure_mesh()
            .label_style((SANS, TICK))
            .axis_desc_style((SANS, AXIS_DESC))
            .x_desc("customers in one simulated campaign")
            .y_desc("share of simulated campaigns")
            .y_label_formatter(&|y| format!("{:.0} %", 100.0 * y))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(fail)?;
        let reached = RGBColor(44, 160, 44);
        if let Some(goal) = self.goal.filter(|g| (*g as usize) < k_max) {
            let label = match self.goal_probability {
                Some(p) => format!(
                    "goal reached: {goal} or more customers ({} of campaigns as followed up)",
                    super::legend_share(p)
                ),
                None => format!("goal reached: {goal} or more customers"),
            };
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(goal as f64 - 0.5, 0.0), (k_max as f64 - 0.5, y_max)],
                    reached.mix(0.12).filled(),
                )))
                .map_err(fail)?
                .label(label)
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], reached.mix(0.25).filled()));
        }
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
            // The goal's own bars, pointed at from above and named.
            let g = goal as f64;
            let height = [&self.ideal, &self.actual]
                .iter()
                .filter_map(|counts| counts.get(goal as usize))
                .map(|&c| c as f64 / trials)
                .fold(0.0, f64::max);
            use plotters::style::text_anchor::{HPos, Pos, VPos};
            let style = (SANS, 16).into_font().color(&BLACK);
            let at = height + 0.03 * y_max;
            chart
                .draw_series([
                    Text::new("▼".to_owned(), (g, at), style.pos(Pos::new(HPos::Center, VPos::Bottom))),
                    Text::new(
                        format!("goal: {goal}"),
                        (g, at + 0.06 * y_max),
                        style.pos(Pos::new(HPos::Center, VPos::Bottom)),
                    ),
                ])
                .map_err(fail)?;
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
