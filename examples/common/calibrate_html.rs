//! `calibrate --report FILE.html`: what a CRM export says about the value
//! of speed, as a page for a sales director (see [`super::html`]).

use std::path::Path;

use lead_decay::calibrate::{Calibration, ShapeWeight};

use super::charts::{ConversionChart, plain_duration};
use super::html::{Assumption, Figure, Page, Reproducibility};
use super::{grouped, percent};

/// One fitted segment of the export (the whole export without
/// `--by-segment`), with its conversion chart.
pub struct Part<'a> {
    /// The segment's name.
    pub name: &'a str,
    /// What was fitted.
    pub calibration: &'a Calibration,
    /// Conversion against delay with every fitted curve.
    pub chart: ConversionChart,
}

/// The whole run: the export, the inputs given, the scenario written.
pub struct Run<'a> {
    /// The CRM export read.
    pub input: &'a Path,
    /// The options of the run, with where each came from.
    pub options: Vec<Assumption>,
    /// The fitted scenario, as written (TOML).
    pub scenario: &'a str,
    /// Segments that could not be fitted: name, rows, reason.
    pub not_fitted: &'a [(String, u64, String)],
}

/// The shapes the data cannot rule out (weight at least
/// `calibrate::PLAUSIBLE_WEIGHT`), or the best alone.
fn plausible(c: &Calibration) -> Vec<&ShapeWeight> {
    let shapes = c.plausible_shapes();
    if shapes.is_empty() {
        c.shapes.iter().take(1).collect()
    } else {
        shapes
    }
}

/// `low to high`, or one value when they agree to the digits shown.
fn span(low: String, high: String) -> String {
    if low == high { low } else { format!("{low} to {high}") }
}

/// The verdict: what neglect and delay cost, over the plausible shapes.
pub fn verdict(c: &Calibration, currency: Option<&str>) -> String {
    let shapes = plausible(c);
    let money = |x: f64| super::money(x, currency);
    let fold = |f: &dyn Fn(&ShapeWeight) -> Option<f64>| {
        let values: Vec<f64> = shapes.iter().filter_map(|s| f(s)).collect();
        (!values.is_empty()).then(|| {
            (
                values.iter().copied().fold(f64::INFINITY, f64::min),
                values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            )
        })
    };
    let share = fold(&|s| (s.customers_ideal > 0.0).then(|| s.customers_lost / s.customers_ideal));
    let depending = if shapes.len() > 1 {
        ", depending on how leads cool"
    } else {
        ""
    };
    let cost = match (fold(&|s| s.revenue_lost), share) {
        (Some((lo, hi)), Some((a, b))) => format!(
            "neglect and slow follow-up cost an expected {} in revenue ({} of what they could bring){depending}",
            span(money(lo), money(hi)),
            span(percent(a), percent(b))
        ),
        (_, Some((a, b))) => format!(
            "neglect and slow follow-up cost {} of the customers they could bring{depending}",
            span(percent(a), percent(b))
        ),
        _ => "the loss to neglect and delay cannot be computed".to_owned(),
    };
    format!(
        "For {} SQLs, {cost}; worked at once, about {} of SQLs would close.",
        grouped(c.sqls as f64, 0),
        percent(c.decay.best().close_rate.value)
    )
}

fn figures(c: &Calibration, currency: Option<&str>) -> Vec<Figure> {
    let best = c.decay.best();
    let p = &best.close_rate;
    let mut out = vec![Figure::new(
        "close rate, worked at once",
        percent(p.value),
        if p.ci95_low.is_finite() {
            format!("95 % interval {} to {}", percent(p.ci95_low), percent(p.ci95_high))
        } else {
            "no interval: the data pin it at its bound".to_owned()
        },
    )];
    if let Some(delay) = c.follow_up.fits.first() {
        let q = &delay.never_followed_up;
        out.push(Figure::new(
            "never followed up",
            percent(q.value),
            format!(
                "of SQLs; 95 % interval {} to {}",
                percent(q.ci95_low),
                percent(q.ci95_high)
            ),
        ));
    }
    out.push(Figure::new(
        "first contact, observed",
        format!("{} median", plain_duration(c.follow_up.empirical_median_hours)),
        format!(
            "the median delay of the {} contacted SQLs",
            grouped(c.follow_up.contacted as f64, 0)
        ),
    ));
    let shapes = plausible(c);
    let names: Vec<String> = shapes
        .iter()
        .map(|s| format!("{} {}", s.shape.name(), percent(s.weight)))
        .collect();
    out.push(Figure::new(
        "how leads cool",
        shapes.first().map_or_else(String::new, |s| s.shape.name().to_owned()),
        if shapes.len() > 1 {
            format!("the data can't tell apart: {}", names.join(", "))
        } else {
            format!("{} of the evidence", names.join(", "))
        },
    ));
    if let Some(lost) = c.shapes.first().and_then(|s| s.revenue_lost) {
        out.push(Figure::new(
            "revenue lost (best shape)",
            super::money(lost, currency),
            format!("to neglect and delay, for {} SQLs", grouped(c.sqls as f64, 0)),
        ));
    }
    out
}

