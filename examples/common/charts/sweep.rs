//! A sweep of one input (or a capacity run per week): expected values with
//! their 90 % bands.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{AXIS_DESC, COLORS, Chart, LEGEND_NAME, SANS, TICK, Ticked, fail, legend, round_ticks, short};

/// The ticks of a log axis of durations, in hours: 1, 5 and 15 minutes,
/// 1 and 4 hours, 1 and 3 days, 1 week, 30 and 90 days.
const LOG_TICKS: [f64; 10] = [1.0 / 60.0, 5.0 / 60.0, 0.25, 1.0, 4.0, 24.0, 72.0, 168.0, 720.0, 2160.0];

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
    /// With uncertain inputs: the 5th and 95th percentiles over the inputs
    /// of the expected customers, revenue lost and ROI lost.
    pub inputs: Option<InputBand>,
}

/// The bands of the expectations over the uncertain inputs at one point.
#[derive(Debug, Clone, Copy)]
pub struct InputBand {
    /// Expected customers: 5th and 95th percentile over the inputs.
    pub customers: (f64, f64),
    /// Expected revenue lost: 5th and 95th percentile over the inputs.
    pub revenue_lost: (f64, f64),
    /// Expected ROI lost, with a marketing spend.
    pub roi_lost: Option<(f64, f64)>,
}

/// A vertical marker on every panel: today's setting.
#[derive(Debug, Clone)]
pub struct Marker {
    /// Where, in the axis unit (log10 of the unit on a log axis).
    pub x: f64,
    /// Its label (`today: 2d`).
    pub label: String,
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
    /// Whether `x` holds log10 of the value (a log axis), with this
    /// formatter for its labels.
    pub log_x: Option<fn(f64) -> String>,
    /// Today's setting, marked on every panel.
    pub today: Option<Marker>,
    /// The customer goal, marked on the customers panel.
    pub goal: Option<f64>,
    /// What the line is: `expected` (exact), or `mean of the runs` where
    /// the model has no exact expectation (the capacity queue).
    pub central: &'static str,
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
        inputs: impl Fn(&SweepPoint) -> Option<(f64, f64)>,
        percent: bool,
        x_desc: bool,
        goal: Option<f64>,
    ) -> Result<(), String> {
        let x_lo = self.points.first().map_or(0.0, |p| p.x);
        let x_hi = self.points.last().map_or(1.0, |p| p.x);
        let x_hi = if x_hi > x_lo { x_hi } else { x_lo + 1.0 };
        let y_hi = self
            .points
            .iter()
            .flat_map(|p| [mean(p), band(p).1, inputs(p).map_or(f64::NAN, |b| b.1)])
            .chain(goal)
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let y_lo = self
            .points
            .iter()
            .flat_map(|p| [mean(p), band(p).0, inputs(p).map_or(f64::NAN, |b| b.0)])
            .filter(|v| v.is_finite())
            .fold(0.0, f64::min);
        // Bands over the inputs and markers lengthen the legend: give it room
        // above the curves.
        let crowded = self.today.is_some() || goal.is_some() || self.points.iter().any(|p| inputs(p).is_some());
        let headroom = if crowded { 1.6 } else { 1.1 };
        let y_hi = if y_hi > y_lo { y_hi * headroom } else { y_lo + 1.0 };
        // A log axis has its ticks (and its labels) at round durations only.
        let ticks: Vec<f64> = LOG_TICKS
            .iter()
            .map(|h: &f64| h.log10())
            .filter(|x| (x_lo..=x_hi).contains(x))
            .collect();
        let mut builder = ChartBuilder::on(area);
        if let Some(caption) = caption {
            builder.caption(short(caption, 90), (SANS, 22));
        }
        // Whole numbers (team sizes, weeks) get whole-number ticks only.
        let whole = self.points.iter().all(|p| p.x.fract() == 0.0);
        let x_ticks = if self.log_x.is_some() {
            ticks
        } else {
            round_ticks(x_lo, x_hi, whole)
        };
        let x_axis = Ticked::new(x_lo, x_hi, x_ticks);
        let mut chart = builder
            .margin(10)
            .margin_right(30)
            .x_label_area_size(if x_desc { 60 } else { 34 })
            .y_label_area_size(125)
            .build_cartesian_2d(x_axis, y_lo..y_hi)
            .map_err(fail)?;
        let mut mesh = chart.configure_mesh();
        let fmt_x = |x: &f64| {
            if let Some(label) = self.log_x {
                label(*x)
            } else if whole {
                format!("{x:.0}")
            } else {
                super::super::grouped(*x, decimals_of_step(x_hi - x_lo))
            }
        };
        // Labels at reading size when the chart is scaled to a page column.
        mesh.y_desc(y_desc)
            .label_style((SANS, TICK))
            .axis_desc_style((SANS, AXIS_DESC))
            .light_line_style(WHITE.mix(0.0))
            .x_label_formatter(&fmt_x);
        let fmt_money = |y: &f64| super::super::grouped(*y, 0);
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
            .label(format!("{}: 90 % of trials (p05 to p95)", short(name, LEGEND_NAME)))
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], color.mix(0.2).filled()));
        if self.points.iter().all(|p| inputs(p).is_some()) {
            let band_of = |p: &SweepPoint| inputs(p).unwrap_or((f64::NAN, f64::NAN));
            let mut polygon: Vec<(f64, f64)> = self.points.iter().map(|p| (p.x, band_of(p).1)).collect();
            polygon.extend(self.points.iter().rev().map(|p| (p.x, band_of(p).0)));
            chart
                .draw_series(std::iter::once(Polygon::new(polygon, color.mix(0.45).filled())))
                .map_err(fail)?
                .label(format!("{name}: expected, 90 % of the uncertain inputs"))
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], color.mix(0.45).filled()));
        }
        chart
            .draw_series(LineSeries::new(
                self.points.iter().map(|p| (p.x, mean(p))),
                color.stroke_width(3),
            ))
            .map_err(fail)?
            .label(format!("{}: {}", short(name, LEGEND_NAME), self.central))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(3)));
        chart
            .draw_series(
                self.points
                    .iter()
                    .map(|p| Circle::new((p.x, mean(p)), 4, color.filled())),
            )
            .map_err(fail)?;
        if let Some(goal) = goal {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(x_lo, goal), (x_hi, goal)],
                    BLACK.stroke_width(2),
                )))
                .map_err(fail)?
                .label(format!("goal: {} customers", super::super::grouped(goal, 0)))
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(2)));
        }
        if let Some(today) = &self.today {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(today.x, y_lo), (today.x, y_hi)],
                    super::GREY.stroke_width(3),
                )))
                .map_err(fail)?
                .label(today.label.as_str())
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], super::GREY.stroke_width(3)));
        }
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

