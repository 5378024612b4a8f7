//! Mastodon API entities: core views turned into the JSON clients expect.

pub mod account;
pub mod announcement;
pub mod application;
pub mod conversation;
pub mod filter;
pub mod media;
pub mod notification;
pub mod poll;
pub mod relationship;
pub mod status;
pub mod tag;

use chrono::NaiveDateTime;

/// RFC 3339 with milliseconds and `Z`, as Mastodon writes dates.
pub fn datetime(t: NaiveDateTime) -> String {
    t.and_utc().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// The id clients see: the snowflake as a string.
pub fn id(n: i64) -> String {
    n.to_string()
}
