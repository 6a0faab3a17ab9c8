//! The philosophers on loom's types: every interleaving explored.

use loom as model;

#[path = "philosophers.rs"]
pub mod philosophers;
