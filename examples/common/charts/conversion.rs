//! Conversion against response delay, with the fitted curves (`calibrate`).

use lead_decay::DecayCurve;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::{COLORS, Chart, LEGEND_NAME, SANS, TimeUnit, fail, legend, short};

/// One fitted decay curve for [`ConversionChart`]: `P(won | D) = p f(D)`.
pub struct FittedCurve {
    /// The shape's name (and "best" when AIC picked it).
    pub name: String,
    /// The fitted close rate `p`.
    pub close_rate: f64,
    /// The fitted curve `f`.
    pub curve: DecayCurve,
}

/// One delay bin of a CRM export: its conversion with a 95 % interval.
pub struct ConversionBin {
    /// Mean delay of the bin, hours.
    pub mean_hours: f64,
    /// Won share of the decided SQLs in the bin.
    pub rate: f64,
    /// Wilson 95 % interval of the rate.
    pub ci95: (f64, f64),
}

/// Conversion against response delay as a CRM export shows it (binned, with
/// Wilson intervals), beside every fitted `p f(t)`: the evidence behind a
/// calibrated decay curve.
pub struct ConversionChart {
    /// The title.
    pub title: String,
    /// The bins, in increasing delay.
    pub bins: Vec<ConversionBin>,
    /// The fitted curves; the first is drawn boldest.
    pub fits: Vec<FittedCurve>,
}

impl Chart for ConversionChart {
    fn size(&self) -> (u32, u32) {
        (1200, 750)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let t_max = self.bins.iter().map(|b| b.mean_hours).fold(0.0, f64::max).max(1e-6) * 1.05;
        let unit = TimeUnit::for_span(t_max);
        let y_max = self
            .bins
            .iter()
            .map(|b| b.ci95.1)
            .chain(self.fits.iter().map(|f| f.close_rate))
            .fold(0.0, f64::max)
            .max(1e-6)
            * 1.1;
        let mut chart = ChartBuilder::on(root)
            .caption(short(&self.title, 90), (SANS, 22))
            .margin(10)
            .margin_right(30)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..t_max / unit.hours, 0.0..y_max)
            .map_err(fail)?;
        chart
            .configure_mesh()
            .x_desc(format!("delay to first contact ({})", unit.name))
            .y_desc("share of contacted SQLs won")
            .y_label_formatter(&|y| format!("{:.0} %", 100.0 * y))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(fail)?;
        let steps = 400;
        for (i, fit) in self.fits.iter().enumerate() {
            let color = COLORS[(i + 1) % COLORS.len()];
            let width = if i == 0 { 4 } else { 2 };
            let points = (0..=steps).map(|k| {
                let t = t_max * f64::from(k) / f64::from(steps);
                (t / unit.hours, fit.close_rate * fit.curve.evaluate(t))
            });
            chart
                .draw_series(LineSeries::new(points, color.stroke_width(width)))
                .map_err(fail)?
                .label(format!("fit: {}", short(&fit.name, LEGEND_NAME)))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(width)));
        }
        let black = BLACK;
        chart
            .draw_series(self.bins.iter().map(|b| {
                let x = b.mean_hours / unit.hours;
                PathElement::new(vec![(x, b.ci95.0), (x, b.ci95.1)], black.stroke_width(2))
            }))
            .map_err(fail)?
            .label("observed: binned, with Wilson 95 % intervals")
            .legend(move |(x, y)| Circle::new((x + 10, y), 4, black.filled()));
        chart
            .draw_series(
                self.bins
                    .iter()
                    .map(|b| Circle::new((b.mean_hours / unit.hours, b.rate), 4, black.filled())),
            )
            .map_err(fail)?;
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        Ok(())
    }
}
