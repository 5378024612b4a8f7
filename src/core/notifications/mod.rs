//! notifications

pub mod groups;
pub mod notify;
pub use notify::{notify, notify_own, notify_subscribers};
