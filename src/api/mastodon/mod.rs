//! The Mastodon client API, one file per resource group. Handlers parse,
//! check the token's scope, call the core, and render entities.

pub mod accounts;
pub mod announcements;
pub mod apps;
pub mod blocks;
pub mod conversations;
pub mod entities;
pub mod filters;
pub mod follow_requests;
pub mod instance;
pub mod interactions;
pub mod lists;
pub mod markers;
pub mod media;
pub mod notification_groups;
pub mod notifications;
pub mod oauth;
pub mod polls;
pub mod preferences;
pub mod registrations;
pub mod routes;
pub mod search;
pub mod statuses;
pub mod streaming;
pub mod suggestions;
pub mod tags;
pub mod timelines;
pub mod trends;

use super::error::{ApiError, ApiResult};

/// An id from a path or parameter; anything else names nothing.
pub fn parse_id(s: &str) -> ApiResult<i64> {
    s.trim().parse::<i64>().map_err(|_| ApiError::not_found())
}
