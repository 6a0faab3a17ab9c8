//! `connections`: many concurrent, mostly idle connections (claim C1),
//! measured by lab-11's C10k tool: an echo server in a process of its
//! own (`lab-13 serve --model threads|tasks`, lab-11's servers), idle
//! connections opened to it, then echo round trips spread across them.

use super::{Ctx, Figures, Outcome, Progress};
use crate::measure::measured;
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
            let bar = progress(model, 1);
            let mut rows = Vec::new();
            let (result, cost) =
                measured(|| c10k::measure(server, &[target], ROUND_TRIPS, limit, &mut rows));
            bar.finish_and_clear();
            let outcome = match (result, rows.first()) {
                (Ok(()), Some(row)) => {
                    let mut figures = Figures::from_cost(cost, target as u64, None);
                    figures.per_second = ROUND_TRIPS as f64 / cost.wall.max(1e-9);
                    figures.p50_s = Some(row.p50.as_secs_f64());
                    figures.p99_s = Some(row.p99.as_secs_f64());
                    figures.rss_per_connection_bytes = Some(row.per_connection);
                    figures.kernel_per_connection_bytes = Some(row.kernel_per_connection);
                    figures.lines = super::lines(Workload::Connections, model);
                    Outcome::Measured(Box::new(figures))
                }
                (Err(error), _) => Outcome::Failed {
                    error: error.to_string(),
                },
                (Ok(()), None) => Outcome::Failed {
                    error: String::from("the C10k tool returned no row"),
                },
            };
            (model, outcome)
        })
        .collect()
}
