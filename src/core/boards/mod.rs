//! boards

pub mod bans;
pub mod board;
pub mod edits;
pub mod moderation;
pub mod posts;
pub mod remote_moderation;
pub mod threads;
