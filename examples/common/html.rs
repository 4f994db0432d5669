//! The one-file HTML report the examples write with `--report FILE.html`:
//! what an analyst sends a sales director.
//!
//! One self-contained page: the verdict in one sentence at the top, the
//! key figures, the charts as inline SVG, the assumptions (every input with
//! its unit and where it came from) and a reproducibility footer. No
//! script, no font, no image is fetched from anywhere: a
//! Content-Security-Policy forbids every remote load, and the CSS is
//! inline. Printed (A4 or Letter), no chart or figure is split across pages.
//!
//! Each example builds a [`Page`] from the blocks here ([`Page::figures`],
//! [`Page::chart`], [`Page::table`], [`Page::note`]) and writes it with
//! [`Page::write`]; a later example adds its own sections the same way.

use std::fmt::Write as _;
use std::path::Path;

use plotters::prelude::*;

use super::charts::{Chart, fail, register_font};

/// The page's Content-Security-Policy: nothing may be loaded, run or sent
/// (inline styles and inline SVG need no load).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
     font-src 'none'; script-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'";

/// Print-friendly styles: A4 and Letter both fit a 180 mm column; charts,
/// tables' rows and figure boxes never break across pages. The verdict's
/// colour (#0b3d91) and the charts' frame (#c5d3e8) are used nowhere else:
/// the browser test finds them in a screenshot.
const CSS: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #1d1d1f; background: #fff;
       margin: 0 auto; max-width: 60rem; padding: 1.5rem 2rem 3rem; line-height: 1.45; }
