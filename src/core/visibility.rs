//! Who may see a status, and who gets a copy of it.
//! (Who may *read* a stored status is the query filter `db::statuses::visible_to`.)

use super::{
    error::{CoreError, CoreResult},
    found,
};
use crate::db::{
    accounts::{self, Account, Recipient},
    boards, follows,
    statuses::Status,
    DbConn,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Everyone, listed in public timelines.
    Public,
    /// Everyone, but not in public timelines.
    Unlisted,
    /// Followers and the mentioned (Mastodon's "private").
    Private,
    /// Only the mentioned.
    Direct,
    /// The members of the board it was posted in (a private or
    /// district-only board); Mastodon apps see it as `private`.
    Members,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Unlisted => "unlisted",
            Visibility::Private => "private",
            Visibility::Direct => "direct",
            Visibility::Members => "members",
        }
    }

    pub fn parse(s: &str) -> CoreResult<Visibility> {
        match s {
            "public" => Ok(Visibility::Public),
            "unlisted" => Ok(Visibility::Unlisted),
            "private" => Ok(Visibility::Private),
            "direct" => Ok(Visibility::Direct),
            "members" => Ok(Visibility::Members),
            other => Err(CoreError::Invalid(format!("unknown visibility `{other}`"))),
        }
    }

    /// Stored values are always valid; anything unexpected is treated as direct.
    pub fn of(status: &Status) -> Visibility {
        Visibility::parse(&status.visibility).unwrap_or(Visibility::Direct)
    }

    pub fn is_public(self) -> bool {
        matches!(self, Visibility::Public | Visibility::Unlisted)
    }
}

/// The remote accounts that must get a copy of a status by `author`:
/// followers (unless direct), the mentioned, and the author of the status
/// replied to when the reply is public. A board's members-only post goes to
/// the board alone: its members (from this server, when the board is here),
/// or the board's own server.
pub fn status_recipients(
    conn: &mut DbConn,
    status: &Status,
    author: &Account,
    mentioned: &[Account],
    parent_author: Option<&Account>,
) -> CoreResult<Vec<Recipient>> {
    let visibility = Visibility::of(status);
    let mut out: Vec<Recipient> = vec![];
    if visibility == Visibility::Members {
        if let Some(post) = boards::post(conn, status.id)? {
            let board = found(accounts::by_id(conn, post.board_id)?)?;
            if board.is_local() {
                out.extend(follows::remote_followers(conn, board.id)?);
            } else {
                out.push(Recipient::from(board));
            }
        }
        return Ok(remote_unique(out));
    }
    if visibility != Visibility::Direct {
        out.extend(follows::remote_followers(conn, author.id)?);
    }
    out.extend(mentioned.iter().map(Recipient::from));
    if visibility.is_public() {
        out.extend(parent_author.map(Recipient::from));
        // A post kept in a board elsewhere goes to that board.
        if let Some(post) = boards::post(conn, status.id)? {
            out.extend(accounts::by_id(conn, post.board_id)?.map(Recipient::from));
        }
    }
    Ok(remote_unique(out))
}

/// Who else must hear that a public post kept in a board here changed or
/// went: the board's members' servers (they have it from the board).
pub fn board_members_of(conn: &mut DbConn, status: &Status) -> CoreResult<Vec<Recipient>> {
    if !Visibility::of(status).is_public() {
        return Ok(vec![]);
    }
    let Some(post) = boards::post(conn, status.id)? else {
        return Ok(vec![]);
    };
    let board = found(accounts::by_id(conn, post.board_id)?)?;
    if !board.is_local() {
        return Ok(vec![]);
    }
    Ok(remote_unique(follows::remote_followers(conn, board.id)?))
}

/// Remote accounts that hear of a reblog: the booster's followers and the
/// original's author (who, for a board relaying a members-only post, hears
/// of it as a member or not at all).
pub fn announce_recipients(
    conn: &mut DbConn,
    booster: &Account,
    original: &Status,
    original_author: &Account,
) -> CoreResult<Vec<Recipient>> {
    let mut out = follows::remote_followers(conn, booster.id)?;
    if Visibility::of(original) != Visibility::Members {
        out.push(Recipient::from(original_author));
    }
    Ok(remote_unique(out))
}

/// Remote accounts that should hear of a profile change: the followers.
pub fn profile_recipients(conn: &mut DbConn, account: &Account) -> CoreResult<Vec<Recipient>> {
    Ok(remote_unique(follows::remote_followers(conn, account.id)?))
}

fn remote_unique(mut accounts: Vec<Recipient>) -> Vec<Recipient> {
    accounts.retain(|a| !a.is_local() && a.deleted_at.is_none());
    accounts.sort_by_key(|a| a.id);
    accounts.dedup_by_key(|a| a.id);
    accounts
}
