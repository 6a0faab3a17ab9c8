//! Two SVG charts of a run, drawn with plotters: the speed-up of each
//! model on `cpu`, and the echo p99 of each placement on `mixed`.

use crate::compare::{Report, Table};
use crate::models::{Size, Workload};
use plotters::prelude::*;
use std::io;
use std::path::{Path, PathBuf};

/// Reads the figure a chart shows from a row.
type Read = fn(&crate::workloads::Figures) -> Option<f64>;

/// Reads the lowest and highest run of that figure.
type Spread = fn(&crate::workloads::Figures) -> Option<(f64, f64)>;

/// Every chart `compare` can draw, by file name.
pub const CHART_FILES: [&str; 2] = ["cpu-speedup.svg", "mixed-p99.svg"];

/// Writes the charts the report has data for into `dir`, and removes the
/// ones it has none for (left by an earlier run, they would sit beside a
/// JSON they do not come from); the paths written.
pub fn write_charts(report: &Report, dir: &Path) -> io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let charts = charts(report)?;
    for stale in CHART_FILES
        .iter()
        .filter(|name| !charts.iter().any(|(drawn, _)| drawn == *name))
    {
        match std::fs::remove_file(dir.join(stale)) {
            Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error),
            _ => {}
        }
    }
    let mut written = Vec::new();
    for (name, svg) in charts {
        let path = dir.join(name);
        std::fs::write(&path, svg)?;
        written.push(path);
    }
    Ok(written)
}

/// What a chart's title says of where its figures come from: the size
/// and the machine.
fn provenance(report: &Report) -> String {
    let size = match report.size {
        Size::Tiny => "--size tiny, a smoke test",
        Size::Default => "default size",
        Size::Large => "--size large",
    };
    let machine = &report.machine;
    let busy = match &report.load {
        Some(load) if load.busy => format!(", BUSY: {:.1} cores free", load.cores_free),
        _ => String::new(),
    };
    format!(
        "{size}, {} cores {} {}{busy}, median of {}, lines: lowest–highest",
        machine.cores,
        machine.os,
        machine.arch,
        crate::compare::counted(report.runs, "run")
    )
}

/// The charts the report has data for: (file name, SVG text). A smoke
/// test (`--size tiny`) has no speed-up chart: its rows are too short to
/// support one.
pub fn charts(report: &Report) -> io::Result<Vec<(&'static str, String)>> {
    let mut charts = Vec::new();
    for table in &report.tables {
        // p99s span microseconds to seconds: their axis is logarithmic.
        let (name, title, read, spread, scale): (&str, &str, Read, Spread, Scale) =
            match table.workload {
                Workload::Cpu if report.size != Size::Tiny => (
                    "cpu-speedup.svg",
                    "cpu: speed-up over sequential (×); the line: one per core",
                    |f| f.speedup,
                    |f| f.range(|r| r.speedup),
                    Scale::Linear {
                        ideal: Some(report.machine.cores as f64),
                    },
                ),
                Workload::Mixed => (
                    "mixed-p99.svg",
                    "mixed: echo p99 (ms, logarithmic) while CPU jobs run",
                    |f| f.latency.map(|l| l.tail_s() * 1e3),
                    |f| {
                        let (low, high) = f.range(|r| r.latency.map(|l| l.tail_s()))?;
                        Some((low * 1e3, high * 1e3))
                    },
                    Scale::Log,
                ),
                _ => continue,
            };
        let title = format!("{title} · {}", provenance(report));
        let mut svg = String::new();
        bars(table, &title, (read, spread), scale, &mut svg)
            .map_err(|e| io::Error::other(e.to_string()))?;
        charts.push((name, svg + "\n"));
    }
    Ok(charts)
}

/// A chart's axis.
#[derive(Clone, Copy)]
enum Scale {
    /// From 0, with a line at the ideal value, if there is one.
    Linear { ideal: Option<f64> },
    /// Powers of ten.
    Log,
}

