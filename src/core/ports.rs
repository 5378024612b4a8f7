//! What the core needs from the federation edge, as traits it implements.
//! The core decides *what* happens and *who* gets a copy; federation decides
//! how that looks on the wire and moves it.

use super::error::CoreResult;
use crate::db::{
    accounts::{Account, Recipient},
    blocks::Block,
    favourites::Favourite,
    follows::Follow,
    polls::Vote,
    statuses::Status,
    DbConn,
};
use async_trait::async_trait;

/// What a moderator does to a post of a board (see `boards::moderation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostAction {
    /// No new replies to the thread.
    Lock,
    Unlock,
    /// Into the board's pinned threads (its `featured` collection).
    Pin,
    Unpin,
    /// The post (a thread or a reply) leaves the board, everywhere.
    Remove,
}

/// What a moderator does to a teacher in a board (see `boards::bans`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberAction {
    Ban,
    Unban,
}

/// What happened to a post that a board passes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostChange {
    Created,
    Edited,
    /// Deleted by its author.
    Deleted,
}

/// A change other servers must hear about.
pub enum Outgoing<'a> {
    CreateStatus {
        status: &'a Status,
        author: &'a Account,
    },
    UpdateStatus {
        status: &'a Status,
        author: &'a Account,
    },
    DeleteStatus {
        status: &'a Status,
        author: &'a Account,
    },
    /// A local account asks a remote one to follow it.
    Follow {
        follow: &'a Follow,
        follower: &'a Account,
        target: &'a Account,
    },
    UndoFollow {
        follow: &'a Follow,
        follower: &'a Account,
        target: &'a Account,
    },
    /// A local account answers a remote follower.
    AcceptFollow {
        follow: &'a Follow,
        follower: &'a Account,
        target: &'a Account,
    },
    RejectFollow {
        follow: &'a Follow,
        follower: &'a Account,
        target: &'a Account,
    },
    UpdateProfile {
        account: &'a Account,
    },
    /// `account` favourites `status` (by `author`).
    Like {
        favourite: &'a Favourite,
        account: &'a Account,
        status: &'a Status,
    },
    UndoLike {
        favourite: &'a Favourite,
        account: &'a Account,
        status: &'a Status,
    },
    /// `account` shares `original` with its followers; `reblog` is the
    /// reblog status.
    Announce {
        reblog: &'a Status,
        account: &'a Account,
        original: &'a Status,
        original_author: &'a Account,
    },
    /// A member's post in a board of this server, its edit or its
    /// deletion, which the board passes on to its members. (On the wire,
    /// the federation edge decides: FEP-1b12's `Announce` of the member's
    /// activity as it arrived.)
    PostInBoard {
        board: &'a Account,
        status: &'a Status,
        author: &'a Account,
        change: PostChange,
    },
    /// A vote on a post a board of this server keeps (a like, `vote_id`
    /// the like's id, or a downvote another server sent), or its
    /// withdrawal (`undone`; `undo_id`: the `Undo` another server sent),
    /// which the board passes on to its members, as Lemmy relays votes.
    VoteInBoard {
        board: &'a Account,
        status: &'a Status,
        voter: &'a Account,
        vote_id: &'a str,
        undone: bool,
        undo_id: Option<&'a str>,
    },
    UndoAnnounce {
        reblog: &'a Status,
        account: &'a Account,
        original: &'a Status,
        original_author: &'a Account,
    },
    /// The author features a status on their profile (`Add` to the
    /// featured collection), or stops (`Remove`).
    Pin {
        account: &'a Account,
        status: &'a Status,
    },
    Unpin {
        account: &'a Account,
        status: &'a Status,
    },
    /// A moderator's action on a board's post: announced by the board (a
    /// board here, to its members' servers) or, for a board elsewhere,
    /// asked of it by the moderator.
    ModAction {
        board: &'a Account,
        moderator: &'a Account,
        action: PostAction,
        status: &'a Status,
        reason: &'a str,
        by_board: bool,
    },
    /// A moderator bans a teacher from a board (or lifts the ban):
    /// announced by the board, or asked of a board elsewhere.
    ModMember {
        board: &'a Account,
        moderator: &'a Account,
        target: &'a Account,
        action: MemberAction,
        reason: &'a str,
        by_board: bool,
    },
    /// A local account votes `choice` in a remote poll (one per choice).
    Vote {
        vote: &'a Vote,
        choice: &'a str,
        voter: &'a Account,
        status: &'a Status,
        author: &'a Account,
    },
    /// A local account blocks `target`.
    Block {
        block: &'a Block,
        account: &'a Account,
        target: &'a Account,
    },
    UndoBlock {
        block: &'a Block,
        account: &'a Account,
        target: &'a Account,
    },
}

/// Writes the federation side of a change, inside the caller's transaction.
pub trait Outbound: Send + Sync {
    /// Record `event` for delivery to the delivery inboxes of `recipients`
    /// (remote accounts). Called inside the transaction of the change.
    fn enqueue(
        &self,
        conn: &mut DbConn,
        event: Outgoing<'_>,
        recipients: &[Recipient],
    ) -> CoreResult<()>;

    /// Called after the transaction committed, to start delivering at once.
    fn wake(&self);
}

/// Something found on another server.
pub enum Resolved {
    Account(Account),
    Status(Status),
}

/// Looking things up on other servers.
#[async_trait]
pub trait RemoteDirectory: Send + Sync {
    /// Find `user@host` on its server (WebFinger), storing the account.
    async fn resolve_account(&self, username: &str, domain: &str) -> CoreResult<Account>;
    /// Fetch the account or status at `url` from its server, storing it.
    async fn resolve_url(&self, url: &str) -> CoreResult<Resolved>;
    /// Download an image from another server (at most `max_bytes`).
    async fn fetch_media(&self, url: &str, max_bytes: usize) -> CoreResult<Vec<u8>>;
    /// Whether `board` (a board on another server) has a member on the
    /// server `domain`, as the board's own server lists its members (a
    /// bounded, signed read of its followers collection; nothing cached).
    async fn board_has_member_on(&self, board: &Account, domain: &str) -> CoreResult<bool>;
}

/// Where committed live events go (the streaming hub, or the database's
/// notification channel when several processes share PostgreSQL).
pub trait EventBus: Send + Sync {
    fn publish(&self, events: Vec<super::events::Event>);
}

/// An event bus for programs that stream nothing (the CLI).
pub struct NoEvents;

impl EventBus for NoEvents {
    fn publish(&self, _events: Vec<super::events::Event>) {}
}

/// Where uploaded files and cached previews are kept, by key
/// (`media/<32 random hex digits>/original.jpg`). Local files now; an object store later.
pub trait FileStore: Send + Sync {
    fn put(&self, key: &str, bytes: &[u8]) -> CoreResult<()>;
    fn get(&self, key: &str) -> CoreResult<Option<Vec<u8>>>;
    fn delete(&self, key: &str) -> CoreResult<()>;
    /// The files under `prefix` with their sizes, oldest first.
    fn list(&self, prefix: &str) -> CoreResult<Vec<(String, u64)>>;
}
