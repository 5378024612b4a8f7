//! Notifications: telling local people that something happened to them or
//! their posts.
//!
//! - `notify`: [`notify`], [`notify_own`] and [`notify_subscribers`], which
//!   the other domains call inside their write; listing and dismissing
//!   (`notifications`, `dismiss_notification`, `clear_notifications`).
//! - `groups`: grouped notifications, Mastodon 4.3's `/api/v2/notifications`
//!   (`notification_groups`, `unread_notification_groups`).

pub mod groups;
pub mod notify;

pub use groups::{GroupQuery, GroupedNotifications, NotificationGroup};
pub use notify::{notify, notify_own, notify_subscribers};
