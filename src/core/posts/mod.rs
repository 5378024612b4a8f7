//! posts

pub mod conversations;
pub mod images;
pub mod interactions;
pub mod media;
pub mod polls;
pub mod remote_interactions;
pub mod remote_statuses;
pub mod statuses;
pub mod stored_files;
pub mod tags;
pub mod text;
pub mod threads;