header { border-bottom: 3px solid #1f77b4; padding-bottom: 0.8rem; margin-bottom: 1.2rem; }
header .kind { font-size: 0.85rem; color: #555; text-transform: uppercase; letter-spacing: 0.05em; margin: 0; }
h1 { font-size: 1.6rem; margin: 0.2rem 0 0.6rem; }
p.verdict { font-size: 1.2rem; font-weight: 600; margin: 0; color: #0b3d91; }
h2 { font-size: 1.2rem; margin: 2rem 0 0.6rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem;
     break-after: avoid; page-break-after: avoid; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: 0.7rem; }
.figure { border: 1px solid #d0d7de; border-radius: 6px; padding: 0.6rem 0.8rem;
          break-inside: avoid; page-break-inside: avoid; }
.figure .label { font-size: 0.8rem; color: #555; }
.figure .value { font-size: 1.35rem; font-weight: 700; }
.figure .detail { font-size: 0.8rem; color: #444; }
figure.chart { margin: 1rem 0; padding: 0.4rem; border: 2px solid #c5d3e8; border-radius: 0;
               break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { width: 100%; height: auto; display: block; max-height: 230mm; }
figure.chart figcaption { font-size: 0.85rem; color: #444; margin-top: 0.3rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.85rem; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #e5e5e5; vertical-align: top; }
th { background: #f4f6f8; }
td.number { text-align: right; white-space: nowrap; }
th.number { text-align: right; }
table.wide { font-size: 0.72rem; }
table.wide th, table.wide td { padding: 0.25rem 0.3rem; }
table.wide td.number { white-space: normal; }
tr { break-inside: avoid; page-break-inside: avoid; }
p.note { font-size: 0.85rem; color: #444; }
pre { font-size: 0.8rem; background: #f6f8fa; border: 1px solid #e1e4e8; padding: 0.6rem 0.8rem;
      white-space: pre-wrap; overflow-wrap: anywhere; }
footer { margin-top: 2.5rem; border-top: 1px solid #ccc; padding-top: 0.6rem; font-size: 0.75rem; color: #555;
         break-inside: avoid; page-break-inside: avoid; }
footer dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 1rem; margin: 0; }
footer dt { font-weight: 600; }
footer dd { margin: 0; overflow-wrap: anywhere; }
@page { margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  /* A chart drawn 960 pixels wide fills the 180 mm column: 18-pixel tick
     labels print at about 9.5 pt; a tall one (the sweep's three panels)
     stays above 7.5 pt and one chart with its heading fits a page. */
  figure.chart svg { max-height: 150mm; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One key figure: a label, the value, and a line that explains it.
pub struct Figure {
    /// What it is: `customers lost`.
    pub label: String,
    /// The number with its unit: `1.25 of 10.00`.
    pub value: String,
    /// One line of context: `12.5 %, all never followed up`.
    pub detail: String,
}

impl Figure {
    /// A figure.
    pub fn new(label: impl Into<String>, value: impl Into<String>, detail: impl Into<String>) -> Figure {
        Figure {
            label: label.into(),
            value: value.into(),
            detail: detail.into(),
        }
    }
}

/// One input of the analysis, for the assumptions table.
pub struct Assumption {
    /// What the input is: `close rate` (with the segment when there are several).
    pub input: String,
    /// Its value as given: `25 %`.
    pub value: String,
    /// Its unit: `share of SQLs`, `USD`, `hours`.
    pub unit: String,
    /// Where it came from: `scenario file (segments[0].close_rate)`, `default`.
    pub source: String,
}

impl Assumption {
    /// An assumption row.
    pub fn new(
        input: impl Into<String>,
        value: impl Into<String>,
        unit: impl Into<String>,
        source: impl Into<String>,
    ) -> Assumption {
        Assumption {
            input: input.into(),
            value: value.into(),
            unit: unit.into(),
            source: source.into(),
        }
    }
}

/// What makes the report reproducible: printed in the footer.
pub struct Reproducibility {
    /// The scenario: a file (with its SHA-256) or a built-in case.
    pub scenario: String,
    /// The seed, when the figures are Monte Carlo.
    pub seed: Option<u64>,
    /// Trials, when the figures are Monte Carlo.
    pub trials: Option<u64>,
    /// The engine (`collapsed`, `capacity queue`, `exact, no sampling`).
    pub engine: String,
    /// The command that reproduces the report.
    pub command: String,
}

impl Reproducibility {
    /// `path` and the SHA-256 of its bytes, or `built` for a built-in
    /// scenario.
    pub fn scenario_of(path: Option<&Path>, built: &str) -> Result<String, String> {
        match path {
            Some(path) => {
                let bytes = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
                Ok(format!(
                    "{} (SHA-256 {})",
                    path.display(),
                    super::sha256::hex_digest(&bytes)
                ))
            }
            None => Ok(built.to_owned()),
        }
    }

    /// The command that runs this example again with the same arguments.
    pub fn command_line() -> String {
        let mut args = std::env::args();
        let program = args
            .next()
            .and_then(|p| Path::new(&p).file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_default();
        std::iter::once(format!("cargo run --release --example {program} --"))
            .chain(args.map(|a| {
                if a.is_empty() || a.contains(char::is_whitespace) {
                    format!("'{a}'")
                } else {
                    a
                }
            }))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// An HTML page under construction.
pub struct Page {
    kind: String,
    title: String,
    verdict: String,
    body: String,
    charts: usize,
}

impl Page {
    /// A page of `kind` (`lead-decay simulate`) titled `title`, opening with
    /// the one-sentence `verdict`.
    pub fn new(kind: &str, title: &str, verdict: &str) -> Page {
        Page {
            kind: kind.to_owned(),
            title: title.to_owned(),
            verdict: verdict.to_owned(),
            body: String::new(),
            charts: 0,
        }
    }

    /// A section heading.
    pub fn heading(&mut self, text: &str) -> &mut Page {
        let _ = writeln!(self.body, "<h2>{}</h2>", escape(text));
        self
    }

    /// The key figures, as boxes.
    pub fn figures(&mut self, figures: &[Figure]) -> &mut Page {
        self.body.push_str("<section class=\"figures\">\n");
        for f in figures {
            let _ = writeln!(
                self.body,
                "<div class=\"figure\"><div class=\"label\">{}</div><div class=\"value\">{}</div>\
                 <div class=\"detail\">{}</div></div>",
                escape(&f.label),
                escape(&f.value),
                escape(&f.detail)
            );
        }
        self.body.push_str("</section>\n");
        self
    }

    /// A chart drawn as inline SVG at its own size, with a caption saying
    /// how to read it.
    pub fn chart(&mut self, chart: &impl Chart, caption: &str) -> Result<&mut Page, String> {
        self.chart_at(chart, chart.size(), caption)
    }

    /// A chart drawn at `size` pixels: a page column is about 900 pixels
    /// wide, so a chart drawn for it keeps its labels at reading size.
    pub fn chart_at(&mut self, chart: &impl Chart, size: (u32, u32), caption: &str) -> Result<&mut Page, String> {
        let svg = svg_of(chart, size)?;
        self.charts += 1;
        let _ = writeln!(
            self.body,
            "<figure class=\"chart\" id=\"chart-{}\">\n{svg}\n<figcaption>{}</figcaption>\n</figure>",
            self.charts,
            escape(caption)
        );
        Ok(self)
    }

    /// A table; a cell that is a number (a digit after any sign, `<`, `>`
    /// or `±`) or a lone `-` is right-aligned. A table of more than seven
    /// columns is set smaller, its ranges wrapping, to fit the page.
    pub fn table(&mut self, header: &[&str], rows: &[Vec<String>]) -> &mut Page {
        let wide = header.len() > 7;
        self.body.push_str(if wide {
            "<table class=\"wide\">\n<thead><tr>"
        } else {
            "<table>\n<thead><tr>"
        });
        let numeric = |i: usize, cell: &str| {
            i > 0
                && (cell == "-"
                    || cell
                        .trim_start_matches(['-', '+', '<', '>', ' ', '±'])
                        .starts_with(|c: char| c.is_ascii_digit()))
        };
        // A column of numbers has its header over them, on the right.
        for (i, h) in header.iter().enumerate() {
            let right = !rows.is_empty() && rows.iter().all(|r| r.get(i).is_some_and(|c| numeric(i, c)));
            let class = if right { " class=\"number\"" } else { "" };
            let _ = write!(self.body, "<th{class}>{}</th>", escape(h));
        }
        self.body.push_str("</tr></thead>\n<tbody>\n");
        for row in rows {
            self.body.push_str("<tr>");
            for (i, cell) in row.iter().enumerate() {
                let numeric = numeric(i, cell);
                let class = if numeric { " class=\"number\"" } else { "" };
                // A wide table's ranges may wrap after "to", and nowhere else
                // ("77.0 %" must not lose its unit to the next line).
                let text = if numeric && wide {
                    escape(cell)
                        .replace(' ', "&nbsp;")
                        .replace("&nbsp;to&nbsp;", "&nbsp;to ")
                } else {
                    escape(cell)
                };
                let _ = write!(self.body, "<td{class}>{text}</td>");
            }
            self.body.push_str("</tr>\n");
        }
        self.body.push_str("</tbody>\n</table>\n");
        self
    }

    /// The assumptions table: every input, its unit and where it came from.
    pub fn assumptions(&mut self, rows: &[Assumption]) -> &mut Page {
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|a| vec![a.input.clone(), a.value.clone(), a.unit.clone(), a.source.clone()])
            .collect();
        self.table(&["input", "value", "unit", "where it came from"], &rows)
    }

    /// Text shown as it is, in a fixed-width font (a scenario file).
    pub fn preformatted(&mut self, text: &str) -> &mut Page {
        let _ = writeln!(self.body, "<pre>{}</pre>", escape(text.trim_end()));
        self
    }

    /// A paragraph of explanation.
    pub fn note(&mut self, text: &str) -> &mut Page {
        let _ = writeln!(self.body, "<p class=\"note\">{}</p>", escape(text));
        self
    }

    /// The whole page, its footer from `footer`.
    pub fn render(&self, footer: &Reproducibility) -> String {
        let mut rows = vec![("scenario", footer.scenario.clone()), ("engine", footer.engine.clone())];
        if let Some(seed) = footer.seed {
            rows.push(("seed", seed.to_string()));
        }
        if let Some(trials) = footer.trials {
            rows.push(("trials", super::grouped(trials as f64, 0)));
        }
        rows.extend([
            ("lead-decay", env!("CARGO_PKG_VERSION").to_owned()),
            (
                "date",
                jiff::Timestamp::now().strftime("%Y-%m-%d %H:%M UTC").to_string(),
            ),
            ("reproduce with", footer.command.clone()),
        ]);
        let mut dl = String::new();
        for (k, v) in rows {
            let _ = writeln!(dl, "<dt>{}</dt><dd>{}</dd>", escape(k), escape(&v));
        }
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"referrer\" content=\"no-referrer\">\n\
             <title>{title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n\
             <header>\n<p class=\"kind\">{kind}</p>\n<h1>{title}</h1>\n<p class=\"verdict\" id=\"verdict\">{verdict}</p>\n</header>\n\
             <main>\n{body}</main>\n<footer>\n<dl>\n{dl}</dl>\n</footer>\n</body>\n</html>\n",
            csp = CONTENT_SECURITY_POLICY,
            title = escape(&self.title),
            kind = escape(&self.kind),
            verdict = escape(&self.verdict),
            body = self.body,
        )
    }

    /// Writes the page to `path` (never half-written: see
    /// [`super::write_atomically`]).
    pub fn write(&self, path: &Path, footer: &Reproducibility) -> Result<(), String> {
        let html = self.render(footer);
        super::write_atomically(path, |file| std::io::Write::write_all(file, html.as_bytes()))
    }
}

/// Refuses a report path that is not `.html` (or `.htm`), before any work.
pub fn check_path(path: &Path) -> Result<(), String> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html" | "htm") => Ok(()),
        _ => Err(format!(
            "{}: a report is an HTML page: expected a file name ending in .html",
            path.display()
        )),
    }
}

/// `chart` drawn at `size` as an SVG element (it scales with the page).
pub fn svg_of(chart: &impl Chart, size: (u32, u32)) -> Result<String, String> {
    register_font()?;
    let (w, h) = size;
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(fail)?;
        chart.draw(&root)?;
        root.present().map_err(fail)?;
    }
    // Screen readers and the browser test find the charts by their role.
    Ok(text.replacen(
        "<svg ",
        "<svg role=\"img\" aria-label=\"chart\" preserveAspectRatio=\"xMidYMid meet\" ",
        1,
    ))
}