fn shape_rows(c: &Calibration, currency: Option<&str>) -> Vec<Vec<String>> {
    let fit_of = |s: &ShapeWeight| c.decay.fits.iter().find(|f| f.shape == s.shape);
    c.shapes
        .iter()
        .map(|s| {
            let fit = fit_of(s);
            vec![
                s.shape.name().to_owned(),
                percent(s.weight),
                grouped(s.delta_aic, 1),
                percent(s.close_rate),
                s.time_to_50_hours.map_or_else(|| "never".to_owned(), plain_duration),
                fit.and_then(|f| f.time_to_10.as_ref())
                    .map_or_else(|| "never".to_owned(), |t| plain_duration(t.value)),
                grouped(s.customers_lost, 1),
                s.revenue_lost
                    .map_or_else(|| "-".to_owned(), |r| super::money(r, currency)),
            ]
        })
        .collect()
}

fn bin_rows(c: &Calibration) -> Vec<Vec<String>> {
    c.decay
        .bins
        .iter()
        .map(|b| {
            vec![
                format!("{} to {}", plain_duration(b.from_hours), plain_duration(b.to_hours)),
                plain_duration(b.mean_hours),
                grouped(b.sqls as f64, 0),
                grouped(b.won as f64, 0),
                percent(b.rate),
                format!("{} to {}", percent(b.ci95_low), percent(b.ci95_high)),
            ]
        })
        .collect()
}

/// Writes the page of a calibration to `out`.
pub fn write(out: &Path, run: &Run, parts: &[Part], currency: Option<&str>) -> Result<(), String> {
    let first = parts.first().ok_or("no segment could be fitted: nothing to report")?;
    let file = run
        .input
        .file_name()
        .map_or_else(|| run.input.display().to_string(), |n| n.to_string_lossy().into_owned());
    let mut page = Page::new(
        "lead-decay · what the CRM export says",
        &format!("What slow follow-up cost, from {}", super::charts::short(&file, 60)),
        &verdict(first.calibration, currency),
    );
    for part in parts {
        let c = part.calibration;
        if parts.len() > 1 {
            page.heading(&format!("Segment {}", super::charts::short(part.name, 60)));
        } else {
            page.heading("Key figures");
        }
        page.figures(&figures(c, currency));
        if parts.len() > 1 {
            page.note(&verdict(c, currency));
        }
        page.heading("What the data say");
        // The library's plain-words summary; its first line is a heading.
        for line in c.summary().iter().skip(1) {
            page.note(line.trim());
        }
        page.heading("Conversion against response delay");
        page.chart_at(
            &part.chart,
            (960, 620),
            "Each dot is the share of contacted SQLs won among those first contacted after about that delay \
             (the bin's mean delay; the thin line spans the delays the bin holds), with its 95 % interval; \
             each curve is a fitted decay shape, the boldest the best by AIC. The time axis is logarithmic.",
        )?;
        page.heading("Decay shapes, best first");
        page.table(
            &[
                "shape",
                "weight of evidence",
                "ΔAIC",
                "close rate",
                "half gone after",
                "90 % gone after",
                "customers lost",
                "revenue lost",
            ],
            &shape_rows(c, currency),
        );
        page.note(
            "Weight of evidence: the probability, given the data, that a shape is the best of those fitted \
             (Akaike weight); a ΔAIC under 2 is no real evidence against a shape. Losses are expected values \
             for the SQLs of the fitted scenario.",
        );
        page.heading("Conversion by delay");
        page.table(
            &[
                "delay to first contact",
                "mean delay",
                "SQLs decided",
                "won",
                "won share",
                "95 % interval",
            ],
            &bin_rows(c),
        );
    }
    for (name, rows, reason) in run.not_fitted {
        page.note(&format!(
            "Segment {name} ({} rows) was not fitted: {reason}",
            grouped(*rows as f64, 0)
        ));
    }
    page.heading("The fitted scenario");
    // The fit's uncertainty (one weighted alternative curve per draw) runs
    // to pages of TOML: the page shows the scenario and counts the rest.
    match run.scenario.find("\n[[joint]]") {
        Some(at) => {
            page.preformatted(run.scenario[..at].trim_end());
            page.note(&format!(
                "The file goes on with the uncertainty of the fit: {} alternative decay curves and close rates, \
                 each weighted by how plausible the data make it (its joint sections). --out FILE.toml writes \
                 the whole file; simulate runs it.",
                grouped(run.scenario.matches("[[joint.alternatives]]").count() as f64, 0)
            ));
        }
        None => {
            page.preformatted(run.scenario);
        }
    }
    page.heading("Assumptions");
    page.assumptions(&run.options);
    let footer = Reproducibility {
        scenario: Reproducibility::scenario_of(Some(run.input), "")?,
        seed: None,
        trials: None,
        engine: "maximum likelihood fits (no sampling)".to_owned(),
        command: Reproducibility::command_line(),
    };
    page.write(out, &footer)
}
