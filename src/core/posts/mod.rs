//! Posts (statuses): writing, editing and deleting them, what they carry
//! (text, media, polls, tags), what people do with them, and the posts other
//! servers send.
//!
//! - `statuses`: `post_status`, `edit_status`, `delete_status`, `status`,
//!   `status_history`, `status_source`; `removal`: removing one from the
//!   database with its conversation and live events.
//! - `remote_statuses`: keeping what other servers send
//!   (`store_remote_status`, `delete_remote_status`).
//! - `threads`: a status with the replies above and below it (`context`).
//! - `polls`: `poll`, `vote`, `receive_vote`, `close_ended_polls`.
//! - `media`: uploads (`upload_media`, `update_media`); image processing
//!   and how stored files are named and served are the kernel's (`images`,
//!   `stored_files`), shared with profiles.
//! - `tags`: hashtags, tag timelines, followed and featured tags.
//! - `interactions`: favourite, reblog, bookmark, pin (and undo);
//!   `remote_interactions`: the same arriving from other servers.
//! - `conversations`: direct conversations as each participant sees them.

pub mod conversations;
pub mod interactions;
pub mod media;
pub mod polls;
pub mod remote_interactions;
pub mod remote_statuses;
pub mod removal;
pub mod statuses;
pub mod tags;
pub mod threads;

pub use conversations::ConversationView;
pub use media::{RemoteAttachment, Upload};
pub use polls::{NewPoll, PollView, RemotePoll};
pub use remote_statuses::RemoteStatus;
pub use statuses::{NewStatus, StatusEdit, StatusVersion};
pub use tags::{FeaturedTag, TagView};
