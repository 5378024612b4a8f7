//! admin

pub mod announcements;