/// Decimals that show a tick step of a range `span` wide.
fn decimals_of_step(span: f64) -> usize {
    if span >= 10.0 {
        0
    } else if span >= 1.0 {
        1
    } else {
        2
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
            |p| p.inputs.map(|b| b.revenue_lost),
            false,
            false,
            None,
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
                |p| p.inputs.and_then(|b| b.roi_lost).map(|(a, b)| (100.0 * a, 100.0 * b)),
                true,
                false,
                None,
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
            |p| p.inputs.map(|b| b.customers),
            true,
            true,
            self.goal,
        )
    }
}

impl SweepChart {
    /// Customers and revenue lost per week of arrival of a capacity run,
    /// each with its 5th to 95th percentile band over the trials (a fan
    /// chart): how the team's backlog plays out over the horizon. Weeks
    /// inside the warm-up (`warm_up_hours`) are not counted, and the axis
    /// says so. `path` only names the chart in the error when no week can
    /// be drawn.
    pub fn per_week(
        scenario: &lead_decay::Scenario,
        report: &lead_decay::capacity::CapacityReport,
        warm_up_hours: f64,
        path: &std::path::Path,
    ) -> Result<SweepChart, String> {
        // Weeks inside the warm-up count nothing: leave them out.
        let weeks: Vec<_> = report
            .weekly
            .iter()
            .filter(|w| w.customers.max > 0.0 || w.revenue_lost.max > 0.0 || w.customers.mean > 0.0)
            .collect();
        if weeks.is_empty() {
            return Err(format!(
                "{}: no week to draw: no SQL arrived after the warm-up",
                path.display()
            ));
        }
        let weeks_warm = warm_up_hours / lead_decay::calendar::WEEK_HOURS;
        let x_desc = if warm_up_hours.is_nan() || warm_up_hours <= 0.0 {
            "week of arrival".to_owned()
        } else if weeks_warm == 1.0 {
            "week of arrival (week 1 is the warm-up: its SQLs fill the queue and are not counted)".to_owned()
        } else if weeks_warm.fract() == 0.0 {
            format!(
                "week of arrival (weeks 1 to {weeks_warm} are the warm-up: their SQLs fill the queue and are not counted)"
            )
        } else {
            format!(
                "week of arrival (the first {} days are the warm-up: SQLs arriving then fill the queue and are not counted)",
                super::super::grouped(warm_up_hours / 24.0, 1)
            )
        };
        Ok(SweepChart {
            title: format!(
                "{}: {} reps, per week of arrival",
                short(scenario.name(), 50),
                report.reps
            ),
            x_desc,
            currency: scenario.currency().unwrap_or("").to_owned(),
            points: weeks
                .iter()
                .map(|w| SweepPoint {
                    x: w.week as f64 + 1.0,
                    customers: w.customers.mean,
                    customers_band: (w.customers.p05, w.customers.p95),
                    revenue_lost: w.revenue_lost.mean,
                    revenue_lost_band: (w.revenue_lost.p05, w.revenue_lost.p95),
                    roi_lost: None,
                    roi_lost_band: None,
                    inputs: None,
                })
                .collect(),
            log_x: None,
            today: None,
            goal: None,
            central: "mean of the runs",
        })
    }
}
