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
        let (name, title, read): (&str, &str, Read) = match table.workload {
            Workload::Cpu => (
                "cpu-speedup.svg",
                "cpu: speed-up over sequential (×)",
                |f| f.speedup,
            ),
            Workload::Mixed => (
                "mixed-p99.svg",
                "mixed: echo p99 (ms) while CPU jobs run",
                |f| f.p99_s.map(|s| s * 1e3),
            ),
            _ => continue,
        };
        let mut svg = String::new();
        bars(table, title, read, &mut svg).map_err(|e| io::Error::other(e.to_string()))?;
        charts.push((name, svg + "\n"));
    }
    Ok(charts)
}

/// A horizontal bar per measured model.
fn bars(
    table: &Table,
    title: &str,
    read: Read,
    svg: &mut String,
) -> Result<(), Box<dyn std::error::Error>> {
    let bars: Vec<(&str, f64)> = table
        .rows
        .iter()
        .filter_map(|row| Some((row.label.as_str(), read(row.outcome.figures()?)?)))
        .collect();
    let most = bars.iter().map(|(_, v)| *v).fold(0.0, f64::max).max(1e-9) * 1.15;
    let height = 80 + 28 * bars.len() as u32;
    let root = SVGBackend::with_string(svg, (760, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(30)
        .y_label_area_size(190)
        .build_cartesian_2d(0.0..most, 0..bars.len())?;
    let labels: Vec<String> = bars.iter().map(|(l, _)| l.to_string()).collect();
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(bars.len())
        .y_label_formatter(&|i| labels.get(*i).cloned().unwrap_or_default())
        .draw()?;
    chart.draw_series(bars.iter().enumerate().map(|(i, (_, value))| {
        Rectangle::new([(0.0, i), (*value, i + 1)], BLUE.mix(0.6).filled())
    }))?;
    root.present()?;
    Ok(())
}
