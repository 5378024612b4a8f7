//! timelines

pub mod feeds;
pub mod filters;
pub mod lists;
pub mod markers;
pub mod trends;
