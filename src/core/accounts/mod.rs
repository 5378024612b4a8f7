//! Accounts: the people of this server and of others, and how they relate.
//!
//! - `people`: creating teachers ([`Core::create_user`]), logging in
//!   (`authenticate`), finding people here and elsewhere (`account`,
//!   `local_account`, `lookup`, `search_accounts`); [`parse_acct`] reads a handle.
//! - `profiles`: what teachers show about themselves and their posting
//!   preferences (`update_profile`); changes reach their followers.
//! - `registrations`: signing up from an app (`register`) and a moderator's
//!   approval (`approve_user`).
//! - `remote_accounts`: other servers' actors, found by handle or URL
//!   (`resolve`, `resolve_url`) and kept as their servers say
//!   (`upsert_remote_actor`, `remote_actor_deleted`).
//! - `suggestions`: whom to follow (`follow_suggestions`, `familiar_followers`).
//! - `follows`: asking, answering, withdrawing (`follow`, `unfollow`,
//!   `answer_follow_request`, `relationships`), and the same from other
//!   servers (`receive_follow`, `receive_follow_answer`, `receive_unfollow`).
//! - `blocks`: blocks, mutes and hidden servers (`block`, `mute`,
//!   `block_domain`, `receive_block`). What a viewer hides, as the other
//!   domains read it, is the kernel's `core::hidden`.
//!
//! [`Core::create_user`]: crate::core::Core::create_user

pub mod blocks;
pub mod follows;
pub mod people;
pub mod profiles;
pub mod registrations;
pub mod remote_accounts;
pub mod suggestions;

pub use follows::FollowOptions;
pub use people::{normalize_username, parse_acct, NewUser, Role};
pub use profiles::{PostingPreferences, ProfileChanges};
pub use registrations::Registration;
pub use remote_accounts::RemoteActor;
pub use suggestions::SuggestionSource;
