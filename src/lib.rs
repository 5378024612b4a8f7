//! Staffroom: a federated community server for K-12 STEM teachers.
//!
//! Three floors: edges (`api`, `federation`, `web`, `cli`) call the `core`
//! (domain operations), which calls `db` (storage). Nothing below calls up;
//! the core reaches other servers only through the traits in `core::ports`.

pub mod api;
pub mod bench;
pub mod cli;
pub mod config;
pub mod core;
pub mod db;
pub mod federation;
pub mod files;
pub mod limits;
pub mod server;
pub mod throttle;
pub mod web;
