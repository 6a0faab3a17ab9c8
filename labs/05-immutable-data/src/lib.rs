//! Lab 05: immutable and independent data. The chapter is
//! `book/src/05-immutable-data.md`; it reads these files in this order:
//!
//! - `racy.rs`: a configuration held in two fields under two locks;
//! - `checks.rs`: the loom models the stores are checked with;
//! - `fixed.rs`: the configuration published whole, as a new `Arc<Config>`;
//! - `on_std.rs` and `on_loom.rs`: the same files compiled on std and on loom;
//! - `readers.rs`: three ways for readers to get at the configuration, which
//!   the benchmark compares;
//! - `independent.rs`: a job split so each thread owns its part, and
//!   nothing is shared;
//! - `exercise.rs`: your turn, a change made from the current configuration
//!   (copy on write) without losing another thread's change (`solution.rs`
//!   has the reference answer: try first).

// `on_std` and `on_loom` each compile racy.rs, fixed.rs... once: the same
// code on std's types and on loom's. That is the point, not a slip.
#![allow(
    clippy::duplicate_mod,
    reason = "each lab file is compiled on std and on loom"
)]

use std::fmt;
use std::ops::Deref;

// ANCHOR: config
/// Where a service finds its database: two fields that are only right
/// together (`db-a` listens on 5432, `db-b` on 6432).
#[derive(Clone, PartialEq, Eq)]
pub struct Config {
    /// The database's host.
    pub address: String,
    /// The port it listens on.
    pub port: u16,
}
// ANCHOR_END: config

impl Config {
    /// The configuration every model starts from: `db-a:5432`.
    pub fn primary() -> Self {
        Self {
            address: String::from("db-a"),
            port: 5432,
        }
    }

    /// The configuration the models change to: `db-b:6432`.
    pub fn replica() -> Self {
        Self {
            address: String::from("db-b"),
            port: 6432,
        }
    }

    /// A third configuration, for a model with two updates: `db-c:7432`.
    pub fn standby() -> Self {
        Self {
            address: String::from("db-c"),
            port: 7432,
        }
    }
}

/// Shown as `address:port`, so a trace row stays short.
impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.address, self.port)
    }
}

/// A configuration that threads share: one updates it, others read it.
pub trait ConfigStore: Send + Sync + 'static {
    /// What a reader holds: the configuration as it was when read.
    type Snapshot: Deref<Target = Config>;
    /// A store holding `config`.
    fn new(config: Config) -> Self;
    /// Replaces the whole configuration with `config`.
    fn update(&self, config: Config);
    /// The current configuration.
    fn read(&self) -> Self::Snapshot;
}

/// A store that can also change the configuration it holds, from its
/// current value: copy it, change the copy, publish the copy.
pub trait CopyOnWrite: ConfigStore {
    /// Applies `change` to the current configuration.
    fn modify(&self, change: impl FnOnce(&mut Config));
}

pub mod on_loom;
pub mod on_std;

pub use on_loom::checks;
pub mod independent;
pub mod observed;
pub mod readers;
