//! `connections`: many concurrent, mostly idle connections (claim C1),
//! measured by lab-11's C10k tool: an echo server in a process of its
//! own (`lab-13 serve --model threads|tasks`, lab-11's servers), idle
//! connections opened to it, then echo round trips spread across them.

use super::{Ctx, Figures, Outcome, Progress, Repeated, median, repeat};
use crate::models::{Model, Size, Workload};
use lab_11::c10k;

/// Idle connections: 100, 1,000 or 10,000.
pub fn connections(size: Size) -> usize {
    match size {
        Size::Tiny => 100,
        Size::Default => 1_000,
        Size::Large => 10_000,
    }
}

/// Echo round trips timed across the connections.
const ROUND_TRIPS: usize = 500;

/// Every row of the table.
pub fn rows(ctx: &Ctx, progress: Progress) -> Vec<(Model, Outcome)> {
    let target = connections(ctx.size);
    let limit = c10k::raise_file_limit();
    Workload::Connections
        .models()
        .into_iter()
        .map(|model| {
            let server = match model {
                Model::Threads => c10k::Model::Threads,
                Model::Tokio => c10k::Model::Tasks,
                Model::Sequential => {
                    let reason = "one connection at a time: the others would wait for ever";
                    return (model, Outcome::na(reason));
                }
                Model::PoolProcesses => {
                    let reason = "a worker process per connection (a pre-fork server) holds a \
                                  process for each idle client: chapter 8 measures what one costs";
                    return (model, Outcome::na(reason));
                }
                _ => {
                    let reason = "lab-10's loop polls only its wake-up pipe, not sockets: \
                                  tokio's loop is the tokio row";
                    return (model, Outcome::na(reason));
                }
            };
            let bar = progress(model, 1 + ctx.runs as u64);
            let once = |_: &mut ()| {
                let mut rows = Vec::new();
                c10k::measure(server, &[target], ROUND_TRIPS, limit, &mut rows)
                    .map_err(|error| error.to_string())?;
                bar.inc(1);
                rows.pop()
                    .ok_or_else(|| String::from("the C10k tool returned no row"))
            };
            let measured = repeat(ctx, (ROUND_TRIPS as u64, false), || Ok(()), once);
            bar.finish_and_clear();
            let outcome = match measured {
                Ok(Repeated {
                    samples, results, ..
                }) => {
                    let mut figures = Figures::from_samples(samples, target as u64, None);
                    let middle =
                        |read: fn(&c10k::Row) -> f64| median(results.iter().map(read).collect());
                    figures.p50_s = middle(|r| r.p50.as_secs_f64());
                    figures.p99_s = middle(|r| r.p99.as_secs_f64());
                    figures.rss_per_connection_bytes = middle(|r| r.per_connection);
                    figures.kernel_per_connection_bytes = middle(|r| r.kernel_per_connection);
                    figures.lines = super::lines(Workload::Connections, model);
                    figures.note = Some(format!(
                        "round trips timed one after another (a closed loop: a stall delays the \
                         next one instead of showing in the tail), {ROUND_TRIPS} per run"
                    ));
                    Outcome::Measured(Box::new(figures))
                }
                Err(error) => Outcome::Failed { error },
            };
            (model, outcome)
        })
        .collect()
}