/// A horizontal bar per measured model, its label on the left.
fn bars(
    table: &Table,
    title: &str,
    (read, spread): (Read, Spread),
    scale: Scale,
    svg: &mut String,
) -> Result<(), Box<dyn std::error::Error>> {
    let figures = table
        .rows
        .iter()
        .filter_map(|row| Some((row, row.outcome.figures()?)));
    let measured: Vec<_> = figures
        .filter_map(|(row, f)| Some((row.label.as_str(), read(f)?, spread(f))))
        .collect();
    let bars: Vec<(&str, f64)> = measured.iter().map(|(l, v, _)| (*l, *v)).collect();
    let log = matches!(scale, Scale::Log);
    // On a logarithmic axis a bar's length is its number of tenfold steps
    // above a floor under the smallest value: a power of ten, so that the
    // axis reads 0.1, 1, 10, 100...
    let smallest = bars.iter().map(|(_, v)| *v).fold(f64::MAX, f64::min);
    let floor = 10f64.powf((smallest.max(1e-9) / 1.5).log10().floor());
    let length = |value: f64| if log { (value / floor).log10() } else { value };
    let ideal = match scale {
        Scale::Linear { ideal } => ideal,
        Scale::Log => None,
    };
    let most = measured
        .iter()
        .map(|(_, v, range)| length(range.map_or(*v, |(_, high)| high.max(*v))))
        .chain(ideal)
        .fold(0.0, f64::max)
        .max(1e-9);
    // The axis ends a little past the longest bar (or the ideal line),
    // with room for the value written after it.
    let end = if log {
        (most * 1.15).ceil()
    } else {
        most * 1.15
    };
    let rows = bars.len() as f64;
    let height = 80 + 30 * bars.len() as u32;
    let root = SVGBackend::with_string(svg, (760, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let labels: Vec<String> = bars.iter().map(|(label, _)| label.to_string()).collect();
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 14))
        .margin(12)
        .x_label_area_size(28)
        .y_label_area_size(190)
        .build_cartesian_2d(0.0..end, 0.0..rows)?;
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
    // Row i (the first on top) is drawn between top(i) - 1 and top(i).
    let top = |i: usize| rows - i as f64;
    let label_of = |y: &f64| {
        let i = (rows - y - 0.5).round();
        let centred = (rows - i - 0.5 - y).abs() < 0.01;
        match labels.get(i.max(0.0) as usize) {
            Some(label) if centred && i >= 0.0 => label.clone(),
            _ => String::new(),
        }
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_labels(if log { end as usize + 1 } else { 8 })
        .x_label_formatter(&axis)
        .y_labels(bars.len() * 2 + 1)
        .y_label_formatter(&label_of)
        .y_label_style(("sans-serif", 13))
        .draw()?;
    let colour = RGBColor(70, 110, 180);
    chart.draw_series(bars.iter().enumerate().map(|(i, (_, value))| {
        Rectangle::new(
            [(0.0, top(i) - 0.85), (length(*value), top(i) - 0.15)],
            colour.filled(),
        )
    }))?;
    chart.draw_series(bars.iter().enumerate().map(|(i, (_, value))| {
        Text::new(
            format!("{value:.2}"),
            (length(*value) + most * 0.01, top(i) - 0.3),
            ("sans-serif", 13),
        )
    }))?;
    // Each bar's lowest and highest run: a line across its end.
    chart.draw_series(
        measured
            .iter()
            .enumerate()
            .filter_map(|(i, (_, _, range))| {
                let (low, high) = (*range)?;
                let y = top(i) - 0.5;
                Some(PathElement::new(
                    vec![(length(low), y), (length(high), y)],
                    BLACK.stroke_width(2),
                ))
            }),
    )?;
    if let Some(ideal) = ideal {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(ideal, 0.0), (ideal, rows)],
            BLACK.stroke_width(2),
        )))?;
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::Row;
    use crate::models::Model;
    use crate::workloads::{Figures, Outcome};

    fn report(size: Size, workloads: &[Workload]) -> Report {
        let figures = Figures {
            speedup: Some(1.9),
            latency: Some(crate::measure::Latency {
                count: 1000,
                p50_s: 0.0001,
                p99_s: 0.002,
                p999_s: 0.003,
                max_s: 0.004,
            }),
            ..Figures::default()
        };
        let tables = workloads
            .iter()
            .map(|&workload| Table {
                workload,
                about: String::new(),
                size,
                rows: vec![Row {
                    model: Model::Rayon,
                    label: "rayon".into(),
                    chapter: 7,
                    outcome: Outcome::Measured(Box::new(figures.clone())),
                }],
            })
            .collect();
        let mut report = crate::compare::test_report(size, tables);
        report.runs = 3;
        report
    }

    #[test]
    fn a_chart_the_run_has_no_data_for_is_removed_and_each_title_says_where_it_came_from() {
        let dir = std::env::temp_dir().join(format!("lab-13-charts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // An earlier run's charts, both.
        for name in CHART_FILES {
            std::fs::write(dir.join(name), "<svg>an earlier run</svg>").unwrap();
        }
        // A cpu-only run: the mixed chart beside its JSON would be stale.
        let written = write_charts(&report(Size::Default, &[Workload::Cpu]), &dir).unwrap();
        assert_eq!(written, vec![dir.join("cpu-speedup.svg")]);
        assert!(!dir.join("mixed-p99.svg").exists());
        let svg = std::fs::read_to_string(dir.join("cpu-speedup.svg")).unwrap();
        assert!(svg.contains("default size, 2 cores linux x86_64"), "{svg}");
        // A smoke test draws no speed-up: the cpu chart goes too.
        let smoke = report(Size::Tiny, &[Workload::Cpu, Workload::Mixed]);
        let written = write_charts(&smoke, &dir).unwrap();
        assert_eq!(written, vec![dir.join("mixed-p99.svg")]);
        assert!(!dir.join("cpu-speedup.svg").exists());
        let svg = std::fs::read_to_string(dir.join("mixed-p99.svg")).unwrap();
        assert!(svg.contains("--size tiny, a smoke test"), "{svg}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
