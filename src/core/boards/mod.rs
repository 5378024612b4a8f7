//! Boards (professional learning communities): a board is a `Group`
//! account with a row of its own; teachers join it, post in it, and its
//! moderators keep it, here or from another server.
//!
//! - `board`: creating a board (`create_board`), its kinds (federated,
//!   private, district) and its [`BoardView`]; who is a member where.
//! - `threads`: browsing: the directory (`board_directory`), the boards one
//!   follows (`followed_boards`), a board's threads (`board_threads`),
//!   starting a thread (`create_thread`). Joining a board is following it
//!   (`accounts::follows`); private boards' join requests are answered in
//!   `moderation`.
//! - `posts`: how a board takes in posts (local, remote, announced; a
//!   [`NewThread`] names the board and title) and relays them, their edits
//!   and deletions to its members.
//! - `hooks`: [`Boards`], the boards' answer to the kernel's
//!   [`BoardHooks`](crate::core::board_hooks::BoardHooks), through which
//!   following (`accounts::follows`) and posting (`posts::statuses`,
//!   `posts::remote_statuses`, `posts::remote_interactions`) give a board
//!   its say without importing this folder.
//! - `moderation`: who may moderate, join requests (`join_requests`,
//!   `answer_join_request`), locking, pinning and removing posts
//!   (`moderate_post`), moderators (`set_moderator`) and the mod log (`mod_log`).
//! - `bans`: banning and unbanning members (`moderate_member`, `board_bans`).
//! - `edits`: editing a board's title, rules, pictures ... (`edit_board`).
//! - `remote_moderation`: moderators on other servers asking this board's
//!   server to act, and what a remote board says about its own posts.

pub mod bans;
pub mod board;
pub mod edits;
pub mod hooks;
pub mod moderation;
pub mod posts;
pub mod remote_moderation;
pub mod threads;

pub use crate::core::board_hooks::NewThread;
pub use bans::{BanView, MemberAction};
pub use board::{BoardKind, BoardView, NewBoard};
pub use edits::BoardEdit;
pub use hooks::Boards;
pub use moderation::{ModLogEntry, PostAction};
pub use threads::{BoardSummary, ThreadSort, ThreadView};
