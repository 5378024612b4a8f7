//! Administration: what this server's admins do for everyone on it. The
//! federation policy, reports and the audit log will live here too.
//!
//! - `announcements`: notices shown above the home timeline
//!   (`create_announcement`, `delete_announcement`, `announcements`), which
//!   each teacher can dismiss or react to (`dismiss_announcement`,
//!   `react_to_announcement`).

pub mod announcements;

pub use announcements::{AnnouncementView, NewAnnouncement, Reaction};
