//! Conversion against response delay, with the fitted curves (`calibrate`).

use lead_decay::DecayCurve;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::decay::ROUND_TIMES;
use super::{AXIS_DESC, COLORS, Chart, LEGEND_NAME, SANS, TICK, Ticked, fail, legend, short};

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
    /// Shortest delay in the bin, hours.
    pub from_hours: f64,
    /// Longest delay in the bin, hours.
    pub to_hours: f64,
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
///
/// The time axis is logarithmic, with ticks at round times (15 min, 1 h,
/// 1 d, 1 w), and runs from the shortest delay of the first bin to the
/// longest of the last: delays spread over minutes to weeks, and on a
/// linear axis the first bins crowd into a corner while the last bin's mean
/// (say 62 h) hides that its delays run to two weeks, and with them where a
/// step fit drops. Each bin's dot sits at its mean delay; a thin line under
/// it spans the delays it holds.
pub struct ConversionChart {
    /// The title.
    pub title: String,
    /// The bins, in increasing delay.
    pub bins: Vec<ConversionBin>,
    /// The fitted curves; the first is drawn boldest.
    pub fits: Vec<FittedCurve>,
}

impl ConversionChart {
    /// The axis, in log10 of hours: from the first bin's shortest delay to
    /// the last bin's longest, a little wider, and never under 1 minute.
    fn time_range(&self) -> (f64, f64) {
        let minute = 1.0 / 60.0;
        let shortest = self
            .bins
            .iter()
            .flat_map(|b| [b.from_hours, b.mean_hours])
            .filter(|h| *h > 0.0)
            .fold(f64::INFINITY, f64::min);
        let longest = self
            .bins
            .iter()
            .flat_map(|b| [b.to_hours, b.mean_hours])
            .fold(0.0, f64::max);
        let lo = if shortest.is_finite() {
            (shortest / 1.5).max(minute)
        } else {
            minute
        };
        let hi = (longest * 1.3).max(lo * 10.0);
        (lo.log10(), hi.log10())
    }
}

impl Chart for ConversionChart {
    fn size(&self) -> (u32, u32) {
        (1200, 750)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let (lo, hi) = self.time_range();
        let ticks: Vec<f64> = ROUND_TIMES
            .iter()
            .map(|(h, _)| h.log10())
            .filter(|x| *x >= lo - 1e-9 && *x <= hi + 1e-9)
            .collect();
        let label = |x: &f64| {
            ROUND_TIMES
                .iter()
                .find(|(h, _)| (h.log10() - x).abs() < 1e-6)
                .map_or_else(String::new, |(_, l)| (*l).to_owned())
        };
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
            .x_label_area_size(60)
            .y_label_area_size(90)
            .build_cartesian_2d(Ticked::new(lo, hi, ticks), 0.0..y_max)
            .map_err(fail)?;
        chart
            .configure_mesh()
            .x_desc("delay to first contact (log scale)")
            .y_desc("share of contacted SQLs won")
            .x_label_formatter(&label)
            .y_label_formatter(&|y| format!("{:.0} %", 100.0 * y))
            .label_style((SANS, TICK))
            .axis_desc_style((SANS, AXIS_DESC))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(fail)?;
        let steps = 600;
        for (i, fit) in self.fits.iter().enumerate() {
            let color = COLORS[(i + 1) % COLORS.len()];
            let width = if i == 0 { 4 } else { 2 };
            let points = (0..=steps).map(|k| {
                let x = lo + (hi - lo) * f64::from(k) / f64::from(steps);
                (x, fit.close_rate * fit.curve.evaluate(10f64.powf(x)))
            });
            chart
                .draw_series(LineSeries::new(points, color.stroke_width(width)))
                .map_err(fail)?
                .label(format!("fit: {}", short(&fit.name, LEGEND_NAME)))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(width)));
        }
        let x_of = |hours: f64| hours.max(10f64.powf(lo)).log10();
        let span = RGBColor(90, 90, 90);
        chart
            .draw_series(self.bins.iter().map(|b| {
                PathElement::new(
                    vec![(x_of(b.from_hours), b.rate), (x_of(b.to_hours), b.rate)],
                    span.stroke_width(1),
                )
            }))
            .map_err(fail)?
            .label("the delays each bin holds")
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], span.stroke_width(1)));
        let black = BLACK;
        chart
            .draw_series(self.bins.iter().map(|b| {
                let x = x_of(b.mean_hours);
                PathElement::new(vec![(x, b.ci95.0), (x, b.ci95.1)], black.stroke_width(2))
            }))
            .map_err(fail)?
            .label("observed: won share at the bin's mean delay, Wilson 95 % interval")
            .legend(move |(x, y)| Circle::new((x + 10, y), 4, black.filled()));
        chart
            .draw_series(
                self.bins
                    .iter()
                    .map(|b| Circle::new((x_of(b.mean_hours), b.rate), 4, black.filled())),
            )
            .map_err(fail)?;
        legend(&mut chart, SeriesLabelPosition::LowerLeft)?;
        Ok(())
    }
}
