//! The philosophers on shuttle's types: random schedules.

use shuttle as model;

#[path = "philosophers.rs"]
pub mod philosophers;
