//! Two SVG charts of a run, drawn with plotters: the speed-up of each
//! model on `cpu`, and the echo p99 of each placement on `mixed`.

use crate::compare::{Report, Table};
use crate::models::Workload;
use plotters::prelude::*;
use std::io;
use std::path::{Path, PathBuf};

/// Reads the figure a chart shows from a row.
type Read = fn(&crate::workloads::Figures) -> Option<f64>;

/// Writes the charts the report has data for into `dir`; their paths.
pub fn write_charts(report: &Report, dir: &Path) -> io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for (name, svg) in charts(report)? {
        let path = dir.join(name);
        std::fs::write(&path, svg)?;
        written.push(path);
    }
    Ok(written)
}

/// The charts the report has data for: (file name, SVG text).
pub fn charts(report: &Report) -> io::Result<Vec<(&'static str, String)>> {
    let mut charts = Vec::new();
    for table in &report.tables {
        // p99s span microseconds to seconds: their axis is logarithmic.
        let (name, title, read, log): (&str, &str, Read, bool) = match table.workload {
            Workload::Cpu => (
                "cpu-speedup.svg",
                "cpu: speed-up over sequential (×)",
                |f| f.speedup,
                false,
            ),
            Workload::Mixed => (
                "mixed-p99.svg",
                "mixed: echo p99 (ms, logarithmic) while CPU jobs run",
                |f| f.p99_s.map(|s| s * 1e3),
                true,
            ),
            _ => continue,
        };
        let mut svg = String::new();
        bars(table, title, read, log, &mut svg).map_err(|e| io::Error::other(e.to_string()))?;
        charts.push((name, svg + "\n"));
    }
    Ok(charts)
}

/// A horizontal bar per measured model.
fn bars(
    table: &Table,
    title: &str,
    read: Read,
    log: bool,
    svg: &mut String,
) -> Result<(), Box<dyn std::error::Error>> {
    let bars: Vec<(&str, f64)> = table
        .rows
        .iter()
        .filter_map(|row| Some((row.label.as_str(), read(row.outcome.figures()?)?)))
        .collect();
    // On a logarithmic axis a bar's length is its number of tenfold steps
    // above a floor under the smallest value: a power of ten, so that the
    // axis reads 0.1, 1, 10, 100...
    let smallest = bars.iter().map(|(_, v)| *v).fold(f64::MAX, f64::min);
    let floor = 10f64.powf((smallest.max(1e-9) / 1.5).log10().floor());
    let length = |value: f64| if log { (value / floor).log10() } else { value };
    let most = bars
        .iter()
        .map(|(_, v)| length(*v))
        .fold(0.0, f64::max)
        .max(1e-9);
    let rows = bars.len() as f64;
    let height = 70 + 30 * bars.len() as u32;
    let root = SVGBackend::with_string(svg, (760, height)).into_drawing_area();
    root.fill(&WHITE)?;
    // Room on the right of the longest bar for its label.
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(28)
        .build_cartesian_2d(
            0.0..if log { (most * 1.6).ceil() } else { most * 1.6 },
            0.0..rows,
        )?;
    let axis = |x: &f64| {
        if log {
            if (x - x.round()).abs() > 0.05 {
                return String::new(); // a tick between two powers of ten
            }
            let value = floor * 10f64.powf(x.round());
            let decimals = (-value.log10().round()).max(0.0) as usize;
            format!("{value:.decimals$}")
        } else {
            format!("{x:.1}")
        }
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .disable_y_axis()
        .x_labels(if log {
            (most * 1.6).ceil() as usize + 1
        } else {
            8
        })
        .x_label_formatter(&axis)
        .draw()?;
    // The first row on top, each bar with its model and value beside it.
    let top = |i: usize| rows - i as f64;
    let colour = RGBColor(70, 110, 180);
    chart.draw_series(bars.iter().enumerate().map(|(i, (_, value))| {
        Rectangle::new(
            [(0.0, top(i) - 0.85), (length(*value), top(i) - 0.15)],
            colour.filled(),
        )
    }))?;
    chart.draw_series(bars.iter().enumerate().map(|(i, (label, value))| {
        let text = format!("{label}  {value:.2}");
        Text::new(
            text,
            (length(*value) + most * 0.02, top(i) - 0.3),
            ("sans-serif", 13),
        )
    }))?;
    root.present()?;
    Ok(())
}
