//! Timelines: what a teacher reads, and what they keep out of it.
//!
//! - `feeds`: home, public and one account's statuses (`home_timeline`,
//!   `public_timeline`, `account_statuses`).
//! - `filters`: keywords and statuses one does not want to see in some
//!   contexts (`create_filter`, `add_filter_keyword`, ...); every timeline
//!   applies them through the kernel's `hidden::apply_for`.
//! - `lists`: groups of followed accounts, each a timeline (`create_list`,
//!   `add_to_list`, `list_timeline`).
//! - `streams`: who gets a live copy of a status (`stream_audience`) and
//!   whom a viewer hides (`hidden`), for the streaming edge.
//! - `markers`: where a person stopped reading (`markers`, `set_marker`).
//! - `trends`: trending tags and posts, peers, weekly activity.

pub mod feeds;
pub mod filters;
pub mod lists;
pub mod markers;
pub mod streams;
pub mod trends;

pub use feeds::{AccountStatusFilter, PublicScope};
pub use filters::{FilterInput, FilterMatch, FilterView, KeywordInput};
pub use lists::ListSettings;
pub use streams::StreamAudience;
pub use trends::WeekActivity;
