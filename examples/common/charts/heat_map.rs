//! Where the loss happens: a heat map of the share of value lost by day of
//! the week and hour of arrival, one panel per segment on business hours,
//! with the team's working hours framed and the revenue lost per day.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use lead_decay::Calendar;
use lead_decay::exact::arrival_loss::{ArrivalLoss, DAYS};

use super::{AXIS_DESC, Chart, GREY, SANS, TICK, fail, short};

/// One segment's panel.
pub struct HeatMapPanel {
    /// The segment's loss by hour of arrival.
    pub loss: ArrivalLoss,
    /// The team's calendar: hours it works are framed.
    pub calendar: Calendar,
}

/// The heat maps of a scenario's segments on business hours.
pub struct HeatMapChart {
    /// The scenario's name.
    pub scenario: String,
    /// The currency label of money.
    pub currency: Option<String>,
    /// One panel per segment.
    pub panels: Vec<HeatMapPanel>,
    /// Whether each panel ends with its worst window's sentence (a page
    /// that prints the sentence in its own text leaves it out).
    pub worst_window_line: bool,
}

const PANEL_HEIGHT: u32 = 520;

impl Chart for HeatMapChart {
    fn size(&self) -> (u32, u32) {
        (1500, 60 + PANEL_HEIGHT * self.panels.len().max(1) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let (title, rest) = root.split_vertically(60);
        title
            .draw(&Text::new(
                format!(
                    "{}: share of an SQL's value lost, by when it arrives (local time)",
                    self.scenario
                ),
                (20, 18),
                (SANS, 24).into_font().color(&BLACK),
            ))
            .map_err(fail)?;
        let panels = rest.split_evenly((self.panels.len().max(1), 1));
        for (panel, area) in self.panels.iter().zip(&panels) {
            self.draw_panel(panel, area)?;
        }
        Ok(())
    }
}

/// White through orange to dark red as the share lost goes from 0 to 1.
fn heat(share: f64) -> RGBColor {
    const STOPS: [(f64, (f64, f64, f64)); 5] = [
        (0.0, (255.0, 250.0, 240.0)),
        (0.25, (253.0, 204.0, 138.0)),
        (0.5, (252.0, 141.0, 89.0)),
        (0.75, (215.0, 48.0, 31.0)),
        (1.0, (127.0, 0.0, 0.0)),
    ];
    let x = share.clamp(0.0, 1.0);
    let i = STOPS
        .iter()
        .rposition(|(at, _)| *at <= x)
        .unwrap_or(0)
        .min(STOPS.len() - 2);
    let ((a, ca), (b, cb)) = (STOPS[i], STOPS[i + 1]);
    let t = (x - a) / (b - a);
    let mix = |u: f64, v: f64| (u + t * (v - u)).round() as u8;
    RGBColor(mix(ca.0, cb.0), mix(ca.1, cb.1), mix(ca.2, cb.2))
}

impl HeatMapChart {
    fn draw_panel<DB: DrawingBackend>(
        &self,
        panel: &HeatMapPanel,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(), String> {
        let loss = &panel.loss;
        let sentence = match loss.worst_window() {
            Some(window) => format!("{window}."),
            None => "The share lost does not depend on when SQLs arrive.".to_owned(),
        };
        // The caption above and the worst window's sentence below run
        // across the whole panel: the map alone is too narrow for them.
        let (width, height) = area.dim_in_pixel();
        let (head, rest) = area.split_vertically(36);
        let (body, foot) = rest.split_vertically(height.saturating_sub(36 + 34));
        let at = |text: String, size: u32, on: &DrawingArea<DB, Shift>| {
            on.draw(&Text::new(text, (20, 8), (SANS, size).into_font().color(&BLACK)))
                .map_err(fail)
        };
        at(
            format!(
                "{}: % of its value an SQL loses, by day and hour of arrival ({} overall); framed: the team at work",
                short(&loss.segment, 40),
                pct(loss.loss_share())
            ),
            20,
            &head,
        )?;
        if self.worst_window_line {
            at(sentence, 17, &foot)?;
        }
        let (map_area, side) = body.split_horizontally(width.saturating_sub(300));
        let mut chart = ChartBuilder::on(&map_area)
            .margin(10)
            .margin_top(36)
            .margin_left(20)
            .x_label_area_size(60)
            .y_label_area_size(110)
            .build_cartesian_2d(0.0..24.0, -0.5..6.5)
            .map_err(fail)?;
        // Row `6 − day` holds the day (Monday on top), centred on the integer.
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(13)
            .x_label_formatter(&|x: &f64| format!("{:02}:00", x.round() as i64))
            .x_desc("hour of arrival (local time)")
            .axis_desc_style((SANS, AXIS_DESC))
            .y_labels(7)
            .y_label_formatter(&|y: &f64| {
                let row = y.round();
                if (y - row).abs() < 1e-6 && (0.0..=6.0).contains(&row) {
                    DAYS[6 - row as usize].to_owned()
                } else {
                    String::new()
                }
            })
            .label_style((SANS, TICK))
            .draw()
            .map_err(fail)?;
        for slot in &loss.hours {
            let (x, y) = (f64::from(slot.hour), 5.5 - f64::from(slot.day));
            let (fill, label, ink) = match slot.loss_share() {
                Some(share) => (
                    heat(share),
                    format!("{:.0}", 100.0 * share),
                    if share > 0.55 { WHITE } else { BLACK },
                ),
                None => (RGBColor(235, 235, 235), "-".to_owned(), GREY),
            };
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x, y), (x + 1.0, y + 1.0)],
                    fill.filled(),
                )))
                .map_err(fail)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    label,
                    (x + 0.5, y + 0.5),
                    (SANS, 15)
                        .into_font()
                        .color(&ink)
                        .pos(Pos::new(HPos::Center, VPos::Center)),
                )))
                .map_err(fail)?;
        }
        // Frame each run of hours in which the team works.
        for day in 0..7u8 {
            let y = 5.5 - f64::from(day);
            let mut hour = 0;
            while hour < 24 {
                let at_work = |h: usize| {
                    let t = 24.0 * f64::from(day) + h as f64;
                    panel.calendar.working_hours_between(t, t + 1.0) > 0.0
                };
                if at_work(hour) {
                    let start = hour;
                    while hour < 24 && at_work(hour) {
                        hour += 1;
                    }
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(start as f64, y + 0.04), (hour as f64, y + 0.96)],
                            ShapeStyle::from(&RGBColor(20, 60, 160)).stroke_width(3),
                        )))
                        .map_err(fail)?;
                } else {
                    hour += 1;
                }
            }
        }
        // Revenue lost per day of arrival, beside the map.
        let money = |x: f64| match &self.currency {
            Some(c) => format!("{} {c}", super::super::grouped(x, 0)),
            None => super::super::grouped(x, 0),
        };
        let plot = chart.plotting_area();
        // Pixel rows of the map, relative to the side area.
        let base = side.get_base_pixel().1;
        let rows = plot.get_pixel_range().1;
        let (top, bottom) = (rows.start - base, rows.end - base);
        let row = (bottom - top) as f64 / 7.0;
        let header_y = top - 28;
        side.draw(&Text::new(
            "revenue lost, by day of arrival",
            (34, header_y + 10),
            (SANS, 16).into_font().color(&BLACK),
        ))
        .map_err(fail)?;
        for day in 0..7usize {
            let lost: f64 = loss.hours[24 * day..24 * (day + 1)]
                .iter()
                .map(|h| h.revenue_lost)
                .sum();
            let share = if loss.revenue_lost > 0.0 {
                lost / loss.revenue_lost
            } else {
                0.0
            };
            let y = top + (row * (day as f64 + 0.5)) as i32 + 10;
            side.draw(&Text::new(
                format!("{} ({})", money(lost), pct(share)),
                (34, y),
                (SANS, 17)
                    .into_font()
                    .color(&BLACK)
                    .pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(fail)?;
        }
        side.draw(&Text::new(
            format!("week: {}", money(loss.revenue_lost)),
            (34, bottom + 20),
            (SANS, 17).into_font().color(&BLACK),
        ))
        .map_err(fail)?;
        Ok(())
    }
}

fn pct(x: f64) -> String {
    format!("{:.0} %", 100.0 * x)
}
